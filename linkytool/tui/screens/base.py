"""Common base of the application's panes (one per tab)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widget import Widget

from linkytool.tui.errors import SafetyNet

if TYPE_CHECKING:
    from linkytool.tui.app import LinkytoolApp
    from linkytool.tui.dossier_store import DossierStore
    from linkytool.tui.session import Session


class Pane(SafetyNet, VerticalScroll):
    """A tab's content: title and help text for the help panel, access to shared state."""

    #: Name shown in the tab bar and the help panel.
    TITLE: ClassVar[str] = ""
    #: French explanation shown by the help panel (F1).
    HELP: ClassVar[str] = ""
    #: The scrollable size of the content. Textual lays the whole screen out again when
    #: a layout changes it; a screen's scrollbars follow it without that (their display
    #: changing lays out on its own), so the second layout changed nothing (issue 14).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

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

    def __init__(self, *, built: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Whether the content is composed: hidden tabs are built on first activation,
        #: so start-up and memory only pay for the screens actually used.
        self.built = built
        #: Whether :meth:`focus_here` was called since :meth:`activate` began.
        self._focus_asked = False

    def compose(self) -> ComposeResult:
        if self.built:
            yield from self.compose_content()

    def compose_content(self) -> ComposeResult:
        """The pane's widgets (what ``compose`` would be for an ordinary widget)."""
        yield from ()

    def on_mount(self) -> None:
        """Textual calls this besides any subclass ``on_mount`` (base handlers run too)."""
        if self.built:
            self.on_built()

    def on_built(self) -> None:
        """Called once the content is mounted (initial values, background jobs)."""

    async def activate(self) -> None:
        """The pane's tab became active: build it if needed, focus it, refresh it."""
        if not self.built:
            self.built = True
            await self.recompose()
            if self._torn_down():
                return  # the app quit while the screen was being built
            self.on_built()
        if not self.shown:
            return  # another tab was chosen while this one was being built
        focused = self.app.focused
        self._focus_asked = False
        self.on_shown()
        if not self._focus_asked and (focused is None or self not in focused.ancestors_with_self):
            # The footer then shows this screen's keys. Not when the screen focuses one of
            # its widgets itself: the pane focused then blurred restyled all its widgets
            # twice (Textual restyles a focus change's whole subtree: F3's restyling
            # 98 -> 30 ms of CPU without it, counted headless).
            self.focus_here()

    @property
    def shown(self) -> bool:
        """Whether this pane is the tab on screen."""
        return self.lt_app.active_pane is self

    def focus_here(self, widget: Widget | None = None) -> None:
        """Focus ``widget`` (default: the pane itself) as Textual does, a moment later,
        but only if this pane is still the tab on screen then.

        A ``TabbedContent`` shows the tab of whatever gets the focus: a focus asked by a
        screen the installer has left since (a reading arrived, the screen finished its
        build) took the installer back to it. On a loaded machine two screens did so in
        turn, for ever: the UI flipped between Photos and Prérequis at full CPU. Every
        focus a pane gives itself goes through here.
        """
        target = self if widget is None else widget
        self._focus_asked = True

        def apply() -> None:
            if self.shown and target.is_attached and not self._torn_down():
                target.screen.set_focus(target)

        self.app.call_later(apply)

    def on_shown(self) -> None:
        """Called by the app when the pane's tab becomes active (refresh hook)."""

    def on_hidden(self) -> None:
        """Called by the app when another tab is shown after this one (release hook)."""
