"""Large curve files: the parsed rows wait in a temporary file by buckets of PRMs, and the
loader reads the same series, computes the same result and names the same lines as when
everything is held in memory."""

from __future__ import annotations

import errno
import io
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from acc_helpers import PARIS, long_csv, write
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from linkytool.acc import (
    AccInputError,
    CoefficientError,
    GapPolicy,
    KeyKind,
    LoadOptions,
    load_operation,
    run_operation,
)
from linkytool.acc import spool as spool_module
from linkytool.acc.spool import CoefficientSpool, RowSpool, summarise, summarise_groups
from linkytool.cli import cli

START = datetime(2026, 6, 1, tzinfo=PARIS)


@pytest.fixture
def in_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every curve file spooled to disk, two PRMs per bucket, written in small segments."""
    with monkeypatch.context() as patch:
        patch.setattr(spool_module, "MEMORY_BUDGET_BYTES", 0)
        patch.setattr(spool_module, "BUCKET_PRMS", 2)
        patch.setattr(spool_module, "FLUSH_BYTES", 64)
        yield


starts_of_group = st.one_of(
    st.lists(st.integers(0, 40), max_size=6, unique=True).map(sorted),  # rising
    st.lists(st.integers(0, 12), max_size=6),  # any order, repeats
)


@given(st.lists(starts_of_group, min_size=1, max_size=6), st.sampled_from([300, 900]))
def test_group_summaries_equal_one_by_one(groups: list[list[int]], step: int) -> None:
    arrays = [np.array(group, dtype=np.int64) * step for group in groups]
    bounds = np.concatenate(([0], np.cumsum([a.size for a in arrays]))).astype(np.int64)
    starts = np.concatenate(arrays).astype(np.int64)
    assert summarise_groups(starts, bounds) == [summarise(a) for a in arrays]


rows = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 50)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(rows, st.permutations(range(7)), st.integers(1, 9))
def test_spool_in_file_gives_the_rows_in_memory(
    table: list[tuple[int, int]], names: list[int], block: int
) -> None:
    """PRMs numbered in order of appearance but named in another order (buckets then follow
    the names' order), rows cut into blocks: each PRM's rows come back in file order."""
    present = sorted({code for code, _ in table}, key=[code for code, _ in table].index)
    codes_of = {code: k for k, code in enumerate(present)}  # codes in order of appearance
    prms = [f"3000000000000{names[code]}" for code in present]
    outcomes = []
    for budget in (1 << 30, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(spool_module, "BUCKET_PRMS", 2)
            patch.setattr(spool_module, "FLUSH_BYTES", 100)
            spool = RowSpool(budget)
            for first in range(0, len(table), block):
                part = table[first : first + block]
                spool.add(
                    np.array([codes_of[c] for c, _ in part], dtype=np.int64),
                    np.array([900 * s for _, s in part], dtype=np.int64),
                    np.array([float(s) / 2 for _, s in part]),
                    np.arange(first, first + len(part), dtype=np.int64) + 2,
                )
            assert spool.in_memory == (budget > 0 or not table)
            indexes = spool.finish(prms)
            outcomes.append(
                {
                    prm: (*(a.tolist() for a in spool.rows(index)), summary)
                    for prm, (index, summary) in sorted(
                        zip(prms, indexes, strict=True), key=lambda item: item[1][0]
                    )
                }
            )
    assert outcomes[0] == outcomes[1]
    for prm, (starts, values, lines, summary) in outcomes[1].items():
        code = present[prms.index(prm)]
        expected = [(k + 2, s) for k, (c, s) in enumerate(table) if c == code]
        assert lines == [line for line, _ in expected]
        assert starts == [900 * s for _, s in expected]
        assert values == [s / 2 for _, s in expected]
        assert summary == summarise(np.array(starts, dtype=np.int64))


def _operation_files(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    """Consumers in reverse PRM order, one of them split over two files, one at 5 min."""
    prms = [f"300000000000{k:02d}" for k in range(7, 0, -1)]
    series = {prm: [100.0 * k + (j % 5) for j in range(8)] for k, prm in enumerate(prms)}
    first = write(tmp_path / "c1.csv", long_csv(series, START))
    late = datetime.fromtimestamp(START.timestamp() + 8 * 900, PARIS)
    second = write(tmp_path / "c2.csv", long_csv({prms[2]: [7.0] * 4}, late))
    fine = write(tmp_path / "c3.csv", long_csv({"30000000000099": [5.0] * 24}, START, 5))
    prod = write(tmp_path / "p.csv", long_csv({"20000000000001": [900.0] * 12}, START))
    return [first, second, fine], [prod]


def _load_and_run(consumers: list[Path], producers: list[Path]) -> tuple[object, ...]:
    operation = load_operation(consumers, producers, options=LoadOptions(gaps=GapPolicy.ZERO))
    result = run_operation(operation)
    return (
        operation.consumers,
        result.consumption_wh.tolist(),
        result.self_consumed_wh.tolist(),
        result.surplus_wh.tolist(),
        operation.consumption.chunk(0, operation.grid.n_steps).tolist(),
        dict(operation.input_report),
    )


def test_operation_loaded_from_the_file_spool_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    consumers, producers = _operation_files(tmp_path)
    in_memory = _load_and_run(consumers, producers)
    monkeypatch.setattr(spool_module, "MEMORY_BUDGET_BYTES", 0)
    monkeypatch.setattr(spool_module, "BUCKET_PRMS", 2)
    assert _load_and_run(consumers, producers) == in_memory


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_temporary_files_are_closed_once_placed(tmp_path: Path, in_file: None) -> None:
    consumers, producers = _operation_files(tmp_path)
    options = LoadOptions(gaps=GapPolicy.ZERO)
    load_operation(consumers, producers, options=options)  # pyarrow's own files open once
    before = _open_files()
    kept = [load_operation(consumers, producers, options=options) for _ in range(3)]
    assert _open_files() == before
    assert kept[0].consumers[0] == "30000000000001"


def _bad_files(tmp_path: Path, bad: dict[str, str]) -> tuple[Path, Path]:
    """Six consumers in reverse order, interleaved step by step; ``bad`` replaces lines."""
    prms = [f"300000000000{k:02d}" for k in range(6, 0, -1)]
    lines = ["prm,timestamp,w"]
    for j in range(8):
        moment = datetime.fromtimestamp(START.timestamp() + j * 900, PARIS).isoformat()
        lines += [f"{prm},{moment},{100 + j}" for prm in prms]
    text = "\n".join(lines) + "\n"
    for old, new in bad.items():
        assert old in text
        text = text.replace(old, new, 1)
    consumers = write(tmp_path / "c.csv", text)
    producers = write(tmp_path / "p.csv", long_csv({"20000000000001": [50.0] * 8}, START))
    return consumers, producers


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (  # misaligned, in two PRMs: the first in PRM order is named
            {
                "0005,2026-06-01T01:45": "0005,2026-06-01T01:52",
                "0002,2026-06-01T01:45": "0002,2026-06-01T01:50",
            },
            r"ligne 48 : horodatage 01/06/2026 01:50 hors de la grille",
        ),
        (  # the same step twice with other values
            {"0003,2026-06-01T00:15:00+02:00,101": "0003,2026-06-01T00:00:00+02:00,7"},
            r"c.csv, ligne 11 : PRM 30000000000003 : le pas du 01/06/2026 00:00 figure "
            r"deux fois avec des valeurs différentes \(100 W et 7 W, \S+c.csv, ligne 5\)",
        ),
        (
            {"0004,2026-06-01T01:00:00+02:00,104": "0004,2026-06-01T01:00:00+02:00,9e7"},
            r"ligne 28 : PRM 30000000000004 : puissance de 9e\+07 W",
        ),
        (  # a missing step: the line before it is named
            {"30000000000001,2026-06-01T00:30:00+02:00,102\n": ""},
            r"1 pas manquant pour le consommateur 30000000000001 : 01/06/2026 00:30 "
            r"\(après la ligne 13 de ",
        ),
    ],
)
def test_messages_name_the_same_lines_from_the_file_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: dict[str, str], message: str
) -> None:
    consumers, producers = _bad_files(tmp_path, bad)
    gaps = GapPolicy.ERROR if "manquant" in message else GapPolicy.ZERO
    texts = []
    for budget in (1 << 30, 0):
        monkeypatch.setattr(spool_module, "MEMORY_BUDGET_BYTES", budget)
        monkeypatch.setattr(spool_module, "BUCKET_PRMS", 2)
        with pytest.raises(AccInputError) as caught:  # gaps filled: the other errors show
            load_operation([consumers], [producers], options=LoadOptions(gaps=gaps))
        texts.append(str(caught.value))
    assert texts[0] == texts[1]
    assert re.search(message, texts[0], re.DOTALL), texts[0]


coefficient_lines = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 5), st.floats(0, 1)), max_size=80
)


@settings(max_examples=80, deadline=None)
@given(coefficient_lines, st.sampled_from([(6,), (2, 3)]), st.integers(1, 10), st.integers(1, 4))
def test_coefficients_from_the_file_spool_equal_the_dense_array(
    lines: list[tuple[int, int, float]], shape: tuple[int, ...], chunk: int, bucket: int
) -> None:
    """Lines in any order, duplicates refused the same way, any chunk of steps."""
    outcomes = []
    for budget in (1 << 30, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(spool_module, "COEFFICIENT_BUCKET_VALUES", 6 * bucket)
            patch.setattr(spool_module, "COEFFICIENT_BATCH", 7)
            patch.setattr(spool_module, "FLUSH_BYTES", 64)
            store = CoefficientSpool(10, shape, budget)
            assert store.in_memory == (budget > 0)
            accepted = [store.add(step, position, value) for step, position, value in lines]
            store.finish()
            blocks = [store.chunk(first, min(10, first + chunk)) for first in range(0, 10, chunk)]
            given_blocks = [
                store.given(first, min(10, first + chunk)) for first in range(0, 10, chunk)
            ]
            outcomes.append(
                (
                    accepted,
                    np.concatenate([values for values, _ in blocks]).tolist(),
                    np.concatenate([covered for _, covered in blocks]).tolist(),
                    np.concatenate(given_blocks).reshape(10, 6).tolist(),
                )
            )
    assert outcomes[0] == outcomes[1]
    accepted, values, covered, given_positions = outcomes[1]
    dense = np.zeros((10, 6))
    seen: set[tuple[int, int]] = set()
    for (step, position, value), kept in zip(lines, accepted, strict=True):
        assert kept == ((step, position) not in seen)
        if kept:
            seen.add((step, position))
            dense[step, position] = value
    assert np.array(values).reshape(10, 6).tolist() == dense.tolist()
    assert covered == [any(s == step for s, _ in seen) for step in range(10)]
    # which positions a line gave (a coefficient of 0 % given is not a missing one)
    assert given_positions == [[(step, k) in seen for k in range(6)] for step in range(10)]


def _coefficient_case(tmp_path: Path, duplicate: bool) -> tuple[Path, Path, Path]:
    consumers = [f"3000000000000{k}" for k in (3, 1, 2)]
    producers = ["20000000000002", "20000000000001"]
    c = write(
        tmp_path / "c.csv",
        long_csv({p: [300.0 + 50 * k for k in range(6)] for p in consumers}, START),
    )
    p = write(
        tmp_path / "p.csv", long_csv({p: [400.0, 0, 900, 100, 50, 700] for p in producers}, START)
    )
    lines = ["timestamp,producer,consumer,coefficient"]
    for k in range(6):
        if k == 2:
            continue  # a step without coefficients: the default key stands in
        stamp = datetime.fromtimestamp(START.timestamp() + 900 * k, PARIS).isoformat()
        for j, producer in enumerate(producers):
            for i, consumer in enumerate(consumers):
                lines.append(f"{stamp},{producer},{consumer},{(10 * (i + j + k)) % 40}")
    if duplicate:
        lines.insert(9, lines[4].replace(",0", ",5").replace(",10", ",15"))
    k = write(tmp_path / ("k2.csv" if duplicate else "k.csv"), "\n".join(lines) + "\n")
    return c, p, k


def test_full_dynamic_coefficients_streamed_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c, p, k = _coefficient_case(tmp_path, duplicate=False)
    options = LoadOptions(key=KeyKind.FULL)
    outcomes = []
    for budget in (1 << 30, 0):
        monkeypatch.setattr(spool_module, "MEMORY_BUDGET_BYTES", budget)
        monkeypatch.setattr(spool_module, "COEFFICIENT_BUCKET_VALUES", 12)  # two steps
        operation = load_operation([c], [p], coefficients=k, options=options)
        assert operation.coefficients is not None
        assert operation.coefficients.in_memory == (budget > 0)  # type: ignore[attr-defined]
        result = run_operation(operation, chunk_steps=1)
        outcomes.append(
            (
                result.self_consumed_wh.tolist(),
                result.pairs_wh.tolist(),
                result.default_key_steps.tolist(),
            )
        )
        monkeypatch.setattr(spool_module, "MEMORY_BUDGET_BYTES", budget)
        with pytest.raises(CoefficientError) as caught:
            load_operation(
                [c], [p], coefficients=_coefficient_case(tmp_path, True)[2], options=options
            )
        outcomes.append(str(caught.value))
    assert outcomes[0] == outcomes[2]
    assert outcomes[0][2] == [2]  # type: ignore[index]
    assert outcomes[1] == outcomes[3]
    assert re.search(r"k2.csv, ligne 10 : coefficient en double", outcomes[1]), outcomes[1]  # type: ignore[arg-type]


class _FullDisk(io.BytesIO):
    def write(self, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            OSError(errno.EACCES, "denied"),
            "fichier temporaire des courbes lues : permission refusée",
        ),
        (None, "fichier temporaire des courbes lues : disque plein"),
    ],
)
def test_an_unwritable_temporary_folder_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: OSError | None, message: str
) -> None:
    """Exit 6 with what to do (TMPDIR), not a traceback and not a half-read operation."""
    consumers, producers = _operation_files(tmp_path)
    monkeypatch.setattr(spool_module, "MEMORY_BUDGET_BYTES", 0)

    def temporary_file(**_: object) -> io.BytesIO:
        if failure is not None:
            raise failure
        return _FullDisk()

    monkeypatch.setattr(spool_module.tempfile, "TemporaryFile", temporary_file)
    args = ["acc", "run", "--gaps", "zero", "-o", str(tmp_path / "out")]
    for path in consumers:
        args += ["--consumers", str(path)]
    result = CliRunner().invoke(cli, [*args, "--producers", str(producers[0])])
    assert result.exit_code == 6, result.output
    assert message in result.output and "TMPDIR" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
