"""`linkytool acc`: preview of Enedis's collective self-consumption allocation.

Thin shell over :func:`linkytool.acc.service.run_preview` (the function the UI calls too):
parses the options into a request, shows progress on stderr (only when stderr is a
terminal, never with ``--quiet``), prints the operation indicators on stdout and words the
service's notices and the errors' hints with this command's flags.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from linkytool.acc.errors import AccError, OptionRef
from linkytool.cli.output import (
    InputFile,
    OutputPath,
    emit_rows,
    format_option,
    progress_line,
    warn,
)
from linkytool.textfmt import french_agree, french_count, french_number, parse_french_date

if TYPE_CHECKING:  # the service loads numpy (~0.1 s): only a preview needs it
    from linkytool.acc.engine import AccResult
    from linkytool.acc.service import Notice, PreviewResult

F = TypeVar("F", bound=Callable[..., Any])


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    typed = parse_french_date(value)
    if typed is not None and not isinstance(typed, datetime):
        return typed
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(
            f"date attendue au format JJ/MM/AAAA (ou AAAA-MM-JJ), lu « {value} ».",
            param_hint=option,
        ) from None


def _summary_rows(result: AccResult) -> list[dict[str, Any]]:
    from linkytool.acc.labels import INDICATOR_LABELS
    from linkytool.acc.rounding import published_indicators

    published = published_indicators(result)  # production = self-consumed + surplus
    rows = []
    for key, label, unit in INDICATOR_LABELS:
        value = published.get(key)
        shown: float | None = None
        if value is not None:
            shown = round(value * 100, 2) if unit == "%" else value
        rows.append({"indicator": key, "label": label, "value": shown, "unit": unit})
    return rows


#: How the command line names each setting in hints (core errors carry them as data).
CLI_FLAGS: dict[str, str] = {
    "consumers": "le fichier --consumers",
    "producers": "le fichier --producers",
    "coefficients": "le fichier --coefficients",
    "perimeter": "le fichier --perimeter",
    "calendar": "le fichier --calendar",
    "key": "--key",
    "gaps": "--gaps",
    "timestamps": "--timestamps",
    "period": "la période avec --from/--to",
    "step": "le pas avec --step",
    "replace": "--replace",
}


def cli_word(option: OptionRef) -> str:
    """The command line's wording of a setting named in a hint."""
    flag = CLI_FLAGS.get(option.name, f"--{option.name}")
    return f"{flag} {option.value}" if option.value else flag


@contextmanager
def _cli_hints() -> Iterator[None]:
    """Word the settings named in ACC errors as this command's flags."""
    try:
        yield
    except AccError as error:
        if error.options:
            error.hint = error.render_hint(cli_word)
        raise


