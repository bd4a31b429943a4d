"""An ``Input`` that applies every key in the order it was typed.

Textual's ``Input`` inserts a printable character as soon as the key reaches the widget,
but its editing keys (Backspace, Suppr, arrows, Début/Fin, Entrée) are bindings: the key
event bubbles up through every parent's message queue before the app runs the action.
Keys that arrive together (typing fast on a machine busy reading photos, a macro, a
terminal paste) are then applied out of order: ``abc``, then Backspace, Backspace, ``x``,
``y`` sent at once gave ``abc`` instead of ``axy``, the Backspaces last (seen in tmux,
Textual 8.2.8; upstream Textualize/textual#6605). In a PRM or an index that is a
silently wrong number. Here the widget runs its own bindings' actions when the key
reaches it, in the same queue as the characters.

Tab and Maj+Tab are the screen's bindings and move the focus late the same way: the
keys typed after them were already in this field's queue and landed here (``End ' X'
Tab End ' Y'`` wrote « X Y » in the first field, saved at once). The field moves the
focus itself, and hands on the keys that reach it after the focus left it, in order.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.widgets import Input


def _own_actions() -> dict[str, str]:
    """Key name -> action of ``Input``'s own bindings (``"home,ctrl+a"`` gives two keys)."""
    actions: dict[str, str] = {}
    for binding in Binding.make_bindings(Input.BINDINGS):
        actions[binding.key] = binding.action
    return actions


#: Every key ``Input`` binds, and its action (Backspace -> ``delete_left``...).
EDIT_ACTIONS: dict[str, str] = _own_actions()
#: The screen's focus keys (``Screen.BINDINGS``), run by the field in typing order.
FOCUS_ACTIONS: dict[str, str] = {"tab": "app.focus_next", "shift+tab": "app.focus_previous"}


class InOrderInput(Input):
    """``Input`` whose editing keys are applied in typing order with the characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.validators:
            # Textual marks an Input without validators ``-valid`` at its first change of
            # value (no style uses the class), restyling it: the dossier form filled
            # from the dossier restyled its 32 fields one by one (issue 14).
            self.add_class("-valid", update=False)

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not None and focused is not self:
            # Typed after a Tab this field ran: the key belongs to the field it moved to.
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key in FOCUS_ACTIONS:
            event.stop()
            event.prevent_default()
            await self.run_action(FOCUS_ACTIONS[event.key])
            return
        action = next((EDIT_ACTIONS[key] for key in event.aliases if key in EDIT_ACTIONS), None)
        if action is None:
            await super()._on_key(event)
            return
        self._restart_blink()
        event.stop()
        event.prevent_default()
        await self.run_action(action)


__all__ = ["EDIT_ACTIONS", "FOCUS_ACTIONS", "InOrderInput"]
