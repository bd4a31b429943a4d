"""`linkytool acc`: preview of Enedis's collective self-consumption allocation.

Thin shell over :mod:`linkytool.acc`: reads the files, runs the engine with a progress bar
on stderr (only when stderr is a terminal, never with ``--quiet``), writes the output files
and prints the operation indicators on stdout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from linkytool.cli.output import (
    InputFile,
    OutputPath,
    emit_rows,
    format_option,
    progress_line,
    warn,
)

F = TypeVar("F", bound=Callable[..., Any])


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(
            f"date attendue au format AAAA-MM-JJ, lu « {value} ».", param_hint=option
        ) from None


def _summary_rows(indicators: Mapping[str, float | None]) -> list[dict[str, Any]]:
    labels = {
        "consumption_kwh": ("Consommation totale", "kWh"),
        "production_kwh": ("Production totale", "kWh"),
        "self_consumed_kwh": ("Autoconsommation totale", "kWh"),
        "surplus_kwh": ("Surplus collectif", "kWh"),
        "self_consumption_rate": ("Taux d'autoconsommation", "%"),
        "self_production_rate": ("Taux d'autoproduction", "%"),
        "coverage_rate": ("Taux de couverture", "%"),
    }
    rows = []
    for key, (label, unit) in labels.items():
        value = indicators.get(key)
        shown: float | None = None
        if value is not None:
            shown = round(value * 100, 2) if unit == "%" else round(value, 3)
        rows.append({"indicator": key, "label": label, "value": shown, "unit": unit})
    return rows


def _report_run(
    result: Any, outdir: Path, *, written: list[Path], output_format: str, quiet: bool
) -> None:
    from linkytool.acc.outputs import key_periods

    rows = _summary_rows(result.indicators())
    columns = [("label", "Indicateur"), ("value", "Valeur"), ("unit", "Unité")]
    if output_format != "table":
        columns.insert(0, ("indicator", "Identifiant"))
    else:
        for row in rows:
            if row["value"] is not None:
                row["value"] = (
                    f"{row['value']:.2f}" if row["unit"] == "%" else f"{row['value']:.3f}"
                )
    emit_rows(rows, columns, output_format)
    if quiet:
        return
    report = result.operation.input_report
    if result.default_key_steps.size:
        warn(
            f"Attention : {result.default_key_steps.size} pas sans coefficient de la PMO ont été "
            "calculés avec la clé par défaut (détail dans report.json)."
        )
    if result.gap_default_steps.size:
        warn(
            f"Attention : {result.gap_default_steps.size} pas avec des valeurs manquantes ont "
            "été calculés avec la clé par défaut (--gaps default-key)."
        )
    for gap in report.get("gaps", []):
        warn(
            f"Attention : {gap['missing_steps']} pas manquants pour {gap['prm']} "
            f"({gap['first']} … {gap['last']}), comptés à 0 W."
        )
    for outside in report.get("outside_perimeter", []):
        warn(
            f"{outside['steps']} pas de {outside['prm']} hors de sa période de participation "
            "(--perimeter) : ignorés."
        )
    missing = sorted(set(report.get("consumers_without_coefficient", [])))
    if missing:
        warn(
            f"Attention : {len(missing)} consommateur(s) sans coefficient statique (0 %) : "
            + ", ".join(missing)
        )
    for note in report.get("notes", []):
        warn(note)
    periods = key_periods(result)
    if len(periods) > 1:
        warn(f"Clé appliquée sur {len(periods)} périodes (voir report.json).")
    warn(f"{len(written)} fichiers écrits dans {outdir} en {result.elapsed_s:.2f} s de calcul.")


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


def _outdir_option(text: str) -> Callable[[F], F]:
    return click.option(
        "-o",
        "--output",
        "outdir",
        required=True,
        type=OutputPath(directory=True),
        help=text,
    )


_quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Ni barre de progression ni avertissements."
)


def _allocate_and_write(
    operation: Any,
    outdir: Path,
    *,
    convention: str,
    used: Mapping[str, Any],
    chart: bool,
    quiet: bool,
    output_format: str,
    curves: str = "auto",
    enedis_style: bool = False,
) -> None:
    """Run the engine with a progress bar, write the outputs, print the indicators."""
    from linkytool.acc import run_operation, write_outputs

    grid = operation.grid
    rows = grid.n_steps * (3 * len(operation.consumers) + 3 * len(operation.producers) + 6)
    keep = curves == "always" or (curves == "auto" and rows <= CURVES_ROW_LIMIT)
    if curves == "auto" and not keep:
        warn(
            f"curves.csv non écrit : {rows} lignes dépasseraient la limite de "
            f"{CURVES_ROW_LIMIT} (passez --curves always pour l'écrire quand même)."
        )
    with progress_line("Répartition", enabled=not quiet) as progress:
        result = run_operation(operation, progress=progress, keep_curves=keep)
    if enedis_style and operation.grid.step_s != 900:
        warn("Courbes au format Enedis non écrites : elles demandent le pas de 15 minutes.")
    written = write_outputs(
        result,
        outdir,
        convention=convention,
        options=used,
        chart=chart,
        enedis_style=enedis_style,
    )
    _report_run(result, outdir, written=written, output_format=output_format, quiet=quiet)
    stale = sorted(
        path.name
        for pattern in ("curves.csv", "production.png", "ACC*_*_*.xlsx")
        for path in outdir.glob(pattern)
        if path not in written
    )
    if stale:
        warn(
            "Attention : fichiers d'un calcul précédent laissés dans le dossier : "
            + ", ".join(stale)
            + " (report.json liste les fichiers de ce calcul)."
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
@click.option("--from", "from_day", help="Premier jour calculé (AAAA-MM-JJ, inclus).")
@click.option("--to", "to_day", help="Dernier jour calculé (AAAA-MM-JJ, inclus).")
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

    Écrit participants.csv, allocations.csv, curves.csv, la synthèse mensuelle
    ACC<convention>_<JJMMAAAA>_<JJMMAAAA>.xlsx, production.png et report.json, puis
    affiche les indicateurs de l'opération.
    """
    from linkytool.acc import LoadOptions, load_operation
    from linkytool.acc.model import GapPolicy, KeyKind, StaticExcess
    from linkytool.acc.outputs import normalise_convention

    first, last = _parse_day(from_day, "--from"), _parse_day(to_day, "--to")
    if (first is None) != (last is None):
        raise click.UsageError("--from et --to vont ensemble.")
    number = normalise_convention(convention)
    options = LoadOptions(
        key=KeyKind(key),
        static_excess=StaticExcess(static_excess),
        gaps=GapPolicy(gaps),
        timestamps="start" if timestamps == "start" else "end" if timestamps == "end" else None,
        step_minutes=None if step == "auto" else int(step),
        period=(first, last) if first and last else None,
    )
    with progress_line("Lecture", enabled=not quiet) as reading:
        operation = load_operation(
            consumers,
            producers,
            coefficients=coefficients,
            perimeter=perimeter,
            calendar=calendar,
            options=options,
            progress=reading,
        )
    used = {
        "key": key,
        "static_excess": static_excess if key == "static" else None,
        "gaps": gaps,
        "timestamps": timestamps,
        "step": step,
        "from": from_day,
        "to": to_day,
        "coefficients": None if coefficients is None else str(coefficients),
        "perimeter": None if perimeter is None else str(perimeter),
        "calendar": None if calendar is None else str(calendar),
        "curves": curves,
    }
    _allocate_and_write(
        operation,
        outdir,
        convention=number,
        used=used,
        chart=not no_chart,
        curves=curves,
        enedis_style=enedis_curves,
        quiet=quiet,
        output_format=output_format,
    )


@acc.command("demo")
@_outdir_option("Dossier où écrire les fichiers d'entrée (inputs/) et les résultats.")
@_key_option("static")
@click.option("--seed", type=int, default=2026, show_default=True, help="Graine des courbes.")
@_quiet_option
@format_option("table", "json", "csv")
def demo(outdir: Path, key: str, seed: int, quiet: bool, output_format: str) -> None:
    """Opération de démonstration : un producteur photovoltaïque, dix consommateurs, mars 2026.

    Génère des courbes réalistes (déterministes), les écrit dans OUTDIR/inputs/ au format
    documenté, puis les traite comme « acc run » et écrit les résultats dans OUTDIR.
    Un consommateur sort le 20 mars, un autre entre le 10 ; le 29 mars compte 92
    quarts d'heure (passage à l'heure d'été).
    """
    from linkytool.acc import build_demo_operation
    from linkytool.acc.model import KeyKind

    operation = build_demo_operation(outdir / "inputs", KeyKind(key), seed)
    used = {"key": key, "demo_seed": seed, "static_excess": "surplus" if key == "static" else None}
    _allocate_and_write(
        operation,
        outdir,
        convention="ACC00000000",
        used=used,
        chart=True,
        quiet=quiet,
        output_format=output_format,
    )
