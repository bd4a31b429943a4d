"""The key bar at the bottom, redrawn only when the keys it shows change.

Textual's :class:`~textual.widgets.Footer` rebuilds all its key widgets on every focus
change (each Tab, each confirmed value that moves the focus): mounted, styled and laid out
again, about a third of the UI's CPU for one Tab on the Photos screen, although most moves
keep the very same keys. This one looks and behaves the same and skips the rebuild then.
When it does rebuild, its keys are styled once, not three times (see ``compose``).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


def shown_keys(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What the footer draws for ``screen``: each shown binding with its state."""
    return tuple(
        (
            binding.key,
            binding.key_display,
            binding.description,
            binding.action,
            binding.group,
            enabled,
            tooltip,
        )
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show
    )


class SteadyFooter(Footer):
    """:class:`~textual.widgets.Footer`, rebuilt only when its keys change."""

    _drawn: tuple[tuple[object, ...], ...] | None = None

    def compose(self) -> ComposeResult:
        """Textual's keys, made with the footer's ``compact`` already set.

        A ``FooterKey`` starts compact, and the footer's ``compact`` (False) bound to it
        at mount makes it not compact: its class changed twice, each time restyling it
        (3 % of the UI tests' CPU, issue 14). Set before mounting, it is styled once;
        the binding then changes nothing.
        """
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = shown_keys(screen)
            if self._bindings_ready and keys == self._drawn:
                return
            self._drawn = keys
        super().bindings_changed(screen)
