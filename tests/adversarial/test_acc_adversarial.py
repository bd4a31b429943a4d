"""Adversarial inputs to `linkytool acc run`, by class: hostile CSV values, special files,
huge and deep inputs, interrupted writes.

Each case asserts the exit code, a French message without traceback, that nothing is lost
(a previous output set stays whole, no half-written set, no staging folder left), and
bounded time and memory: the command runs in a subprocess under ``resource`` limits
(address space, CPU seconds) with a wall-clock timeout.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from linkytool.cli import cli

from .harness import Limited, assert_clean, command, environment, run_limited

PARIS = ZoneInfo("Europe/Paris")
CONSUMERS = ("30002345679001", "30002345679002")
PRODUCER = "30002345678901"
OUTPUTS = {"participants.csv", "allocations.csv", "report.json"}

#: Address space allowed to every subprocess: 3 GiB; CPU time 120 s.
CPU_S = 120


def _command(*args: str) -> list[str]:
    return command("acc", "run", *args, cpu_s=CPU_S)


def _run(*args: str, cwd: Path, timeout: float = 120) -> Limited:
    return run_limited("acc", "run", *args, cwd=cwd, cpu_s=CPU_S, timeout=timeout)


@functools.cache
def _moments(days: int) -> tuple[str, ...]:
    """The quarter hours of ``days`` days from 02/03/2026, Paris time, in ISO form:
    computed once, not once per PRM and per curve (issue 14: 4 s of a test's CPU)."""
    start = datetime(2026, 3, 2, tzinfo=PARIS).astimezone(ZoneInfo("UTC"))
    return tuple(
        (start + timedelta(minutes=15 * k)).astimezone(PARIS).isoformat() for k in range(96 * days)
    )


def _curve(prms: tuple[str, ...], days: int, watts: Callable[[int, int], str]) -> str:
    moments = _moments(days)
    lines = ["prm,timestamp,w"]
    for p, prm in enumerate(prms):
        lines.extend(f"{prm},{moment},{watts(p, k)}" for k, moment in enumerate(moments))
    return "\n".join(lines) + "\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "c.csv").write_text(_curve(CONSUMERS, 1, lambda p, k: str(400 + k)))
    (tmp_path / "p.csv").write_text(
        _curve((PRODUCER,), 1, lambda p, k: "900" if 30 < k < 70 else "0")
    )
    return tmp_path


def _clean_failure(result: Limited, code: int, phrase: str) -> None:
    assert_clean(result, code, phrase)
    assert result.stderr.startswith("Erreur : "), result.stderr
    assert result.stdout == ""


def _coherent_set(out: Path) -> dict[str, bytes]:
    """The output folder holds one whole set: every file report.json lists, nothing else
    of ours, no staging folder. Returns the files' contents."""
    report = json.loads((out / "report.json").read_text("utf-8"))
    listed = set(report["outputs"])
    present = {p.name for p in out.iterdir() if not p.name.startswith(("inputs",))}
    assert not [n for n in present if n.startswith(".")], present  # no staging left
    assert present == listed, (present, listed)
    return {name: (out / name).read_bytes() for name in listed}


# --- hostile values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("1e300", "au-delà de 50 MW"),  # was accepted: curves.csv got -9223372036854775808
        ("1e308", "au-delà de 50 MW"),  # was an xlsxwriter TypeError with partial outputs
        ("５００", "caractères non ASCII"),  # fullwidth digits were read as 500
        ("1_000", "contient « _ »"),  # float() reads 1_000 as 1000
        ("inf", "n'est pas un nombre fini"),
    ],
)
def test_hostile_power_is_refused_and_nothing_is_written(
    work: Path, value: str, phrase: str
) -> None:
    text = (work / "c.csv").read_text().splitlines()
    text[5] = text[5].rsplit(",", 1)[0] + "," + value
    (work / "c.csv").write_text("\n".join(text) + "\n")
    result = _run("--consumers", "c.csv", "--producers", "p.csv", "-o", "out", cwd=work)
    _clean_failure(result, 3, phrase)
    assert "ligne 6" in result.stderr
    assert not (work / "out").exists()


def test_fullwidth_prm_is_refused(work: Path) -> None:
    text = (work / "c.csv").read_text().replace(CONSUMERS[1], "３０００２３４５６７９００２")
    (work / "c.csv").write_text(text)
    result = _run("--consumers", "c.csv", "--producers", "p.csv", "-o", "out", cwd=work)
    _clean_failure(result, 3, "chiffres pleine largeur")


