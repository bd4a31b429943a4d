"""Where parsed inputs wait between reading and use: in memory while small, else in a
temporary file, by buckets.

Curve rows. A year of 5,000 consumers in one long file is 175 million rows, 28 bytes each
once parsed (PRM code, step start, power, line): 4.9 GB. Above :data:`MEMORY_BUDGET_BYTES`
the rows go to an unlinked temporary file (``TMPDIR``) as they are read, sorted into
*buckets* of :data:`BUCKET_PRMS` PRMs; the loader then places the PRMs in sorted order,
reading one bucket at a time. Buckets follow the sorted PRM order (a file whose PRMs come
in another order is re-sorted into new buckets once), so that each bucket is read once
whatever the order of the file's lines. Within a PRM, rows keep the order of the file: the
messages name the same lines as when everything was held in memory.

Dynamic coefficients. A year of full-dynamic coefficients for 1,000 consumers and 10
producers is 2.8 GB as a dense array: above the same budget, each line waits in a
temporary file by bucket of steps and the engine's chunks are rebuilt from it
(:class:`CoefficientSpool`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import tempfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from linkytool.acc.model import BoolArray, FloatArray, IntArray
from linkytool.errors import OutputError, describe_os_error
from linkytool.textfmt import french_number

#: Largest amount of parsed rows held in memory before they go to a temporary file [bytes].
MEMORY_BUDGET_BYTES = 256 << 20
#: PRMs per bucket of the temporary file (a year of 15-min values: 64 x 35,040 x 28 B).
BUCKET_PRMS = 64
#: Rows waiting for their bucket before they are written [bytes].
FLUSH_BYTES = 32 << 20
#: Bytes per row: PRM code (int32), start (int64), power (float64), line (int64).
ROW_BYTES = 28

_DTYPES = (np.dtype(np.int32), np.dtype(np.int64), np.dtype(np.float64), np.dtype(np.int64))


def temporary_file_error(exc: OSError, what: str, size: int) -> OutputError:
    """The French error of a temporary file that cannot be written (``size`` [bytes])."""
    amount = f" (environ {french_number(size / 1e9, '.1f')} Go)" if size >= 1e8 else ""
    return OutputError(
        f"Impossible d'écrire le fichier temporaire {what}{amount} : {describe_os_error(exc)}.",
        hint="Libérez de la place dans le dossier temporaire (variable TMPDIR), ou calculez "
        "une période plus courte.",
    )


@dataclass(frozen=True)
class SeriesSummary:
    """What the loader needs of a series before placing it: row count, first and last
    step starts [epoch s], and the smallest gap between distinct starts [s] (0: none)."""

    count: int
    first: int
    last: int
    step: int


def summarise(starts: IntArray) -> SeriesSummary:
    """The :class:`SeriesSummary` of one series' starts (any order)."""
    if starts.size == 0:
        return SeriesSummary(0, 0, 0, 0)
    step = 0
    if starts.size >= 2:
        gaps = np.diff(starts)
        if not (gaps > 0).all():  # unsorted or repeated: sort first
            gaps = np.diff(np.sort(starts))
            gaps = gaps[gaps > 0]
        step = int(gaps.min()) if gaps.size else 0
    return SeriesSummary(int(starts.size), int(starts.min()), int(starts.max()), step)


def summarise_groups(starts: IntArray, bounds: IntArray) -> list[SeriesSummary]:
    """:func:`summarise` of each group ``starts[bounds[k]:bounds[k + 1]]``, vectorised for
    the groups whose starts increase (the usual case)."""
    counts = np.diff(bounds)
    first = np.zeros(counts.size, dtype=np.int64)
    last = np.zeros(counts.size, dtype=np.int64)
    step = np.zeros(counts.size, dtype=np.int64)
    present = counts > 0
    first[present] = starts[bounds[:-1][present]]
    last[present] = starts[bounds[1:][present] - 1]
    several = np.flatnonzero(counts >= 2)
    if several.size:
        gaps = np.diff(starts)
        # the gap from one group to the next belongs to neither: made too large to count
        crossing = bounds[1:-1] - 1
        gaps[crossing[(crossing >= 0) & (crossing < gaps.size)]] = np.iinfo(np.int64).max
        heads = bounds[several]
        step[several] = np.minimum.reduceat(gaps, heads)
        rising = np.logical_and.reduceat(gaps > 0, heads)
        for k in several[~rising]:  # unsorted or repeated starts
            summary = summarise(starts[bounds[k] : bounds[k + 1]])
            first[k], last[k], step[k] = summary.first, summary.last, summary.step
    return [
        SeriesSummary(int(c), int(a), int(b), int(s))
        for c, a, b, s in zip(
            counts.tolist(), first.tolist(), last.tolist(), step.tolist(), strict=True
        )
    ]


