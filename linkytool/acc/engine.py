"""The allocation engine: runs an :class:`Operation` chunk by chunk over its period.

Memory stays bounded by the chunk size (steps x consumers x producers), not by the period:
per-participant totals, monthly and time-of-use totals, the producer x consumer matrix and
the four operation curves are accumulated as each chunk is computed. Per-participant curves
are kept only when asked (``keep_curves``, needed for curves.csv).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from linkytool.acc import kernels
from linkytool.acc.errors import CoefficientError, OptionRef
from linkytool.acc.model import BoolArray, FloatArray, IntArray, KeyKind, Operation, StaticExcess
from linkytool.acc.timegrid import TimeGrid, format_local_french
from linkytool.textfmt import french_count, french_number

if TYPE_CHECKING:
    from linkytool.acc.rounding import PublishedFigures

Progress = Callable[[int, int], None]

#: Elements (steps x consumers x producers) per chunk: about 32 MB per float64 array.
CHUNK_ELEMENTS = 4_000_000

#: Operation curve columns (``AccResult.operation_curves``).
OPERATION_QUANTITIES = ("consumption", "production", "self_consumed", "surplus")


@dataclass
class AccResult:
    """Everything computed for an operation. Energies in Wh, curves in W.

    Per consumer: ``consumption_wh``, ``self_consumed_wh`` (``complement_wh`` derived).
    Per producer: ``injection_wh``, ``self_produced_wh``, ``surplus_wh``.
    ``pairs_wh[p, i]``: production of producer ``p`` self-consumed by consumer ``i``.
    ``consumer_monthly_wh[m, c, i, q]``: month ``m`` (see ``months``), time-of-use class
    ``c``, consumer ``i``, quantity ``q`` (0 consumption, 1 self-consumed).
    ``producer_monthly_wh[m, p, q]``: q = 0 injection, 1 self-produced, 2 surplus.
    ``operation_curves[t, q]`` in the order of :data:`OPERATION_QUANTITIES`.
    """

    operation: Operation
    consumption_wh: FloatArray
    self_consumed_wh: FloatArray
    injection_wh: FloatArray
    self_produced_wh: FloatArray
    surplus_wh: FloatArray
    pairs_wh: FloatArray
    months: list[tuple[int, int, int]]
    consumer_monthly_wh: FloatArray
    producer_monthly_wh: FloatArray
    operation_curves: FloatArray
    #: Steps where the default key stood in for missing coefficients.
    default_key_steps: IntArray
    #: Steps computed with the default key because of gaps (gap policy ``default-key``).
    gap_default_steps: IntArray
    elapsed_s: float
    consumer_curves: dict[str, FloatArray] = field(default_factory=dict)
    producer_curves: dict[str, FloatArray] = field(default_factory=dict)

    @property
    def grid(self) -> TimeGrid:
        return self.operation.grid

    @property
    def complement_wh(self) -> FloatArray:
        """Complement bought from each consumer's supplier [Wh]."""
        result: FloatArray = np.maximum(self.consumption_wh - self.self_consumed_wh, 0.0)
        return result

    @cached_property
    def published(self) -> PublishedFigures:
        """Every energy as published, rounded once (participants.csv, allocations.csv, the
        workbooks, the command's table and the pane all show these numbers)."""
        from linkytool.acc.rounding import publish

        return publish(self)

    def indicators(self) -> dict[str, float | None]:
        """Operation indicators (annex 2 §9.2.1.4): energies [kWh] and rates (0..1)."""
        return indicators(
            float(self.consumption_wh.sum()),
            float(self.injection_wh.sum()),
            float(self.self_consumed_wh.sum()),
            float(self.surplus_wh.sum()),
        )


def indicators(
    consumption_wh: float, production_wh: float, self_consumed_wh: float, surplus_wh: float
) -> dict[str, float | None]:
    """Indicators from operation totals [Wh]; a rate is ``None`` when undefined."""

    def rate(numerator: float, denominator: float) -> float | None:
        return numerator / denominator if denominator > 0 else None

    return {
        "consumption_kwh": consumption_wh / 1000,
        "production_kwh": production_wh / 1000,
        "self_consumed_kwh": self_consumed_wh / 1000,
        "surplus_kwh": surplus_wh / 1000,
        "self_consumption_rate": rate(self_consumed_wh, production_wh),
        "self_production_rate": rate(self_consumed_wh, consumption_wh),
        "coverage_rate": rate(production_wh, consumption_wh),
    }


