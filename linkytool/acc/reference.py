"""A plain per-step Python implementation of the keys: the oracle of the tests and the
baseline of the benchmark. Written for clarity, independently of :mod:`kernels` (the
static ``redistribute`` mode uses the closed form ``A_i = min(C_i, lambda k_i)`` instead of
the iterative sharing). Powers in W; coefficients as fractions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class ReferenceStep:
    """One step: self-consumed per consumer, surplus and allocation per producer [W]."""

    self_consumed: list[float]
    surplus: list[float]
    pairs: list[list[float]]  # [producer][consumer]


def _default(consumption: Sequence[float], production: float) -> list[float]:
    total = sum(consumption)
    if total <= 0:
        return [0.0] * len(consumption)
    factor = 1.0 if production >= total else production / total
    return [c * factor for c in consumption]


def _redistribute(
    consumption: Sequence[float], production: float, shares: Sequence[float], active: Sequence[bool]
) -> list[float]:
    eligible = [i for i, k in enumerate(shares) if k > 0 and active[i]]
    offered = sum(shares[i] for i in eligible) * production
    target = min(offered, sum(consumption[i] for i in eligible))
    # find lambda with sum(min(C_i, lambda k_i)) = target: walk the breakpoints C_i / k_i
    points = sorted(eligible, key=lambda i: consumption[i] / shares[i])
    saturated = 0.0
    weight = sum(shares[i] for i in eligible)
    lam = 0.0
    for i in points:
        breakpoint = consumption[i] / shares[i]
        if saturated + weight * breakpoint >= target:
            lam = (target - saturated) / weight if weight > 0 else 0.0
            break
        saturated += consumption[i]
        weight -= shares[i]
    else:
        lam = float("inf")
    result = [0.0] * len(consumption)
    for i in eligible:
        result[i] = min(consumption[i], lam * shares[i])
    return result


def reference_step(
    key: str,
    consumption: Sequence[float],
    injection: Sequence[float],
    *,
    shares: Sequence[float] | None = None,
    full_shares: Sequence[Sequence[float]] | None = None,
    static_excess: str = "surplus",
    active: Sequence[bool] | None = None,
) -> ReferenceStep:
    """Allocate one step. ``consumption`` must already be zero for inactive consumers.

    ``key`` is ``default``, ``static``, ``dynamic`` or ``full``; ``shares`` (static,
    dynamic) or ``full_shares[producer][consumer]`` (full); ``None`` coefficients for a
    dynamic key mean "missing": the default key applies.
    """
    n_c, n_p = len(consumption), len(injection)
    production = sum(injection)
    live = list(active) if active is not None else [True] * n_c
    pairs = [[0.0] * n_c for _ in range(n_p)]
    if key == "full" and full_shares is not None:
        self_consumed = [0.0] * n_c
        for i in range(n_c):
            raw = [full_shares[p][i] * injection[p] for p in range(n_p)]
            total = sum(raw)
            factor = consumption[i] / total if total > consumption[i] else 1.0
            for p in range(n_p):
                pairs[p][i] = raw[p] * factor
            self_consumed[i] = total * factor
        surplus = [max(0.0, injection[p] - sum(pairs[p])) for p in range(n_p)]
        return ReferenceStep(self_consumed, surplus, pairs)
    if key == "default" or shares is None:
        self_consumed = _default(consumption, production)
    elif key == "static" and static_excess == "redistribute":
        self_consumed = _redistribute(consumption, production, shares, live)
    else:
        self_consumed = [min(c, k * production) for c, k in zip(consumption, shares, strict=True)]
    allocated = sum(self_consumed)
    surplus = []
    for p in range(n_p):
        weight = injection[p] / production if production > 0 else 0.0
        surplus.append(max(0.0, injection[p] - allocated * weight))
        for i in range(n_c):
            pairs[p][i] = self_consumed[i] * weight
    return ReferenceStep(self_consumed, surplus, pairs)
