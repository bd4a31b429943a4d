"""A pty named by itself is never reopened, and a reader left early releases its port.

Why: a pty's number goes to the next pty opened on the machine once its owner closes it.
A reader retrying ``/dev/pts/N`` after its simulator stopped opened (and locked) the pty
of whatever came next: another test's simulator, whose own reader was then told « Le
port … est déjà utilisé par un autre programme » (the failure of
``tests/tui/test_meter.py::test_enter_in_the_address_field_connects`` seen at stops 30 and
40), or, on a user's machine, someone's terminal.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from linkytool.tic.serialio import (
    Disconnected,
    FrameReceived,
    PortGone,
    ReaderEvent,
    Reconnected,
    TicReader,
    names_a_pty,
    open_port,
)
from linkytool.tic.sim_serve import serve_pty
from linkytool.tic.simulator import MeterSimulator

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="POSIX ptys")


def test_a_pty_is_named_by_itself_only_through_its_own_name(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        own_name = os.ttyname(slave)
        link = tmp_path / "ttyLINKY"
        link.symlink_to(own_name)
        plain = tmp_path / "capture.bin"
        plain.write_bytes(b"")
        assert names_a_pty(own_name)
        assert not names_a_pty(str(link))  # a link goes with its device: it can be reopened
        assert not names_a_pty(str(plain))
        assert not names_a_pty("loop://")
        assert not names_a_pty(str(tmp_path / "absent"))
    finally:
        os.close(master)
        os.close(slave)


def test_the_reading_ends_when_a_pty_named_by_itself_goes() -> None:
    server = serve_pty(MeterSimulator(seed=11), pace=4)
    own_name = server.path
    reader = TicReader(own_name, reconnect_interval=0.05)
    events: list[ReaderEvent] = []

    def consume() -> None:
        for event in reader:
            events.append(event)
            if isinstance(event, FrameReceived) and server.plugged:
                server.stop()  # the simulator ends while the reader reads

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    thread.join(timeout=30)
    try:
        assert not thread.is_alive(), "the reader kept retrying the pty's name"
    finally:
        reader.stop()
        server.stop()
    gone = [event for event in events if isinstance(event, PortGone)]
    assert len(gone) == 1 and gone[0].url == own_name
    assert "a disparu" in gone[0].message and "n'est donc pas rouvert" in gone[0].message
    assert not any(isinstance(event, Disconnected | Reconnected) for event in events)
    assert any(isinstance(event, FrameReceived) for event in events)


def test_a_reader_left_at_its_first_event_releases_the_port() -> None:
    with serve_pty(MeterSimulator(seed=12), pace=4) as server:
        reader = TicReader(server.path)  # still referenced, as by the UI's worker
        events = iter(reader)
        next(events)  # Connected: the consumer leaves there (a restart, a quit)
        events.close()  # type: ignore[attr-defined]
        port = open_port(server.path, 9600)  # was refused: busy, locked by the first
        port.close()