def default_chunk_steps(operation: Operation) -> int:
    """Steps per chunk so that the largest block stays near :data:`CHUNK_ELEMENTS`."""
    width = max(1, len(operation.consumers))
    if operation.key is KeyKind.FULL:
        width *= max(1, len(operation.producers))
    return max(96, min(operation.grid.n_steps, CHUNK_ELEMENTS // width))


def window_mask(windows: IntArray | None, first: int, stop: int) -> BoolArray | None:
    """Whether each participant is in the perimeter at steps ``first..stop`` (None: all
    of them, always)."""
    if windows is None:
        return None
    steps = np.arange(first, stop)[:, None]
    mask: BoolArray = (steps >= windows[None, :, 0]) & (steps < windows[None, :, 1])
    return mask


def _add_by_runs(target: FloatArray, groups: IntArray, values: FloatArray) -> None:
    """``target[g] += sum of the rows of values whose group is g``, in one pass.

    Groups (month, time-of-use class) come in runs of consecutive steps: sum each run with
    ``reduceat``, then add the few run sums to their group.
    """
    starts = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1])))
    if starts.size > 256:  # many short runs: one reduceat call
        np.add.at(target, groups[starts], np.add.reduceat(values, starts, axis=0))
        return
    stops = [*starts[1:].tolist(), groups.size]
    for first, stop in zip(starts.tolist(), stops, strict=True):
        target[groups[first]] += values[first:stop].sum(axis=0)  # contiguous: fast


class _Accumulator:
    """Sums of one run, filled chunk by chunk."""

    def __init__(self, operation: Operation, keep_curves: bool) -> None:
        grid = operation.grid
        n_c, n_p = len(operation.consumers), len(operation.producers)
        self.months = grid.months()
        self.month_pos = np.zeros(grid.n_steps, dtype=np.int64)
        for pos, (_, first, stop) in enumerate(self.months):
            self.month_pos[first:stop] = pos
        n_classes = len(operation.tou_classes)
        tou = operation.tou_index
        self.tou = np.zeros(grid.n_steps, dtype=np.int64) if tou is None else tou
        self.n_classes = n_classes
        self.consumer_groups = np.zeros((len(self.months) * n_classes, n_c, 2))
        self.producer_monthly = np.zeros((len(self.months), n_p, 3))
        self.pairs = np.zeros((n_p, n_c))
        self.curves = np.zeros((grid.n_steps, 4))
        self.default_steps: list[IntArray] = []
        self.over_steps: list[IntArray] = []
        self.keep = keep_curves
        if keep_curves:
            self.c_curves = {
                name: np.zeros((grid.n_steps, n_c)) for name in ("consumption", "self_consumed")
            }
            self.p_curves = {
                name: np.zeros((grid.n_steps, n_p))
                for name in ("injection", "self_produced", "surplus")
            }

    def add(
        self,
        first: int,
        stop: int,
        *,
        consumption: FloatArray,
        self_consumed: FloatArray,
        injection: FloatArray,
        self_produced: FloatArray,
        surplus: FloatArray,
    ) -> None:
        groups = self.month_pos[first:stop] * self.n_classes + self.tou[first:stop]
        _add_by_runs(self.consumer_groups[:, :, 0], groups, consumption)
        _add_by_runs(self.consumer_groups[:, :, 1], groups, self_consumed)
        months = self.month_pos[first:stop]
        for q, values in enumerate((injection, self_produced, surplus)):
            _add_by_runs(self.producer_monthly[:, :, q], months, values)
        block = self.curves[first:stop]
        block[:, 0] = consumption.sum(axis=1)
        block[:, 1] = injection.sum(axis=1)
        block[:, 2] = self_consumed.sum(axis=1)
        block[:, 3] = surplus.sum(axis=1)
        if self.keep:
            self.c_curves["consumption"][first:stop] = consumption
            self.c_curves["self_consumed"][first:stop] = self_consumed
            self.p_curves["injection"][first:stop] = injection
            self.p_curves["self_produced"][first:stop] = self_produced
            self.p_curves["surplus"][first:stop] = surplus


def _static_shares(operation: Operation, first: int, stop: int) -> tuple[IntArray, list[Any]]:
    """Index of the static set of each step of the block (-1 before the first set)."""
    starts = np.array([s.first_step for s in operation.static_sets], dtype=np.int64)
    steps = np.arange(first, stop)
    index: IntArray = np.searchsorted(starts, steps, side="right") - 1
    return index, list(operation.static_sets)


