"""The ACC pane's calls into ``linkytool.acc`` (no Textual): load, run, write, display data.

Everything computed comes from ``linkytool.acc``; this module only sequences the calls
for the UI and reshapes the result into table rows and chart series.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Points of the production / self-consumption sparklines (one per day-sized bucket).
CHART_POINTS = 120


def write_demo_inputs(directory: Path) -> dict[str, Path | str]:
    """Write the bundled demo operation's input files; return the pane's field values."""
    raise NotImplementedError  # wired when linkytool.acc exposes its demo generator


def run_acc(
    consumers: Path,
    producers: Path,
    key: str,
    coefficients: Path | None,
    outdir: Path | None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Load the operation, allocate it (reporting progress) and write the outputs."""
    raise NotImplementedError  # wired when linkytool.acc exposes load_operation


def _kwh(value: float) -> str:
    return f"{value / 1000:,.1f}".replace(",", "\u202f").replace(".", ",")


def participant_rows(result: Any) -> list[tuple[str, ...]]:
    """One row per participant: role, PRM, then energies [kWh] (empty where not relevant)."""
    rows: list[tuple[str, ...]] = []
    operation = result.operation
    complement = result.complement_wh
    for index, prm in enumerate(operation.consumers):
        rows.append(
            (
                "consommateur",
                prm,
                _kwh(result.consumption_wh[index]),
                _kwh(result.self_consumed_wh[index]),
                _kwh(complement[index]),
                "",
                "",
                "",
            )
        )
    for index, prm in enumerate(operation.producers):
        rows.append(
            (
                "producteur",
                prm,
                "",
                "",
                "",
                _kwh(result.injection_wh[index]),
                _kwh(result.self_produced_wh[index]),
                _kwh(result.surplus_wh[index]),
            )
        )
    return rows


def chart_series(result: Any, points: int = CHART_POINTS) -> tuple[list[float], list[float], str]:
    """Production and self-consumed mean power per bucket [W], and a French caption."""
    from linkytool.acc.engine import OPERATION_QUANTITIES

    curves = result.operation_curves
    production = curves[:, OPERATION_QUANTITIES.index("production")]
    self_consumed = curves[:, OPERATION_QUANTITIES.index("self_consumed")]
    n = len(production)
    if n == 0:
        return [], [], "Aucun pas de temps."
    size = max(1, -(-n // points))
    buckets = range(0, n, size)
    prod = [float(production[i : i + size].mean()) for i in buckets]
    selfc = [float(self_consumed[i : i + size].mean()) for i in buckets]
    hours = size * result.grid.step_s / 3600
    caption = (
        f"Production (haut) et autoconsommé (bas), moyenne par {hours:g} h "
        f"sur {n} pas ; max {max(prod) / 1000:.1f} kW"
    ).replace(".", ",")
    return prod, selfc, caption
