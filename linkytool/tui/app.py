"""The Textual application: tabs for each step of the commissioning, and the ACC preview.

:func:`make_app` builds it for ``linkytool tui`` and for the tests. The app is a shell:
it lays out the panes, routes the typed messages between them (the latest TIC reading,
dossier changes, failures), keeps typed drafts and shows the help panel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Header, Input, TabbedContent, TabPane, TextArea

from linkytool.tui.dossier_store import DossierStore
from linkytool.tui.drafts import DraftStore
from linkytool.tui.errors import describe_error, notify_error
from linkytool.tui.messages import DossierChanged, TicReadingUpdated, WorkFailed
from linkytool.tui.screens.base import Pane
from linkytool.tui.session import Session
from linkytool.tui.widgets.help import HelpScreen, key_label

#: Tab id, function key, pane class path ("module:Class"): the order of the tabs.
PANES: tuple[tuple[str, str, str], ...] = (
    ("compteur", "f2", "linkytool.tui.screens.meter:MeterPane"),
    ("photos", "f3", "linkytool.tui.screens.photos:PhotosPane"),
    ("prerequis", "f4", "linkytool.tui.screens.prerequisites:PrerequisitesPane"),
    ("decouplage", "f5", "linkytool.tui.screens.decoupling:DecouplingPane"),
    ("attestation", "f6", "linkytool.tui.screens.attestation:AttestationPane"),
    ("acc", "f7", "linkytool.tui.screens.acc:AccPane"),
)


def _pane_class(path: str) -> type[Pane]:
    import importlib

    module_name, name = path.split(":")
    cls: type[Pane] = getattr(importlib.import_module(module_name), name)
    assert issubclass(cls, Pane)
    return cls


class LinkytoolApp(App[None]):
    """linkytool's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "linkytool"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Aide"),
        *(
            Binding(key, f"show_tab('{tab}')", tab.capitalize(), show=False)
            for tab, key, _ in PANES
        ),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
        Binding("escape", "leave_field", "Quitter le champ", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.store = DossierStore(session.dossier_path)
        self.drafts = DraftStore(session.draft_path)
        self.panes: dict[str, Pane] = {}
        self.sub_title = "démo (simulateur)" if session.demo else "mise en service"

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="⚡", time_format="%H:%M")
        with TabbedContent(id="tabs"):
            for index, (tab, key, path) in enumerate(PANES):
                cls = _pane_class(path)
                # Only the first screen is built now; the others on first activation.
                pane = cls(id=f"pane-{tab}", built=index == 0)
                self.panes[tab] = pane
                with TabPane(f"{cls.TITLE} {key_label(key)}", id=tab):
                    yield pane
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(1.0, self.flush_drafts)
        self.panes[PANES[0][0]].focus()

    def on_unmount(self) -> None:
        self.flush_drafts()
        self.session.close()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications show their text as is: messages quote file paths and TOML
        sections such as ``[photos]``, which markup would silently swallow."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- actions --------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @property
    def active_pane(self) -> Pane:
        return self.panes[self.query_one(TabbedContent).active or PANES[0][0]]

    def action_leave_field(self) -> None:
        """Échap in a text field gives the keys back to the screen (its letter shortcuts)."""
        focused = self.focused
        if isinstance(focused, Input | TextArea):
            self.active_pane.focus()

    def action_help(self) -> None:
        pane = self.active_pane
        pane_bindings = [
            (key_label(b.key), b.tooltip or b.description)
            for b in pane.BINDINGS
            if isinstance(b, Binding) and b.description
        ]
        global_bindings = [("F1", "Cette aide")]
        global_bindings += [
            (key_label(key), f"Écran {_pane_class(path).TITLE}") for _, key, path in PANES
        ]
        global_bindings.append((key_label("escape"), "Quitter le champ (rend les touches)"))
        global_bindings.append(("Ctrl+Q", "Quitter (la saisie est conservée)"))
        self.push_screen(HelpScreen(pane.TITLE, pane.HELP, pane_bindings, global_bindings))

    # -- routing --------------------------------------------------------------------------

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = self.panes.get(event.pane.id or "")
        if pane is not None and pane.is_mounted:
            try:
                await pane.activate()
            except Exception as error:
                notify_error(self, error)

    def on_tic_reading_updated(self, message: TicReadingUpdated) -> None:
        self.session.tic_reading = message.reading
        for pane in self.panes.values():
            hook: Callable[[], None] | None = getattr(pane, "tic_updated", None)
            if hook is not None and pane.built and pane.is_mounted:
                hook()

    def on_dossier_changed(self, message: DossierChanged) -> None:
        for pane in self.panes.values():
            hook: Callable[[str], None] | None = getattr(pane, "dossier_changed", None)
            if hook is not None and pane.built and pane.is_mounted:
                try:
                    hook(message.reason)
                except Exception as error:
                    notify_error(self, error)

    def on_work_failed(self, message: WorkFailed) -> None:
        text = f"{message.message}\n→ {message.hint}" if message.hint else message.message
        self.notify(text, title=message.source, severity="error", timeout=12)

    def _fatal_error(self) -> None:
        """Last resort for a bug: exit with a French message, never a traceback.

        Textual calls this after an unhandled exception (the app must stop: the failing
        widget no longer processes messages). Drafts are flushed on unmount; the
        traceback goes to the log file named in the message.
        """
        from rich.text import Text

        error = self._exception
        message, hint = describe_error(error) if error is not None else ("Erreur inattendue.", None)
        self.bell()
        self._exit_renderables.append(
            Text(
                "linkytool s'est arrêté sur une erreur inattendue ; votre saisie est conservée.\n"
                f"{message}\n" + (f"→ {hint}" if hint else ""),
                style="bold red",
            )
        )
        self._close_messages_no_wait()

    # -- drafts ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.has_class("draft"):
            self.drafts.set(event.input.id, event.value)

    def restore_draft(self, widget: Input) -> None:
        """Put back what was typed in ``widget`` in a previous session, if anything."""
        if widget.id:
            value = self.drafts.get(widget.id)
            if value is not None and value != widget.value:
                widget.value = value

    def flush_drafts(self) -> None:
        try:
            self.drafts.flush()
        except Exception as error:
            notify_error(self, error, title="Saisie non enregistrée")