def _notice_text(notice: Notice) -> str | None:
    """French wording of a notice on stderr (None: not shown by the CLI)."""
    from linkytool.acc.service import NoticeKind

    data = notice.data
    kind = notice.kind
    if kind is NoticeKind.CURVES_SKIPPED:
        return (
            f"curves.csv non écrit : {french_number(data['rows'], ',d')} lignes dépasseraient "
            f"la limite de {french_number(data['limit'], ',d')} (passez --curves always pour "
            "l'écrire quand même)."
        )
    if kind is NoticeKind.ENEDIS_CURVES_SKIPPED:
        return "Courbes au format Enedis non écrites : elles demandent le pas de 15 minutes."
    if kind is NoticeKind.DEFAULT_KEY_STEPS:
        steps = data["steps"]
        return (
            f"Attention : {steps} pas sans coefficient de la PMO "
            f"{french_agree(steps, 'a été calculé', 'ont été calculés')} avec la clé par "
            "défaut (détail dans report.json)."
        )
    if kind is NoticeKind.GAP_DEFAULT_STEPS:
        steps = data["steps"]
        return (
            f"Attention : {steps} pas avec des valeurs manquantes "
            f"{french_agree(steps, 'a été calculé', 'ont été calculés')} avec la clé par "
            "défaut (--gaps default-key)."
        )
    if kind is NoticeKind.GAPS_FILLED:
        missing = data["missing_steps"]
        return (
            f"Attention : {french_count(missing, 'pas manquant', 'pas manquants')} pour "
            f"{data['prm']} ({_span(data['first'], data['last'])}), "
            f"{french_agree(missing, 'compté', 'comptés')} à 0 W."
        )
    if kind is NoticeKind.OUTSIDE_PERIMETER:
        steps = data["steps"]
        return (
            f"{steps} pas de {data['prm']} hors de sa période de participation "
            f"(--perimeter) : {french_agree(steps, 'ignoré', 'ignorés')}."
        )
    if kind is NoticeKind.WITHOUT_COEFFICIENT:
        prms = data["prms"]
        return (
            f"Attention : {french_count(len(prms), 'consommateur', 'consommateurs')} sans "
            "coefficient statique (0 %) : " + ", ".join(prms)
        )
    if kind is NoticeKind.WITHOUT_COEFFICIENT_STEPS:
        steps = data["steps"]
        missing = french_count(
            steps, "coefficient dynamique manquant", "coefficients dynamiques manquants"
        )
        return (
            f"Attention : {missing} "
            f"({french_count(data['consumers'], 'consommateur', 'consommateurs')}) "
            f"{french_agree(steps, 'à un pas', 'à des pas')} où le fichier en donne d'autres : "
            f"{french_agree(steps, 'compté', 'comptés')} 0 %, la part va au surplus "
            f"collectif (premier : {data['prm']} le {data['first']} ; détail dans "
            "report.json)."
        )
    if kind is NoticeKind.PRODUCER_WITHOUT_COEFFICIENT_STEPS:
        steps = data["steps"]
        producers = french_count(data["producers"], "producteur", "producteurs")
        return (
            f"Attention : {french_count(steps, 'pas', 'pas')} sans coefficient pour "
            f"{producers} où le fichier en donne d'autres : "
            f"{french_agree(data['producers'], 'sa production y va', 'leur production y va')}"
            " entière au surplus collectif (premier : "
            f"{data['prm']} le {data['first']} ; détail dans report.json)."
        )
    if kind is NoticeKind.NOTE:
        return str(data["text"])
    if kind is NoticeKind.KEY_PERIODS:
        return (
            f"Clé appliquée sur {french_count(data['count'], 'période', 'périodes')} "
            "(voir report.json)."
        )
    return None


def _span(first: str, last: str) -> str:
    """``02/03/2026 10:15``, or ``du 02/03/2026 10:15 au 02/03/2026 11:00``."""
    return first if first == last else f"du {first} au {last}"


def _run_and_report(
    run: Callable[[Any], PreviewResult], *, quiet: bool, output_format: str
) -> None:
    """Run the preview service with progress lines, print the indicators and notices."""
    from linkytool.acc.service import NoticeKind

    with _cli_hints(), progress_line("Répartition", enabled=not quiet) as computing:
        preview = run(computing)
    rows = _summary_rows(preview.result)
    columns = [("label", "Indicateur"), ("value", "Valeur"), ("unit", "Unité")]
    if output_format != "table":
        columns.insert(0, ("indicator", "Identifiant"))
    else:
        for row in rows:
            if row["value"] is not None:
                row["value"] = french_number(row["value"], ".2f" if row["unit"] == "%" else ",.3f")
    for notice in preview.notices:  # written before the indicators, as before
        if notice.kind in (NoticeKind.CURVES_SKIPPED, NoticeKind.ENEDIS_CURVES_SKIPPED):
            text = _notice_text(notice)
            if text:
                warn(text)
    emit_rows(rows, columns, output_format)
    if quiet:
        return
    for notice in preview.notices:
        if notice.kind not in (NoticeKind.CURVES_SKIPPED, NoticeKind.ENEDIS_CURVES_SKIPPED):
            text = _notice_text(notice)
            if text:
                warn(text)
    written = len(preview.written)
    warn(
        f"{french_count(written, 'fichier', 'fichiers')} {french_agree(written, 'écrit', 'écrits')}"
        f" dans {preview.outdir} en {french_number(preview.result.elapsed_s, '.2f')} s de calcul."
    )


KEY_HELP = (
    "Clé de répartition : default (prorata des consommations, clé d'Enedis par défaut), "
    "static (coefficient fixe par consommateur), dynamic (coefficient par consommateur et par "
    "pas), full (coefficient par producteur, consommateur et pas)."
)


