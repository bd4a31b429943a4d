"""`linkytool tic` commands: decode captures (TIC-core); read, ports, simulate (TIC-io).

The group is defined here first; sub-commands follow, one per section.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from linkytool.cli.output import OutputPath, ProgressLine, format_option, is_interactive_stderr
from linkytool.textfmt import french_number, french_percent, parse_french_date

if TYPE_CHECKING:
    from linkytool.tic.model import Frame, FrameRun
    from linkytool.tic.summary import MeterReading


@click.group()
def tic() -> None:
    """Télé-information client (TIC) : lire, enregistrer, décoder, simuler."""


# -- shared by tic decode and tic read -------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


_max_error_rate_option = click.option(
    "--max-error-rate",
    # nan and inf refused (linkytool.cli.french): ``nan > x`` is always false, so
    # ``--max-error-rate nan`` once accepted any error rate
    type=click.FloatRange(0.0, 1.0),
    default=0.05,
    show_default=True,
    help="Taux de groupes rejetés (checksum) au-delà duquel le code de sortie vaut 1.",
)


def _mode_option(help_text: str) -> Callable[[F], F]:
    return click.option(
        "--mode",
        type=click.Choice(["auto", "historique", "standard"]),
        default="auto",
        show_default=True,
        help=help_text,
    )


def _frames_format_option(table_text: str) -> Callable[[F], F]:
    """``--format`` of the commands that print frames: table, jsonl or csv."""
    return format_option(
        "table",
        "jsonl",
        "csv",
        help_text=f"table : {table_text} ; jsonl : un objet JSON par trame ; "
        "csv : une ligne par groupe.",
    )


def _check_error_rate(reading: MeterReading, max_error_rate: float) -> None:
    """Raise :class:`ChecksumRateError` (exit 1) above ``max_error_rate`` rejected groups."""
    from linkytool.tic.errors import ChecksumRateError

    if reading.checksum_error_rate > max_error_rate:
        raise ChecksumRateError(
            f"{reading.groups_bad} groupe(s) rejeté(s) sur "
            f"{reading.groups_ok + reading.groups_bad} "
            f"(taux {french_percent(reading.checksum_error_rate)} > "
            f"{french_percent(max_error_rate)}).",
            hint="Vérifiez le câblage et l'adaptateur, ou relevez le seuil avec --max-error-rate.",
        )


# -- tic decode (TIC-core) -------------------------------------------------------------

DECODE_FRAME_COLUMNS = (
    ("frame", "Trame"),
    ("mode", "Mode"),
    ("meter", "Compteur"),
    ("valid", "Valide"),
    ("groups", "Groupes"),
    ("bad", "Rejetés"),
    ("date", "Date compteur"),
    ("index", "Index"),
    ("power", "Puissance"),
    ("errors", "Anomalies"),
)


#: Frames always listed by the table format; after them only frames with an anomaly.
TABLE_HEAD = 50


@tic.command("decode")
@click.argument("source", type=click.Path(allow_dash=True))
@_frames_format_option("une ligne par trame puis le résumé")
@_mode_option("Mode TIC ; auto le déduit des données (séparateurs, étiquettes).")
@_max_error_rate_option
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"Format table : lister toutes les trames (par défaut les {TABLE_HEAD} premières, "
    "puis seulement celles qui ont une anomalie, et la dernière).",
)
def decode(
    source: str, output_format: str, mode: str, max_error_rate: float, show_all: bool
) -> None:
    """Décode une capture TIC (octets bruts, enregistrement --record ou extrait texte).

    SOURCE est un fichier ou « - » pour l'entrée standard. Les données vont sur stdout,
    les diagnostics sur stderr. Code de sortie 0 si le taux de groupes rejetés reste sous
    --max-error-rate, 1 au-delà, 3 si le fichier est illisible ou ne contient aucune trame
    valide.
    """
    from linkytool.tic import TicMode
    from linkytool.tic.service import NoValidGroupError, decode_capture

    forced = None if mode == "auto" else TicMode(mode)
    # progress only when the data goes elsewhere than the terminal showing it
    interactive = is_interactive_stderr() and not sys.stdout.isatty()
    progress = ProgressLine("Décodage", _megabytes) if interactive else None
    printer = _DecodePrinter(output_format, show_all=show_all)
    # a closed pipe or a full disk on stdout is reported by the command group (cli/__init__)
    try:
        result = decode_capture(
            sys.stdin.buffer if source == "-" else source,
            mode=forced,
            on_frame=printer.frame,
            on_run=printer.run if printer.writer is not None else None,
            progress=progress,
        )
    except NoValidGroupError as error:
        error.hint = (
            f"Vous avez imposé --mode {error.forced_mode.value} : essayez --mode auto."
            if error.forced_mode is not None
            else "Donnez des octets bruts de la TIC, un enregistrement linkytool ou un extrait "
            "texte ; une capture faite à la mauvaise vitesse est à refaire avec "
            "tic read --mode historique ou standard."
        )
        raise
    finally:
        if progress is not None:
            progress.clear()
    printer.finish(result.reading, result.skipped_bytes)
    _check_error_rate(result.reading, max_error_rate)


def _megabytes(done: int, total: int | None) -> str:
    """Progress detail of a decode [Mo]."""
    if total:
        return f"{done / 1e6:.0f} / {total / 1e6:.0f} Mo"
    return f"{done / 1e6:.0f} Mo lus"


class _DecodePrinter:
    """Prints what ``tic decode`` shows: frames as they come (jsonl/csv through the one
    frame writer, or table rows), then the summary."""

    def __init__(self, output_format: str, *, show_all: bool) -> None:
        from linkytool.tic.export import FrameWriter

        self.output_format = output_format
        self.show_all = show_all
        self.writer = FrameWriter(output_format) if output_format != "table" else None
        if self.writer is not None:
            sys.stdout.flush()  # frames go to the byte stream under it, UTF-8 already
        self.write = sys.stdout.buffer.write
        self.rows: list[dict[str, object]] = []
        self.last: tuple[Frame, int] | None = None
        self.frames = 0

    def run(self, run: FrameRun, first: int) -> None:
        assert self.writer is not None
        self.frames = first + run.count - 1
        self.write(self.writer.run_data(run, first))

    def frame(self, frame: Frame, index: int) -> None:
        self.frames = index
        if self.writer is not None:
            self.write(self.writer.data(frame, index))
        elif self.show_all or index <= TABLE_HEAD or not frame.valid:
            self.rows.append(_frame_row(frame, index))
            self.last = None
        else:
            self.last = (frame, index)

    def finish(self, reading: MeterReading, skipped: int) -> None:
        from datetime import date

        from linkytool.cli.output import emit_rows, warn
        from linkytool.textfmt import render_table
        from linkytool.tic.report import describe_reading, reading_notes

        summary = describe_reading(reading, today=date.today())
        if skipped:
            summary.append(("Octets hors trame ignorés", str(skipped)))
        if self.output_format != "table":
            for label, value in summary:
                warn(f"{label} : {value}")
            for note in reading_notes(reading):
                warn(note)
            return
        rows = self.rows
        if self.last is not None:
            rows.append(_frame_row(*self.last))
        emit_rows(rows, DECODE_FRAME_COLUMNS, "table")
        hidden = self.frames - len(rows)
        if hidden:
            click.echo(
                f"… {hidden} trame(s) valide(s) non affichée(s) (--all pour tout afficher, "
                "--format jsonl ou csv pour les données)."
            )
        click.echo()
        click.echo(
            render_table([{"k": k, "v": v} for k, v in summary], (("k", "Résumé"), ("v", "")))
        )
        for note in reading_notes(reading):
            click.echo(f"\n{note}")


def _frame_row(frame: Frame, index: int) -> dict[str, object]:
    from linkytool.tic.report import quantity

    meter_time = frame.meter_time
    index_wh = frame.drawn_wh
    return {
        "frame": index,
        "mode": frame.mode.value,
        "meter": frame.meter_id,
        "valid": "oui" if frame.valid else "non",
        "groups": len(frame.groups),
        "bad": len(frame.bad_groups),
        "date": meter_time.strftime("%d/%m/%Y %H:%M:%S") if meter_time else None,
        "index": quantity(index_wh, "Wh", missing=""),
        "power": quantity(frame.sinsts_va, "VA", missing=""),
        "errors": "; ".join(frame.errors) or None,
    }


# -- tic ports / read / simulate (TIC-io) ----------------------------------------------

PORT_COLUMNS = (
    ("path", "Port (chemin stable)"),
    ("device", "Périphérique"),
    ("vid_pid", "VID:PID"),
    ("description", "Description"),
)


@tic.command("ports")
@format_option("table", "json")
def ports(output_format: str) -> None:
    """Liste les adaptateurs série (adaptateurs USB d'abord, chemin /dev/serial/by-id).

    Le chemin stable /dev/serial/by-id/... reste le même quand on débranche et
    rebranche l'adaptateur : c'est celui à donner à « tic read --port ».
    """
    from linkytool.cli.output import emit_rows, warn
    from linkytool.tic.service import list_ports

    found = list_ports()
    if not found and output_format == "table":
        warn("Aucun port série détecté. Branchez l'adaptateur TIC puis relancez.")
        return
    emit_rows([port.as_row() for port in found], PORT_COLUMNS, output_format)


@tic.command("read")
@click.option(
    "--port",
    "port",
    metavar="PORT",
    help="Port à lire : /dev/ttyUSB0, /dev/serial/by-id/..., rfc2217://hôte:port, "
    "socket://hôte:port. Par défaut, l'unique adaptateur USB détecté.",
)
@_mode_option(
    "Mode TIC ; auto essaie 9600 puis 1200 bauds et garde la vitesse dont les "
    "groupes passent le contrôle (checksum)."
)
@click.option(
    "--baud",
    type=click.IntRange(50, 921600),
    default=None,
    help="Impose la vitesse (bauds) au lieu de la déduire du mode.",
)
@_frames_format_option("résumé du compteur (rafraîchi dans un terminal)")
@click.option(
    "--frames",
    "max_frames",
    type=click.IntRange(min=1),
    default=None,
    help="S'arrête après ce nombre de trames complètes (la première, prise en cours de "
    "route, ne compte pas).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="S'arrête après ce nombre de secondes (erreur si aucune trame n'est reçue).",
)
@click.option(
    "--record",
    type=OutputPath(),
    default=None,
    help="Enregistre les octets bruts (avec mode, vitesse et heure de début) dans ce "
    "nouveau fichier, relisible avec « tic decode ».",
)
@_max_error_rate_option
def read(  # noqa: PLR0917 - one parameter per click option
    port: str | None,
    mode: str,
    baud: int | None,
    output_format: str,
    max_frames: int | None,
    timeout: float | None,
    record: Path | None,
    max_error_rate: float,
) -> None:
    """Lit la TIC en direct depuis un adaptateur série (PRM, date, index, puissances).

    Détecte seul le mode (historique 1200 bauds, standard 9600 bauds). Si l'adaptateur est
    débranché puis rebranché, la lecture reprend sans perdre les données déjà reçues ;
    un pseudo-terminal lu par son nom (/dev/pts/N) qui disparaît n'est pas rouvert (son
    numéro sera celui d'un autre terminal) : la lecture s'arrête. Ctrl+C arrête la
    lecture et affiche le résumé. Codes de sortie : 0 lecture faite, 1 trop de groupes
    rejetés, 4 port inutilisable ou aucune trame reçue, 6 enregistrement impossible.
    """
    from linkytool.cli.output import warn
    from linkytool.tic.serial_errors import NoTicSignalError
    from linkytool.tic.serial_live import LiveSession
    from linkytool.tic.service import read_live

    session = LiveSession(
        output_format,
        echo=click.echo,
        warn=warn,
        live_table=output_format == "table" and sys.stdout.isatty(),
        port=port or "",
    )
    with _flag_hints():
        result = read_live(
            port,
            on_event=session.handle,
            say=warn,
            mode=mode,
            baud=baud,
            record=record,
            max_frames=max_frames,
            timeout_s=timeout,
        )
    if result.interrupted:
        warn("Lecture arrêtée (Ctrl+C).")
    if result.recording is not None:
        warn(f"Enregistrement : {result.recording} ({result.recorded_bytes} octets).")
    if result.interrupted:
        if session.frames:
            session.finish()
        # README: 130 = interrupted, whatever was read before
        click.get_current_context().exit(130)
    if session.frames == 0:
        raise NoTicSignalError(
            f"Aucune trame TIC reçue sur {result.port}"
            + (f" en {french_number(timeout)} s." if timeout else "."),
            hint="Vérifiez que l'adaptateur est relié aux bornes I1/I2 du compteur et que "
            "la TIC est active ; essayez --mode historique ou --mode standard si la "
            "détection échoue.",
        )
    reading = session.finish()
    _check_error_rate(reading, max_error_rate)


#: How the CLI names the settings a core error points at (``TicError.option``).
_FLAG_HINTS = {
    "port": "Option --port CHEMIN (linkytool tic ports liste les ports présents).",
    "mode": "Option --mode auto|historique|standard.",
}


@contextmanager
def _flag_hints() -> Iterator[None]:
    """Complete the hint of a core TIC error with the command-line flag that fixes it."""
    from linkytool.tic.errors import TicError

    try:
        yield
    except TicError as error:
        flag = _FLAG_HINTS.get(error.option or "")
        if flag:
            error.hint = f"{error.hint} {flag}" if error.hint else flag
        raise


class FrenchDateTime(click.ParamType[datetime]):
    """A date and time as the user types it everywhere else: ``20/11/2026 14:25[:30]``
    (:func:`~linkytool.textfmt.parse_french_date`; a day alone is midnight), or ISO
    ``2026-11-20T14:25``. The value is a naive datetime unless an ISO offset is given."""

    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        typed = parse_french_date(text)
        if isinstance(typed, datetime):
            return typed
        if isinstance(typed, date):
            return datetime.combine(typed, time())
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"« {value} » n'est pas une date : tapez JJ/MM/AAAA HH:MM, par exemple "
                "« 20/11/2026 14:25 » (entre guillemets à cause de l'espace ; les secondes "
                "sont facultatives).",
                param,
                ctx,
            )


@tic.command("simulate")
@click.option(
    "--mode",
    type=click.Choice(["standard", "historique"]),
    default="standard",
    show_default=True,
    help="Mode TIC simulé (standard : 9600 bauds, historique : 1200 bauds).",
)
@click.option(
    "--profile",
    type=click.Choice(["consumer", "producer"]),
    default="consumer",
    show_default=True,
    help="consumer : compteur en mode consommateur (cas de l'auto-mise en service) ; "
    "producer : mode producteur avec production photovoltaïque (EAIT, SINSTI).",
)
@click.option(
    "--phases",
    type=click.Choice(["1", "3"]),
    default="1",
    show_default=True,
    help="Monophasé ou triphasé.",
)
@click.option(
    "--tariff",
    type=click.Choice(["base", "hchp", "tempo"]),
    default="base",
    show_default=True,
    help="Option tarifaire : base, heures creuses / heures pleines, ou Tempo (couleurs "
    "du jour et du lendemain dans STGE).",
)
@click.option("--prm", default="30002345678901", show_default=True, help="PRM (14 chiffres).")
@click.option(
    "--adsc", default=None, help="Adresse du compteur (12 chiffres) ; défaut : compteur de démo."
)
@click.option(
    "--port",
    "port_url",
    metavar="URL",
    default=None,
    help="Écrit sur ce port série (URL pyserial) au lieu de créer un pseudo-terminal.",
)
@click.option(
    "--stdout",
    "to_stdout",
    is_flag=True,
    help="Écrit les octets bruts sur la sortie standard (pour fabriquer une capture).",
)
@click.option(
    "--link",
    type=OutputPath(),
    default=None,
    help="Crée ce lien symbolique vers le pseudo-terminal (chemin stable, comme "
    "/dev/serial/by-id).",
)
@click.option(
    "--frames",
    "max_frames",
    type=click.IntRange(min=1),
    default=None,
    help="Nombre de trames à émettre.",
)
@click.option(
    "--duration", type=click.FloatRange(min=0.1), default=None, help="Durée d'émission [s]."
)
@click.option(
    "--fast", is_flag=True, help="Émet aussi vite que le lecteur lit (tests), sans le débit réel."
)
@click.option(
    "--error-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Part des groupes émis avec un checksum faux.",
)
@click.option(
    "--garbage-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="Probabilité d'octets parasites avant chaque trame.",
)
@click.option(
    "--start",
    type=FrenchDateTime(),
    metavar="'JJ/MM/AAAA HH:MM'",
    default=None,
    help="Date et heure de départ de l'horloge simulée (heure de Paris), par exemple "
    "« 20/11/2026 14:25 » ; défaut : maintenant.",
)
@click.option(
    "--drift",
    type=float,
    default=0.0,
    show_default=True,
    help="Avance de l'horloge du compteur [s].",
)
@click.option("--seed", type=int, default=None, help="Graine du hasard (simulation reproductible).")
@click.option(
    "--unplug-every",
    type=click.FloatRange(min=1.0),
    default=None,
    help="Simule un débranchement de l'adaptateur toutes les N secondes (pseudo-terminal).",
)
@click.option(
    "--unplug-for",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Durée de chaque débranchement simulé [s].",
)
def simulate(**options: Any) -> None:
    """Simule un compteur Linky qui émet sa TIC (pour la démo et les tests, sans matériel).

    Par défaut, crée un pseudo-terminal et affiche son chemin sur stderr : lisez-le avec
    « linkytool tic read --port CHEMIN ». Émet au débit réel du mode (960 octets/s en
    standard, 120 en historique) ; Ctrl+C arrête.
    """
    from linkytool.cli.tic_simulate import run_simulator

    run_simulator(**options)
