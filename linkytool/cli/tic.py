"""`linkytool tic` commands: decode captures (TIC-core); read, ports, simulate (TIC-io).

The group is defined here first; sub-commands follow, one per section.
"""

from __future__ import annotations

import sys

import click


@click.group()
def tic() -> None:
    """Télé-information client (TIC) : lire, enregistrer, décoder, simuler."""


# -- tic decode (TIC-core) -------------------------------------------------------------

DECODE_FRAME_COLUMNS = (
    ("frame", "Trame"),
    ("mode", "Mode"),
    ("meter", "Compteur"),
    ("valid", "Valide"),
    ("groups", "Groupes"),
    ("bad", "Rejetés"),
    ("date", "Date compteur"),
    ("index", "Index [Wh]"),
    ("power", "Puissance [VA]"),
    ("errors", "Anomalies"),
)


@tic.command("decode")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "jsonl", "csv"]),
    default="table",
    show_default=True,
    help="table : une ligne par trame puis le résumé ; jsonl : un objet JSON par trame ; "
    "csv : une ligne par groupe.",
)
@click.option(
    "--mode",
    type=click.Choice(["auto", "historique", "standard"]),
    default="auto",
    show_default=True,
    help="Mode TIC ; auto le déduit des données (séparateurs, étiquettes).",
)
@click.option(
    "--max-error-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.05,
    show_default=True,
    help="Taux de groupes rejetés (checksum) au-delà duquel le code de sortie vaut 1.",
)
def decode(source: str, output_format: str, mode: str, max_error_rate: float) -> None:
    """Décode une capture TIC (octets bruts, enregistrement --record ou extrait texte).

    SOURCE est un fichier ou « - » pour l'entrée standard. Les données vont sur stdout,
    les diagnostics sur stderr. Code de sortie 0 si le taux de groupes rejetés reste sous
    --max-error-rate, 1 au-delà, 3 si le fichier est illisible ou ne contient aucune trame.
    """
    from linkytool.cli.output import dumps_json, emit_rows, render_csv, render_table, warn
    from linkytool.tic import TicMode, summarize
    from linkytool.tic.capture import iter_capture, iter_stream
    from linkytool.tic.errors import CaptureError, ChecksumRateError
    from linkytool.tic.export import GROUP_COLUMNS, frame_group_rows, frame_to_dict
    from linkytool.tic.model import Frame
    from linkytool.tic.report import describe_reading, reading_notes

    forced = None if mode == "auto" else TicMode(mode)
    if source == "-":
        events = iter_stream(sys.stdin.buffer, forced)
        name = "l'entrée standard"
    else:
        events = iter_capture(source, forced)
        name = source
    frames: list[Frame] = []
    rows = []
    first_csv = True
    for event in events:
        if not isinstance(event, Frame):
            continue
        frames.append(event)
        index = len(frames)
        if output_format == "jsonl":
            click.echo(dumps_json(frame_to_dict(event), indent=None))
        elif output_format == "csv":
            text = render_csv(frame_group_rows(event, index), GROUP_COLUMNS)
            click.echo(text if first_csv else text.split("\n", 1)[1], nl=False)
            first_csv = False
        else:
            rows.append(_frame_row(event, index))
    if not frames:
        raise CaptureError(
            f"Aucune trame TIC trouvée dans {name}.",
            hint="Il faut des octets bruts de la TIC (STX ... ETX), un enregistrement "
            "linkytool ou un extrait texte (un groupe par ligne).",
        )
    reading = summarize(frames)
    summary = describe_reading(reading)
    if output_format == "table":
        emit_rows(rows, DECODE_FRAME_COLUMNS, "table")
        click.echo()
        click.echo(
            render_table([{"k": k, "v": v} for k, v in summary], (("k", "Résumé"), ("v", "")))
        )
        for note in reading_notes(reading):
            click.echo(f"\n{note}")
    else:
        for label, value in summary:
            warn(f"{label} : {value}")
        for note in reading_notes(reading):
            warn(note)
    if reading.checksum_error_rate > max_error_rate:
        raise ChecksumRateError(
            f"{reading.groups_bad} groupe(s) rejeté(s) sur "
            f"{reading.groups_ok + reading.groups_bad} "
            f"(taux {reading.checksum_error_rate:.1%} > {max_error_rate:.1%}).",
            hint="Vérifiez le câblage et l'adaptateur, ou relevez le seuil avec --max-error-rate.",
        )


def _frame_row(frame: object, index: int) -> dict[str, object]:
    from linkytool.tic.model import Frame

    assert isinstance(frame, Frame)
    meter_time = frame.meter_time
    index_wh = frame.east_wh
    return {
        "frame": index,
        "mode": frame.mode.value,
        "meter": frame.meter_id,
        "valid": "oui" if frame.valid else "non",
        "groups": len(frame.groups),
        "bad": len(frame.bad_groups),
        "date": meter_time.strftime("%d/%m/%Y %H:%M:%S") if meter_time else None,
        "index": index_wh,
        "power": frame.sinsts_va,
        "errors": "; ".join(frame.errors) or None,
    }
