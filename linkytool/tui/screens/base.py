"""Common base of the application's panes (one per tab)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.containers import VerticalScroll

if TYPE_CHECKING:
    from linkytool.tui.app import LinkytoolApp
    from linkytool.tui.dossier_store import DossierStore
    from linkytool.tui.session import Session


class Pane(VerticalScroll):
    """A tab's content: title and help text for the help panel, access to shared state."""

    #: Name shown in the tab bar and the help panel.
    TITLE: ClassVar[str] = ""
    #: French explanation shown by the help panel (F1).
    HELP: ClassVar[str] = ""

    @property
    def lt_app(self) -> LinkytoolApp:
        from linkytool.tui.app import LinkytoolApp

        return cast(LinkytoolApp, self.app)

    @property
    def session(self) -> Session:
        return self.lt_app.session

    @property
    def store(self) -> DossierStore:
        return self.lt_app.store

    def on_mount(self) -> None:
        """Textual calls this besides the subclasses' own ``on_mount`` (base handlers run too).

        Hidden panes are mounted lazily: if the user already switched to this tab, run
        the activation hook (and take the focus so the footer shows our keys).
        """
        from textual.widgets import TabbedContent

        tabs = self.app.query(TabbedContent)
        if tabs and self.id == f"pane-{tabs.first().active}":
            self.call_after_refresh(self._activate)

    def _activate(self) -> None:
        focused = self.app.focused
        if focused is None or self not in focused.ancestors_with_self:
            self.focus()
        self.on_shown()

    def on_shown(self) -> None:
        """Called by the app when the pane's tab becomes active (refresh hook)."""
