"""Bugs users met with ``tic read`` and ``tic decode``, each named after what they saw."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.tic import TicMode
from linkytool.tic.autodetect import GroupScore
from linkytool.tic.serialio import FrameReceived, ModeDetected, TicReader, open_port
from linkytool.tic.sim_serve import SimulatorServer, serve_pty
from linkytool.tic.simulator import MeterSimulator

from .helpers import with_parity_bit

LINKYTOOL = [sys.executable, "-m", "linkytool"]


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    server = serve_pty(MeterSimulator(seed=7), fast=True)
    yield server
    server.stop()


def _until(condition: object, deadline_s: float) -> None:
    """Poll ``condition()`` until true or the deadline passes."""
    deadline = time.monotonic() + deadline_s
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)


# -- issue 12: "Impossible d'ouvrir le port … (22, 'Invalid argument')" -----------------


def test_second_reader_of_the_simulator_pty_opens_it(simulator: SimulatorServer) -> None:
    for _ in range(5):  # open, close, open again...
        port = open_port(simulator.path, 9600)
        try:
            data = b""
            deadline = time.monotonic() + 10
            while b"\x03" not in data and time.monotonic() < deadline:
                data += port.read(256)
        finally:
            port.close()
        assert b"\x03" in data


@pytest.mark.slow
def test_tic_read_twice_on_the_simulator_pty(simulator: SimulatorServer) -> None:
    for _ in range(2):
        result = subprocess.run(
            [*LINKYTOOL, "tic", "read", "--port", simulator.path, "--frames", "1",
             "--format", "jsonl", "--timeout", "30"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "Invalid argument" not in result.stderr
        assert '"valid": true' in result.stdout


# -- issue 12: Ctrl+C gives exit 130 as the README says ----------------------------------


#: ``python -m linkytool ARGS`` with Ctrl+C handled and unblocked, as in a terminal.
AS_FROM_A_TERMINAL = (
    "import runpy, signal, sys\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})\n"
    "sys.argv = ['linkytool', *sys.argv[1:]]\n"
    "runpy.run_module('linkytool', run_name='__main__', alter_sys=True)\n"
)


def _sigint_state() -> str:
    """This process's SIGINT handler and its signal masks, for a failure message."""
    status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    masks = [line for line in status if line.startswith(("SigBlk", "SigIgn"))]
    return f"{signal.getsignal(signal.SIGINT)!r} {' '.join(masks)}"


@pytest.mark.slow
def test_ctrl_c_in_tic_read_exits_130_after_the_summary(simulator: SimulatorServer) -> None:
    # Both pipes are drained as the reader writes (the fast simulator fills a pipe in a
    # second), and the exit is awaited on the process, not on the pipes' end. If it does
    # not exit, faulthandler (SIGABRT) prints where each of its threads stands.
    # Started as from a terminal, where Ctrl+C is delivered. CI runs the suite as a
    # background job, which a shell starts with SIGINT ignored, and children inherit it:
    # tic read then rightly kept reading (faulthandler showed it in its read loop).
    inherited = _sigint_state()
    process = subprocess.Popen(
        [sys.executable, "-c", AS_FROM_A_TERMINAL, "tic", "read", "--port", simulator.path,
         "--format", "jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    first_frame = threading.Event()
    error_lines: list[str] = []

    def drain_stdout() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                first_frame.set()

    def drain_stderr() -> None:
        assert process.stderr is not None
        error_lines.extend(process.stderr)

    readers = [
        threading.Thread(target=drain, daemon=True) for drain in (drain_stdout, drain_stderr)
    ]
    for reader in readers:
        reader.start()
    try:
        assert first_frame.wait(60), "no frame read in 60 s"  # the reader runs
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            readers[1].join(10)
            pytest.fail(
                f"tic read still running 30 s after Ctrl+C (test process: {inherited}):\n"
                + "".join(error_lines)
            )
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    for reader in readers:
        reader.join(10)
    error = "".join(error_lines)
    assert process.returncode == 130, error
    assert "Lecture arrêtée (Ctrl+C)" in error and "PRM" in error
    assert "Traceback" not in error


# -- issue 16, item 10: auto mode on a port read 8N1 hung on "Pas de signal TIC" ---------


def test_group_score_reads_groups_whose_cr_has_the_parity_bit() -> None:
    score = GroupScore()
    score.feed(with_parity_bit(MeterSimulator(seed=2).next_frame() * 2))
    assert score.valid_standard >= 10 and score.accepted()


def test_auto_mode_finds_a_meter_read_8n1_over_a_pty() -> None:
    """7E1 bytes as an 8N1 port shows them (parity in bit 7) written on a raw pty."""
    master, slave = os.openpty()
    path = os.ttyname(slave)
    simulator = MeterSimulator(seed=4)
    stop = threading.Event()

    def meter() -> None:
        while not stop.is_set():
            try:
                os.write(master, with_parity_bit(simulator.next_frame()))
            except OSError:
                return
            time.sleep(0.05)

    writer = threading.Thread(target=meter, daemon=True)
    writer.start()
    reader = TicReader(path)
    detected: list[ModeDetected] = []
    frames = []
    timer = threading.Timer(20, reader.stop)
    timer.start()
    try:
        for event in reader:
            if isinstance(event, ModeDetected):
                detected.append(event)
            elif isinstance(event, FrameReceived) and event.frame.complete:
                frames.append(event.frame)
                reader.stop()
    finally:
        timer.cancel()
        stop.set()
        writer.join(timeout=5)
        os.close(master)
        os.close(slave)
    assert detected and detected[0].baud == 9600 and detected[0].mode is TicMode.STANDARD
    assert frames and frames[0].valid and frames[0].masked_bytes > 0


# -- issue 16, item 12: exit codes ------------------------------------------------------


@pytest.mark.parametrize("rate", ["nan", "inf", "-inf", "-0.1", "1.5", "abc"])
def test_max_error_rate_nan_is_refused(rate: str, samples_dir: Path) -> None:
    capture = samples_dir / "tic" / "damaged-standard.bin"
    result = CliRunner().invoke(cli, ["tic", "decode", str(capture), "--max-error-rate", rate])
    assert result.exit_code == 2
    assert "--max-error-rate" in result.stderr


def test_max_error_rate_still_fails_a_bad_capture(samples_dir: Path) -> None:
    capture = samples_dir / "tic" / "damaged-standard.bin"
    result = CliRunner().invoke(cli, ["tic", "decode", str(capture), "--max-error-rate", "0"])
    assert result.exit_code == 1


def test_decode_of_a_directory_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["tic", "decode", str(tmp_path)])
    assert result.exit_code == 3
    assert "dossier" in result.stderr
