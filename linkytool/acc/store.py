"""Where the loader puts the placed curves: in memory when small, else in a temporary file.

A year of 5,000 consumers is 35,040 x 5,000 float64 = 1.4 GB: above
:data:`MEMORY_BUDGET_BYTES` the ``(steps, participants)`` matrix is a file (in the system's
temporary folder, deleted when the store is), written a group of participants at a time
and read by the engine a chunk of steps at a time; the pages used are dropped right after
(``madvise(MADV_DONTNEED)``), so the process holds one group or one chunk, never the year.
The values are the same float64 either way.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import tempfile
import weakref
from typing import Any

import numpy as np

from linkytool.acc.model import FloatArray
from linkytool.acc.spool import temporary_file_error

#: Largest matrix kept in memory [bytes].
MEMORY_BUDGET_BYTES = 256 << 20
#: Columns (participants) gathered in memory before they are written to the file.
GROUP_COLUMNS = 256


class CurveMatrix:
    """A ``(steps, n)`` float64 matrix filled column by column, read by chunks of steps.

    It is a :class:`~linkytool.acc.model.CurveSource` (``chunk(first, stop)``).
    """

    def __init__(self, n_steps: int, n: int, budget: int | None = None) -> None:
        budget = MEMORY_BUDGET_BYTES if budget is None else budget
        self.shape = (n_steps, n)
        self._map: mmap.mmap | None = None
        self._memory: FloatArray | None = None
        self._group: FloatArray | None = None
        self._group_first = 0
        if n_steps * n * 8 <= budget or n == 0 or n_steps == 0:
            self._memory = np.zeros(self.shape)
            return
        try:
            with tempfile.TemporaryFile(prefix="linkytool-acc-") as handle:
                handle.truncate(n_steps * n * 8)
                # the map keeps the (unlinked) file alive once the handle is closed
                self._map = mmap.mmap(handle.fileno(), n_steps * n * 8)
        except OSError as exc:
            raise temporary_file_error(exc, "des courbes placées", n_steps * n * 8) from exc
        self._file_values: FloatArray = np.frombuffer(self._map, dtype=np.float64).reshape(
            self.shape
        )
        weakref.finalize(self, _close, self._map)

    @property
    def in_memory(self) -> bool:
        return self._memory is not None

    def set_column(self, index: int, column: FloatArray) -> None:
        """Store participant ``index``'s values; columns come in increasing order."""
        if self._memory is not None:
            self._memory[:, index] = column
            return
        group_first = index - index % GROUP_COLUMNS
        if self._group is None or group_first != self._group_first:
            self._flush()
            width = min(GROUP_COLUMNS, self.shape[1] - group_first)
            self._group = np.zeros((self.shape[0], width))
            self._group_first = group_first
        self._group[:, index - group_first] = column

    def _flush(self) -> None:
        if self._group is None:
            return
        first = self._group_first
        self._file_values[:, first : first + self._group.shape[1]] = self._group
        self._group = None
        self._drop_pages()

    def _drop_pages(self) -> None:
        if self._map is not None:
            self._map.madvise(mmap.MADV_DONTNEED)

    def finish(self) -> None:
        """Write the last group (call once every column is set)."""
        self._flush()

    def chunk(self, first: int, stop: int) -> FloatArray:
        """A copy of steps ``first..stop`` for all participants [W]."""
        if self._memory is not None:
            return self._memory[first:stop]
        block: FloatArray = np.array(self._file_values[first:stop])
        self._drop_pages()
        return block

    def column(self, index: int) -> FloatArray:
        """One participant's values over the whole period [W] (a copy)."""
        if self._memory is not None:
            values: FloatArray = self._memory[:, index]
            return values
        result: FloatArray = np.array(self._file_values[:, index])
        self._drop_pages()
        return result

    @property
    def values(self) -> Any:
        """The whole matrix (in memory only; for tests and small operations)."""
        if self._memory is None:
            raise ValueError("the curves are in a temporary file: read them by chunks")
        return self._memory


def _close(mapping: mmap.mmap) -> None:
    with contextlib.suppress(BufferError, ValueError):  # a view still uses it: freed with it
        mapping.close()


__all__ = ["GROUP_COLUMNS", "MEMORY_BUDGET_BYTES", "CurveMatrix", "os"]
