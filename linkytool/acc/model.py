"""The description of an operation the engine runs: participants, curves, key, options.

Curves and dynamic coefficients are *sources* read chunk by chunk (``chunk(first, stop)``)
so that the engine's memory does not grow with the length of the period: an in-memory
array is one source, a generator (the benchmark) another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from linkytool.acc.timegrid import TimeGrid

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


class KeyKind(StrEnum):
    """Distribution keys of the note (§4.2)."""

    DEFAULT = "default"
    STATIC = "static"
    DYNAMIC = "dynamic"
    FULL = "full"


class StaticExcess(StrEnum):
    """What happens to the part of a static share a consumer cannot absorb (acc.md)."""

    SURPLUS = "surplus"
    REDISTRIBUTE = "redistribute"


class GapPolicy(StrEnum):
    """What to do with missing steps in load curves."""

    ERROR = "error"
    ZERO = "zero"
    DEFAULT_KEY = "default-key"


class CurveSource(Protocol):
    """Load curves of ``n`` participants, read by blocks of steps."""

    def chunk(self, first: int, stop: int) -> FloatArray:
        """Mean power of steps ``first..stop`` (exclusive), shape ``(steps, n)`` [W]."""
        ...


class CoefficientSource(Protocol):
    """Dynamic coefficients read by blocks of steps, as fractions (0..1)."""

    def chunk(self, first: int, stop: int) -> tuple[FloatArray, BoolArray]:
        """Coefficients of steps ``first..stop`` and, per step, whether the PMO gave any.

        Dynamic simple: shape ``(steps, consumers)``; full dynamic: ``(steps, producers,
        consumers)`` (share of each producer's injection). Steps not covered are computed
        with the default key.
        """
        ...


@dataclass(frozen=True)
class ArrayCurves:
    """Curves held in memory, shape ``(n_steps, n)`` [W]."""

    values: FloatArray

    def chunk(self, first: int, stop: int) -> FloatArray:
        return self.values[first:stop]


@dataclass(frozen=True)
class ArrayCoefficients:
    """Dynamic coefficients held in memory (fractions) with their per-step coverage."""

    values: FloatArray
    covered: BoolArray

    def chunk(self, first: int, stop: int) -> tuple[FloatArray, BoolArray]:
        return self.values[first:stop], self.covered[first:stop]


@dataclass(frozen=True)
class StaticSet:
    """A static coefficient set (fractions per consumer) valid from step ``first_step``."""

    first_step: int
    coefficients: FloatArray
    label: str = ""


@dataclass(frozen=True)
class Operation:
    """Everything the engine needs; built by :mod:`linkytool.acc.loader` or in code.

    ``consumer_windows``/``producer_windows`` are ``(n, 2)`` arrays of step indices
    ``[entry, exit)``: outside its window a participant is out of the perimeter (its
    consumption or injection does not count and its share goes to the surplus).
    ``forced_default`` marks steps computed with the default key because of gaps.
    ``tou_index`` gives each step's time-of-use class (index into ``tou_classes``).
    """

    grid: TimeGrid
    consumers: tuple[str, ...]
    producers: tuple[str, ...]
    consumption: CurveSource
    production: CurveSource
    key: KeyKind = KeyKind.DEFAULT
    static_sets: tuple[StaticSet, ...] = ()
    coefficients: CoefficientSource | None = None
    #: The file the coefficients come from (named by the errors about them).
    coefficients_path: str | None = None
    static_excess: StaticExcess = StaticExcess.SURPLUS
    consumer_windows: IntArray | None = None
    producer_windows: IntArray | None = None
    forced_default: BoolArray | None = None
    tou_classes: tuple[str, ...] = ("BASE",)
    tou_index: IntArray | None = None
    #: What the loader read, corrected or assumed (copied into report.json).
    input_report: Mapping[str, Any] = field(default_factory=dict)
