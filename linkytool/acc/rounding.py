"""Published figures that add up.

A consumer's consumption is its self-consumed part plus its complement; a producer's
injection is its self-produced part plus its share of the surplus; the operation's
production is its self-consumption plus the collective surplus. Rounding the three figures
apart breaks that on paper (167,5 = 42,933 + 124,566 kWh): every output rounds the whole
and the allocated part, and derives the remainder from the two rounded values, with the
functions of this module. The participants' energies are rounded once
(:func:`publish`, cached as ``AccResult.published``) and every output renders that one
result (participants.csv, allocations.csv, the workbooks, the pane, the command's table),
so no two of them can differ in the last place.

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


def published_indicators(result: AccResult) -> dict[str, float | None]:
    """:meth:`AccResult.indicators` as published: energies [kWh] the sums of
    participants.csv's columns (:meth:`PublishedFigures.energies`), rates unchanged."""
    values = result.indicators()
    values.update(result.published.energies())
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
        if amount <= 0:  # rows and columns sum to different totals: a caller's bug
            raise ValueError("row and column totals differ: the table cannot balance")
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


def published_participants(result: AccResult) -> PublishedParticipants:
    """The participants' energies [Wh] of ``result`` as published (:func:`add_up_table`,
    computed once: :attr:`AccResult.published`)."""
    return result.published.participants


@dataclass(frozen=True)
class PublishedMonth:
    """One month's energies as published [Wh]: ``consumption[c, i]``, ``self_consumed[c,
    i]``, ``complement[c, i]`` per time-of-use class ``c`` and consumer ``i``;
    ``injection[p]``, ``self_produced[p]``, ``surplus[p]`` per producer. Every row adds
    up, and the producers' self-produced figures add up to the consumers' self-consumed
    ones (the workbook's sheets and its indicators agree)."""

    consumption: FloatArray
    self_consumed: FloatArray
    complement: FloatArray
    injection: FloatArray
    self_produced: FloatArray
    surplus: FloatArray

    def energies(self) -> dict[str, float]:
        """The month's energy indicators [kWh]: the sums of its published rows."""
        return _energies(self.consumption, self.injection, self.self_consumed, self.surplus)


def _energies(
    consumption: FloatArray, injection: FloatArray, self_consumed: FloatArray, surplus: FloatArray
) -> dict[str, float]:
    return {
        "consumption_kwh": float(consumption.sum()) / 1000,
        "production_kwh": float(injection.sum()) / 1000,
        "self_consumed_kwh": float(self_consumed.sum()) / 1000,
        "surplus_kwh": float(surplus.sum()) / 1000,
    }


@dataclass(frozen=True)
class PublishedFigures:
    """Every energy linkytool publishes for one result, rounded once to 1 Wh (kWh to 3
    decimals): participants.csv and allocations.csv (``participants``), each monthly
    workbook (``months``), the command's table and the pane render these numbers, so no
    two outputs can differ in the last place."""

    participants: PublishedParticipants
    months: tuple[PublishedMonth, ...]

    def energies(self) -> dict[str, float]:
        """The operation's energy indicators [kWh]: sums of participants.csv's columns
        (production = self-consumption + surplus as printed)."""
        t = self.participants
        return _energies(t.consumption, t.injection, t.self_consumed, t.surplus)


def _split(exact: FloatArray, totals: FloatArray) -> IntArray:
    """Each column ``i`` of ``exact`` (cells, entities) shared into integers summing to
    ``totals[i]`` (whole units) by largest remainders."""
    if exact.shape[0] == 0:  # no month (an empty period): nothing to share
        return np.zeros(exact.shape, dtype=np.int64)
    return _apportion_columns(np.maximum(exact, 0.0), np.rint(totals).astype(np.int64))


def publish(result: AccResult) -> PublishedFigures:
    """Round ``result``'s energies once, for every output (see :class:`PublishedFigures`).

    The monthly figures are shares of the period's published figures, so a one-month
    period's workbook shows participants.csv's numbers and the months of a longer period
    add up to them: each consumer's self-consumed figure and its complement are shared
    among its (month, class) cells by largest remainders (consumption = the two), each
    producer's surplus among its months the same way, and its self-produced figure among
    its months so that each month's producers add up to that month's consumers
    (:func:`_balance_rows`); injection = self-produced + surplus.
    """
    period = add_up_table(
        result.consumption_wh,
        result.self_consumed_wh,
        result.injection_wh,
        result.self_produced_wh,
        result.pairs_wh,
    )
    consumer = result.consumer_monthly_wh  # (months, classes, consumers, 2)
    producer = result.producer_monthly_wh  # (months, producers, 3)
    n_m, n_k, n_c = consumer.shape[:3]
    n_p = producer.shape[1]
    exact_own = consumer[..., 1].reshape(n_m * n_k, n_c)
    exact_rest = np.maximum(consumer[..., 0] - consumer[..., 1], 0.0).reshape(n_m * n_k, n_c)
    own = _split(exact_own, period.self_consumed).reshape(n_m, n_k, n_c)
    rest = _split(exact_rest, period.complement).reshape(n_m, n_k, n_c)
    surplus = _split(producer[..., 2], period.surplus)
    exact_produced = np.maximum(producer[..., 1], 0.0)
    produced = _split(exact_produced, period.self_produced)
    if n_m > 1 and n_p:
        _balance_rows(produced, own.sum(axis=(1, 2)), exact_produced)
    months = tuple(
        PublishedMonth(
            consumption=(own[m] + rest[m]).astype(np.float64),
            self_consumed=own[m].astype(np.float64),
            complement=rest[m].astype(np.float64),
            injection=(produced[m] + surplus[m]).astype(np.float64),
            self_produced=produced[m].astype(np.float64),
            surplus=surplus[m].astype(np.float64),
        )
        for m in range(n_m)
    )
    return PublishedFigures(period, months)


__all__ = [
    "PublishedFigures",
    "PublishedMonth",
    "PublishedParticipants",
    "add_up",
    "add_up_table",
    "publish",
    "published_indicators",
    "published_participants",
]
