"""Captures read from streams: live pipes decode as bytes arrive; recordings and dumps
are recognised whatever the read sizes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from linkytool.tic import Frame, TicMode, encode_frame
from linkytool.tic.capture import iter_stream

from .helpers import standard_frame


class Trickle(io.RawIOBase):
    """A stream that gives ``size`` bytes per read, like a pipe fed by a serial port."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data = data
        self.size = size
        self.position = 0

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        chunk = self.data[self.position : self.position + min(self.size, max(size, 1))]
        self.position += len(chunk)
        return chunk

    read = read1


def test_live_pipe_yields_frames_before_the_end() -> None:
    data = standard_frame() * 50
    stream = Trickle(data, 64)
    events = iter_stream(stream)  # type: ignore[arg-type]
    first = next(events)
    assert isinstance(first, Frame) and first.valid
    assert stream.position < len(data) // 10  # did not wait for the whole stream
    assert sum(isinstance(event, Frame) for event in events) == 49


@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_recording_header_split_across_reads(size: int) -> None:
    header = (
        b'#LINKYTOOL-TIC-RECORDING 1 {"mode": "historique", "baud": 1200, '
        b'"start": "2026-11-20T14:32:00+01:00"}\n'
    )
    frame = encode_frame([("ADCO", "021528603314"), ("PAPP", "00180")], TicMode.HISTORIQUE)
    events = list(iter_stream(Trickle(header + frame * 3, size)))  # type: ignore[arg-type]
    assert [type(event) for event in events] == [Frame] * 3


@pytest.mark.parametrize("size", [1, 5, 1 << 20])
def test_text_dump_through_a_stream(size: int) -> None:
    text = b"ADCO 021528603314 :\nHCHC 000723392\nPTEC HP..  \nADCO 021528603314 :\n"
    frames = [e for e in iter_stream(Trickle(text, size)) if isinstance(e, Frame)]  # type: ignore[arg-type]
    assert frames[0].groups["HCHC"].value == 723392


def test_progress_reports_bytes_and_file_size(tmp_path: Path) -> None:
    from linkytool.tic import iter_capture

    path = tmp_path / "capture.bin"
    data = standard_frame() * 3000
    path.write_bytes(data)
    calls: list[tuple[int, int | None]] = []
    frames = [e for e in iter_capture(path, progress=lambda d, t: calls.append((d, t)))]
    assert len(frames) == 3000
    assert calls and calls[-1] == (len(data), len(data))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
