"""Recording format: header round trip, crash safety, read back by read_capture."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from linkytool.errors import ExitCode, OutputError
from linkytool.tic import read_capture
from linkytool.tic.recorder import (
    DISCONNECT_MARK,
    Recorder,
    RecordingError,
    RecordingMetadata,
    encode_header,
    is_recording,
    load_recording,
    parse_recording,
)
from linkytool.tic.simulator import MeterSimulator

START = datetime(2026, 11, 20, 14, 32, 5, tzinfo=UTC)
META = RecordingMetadata(mode="standard", baud=9600, start=START, port="/dev/ttyUSB0")


def test_header_round_trip_keeps_metadata_and_payload() -> None:
    data = encode_header(META) + b"\x02\n...\x03"
    metadata, payload = parse_recording(data)
    assert (metadata.mode, metadata.baud, metadata.start, metadata.port) == (
        "standard",
        9600,
        START,
        "/dev/ttyUSB0",
    )
    assert payload == b"\x02\n...\x03"
    assert is_recording(data) and not is_recording(b"\x02\nADSC")
    assert encode_header(META).count(b"\n") == 1


def test_unknown_header_keys_survive() -> None:
    data = encode_header(RecordingMetadata("historique", 1200, START, extra={"site": "Lyon"}))
    metadata, _ = parse_recording(data)
    assert metadata.extra == {"site": "Lyon"}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x02\nADSC", "pas un enregistrement"),
        (b"#LINKYTOOL-TIC-RECORDING 1 {", "incomplet"),
        (b"#LINKYTOOL-TIC-RECORDING 1 {oops}\n", "illisible"),
        (b"#LINKYTOOL-TIC-RECORDING 9 {}\n", "plus récent"),
        (b'#LINKYTOOL-TIC-RECORDING 1 {"mode": "standard"}\n', "invalide"),
        (b"#LINKYTOOL-TIC-RECORDING 1 []\n", "objet JSON"),
    ],
)
def test_bad_headers_are_explained(data: bytes, fragment: str) -> None:
    with pytest.raises(RecordingError) as caught:
        parse_recording(data)
    assert fragment in str(caught.value)
    assert caught.value.exit_code == ExitCode.BAD_INPUT


def test_recorder_writes_flushes_and_marks_disconnections(tmp_path: Path) -> None:
    path = tmp_path / "capture.tic"
    recorder = Recorder(path, META)
    recorder.write(b"\x02\nAB")
    # flushed to the OS at once: a crash of the process loses nothing written
    assert path.read_bytes().endswith(b"\x02\nAB")
    recorder.mark_disconnect()
    recorder.write(b"\x02")
    recorder.close()
    recorder.close()
    metadata, payload = load_recording(path)
    assert payload == b"\x02\nAB" + DISCONNECT_MARK + b"\x02"
    assert recorder.bytes_written == len(payload)
    assert metadata.baud == 9600


def test_recorder_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "capture.tic"
    path.write_bytes(b"precious")
    with pytest.raises(OutputError) as caught:
        Recorder(path, META)
    assert "existe déjà" in str(caught.value)
    assert path.read_bytes() == b"precious"
    with pytest.raises(OutputError):
        Recorder(tmp_path / "missing-dir" / "x.tic", META)


def test_load_recording_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError):
        load_recording(tmp_path / "absent.tic")


def test_read_capture_reads_a_recording_like_the_raw_bytes(tmp_path: Path) -> None:
    simulator = MeterSimulator(seed=4, start=START)
    raw = b"".join(simulator.next_frame() for _ in range(5))
    path = tmp_path / "capture.tic"
    with Recorder(path, META) as recorder:
        recorder.write(raw[:1000])
        recorder.write(raw[1000:])
    raw_path = tmp_path / "capture.bin"
    raw_path.write_bytes(raw)
    recorded = read_capture(path)
    assert len(recorded) == 5 and all(frame.valid for frame in recorded)
    assert recorded == read_capture(raw_path)