def _key_option(default: str) -> Callable[[F], F]:
    return click.option(
        "--key",
        type=click.Choice(["default", "static", "dynamic", "full"]),
        default=default,
        show_default=True,
        help=KEY_HELP,
    )


class _OutputDir(OutputPath):
    """The results folder; a NUL byte in its name is an output error (exit 6), before
    click's own check stumbles on it (ValueError)."""

    def __init__(self) -> None:
        super().__init__(directory=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from linkytool.acc.outset import check_target

        check_target(os.fsdecode(value))
        return super().convert(value, param, ctx)


def _outdir_option(text: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        "outdir",
        required=True,
        type=_OutputDir(),
        help=text,
    )


_quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Ni barre de progression ni avertissements."
)


#: Above this many rows, curves.csv is skipped unless asked (``--curves always``).
CURVES_ROW_LIMIT = 5_000_000


@click.group()
def acc() -> None:
    """Autoconsommation collective : prévisualiser la répartition d'Enedis.

    Calcule pas à pas, comme Enedis, la part autoconsommée de chaque consommateur, le
    complément, le surplus collectif et sa répartition par producteur, puis écrit les
    courbes, les quantités par participant, la synthèse mensuelle (xlsx) et un graphique.
    """


@acc.command("run")
@click.option(
    "--consumers",
    "consumers",
    multiple=True,
    required=True,
    type=InputFile(),
    help="Courbes des consommateurs (CSV ; option répétable, par ex. un export du portail "
    "Enedis par PRM).",
)
@click.option(
    "--producers",
    "producers",
    multiple=True,
    required=True,
    type=InputFile(),
    help="Courbes d'injection des producteurs (CSV ; option répétable).",
)
@_key_option("default")
@click.option(
    "--coefficients",
    type=InputFile(),
    help="Coefficients de répartition en % (CSV) pour les clés static, dynamic et full.",
)
@click.option(
    "--static-excess",
    type=click.Choice(["surplus", "redistribute"]),
    default="surplus",
    show_default=True,
    help="Clé statique : la part qu'un consommateur ne peut absorber va au surplus "
    "collectif, ou est redistribuée aux autres au prorata de leurs coefficients.",
)
@click.option(
    "--gaps",
    type=click.Choice(["error", "zero", "default-key"]),
    default="error",
    show_default=True,
    help="Pas manquants dans les courbes : erreur (fichier et ligne), valeur 0 W, ou 0 W et "
    "clé par défaut sur ces pas.",
)
@click.option(
    "--timestamps",
    type=click.Choice(["start", "end"]),
    default=None,
    help="Exports du portail Enedis seulement : « Horodate » marque le début ou la fin du "
    "pas, quand le préambule ne permet pas de le savoir.",
)
@click.option(
    "--perimeter",
    type=InputFile(),
    help="Périmètre (CSV prm,role,entry,exit) : dates d'entrée et de sortie des participants.",
)
@click.option(
    "--calendar",
    type=InputFile(),
    help="Calendrier des postes horaires (CSV class,days,start,end[,months]) pour la "
    "synthèse par consommateur ; BASE par défaut.",
)
@click.option("--from", "from_day", help="Premier jour calculé (JJ/MM/AAAA, inclus).")
@click.option("--to", "to_day", help="Dernier jour calculé (JJ/MM/AAAA, inclus).")
@click.option(
    "--step",
    type=click.Choice(["auto", "15", "30"]),
    default="auto",
    show_default=True,
    help="Pas de calcul en minutes ; auto : 15 depuis octobre 2024, 30 avant (règle Enedis).",
)
@click.option(
    "--convention",
    default=None,
    help="Numéro de convention ACC (ex. ACC00000112) pour nommer la synthèse mensuelle.",
)
@_outdir_option("Dossier où écrire les résultats.")
@click.option("--no-chart", is_flag=True, help="Ne pas dessiner production.png.")
@click.option(
    "--curves",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Écrire curves.csv (une ligne par pas, participant et grandeur) ; auto : sauf "
    "au-delà de 5 millions de lignes.",
)
@click.option(
    "--enedis-curves",
    is_flag=True,
    help="Écrire aussi enedis/<grandeur>.csv : quatre quarts d'heure par ligne, comme les "
    "fichiers de courbes d'Enedis.",
)
@_quiet_option
@format_option("table", "json", "csv")
def run(  # noqa: PLR0917 - click passes one argument per option
    consumers: tuple[Path, ...],
    producers: tuple[Path, ...],
    key: str,
    coefficients: Path | None,
    static_excess: str,
    gaps: str,
    timestamps: str | None,
    perimeter: Path | None,
    calendar: Path | None,
    from_day: str | None,
    to_day: str | None,
    step: str,
    convention: str | None,
    outdir: Path,
    no_chart: bool,
    curves: str,
    enedis_curves: bool,
    quiet: bool,
    output_format: str,
) -> None:
    """Calcule la répartition d'une opération et écrit ses résultats dans un dossier.

    Écrit participants.csv, allocations.csv, curves.csv (courbes par participant),
    operation.csv (courbes de l'opération), la synthèse mensuelle
    ACC<convention>_<JJMMAAAA>_<JJMMAAAA>.xlsx, production.png et report.json, puis
    affiche les indicateurs de l'opération.
    """
    from linkytool.acc import LoadOptions
    from linkytool.acc import service as acc_service
    from linkytool.acc.model import GapPolicy, KeyKind, StaticExcess
    from linkytool.acc.outputs import normalise_convention

    first, last = _parse_day(from_day, "--from"), _parse_day(to_day, "--to")
    if (first is None) != (last is None):
        raise click.UsageError("--from et --to vont ensemble.")
    with _cli_hints():
        number = normalise_convention(convention)
        options = LoadOptions(
            key=KeyKind(key),
            static_excess=StaticExcess(static_excess),
            gaps=GapPolicy(gaps),
            timestamps="start" if timestamps == "start" else "end" if timestamps == "end" else None,
            step_minutes=None if step == "auto" else int(step),
            period=(first, last) if first and last else None,
        )
    request = acc_service.PreviewRequest(
        consumers=tuple(consumers),
        producers=tuple(producers),
        coefficients=coefficients,
        perimeter=perimeter,
        calendar=calendar,
        load=options,
        outdir=outdir,
        convention=number,
        chart=not no_chart,
        curves=acc_service.CurvesPolicy(curves),
        enedis_curves=enedis_curves,
        curves_row_limit=CURVES_ROW_LIMIT,
    )

    def run_it(computing: Any) -> PreviewResult:
        with progress_line("Lecture", enabled=not quiet) as reading:
            return acc_service.run_preview(request, reading=reading, computing=computing)

    _run_and_report(run_it, quiet=quiet, output_format=output_format)


