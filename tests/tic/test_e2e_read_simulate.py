"""End to end: `linkytool tic read` against `linkytool tic simulate` over a pty, including
an unplug/replug (the simulator serves its pty through a symlink it re-points, like udev's
/dev/serial/by-id names)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkytool.tic import read_capture

pytestmark = pytest.mark.slow


def linkytool(*args: str) -> list[str]:
    return [sys.executable, "-m", "linkytool", *args]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run linkytool to completion (exit code checked by the test)."""
    return subprocess.run(linkytool(*args), capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def simulator(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Run `tic simulate` on a pty behind ``tmp_path/ttyTIC``; yield the link."""
    link = tmp_path / "ttyTIC"
    extra: list[str] = getattr(request, "param", [])
    process = subprocess.Popen(
        linkytool("tic", "simulate", "--link", str(link), "--seed", "1", *extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not link.exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "simulator did not start"
            time.sleep(0.05)
        yield link
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not link.is_symlink()  # SIGTERM stops the simulator cleanly


@pytest.mark.parametrize(
    "simulator", [["--unplug-every", "3", "--unplug-for", "0.3"]], indirect=True
)
def test_read_survives_unplug_and_records_what_it_showed(simulator: Path, tmp_path: Path) -> None:
    record = tmp_path / "session.tic"
    result = run_cli(
        "tic", "read", "--port", str(simulator), "--format", "jsonl",
        "--timeout", "6", "--record", str(record),
    )  # fmt: skip
    # Simulator time: unplugged at 3 s (the reader has 3 s to start), replugged at 3.3 s,
    # the reader reopens within 0.5 s and has a whole frame 0.9-1.8 s later (at ~5.6 s at
    # worst), its 6 s end is at 6.4 s or later (it was 7.5 s with 0.8 s unplugged).
    assert result.returncode == 0, result.stderr
    assert "Adaptateur débranché" in result.stderr
    assert "Adaptateur rebranché" in result.stderr
    assert "Traceback" not in result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) >= 4
    for item in objects:
        assert {"time", "mode", "meter", "valid", "groups", "errors"} <= set(item)
        assert item["mode"] == "standard"
        # a frame cut by the unplug may have lost its ADSC, never a wrong one
        assert item["meter"] in ("041864123456", None)
        assert item["meter"] or not item["valid"]
        for group in item["groups"].values():
            assert {"raw", "value", "unit"} <= set(group)
    last_valid = [item for item in objects if item["valid"]][-1]
    assert last_valid["groups"]["PRM"]["value"] == "30002345678901"
    assert "horodate" in last_valid["groups"]["DATE"]
    assert not any(item["bad_groups"] for item in objects)  # cuts are not checksum errors
    assert sum(item["valid"] for item in objects) >= 2
    # frames arrived after the replug too
    cut = next(i for i, item in enumerate(objects) if any("EOT" in e for e in item["errors"]))
    assert any(item["valid"] for item in objects[cut + 1 :])
    # the recording replays the same frames
    replay = read_capture(record)
    assert [frame.valid for frame in replay] == [item["valid"] for item in objects]
    assert [len(frame.groups) for frame in replay] == [len(item["groups"]) for item in objects]


def test_read_table_summary_in_consumer_mode(simulator: Path) -> None:
    # one frame holds all of the summary: each frame at 9600 baud takes 0.9 s of waiting
    result = run_cli("tic", "read", "--port", str(simulator), "--frames", "1", "--timeout", "20")
    assert result.returncode == 0, result.stderr
    assert "TIC mode standard, 9600 bauds" in result.stderr
    out = result.stdout
    assert "30002345678901" in out and "041864123456" in out
    assert "mode consommateur" in out and "photo" in out
    assert "écart" in out  # meter clock drift from the host clock


@pytest.mark.parametrize("simulator", [["--mode", "historique"]], indirect=True)
def test_read_csv_finds_historique_by_itself(simulator: Path) -> None:
    # one frame (1.3 s at 1200 baud) has its ADCO row and no injection data
    result = run_cli("tic", "read", "--port", str(simulator), "--format", "csv", "--frames", "1")
    assert result.returncode == 0, result.stderr
    assert "TIC mode historique, 1200 bauds" in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("frame,time,mode,meter,label")
    assert any(",historique,041864123456,ADCO," in line for line in lines)
    assert "aucune donnée" in result.stderr  # historique carries no injection data


def test_read_times_out_without_signal(tmp_path: Path) -> None:
    import os
    import tty

    master, slave = os.openpty()  # a port that never speaks
    tty.setraw(slave)
    try:
        # the timeout is expected to expire: a short one (it was 2.5 s)
        result = run_cli("tic", "read", "--port", os.ttyname(slave), "--timeout", "0.5")
    finally:
        os.close(master)
        os.close(slave)
    assert result.returncode == 4
    assert "Aucune trame TIC reçue" in result.stderr and "I1/I2" in result.stderr
