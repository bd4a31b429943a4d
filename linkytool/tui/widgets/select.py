"""Textual's ``Select``, safe to remove while it mounts.

A ``Select`` builds its option list in its Mount handler from the overlay it composed.
When the app closes (Ctrl+Q right after F4, while the dossier form mounts section by
section) the widget is being pruned before it ran: Textual then skips mounting its
children, and the stock handler raised ``NoMatches`` ("erreur inattendue" at exit).
"""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import Select

SelectType = TypeVar("SelectType")


class SafeSelect(Select[SelectType]):
    """A ``Select`` whose mount does nothing once it is being removed."""

    def _setup_options_renderables(self) -> None:
        # Called by Select's own Mount handler (Textual calls each class's handler: an
        # override of the handler would not replace it).
        if self._pruning or self._closing:
            return  # removed before it was set up: its overlay was never mounted
        super()._setup_options_renderables()


__all__ = ["SafeSelect"]
