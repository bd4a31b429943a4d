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

from linkytool.acc.csvtext import PLAUSIBLE_INSTANTS, CsvTable, parse_instant
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
        self._prm_codes: dict[int, int] = {}
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
        """Code of each row's PRM (see :func:`_fixed_width`): 14 ASCII digits read as an
        integer, runs of equal PRMs (files grouped by PRM) found by comparing neighbours."""
        digits = _fixed_width(prms, 14, present)
        if digits is None or not ((digits >= 48) & (digits <= 57)).all():
            raise FastPathRejected("PRM")  # the exact reader words the problem
        numbers = (digits.astype(np.int64) - 48) @ (10 ** np.arange(13, -1, -1, dtype=np.int64))
        n = numbers.size
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        heads = np.flatnonzero(numbers[1:] != numbers[:-1]) + 1
        if heads.size < n // 64:
            heads = np.concatenate(([0], heads))
            run_codes = self._lookup(numbers[heads])
            result: IntArray = np.repeat(run_codes, np.diff(np.concatenate((heads, [n]))))
            return result
        distinct, inverse = np.unique(numbers, return_inverse=True)
        indexed: IntArray = self._lookup(distinct)[inverse.reshape(-1)]
        return indexed

    def _lookup(self, numbers: IntArray) -> IntArray:
        """Codes of distinct PRMs (as integers), in order of first appearance."""
        lookup = np.empty(numbers.size, dtype=np.int64)
        for k, number in enumerate(numbers.tolist()):
            code = self._prm_codes.get(number)
            if code is None:
                code = self._prm_codes[number] = len(self.prms)
                self.prms.append(f"{number:014d}")
            lookup[k] = code
        return lookup

    def _starts(self, stamps: Any, present: npt.NDArray[np.bool_] | None) -> IntArray:
        """Epoch seconds of each row's timestamp: the canonical ``YYYY-MM-DDThh:mm:ss+hh:mm``
        computed with numpy (:func:`iso_instants`), any other layout parsed once per
        distinct text by the exact reader's :func:`parse_instant`."""
        chars = _fixed_width(stamps, 25, present)
        if chars is not None:
            instants = iso_instants(chars)
            if instants is not None:
                return instants
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


#: Positions of the digits and separators of ``YYYY-MM-DDThh:mm:ss+hh:mm``.
_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24])
_SEPARATORS = {4: b"-", 7: b"-", 10: b"T ", 13: b":", 16: b":", 19: b"+-", 22: b":"}
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def iso_instants(chars: npt.NDArray[np.uint8]) -> IntArray | None:
    """Epoch seconds of ``(n, 25)`` timestamps ``YYYY-MM-DDThh:mm:ss+hh:mm`` (``T`` or a
    space), or None when one of them is not a valid date, time and offset of that exact
    layout within the plausible years: then the exact reader decides.

    For this layout the result is what ``datetime.fromisoformat(text).timestamp()`` gives
    (the property tests compare both).
    """
    for position, allowed in _SEPARATORS.items():
        column = chars[:, position]
        ok = column == allowed[0]
        if len(allowed) > 1:
            ok |= column == allowed[1]
        if not ok.all():
            return None
    digits = chars[:, _DIGITS].astype(np.int64) - 48
    if ((digits < 0) | (digits > 9)).any():
        return None
    value = digits[:, 0::2] * 10 + digits[:, 1::2]  # pairs: YY YY MM DD hh mm ss oh om
    year = value[:, 0] * 100 + value[:, 1]
    month, day, hour, minute, second = (value[:, k] for k in range(2, 7))
    off_h, off_m = value[:, 7], value[:, 8]
    if not (
        ((month >= 1) & (month <= 12)).all()
        and (hour <= 23).all()
        and (minute <= 59).all()
        and (second <= 59).all()
        and (off_h <= 23).all()
        and (off_m <= 59).all()
    ):
        return None
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days_in_month = _MONTH_DAYS[month] + (leap & (month == 2))
    if not ((day >= 1) & (day <= days_in_month)).all():
        return None
    # days from the civil date (H. Hinnant's algorithm), then seconds, minus the offset
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    sign = np.where(chars[:, 19] == ord("-"), -1, 1)
    instants: IntArray = (
        days * 86400 + hour * 3600 + minute * 60 + second - sign * (off_h * 3600 + off_m * 60)
    )
    low, high = PLAUSIBLE_INSTANTS
    if not ((instants >= low) & (instants < high)).all():
        return None
    return instants


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
