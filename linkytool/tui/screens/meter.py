"""Compteur: pick the TIC adapter, read the meter live, chart power, record a capture.

The serial work runs in a thread worker (``linkytool.tic.serialio.TicReader``); the worker
summarises the recent frames with ``linkytool.tic.summarize`` and posts typed messages
(:class:`TicStatus`, :class:`TicReadingUpdated`, :class:`WorkFailed`). Unplugging the
adapter only changes the status line: the reader waits and resumes by itself.
"""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, get_current_worker

from linkytool.errors import LinkytoolError
from linkytool.textfmt import french_count
from linkytool.tic.report import drawn_short_label
from linkytool.tui.errors import describe_error, guarded
from linkytool.tui.messages import (
    DossierChanged,
    PortsListed,
    TicReadingUpdated,
    TicStatus,
    WorkFailed,
)
from linkytool.tui.screens.base import Pane
from linkytool.tui.screens.meter_format import (
    DRIFT_WARNING_S,
    consumer_mode_notice,
    drift_seconds,
    drift_text,
    group_thousands,
    meter_time_text,
    quantity,
    rate_text,
    stge_items,
    stge_lines,
)
from linkytool.tui.session import PARIS
from linkytool.tui.widgets.chart import BarChart
from linkytool.tui.widgets.inorder_input import InOrderInput
from linkytool.tui.widgets.select import SafeSelect

#: Longest the simulator, port scan and connection wait for the dossier's photos to be
#: read at start-up [s].
PHOTOS_FIRST_S = 3.0
#: Span of the power chart [s].
CHART_SPAN_S = 300.0

MODES: list[tuple[str, str]] = [
    ("Mode auto", "auto"),
    ("Standard", "standard"),
    ("Historique", "historique"),
]

#: Status states in which the values shown are no longer live.
STALE_STATES = frozenset({"unplugged", "stopped", "error"})

#: ``TicReader`` event kind -> status line state.
STATE_OF_EVENT = {
    "connected": "connecting",
    "no_signal": "connecting",
    "mode": "mode",
    "unplugged": "unplugged",
    "gone": "error",
    "replugged": "replugged",
    "error": "error",
}

STATUS_STYLE = {
    "connecting": "yellow",
    "connected": "green",
    "mode": "green",
    "replugged": "green",
    "recording": "green",
    "unplugged": "bold red",
    "stopped": "dim",
    "error": "bold red",
}


