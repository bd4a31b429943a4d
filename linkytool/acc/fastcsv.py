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
import numpy.typing as npt

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
    """Refuse what pyarrow would read differently from Python's csv module.

    Blank lines need no search here: with ``ignore_empty_lines=False`` pyarrow refuses
    them (wrong column count), and a lone carriage return shows in the row count.
    """
    if b'"' in chunk:
        raise FastPathRejected("quotes")
    if b"\x00" in chunk:
        raise FastPathRejected("NUL byte")
    if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
        raise FastPathRejected("lone carriage return")
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
        if table.known_encoding not in (None, "utf-8-sig", "utf-8"):
            raise FastPathRejected(f"encoding {table.known_encoding}")
        self.table = table
        self.n_columns = len(header)
        self.columns = columns
        #: PRMs in order of first appearance (the codes of the blocks index this list).
        self.prms: list[str] = []
        self._prm_codes: dict[str, int] = {}
        self._instants: dict[str, int] = {}
        self.size = max(1, os.path.getsize(table.path))
        self._done = self.size
        self._next_line = 2

    @property
    def done(self) -> int:
        """Bytes of the file read so far."""
        return self._done

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
        types = {names[i]: pa.string() for i in wanted}
        if not self.table.decimal_comma:  # powers parsed by pyarrow; "" is a missing step
            types[names[i_value]] = pa.float64()
        convert_options = pcsv.ConvertOptions(
            column_types=types,
            include_columns=[names[i] for i in wanted],
            null_values=[""],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        for first_line, chunk in self._chunks():
            try:
                table = pcsv.read_csv(
                    pa.py_buffer(chunk),
                    read_options=read_options,
                    parse_options=parse_options,
                    convert_options=convert_options,
                )
            except pa.ArrowInvalid:  # column count, blank line or a power pyarrow cannot read
                raise FastPathRejected("parse") from None
            if b"\r" in chunk and table.num_rows != chunk.count(b"\n") + (chunk[-1:] != b"\n"):
                raise FastPathRejected("row count")
            if self.table.progress is not None:
                self.table.progress(min(self.size, self._done), self.size)
            yield self._block(
                first_line,
                table.column(names[i_prm]),
                table.column(names[i_time]),
                table.column(names[i_value]),
            )
            self._next_line = first_line + table.num_rows

    def _chunks(self) -> Iterator[tuple[int, bytes]]:
        """``(first line number, bytes of whole lines)`` after the header.

        Without quotes, blank lines or lone carriage returns (refused), rows are lines: the
        next block starts at the line after the last row parsed (``_next_line``).
        """
        with Path(self.table.path).open("rb") as handle:
            head = handle.readline()
            if head.startswith(b"\xef\xbb\xbf"):
                head = head[3:]
            if not head.strip():
                raise FastPathRejected("blank line before the header")
            self._next_line = 2
            carry = b""
            size = min(FAST_BLOCK_BYTES, max(FAST_BLOCK_MIN, self.size // 8))
            while True:
                block = handle.read(size)
                data = carry + block if carry else block
                if not block:
                    self._done = self.size
                    if data:
                        _check_text(data)
                        yield self._next_line, data
                    return
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
                chunk, carry = data[:cut], data[cut:]
                self._done = handle.tell() - len(carry)
                _check_text(chunk)
                yield self._next_line, chunk

    def _block(self, first_line: int, prm: Any, time: Any, value: Any) -> LongBlock:
        import pyarrow as pa

        prm, time, value = prm.combine_chunks(), time.combine_chunks(), value.combine_chunks()
        n = len(value)
        lines = first_line + np.arange(n, dtype=np.int64)
        if value.type == pa.float64():
            numbers = _floats(value)
            present = _valid(value)
        else:  # decimal comma: replace, then let pyarrow parse the non-empty values
            import pyarrow.compute as pc

            present = pc.binary_length(value).to_numpy(zero_copy_only=False) > 0
            try:
                parsed = pc.cast(
                    pc.replace_substring(value.filter(pa.array(present)), ",", "."),
                    pa.float64(),
                ).to_numpy()
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise FastPathRejected("value") from None
            numbers = np.zeros(n)
            numbers[present] = parsed
        if present is not None and present.all():
            present = None
        if present is not None:  # an empty power is a missing step: the row is skipped
            numbers, lines = numbers[present], lines[present]
        codes = self._codes(prm, present)
        starts = self._starts(time, present)
        with np.errstate(invalid="ignore"):
            if not (np.isfinite(numbers) & (numbers >= 0)).all():
                raise FastPathRejected("value out of range")
        return LongBlock(codes, starts, np.ascontiguousarray(numbers, dtype=np.float64), lines)

    def _codes(self, prms: Any, present: npt.NDArray[np.bool_] | None) -> IntArray:
        """Code of each row's PRM. Files grouped by PRM: runs of byte-identical PRMs found
        with numpy, only each run's first PRM checked; other files: dictionary encoded."""
        chars = _fixed_width(prms, 14, present)
        if chars is None:
            raise FastPathRejected("PRM")  # not 14 characters: the exact reader words it
        n = chars.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        heads = np.flatnonzero((chars[1:] != chars[:-1]).any(axis=1)) + 1
        if heads.size < n // 64:
            heads = np.concatenate(([0], heads))
            texts = [row.tobytes().decode("ascii", "replace") for row in chars[heads]]
            run_codes = self._lookup(texts)
            lengths = np.diff(np.append(heads, n)).astype(np.int64)
            result: IntArray = np.repeat(run_codes, lengths)
            return result
        import pyarrow as pa

        if present is not None:
            prms = prms.filter(pa.array(present))
        encoded = prms.dictionary_encode()
        indexed: IntArray = self._lookup(encoded.dictionary.to_pylist())[
            encoded.indices.to_numpy(zero_copy_only=False)
        ]
        return indexed

    def _lookup(self, texts: list[str]) -> IntArray:
        """Codes of distinct PRM texts, each checked the first time it is seen."""
        lookup = np.empty(len(texts), dtype=np.int64)
        for k, text in enumerate(texts):
            code = self._prm_codes.get(text)
            if code is None:
                if not PRM_PATTERN.fullmatch(text):
                    raise FastPathRejected("PRM")
                code = self._prm_codes[text] = len(self.prms)
                self.prms.append(text)
            lookup[k] = code
        return lookup

    def _starts(self, stamps: Any, present: npt.NDArray[np.bool_] | None) -> IntArray:
        """Epoch seconds of each row's timestamp: distinct texts (dictionary encoded by
        pyarrow) parsed once each by the exact reader's :func:`parse_instant`."""
        import pyarrow as pa

        if present is not None:
            stamps = stamps.filter(pa.array(present))
        encoded = stamps.dictionary_encode()
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


def _valid(array: Any) -> npt.NDArray[np.bool_] | None:
    """Validity of each value of a pyarrow array (None: no null)."""
    if array.null_count == 0:
        return None
    bitmap = np.frombuffer(array.buffers()[0], dtype=np.uint8)
    bits = np.unpackbits(bitmap, bitorder="little")
    valid: npt.NDArray[np.bool_] = bits[array.offset : array.offset + len(array)].astype(bool)
    return valid


def _floats(array: Any) -> FloatArray:
    """The float64 values of a pyarrow array (nulls read as 0)."""
    data = np.frombuffer(array.buffers()[1], dtype=np.float64)
    values: FloatArray = data[array.offset : array.offset + len(array)]
    return values


def _fixed_width(
    strings: Any, width: int, rows: npt.NDArray[np.bool_] | None = None
) -> npt.NDArray[np.uint8] | None:
    """The bytes of a pyarrow string array as an ``(n, width)`` matrix (only ``rows`` when
    given), or None when one of those values has another length."""
    n = len(strings)
    if n == 0 or strings.null_count:
        return None
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[
        strings.offset : strings.offset + n + 1
    ]
    starts = offsets[:-1] if rows is None else offsets[:-1][rows]
    stops = offsets[1:] if rows is None else offsets[1:][rows]
    if not (stops - starts == width).all():
        return None
    data = np.frombuffer(strings.buffers()[2], dtype=np.uint8)
    if rows is None:
        contiguous: npt.NDArray[np.uint8] = data[offsets[0] : offsets[0] + n * width]
        return contiguous.reshape(n, width)
    picked: npt.NDArray[np.uint8] = data[starts[:, None] + np.arange(width)]
    return picked


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
