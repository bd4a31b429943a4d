"""Native, vectorised reader of long-format load curves (``prm,timestamp,w``), on pyarrow.

The file is read in blocks of whole lines; pyarrow's CSV parser splits each block into
columns and casts the powers to float64, repeated PRMs and timestamps are dictionary
encoded so that each distinct text is checked (and each timestamp parsed, by the exact
reader's own :func:`~linkytool.acc.csvtext.parse_instant`) once. Nothing is decided here
that the exact reader (:func:`linkytool.acc.curves.read_long`) would decide differently:
whatever this reader is not sure to read the same way (quotes, blank lines, lone carriage
returns, text outside UTF-8, a value or PRM that needs a message) raises
:class:`FastPathRejected`, and the caller reads the file again with the exact reader, which
accepts it or reports the precise line and reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from linkytool.acc.csvtext import PRM_PATTERN, CsvTable, parse_instant
from linkytool.acc.errors import AccInputError
from linkytool.acc.model import FloatArray, IntArray

#: Bytes parsed per block (whole lines); memory stays a few times this, whatever the file.
FAST_BLOCK_BYTES = 8 << 20
#: Smallest block [bytes]: a file is read in at least about 8 blocks (progress reports).
FAST_BLOCK_MIN = 256 << 10


class FastPathRejected(Exception):  # noqa: N818 - a signal, not an error for the user
    """This file needs the exact reader (the reason is for developers only)."""


@dataclass(frozen=True)
class LongBlock:
    """Rows of one block with a non-empty power: ``codes`` index :attr:`LongReader.prms`."""

    codes: IntArray
    starts: IntArray
    values: FloatArray
    lines: IntArray


def _check_text(chunk: bytes) -> None:
    """Refuse what pyarrow would read differently from Python's csv module."""
    if b'"' in chunk:
        raise FastPathRejected("quotes")
    if b"\x00" in chunk:
        raise FastPathRejected("NUL byte")
    if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
        raise FastPathRejected("lone carriage return")
    if chunk.startswith((b"\n", b"\r\n")) or b"\n\n" in chunk or b"\n\r\n" in chunk:
        raise FastPathRejected("blank line")
    if not chunk.isascii():
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            raise FastPathRejected("not UTF-8") from None