def test_year_9999_timestamps_are_refused(work: Path) -> None:
    """Was a matplotlib OverflowError after the CSV outputs were written."""
    for name in ("c.csv", "p.csv"):
        text = (work / name).read_text().replace("2026-03-0", "9999-03-0")
        (work / name).write_text(text)
    result = _run("--consumers", "c.csv", "--producers", "p.csv", "-o", "out", cwd=work)
    _clean_failure(result, 3, "hors des années 2000 à 2099")
    assert not (work / "out").exists()


def test_data_connect_nested_5000_levels(work: Path) -> None:
    """Was a RecursionError traceback."""
    (work / "c.json").write_text("[" * 5000 + "]" * 5000)
    result = _run("--consumers", "c.json", "--producers", "p.csv", "-o", "out", cwd=work)
    _clean_failure(result, 3, "imbriqué trop profondément")


# --- special files -----------------------------------------------------------------------


def test_dev_zero_is_refused_at_once(work: Path) -> None:
    """Was an unbounded read ending in MemoryError."""
    started = time.monotonic()
    result = _run("--consumers", "/dev/zero", "--producers", "p.csv", "-o", "out", cwd=work)
    _clean_failure(result, 3, "pas un fichier ordinaire")
    assert time.monotonic() - started < 60


def test_fifo_is_refused_without_blocking(work: Path) -> None:
    os.mkfifo(work / "pipe.csv")
    result = _run("--consumers", "pipe.csv", "--producers", "p.csv", "-o", "out", cwd=work)
    _clean_failure(result, 3, "pas un fichier ordinaire")