def group_bounds(codes: IntArray, n_codes: int) -> IntArray:
    """Where each code's rows start in ``codes`` sorted by code (``n_codes + 1`` values)."""
    result: IntArray = np.searchsorted(codes, np.arange(n_codes + 1)).astype(np.int64)
    return result


class _Buckets:
    """Rows appended to an unlinked temporary file by bucket, read back a bucket at a time.

    A row is one value of each of ``dtypes`` (the columns); ``what`` names the data in the
    message of a full disk.
    """

    def __init__(
        self, dtypes: Sequence[np.dtype[Any]] = _DTYPES, what: str = "des courbes lues"
    ) -> None:
        self.dtypes = tuple(dtypes)
        self.row_bytes = sum(dtype.itemsize for dtype in self.dtypes)
        self.what = what
        try:
            self.handle: io.BufferedRandom = tempfile.TemporaryFile(  # noqa: SIM115 - closed by close()
                prefix="linkytool-acc-"
            )
        except OSError as exc:
            raise temporary_file_error(exc, what, 0) from exc
        self.segments: dict[int, list[tuple[int, int]]] = {}  # bucket -> (offset, rows)
        self.pending: dict[int, list[Sequence[npt.NDArray[Any]]]] = {}
        self.pending_bytes = 0
        self.size = 0

    def add(self, bucket_of: IntArray, columns: Sequence[npt.NDArray[Any]]) -> None:
        """Queue rows (one array per column) for their buckets."""
        n = bucket_of.size
        if n == 0:
            return
        if n == 1 or (bucket_of[1:] >= bucket_of[:-1]).all():
            order = None
            sorted_buckets = bucket_of
        else:
            order = np.argsort(bucket_of, kind="stable")
            sorted_buckets = bucket_of[order]
        cuts = np.flatnonzero(sorted_buckets[1:] != sorted_buckets[:-1]) + 1
        heads = np.concatenate(([0], cuts, [n]))
        for a, b in itertools.pairwise(heads.tolist()):
            bucket = int(sorted_buckets[a])
            if order is None:
                part = [column[a:b] for column in columns]
            else:
                rows = order[a:b]
                part = [column[rows] for column in columns]
            self.pending.setdefault(bucket, []).append(part)
        self.pending_bytes += n * self.row_bytes
        if self.pending_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows, one segment per bucket (its columns one after the other)."""
        try:
            for bucket, parts in self.pending.items():
                columns = [
                    np.concatenate([part[k] for part in parts]).astype(dtype, copy=False)
                    for k, dtype in enumerate(self.dtypes)
                ]
                offset = self.size
                for column in columns:
                    self.handle.write(np.ascontiguousarray(column).data.cast("B"))
                rows = columns[0].size
                self.size += rows * self.row_bytes
                self.segments.setdefault(bucket, []).append((offset, rows))
        except OSError as exc:
            raise temporary_file_error(exc, self.what, self.size) from exc
        self.pending = {}
        self.pending_bytes = 0

    def read(self, bucket: int) -> list[npt.NDArray[Any]]:
        """The columns of a bucket's rows, in the order they were added."""
        segments = self.segments.get(bucket, [])
        total = sum(rows for _, rows in segments)
        columns = [np.empty(total, dtype=dtype) for dtype in self.dtypes]
        position = 0
        for offset, rows in segments:
            self.handle.seek(offset)
            for column in columns:
                view = column[position : position + rows].data.cast("B")
                if self.handle.readinto(view) != view.nbytes:
                    raise OutputError(f"fichier temporaire {self.what} tronqué.")
            position += rows
        return columns

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()