def _allocate_block(
    operation: Operation,
    first: int,
    stop: int,
    *,
    consumption: FloatArray,
    injection: FloatArray,
    active: BoolArray | None,
    acc: _Accumulator,
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Self-consumed ``(steps, consumers)`` and allocated ``(steps, producers)`` of a block.

    Also returns the steps of the block that fell back to the default key.
    """
    production = injection.sum(axis=1)
    n = stop - first
    fallback = np.zeros(n, dtype=np.bool_)
    if operation.forced_default is not None:
        fallback |= operation.forced_default[first:stop]
    allocated: FloatArray | None = None
    key = operation.key
    if key is KeyKind.DEFAULT:
        self_consumed = kernels.allocate_default(consumption, production)
    elif key is KeyKind.STATIC:
        index, sets = _static_shares(operation, first, stop)
        fallback |= index < 0
        set_ids = np.unique(index[index >= 0])
        whole = set_ids.size == 1 and not fallback.any()
        self_consumed = np.empty_like(consumption) if whole else np.zeros_like(consumption)
        for set_index in set_ids:
            rows = np.flatnonzero(index == set_index)
            sl = slice(int(rows[0]), int(rows[-1]) + 1)  # contiguous: sets follow in time
            shares = sets[int(set_index)].coefficients
            if operation.static_excess is StaticExcess.REDISTRIBUTE:
                part = kernels.allocate_static_redistribute(
                    consumption[sl],
                    production[sl],
                    shares,
                    None if active is None else active[sl],
                )
            else:
                part = kernels.allocate_shares(consumption[sl], production[sl], shares)
            if whole:
                self_consumed = part
            else:
                self_consumed[sl] = part
    else:
        if operation.coefficients is None:
            raise CoefficientError(
                "La clé dynamique demande un fichier de coefficients.",
                hint="Donnez {0}, ou choisissez {1}.",
                options=(OptionRef("coefficients"), OptionRef("key", "default")),
            )
        shares, covered = operation.coefficients.chunk(first, stop)
        over = kernels.over_allocated_steps(shares) & covered
        if over.any():
            acc.over_steps.append(np.flatnonzero(over) + first)
        fallback |= ~covered
        use = ~fallback
        if key is KeyKind.DYNAMIC:
            self_consumed = kernels.allocate_shares(consumption, production, shares)
        else:
            self_consumed = np.zeros_like(consumption)
            allocated = np.zeros_like(injection)
            if use.any():
                rows_used: slice | IntArray = slice(None) if use.all() else np.flatnonzero(use)
                full = kernels.allocate_full(
                    consumption[rows_used], injection[rows_used], shares[rows_used]
                )
                self_consumed[rows_used] = full.self_consumed
                allocated[rows_used] = full.allocated
                acc.pairs += full.pairs
    if fallback.any():
        rows = np.flatnonzero(fallback)
        self_consumed[rows] = kernels.allocate_default(consumption[rows], production[rows])
    pooled: slice | IntArray
    if allocated is None:
        pooled = slice(None)
        allocated = kernels.pooled_allocation(self_consumed.sum(axis=1), injection)
    else:
        pooled = np.flatnonzero(fallback)
        if pooled.size:
            allocated[pooled] = kernels.pooled_allocation(
                self_consumed[pooled].sum(axis=1), injection[pooled]
            )
    pooled_injection = injection[pooled]
    if pooled_injection.shape[0]:
        totals = pooled_injection.sum(axis=1, keepdims=True)
        weights = np.divide(
            pooled_injection, totals, out=np.zeros_like(pooled_injection), where=totals > 0
        )
        pooled_consumed = self_consumed[pooled]
        if weights.shape[1] == 1:  # one producer: all of it (A = 0 where P = 0)
            acc.pairs[0] += pooled_consumed.sum(axis=0)
        else:  # elementwise then column sums: faster than a gemv here
            for producer in range(weights.shape[1]):
                acc.pairs[producer] += (pooled_consumed * weights[:, producer, None]).sum(axis=0)
    return self_consumed, allocated, fallback


def run_operation(
    operation: Operation,
    *,
    progress: Progress | None = None,
    keep_curves: bool = True,
    chunk_steps: int | None = None,
) -> AccResult:
    """Allocate the production of ``operation`` step by step, chunk by chunk.

    ``progress(done_steps, total_steps)`` is called after each chunk. Raises
    :class:`CoefficientError` (listing the steps) if coefficients of a producer sum over
    100 % at some step.
    """
    started = time.perf_counter()
    grid = operation.grid
    n_c = len(operation.consumers)
    if operation.key is KeyKind.STATIC and not operation.static_sets:
        raise CoefficientError(
            "La clé statique demande un fichier de coefficients (prm,coefficient).",
            hint="Donnez {0}, ou choisissez {1}.",
            options=(OptionRef("coefficients"), OptionRef("key", "default")),
        )
    for static_set in operation.static_sets:
        total = float(static_set.coefficients.sum())
        if total > 1.0 + kernels.SUM_TOLERANCE:
            raise CoefficientError(
                f"les coefficients statiques{' ' + static_set.label if static_set.label else ''}"
                f" totalisent {french_number(total * 100, '.4f')} %, plus de 100 %.",
                path=operation.coefficients_path,
                hint="Réduisez les coefficients pour que leur somme ne dépasse pas 100 %.",
            )
    acc = _Accumulator(operation, keep_curves)
    step = chunk_steps or default_chunk_steps(operation)
    hours = grid.step_hours
    fallback_steps: list[IntArray] = []
    for first in range(0, grid.n_steps, step):
        stop = min(grid.n_steps, first + step)
        consumption = np.asarray(operation.consumption.chunk(first, stop), dtype=np.float64)
        injection = np.asarray(operation.production.chunk(first, stop), dtype=np.float64)
        active = window_mask(operation.consumer_windows, first, stop)
        if active is not None:
            consumption = consumption * active
        producing = window_mask(operation.producer_windows, first, stop)
        if producing is not None:
            injection = injection * producing
        self_consumed, allocated, fallback = _allocate_block(
            operation,
            first,
            stop,
            consumption=consumption,
            injection=injection,
            active=active,
            acc=acc,
        )
        surplus = kernels.split_surplus(injection, allocated)
        self_produced = injection - surplus
        acc.add(
            first,
            stop,
            consumption=consumption,
            self_consumed=self_consumed,
            injection=injection,
            self_produced=self_produced,
            surplus=surplus,
        )
        if fallback.any():
            fallback_steps.append(np.flatnonzero(fallback) + first)
        if progress is not None:
            progress(stop, grid.n_steps)
    if acc.over_steps:
        steps = np.concatenate(acc.over_steps)
        starts = grid.start + steps[:10] * grid.step_s
        shown = ", ".join(format_local_french(int(start)) for start in starts)
        others = steps.size - 10
        more = f" (et {french_count(others, 'autre', 'autres')})" if others > 0 else ""
        raise CoefficientError(
            f"les coefficients d'un producteur totalisent plus de 100 % sur {steps.size} "
            f"pas : {shown}{more}.",
            path=operation.coefficients_path,
            hint="Enedis rejette ces coefficients : corrigez-les pour que la somme par "
            "producteur et par pas ne dépasse pas 100 %.",
        )
    all_fallback = np.concatenate(fallback_steps) if fallback_steps else np.zeros(0, dtype=np.int64)
    forced = operation.forced_default
    if forced is not None and all_fallback.size:
        is_gap = forced[all_fallback]
        gap_steps, key_steps = all_fallback[is_gap], all_fallback[~is_gap]
    else:
        gap_steps, key_steps = np.zeros(0, dtype=np.int64), all_fallback
    hours_monthly = hours
    n_months = len(acc.months)
    consumer_monthly = (
        acc.consumer_groups.reshape(n_months, len(operation.tou_classes), n_c, 2) * hours_monthly
    )
    producer_monthly = acc.producer_monthly * hours
    result = AccResult(
        operation=operation,
        consumption_wh=consumer_monthly[..., 0].sum(axis=(0, 1)),
        self_consumed_wh=consumer_monthly[..., 1].sum(axis=(0, 1)),
        injection_wh=producer_monthly[..., 0].sum(axis=0),
        self_produced_wh=producer_monthly[..., 1].sum(axis=0),
        surplus_wh=producer_monthly[..., 2].sum(axis=0),
        pairs_wh=acc.pairs * hours,
        months=acc.months,
        consumer_monthly_wh=consumer_monthly,
        producer_monthly_wh=producer_monthly,
        operation_curves=acc.curves,
        default_key_steps=key_steps if operation.key is not KeyKind.DEFAULT else key_steps[:0],
        gap_default_steps=gap_steps,
        elapsed_s=time.perf_counter() - started,
    )
    if keep_curves:
        result.consumer_curves = acc.c_curves
        result.producer_curves = acc.p_curves
    return result


__all__ = ["OPERATION_QUANTITIES", "AccResult", "Progress", "indicators", "run_operation"]