class MeterPane(Pane):
    """The Compteur tab."""

    TITLE = "Compteur"
    HELP = """
Lecture de la télé-information (TIC) du compteur Linky par l'adaptateur USB branché sur
les bornes I1/I2. Choisissez l'adaptateur dans la liste (noms stables /dev/serial/by-id)
ou tapez une adresse (/dev/ttyUSB0, rfc2217://hôte:port, socket://hôte:port), puis
Connecter. Le mode (historique ou standard) et la vitesse sont détectés tout seuls.
On voit en direct : PRM, date et heure du compteur avec leur écart à l'horloge du PC,
index EAST (soutiré) et EAIT (injecté), puissances SINSTS et SINSTI, registre d'état
STGE décodé et taux d'erreurs de somme de contrôle, plus la courbe de puissance des cinq
dernières minutes. « Enregistrer » écrit une capture rejouable (linkytool tic decode).
Débrancher l'adaptateur ne bloque rien : la lecture reprend au rebranchement.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "connect", "Connecter"),
        Binding("x", "disconnect", "Arrêter"),
        Binding("r", "toggle_record", "Enregistrer"),
        Binding("t", "record_in_dossier", "→ Dossier"),
        Binding("l", "refresh_ports", "Actualiser les ports", show=False),
        Binding("s", "show_stge", "Détail du registre STGE", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reader_worker: Worker[None] | None = None
        #: Arrêter was pressed and no reading started since.
        self._stopped_by_user = False
        self.recording: Path | None = None
        self.status_state = "stopped"
        self.reading: Any = None
        self._reader: Any = None
        self._reader_done: threading.Event | None = None
        self._record_request: tuple[Path | None] | None = None
        #: The values shown are the last ones received, not live (adapter unplugged...).
        self.stale = False
        #: Host time of the last frame [s since the epoch].
        self.last_frame_at: float | None = None
        #: The screen's widgets are mounted (just after the first paint).
        self.body_ready = False
        self.status_text = ""
        #: When the background work starts even if the photos are still being read.
        self._background_deadline = 0.0

    def compose_content(self) -> ComposeResult:
        # Nothing before the first paint: the first screen (tabs, footer) is drawn at
        # the cost of a bare Textual app, this screen's widgets follow one frame later.
        yield from ()

    def _body(self) -> list[Widget]:
        return [
            Horizontal(
                SafeSelect[str]([], prompt="Adaptateur détecté", id="meter-ports", compact=True),
                InOrderInput(
                    placeholder="ou adresse : /dev/ttyUSB0, rfc2217://…",
                    id="meter-url",
                    classes="draft",
                    compact=True,
                ),
                SafeSelect[str](
                    MODES, value="auto", allow_blank=False, id="meter-mode", compact=True
                ),
                id="meter-source",
                classes="row",
            ),
            Horizontal(
                Button("Connecter", id="meter-connect", variant="primary", compact=True),
                Button("Arrêter", id="meter-stop", compact=True),
                Button("● Enregistrer", id="meter-record", compact=True),
                Button("→ Dossier", id="meter-to-dossier", compact=True),
                Button("Ports", id="meter-refresh", compact=True),
                classes="row buttons",
            ),
            Label("Non connecté.", id="meter-status"),
            Static("", id="meter-banner", classes="banner hidden"),
            Horizontal(
                Static(self._values_table(None), id="meter-values"),
                Static("", id="meter-stge"),
                id="meter-live",
            ),
            Vertical(
                Label("Puissance apparente (5 dernières minutes) : —", id="meter-chart-label"),
                BarChart(total_style="cyan", id="meter-chart"),
                id="meter-chart-box",
            ),
        ]

    def on_built(self) -> None:
        self.call_after_refresh(self._mount_body)

    async def _mount_body(self) -> None:
        await self.mount_all(self._body())
        if self._torn_down():
            return  # the app quit meanwhile: start nothing
        self.body_ready = True
        url_input = self.query_one("#meter-url", Input)
        self.lt_app.restore_draft(url_input)
        if self.session.tic_url:
            url_input.value = self.session.tic_url
        if self.session.offered_port:
            self.notify(
                f"Dernier adaptateur utilisé : {self.session.offered_port}. "
                "Entrée sur « Connecter » (ou c) pour le relire.",
                title="Reconnecter ?",
            )
            self.focus_here(self.query_one("#meter-connect", Button))
        # Background work starts once this screen is on the terminal.
        self.call_after_refresh(self.lt_app.start_background_work)
        self._background_deadline = time.monotonic() + PHOTOS_FIRST_S
        self.set_timer(0.3, self._start_background)
        if self.status_text:
            self._set_status(self.status_state, self.status_text)
        if self.reading is not None:
            self.refresh_view()

    @guarded
    def _start_background(self) -> None:
        """The simulator, the port scan and the connection, once the dossier's photos
        are read (or after :data:`PHOTOS_FIRST_S`): on two cores, the TIC decoding
        would otherwise delay the photos' values the installer asked for with F3."""
        if self.lt_app.photo_jobs.busy() and time.monotonic() < self._background_deadline:
            self.set_timer(0.1, self._start_background)
            return
        session = self.session
        if session.start_simulator is not None and session.tic_url is None:
            session.tic_url = session.start_simulator()
            self.query_one("#meter-url", Input).value = session.tic_url
        self.action_refresh_ports()
        if session.autoconnect and session.tic_url:
            self.action_connect()

    # -- ports ------------------------------------------------------------------------------

    def action_refresh_ports(self) -> None:
        self._list_ports()

    @work(thread=True, exit_on_error=False, exclusive=True, group="ports")
    def _list_ports(self) -> None:
        try:
            from linkytool.tic.ports import list_ports

            ports = (self.session.port_lister or list_ports)()
        except Exception as error:
            message, hint = describe_error(error)
            self.post_message(WorkFailed("Ports série", message, hint))
            return
        options = [(f"{p.by_id or p.device} — {p.description}", p.by_id or p.device) for p in ports]
        if self.session.demo and self.session.tic_url:
            options.insert(
                0, (f"Simulateur de démonstration ({self.session.tic_url})", self.session.tic_url)
            )
        self.post_message(PortsListed(options))

    def on_ports_listed(self, message: PortsListed) -> None:
        options = message.options
        select = self.query_one("#meter-ports", Select)
        select.set_options(options)
        select.prompt = "Adaptateur détecté" if options else "Aucun adaptateur détecté"

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "meter-ports" and isinstance(event.value, str):
            self.query_one("#meter-url", Input).value = event.value

    # -- connection ------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "meter-connect": self.action_connect,
            "meter-stop": self.action_disconnect,
            "meter-record": self.action_toggle_record,
            "meter-refresh": self.action_refresh_ports,
            "meter-to-dossier": self.action_record_in_dossier,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Entrée in the address field connects (the obvious thing in a one-field form)."""
        if event.input.id == "meter-url":
            event.stop()
            self.action_connect()

    def current_url(self) -> str:
        return self.query_one("#meter-url", Input).value.strip()

    def action_connect(self) -> None:
        url = self.current_url()
        if not url:
            self.notify(
                "Choisissez un adaptateur dans la liste ou tapez son adresse.",
                title="Aucun port",
                severity="warning",
            )
            return
        mode = str(self.query_one("#meter-mode", Select).value)
        self._start_reader(url, mode)
        if not self.session.demo:
            self.lt_app.remember(last_port=url)

    def _start_reader(self, url: str, mode: str) -> None:
        from linkytool.tic.serialio import TicReader

        self._stop_reader()
        self._stopped_by_user = False
        self.session.power_history.clear()
        if self.recording is not None:
            self.recording.parent.mkdir(parents=True, exist_ok=True)
        # Built here (it opens nothing yet) so stop() always reaches the current reader.
        self._reader = TicReader(url, mode=mode, record=self.recording)
        previous, self._reader_done = self._reader_done, threading.Event()
        self.reader_worker = self._read_loop(self._reader, previous, self._reader_done)

    def action_disconnect(self) -> None:
        self._stop_reader()
        self._set_status("stopped", "Lecture arrêtée.")
        # What the stopped reader posted before it ended (a frame, a status still in the
        # queue) must not say "Connecté" again: seen with frames 0.2 s apart.
        self._stopped_by_user = True

    def _stop_reader(self) -> None:
        if self.reader_worker is not None:
            self.reader_worker.cancel()
            self.reader_worker = None
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.stop()  # thread-safe; the worker's loop ends within one read timeout

    def on_unmount(self) -> None:
        self._stop_reader()

    def action_toggle_record(self) -> None:
        if self.recording is not None:
            self.stop_recording()
        else:
            self.start_recording()

    @property
    def connected(self) -> bool:
        """A reader is running (connected, or waiting for the adapter to come back)."""
        return self.reader_worker is not None

    def start_recording(self, prefix: str = "tic") -> Path:
        """Record the raw TIC to a new capture file (next to the dossier); return its path."""
        directory = self.store.base_dir / "captures" if self.store.path else self.session.workdir
        stamp = self.session.clock().strftime("%Y%m%d-%H%M%S")
        self.recording = directory / f"{prefix}-{stamp}.bin"
        self.query_one("#meter-record", Button).label = "■ Fin enreg."
        if self.reader_worker is None:
            self.notify(
                f"L'enregistrement commencera à la connexion : {self.recording}",
                title="Enregistrement prêt",
            )
        else:
            self._restart_if_running()
            self.notify(f"Enregistrement dans {self.recording}", title="Enregistrement")
        return self.recording

    def stop_recording(self) -> Path | None:
        """Stop the recording; return the capture's path (None when none was running)."""
        path, self.recording = self.recording, None
        if path is None:
            return None
        self._restart_if_running()
        self.notify(f"Capture enregistrée : {path}", title="Enregistrement arrêté")
        self.query_one("#meter-record", Button).label = "● Enregistrer"
        return path

    def _restart_if_running(self) -> None:
        """Ask the reading thread to start or stop the recording between two events."""
        if self.reader_worker is not None:
            self._record_request = (self.recording,)

    def _apply_record_request(self, reader: Any) -> None:
        """In the reading thread: switch the reader's recording file between events."""
        request, self._record_request = self._record_request, None
        if request is None:
            return
        (path,) = request
        if path is None:
            reader.stop_recording()
            return
        try:
            reader.start_recording(path)
        except LinkytoolError as error:  # the reading goes on without the recording
            self.post_message(WorkFailed("Enregistrement TIC", error.message, error.hint))

    @work(thread=True, exit_on_error=False, exclusive=True, group="tic")
    def _read_loop(
        self, reader: Any, previous: threading.Event | None, done: threading.Event
    ) -> None:
        """Read frames until cancelled; post status and summaries (runs in a thread).

        ``previous`` is set when the former reader released the port: the same adapter
        cannot be opened twice, so a restart (to start a recording) waits for it.
        """
        worker = get_current_worker()
        if previous is not None:
            previous.wait(timeout=3.0)
        try:
            from linkytool.tic.summary import ReadingBuilder

            self.post_message(TicStatus("connecting", f"Connexion à {reader.url}…"))
            summary = ReadingBuilder()  # whole-session counts, constant memory
            for event in reader:
                if worker.is_cancelled:
                    break
                self._apply_record_request(reader)
                if event.kind == "frame":
                    summary.add(event.frame)
                    host_time = event.received_at.timestamp()
                    self.post_message(TicReadingUpdated(summary.result(), host_time))
                else:
                    self.post_message(
                        TicStatus(STATE_OF_EVENT.get(event.kind, "connected"), event.message)
                    )
                    error = getattr(event, "error", None)
                    if isinstance(error, LinkytoolError):  # e.g. permission denied on replug
                        self.post_message(WorkFailed("Lecture TIC", error.message, error.hint))
        except LinkytoolError as error:
            if not worker.is_cancelled:
                self.post_message(TicStatus("error", error.message))
                self.post_message(WorkFailed("Lecture TIC", error.message, error.hint))
        except Exception as error:
            if not worker.is_cancelled:
                message, hint = describe_error(error)
                self.post_message(TicStatus("error", message))
                self.post_message(WorkFailed("Lecture TIC", message, hint))
        finally:
            with contextlib.suppress(Exception):
                reader.stop()
            done.set()

    def action_show_stge(self) -> None:
        register = getattr(self.reading, "stge", None)
        if register is None:
            self.notify("Aucun registre STGE reçu pour l'instant.", severity="warning")
            return
        from linkytool.tui.widgets.help import HelpScreen

        lines = "\n".join(f"{label} : {value}" for label, value in stge_lines(register))
        self.app.push_screen(HelpScreen(f"registre STGE {register.hex}", lines, [], []))

    @guarded
    def action_record_in_dossier(self) -> None:
        """Record the PRM and meter date read over TIC in the dossier (with provenance)."""
        if self.reading is None:
            self.notify("Connectez d'abord le compteur.", severity="warning")
            return
        self.store.record_tic(self.reading, self.recording)
        self.post_message(DossierChanged("relevé TIC"))
        self.notify(
            f"PRM {self.reading.prm or '—'} et date du compteur enregistrés dans le dossier.",
            title="Relevé TIC",
        )

    # -- display ---------------------------------------------------------------------------

    def on_tic_status(self, message: TicStatus) -> None:
        if self._stopped_by_user:
            return  # posted by the reader stopped since, still in the queue
        self._set_status(message.state, message.text)
        stale = message.state in STALE_STATES and self.reading is not None
        if stale != self.stale:
            self.stale = stale
            self.refresh_view()

    def _set_status(self, state: str, text: str) -> None:
        self.status_state = state
        self.status_text = text
        if not self.body_ready:
            return  # shown when the body is mounted
        suffix = f"  ● enregistrement : {self.recording.name}" if self.recording else ""
        label = self.query_one("#meter-status", Label)
        label.update(Text(text + suffix, style=STATUS_STYLE.get(state, "")))

    def on_tic_reading_updated(self, message: TicReadingUpdated) -> None:
        reading = message.reading
        self.reading = reading
        self.last_frame_at = message.host_time
        self.stale = False
        if self.status_state == "connecting" or (
            self.status_state == "stopped" and not self._stopped_by_user
        ):
            self._set_status("connected", f"Connecté — mode {getattr(reading, 'mode', '?')}.")
        history = self.session.power_history
        history.append((message.host_time, reading.sinsts_va, reading.sinsti_va))
        while history and history[0][0] < message.host_time - CHART_SPAN_S:
            history.pop(0)
        self.refresh_view()

    def refresh_view(self) -> None:
        if not self.body_ready:
            return  # drawn when the body is mounted (just after the first paint)
        reading = self.reading
        values = self.query_one("#meter-values", Static)
        values.update(self._values_table(reading))
        values.set_class(self.stale, "stale")
        self.query_one("#meter-stge", Static).set_class(self.stale, "stale")
        register = getattr(reading, "stge", None)
        stge = Text()
        address = getattr(reading, "meter_address", None)
        if address is not None:
            maker = address.maker or f"fabricant {address.maker_code}"
            stge.append(f"{maker}, {address.year}\n", style="bold")
            if address.type_name:
                stge.append(f"{address.type_name}\n", style="dim")
        if register is not None:
            stge.append(f"STGE {register.hex}\n", style="bold")
            for item in stge_items(register.summary(getattr(reading, "ntarf", None))):
                stge.append(f"• {item}\n")
            stge.append("(s : détail du registre)", style="dim")
        elif reading is not None:
            stge.append("Pas de registre STGE (mode historique).", style="dim")
        self.query_one("#meter-stge", Static).update(stge)
        notice = consumer_mode_notice(reading) if reading is not None else None
        banner = self.query_one("#meter-banner", Static)
        banner.update(notice or "")
        banner.set_class(notice is None, "hidden")
        self._update_chart()

    def _update_chart(self) -> None:
        history = self.session.power_history
        consumed = [float(s) for _, s, _ in history if s is not None]
        injected = [float(i) for _, _, i in history if i is not None]
        chart = self.query_one("#meter-chart", BarChart)
        data = injected if injected and max(injected) > 0 else consumed
        chart.set_series(data)
        label = self.query_one("#meter-chart-label", Label)
        if not consumed:
            label.update("Puissance apparente (5 dernières minutes) : —")
            return
        drawn = "PAPP" if getattr(self.reading, "mode", None) == "historique" else "SINSTS"
        which = "injectée (SINSTI)" if data is injected else f"soutirée ({drawn})"
        label.update(
            f"Puissance {which} : {quantity(int(data[-1]), 'VA')} (min "
            f"{group_thousands(int(min(data)))}, max {quantity(int(max(data)), 'VA')}, "
            f"{french_count(len(data), 'mesure', 'mesures')})"
        )

    def _values_table(self, reading: Any) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(no_wrap=True)
        if self.stale and self.last_frame_at is not None:
            at = datetime.fromtimestamp(self.last_frame_at, tz=PARIS).strftime("%H:%M:%S")
            table.add_row(
                Text("Valeurs", style="bold yellow"),
                Text(f"figées, trame de {at}", style="bold yellow"),
            )

        def get(name: str) -> Any:
            return getattr(reading, name, None) if reading is not None else None

        drift = drift_seconds(get("meter_time"), self.session.clock())
        drift_style = "bold red" if drift is not None and abs(drift) > DRIFT_WARNING_S else ""
        historique = get("mode") == "historique"
        table.add_row("PRM", get("prm") or ("— (absent en historique)" if historique else "—"))
        table.add_row("Compteur", get("meter_id") or "—")
        table.add_row("Mode TIC", get("mode") or "—")
        table.add_row("Date compteur", meter_time_text(get("meter_time")))
        table.add_row("Écart horloge", Text(drift_text(drift), style=drift_style))
        drawn = drawn_short_label(reading) if reading is not None else "EAST (soutiré)"
        table.add_row(drawn, quantity(get("east_wh"), "Wh"))
        table.add_row("EAIT (injecté)", quantity(get("eait_wh"), "Wh"))
        table.add_row("PAPP" if historique else "SINSTS", quantity(get("sinsts_va"), "VA"))
        table.add_row("SINSTI", quantity(get("sinsti_va"), "VA"))
        frames = get("frames")
        rate = get("checksum_error_rate")
        table.add_row(
            "Trames / erreurs",
            f"{frames if frames is not None else '—'} / {rate_text(rate)}",
        )
        return table
