"""Speed autodetection: group scoring, and the reader against the simulator on a pty whose
speed the simulator honours (it reads the pty's termios back)."""

from __future__ import annotations

import os
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkytool.tic import TicMode
from linkytool.tic.autodetect import GroupScore, detect_speed
from linkytool.tic.serialio import FrameReceived, ModeDetected, TicReader, open_port
from linkytool.tic.sim_line import UartLine
from linkytool.tic.sim_serve import PtySink, SimulatorServer, serve_pty
from linkytool.tic.simulator import MeterSimulator


def test_group_score_on_real_captures(samples_real: Path) -> None:
    tic = samples_real / "tic"
    standard = GroupScore()
    standard.feed((tic / "goteleinfo-standard-mono.bin").read_bytes())
    assert standard.valid_standard >= 30 and standard.bad == 0
    assert standard.mode is TicMode.STANDARD and standard.accepted()
    historique = GroupScore()
    historique.feed((tic / "pyteleinfo-historique-tempo.bin").read_bytes())
    assert historique.valid_historique >= 60 and historique.mode is TicMode.HISTORIQUE


def test_group_score_is_chunk_independent_and_bounded() -> None:
    data = MeterSimulator(seed=1).next_frame() * 2
    whole, bytewise = GroupScore(), GroupScore()
    whole.feed(data)
    for index in range(len(data)):
        bytewise.feed(data[index : index + 1])
    assert (whole.valid, whole.bad) == (bytewise.valid, bytewise.bad)
    noise = GroupScore()
    noise.feed(b"\n" + b"x" * 10_000)
    assert len(noise._pending) <= 200 and not noise.accepted()


def test_group_score_refuses_mostly_bad_streams() -> None:
    score = GroupScore()
    score.feed(b"\nA 1 B\r" * 3 + b"\nPAPP 00180 *\r" * 3 + b"\n")
    assert score.valid == 3 and score.bad == 3 and not score.accepted()


def test_pty_speed_is_shared_between_master_and_slave() -> None:
    sink = PtySink(1200)
    try:
        port = open_port(sink.slave_path, 1200)
        assert sink.reader_baud() == 1200
        port.baudrate = 9600
        assert sink.reader_baud() == 9600
        attributes = termios.tcgetattr(sink.master)
        assert attributes[5] == termios.B9600
        port.close()
    finally:
        sink.close()


@pytest.fixture
def served() -> Iterator[list[SimulatorServer]]:
    servers: list[SimulatorServer] = []
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.parametrize(("mode", "baud"), [(TicMode.STANDARD, 9600), (TicMode.HISTORIQUE, 1200)])
def test_reader_finds_the_simulators_speed_on_a_pty(
    served: list[SimulatorServer], mode: TicMode, baud: int
) -> None:
    server = serve_pty(MeterSimulator(mode, seed=3))
    served.append(server)
    reader = TicReader(server.path)
    started = time.monotonic()
    detected = None
    frames = []
    for event in reader:
        if isinstance(event, ModeDetected):
            detected = event
        elif isinstance(event, FrameReceived):
            frames.append(event.frame)
            if len(frames) >= 2:
                reader.stop()
        if time.monotonic() - started > 15:
            reader.stop()
    assert detected is not None and detected.baud == baud and detected.mode is mode
    assert detected.elapsed_s < 4.0
    assert frames[-1].valid and frames[-1].mode is mode


def test_detect_speed_on_a_pty_reports_garbage_at_the_wrong_speed(
    served: list[SimulatorServer],
) -> None:
    # at 4 times the line's rate, the 0.4 s window at the wrong speed sees as many bytes
    # as 1.6 s of a real line (it was 0.8 s at the real rate)
    server = serve_pty(MeterSimulator(TicMode.HISTORIQUE, seed=4), pace=4)
    served.append(server)
    port = open_port(server.path, 9600)
    try:
        detection = detect_speed(port, (9600,), windows={9600: 0.4})
        assert detection.baud is None and detection.tried == (9600,)
        assert detection.scores[9600].valid == 0
        detection = detect_speed(port, (1200,), windows={1200: 3.0})
        assert detection.baud == 1200 and detection.mode is TicMode.HISTORIQUE
        assert detection.data  # kept for the decoder and the recording
    finally:
        port.close()


def test_simulator_drops_bytes_nobody_reads(served: list[SimulatorServer]) -> None:
    started = time.monotonic()
    server = serve_pty(MeterSimulator(seed=5), fast=False, pace=4)  # paced, 4 times faster
    served.append(server)
    deadline = time.monotonic() + 10
    while server.frames_sent < 2 and time.monotonic() < deadline:  # poll, no fixed sleep
        time.sleep(0.05)
    # two whole frames went out although nobody reads: the meter never waits
    assert server.frames_sent >= 2 and server.error is None
    assert os.path.exists(server.path)
    # paced at 4 times the line's rate, not sent as fast as possible (the first 50 ms
    # slice goes out at once)
    rate = 4 * server.simulator.byte_rate
    assert time.monotonic() - started >= server.bytes_sent / rate - 0.1


@given(st.lists(st.binary(max_size=120), max_size=12))
def test_group_score_never_crashes_and_counts_every_byte(chunks: list[bytes]) -> None:
    """Any chunking of any bytes scores exactly like the whole stream, every valid group
    it counts is one whose checksum really holds, and memory stays bounded (was:
    ``valid >= 0 and bad >= 0``, true of any counter)."""
    from linkytool.tic.autodetect import MASK_7, MAX_GROUP
    from linkytool.tic.checksum import matching_method

    score, whole = GroupScore(), GroupScore()
    for chunk in chunks:
        score.feed(chunk)
        assert len(score._pending) <= MAX_GROUP + 120
    data = b"".join(chunks)
    whole.feed(data)
    assert score.bytes_seen == len(data)
    assert (score.valid_standard, score.valid_historique) == (
        whole.valid_standard,
        whole.valid_historique,
    )
    masked = data.translate(MASK_7)
    genuine = [
        line
        for line in (part.split(b"\r")[0] for part in masked.split(b"\n")[1:] if b"\r" in part)
        if 3 <= len(line) <= MAX_GROUP
        and (
            matching_method(line, 0x09, allow_method1=False)
            or matching_method(line, 0x20, allow_method1=True)
        )
    ]
    assert score.valid <= len(genuine)


@given(st.binary(max_size=200), st.sampled_from([300, 1200, 4800, 9600, 19200]))
def test_uart_line_at_any_speed_never_crashes(data: bytes, rx_baud: int) -> None:
    out = UartLine(1200).transfer(data, rx_baud)
    assert all(byte < 0x80 for byte in out)
