"""The Textual application: tabs for each step of the commissioning, and the ACC preview.

:func:`make_app` builds it for ``linkytool tui`` and for the tests. The app is a shell:
it lays out the panes, routes the typed messages between them (the latest TIC reading,
dossier changes, failures), keeps typed drafts, remembers the last dossier and adapter
(:mod:`linkytool.tui.state`), reads the dossier's photos in the background
(:mod:`linkytool.tui.photo_jobs`) and shows the help panel.

Start-up is kept close to a bare Textual app: only the first screen's module is imported
and composed before the first paint; the other panes are imported and built when their
tab is first shown. The photo workers start with the app when a core is to spare (else
after the first paint), the simulator, the port scan and the TIC connection once the
dossier's photos are read (F3 pressed at once waits for nothing else). No exception in a
handler stops the app (:class:`SafetyNet`).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Header, Input, TabbedContent, TabPane

from linkytool.tui import french
from linkytool.tui.dossier_store import DossierStore
from linkytool.tui.drafts import DraftStore, UnsavedDrafts, unsaved_drafts
from linkytool.tui.errors import SafetyNet, describe_error, notify_error
from linkytool.tui.messages import (
    DossierChanged,
    IntakeUpdated,
    PhotoFailed,
    PhotoRead,
    ReadingConfirmed,
    TicReadingUpdated,
    WorkFailed,
)
from linkytool.tui.screens.base import Pane
from linkytool.tui.session import Session
from linkytool.tui.widgets.footer import SteadyFooter
from linkytool.tui.widgets.help import HelpScreen, key_label
from linkytool.tui.widgets.tabs import ScreenTabs

french.apply()

#: After the terminal closed, the longest the app may take to quit before it is cut [s].
HANGUP_GRACE_S = 5.0
#: How often the app checks that its terminal is still there [s].
TERMINAL_CHECK_S = 1.0


@dataclass(frozen=True)
class PaneSpec:
    """One tab: its id, function key, French title and pane class ("module:Class")."""

    tab: str
    key: str
    title: str
    path: str


#: The tabs, in order. Titles are data here so hidden panes' modules load on first use.
PANES: tuple[PaneSpec, ...] = (
    PaneSpec("compteur", "f2", "Compteur", "linkytool.tui.screens.meter:MeterPane"),
    PaneSpec("photos", "f3", "Photos", "linkytool.tui.screens.photos:PhotosPane"),
    PaneSpec(
        "prerequis", "f4", "Prérequis", "linkytool.tui.screens.prerequisites:PrerequisitesPane"
    ),
    PaneSpec("decouplage", "f5", "Découplage", "linkytool.tui.screens.decoupling:DecouplingPane"),
    PaneSpec(
        "attestation", "f6", "Attestation", "linkytool.tui.screens.attestation:AttestationPane"
    ),
    PaneSpec("acc", "f7", "ACC", "linkytool.tui.screens.acc:AccPane"),
)


def pane_class(path: str) -> type[Pane]:
    """Import the pane class named ``module:Class``."""
    module_name, name = path.split(":")
    cls: type[Pane] = getattr(importlib.import_module(module_name), name)
    assert issubclass(cls, Pane)
    return cls


class LinkytoolApp(SafetyNet, App[None]):
    """linkytool's terminal UI."""

    CSS_PATH = "app.tcss"
    TITLE = "linkytool"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Aide"),
        *(Binding(spec.key, f"show_tab('{spec.tab}')", spec.title, show=False) for spec in PANES),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
        Binding("escape", "leave_field", "Quitter le champ", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.store = DossierStore(session.dossier_path)
        self.drafts = DraftStore(session.draft_path)
        #: The panes built so far, by tab id (a tab's pane is built when first shown).
        self.panes: dict[str, Pane] = {}
        #: Exceptions the safety net turned into notifications (tests assert on them).
        self.caught_errors: list[BaseException] = []
        #: Set once the first screen is on the terminal (errors before it stop the app).
        self.first_paint_done = False
        self._hung_up = False
        self._background_started = False
        #: The tab shown last (its pane is told when another one is shown).
        self._shown_tab = PANES[0].tab
        #: The photo of each slot the dossier named when last read (see read_dossier_photos).
        self._declared_photos: dict[str, tuple[Path, int, int]] = {}
        self.sub_title = "démo (simulateur)" if session.demo else "mise en service"
        #: The header's line without a status (see :meth:`flush_drafts`).
        self._base_sub_title = self.sub_title
        #: Why the drafts cannot be written, while they cannot (said once, then shown in
        #: the header until a write succeeds).
        self.drafts_problem: UnsavedDrafts | None = None
        from linkytool.tui.photo_jobs import PhotoJobs, spare_core
        from linkytool.tui.reading_cache import ReadingCache

        self.photo_jobs = PhotoJobs(session.photo_reader, self._photo_done, cache=ReadingCache())
        session.closers.append(self.photo_jobs.close)
        #: The photo workers start with the app (a core to spare), not after the first paint.
        self._photos_early = session.dossier_path is not None and spare_core()
        if self._photos_early:
            # The workers' fork server imports the OCR in its own process, on the spare
            # core, while this one imports and draws the first screen: ready about when
            # the first screen is, instead of ~0.6 s after it.
            self.photo_jobs.warm_up()

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon="⚡", time_format="%H:%M")
        with ScreenTabs(id="tabs"):
            for index, spec in enumerate(PANES):
                with TabPane(f"{spec.title} {key_label(spec.key)}", id=spec.tab):
                    if index == 0:  # only the first screen is imported and built now
                        pane = pane_class(spec.path)(id=f"pane-{spec.tab}", built=True)
                        self.panes[spec.tab] = pane
                        yield pane
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._install_signal_handlers()
        self.set_interval(1.0, self.flush_drafts)
        self.panes[PANES[0].tab].focus()
        if self._photos_early:
            # Queued at once (their paths need no dossier load; the pool is starting
            # since __init__): F3 pressed at once finds them read or nearly.
            self.read_dossier_photos()
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        """Work that must not delay the first screen: the photo workers and the reading
        of the dossier's photos (unless started with the app), notices; the first
        screen's own widgets then call :meth:`start_background_work` once they are drawn."""
        self.first_paint_done = True
        if self.store.path is not None:
            self.photo_jobs.warm_up()  # no-op when started with the app
            self.read_dossier_photos()  # each photo once
        for notice in self.session.notices:
            self.notify(notice, title="linkytool", severity="warning", timeout=10)
        self.session.notices.clear()
        self.set_timer(2.0, self.start_background_work)  # in case the screen never says

    def start_background_work(self) -> None:
        """Load the dossier and import the next screens (once). Called when the first
        screen is complete: a thread importing code holds the GIL and would slow the
        mounting of that screen's widgets."""
        if self._background_started:
            return
        self._background_started = True
        self.run_worker(self._warm_up, thread=True, group="warm-up", exit_on_error=False)

    def _warm_up(self) -> None:
        """In a thread, once the first screen is drawn: load the dossier (and the dossier
        code, ~0.3 s of imports) and import the next screens' code, so F3 and F4 find
        their work done or under way (the photos are read since the first paint)."""
        if self.photo_jobs.busy():
            # The cross-checks the Photos screen runs on each reading (no numpy: the
            # readings are unpickled and checked without the reader, ~15 ms).
            import linkytool.ocr.crosscheck
        if self.store.path is not None and self.store.path.is_file():
            try:
                self.store.load()
            except Exception:
                return  # the Prérequis screen reports why the dossier cannot be read
        else:
            import linkytool.mes.store  # noqa: F401  (F4 opens without this wait)
        self.read_dossier_photos()
        for spec in PANES[1:3]:  # the next screens of the visit open without an import
            importlib.import_module(spec.path.split(":")[0])

    def on_unmount(self) -> None:
        self.flush_drafts()
        self.session.close()

    def _install_signal_handlers(self) -> None:
        """The terminal closing (SIGHUP), Ctrl+C sent from outside (SIGINT; inside, Ctrl+C
        is a key) or a polite kill (SIGTERM) still save the drafts and close the session
        (simulator, photo workers, the demo's temporary folder); exit code 128 + signal,
        130 for SIGINT as the README's table says."""
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers can only be set from the main thread
        # A program started by a non-interactive shell gets no SIGHUP when the terminal
        # closes: its reads fail instead. Watch the terminal itself too.
        stdin = sys.__stdin__
        if stdin is not None and not self.is_headless and os.isatty(stdin.fileno()):
            self.set_interval(TERMINAL_CHECK_S, lambda: self._check_terminal(stdin.fileno()))
        signal.signal(signal.SIGHUP, self._terminal_gone)
        signal.signal(signal.SIGTERM, self._terminated)
        signal.signal(signal.SIGINT, self._terminated)

    def _check_terminal(self, fd: int) -> None:
        import signal

        if not os.isatty(fd) and not self._hung_up:
            self._terminal_gone(signal.SIGHUP, None)

    def _terminal_gone(self, signum: int, frame: Any) -> None:
        """SIGHUP: nothing can be drawn any more. Save and release in a thread (the signal
        may have interrupted the main thread inside a lock the clean-up needs), then
        quit; if quitting hangs on the dead terminal, leave at once after a few seconds."""
        import threading

        if self._hung_up:
            return
        self._hung_up = True
        code = 128 + signum
        loop = self._running_loop()

        def clean_up_and_leave() -> None:
            import contextlib

            watchdog = threading.Timer(HANGUP_GRACE_S, os._exit, (code,))
            watchdog.daemon = True
            watchdog.start()
            with contextlib.suppress(Exception):
                self.drafts.flush()
            with contextlib.suppress(Exception):
                self.session.close()
            with contextlib.suppress(Exception):
                # What multiprocessing does at a normal exit (its temporary folder), in
                # case quitting hangs on the dead terminal and the watchdog cuts it short.
                from multiprocessing import util

                getattr(util, "_exit_function")()  # noqa: B009 - private, no stub
            if loop is not None:
                with contextlib.suppress(Exception):
                    loop.call_soon_threadsafe(lambda: self.exit(return_code=code))

        threading.Thread(target=clean_up_and_leave, name="hangup", daemon=True).start()

    @staticmethod
    def _running_loop() -> Any:
        import asyncio

        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    def _terminated(self, signum: int, frame: Any) -> None:
        """SIGTERM, SIGINT: quit as Ctrl+Q does (terminal restored, session closed)."""
        code = 128 + signum
        loop = self._running_loop()
        if loop is None:
            self._terminal_gone(signum, frame)
            return
        loop.call_soon_threadsafe(lambda: self.exit(return_code=code))

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

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """Restyle ``node`` after a change of its classes, once it is mounted.

        Textual's widgets set their classes in their constructors (``compact``, a
        button's variant...), each change restyling the widget although it is not in
        the app yet; mounting styles every new widget anyway. A widget not mounted is
        left to that: the Compteur screen's start made 197 stylesheet applications,
        18 of them on widgets not yet mounted (issue 14).
        """
        if isinstance(node, Widget) and not self.is_mounted(node):
            return
        super().update_styles(node, animate=animate)

    # -- panes ----------------------------------------------------------------------------

    async def ensure_pane(self, tab: str) -> Pane:
        """The pane of ``tab``, imported, built and mounted on first use."""
        pane = self.panes.get(tab)
        if pane is None:
            spec = next(spec for spec in PANES if spec.tab == tab)
            pane = pane_class(spec.path)(id=f"pane-{tab}", built=True)
            self.panes[tab] = pane
            await self.query_one(f"#{tab}", TabPane).mount(pane)
        return pane

    def built_panes(self) -> list[Pane]:
        return [pane for pane in self.panes.values() if pane.built and pane.is_mounted]

    # -- actions --------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active != tab:
            # The screen left keeps no focus: Textual would hand it to the next widget of
            # that screen, now hidden (see ScreenTabs); the screen shown takes it.
            tabs.screen.set_focus(None)
        tabs.active = tab

    @property
    def active_pane(self) -> Pane:
        return self.panes.get(self.query_one(TabbedContent).active) or self.panes[PANES[0].tab]

    def action_leave_field(self) -> None:
        """Échap in a text field gives the keys back to the screen (its letter shortcuts)."""
        from textual.widgets import TextArea

        focused = self.focused
        if isinstance(focused, Input | TextArea):
            self.active_pane.focus()

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's copy key) explains, in French, how to quit."""
        self.notify(
            "Ctrl+Q quitte linkytool (ce qui est saisi est conservé).",
            title="Quitter ?",
        )

    def action_help(self) -> None:
        pane = self.active_pane
        pane_bindings = [
            (key_label(b.key), b.tooltip or b.description)
            for b in pane.BINDINGS
            if isinstance(b, Binding) and b.description
        ]
        global_bindings = [("F1", "Cette aide")]
        global_bindings += [(key_label(spec.key), f"Écran {spec.title}") for spec in PANES]
        global_bindings.append((key_label("escape"), "Quitter le champ (rend les touches)"))
        global_bindings.append(("Ctrl+Q", "Quitter (la saisie est conservée)"))
        self.push_screen(HelpScreen(pane.TITLE, pane.HELP, pane_bindings, global_bindings))

    # -- routing --------------------------------------------------------------------------

    async def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or ""
        if not any(spec.tab == tab for spec in PANES):
            return
        if tab != self.query_one(TabbedContent).active:
            return  # F3 then F4 before F3's screen was shown: only F4's is built and shown
        left = self.panes.get(self._shown_tab)
        self._shown_tab = tab
        if left is not None and left.id != f"pane-{tab}" and left.built:
            try:
                left.on_hidden()  # e.g. the Photos screen closes its phone intake
            except Exception as error:
                notify_error(self, error)
        try:
            pane = await self.ensure_pane(tab)
            await pane.activate()
        except Exception as error:
            notify_error(self, error)

    def on_tic_reading_updated(self, message: TicReadingUpdated) -> None:
        self.session.tic_reading = message.reading
        for pane in self.built_panes():
            hook: Callable[[], None] | None = getattr(pane, "tic_updated", None)
            if hook is not None:
                hook()

    def on_dossier_changed(self, message: DossierChanged) -> None:
        self.remember_dossier()
        self._tell_panes_dossier_changed(message.reason)
        self.read_dossier_photos()

    def on_reading_confirmed(self, message: ReadingConfirmed) -> None:
        """A confirmed photo value changed the dossier: the checklist follows by itself."""
        self._tell_panes_dossier_changed("relevé confirmé")

    def _tell_panes_dossier_changed(self, reason: str) -> None:
        for pane in self.built_panes():
            hook: Callable[[str], None] | None = getattr(pane, "dossier_changed", None)
            if hook is not None:
                try:
                    hook(reason)
                except Exception as error:
                    notify_error(self, error)

    def on_work_failed(self, message: WorkFailed) -> None:
        text = f"{message.message}\n→ {message.hint}" if message.hint else message.message
        self.notify(text, title=message.source, severity="error", timeout=12)

    # -- photos ---------------------------------------------------------------------------

    def read_dossier_photos(self) -> None:
        """Start reading the photos the dossier names, when it names new ones (each photo
        content once). A photo the dossier already named is not asked for again: the
        slot may meanwhile be reading another one (sent from the phone, not yet named).
        Needs only the dossier's ``[photos]`` table: called at the first paint, before
        the dossier itself is loaded."""
        if self.store.path is None or not self.store.path.is_file():
            return
        from linkytool.tui.photo_jobs import SLOT_FIELDS

        for slot, path in self.store.photo_paths(SLOT_FIELDS).items():
            try:
                info = path.stat()
            except OSError:
                continue
            seen = (path, info.st_size, info.st_mtime_ns)  # a file replaced is new
            if self._declared_photos.get(slot) != seen:
                self._declared_photos[slot] = seen
                self.photo_jobs.submit(slot, path)

    def on_photo_read(self, message: PhotoRead) -> None:
        pane = self.panes.get("photos")
        if pane is not None and pane.built and pane.is_mounted:
            pane.photo_read(message)  # type: ignore[attr-defined]

    def on_photo_failed(self, message: PhotoFailed) -> None:
        pane = self.panes.get("photos")
        if pane is not None and pane.built and pane.is_mounted:
            pane.photo_failed(message)  # type: ignore[attr-defined]

    def on_intake_updated(self, message: IntakeUpdated) -> None:
        """The phone intake (started by the Photos screen) reported something; routed
        like the photo readings, so a photo's STORED event comes before its reading."""
        pane = self.panes.get("photos")
        if pane is not None and pane.built and pane.is_mounted:
            pane.intake_updated(message)  # type: ignore[attr-defined]

    def _photo_done(self, slot: str, path: Path, reading: Any, error: BaseException | None) -> None:
        """Called in a worker thread when a photo was read: hand it to the UI thread."""
        if error is None:
            self.post_message(PhotoRead(slot, reading, path))
        else:
            message, hint = describe_error(error)
            self.post_message(PhotoFailed(slot, message, path, hint))
            self.post_message(WorkFailed(f"Photo {path.name}", message, hint))

    # -- safety net -----------------------------------------------------------------------

    def report_error(self, error: BaseException) -> None:
        """An exception escaped a handler: a French notification, and the session goes on."""
        self.caught_errors.append(error)
        notify_error(self, error, title="Erreur (la session continue)")

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort. Once the first screen is up, a failure inside one of
        Textual's own widgets is a notification too: the TIC reading and the recording
        go on. Before it (nothing to show the notification on), the app stops with a
        French message (:meth:`_fatal_error`)."""
        if self._exit and isinstance(error, NoMatches):
            # Quitting while a widget (ours or Textual's) was still being set up: its
            # late query finds the tree already torn down. Nothing is lost; exit as asked.
            return
        if self.first_paint_done and self.is_running and not self._exit_renderables:
            try:
                self.report_error(error)
                return
            except Exception:  # pragma: no cover - notifying itself failed: stop
                pass
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Last resort for a bug at start-up: exit with a French message, never a traceback.

        Drafts are flushed on unmount; the traceback goes to the log file named in the
        message.
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

    # -- drafts and remembered state -------------------------------------------------------

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
        """Write the drafts (every second). A failure (a read-only folder...) is said once,
        then stays in the header while it lasts; the write is tried again each time, so a
        folder made writable is used at once (and that is said too)."""
        try:
            self.drafts.flush()
        except Exception as error:
            path = self.drafts.path
            folder = path.parent if path is not None else self.session.workdir
            dossier = self.store.path is not None and self.store.path.parent == folder
            problem = unsaved_drafts(error, folder, dossier=dossier)
            if self.drafts_problem is None or problem.status != self.drafts_problem.status:
                self.notify(
                    f"{problem.message}\n→ {problem.hint}",
                    title="Saisie non enregistrée",
                    severity="error",
                    timeout=20,
                )
            self.drafts_problem = problem
            self.sub_title = f"{self._base_sub_title} · {problem.status}"
        else:
            if self.drafts_problem is not None:
                self.drafts_problem = None
                self.sub_title = self._base_sub_title
                self.notify("La saisie en cours est de nouveau gardée.", title="Saisie")

    def remember(self, **changes: str | None) -> None:
        """Record the last dossier, adapter or folder (not in the demo)."""
        if self.session.demo or self.session.state is None:
            return
        try:
            self.session.state.update(**changes)
        except Exception as error:
            notify_error(self, error, title="Préférences non enregistrées")

    def remember_dossier(self) -> None:
        if self.store.path is not None and self.store.path.is_file():
            self.remember(last_dossier=str(self.store.path))


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
    state_path: Path | None = None,
    reopen_last: bool = False,
    intake_bind: str | None = None,
    intake_port: int = 0,
) -> LinkytoolApp:
    """Build the application.

    ``dossier``: auto-MES dossier file to open; ``demo``: run on the bundled simulator,
    sample photos and a writable copy of the sample dossier (in ``workdir`` or a temporary
    directory, removed at exit); ``port``: TIC port or URL to preselect; ``clock``: host
    clock and ``port_lister``: serial port enumeration, ``photo_reader``: the photo OCR
    (``linkytool.ocr.read_photo`` in a process pool by default; all three replaceable in
    tests). ``state_path``: where the last dossier, adapter and folder are remembered
    (the user's config directory by default); ``reopen_last``: with no dossier and no
    port given, reopen the last dossier and offer the last adapter (bare ``linkytool``).
    ``intake_bind``, ``intake_port``: where the phone intake of the Photos screen listens
    (default: the address of the default route's interface, a free port).
    """
    if demo:
        from linkytool.tui.demo import prepare_demo

        session = prepare_demo(Path(workdir) if workdir is not None else None)
    else:
        from linkytool.tui.state import UiState  # the demo remembers nothing

        session = Session(
            dossier_path=Path(dossier).resolve() if dossier is not None else None,
            tic_url=port,
            autoconnect=port is not None,  # a port given on the command line: read it
            workdir=Path(workdir) if workdir is not None else Path.cwd(),
        )
        session.state, notice = UiState.load(state_path)
        if notice:
            session.notices.append(notice)
        if reopen_last and dossier is None and port is None:
            session.reopen_last()
    if autoconnect is not None:
        session.autoconnect = autoconnect
    if clock is not None:
        session.clock = clock
    session.port_lister = port_lister
    session.photo_reader = photo_reader
    session.intake_bind = intake_bind
    session.intake_port = intake_port
    from linkytool.tui.widgets.photo_view import prepare_pictures

    prepare_pictures()  # before Textual owns the terminal; only where pictures can show
    return LinkytoolApp(session)


__all__ = ["PANES", "LinkytoolApp", "PaneSpec", "make_app", "pane_class"]
