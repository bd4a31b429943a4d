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
from collections.abc import Iterable
from typing import Any

from textual.app import App
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


#: Longest wait for the screen to go quiet [s]: a screen never quiet in that time is left
#: to the test's next wait (``wait_for_idle``'s bound is 1 s; each wait for the screen's
#: messages raises after 30 s, as Textual's: a busy machine took more than 5 s once).
QUIET_TIMEOUT_S = 30.0


async def until_quiet(app: Any, timeout: float = QUIET_TIMEOUT_S) -> None:
    """Until no node of the app or its screen has a message queued or being processed.

    A message handled may post others further down (the app forwards a key to the
    screen, which gives it to the focused widget): :func:`wait_for_screen` again until
    every node waits for its next message."""
    import time

    pilot = Pilot(app)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        nodes = [app, *app.screen.walk_children(with_self=True)]
        if all(waits_for_a_message(node) for node in nodes):
            return
        await wait_for_screen(pilot)


async def press_keys(self: App[Any], keys: Iterable[str]) -> None:
    """``App._press_keys`` (Textual 8.2), each key handled before the next is sent.

    The same key events, built alike, reach the app's queue as the headless driver puts
    them there (``driver.send_message`` posts to the app). Textual then waits twice per
    key until the process looks idle (``wait_for_idle``: 20 ms sleeps until the CPU
    time of one is under 1 ms): 40 ms at least per key, 100 ms on a busy machine, most
    of the waiting of the fuzz test of Prérequis (189 keys: 19 s of its 37 s, issue 14).
    Here the wait ends when the app's and the screen's message queues are done
    (:func:`until_quiet`), then for the animations as Textual does."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    for typed in keys:
        if typed.startswith("wait:"):
            _, wait_ms = typed.split(":")
            await asyncio.sleep(float(wait_ms) / 1000)
            await self._animator.wait_until_complete()
            continue
        key = _character_to_key(typed) if len(typed) == 1 and not typed.isalnum() else typed
        original_key = REPLACED_KEYS.get(key, key)
        char: str | None
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(original_key))
        except KeyError:
            char = key if len(key) == 1 else None
        key_event = events.Key(key, char)
        key_event.set_sender(self)
        self.post_message(key_event)
        await until_quiet(self)
        await self._animator.wait_until_complete()
        await until_quiet(self)


async def pause(self: Pilot[Any], delay: float | None = None) -> None:
    """``Pilot.pause`` (Textual 8.2); without a delay it waits for the app's and the
    screen's message queues to be done (:func:`until_quiet`) instead of ``wait_for_idle``
    (20 ms sleeps until one used less than 1 ms of CPU: 20 ms at least, 40 ms on a
    busy machine). Threads the app started are not waited for: a test checks their
    outcome with a condition of its own."""
    await self._wait_for_screen()
    if delay is None:
        await until_quiet(self.app)
    else:
        await asyncio.sleep(delay)
    self.app.screen._on_timer_update()
