"""The native reader of long curves reads exactly what the line-by-line reader reads.

Every accepted file gives the same series (starts, values, source lines), and every
refused file the same French message (file, line, hint), whichever reader runs: the fast
one hands any file it is not sure about to the exact one.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkytool.acc import curves, fastcsv, spool
from linkytool.acc.csvtext import read_table
from linkytool.acc.curves import CurveFile, read_long, read_long_exact
from linkytool.acc.errors import AccInputError
from linkytool.acc.fastcsv import LongReader

PRMS = [
    "30000000000001",
    "30000000000002",
    " 30000000000003",
    "3000000000004",
    "３０００００００００００００５",
    "",
]
STAMPS = [
    "2026-06-01T00:00:00+02:00",
    "2026-06-01T00:15:00+02:00",
    "2026-06-01 00:30:00+02:00",
    "2026-06-01T00:45:00",
    "hier",
    "9999-12-31T00:00:00+01:00",
    " 2026-06-01T01:00:00+02:00",
]
VALUES = [
    "100",
    "1.5",
    "1,5",
    "",
    " ",
    "-3",
    "1e300",
    "nan",
    "1_000",
    "５００",
    "+5",
    ".5",
    '"7"',
    "0",
    "-0",
]


def _outcome(read: object, path: Path) -> object:
    table = read_table(path)
    try:
        result = read(table)  # type: ignore[operator]
    except AccInputError as error:
        return ("error", str(error))
    assert isinstance(result, CurveFile)
    return (
        "ok",
        {
            prm: (s.starts.tolist(), s.values.tolist(), s.lines.tolist())
            for prm, s in sorted(result.series.items())
        },
    )


GOOD_PRMS = PRMS[:2]
GOOD_STAMPS = [STAMPS[0], STAMPS[1], STAMPS[2]]
GOOD_VALUES = ["100", "1.5", "0", "2500"]

good_rows = st.lists(
    st.tuples(
        st.sampled_from(GOOD_PRMS), st.sampled_from(GOOD_STAMPS), st.sampled_from(GOOD_VALUES)
    ),
    min_size=0,
    max_size=12,
)
row_index = st.integers(min_value=0, max_value=11)
odd_fields = st.one_of(
    st.tuples(row_index, st.just(0), st.sampled_from(PRMS)),
    st.tuples(row_index, st.just(1), st.sampled_from(STAMPS)),
    st.tuples(row_index, st.just(2), st.sampled_from(VALUES)),
)


@st.composite
def odd_files(draw: st.DrawFn, *, any_line_end: bool = True) -> bytes:
    """Mostly valid rows (so that the fast path runs) with a few odd fields and lines, comma
    or semicolon separated, LF or CRLF, with or without a BOM and a blank line."""
    table = [list(row) for row in draw(good_rows)]
    for row, column, text in draw(st.lists(odd_fields, max_size=2)):
        if row < len(table):
            table[row][column] = text
    semicolon = draw(st.booleans())
    crlf = any_line_end and draw(st.booleans())
    bom = any_line_end and draw(st.booleans())
    blank = draw(st.integers(min_value=-40, max_value=12))  # mostly none
    sep = ";" if semicolon else ","
    end = "\r\n" if crlf else "\n"
    lines = [sep.join(("prm", "timestamp", "w"))] + [sep.join(row) for row in table]
    if 0 <= blank < len(lines):
        lines.insert(blank + 1, "")
    text = end.join(lines) + end
    if semicolon:
        text = text.replace("1.5", "1,5")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=odd_files())
def test_fast_and_exact_readers_agree(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    assert _outcome(read_long, path) == _outcome(read_long_exact, path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=odd_files(any_line_end=False))
def test_both_readers_agree_through_the_file_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    """The same files read in blocks of a few lines, their rows spooled to disk one PRM per
    bucket (a large file's way)."""
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    in_memory = _outcome(read_long, path)
    with monkeypatch.context() as patch:
        patch.setattr(spool, "MEMORY_BUDGET_BYTES", 0)
        patch.setattr(spool, "BUCKET_PRMS", 1)
        patch.setattr(spool, "FLUSH_BYTES", 50)
        patch.setattr(fastcsv, "FAST_BLOCK_BYTES", 60)  # a few lines per block
        patch.setattr(fastcsv, "FAST_BLOCK_MIN", 60)
        patch.setattr(curves, "EXACT_BATCH_ROWS", 3)
        assert _outcome(read_long, path) == in_memory
        assert _outcome(read_long_exact, path) == in_memory


def _big_file(path: Path, n: int = 2000) -> Path:
    stamps = [
        f"2026-06-{1 + k // 96:02d}T{(k % 96) // 4:02d}:{15 * (k % 4):02d}:00+02:00"
        for k in range(n)
    ]
    text = "prm,timestamp,w\n" + "".join(
        f"{prm},{stamp},{k % 7 * 100}\n" for prm in PRMS[:2] for k, stamp in enumerate(stamps)
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_a_clean_file_takes_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _big_file(tmp_path / "c.csv")
    expected = _outcome(read_long_exact, path)

    def no_exact(table: object) -> CurveFile:
        raise AssertionError("the exact reader should not be needed")

    monkeypatch.setattr(curves, "read_long_exact", no_exact)
    assert _outcome(read_long, path) == expected


def test_interleaved_prms_are_grouped_in_file_order(tmp_path: Path) -> None:
    lines = ["prm,timestamp,w"]
    for k in range(40):
        lines.append(f"{PRMS[k % 2]},{STAMPS[k % 2]},{k}")
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _outcome(read_long, path) == _outcome(read_long_exact, path)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (
            "30000000000001,2026-06-01T00:15:00+02:00,abc",
            "ligne 1502 : La puissance « abc » n'est pas un nombre",
        ),
        (
            "30000000000001,2026-06-01T00:15:00+02:00,1_000",
            "ligne 1502 : La puissance « 1_000 » contient « _ »",
        ),
        (
            "30000000000001,2026-06-01T00:15:00+02:00,５００",
            "ligne 1502 : La puissance « ５００ » contient des caractères non ASCII",
        ),
        (
            "３0000000000001,2026-06-01T00:15:00+02:00,5",
            "ligne 1502 : PRM « ３0000000000001 » invalide",
        ),
        (
            "30000000000001,2026-06-01T00:15:00,5",
            "ligne 1502 : horodatage « 2026-06-01T00:15:00 » sans décalage",
        ),
        (
            "30000000000001,9999-06-01T00:15:00+02:00,5",
            "ligne 1502 : horodatage « 9999-06-01T00:15:00+02:00 » hors des années 2000 à 2099",
        ),
        ("30000000000001,2026-06-01T00:15:00+02:00", "ligne 1502 : 2 colonnes au lieu de 3"),
    ],
)
def test_a_bad_line_far_in_a_big_file_is_named_exactly(
    tmp_path: Path, bad_line: str, message: str
) -> None:
    path = _big_file(tmp_path / "c.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1501, bad_line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AccInputError, match=re.escape(message)):
        read_long(read_table(path))


def test_reader_refuses_other_encodings(tmp_path: Path) -> None:
    from linkytool.acc.fastcsv import FastPathRejected

    path = tmp_path / "c.csv"
    path.write_text(
        "prm,timestamp,w\n30000000000001,2026-06-01T00:00:00+02:00,5\n", encoding="utf-16"
    )
    table = read_table(path)
    with pytest.raises(FastPathRejected):
        LongReader(table, ["prm", "timestamp", "w"], (0, 1, 2))
    result = read_long(table)
    assert np.array_equal(result.series["30000000000001"].values, [5.0])