def test_nul_byte_in_paths(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A NUL byte cannot cross execve: checked through the CLI in process."""
    monkeypatch.chdir(work)
    for args, code in (
        (["--consumers", "c\x00.csv", "--producers", "p.csv", "-o", "out"], 3),
        (["--consumers", "c.csv", "--producers", "p.csv", "-o", "o\x00ut"], 6),
    ):
        result = CliRunner().invoke(cli, ["acc", "run", *args])
        assert result.exit_code == code, (result.exit_code, result.output)
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(
            result.exception, SystemExit
        )


# --- huge and deep -----------------------------------------------------------------------


def test_100000_time_of_use_classes_are_refused_quickly(work: Path) -> None:
    """Took over 60 s before."""
    rows = "".join(f"C{k},all,00:00,24:00\n" for k in range(100_000))
    (work / "cal.csv").write_text("class,days,start,end\n" + rows)
    started = time.monotonic()
    result = _run(
        "--consumers", "c.csv", "--producers", "p.csv", "--calendar", "cal.csv", "-o", "out",
        cwd=work, timeout=60,
    )  # fmt: skip
    _clean_failure(result, 3, "plus de 64 postes horaires")
    assert time.monotonic() - started < 30


def test_100000_calendar_rules_run_in_linear_time(work: Path) -> None:
    """Many rules over few classes are accepted, at a cost linear in the rules."""
    empty = "".join(f"HC,mon,0{k % 10}:00,0{k % 10}:00\n" for k in range(100_000))
    (work / "cal.csv").write_text("class,days,start,end\n" + empty + "HP,all,00:00,24:00\n")
    started = time.monotonic()
    result = _run(
        "--consumers", "c.csv", "--producers", "p.csv", "--calendar", "cal.csv", "-o", "out",
        "--no-chart", cwd=work, timeout=90,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert time.monotonic() - started < 60
    report = json.loads((work / "out" / "report.json").read_text("utf-8"))
    assert report["time_of_use_classes"] == ["HC", "HP"]


def test_a_large_curve_stays_within_the_memory_limit(work: Path) -> None:
    """A month of 150 consumers (14 MB) under a 3 GiB address-space limit."""
    prms = tuple(f"3000000000{k:04d}" for k in range(150))
    (work / "big.csv").write_text(_curve(prms, 31, lambda p, k: str(100 + (p * k) % 900)))
    result = _run("--consumers", "big.csv", "--producers", "p.csv", "-o", "out", "--gaps", "zero",
                  "--no-chart", cwd=work)  # fmt: skip
    assert result.code == 0, result.stderr
    _coherent_set(work / "out")


# --- interrupted writes ------------------------------------------------------------------


def _first_set(work: Path) -> dict[str, bytes]:
    result = _run("--consumers", "c.csv", "--producers", "p.csv", "-o", "out", cwd=work)
    assert result.code == 0, result.stderr
    return _coherent_set(work / "out")


def test_a_failing_writer_leaves_the_previous_set_whole(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _first_set(work)
    monkeypatch.chdir(work)

    def full_disk(*args: object, **kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("linkytool.acc.outputs.monthly_workbook", full_disk)
    (work / "c.csv").write_text(_curve(CONSUMERS, 1, lambda p, k: str(500 + k)))
    result = CliRunner().invoke(
        cli, ["acc", "run", "--consumers", "c.csv", "--producers", "p.csv", "-o", "out"]
    )
    assert result.exit_code == 6, result.output
    assert _coherent_set(work / "out") == before


def test_ctrl_c_while_writing_exits_130_and_keeps_the_previous_set(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _first_set(work)
    monkeypatch.chdir(work)

    def interrupted(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr("linkytool.acc.outputs.production_chart", interrupted)
    (work / "c.csv").write_text(_curve(CONSUMERS, 1, lambda p, k: str(500 + k)))
    result = CliRunner().invoke(
        cli, ["acc", "run", "--consumers", "c.csv", "--producers", "p.csv", "-o", "out"]
    )
    assert result.exit_code == 130, result.output
    assert _coherent_set(work / "out") == before


def test_a_set_beside_the_users_files_is_replaced_whole(work: Path) -> None:
    """Output folder = the inputs' folder (per-file swap): inputs kept, old outputs out."""
    result = _run("--consumers", "c.csv", "--producers", "p.csv", "-o", ".", cwd=work)
    assert result.code == 0, result.stderr
    result = _run("--consumers", "c.csv", "--producers", "p.csv", "-o", ".", "--no-chart",
                  cwd=work)  # fmt: skip
    assert result.code == 0, result.stderr
    assert not (work / "production.png").exists()  # the previous run's chart went out
    assert (work / "c.csv").exists() and (work / "p.csv").exists()
    assert not [p for p in work.iterdir() if p.name.startswith(".acc-")]


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_a_run_killed_at_any_moment_leaves_one_whole_set(work: Path, signum: int) -> None:
    """Interrupted at several moments: the folder holds the old set or the new one, whole
    (never new participants beside an old report), and Ctrl+C exits 130."""
    prms = tuple(f"3000000000{k:04d}" for k in range(100))
    (work / "c.csv").write_text(_curve(prms, 31, lambda p, k: str(100 + (p + k) % 700)))
    (work / "p.csv").write_text(_curve((PRODUCER,), 31, lambda p, k: str(k % 96 * 900)))
    args = ("--consumers", "c.csv", "--producers", "p.csv", "-o", "out", "--curves", "always")
    assert _run(*args, cwd=work).code == 0
    before = _coherent_set(work / "out")
    for delay in (0.7, 1.8, 3.0):
        (work / "c.csv").write_text(
            _curve(prms, 31, lambda p, k, d=delay: str(100 + (p + k + int(d * 10)) % 700))
        )
        process = subprocess.Popen(
            _command(*args), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=environment(),
        )  # fmt: skip
        # the moment, or the run's end if it comes first (a finished run has nothing
        # left to interrupt: sleeping on after it waited up to 3 s for nothing)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=delay)
        process.send_signal(signum)  # a no-op once the run has ended
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr
        if signum == signal.SIGINT:
            assert process.returncode in (0, 130), (process.returncode, stderr)
        after = {
            name: data
            for name, data in _coherent_set_allowing_leftovers(work / "out", signum).items()
        }
        changed = {name for name in after if after[name] != before.get(name)}
        assert not changed or changed >= {"participants.csv", "report.json"}, changed
        before = after


def _coherent_set_allowing_leftovers(out: Path, signum: int) -> dict[str, bytes]:
    """As :func:`_coherent_set`; after SIGKILL a hidden staging folder next to or inside
    the output may remain (never mixed into the set), so it is removed first."""
    import shutil

    if signum == signal.SIGKILL:
        for leftover in [*out.parent.glob(".out.acc-*"), *out.glob(".acc-*")]:
            shutil.rmtree(leftover)
    return _coherent_set(out)