@acc.command("demo")
@_outdir_option("Dossier où écrire les fichiers d'entrée (inputs/) et les résultats.")
@_key_option("static")
@click.option("--seed", type=int, default=2026, show_default=True, help="Graine des courbes.")
@click.option(
    "--replace",
    is_flag=True,
    help="Remplacer les fichiers du dossier que la démonstration réécrit même s'ils "
    "diffèrent des siens (sinon elle refuse sans rien écrire).",
)
@_quiet_option
@format_option("table", "json", "csv")
def demo(  # noqa: PLR0917 - click passes one argument per option
    outdir: Path, key: str, seed: int, replace: bool, quiet: bool, output_format: str
) -> None:
    """Opération de démonstration : un producteur photovoltaïque, dix consommateurs, mars 2026.

    Génère des courbes réalistes (déterministes), les écrit dans OUTDIR/inputs/ au format
    documenté, puis les traite comme « acc run » et écrit les résultats dans OUTDIR.
    Un consommateur sort le 20 mars, un autre entre le 10 ; le 29 mars compte 92
    quarts d'heure (passage à l'heure d'été). Des fichiers déjà présents que la
    démonstration remplacerait par d'autres (vos courbes, d'autres résultats) ne sont
    jamais écrasés sans --replace.
    """
    from linkytool.acc.model import KeyKind
    from linkytool.acc.service import run_demo

    def run_it(computing: Any) -> PreviewResult:
        return run_demo(outdir, KeyKind(key), seed, replace=replace, computing=computing)

    _run_and_report(run_it, quiet=quiet, output_format=output_format)