class RowSpool:
    """The parsed rows of one curve file: :meth:`add` blocks as they are read, then
    :meth:`finish` with the PRM of each code; :meth:`rows` gives one PRM's rows."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget = MEMORY_BUDGET_BYTES if budget is None else budget
        self._blocks: list[list[npt.NDArray[Any]]] = []
        self._bytes = 0
        self._file: _Buckets | None = None
        self._n_codes = 0
        self._cache: tuple[int, list[npt.NDArray[Any]], IntArray] | None = None
        self._open = 0  # series not released yet
        #: Rows of each PRM in memory (when everything fitted): starts, values, lines.
        self._memory: tuple[IntArray, FloatArray, IntArray, IntArray] | None = None

    @property
    def in_memory(self) -> bool:
        return self._file is None

    def add(self, codes: IntArray, starts: IntArray, values: FloatArray, lines: IntArray) -> None:
        """Rows of one block: ``codes`` number the PRMs in order of first appearance."""
        if codes.size == 0:
            return
        self._n_codes = max(self._n_codes, int(codes.max()) + 1)
        columns: list[npt.NDArray[Any]] = [codes.astype(np.int32), starts, values, lines]
        if self._file is not None:
            self._file.add(columns[0] // BUCKET_PRMS, columns)
            return
        self._blocks.append(columns)
        self._bytes += codes.size * ROW_BYTES
        if self._bytes > self.budget:  # too big for memory: everything goes to the file
            self._file = _Buckets()
            for block in self._blocks:
                self._file.add(block[0] // BUCKET_PRMS, block)
            self._blocks = []

    def finish(self, prms: Sequence[str]) -> list[tuple[int, SeriesSummary]]:
        """Close the spool; ``prms[code]`` is each code's PRM. Returns, per code, the index
        to give :meth:`rows` and the series' summary."""
        n = len(prms)
        rank = np.empty(n, dtype=np.int64)
        rank[sorted(range(n), key=prms.__getitem__)] = np.arange(n)
        self._n_codes = n
        self._open = n
        if self._file is None:
            return self._finish_memory(rank)
        self._file.flush()
        if (rank != np.arange(n)).any():  # buckets in the sorted order of the PRMs
            self._file = self._resorted(self._file, rank)
        summaries: list[SeriesSummary] = []
        for bucket in range(-(-n // BUCKET_PRMS)):
            _, starts, bounds = self._load(bucket)
            summaries += summarise_groups(starts, bounds)
        self._cache = None
        return [(int(rank[code]), summaries[rank[code]]) for code in range(n)]

    def _finish_memory(self, rank: IntArray) -> list[tuple[int, SeriesSummary]]:
        blocks, self._blocks = self._blocks, []
        n = rank.size
        if not blocks:
            empty = np.zeros(0, dtype=np.int64)
            self._memory = (empty, np.zeros(0), empty, np.zeros(n + 1, dtype=np.int64))
            return [(int(rank[code]), SeriesSummary(0, 0, 0, 0)) for code in range(n)]
        codes = rank[np.concatenate([block[0] for block in blocks])]
        for block in blocks:
            block[0] = block[0][:0]
        order = None
        if codes.size > 1 and (codes[1:] < codes[:-1]).any():
            order = np.argsort(codes, kind="stable")
            codes = codes[order]
        bounds = group_bounds(codes, n)
        del codes
        columns: list[npt.NDArray[Any]] = []
        for k in (1, 2, 3):  # one column at a time: memory grows by one column, not all
            column = np.concatenate([block[k] for block in blocks])
            for block in blocks:
                block[k] = column[:0]
            columns.append(column if order is None else column[order])
            del column
        starts, values, lines = columns
        self._memory = (starts, values, lines, bounds)
        summaries = summarise_groups(starts, bounds)
        return [(int(rank[code]), summaries[rank[code]]) for code in range(n)]

    @staticmethod
    def _resorted(old: _Buckets, rank: IntArray) -> _Buckets:
        new = _Buckets()
        try:
            for bucket in sorted(old.segments):
                columns = old.read(bucket)
                columns[0] = rank[columns[0]].astype(np.int32)
                new.add(columns[0] // BUCKET_PRMS, columns)
                del columns
            new.flush()
        finally:
            old.close()
        return new

    def _load(self, bucket: int) -> tuple[list[npt.NDArray[Any]], IntArray, IntArray]:
        """A bucket's rows grouped by PRM (file order kept within each), and the group
        bounds of its :data:`BUCKET_PRMS` PRMs."""
        if self._cache is not None and self._cache[0] == bucket:
            columns, bounds = self._cache[1], self._cache[2]
            return columns, columns[1], bounds
        self._cache = None
        assert self._file is not None
        columns = self._file.read(bucket)
        local = columns[0].astype(np.int64) - bucket * BUCKET_PRMS
        if local.size > 1 and (local[1:] < local[:-1]).any():
            order = np.argsort(local, kind="stable")
            local = local[order]
            columns = [column[order] for column in columns]
        width = min(BUCKET_PRMS, self._n_codes - bucket * BUCKET_PRMS)
        bounds = group_bounds(local, width)
        self._cache = (bucket, columns, bounds)
        return columns, columns[1], bounds

    def rows(self, index: int) -> tuple[IntArray, FloatArray, IntArray]:
        """Starts, values and lines of the PRM ``index`` (from :meth:`finish`), in file
        order. Views of the loaded bucket: asking in increasing ``index`` reads each bucket
        once."""
        if self._memory is not None:
            starts, values, lines, bounds = self._memory
            a, b = int(bounds[index]), int(bounds[index + 1])
            return starts[a:b], values[a:b], lines[a:b]
        bucket, offset = divmod(index, BUCKET_PRMS)
        columns, _, bounds = self._load(bucket)
        a, b = int(bounds[offset]), int(bounds[offset + 1])
        return columns[1][a:b], columns[2][a:b], columns[3][a:b]

    def release_one(self) -> None:
        """One series is placed; the rows and file go when all are."""
        self._open -= 1
        if self._open <= 0:
            self.close()

    def close(self) -> None:
        """Drop the rows and the temporary file."""
        self._cache = None
        self._memory = None
        self._blocks = []
        if self._file is not None:
            self._file.close()
            self._file = None


#: Values of dynamic coefficients per bucket of steps (a year of full-dynamic coefficients
#: of 1,000 consumers x 10 producers is 350 million values: 2.8 GB dense).
COEFFICIENT_BUCKET_VALUES = 4_000_000
#: Coefficient lines gathered before they are scattered or spooled.
COEFFICIENT_BATCH = 1 << 16
_COEFFICIENT_DTYPES = (np.dtype(np.int64), np.dtype(np.float64))


class CoefficientSpool:
    """Dynamic coefficients, added line by line, served as dense blocks of steps (a
    :class:`~linkytool.acc.model.CoefficientSource`).

    ``shape`` is one step's shape: ``(consumers,)`` or ``(producers, consumers)``. While the
    dense ``(steps, *shape)`` array fits :data:`MEMORY_BUDGET_BYTES` the values go straight
    into it; above, each line (flat position, fraction: 16 bytes) waits in a temporary file
    by bucket of steps, and :meth:`chunk` rebuilds the dense block of the steps asked. A
    bit per position remembers which were given (duplicates are refused while reading, in
    the order of the file).
    """

    def __init__(self, n_steps: int, shape: tuple[int, ...], budget: int | None = None) -> None:
        budget = MEMORY_BUDGET_BYTES if budget is None else budget
        self.n_steps = n_steps
        self.shape = shape
        self.width = int(np.prod(shape, dtype=np.int64))
        self.bucket_steps = max(1, COEFFICIENT_BUCKET_VALUES // max(1, self.width))
        self._given = bytearray((n_steps * self.width + 7) // 8)
        self._covered = bytearray(n_steps)
        self._positions: array[int] = array("q")
        self._values: array[float] = array("d")
        self._dense: FloatArray | None = None
        self._file: _Buckets | None = None
        if n_steps * self.width * 8 <= budget:
            self._dense = np.zeros(n_steps * self.width)
        else:
            self._file = _Buckets(_COEFFICIENT_DTYPES, "des coefficients")
        self._cache: tuple[int, IntArray, FloatArray] | None = None
        self.covered: BoolArray = np.zeros(n_steps, dtype=np.bool_)

    @property
    def in_memory(self) -> bool:
        return self._dense is not None

    def add(self, step: int, position: int, value: float) -> bool:
        """Record the coefficient of ``position`` (flat index in ``shape``) at ``step``;
        False, and nothing recorded, when that step and position already have one."""
        flat = step * self.width + position
        byte, bit = flat >> 3, 1 << (flat & 7)
        given = self._given
        if given[byte] & bit:
            return False
        given[byte] |= bit
        self._covered[step] = 1
        self._positions.append(flat)
        self._values.append(value)
        if len(self._positions) >= COEFFICIENT_BATCH:
            self._hand_over()
        return True

    def _hand_over(self) -> None:
        if not self._positions:
            return
        positions = np.frombuffer(self._positions, dtype=np.int64).copy()
        values = np.frombuffer(self._values, dtype=np.float64).copy()
        del self._positions[:], self._values[:]
        if self._dense is not None:
            self._dense[positions] = values
            return
        assert self._file is not None
        self._file.add(positions // (self.bucket_steps * self.width), [positions, values])

    def finish(self) -> None:
        """Every line is added: the coefficients can be read."""
        self._hand_over()
        if self._file is not None:
            self._file.flush()
        self.covered = np.frombuffer(bytes(self._covered), dtype=np.uint8).astype(np.bool_)
        self._covered = bytearray()

    def given(self, first: int, stop: int) -> BoolArray:
        """Whether a line gave each position at steps ``first..stop``: ``(steps, *shape)``."""
        low, high = first * self.width, stop * self.width
        if high <= low:
            return np.zeros((max(0, stop - first), *self.shape), dtype=np.bool_)
        byte0, byte1 = low >> 3, (high + 7) >> 3
        raw = np.frombuffer(self._given, dtype=np.uint8, offset=byte0, count=byte1 - byte0)
        bits = np.unpackbits(raw, bitorder="little")[low - byte0 * 8 : high - byte0 * 8]
        mask: BoolArray = bits.astype(np.bool_).reshape(stop - first, *self.shape)
        return mask

    def chunk(self, first: int, stop: int) -> tuple[FloatArray, BoolArray]:
        """Coefficients of steps ``first..stop`` (fractions, 0 where not given) and, per
        step, whether the file gave any."""
        covered = self.covered[first:stop]
        if self._dense is not None:
            block: FloatArray = self._dense.reshape(self.n_steps, *self.shape)[first:stop]
            return block, covered
        steps = max(0, stop - first)
        dense = np.zeros(steps * self.width)
        low, high = first * self.width, stop * self.width
        for bucket in range(first // self.bucket_steps, -(-stop // self.bucket_steps)):
            positions, values = self._bucket(bucket)
            inside = (positions >= low) & (positions < high)
            dense[positions[inside] - low] = values[inside]
        return dense.reshape(steps, *self.shape), covered

    def _bucket(self, bucket: int) -> tuple[IntArray, FloatArray]:
        if self._cache is None or self._cache[0] != bucket:
            assert self._file is not None
            positions, values = self._file.read(bucket)
            self._cache = (bucket, positions, values)
        return self._cache[1], self._cache[2]


__all__ = [
    "BUCKET_PRMS",
    "MEMORY_BUDGET_BYTES",
    "CoefficientSpool",
    "RowSpool",
    "SeriesSummary",
    "summarise",
    "summarise_groups",
    "temporary_file_error",
]
