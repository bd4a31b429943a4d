"""Textual's ``Select``, safe to remove while it mounts, and laid out once per change.

A ``Select`` builds its option list in its Mount handler from the overlay it composed.
When the app closes (Ctrl+Q right after F4, while the dossier form mounts section by
section) the widget is being pruned before it ran: Textual then skips mounting its
children, and the stock handler raised ``NoMatches`` ("erreur inattendue" at exit).

Textual lays the whole screen out again for every widget whose ``virtual_size`` (its
scrollable size) a layout changed. A ``Select`` and the parts it composes (the current
value's bar, its label and arrows) never scroll: that second layout changed nothing, and
each new or resized select asked for it (the Prérequis form's seven selects, its
checkboxes and labels gave F4 three layouts of the whole form after the one that showed
it, issue 14). Here they keep their ``virtual_size`` without asking for a layout; their
size still comes from the layout, as before.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Select
from textual.widgets._select import NonSelectableStatic, SelectCurrent, SelectOverlay

SelectType = TypeVar("SelectType")


class _SelectPart(NonSelectableStatic):
    """The value's label or an arrow of a select's bar."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class _SelectBar(SelectCurrent):
    """The bar showing a select's value (Textual's ``SelectCurrent``)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def compose(self) -> ComposeResult:
        """``SelectCurrent.compose`` (Textual 8.2), with parts that do not lay out again."""
        yield _SelectPart(self.placeholder, id="label")
        yield _SelectPart("▼", classes="arrow down-arrow")
        yield _SelectPart("▲", classes="arrow up-arrow")


class SafeSelect(Select[SelectType]):
    """A ``Select`` whose mount does nothing once it is being removed."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def compose(self) -> ComposeResult:
        """``Select.compose`` (Textual 8.2), with a bar that does not lay out again."""
        yield _SelectBar(self.prompt)
        yield SelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    def _setup_options_renderables(self) -> None:
        # Called by Select's own Mount handler (Textual calls each class's handler: an
        # override of the handler would not replace it).
        if self._pruning or self._closing:
            return  # removed before it was set up: its overlay was never mounted
        super()._setup_options_renderables()


__all__ = ["SafeSelect"]
