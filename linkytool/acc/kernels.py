"""Allocation kernels: one step block at a time, vectorised over consumers.

Arrays are time-major: consumption ``C`` has shape ``(steps, consumers)``, pooled
production ``P`` shape ``(steps,)``, per-producer injection ``Pp`` shape ``(steps,
producers)``, all mean powers [W]. Coefficients are fractions (0..1). Each function returns
the self-consumed power ``A`` [W], with ``0 <= A <= C`` and ``sum(A) <= P`` at every step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linkytool.acc.model import BoolArray, FloatArray

#: Relative tolerance on coefficient sums (percent values with decimals).
SUM_TOLERANCE = 1e-9


def allocate_default(consumption: FloatArray, production: FloatArray) -> FloatArray:
    """Default key (D.315-6): ``A_i = C_i * min(1, P / sum C)``; zero when ``sum C = 0``."""
    total = consumption.sum(axis=1)
    with np.errstate(over="ignore"):  # subnormal totals: the ratio is capped at 1 below
        ratio = np.divide(production, total, out=np.zeros_like(production), where=total > 0)
    np.minimum(ratio, 1.0, out=ratio)
    result: FloatArray = consumption * ratio[:, None]
    return result


def allocate_shares(
    consumption: FloatArray, production: FloatArray, shares: FloatArray
) -> FloatArray:
    """Static (surplus mode) or dynamic simple key: ``A_i = min(C_i, k_i * P)``.

    ``shares`` is ``(consumers,)`` or ``(steps, consumers)``; what a consumer cannot
    absorb, and the unassigned ``(1 - sum k) * P``, go to the surplus.
    """
    offered: FloatArray = np.multiply(production[:, None], shares)
    np.minimum(consumption, offered, out=offered)
    return offered


def allocate_static_redistribute(
    consumption: FloatArray,
    production: FloatArray,
    shares: FloatArray,
    active: BoolArray | None = None,
) -> FloatArray:
    """Static key, ``redistribute`` mode: excess shared among consumers that can absorb.

    First pass ``min(C_i, k_i P)``; the total excess of active consumers is then shared
    among active consumers with ``k_i > 0`` still below their consumption, pro rata of
    ``k_i``, repeated until nothing is left or nobody can absorb more. That is
    ``A_i = min(C_i, lambda k_i)`` with ``lambda >= P`` such that ``sum A = min(P sum k,
    sum_{k_i > 0} C_i)``; each round raises ``lambda`` by the excess over the weight of the
    consumers not yet saturated, on the steps still in excess only. The share of an
    inactive (withdrawn) consumer is never redistributed. ``shares`` is ``(consumers,)``.
    """
    weights: FloatArray = shares if active is None else shares * active  # (n,) or (t, n)
    allocated = np.minimum(consumption, weights * production[:, None])
    positive = weights > 0
    if weights.ndim == 1:
        eligible_c = (
            consumption.sum(axis=1)
            if positive.all()
            else np.einsum("ij,j->i", consumption, positive.astype(np.float64))
        )
        offered_total = production * weights.sum()
    else:
        eligible_c = np.einsum("ij,ij->i", consumption, positive.astype(np.float64))
        offered_total = production * weights.sum(axis=1)
    target = np.minimum(offered_total, eligible_c)
    gap = target - allocated.sum(axis=1)
    rows = np.flatnonzero(gap > 1e-9 * np.maximum(target, 1.0))
    if rows.size == 0:
        return allocated
    level = production[rows].astype(np.float64)
    sub_c, sub_gap, sub_target = consumption[rows], gap[rows], target[rows]
    sub_w = weights if weights.ndim == 1 else weights[rows]
    for _ in range(consumption.shape[1] + 1):
        reach = level[:, None] * sub_w
        # weight of the consumers not yet saturated (einsum: no temporary, no bool cast)
        if sub_w.ndim == 1:
            free = np.einsum("ij,j->i", reach < sub_c, sub_w)
        else:
            free = np.einsum("ij,ij->i", reach < sub_c, sub_w)
        level = level + np.divide(sub_gap, free, out=np.zeros_like(free), where=free > 0)
        sub_a = np.minimum(sub_c, level[:, None] * sub_w)
        sub_gap = sub_target - sub_a.sum(axis=1)
        live = (sub_gap > 1e-9 * np.maximum(sub_target, 1.0)) & (free > 0)
        allocated[rows[~live]] = sub_a[~live]
        if not live.any():
            break
        rows, level, sub_c = rows[live], level[live], sub_c[live]
        sub_gap, sub_target = sub_gap[live], sub_target[live]
        if sub_w.ndim == 2:
            sub_w = sub_w[live]
        if _ == consumption.shape[1]:  # pragma: no cover - bounded by the saturation count
            allocated[rows] = sub_a[live]
    return allocated


@dataclass(frozen=True)
class FullAllocation:
    """Result of the full dynamic key on a block of steps."""

    #: Self-consumed per consumer, ``(steps, consumers)`` [W].
    self_consumed: FloatArray
    #: Production of each producer allocated to consumers, ``(steps, producers)`` [W].
    allocated: FloatArray
    #: Sum over the block of each producer->consumer allocation, ``(producers, consumers)``
    #: [W x steps].
    pairs: FloatArray


def allocate_full(
    consumption: FloatArray, injection: FloatArray, shares: FloatArray
) -> FullAllocation:
    """Full dynamic key: ``a_ip = k_ip P_p``, scaled per consumer to its consumption.

    If ``sum_p a_ip > C_i`` every ``a_ip`` of consumer ``i`` is multiplied by
    ``C_i / sum_p a_ip`` (our reading, acc.md). ``shares`` is ``(steps, producers,
    consumers)``; ``injection`` is ``(steps, producers)``.
    """
    raw = np.matmul(injection[:, None, :], shares)[:, 0, :]
    factor = np.divide(consumption, raw, out=np.ones_like(raw), where=raw > consumption)
    self_consumed: FloatArray = raw * factor
    scaled = shares * factor[:, None, :]
    allocated: FloatArray = injection * scaled.sum(axis=2)
    pairs = np.empty((shares.shape[1], shares.shape[2]))
    for producer in range(shares.shape[1]):
        pairs[producer] = injection[:, producer] @ scaled[:, producer, :]
    return FullAllocation(self_consumed, allocated, pairs)


def pooled_allocation(self_consumed_total: FloatArray, injection: FloatArray) -> FloatArray:
    """Production of each producer allocated under a pooled key: ``sum A * P_p / P`` [W]."""
    total = injection.sum(axis=1)
    ratio = np.divide(
        self_consumed_total, total, out=np.zeros_like(self_consumed_total), where=total > 0
    )
    result: FloatArray = injection * ratio[:, None]
    return result


def split_surplus(injection: FloatArray, allocated: FloatArray) -> FloatArray:
    """Collective surplus split per producer (note §3.5): ``S_p = P_p - allocated_p``.

    The one place that decides the split (it may change once annex 7 is read): under pooled
    keys ``allocated_p`` is :func:`pooled_allocation` (so ``S_p = S * P_p / P``); under the
    full dynamic key it is the producer's own production allocated to consumers.
    """
    result: FloatArray = np.maximum(injection - allocated, 0.0)
    return result


def over_allocated_steps(shares: FloatArray) -> BoolArray:
    """Steps where some producer's coefficients sum over 100 %.

    ``shares`` is ``(steps, consumers)`` (dynamic simple) or ``(steps, producers,
    consumers)`` (full dynamic).
    """
    sums = shares.sum(axis=-1)
    bad: BoolArray = sums > 1.0 + SUM_TOLERANCE
    if bad.ndim == 2:
        bad = np.asarray(bad.any(axis=1), dtype=np.bool_)
    return bad
