"""The quicker ``Pilot._wait_for_screen`` of the fuzz test (``pilot_wait.py``) still waits
for every message queued before it, including one being processed, and skips idle widgets."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from .pilot_wait import wait_for_screen, waits_for_a_message


class Worker(Static):
    """Handles ``Work`` in several steps, yielding to the event loop in between."""

    class Work(Message):
        pass

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.started = asyncio.Event()
        self.done = 0

    async def on_worker_work(self, message: Worker.Work) -> None:
        self.started.set()
        for _ in range(20):
            await asyncio.sleep(0.01)
        self.done += 1


class Many(App[None]):
    def compose(self) -> ComposeResult:
        yield Worker(id="worker")
        for index in range(40):
            yield Static(str(index), id=f"s{index}")


@pytest.fixture(autouse=True)
def _quick_pilot_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Pilot, "_wait_for_screen", wait_for_screen)


async def test_a_message_being_processed_is_waited_for() -> None:
    app = Many()
    async with app.run_test() as pilot:
        worker = app.query_one(Worker)
        worker.post_message(Worker.Work())
        await worker.started.wait()  # its queue is empty (unless a refresh queued a
        # prompt); its handler is not done: it is busy, not waiting for a message
        assert not waits_for_a_message(worker)
        await pilot.pause()
        assert worker.done == 1


async def test_messages_queued_everywhere_are_all_processed() -> None:
    app = Many()
    async with app.run_test() as pilot:
        seen: list[str] = []
        statics = list(app.query(Static))
        for widget in statics:
            widget.call_later(seen.append, widget.id or "")
        await pilot.pause()
        assert sorted(seen) == sorted(w.id or "" for w in statics)


async def test_idle_widgets_are_skipped() -> None:
    """Otherwise the quick wait silently becomes Textual's own (a Textual upgrade that
    renamed what ``waits_for_a_message`` reads): as correct, 30 times the CPU."""
    app = Many()
    async with app.run_test() as pilot:
        await pilot.pause()
        idle = [w for w in app.query(Static) if waits_for_a_message(w)]
        assert len(idle) >= 40, len(idle)
