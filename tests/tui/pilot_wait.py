"""``Pilot``'s wait for the screen's messages, without a round trip through idle widgets.

Every ``pilot.pause()`` and ``pilot.press()`` ends with ``Pilot._wait_for_screen``: it
queues a callback on the app and on *every* widget of the screen and waits until all have
run, so that every message queued before it has been processed. Each callback wakes its
widget, is dispatched, then makes the widget handle an idle event: about 110 µs of CPU per
widget, 30 ms per pause on the Prérequis screen (273 widgets), most of the CPU of the
tests that type into its form (issue 14: the fuzz test of Prérequis spent 15 s of its 44 s
there). ``test_fuzz_inputs.py`` installs it.

A widget whose message loop is blocked waiting for its next message has nothing queued,
nothing being processed and its idle work done (a ``refresh`` or a ``call_next`` queues a
message on an idle widget, see ``MessagePump.check_idle``): the callback would wake it for
nothing. :func:`wait_for_screen` queues it only on the others, which is the same wait. It
reads three private attributes of Textual's message pump; if one is missing (another
Textual), the widget counts as busy: the wait is then Textual's own.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.pilot import Pilot, WaitForScreenTimeout


def waits_for_a_message(node: Any) -> bool:
    """True when ``node``'s message loop is blocked on an empty queue (nothing to wait for)."""
    try:
        queue = node._message_queue
        if queue.values or node._pending_message is not None:
            return False  # messages queued (or one peeked at and not yet processed)
        # The loop awaits the queue's event between messages only: a pending waiter is the
        # loop itself, idle. While it processes a message or its idle work, there is none.
        return any(not waiter.done() for waiter in queue.ready_event._waiters)
    except AttributeError:
        return False


async def wait_for_screen(self: Pilot[Any], timeout: float = 30.0) -> bool:
    """``Pilot._wait_for_screen`` (Textual 8.2), skipping widgets that wait for a message."""
    try:
        screen = self.app.screen
    except Exception:
        return False
    nodes = [self.app, *screen.walk_children(with_self=True)]
    count = 0
    all_done = asyncio.Event()

    def decrement_counter() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            all_done.set()

    for node in nodes:
        if not waits_for_a_message(node) and node.call_later(decrement_counter):
            count += 1
    if count:
        waiting = [
            asyncio.create_task(all_done.wait()),
            asyncio.create_task(self.app._exception_event.wait()),
        ]
        _, pending = await asyncio.wait(
            waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        if len(waiting) == len(pending):
            raise WaitForScreenTimeout(
                "Timed out while waiting for widgets to process pending messages."
            )
        if count > 0:
            return False
    return True
