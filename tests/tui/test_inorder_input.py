"""Keys that arrive together are applied in the order they were typed (``InOrderInput``).

The driver hands the app each key without waiting for the previous one to be handled,
as a terminal does when keys come faster than the app handles them (a busy machine, a
macro, a paste); ``pilot.press`` waits after each key and cannot show it.
"""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from linkytool.tui.widgets.inorder_input import EDIT_ACTIONS, InOrderInput

BURST = [("a", "a"), ("b", "b"), ("c", "c"), ("backspace", "\x7f"), ("backspace", "\x7f")]
BURST += [("x", "x"), ("y", "y"), ("home", None), ("z", "z"), ("end", None), ("1", "1")]
TYPED = "zaxy1"  # abc, two Backspaces, xy, Début, z, Fin, 1


class _Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(id="plain")
        yield InOrderInput(id="inorder")


async def _typed_at_once(field_id: str) -> str:
    app = _Fields()
    async with app.run_test() as pilot:
        field = app.query_one(f"#{field_id}", Input)
        field.focus()
        await pilot.pause()
        driver = app._driver
        assert driver is not None
        for key, character in BURST:
            event = events.Key(key, character)
            event.set_sender(app)
            driver.send_message(event)
        await pilot.pause()
        await pilot.pause()
        return field.value


async def test_keys_sent_together_are_applied_in_typing_order() -> None:
    assert await _typed_at_once("inorder") == TYPED


async def test_textual_input_alone_still_reorders_them() -> None:
    """Why InOrderInput exists: the same burst on Textual's own ``Input``. When this
    fails, Textual applies keys in order by itself (Textualize/textual#6605) and
    ``InOrderInput`` can go."""
    assert await _typed_at_once("plain") != TYPED


class _Form(App[None]):
    def compose(self) -> ComposeResult:
        yield InOrderInput("Camille Martin", id="name")
        yield InOrderInput("1 rue des Lilas", id="address")
        yield InOrderInput("", id="phone")


async def test_keys_typed_after_a_tab_go_to_the_next_field() -> None:
    """QA, stop 32: ``End ' X' Tab End ' Y'`` sent at once (tmux, a paste, SSH) wrote
    « Camille Martin X Y » in the first field and left the address unchanged."""
    app = _Form()
    async with app.run_test() as pilot:
        app.query_one("#name", Input).focus()
        await pilot.pause()
        driver = app._driver
        assert driver is not None
        burst = [("end", None), ("space", " "), ("X", "X"), ("tab", "\t"), ("end", None)]
        burst += [("space", " "), ("Y", "Y"), ("tab", "\t"), ("7", "7"), ("shift+tab", None)]
        burst += [("end", None), ("Z", "Z")]
        for key, character in burst:
            event = events.Key(key, character)
            event.set_sender(app)
            driver.send_message(event)
        for _ in range(4):
            await pilot.pause()
        values = {f.id: f.value for f in app.query(InOrderInput)}
        assert values == {
            "name": "Camille Martin X",
            "address": "1 rue des Lilas YZ",
            "phone": "7",
        }
        assert app.focused is app.query_one("#address", Input)


def test_every_editing_key_of_input_is_handled_in_order() -> None:
    assert EDIT_ACTIONS["backspace"] == "delete_left"
    assert EDIT_ACTIONS["home"] == EDIT_ACTIONS["ctrl+a"] == "home"
    assert EDIT_ACTIONS["enter"] == "submit"
