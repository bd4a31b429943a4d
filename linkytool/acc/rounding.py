"""Published figures that add up.

A consumer's consumption is its self-consumed part plus its complement; a producer's
injection is its self-produced part plus its share of the surplus; the operation's
production is its self-consumption plus the collective surplus. Rounding the three figures
apart breaks that on paper (167,5 = 42,933 + 124,566 kWh): every output rounds the whole
and the allocated part, and derives the remainder from the two rounded values, with the
functions of this module (files, workbooks, the pane, the command's table).

Rounding is to the nearest multiple of a quantum given in the unit of the values (1 Wh
for kWh to 3 decimals, 100 Wh for 0,1 kWh, 1 W for curves), halves up: the energies are
rounded from Wh, not from kWh, so that 402,5 Wh is 0,403 kWh whatever the binary
representation of 0,4025.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from linkytool.acc.model import FloatArray

if TYPE_CHECKING:
    from linkytool.acc.engine import AccResult


def add_up(
    whole: Any, part: Any, quantum: float = 1.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``whole`` and ``part`` rounded to the nearest multiple of ``quantum`` (halves up),
    and ``whole - part`` from the rounded values: the three add up exactly as printed.

    Numbers or arrays of the same shape, in the unit of ``quantum``, ``0 <= part <=
    whole`` (the part is capped at the whole, so the remainder is never negative).
    """
    rounded_whole = np.floor(np.asarray(whole, dtype=np.float64) / quantum + 0.5) + 0.0
    rounded_part = np.floor(np.asarray(part, dtype=np.float64) / quantum + 0.5)
    rounded_part = np.minimum(rounded_part, rounded_whole) + 0.0  # + 0.0: never -0
    rest = rounded_whole - rounded_part
    return rounded_whole * quantum, rounded_part * quantum, rest * quantum


def published_energies(
    consumption_wh: float, production_wh: float, self_consumed_wh: float, quantum_wh: float
) -> dict[str, float]:
    """The operation's energy indicators [kWh] rounded to ``quantum_wh``, the surplus
    derived so that production = self-consumption + surplus as printed."""
    production, own, surplus = add_up(production_wh, self_consumed_wh, quantum_wh)
    consumption = add_up(consumption_wh, 0.0, quantum_wh)[0]
    return {
        "consumption_kwh": float(consumption) / 1000,
        "production_kwh": float(production) / 1000,
        "self_consumed_kwh": float(own) / 1000,
        "surplus_kwh": float(surplus) / 1000,
    }


def published_indicators(result: AccResult, quantum_wh: float = 1.0) -> dict[str, float | None]:
    """:meth:`AccResult.indicators` as published: energies rounded to ``quantum_wh`` by
    :func:`published_energies`, rates unchanged."""
    values = result.indicators()
    values.update(
        published_energies(
            float(result.consumption_wh.sum()),
            float(result.injection_wh.sum()),
            float(result.self_consumed_wh.sum()),
            quantum_wh,
        )
    )
    return values


__all__ = ["add_up", "published_energies", "published_indicators"]
