"""The ACC pane's calls into ``linkytool.acc`` (no Textual): load, run, write, display data.

Everything computed comes from ``linkytool.acc``; this module only sequences the calls
for the UI and reshapes the result into table rows and chart series.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Most points of the production / self-consumption sparklines for short periods.
CHART_POINTS = 120

#: Enedis's ACC convention number: ``ACC`` then 8 digits.
CONVENTION_PATTERN = re.compile(r"ACC\d{8}")

#: French labels of the option values shown with the results (value -> label).
KEY_LABELS = {
    "default": "clé par défaut (prorata)",
    "static": "clé statique",
    "dynamic": "clé dynamique simple",
    "full": "clé dynamique complète",
}
STATIC_EXCESS_LABELS = {
    "surplus": "au surplus collectif",
    "redistribute": "redistribuée aux autres consommateurs",
}
GAPS_LABELS = {
    "error": "erreur",
    "zero": "comptés 0 W",
    "default-key": "0 W et clé par défaut sur ces pas",
}


@dataclass(frozen=True)
class AccSettings:
    """The options of one run that change the result, as the CLI's ``acc run`` takes them."""

    key: str = "default"
    #: Static key only: fate of the share a consumer cannot absorb.
    static_excess: str = "surplus"
    #: Missing steps in the load curves: ``error``, ``zero`` or ``default-key``.
    gaps: str = "error"
    #: Validated convention number (``ACC`` + 8 digits) or "" for the engine's default.
    convention: str = ""


def check_convention(text: str) -> str | None:
    """``acc00000112`` -> ``ACC00000112``; "" stays ""; anything else -> None (invalid)."""
    number = text.strip().upper()
    if not number:
        return ""
    return number if CONVENTION_PATTERN.fullmatch(number) else None


def applied_options(settings: AccSettings, files: dict[str, Path | None]) -> dict[str, Any]:
    """The options actually used, as written in report.json's ``options`` (like the CLI)."""
    from linkytool.acc.outputs import normalise_convention

    return {
        "key": settings.key,
        "static_excess": settings.static_excess if settings.key == "static" else None,
        "gaps": settings.gaps,
        "convention": normalise_convention(settings.convention or None),
        **{
            name: None if files.get(name) is None else str(files.get(name))
            for name in ("coefficients", "perimeter", "calendar")
        },
    }


def options_lines(options: dict[str, Any]) -> list[str]:
    """French one-line descriptions of :func:`applied_options`, for the results view."""
    key = str(options.get("key"))
    lines = [f"Clé : {KEY_LABELS.get(key, key)}"]
    excess = options.get("static_excess")
    if excess:
        lines.append(
            f"Part non absorbable (clé statique) : {STATIC_EXCESS_LABELS.get(excess, excess)}"
        )
    gaps = str(options.get("gaps"))
    lines.append(f"Pas manquants : {GAPS_LABELS.get(gaps, gaps)}")
    lines.append(f"Convention : {options.get('convention')}")
    for name, label in (
        ("coefficients", "Coefficients"),
        ("perimeter", "Périmètre"),
        ("calendar", "Calendrier"),
    ):
        value = options.get(name)
        if value:
            lines.append(f"{label} : {Path(value).name}")
    return lines


def write_demo_inputs(directory: Path, key: str = "static") -> dict[str, Path | str]:
    """Write the bundled demo operation's input files; return the pane's field values."""
    from linkytool.acc import KeyKind
    from linkytool.acc import write_demo_inputs as write_inputs

    paths = write_inputs(directory, KeyKind(key))
    fields: dict[str, Path | str] = {name: path for name, path in paths.items()}
    fields["key"] = key
    return fields


def run_acc(
    files: dict[str, Path | None],
    settings: AccSettings,
    outdir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Load the operation, allocate it (reporting progress) and write the outputs.

    ``files`` maps ``consumers``, ``producers`` (required), ``coefficients``,
    ``perimeter`` and ``calendar`` (optional) to paths. ``settings`` are passed to the
    engine as the CLI's ``--key``, ``--static-excess``, ``--gaps`` and ``--convention``.
    """
    from linkytool.acc import (
        GapPolicy,
        KeyKind,
        LoadOptions,
        StaticExcess,
        load_operation,
        run_operation,
        write_outputs,
    )
    from linkytool.acc.engine import default_chunk_steps

    consumers, producers = files.get("consumers"), files.get("producers")
    assert consumers is not None and producers is not None
    operation = load_operation(
        [consumers],
        [producers],
        coefficients=files.get("coefficients"),
        perimeter=files.get("perimeter"),
        calendar=files.get("calendar"),
        options=LoadOptions(
            key=KeyKind(settings.key),
            static_excess=StaticExcess(settings.static_excess),
            gaps=GapPolicy(settings.gaps),
        ),
    )
    # About 40 progress updates (at least a day of steps each), never above the engine's chunk.
    steps = operation.grid.n_steps
    chunk = min(default_chunk_steps(operation), max(96, steps // 40))
    result = run_operation(operation, progress=progress, chunk_steps=chunk)
    if outdir is not None:
        write_outputs(
            result,
            outdir,
            convention=settings.convention or None,
            options=applied_options(settings, files),
        )
    return result


def _kwh(value: float) -> str:
    return f"{value / 1000:,.1f}".replace(",", "\u202f").replace(".", ",")


#: Column titles of the consumers' and producers' tables (energies over the period [kWh]).
CONSUMER_COLUMNS = ("PRM consommateur", "Conso. kWh", "Autocons. kWh", "Complément kWh")
PRODUCER_COLUMNS = ("PRM producteur", "Injection kWh", "Autoprod. kWh", "Surplus kWh")


def consumer_rows(result: Any) -> list[tuple[str, ...]]:
    """One row per consumer: PRM, consumption, self-consumed, complement [kWh]."""
    complement = result.complement_wh
    return [
        (
            prm,
            _kwh(result.consumption_wh[index]),
            _kwh(result.self_consumed_wh[index]),
            _kwh(complement[index]),
        )
        for index, prm in enumerate(result.operation.consumers)
    ]


def producer_rows(result: Any) -> list[tuple[str, ...]]:
    """One row per producer: PRM, injection, self-produced (shared), surplus [kWh]."""
    return [
        (
            prm,
            _kwh(result.injection_wh[index]),
            _kwh(result.self_produced_wh[index]),
            _kwh(result.surplus_wh[index]),
        )
        for index, prm in enumerate(result.operation.producers)
    ]


def chart_series(result: Any, points: int = CHART_POINTS) -> tuple[list[float], list[float], str]:
    """Production and self-consumed mean power per bucket [W], and a French caption."""
    from linkytool.acc.engine import OPERATION_QUANTITIES

    curves = result.operation_curves
    production = curves[:, OPERATION_QUANTITIES.index("production")]
    self_consumed = curves[:, OPERATION_QUANTITIES.index("self_consumed")]
    n = len(production)
    if n == 0:
        return [], [], "Aucun pas de temps."
    per_hour = max(1, round(3600 / result.grid.step_s))
    per_day = 24 * per_hour
    if n >= 7 * per_day:
        size, unit = per_day, "jour"
    else:
        size, unit = max(per_hour, -(-n // points)), "heure"
    buckets = range(0, n, size)
    prod = [float(production[i : i + size].mean()) for i in buckets]
    selfc = [float(self_consumed[i : i + size].mean()) for i in buckets]
    caption = (
        f"Production (jaune) dont autoconsommé (vert), moyenne par {unit} ; "
        f"pic {max(prod) / 1000:.1f} kW"
    ).replace(".", ",")
    return prod, selfc, caption