def make_app(
    dossier: str | Path | None = None,
    *,
    demo: bool = False,
    port: str | None = None,
    workdir: str | Path | None = None,
    clock: Callable[[], datetime] | None = None,
    autoconnect: bool | None = None,
    port_lister: Callable[[], list[Any]] | None = None,
    photo_reader: Callable[[Path], Any] | None = None,
) -> LinkytoolApp:
    """Build the application.

    ``dossier``: auto-MES dossier file to open; ``demo``: run on the bundled simulator,
    sample photos and a writable copy of the sample dossier (in ``workdir`` or a temporary
    directory); ``port``: TIC port or URL to preselect; ``clock``: host clock and
    ``port_lister``: serial port enumeration, ``photo_reader``: the photo OCR
    (``linkytool.ocr.read_photo`` by default; all three replaceable in tests).
    """
    if demo:
        from linkytool.tui.demo import prepare_demo

        session = prepare_demo(Path(workdir) if workdir is not None else None)
    else:
        session = Session(
            dossier_path=Path(dossier).resolve() if dossier is not None else None,
            tic_url=port,
            autoconnect=port is not None,  # a port given on the command line: read it
            workdir=Path(workdir) if workdir is not None else Path.cwd(),
        )
    if autoconnect is not None:
        session.autoconnect = autoconnect
    if clock is not None:
        session.clock = clock
    session.port_lister = port_lister
    session.photo_reader = photo_reader
    return LinkytoolApp(session)


__all__ = ["PANES", "LinkytoolApp", "make_app"]
