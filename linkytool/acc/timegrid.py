"""The time axis of an operation: measurement steps keyed on UTC instants.

Steps are identified by their start instant in seconds since the Unix epoch (UTC), never
by local wall time: a spring-forward day in Europe/Paris has 92 quarter-hours, a fall-back
day 100, and the two 02:00-03:00 hours of the fall-back day are distinct steps. Local
calendar fields (month, weekday, minute of the day) are derived from the UTC instants for
the monthly summaries and the time-of-use calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from linkytool.textfmt import french_datetime

PARIS = ZoneInfo("Europe/Paris")

#: First month computed by Enedis at 15 minutes (note, glossary "Pas de Mesure").
FIFTEEN_MINUTE_START = datetime(2024, 10, 1, tzinfo=PARIS)

IntArray = npt.NDArray[np.int64]


def enedis_step_seconds(period_start: datetime) -> int:
    """ACC step Enedis uses for a period starting at ``period_start`` [s]: 900 or 1800."""
    return 900 if period_start >= FIFTEEN_MINUTE_START else 1800


def to_epoch(moment: datetime) -> int:
    """Seconds since the epoch of an aware datetime [s]."""
    return int(moment.timestamp())


def paris_midnight(day: date) -> int:
    """Epoch seconds of 00:00 Europe/Paris on ``day``."""
    return to_epoch(datetime(day.year, day.month, day.day, tzinfo=PARIS))


def format_local(epoch: int) -> str:
    """ISO 8601 local Europe/Paris time with its offset, e.g. ``2026-03-29T03:00:00+02:00``."""
    return datetime.fromtimestamp(epoch, PARIS).isoformat()


def format_local_french(epoch: int) -> str:
    """Europe/Paris time as a user reads it in a message: ``02/03/2026 00:15``; during
    the repeated hour of a fall-back day, ``(heure d'été)`` or ``(heure d'hiver)`` says
    which of the two (files and reports keep :func:`format_local`)."""
    moment = datetime.fromtimestamp(epoch, PARIS)
    text = french_datetime(moment)
    if moment.replace(fold=1 - moment.fold).utcoffset() != moment.utcoffset():
        text += " (heure d'été)" if moment.dst() else " (heure d'hiver)"
    return text


def local_day(epoch: int) -> date:
    """Local Europe/Paris calendar day of an instant."""
    return datetime.fromtimestamp(epoch, PARIS).date()


def paris_offsets(instants: IntArray) -> IntArray:
    """UTC offset of Europe/Paris at each instant [s] (3600 or 7200)."""
    hours = instants // 3600
    unique_hours, inverse = np.unique(hours, return_inverse=True)
    offsets = np.array(
        [
            int(datetime.fromtimestamp(int(h) * 3600, UTC).astimezone(PARIS).utcoffset().seconds)  # type: ignore[union-attr]
            for h in unique_hours
        ],
        dtype=np.int64,
    )
    result: IntArray = offsets[inverse.reshape(hours.shape)]
    return result


def true_runs(mask: npt.NDArray[np.bool_], offset: int = 0) -> list[tuple[int, int]]:
    """Contiguous runs of ``True`` in ``mask`` as ``(first, stop)`` indices (+ ``offset``)."""
    if not mask.any():
        return []
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded)) + offset
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


@dataclass(frozen=True)
class TimeGrid:
    """``n_steps`` consecutive steps of ``step_s`` seconds starting at ``start`` (epoch s)."""

    start: int
    step_s: int
    n_steps: int

    @property
    def end(self) -> int:
        """Epoch seconds of the end of the last step (exclusive)."""
        return self.start + self.step_s * self.n_steps

    @property
    def step_hours(self) -> float:
        """Step length [h]: energy [Wh] = power [W] x step_hours."""
        return self.step_s / 3600.0

    def instants(self, first: int = 0, stop: int | None = None) -> IntArray:
        """Start instants of steps ``first`` to ``stop`` (exclusive) [epoch s]."""
        stop = self.n_steps if stop is None else stop
        return self.start + self.step_s * np.arange(first, stop, dtype=np.int64)

    def index_of(self, epoch: int) -> int:
        """Index of the step starting at ``epoch`` (may be outside ``0..n_steps``)."""
        return (epoch - self.start) // self.step_s

    def clamp_index(self, epoch: int) -> int:
        """First step index starting at or after ``epoch``, clamped to ``0..n_steps``."""
        index = -((self.start - epoch) // self.step_s)  # ceil division
        return max(0, min(self.n_steps, index))

    @cached_property
    def local_seconds(self) -> IntArray:
        """Local wall-clock time of each step start as seconds since 1970-01-01 local."""
        instants = self.instants()
        return instants + paris_offsets(instants)

    @cached_property
    def local_days(self) -> IntArray:
        """Local day of each step, as days since 1970-01-01."""
        return self.local_seconds // 86400

    @cached_property
    def month_index(self) -> IntArray:
        """Local calendar month of each step as ``year * 12 + month - 1``."""
        months = self.local_days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        return months + 1970 * 12

    def weekday(self) -> IntArray:
        """Local weekday of each step, Monday = 0."""
        return (self.local_days + 3) % 7

    def minute_of_day(self) -> IntArray:
        """Local minute of the day of each step start (0..1439)."""
        return (self.local_seconds % 86400) // 60

    def month_number(self) -> IntArray:
        """Local month number of each step (1..12)."""
        return self.month_index % 12 + 1

    def months(self) -> list[tuple[int, int, int]]:
        """The local calendar months covered: ``(month_index, first_step, stop_step)``."""
        index = self.month_index
        if index.size == 0:
            return []
        cuts = np.flatnonzero(np.diff(index)) + 1
        starts = np.concatenate(([0], cuts))
        stops = np.concatenate((cuts, [index.size]))
        return [(int(index[a]), int(a), int(b)) for a, b in zip(starts, stops, strict=True)]

    def first_local_day(self, first: int, stop: int) -> tuple[date, date]:
        """Local first and last calendar days (inclusive) of steps ``first..stop``."""
        first_day = local_day(self.start + first * self.step_s)
        last_day = local_day(self.start + stop * self.step_s - 1)
        return first_day, last_day

    def ranges(self, runs: list[tuple[int, int]]) -> list[dict[str, str | int]]:
        """Runs of steps ``(first, stop)`` as report.json writes them: local ``from`` and
        ``to`` (exclusive) times and the number of ``steps``."""
        return [
            {
                "from": format_local(self.start + a * self.step_s),
                "to": format_local(self.start + b * self.step_s),
                "steps": b - a,
            }
            for a, b in runs
        ]

    def steps_per_local_day(self) -> dict[date, int]:
        """Number of steps of each local day (92/100 quarter-hours at the DST changes)."""
        days, counts = np.unique(self.local_days, return_counts=True)
        epoch = date(1970, 1, 1)
        return {epoch + timedelta(days=int(d)): int(c) for d, c in zip(days, counts, strict=True)}


__all__ = [
    "PARIS",
    "TimeGrid",
    "enedis_step_seconds",
    "format_local",
    "local_day",
    "paris_midnight",
    "paris_offsets",
    "to_epoch",
    "true_runs",
]
