"""The UI process hands the GIL over every millisecond (``launch.SWITCH_INTERVAL_S``):
the threads that bring photo readings and TIC frames to a busy UI thread waited up to
5 ms at each of their system calls (``bench/gil_handoff.py``)."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from linkytool.tui import launch


class AppBuiltError(Exception):
    """Stops open_ui where the app would be built."""


def test_open_ui_sets_the_switch_interval_before_building_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[float] = []

    def make_app(*args: Any, **kwargs: Any) -> Any:
        seen.append(sys.getswitchinterval())
        raise AppBuiltError

    monkeypatch.setattr("linkytool.tui.app.make_app", make_app)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    try:
        with pytest.raises(AppBuiltError):
            launch.open_ui(demo=True)
    finally:
        sys.setswitchinterval(interval)
    assert seen == [launch.SWITCH_INTERVAL_S]
    assert launch.SWITCH_INTERVAL_S < 0.005
