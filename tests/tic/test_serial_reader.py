"""TicReader against scripted ports: detection, nothing lost across unplugs, stop()."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from linkytool.errors import OutputError
from linkytool.tic import read_capture
from linkytool.tic.recorder import load_recording
from linkytool.tic.serial_errors import PortNotFoundError, PortPermissionError, SerialPortError
from linkytool.tic.serialio import (
    Connected,
    Disconnected,
    FrameReceived,
    ModeDetected,
    NoSignal,
    ReaderError,
    ReaderEvent,
    Reconnected,
    Silence,
    TicReader,
)
from linkytool.tic.simulator import MeterSimulator

START = datetime(2026, 11, 20, 14, 32, tzinfo=UTC)
WINDOWS = {9600: 0.3, 1200: 0.3}


class ScriptedPort:
    """A port returning scripted chunks (an Exception item = the adapter vanished)."""

    def __init__(self, chunks: list[bytes | Exception], good_baud: int = 9600) -> None:
        self.chunks = list(chunks)
        self.good_baud = good_baud
        self.baudrate = 9600
        self.closed = False

    @property
    def in_waiting(self) -> int:
        return 0

    def reset_input_buffer(self) -> None:
        pass

    def read(self, size: int = 1) -> bytes:
        if self.baudrate != self.good_baud:
            time.sleep(0.005)
            return b"\x00\x7f\x60\x00"  # what a wrong speed looks like
        if not self.chunks:
            time.sleep(0.005)
            return b""
        item = self.chunks.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def close(self) -> None:
        self.closed = True


class Opener:
    """Hands out scripted ports in turn; an Exception item is raised instead."""

    def __init__(self, *ports: ScriptedPort | Exception) -> None:
        self.ports = list(ports)
        self.calls = 0

    def __call__(self, url: str, baud: int, *, timeout: float) -> ScriptedPort:
        self.calls += 1
        if not self.ports:
            raise PortNotFoundError("absent")
        item = self.ports.pop(0)
        if isinstance(item, Exception):
            raise item
        item.baudrate = baud
        return item


def frames_bytes(count: int, mode: str = "standard", seed: int = 1) -> bytes:
    simulator = MeterSimulator(mode, seed=seed, start=START)
    return b"".join(simulator.next_frame() for _ in range(count))


def chunked(data: bytes, size: int) -> list[bytes | Exception]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def collect(reader: TicReader, *, until: int, timeout: float = 10.0) -> list[ReaderEvent]:
    """Events until ``until`` frames were received (then stop) or the timeout."""
    timer = threading.Timer(timeout, reader.stop)
    timer.start()
    events: list[ReaderEvent] = []
    try:
        for event in reader:
            events.append(event)
            frames = sum(isinstance(e, FrameReceived) for e in events)
            if frames >= until:
                reader.stop()
    finally:
        timer.cancel()
    return events


def frames_of(events: list[ReaderEvent]) -> list[Any]:
    return [e.frame for e in events if isinstance(e, FrameReceived)]


def test_reads_frames_and_drops_only_the_leading_fragment() -> None:
    data = frames_bytes(4)
    port = ScriptedPort(chunked(data[37:], 100))  # starts mid-group, like a real plug-in
    events = collect(TicReader("fake", opener=Opener(port), listen_windows=WINDOWS), until=4)
    assert isinstance(events[0], Connected)
    detected = next(e for e in events if isinstance(e, ModeDetected))
    assert detected.baud == 9600 and detected.mode is not None and detected.mode.value == "standard"
    frames = frames_of(events)
    assert len(frames) == 4
    assert all(not frame.bad_groups for frame in frames)  # no fake checksum error
    assert [frame.valid for frame in frames[1:]] == [True, True, True]
    assert port.closed


def test_chunking_does_not_change_the_frames() -> None:
    data = frames_bytes(3)
    whole = frames_of(collect(TicReader("x", opener=Opener(ScriptedPort([data]))), until=3))
    bytewise = frames_of(
        collect(TicReader("x", opener=Opener(ScriptedPort(chunked(data, 7)))), until=3)
    )
    assert whole == bytewise and len(whole) == 3


def test_historique_speed_is_found_after_standard_fails() -> None:
    data = frames_bytes(3, "historique")
    port = ScriptedPort(chunked(data, 40), good_baud=1200)
    reader = TicReader("x", opener=Opener(port), listen_windows=WINDOWS)
    events = collect(reader, until=2)
    detected = next(e for e in events if isinstance(e, ModeDetected))
    assert detected.baud == 1200 and detected.mode is not None
    assert detected.mode.value == "historique"
    assert all(frame.mode.value == "historique" for frame in frames_of(events))


def test_no_signal_is_reported_and_reading_goes_on() -> None:
    port = ScriptedPort([], good_baud=300)
    reader = TicReader("x", opener=Opener(port), listen_windows={9600: 0.05, 1200: 0.05})
    threading.Timer(0.5, reader.stop).start()
    events = list(reader)
    no_signal = [e for e in events if isinstance(e, NoSignal)]
    assert no_signal and no_signal[0].bauds_tried == (9600, 1200)
    assert "I1/I2" in no_signal[0].message and no_signal[0].bytes_seen > 0
    assert not frames_of(events)


def test_forced_mode_skips_detection_of_the_other_speed() -> None:
    data = frames_bytes(2)
    reader = TicReader("x", mode="standard", opener=Opener(ScriptedPort(chunked(data, 64))))
    assert reader.candidate_bauds() == (9600,)
    events = collect(reader, until=2)
    detected = next(e for e in events if isinstance(e, ModeDetected))
    assert detected.forced and detected.baud == 9600
    assert TicReader("x", baud=4800).candidate_bauds() == (4800,)


def test_unplug_keeps_what_was_received_and_resumes(tmp_path: Path) -> None:
    data = frames_bytes(6)
    cut = data.index(b"\x02", 2000) + 300  # mid-frame
    first = ScriptedPort([*chunked(data[:cut], 128), OSError(5, "Input/output error")])
    second = ScriptedPort(chunked(data[cut + 50 :], 128))
    opener = Opener(first, PortNotFoundError("absent"), second)
    record = tmp_path / "live.tic"
    reader = TicReader(
        "x", opener=opener, record=record, reconnect_interval=0.01, listen_windows=WINDOWS
    )
    events = collect(reader, until=6)
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("Disconnected") < kinds.index("Reconnected")
    lost = kinds.index("Disconnected")
    cut_frame = events[lost - 1]
    assert isinstance(cut_frame, FrameReceived)
    assert not cut_frame.frame.complete and len(cut_frame.frame.groups) > 3
    assert any("EOT" in note for note in cut_frame.frame.errors)
    assert not any(frame.bad_groups for frame in frames_of(events))
    assert isinstance(events[lost], Disconnected) and "débranché" in events[lost].message
    assert reader.stats.disconnects == 1
    # the recording replays exactly what the live reader showed
    metadata, payload = load_recording(record)
    assert metadata.mode == "standard" and metadata.baud == 9600
    assert b"\x04" in payload
    assert read_capture(record) == frames_of(events)


def test_without_reconnect_the_first_unplug_ends_reading() -> None:
    port = ScriptedPort([*chunked(frames_bytes(2), 200), OSError(5, "gone")])
    reader = TicReader("x", opener=Opener(port), reconnect=False)
    events = list(reader)
    assert isinstance(events[-1], Disconnected) or isinstance(events[-2], Disconnected)
    assert len(frames_of(events)) >= 2


def test_permission_problem_after_replug_is_reported_once() -> None:
    denied = PortPermissionError("Accès refusé au port x")
    port = ScriptedPort([*chunked(frames_bytes(1), 200), OSError(5, "gone")])
    opener = Opener(port, denied, denied, denied)
    reader = TicReader("x", opener=opener, reconnect_interval=0.01, reconnect_grace_s=0.0)
    threading.Timer(0.5, reader.stop).start()
    events = list(reader)
    assert opener.calls >= 5
    errors = [e for e in events if isinstance(e, ReaderError)]
    assert len(errors) == 1 and "Accès refusé" in errors[0].message


def test_open_failure_raises_or_is_delivered_by_run() -> None:
    failing = Opener(PortNotFoundError("Le port x n'existe pas."))
    with pytest.raises(SerialPortError):
        next(iter(TicReader("x", opener=failing)))
    received: list[ReaderEvent] = []
    TicReader("x", opener=Opener(PortNotFoundError("non"))).run(received.append)
    assert len(received) == 1 and isinstance(received[0], ReaderError)


def test_stop_from_another_thread_ends_a_silent_reader_quickly() -> None:
    reader = TicReader("x", opener=Opener(ScriptedPort([])), listen_windows=WINDOWS)
    received: list[ReaderEvent] = []
    worker = threading.Thread(target=reader.run, args=(received.append,))
    worker.start()
    deadline = time.monotonic() + 10
    while not received and time.monotonic() < deadline:  # the reader is connected, listening
        time.sleep(0.01)
    stopped = time.monotonic()
    reader.close()
    worker.join(timeout=5)
    assert not worker.is_alive() and time.monotonic() - stopped < 2.0
    assert isinstance(received[0], Connected)


def test_event_messages_are_french_and_kinds_are_stable() -> None:
    events: Iterator[ReaderEvent] = iter(
        [
            Connected("x", 9600),
            ModeDetected(None, 1200, 1.5),
            Disconnected("x", "plus de données"),
            Reconnected("x", 3.0),
            NoSignal((9600,), 2.0, 0),
        ]
    )
    kinds = []
    for event in events:
        assert event.message and event.message[0].isupper()
        kinds.append(event.kind)
    assert kinds == ["connected", "mode", "unplugged", "replugged", "no_signal"]


def test_silence_after_data_is_reported_once() -> None:
    port = ScriptedPort(chunked(frames_bytes(1), 200))
    reader = TicReader("x", opener=Opener(port), silence_s=0.2, listen_windows=WINDOWS)
    threading.Timer(1.0, reader.stop).start()
    events = list(reader)
    silences = [e for e in events if isinstance(e, Silence)]
    assert len(silences) == 1 and "I1/I2" in silences[0].message


def test_existing_recording_is_refused_before_opening(tmp_path: Path) -> None:
    existing = tmp_path / "old.tic"
    existing.write_bytes(b"keep me")
    opener = Opener(ScriptedPort([]))
    with pytest.raises(OutputError):
        TicReader("x", record=existing, opener=opener)
    assert opener.calls == 0 and existing.read_bytes() == b"keep me"
    with pytest.raises(OutputError) as caught:
        TicReader("x", record=tmp_path / "missing" / "new.tic", opener=opener)
    assert "n'existe pas" in str(caught.value) and opener.calls == 0


def test_imposed_mode_records_even_without_valid_groups(tmp_path: Path) -> None:
    record = tmp_path / "noisy.tic"
    port = ScriptedPort([], good_baud=300)  # only noise at 9600
    reader = TicReader(
        "x", mode="standard", record=record, opener=Opener(port), listen_windows=WINDOWS
    )
    threading.Timer(0.6, reader.stop).start()
    events = list(reader)
    detected = [e for e in events if isinstance(e, ModeDetected)]
    assert len(detected) == 1 and detected[0].forced and detected[0].baud == 9600
    metadata, _ = load_recording(record)
    assert metadata.mode == "standard" and metadata.baud == 9600


def test_a_brief_permission_error_while_udev_settles_is_not_reported() -> None:
    denied = PortPermissionError("Accès refusé au port x")
    first = ScriptedPort([*chunked(frames_bytes(1), 200), OSError(5, "gone")])
    second = ScriptedPort(chunked(frames_bytes(2, seed=2), 200))
    reader = TicReader("x", opener=Opener(first, denied, second), reconnect_interval=0.01)
    events = collect(reader, until=3)
    assert not [e for e in events if isinstance(e, ReaderError)]
    assert any(isinstance(e, Reconnected) for e in events)


def test_recording_can_start_and_stop_mid_session(tmp_path: Path) -> None:
    """The UI's record button: start and stop between events, files never overwritten."""
    first, second = tmp_path / "a.tic", tmp_path / "sub" / "b.tic"
    reader = TicReader("x", opener=Opener(ScriptedPort(chunked(frames_bytes(6), 150))))
    frames = 0
    stopped: Path | None = None
    for event in reader:
        if isinstance(event, FrameReceived):
            frames += 1
            if frames == 1:
                reader.start_recording(first)
            elif frames == 3:
                reader.start_recording(second)  # closes the first one
            elif frames == 5:
                stopped = reader.stop_recording()
                reader.stop()
    assert stopped == second and reader.recorder is None
    assert len(read_capture(first)) >= 2 and len(read_capture(second)) >= 2
    with pytest.raises(OutputError):
        reader.start_recording(first)  # an existing recording is never overwritten
