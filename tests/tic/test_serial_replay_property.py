"""Property: whatever the read sizes and wherever the adapter is unplugged, the recording
replays exactly the frames the live reader delivered, and no delivered group is bad."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkytool.tic import read_capture
from linkytool.tic.serialio import FrameReceived, TicReader

from .test_serial_reader import Opener, ScriptedPort, frames_bytes

STREAM = frames_bytes(4)
_counter = itertools.count()


@settings(max_examples=25)
@given(
    start=st.integers(0, 600),
    cut=st.integers(700, len(STREAM) - 800),
    resume=st.integers(0, 400),
    sizes=st.lists(st.integers(1, 700), min_size=1, max_size=8),
)
def test_recording_replays_the_live_frames(
    tmp_path_factory: pytest.TempPathFactory, start: int, cut: int, resume: int, sizes: list[int]
) -> None:
    cycle = itertools.cycle(sizes)

    def pieces(data: bytes) -> list[bytes | Exception]:
        out: list[bytes | Exception] = []
        index = 0
        while index < len(data):
            size = next(cycle)
            out.append(data[index : index + size])
            index += size
        return out

    first = ScriptedPort([*pieces(STREAM[start:cut]), OSError(5, "Input/output error")])
    second = ScriptedPort(pieces(STREAM[cut + resume :]))
    record = tmp_path_factory.mktemp("replay") / f"run{next(_counter)}.tic"
    reader = TicReader(
        "x",
        opener=Opener(first, second),
        record=record,
        reconnect_interval=0.001,
        listen_windows={9600: 0.2, 1200: 0.01},
    )
    live = []
    for event in reader:
        if isinstance(event, FrameReceived):
            live.append(event.frame)
        if reader.stats.disconnects and not second.chunks:
            reader.stop()
    assert all(not frame.bad_groups for frame in live)
    assert read_capture(record) == live
