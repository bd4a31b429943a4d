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

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from linkytool.acc.model import FloatArray, IntArray

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


def _halves_up(values: Any, quantum: float) -> IntArray:
    """``values`` in units of ``quantum``, rounded halves up, as integers."""
    units: IntArray = np.floor(np.asarray(values, dtype=np.float64) / quantum + 0.5).astype(
        np.int64
    )
    return units


def _shift(units: IntArray, amount: int, room: IntArray, priority: FloatArray) -> int:
    """Add ``amount`` (remove, when negative) units to ``units`` in place, at most
    ``room[k]`` to entry ``k``: one unit each first, in order of ``priority`` (highest
    first), then as many as fit in that order. Returns what could not be placed."""
    sign = 1 if amount > 0 else -1
    left = abs(amount)
    order = np.argsort(-priority, kind="stable")
    for first_pass in (True, False):
        for k in order:
            if left == 0:
                return 0
            step = min(left, int(room[k]), 1 if first_pass else left)
            units[k] += sign * step
            room[k] -= step
            left -= step
    return sign * left


def _apportion_columns(pairs: FloatArray, totals: IntArray) -> IntArray:
    """Each column ``i`` of ``pairs`` scaled to sum ``totals[i]`` and rounded by largest
    remainders: integers that add up to ``totals[i]`` exactly."""
    weights = pairs.sum(axis=0)
    safe = np.where(weights > 0, weights, 1.0)
    share = np.where(weights > 0, pairs * (totals / safe), 1.0 / pairs.shape[0] * totals)
    floor = np.floor(share)
    missing = (totals - floor.sum(axis=0)).astype(np.int64)
    rank = np.argsort(np.argsort(floor - share, axis=0, kind="stable"), axis=0, kind="stable")
    table: IntArray = (floor + (rank < missing)).astype(np.int64)
    return table


def _balance_rows(table: IntArray, rows: IntArray, pairs: FloatArray) -> None:
    """Move units within columns (the column sums stay) until each row ``p`` of ``table``
    sums to ``rows[p]``; a unit goes preferably where ``pairs`` has production, from the
    cell most above its exact share to the one most below it."""
    exact = pairs * (table.sum(axis=0) / np.where(pairs.sum(axis=0) > 0, pairs.sum(axis=0), 1.0))
    excess = table.sum(axis=1) - rows
    while (excess > 0).any():
        p, q = int(np.argmax(excess)), int(np.argmin(excess))
        score = (table[p] - exact[p]) + (exact[q] - table[q]) + np.where(pairs[q] > 0, 0, -1e18)
        score = np.where(table[p] > 0, score, -np.inf)
        i = int(np.argmax(score))
        amount = min(int(excess[p]), int(-excess[q]), int(table[p, i]))
        table[p, i] -= amount
        table[q, i] += amount
        excess[p] -= amount
        excess[q] += amount


@dataclass(frozen=True)
class PublishedParticipants:
    """Per-participant energies as published, in the unit of the values given (Wh):
    each consumer's ``consumption = self_consumed + complement``, each producer's
    ``injection = self_produced + surplus``, and the allocation table ``pairs[p, i]``
    whose column ``i`` sums to ``self_consumed[i]`` and row ``p`` to
    ``self_produced[p]``."""

    consumption: FloatArray
    self_consumed: FloatArray
    complement: FloatArray
    injection: FloatArray
    self_produced: FloatArray
    surplus: FloatArray
    pairs: FloatArray


def add_up_table(
    consumption: Any,
    self_consumed: Any,
    injection: Any,
    self_produced: Any,
    pairs: Any,
    *,
    quantum: float = 1.0,
) -> PublishedParticipants:
    """Round the participants' figures and the allocation table so that all add up.

    Consumption, self-consumed part and injection are rounded halves up (:func:`add_up`).
    The allocation table (producer ``p`` self-consumed by consumer ``i``) cannot be rounded
    cell by cell (0,0625 + 0,0625 kWh printed 0,062 + 0,062 = 0,124 beside a consumer's
    0,125), so each consumer's self-consumed figure is shared among its producers by
    largest remainders, and a producer's self-produced figure is the sum of its row: its
    own rounding, moved by the units the consumers' roundings need (one each first, the
    producers rounded down most first), never above its injection. When the consumers'
    rounded figures exceed the rounded injection (everything self-consumed, each rounded
    up), the excess units are taken back from the consumers rounded up most. The cells
    then move within their column until each row has its sum.
    """
    exact_pairs = np.maximum(np.asarray(pairs, dtype=np.float64), 0.0)
    used = _halves_up(consumption, quantum)
    own = np.minimum(_halves_up(self_consumed, quantum), used)
    injected = _halves_up(injection, quantum)
    produced = np.minimum(_halves_up(self_produced, quantum), injected)
    exact_own = np.asarray(self_consumed, dtype=np.float64) / quantum
    exact_produced = np.asarray(self_produced, dtype=np.float64) / quantum
    short = int(own.sum() - produced.sum())
    if short > 0:
        short = _shift(produced, short, injected - produced, exact_produced - produced)
        if short > 0:  # the producers cannot take more: consumers give units back
            _shift(own, -short, own.copy(), own - exact_own)
    elif short < 0:
        _shift(produced, short, produced.copy(), produced - exact_produced)
    table = _apportion_columns(exact_pairs / quantum, own)
    _balance_rows(table, produced, exact_pairs)

    def wh(units: IntArray) -> FloatArray:
        values: FloatArray = units.astype(np.float64) * quantum + 0.0  # + 0.0: never -0
        return values

    return PublishedParticipants(
        consumption=wh(used),
        self_consumed=wh(own),
        complement=wh(used - own),
        injection=wh(injected),
        self_produced=wh(produced),
        surplus=wh(injected - produced),
        pairs=wh(table),
    )


def published_participants(result: AccResult, quantum_wh: float = 1.0) -> PublishedParticipants:
    """The participants' energies [Wh] of ``result`` as published (:func:`add_up_table`)."""
    return add_up_table(
        result.consumption_wh,
        result.self_consumed_wh,
        result.injection_wh,
        result.self_produced_wh,
        result.pairs_wh,
        quantum=quantum_wh,
    )


__all__ = [
    "PublishedParticipants",
    "add_up",
    "add_up_table",
    "published_energies",
    "published_indicators",
    "published_participants",
]
