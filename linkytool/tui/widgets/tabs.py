"""The tab bar of the screens: only the installer's keys and clicks change the tab shown."""

from __future__ import annotations

from textual.widgets import TabbedContent, TabPane


class ScreenTabs(TabbedContent):
    """A ``TabbedContent`` that never changes tab because a widget got the focus.

    Textual's shows the tab of whatever is focused. Every focus our screens give
    themselves already checks that their tab is on screen
    (:meth:`linkytool.tui.screens.base.Pane.focus_here`); this is the second guard: a
    focus that lands in a hidden screen anyway is handed back to the screen shown, and
    the installer stays where the F key took them.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.stop()
        event.prevent_default()  # not Textual's handler, which would switch tabs
        if event.tab_pane.id == self.active:
            return
        from linkytool.tui.app import LinkytoolApp

        app = self.app
        if isinstance(app, LinkytoolApp):
            app.active_pane.focus_here()