class LongReader:
    """Iterate over a long-format file's rows block by block (see the module doc)."""

    def __init__(
        self,
        table: CsvTable,
        header: list[str],
        columns: tuple[int, int, int],
    ) -> None:
        if table.encoding not in ("utf-8-sig", "utf-8"):
            raise FastPathRejected(f"encoding {table.encoding}")
        self.table = table
        self.n_columns = len(header)
        self.columns = columns
        #: PRMs in order of first appearance (the codes of the blocks index this list).
        self.prms: list[str] = []
        self._prm_codes: dict[str, int] = {}
        self._instants: dict[str, int] = {}
        self.size = max(1, os.path.getsize(table.path))
        self._done = self.size

    def blocks(self) -> Iterator[LongBlock]:
        """The blocks of rows; raises :class:`FastPathRejected` as soon as unsure."""
        import pyarrow as pa
        import pyarrow.csv as pcsv

        names = [f"c{i}" for i in range(self.n_columns)]
        i_prm, i_time, i_value = self.columns
        read_options = pcsv.ReadOptions(column_names=names, use_threads=True)
        parse_options = pcsv.ParseOptions(
            delimiter=self.table.delimiter,
            quote_char=False,
            double_quote=False,
            escape_char=False,
            newlines_in_values=False,
            ignore_empty_lines=False,
        )
        wanted = sorted({i_prm, i_time, i_value})
        convert_options = pcsv.ConvertOptions(
            column_types={names[i]: pa.string() for i in wanted},
            include_columns=[names[i] for i in wanted],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        for first_line, chunk, n_lines in self._chunks():
            try:
                table = pcsv.read_csv(
                    pa.py_buffer(chunk),
                    read_options=read_options,
                    parse_options=parse_options,
                    convert_options=convert_options,
                )
            except pa.ArrowInvalid:
                raise FastPathRejected("column count") from None
            if table.num_rows != n_lines:
                raise FastPathRejected("row count")
            if self.table.progress is not None:
                self.table.progress(min(self.size, self._done), self.size)
            yield self._block(
                first_line,
                table.column(names[i_prm]),
                table.column(names[i_time]),
                table.column(names[i_value]),
            )

    def _chunks(self) -> Iterator[tuple[int, bytes, int]]:
        """``(first line number, bytes of whole lines, line count)`` after the header."""
        with Path(self.table.path).open("rb") as handle:
            head = handle.readline()
            if head.startswith(b"\xef\xbb\xbf"):
                head = head[3:]
            if not head.strip():
                raise FastPathRejected("blank line before the header")
            line = 2
            carry = b""
            size = min(FAST_BLOCK_BYTES, max(FAST_BLOCK_MIN, self.size // 8))
            while True:
                block = handle.read(size)
                data = carry + block if carry else block
                if not block:
                    self._done = self.size
                    if data:
                        _check_text(data)
                        yield line, data, data.count(b"\n") + (not data.endswith(b"\n"))
                    return
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                chunk, carry = data[:cut], data[cut:]
                self._done = handle.tell() - len(carry)
                _check_text(chunk)
                count = chunk.count(b"\n")
                yield line, chunk, count
                line += count

    def _block(self, first_line: int, prm: Any, time: Any, value: Any) -> LongBlock:
        import pyarrow as pa
        import pyarrow.compute as pc

        n = len(value)
        lines = first_line + np.arange(n, dtype=np.int64)
        present = pc.binary_length(value).to_numpy(zero_copy_only=False) > 0
        if not present.all():  # an empty power is a missing step: the row is skipped
            keep = pa.array(present)
            prm, time, value = prm.filter(keep), time.filter(keep), value.filter(keep)
            lines = lines[present]
        if self.table.decimal_comma:
            value = pc.replace_substring(value, ",", ".")
        try:
            numbers = pc.cast(value, pa.float64()).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise FastPathRejected("value") from None
        with np.errstate(invalid="ignore"):
            if not (np.isfinite(numbers) & (numbers >= 0)).all():
                raise FastPathRejected("value out of range")
        codes = self._codes(prm.combine_chunks().dictionary_encode())
        starts = self._starts(time.combine_chunks().dictionary_encode())
        return LongBlock(codes, starts, np.ascontiguousarray(numbers), lines)

    def _codes(self, encoded: Any) -> IntArray:
        lookup = np.empty(len(encoded.dictionary), dtype=np.int64)
        for k, text in enumerate(encoded.dictionary.to_pylist()):
            code = self._prm_codes.get(text)
            if code is None:
                if not PRM_PATTERN.fullmatch(text):
                    raise FastPathRejected("PRM")
                code = self._prm_codes[text] = len(self.prms)
                self.prms.append(text)
            lookup[k] = code
        result: IntArray = lookup[encoded.indices.to_numpy(zero_copy_only=False)]
        return result

    def _starts(self, encoded: Any) -> IntArray:
        lookup = np.empty(len(encoded.dictionary), dtype=np.int64)
        cache = self._instants
        for k, text in enumerate(encoded.dictionary.to_pylist()):
            instant = cache.get(text)
            if instant is None:
                try:
                    instant = cache[text] = parse_instant(text, self.table, 0)
                except AccInputError:
                    raise FastPathRejected("timestamp") from None
            lookup[k] = instant
        result: IntArray = lookup[encoded.indices.to_numpy(zero_copy_only=False)]
        return result


def fast_reader_available() -> bool:
    """Whether pyarrow can be imported (else every file takes the exact reader)."""
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


__all__ = [
    "FAST_BLOCK_BYTES",
    "FastPathRejected",
    "LongBlock",
    "LongReader",
    "fast_reader_available",
]
