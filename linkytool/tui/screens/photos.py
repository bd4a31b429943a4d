"""Photos: the three meter-screen photos, what the OCR read, confirmation, cross-checks.

Each slot (PRM, date courante, index injection) takes a photo from the file picker (named
in the dossier once it reads as a photo: a file that is not one is refused); the
app reads it in the background (:mod:`linkytool.tui.photo_jobs`: the dossier's photos are
read as soon as it opens, in parallel), and the slot shows the value, the confidence and
the LCD as read, one dot per braille dot (:mod:`linkytool.tui.widgets.lcd_preview`), so
the installer can compare; a line above the slots shows the three values and their
states at a glance (:mod:`photos_summary`). Focus follows the work: the first value to
confirm has the focus, Entrée confirms it and moves to the next. The confirmed value is
recorded in the dossier with its provenance through
``linkytool.mes.service.record_photo`` (the same route as ``linkytool mes
import-photos``). Cross-checks (``linkytool.ocr.cross_check``) compare the photos with
the live TIC.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from linkytool.screen_titles import SCREEN_TITLES_BY_NAME
from linkytool.textfmt import french_megabytes, french_percent, french_value
from linkytool.tui.errors import SafetyNet, describe_error, guarded
from linkytool.tui.labels import iso_date
from linkytool.tui.messages import (
    DossierChanged,
    IntakeUpdated,
    PhotoFailed,
    PhotoRead,
    ReadingConfirmed,
    WorkFailed,
)
from linkytool.tui.screens.base import Pane
from linkytool.tui.screens.photos_summary import SlotState, summary_text
from linkytool.tui.widgets.inorder_input import InOrderInput
from linkytool.tui.widgets.lcd_preview import LcdPreview
from linkytool.tui.widgets.photo_view import open_in_viewer, picture_widget
from linkytool.tui.widgets.picker import FilePicker

if TYPE_CHECKING:
    from linkytool.intake import IntakeEvent, IntakeServer
    from linkytool.tui.intake_job import PhoneIntake

#: Slot id (= dossier field and OCR screen kind), French title, what to photograph.
SLOTS: tuple[tuple[str, str, str], ...] = (
    ("prm", SCREEN_TITLES_BY_NAME["prm"], "écran « NUMERO PRM » (14 chiffres)"),
    ("date", SCREEN_TITLES_BY_NAME["date"], "écran de la date courante"),
    (
        "injection_index",
        SCREEN_TITLES_BY_NAME["injection_index"],
        "écran « INDEX INJECTION » (kWh)",
    ),
)

#: ``linkytool.ocr.ScreenKind.NOT_LINKY`` (no Linky screen found), by value: this screen
#: must not import the OCR package (see ``test_the_photos_screen_loads_neither_numpy...``).
NOT_LINKY = "not_linky"

CHECK_STYLE = {"ok": "green", "mismatch": "bold red", "unavailable": "dim", "missing": "yellow"}
CHECK_ICON = {"ok": "✔", "mismatch": "✘", "unavailable": "·", "missing": "?"}


class PhotoSlot(SafetyNet, Vertical):
    """One photo: path, OCR result, LCD preview, value to confirm."""

    def __init__(self, slot: str, title: str, what: str) -> None:
        super().__init__(id=f"slot-{slot}", classes="photo-slot")
        self.slot = slot
        self.slot_title = title
        self.what = what
        self.path: Path | None = None
        self.reading: Any = None
        self.confirmed: str | None = None
        #: Whether reading the current photo failed (its message is in the slot).
        self.failed = False
        #: The value last proposed by the OCR (to tell it from one the user typed).
        self.proposed = ""
        self.border_title = title

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Button("Choisir la photo…", id=f"pick-{self.slot}", compact=True)
            yield Label(f"Aucune photo ({self.what}).", id=f"file-{self.slot}", classes="grow")
        with Horizontal(classes="row"):
            yield InOrderInput(
                placeholder="valeur", id=f"value-{self.slot}", classes="draft", compact=True
            )
            yield Button("Confirmer", id=f"confirm-{self.slot}", variant="success", compact=True)
        yield Static("", id=f"ocr-{self.slot}")
        yield Horizontal(id=f"cands-{self.slot}", classes="row candidates")
        with Horizontal(classes="slot-body"):
            yield LcdPreview(id=f"crop-{self.slot}")
            yield Horizontal(id=f"photo-{self.slot}", classes="photo-image")

    def set_path(self, path: Path, *, keep_typed: bool = False) -> None:
        """A photo for this slot; its value field is cleared unless ``keep_typed``."""
        self.path = path
        self.reading = None
        self.confirmed = None
        self.failed = False
        if not keep_typed:
            self.query_one(f"#value-{self.slot}", Input).value = ""
        self.query_one(f"#file-{self.slot}", Label).update(Text(f"{path.name} — lecture en cours…"))
        self.query_one(f"#ocr-{self.slot}", Static).update("")
        self.query_one(f"#cands-{self.slot}", Horizontal).remove_children()
        self.query_one(f"#crop-{self.slot}", LcdPreview).show_reading(None)

    def show_reading(self, reading: Any) -> None:
        self.reading = reading
        assert self.path is not None
        self.show_file()
        text = Text()
        screen = str(getattr(reading, "screen", ""))
        label = getattr(reading, "screen_label", screen)
        if screen == NOT_LINKY:
            text.append(f"Écran non reconnu (attendu : {self.slot_title})\n", style="bold red")
        elif screen != self.slot:
            text.append(
                f"Écran reconnu : {label} (attendu : {self.slot_title})\n", style="bold red"
            )
        if not reading.value:
            # No value: a confidence beside it (it was "illisible, confiance 100 %" on a
            # recognised screen of the wrong kind) would only confuse.
            text.append("Lu : aucune valeur — reprenez la photo ou saisissez la valeur", "bold")
        else:
            text.append(f"Lu : {french_value(reading.value)}  ", style="bold")
            percent = french_percent(reading.confidence, 0)
            if reading.confident:
                text.append(f"confiance {percent} — sûre", style="green")
            else:
                text.append(f"confiance {percent} — à confirmer", style="bold yellow")
        if screen == self.slot:
            # the screen's French name: its raw cell text (« C0NS0MMATEUR ») would read as
            # a typo to check; the LCD preview below shows what was read
            text.append(f"\nÉcran : {label}")
        candidates = self.query_one(f"#cands-{self.slot}", Horizontal)
        candidates.remove_children()
        if reading.candidates:
            # One button per alternative: a press puts it in the value field.
            candidates.mount(Label("Autres lectures : ", classes="dim"))
            candidates.mount_all(
                Button(
                    french_value(value), name=french_value(value), classes="candidate", compact=True
                )
                for value in reading.candidates[:3]
            )
        for warning in reading.warnings:
            text.append(f"\n⚠ {warning}", style="yellow")
        self.query_one(f"#ocr-{self.slot}", Static).update(text)
        value_input = self.query_one(f"#value-{self.slot}", Input)
        # Propose the value read, unless the user already typed one (kept from a draft) or
        # confirmed one for this photo (in an earlier session: :meth:`restore_confirmed`).
        shown = french_value(reading.value) if reading.value else ""  # dates as JJ/MM/AAAA
        if shown and self.confirmed is None and value_input.value in ("", self.proposed):
            value_input.value = shown
            if value_input.has_focus:  # as when focused after: typing replaces the value
                value_input.select_all()
        self.proposed = shown
        self.query_one(f"#crop-{self.slot}", LcdPreview).show_reading(reading)
        box = self.query_one(f"#photo-{self.slot}", Horizontal)
        box.remove_children()
        picture = picture_widget(reading.crop) if reading.crop else None
        if picture is not None:  # a terminal that shows pictures: the crop itself
            box.mount(picture)

    def show_failure(self, message: str, hint: str | None = None, note: str = "") -> None:
        """Reading the current photo failed: say why and what to do, in the slot (its
        header says it too, instead of « lecture en cours »)."""
        self.failed = True
        self.show_file()
        text = Text(message, style="bold red")
        if hint:
            text.append(f"\n→ {hint}")
        if note:
            text.append(f"\n{note}", style="yellow")
        self.query_one(f"#ocr-{self.slot}", Static).update(text)

    def mark_confirmed(self, value: str) -> None:
        self.confirmed = value
        self.show_file()

    def show_file(self) -> None:
        """The photo's name, and the value confirmed for it when there is one."""
        name = self.path.name if self.path else ""
        label = self.query_one(f"#file-{self.slot}", Label)
        if self.failed:
            label.update(Text(f"{name} — photo illisible", style="bold red"))
        elif self.confirmed is None:
            label.update(Text(name))
        else:
            label.update(
                Text(f"{name} — valeur confirmée : {french_value(self.confirmed)}", style="green")
            )

    def restore_confirmed(self, value: str) -> None:
        """A value confirmed in an earlier session, for this very photo (the dossier
        says so): shown confirmed, in the value field unless the user typed there."""
        value_input = self.query_one(f"#value-{self.slot}", Input)
        if value_input.value in ("", self.proposed):
            value_input.value = french_value(value)
        self.mark_confirmed(value)


#: Lines of the screen around the phone intake's QR code: header, tab bar, footer [cells].
SCREEN_CHROME_LINES = 4


#: Why the intake could not listen, in French, and which of the UI's options changes it
#: (errno of the bind -> reason, hint).
BIND_REASONS: dict[int, tuple[str, str]] = {
    errno.EADDRNOTAVAIL: (
        "cette adresse n'est pas celle d'une interface de ce poste",
        "Relancez linkytool avec --intake-bind ADRESSE (celle du Wi-Fi du poste).",
    ),
    errno.EADDRINUSE: (
        "port déjà utilisé",
        "Fermez le programme qui l'utilise, ou relancez linkytool avec --intake-port 0 "
        "(un port libre) ou un autre port.",
    ),
    errno.EACCES: (
        "port réservé",
        "Relancez linkytool avec --intake-port 0 (un port libre) ou un port au-dessus de 1024.",
    ),
}


def intake_refusal(error: BaseException, where: str | None) -> tuple[str, str | None]:
    """The UI's French (message, hint) for an intake that cannot start on ``where``
    (address[:port]): how to change them is the UI's own options (``--intake-bind``,
    ``--intake-port``)."""
    from linkytool.intake import IntakeError, NoNetworkError

    message, hint = describe_error(error)
    if isinstance(error, NoNetworkError):
        hint = (
            "Connectez ce poste au Wi-Fi du site (ou au partage de connexion du téléphone), "
            "ou relancez linkytool avec --intake-bind ADRESSE."
        )
    elif isinstance(error, IntakeError) and isinstance(error.__cause__, OSError):
        known = BIND_REASONS.get(error.__cause__.errno or 0)
        if known is not None:
            reason, hint = known
            on = f" sur {where}" if where else ""
            message = f"Impossible de recevoir les photos{on} : {reason}."
    return message, hint


class IntakePanel(SafetyNet, Horizontal):
    """The phone intake while it runs: its QR code, its URL, each screen's status.

    Échap (or the « Fermer » button) closes it, which stops the server.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Fermer la réception"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="intake-qr")
        with Vertical(id="intake-side"):
            yield Label("Photos depuis le téléphone", classes="intake-title")
            yield Static(
                "Scannez ce code avec l'appareil photo du téléphone (même réseau que ce "
                "poste), ou ouvrez :",
                id="intake-help",
            )
            yield Static("", id="intake-url")
            yield Static("", id="intake-status")
            yield Button("Fermer la réception", id="intake-close", compact=True)
            yield Static(
                "S'arrête seule : trois lectures sûres ou confirmées, ou 15 min sans photo.",
                id="intake-note",
                classes="dim",
            )

    def action_close(self) -> None:
        pane = next(node for node in self.ancestors if isinstance(node, PhotosPane))
        pane.close_intake("Réception fermée.")


class PhotosPane(Pane):
    """The Photos tab."""

    TITLE = "Photos"
    HELP = """
Les trois photos d'écran demandées par Enedis : numéro PRM, date courante et index
injection (en englobant les références gravées au-dessus de l'écran). Pour chaque photo :
« Choisir la photo… » ouvre le sélecteur de fichiers ; la lecture s'affiche avec sa
confiance et la zone d'écran lue. Un fichier qui n'est pas une photo lisible est refusé
(il n'est pas enregistré au dossier). Vérifiez la valeur, corrigez-la si besoin, puis
« Confirmer » : elle est enregistrée dans le dossier avec sa provenance (photo, confiance,
ou saisie manuelle si vous l'avez corrigée). La ligne du haut résume les trois valeurs :
✔ confirmée, ? à confirmer, ✘ photo à reprendre. En bas, les contrôles croisés comparent les
photos entre elles, avec l'heure de prise de vue (EXIF) et avec la TIC en direct.
« Photos depuis le téléphone » (t) affiche un code QR : le téléphone (sur le même réseau)
ouvre une page avec un bouton par écran, prend chaque photo et voit la lecture ; chaque
photo arrive ici, est lue et enregistrée dans le dossier, et se confirme comme les autres.
Échap ou « Fermer la réception » arrête la réception (aussi en quittant l'écran).
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "phone_intake", "Téléphone", tooltip="Photos depuis le téléphone (QR)"),
        Binding("p", "pick('prm')", "Photo PRM"),
        Binding("d", "pick('date')", "Photo date"),
        Binding("i", "pick('injection_index')", "Photo index"),
        Binding("o", "open_photo", "Ouvrir", tooltip="Ouvrir la photo dans la visionneuse"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: The phone intake (created on first use).
        self.intake: PhoneIntake | None = None
        #: What the intake said of each slot (slot id -> French status line).
        self.intake_status: dict[str, Text] = {}
        #: Whether the dossier was asked for the values confirmed in earlier sessions.
        self._confirmations_asked = False
        #: Photos picked here, recorded in the dossier once they read as photos (a file
        #: that is not one is never named by the dossier): slot -> path.
        self._to_record: dict[str, Path] = {}

    def compose_content(self) -> ComposeResult:
        yield Static("", id="photos-summary")
        with Horizontal(classes="row", id="intake-row"):
            yield Button("Photos depuis le téléphone", id="intake-start", compact=True)
            yield Label(" code QR, sur le même réseau que ce poste", classes="dim")
        yield IntakePanel(id="intake-panel", classes="hidden")
        for slot, title, what in SLOTS:
            yield PhotoSlot(slot, title, what)
        yield Label("Contrôles croisés", classes="section")
        yield Static("Ajoutez les photos pour lancer les contrôles.", id="photos-checks")

    def on_built(self) -> None:
        for slot, _, _ in SLOTS:
            self.lt_app.restore_draft(self.query_one(f"#value-{slot}", Input))
        self.load_from_dossier()  # and the summary line

    def refresh_summary(self) -> None:
        """The line above the slots: the three values and their states at a glance."""
        states = [
            SlotState(s, w.path is not None, w.reading, w.confirmed, w.failed)
            for s, w in ((slot, self.slot(slot)) for slot, _, _ in SLOTS)
        ]
        # One line whatever it says (app.tcss): a repaint, no layout of the whole pane.
        self.query_one("#photos-summary", Static).update(summary_text(states), layout=False)

    def on_shown(self) -> None:
        self.load_from_dossier()
        self.focus_next_value()

    def slot(self, slot: str) -> PhotoSlot:
        return self.query_one(f"#slot-{slot}", PhotoSlot)

    def load_from_dossier(self) -> None:
        """Show the photos the dossier refers to, with their reading when it is ready
        (the app reads them in the background as soon as the dossier opens)."""
        jobs = self.lt_app.photo_jobs
        # The [photos] table only: F3 at start-up shows the photos and their readings
        # without waiting for the whole dossier (the Prérequis pane reports load errors).
        named = self.store.photo_paths(tuple(slot for slot, _, _ in SLOTS))
        changed = not self._confirmations_asked
        for slot, path in named.items():
            widget = self.slot(slot)
            if not path.is_file() or widget.path == path:
                continue
            widget.set_path(path, keep_typed=True)
            jobs.submit(slot, path)  # no-op when this photo is already read or being read
            self._show_result(slot)
            changed = True
        self.refresh_summary()
        if changed and self.store.path is not None:
            self._confirmations_asked = True
            self.fetch_confirmations({slot: self.slot(slot).path for slot, _, _ in SLOTS})

    @work(thread=True, exit_on_error=False, exclusive=True, group="confirmations")
    def fetch_confirmations(self, photos: dict[str, Path | None]) -> None:
        """In a thread (the dossier is loaded and its photos hashed): the values confirmed
        in earlier sessions, shown confirmed on the slots still showing those photos."""
        try:
            confirmed = self.store.confirmed_values()
        except Exception:
            return  # an unreadable dossier: the Prérequis screen says why
        if confirmed:
            self.app.call_from_thread(self.restore_confirmations, confirmed, photos)

    def restore_confirmations(
        self, confirmed: dict[str, str], photos: dict[str, Path | None]
    ) -> None:
        """Show ``confirmed`` (field -> value) on the slots whose photo is still the one
        of ``photos`` (what they showed when asked) and that the user has not confirmed
        since; then the focus moves on if it was on one of them."""
        restored = []
        for slot, value in confirmed.items():
            widget = self.slot(slot)
            if widget.path == photos.get(slot) and widget.confirmed is None:
                widget.restore_confirmed(value)
                restored.append(slot)
        if not restored:
            return
        self.refresh_summary()
        self.refresh_checks()
        focused = self.app.focused
        untouched = focused is None or focused is self
        if focused is not None and any(self.slot(slot) in focused.ancestors for slot in restored):
            # moved on unless the user is typing there (the value shown is not theirs)
            untouched = not isinstance(focused, Input) or focused.value == french_value(
                confirmed[(focused.id or "").removeprefix("value-")]
            )
        if self.shown and untouched:
            self.focus_next_value()

    def _show_result(self, slot: str) -> None:
        """Show the background reading of ``slot`` if it is already finished."""
        done = self.lt_app.photo_jobs.result(slot)
        widget = self.slot(slot)
        if done is None or done[0] != widget.path:
            return
        _, reading, error = done
        if error is not None:
            message, hint = describe_error(error)
            self.photo_failed(PhotoFailed(slot, message, done[0], hint))
        else:
            self.photo_read(PhotoRead(slot, reading, done[0]))

    # -- focus follows the work --------------------------------------------------------------

    def first_unconfirmed(self) -> str | None:
        """The first slot whose value is not confirmed yet."""
        return next((s for s, _, _ in SLOTS if self.slot(s).confirmed is None), None)

    def focus_next_value(self) -> None:
        """Focus what the first unconfirmed slot needs (on opening, after a confirmation):
        its value when its photo is there (Entrée confirms), else its photo button
        (Entrée opens the file picker; the screen's letter keys still work there)."""
        slot = self.first_unconfirmed()
        if slot is None:
            return
        widget = self.slot(slot)
        target = f"#value-{slot}" if widget.path is not None else f"#pick-{slot}"
        self.focus_here(self.query_one(target))
        if slot == SLOTS[0][0]:  # the first: the phone intake's button above it too
            self.call_after_refresh(self.scroll_home, animate=False)
        else:
            self.call_after_refresh(widget.scroll_visible, animate=False, top=True)

    def action_open_photo(self) -> None:
        """Open the current slot's photo (focused, else first unconfirmed) in the system
        viewer, without waiting for it; a failure is a notification."""
        focused = self.app.focused
        slot = (
            next(
                (
                    s
                    for s, _, _ in SLOTS
                    if focused is not None and self.slot(s) in focused.ancestors
                ),
                None,
            )
            or self.first_unconfirmed()
            or SLOTS[0][0]
        )
        path = self.slot(slot).path
        if path is None:
            self.notify("Pas encore de photo pour cet écran.", severity="warning")
            return

        def failed(message: str) -> None:
            try:  # from the thread that waits for the viewer
                self.app.call_from_thread(self.notify, message, title="Photo", severity="warning")
            except RuntimeError:  # at once, on the UI thread
                self.notify(message, title="Photo", severity="warning")

        open_in_viewer(path, failed)

    # -- picking and reading ----------------------------------------------------------------

    def action_pick(self, slot: str) -> None:
        start = self.session.last_folder()
        title = dict((s, t) for s, t, _ in SLOTS)[slot]

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.lt_app.remember(last_folder=str(path.resolve().parent))
                self.add_photo(slot, path)

        self.app.push_screen(FilePicker(f"Photo : {title}", start), chosen)

    def add_photo(self, slot: str, path: Path) -> None:
        """Read ``path`` for ``slot``; it becomes the dossier's photo (when one is open)
        once it reads as a photo (:meth:`photo_read`): a file that is not one (a text
        file named .jpg, a picture too large to decode) is refused, not recorded."""
        path = path.resolve()
        if self.store.path is not None:
            self._to_record[slot] = path
        else:
            self._to_record.pop(slot, None)
        self.read(slot, path)

    def _record_photo(self, slot: str, path: Path) -> None:
        """Name ``path`` as the dossier's photo of ``slot`` (it was read as a photo)."""
        try:
            self.store.set_photo(slot, path)
        except Exception as error:
            message, hint = describe_error(error)
            self.post_message(WorkFailed("Photos", message, hint))

    def read(self, slot: str, path: Path, *, keep_typed: bool = False) -> None:
        self.slot(slot).set_path(path, keep_typed=keep_typed)
        self.refresh_summary()
        if not self.lt_app.photo_jobs.submit(slot, path):
            self._show_result(slot)  # this very photo was read already

    def photo_failed(self, message: PhotoFailed) -> None:
        """The app's background reading of a photo failed (routed here by the app)."""
        widget = self.slot(message.slot)
        if message.path is not None and widget.path != message.path:
            return
        if self._to_record.get(message.slot) == widget.path:
            del self._to_record[message.slot]
            note = (
                "Elle n'est pas enregistrée au dossier : choisissez une autre photo, ou "
                "saisissez la valeur puis Confirmer."
            )
        elif self.store.path is not None:
            note = "Le dossier la nomme : remplacez-la (« Choisir la photo… »)."
        else:
            note = ""
        widget.show_failure(message.message, message.hint, note)
        self.refresh_summary()

    def photo_read(self, message: PhotoRead) -> None:
        """A photo was read in the background (routed here by the app)."""
        widget = self.slot(message.slot)
        if widget.path is None and message.path is not None:
            widget.set_path(message.path, keep_typed=True)
        elif message.path is not None and widget.path != message.path:
            return  # a reading of a photo replaced since
        if self._to_record.get(message.slot) == widget.path and widget.path is not None:
            del self._to_record[message.slot]
            self._record_photo(message.slot, widget.path)
        widget.show_reading(message.reading)
        self.refresh_summary()
        # The value first: the cross-checks import the OCR's cross-check code and its
        # checks can wait for the next frame.
        self.call_after_refresh(self.refresh_checks)
        focused = self.app.focused
        if self.shown and (
            focused is None or focused is self or focused.id == f"pick-{message.slot}"
        ):
            self.focus_next_value()

    # -- phone intake -----------------------------------------------------------------------

    def action_phone_intake(self) -> None:
        """Start the phone intake for the open dossier (or show it when it runs)."""
        if self.intake is not None and self.intake.running:
            self._show_panel()
            return
        try:
            dossier = self.store.require_path()
        except Exception as error:
            message, hint = describe_error(error)
            self.notify(f"{message}\n→ {hint}" if hint else message, severity="warning")
            return
        if self.intake is None:
            from linkytool.tui.intake_job import PhoneIntake

            app, store = self.lt_app, self.store

            def on_event(server: IntakeServer, event: IntakeEvent) -> None:
                """In the server's thread: refresh the dossier the intake just changed,
                then hand the event to the UI thread (never waits for it)."""
                from linkytool.intake import EventKind

                outcome = event.outcome
                if event.kind is EventKind.READ and outcome is not None and outcome.recorded:
                    # the Prérequis screen reports a dossier that cannot be read
                    with contextlib.suppress(Exception):
                        store.load()
                app.post_message(IntakeUpdated(event, server))

            self.intake = PhoneIntake(app.photo_jobs, on_event, self.session.closers)
        self.intake_status = {}
        self.query_one("#intake-start", Button).disabled = True
        self.run_worker(
            lambda: self._start_intake(dossier), thread=True, group="intake", exit_on_error=False
        )

    class IntakeStarted(Message):
        """The intake server listens (``server``), or could not (French ``message``)."""

        def __init__(
            self, server: IntakeServer | None, message: str = "", hint: str | None = None
        ) -> None:
            super().__init__()
            self.server = server
            self.message = message
            self.hint = hint

    def _start_intake(self, dossier: Path) -> None:
        """In a thread (binding the server imports aiohttp): start it, then tell the UI
        thread by a message (never waits for it: the app may be closing)."""
        assert self.intake is not None
        session = self.session
        try:
            server = self.intake.start(dossier, bind=session.intake_bind, port=session.intake_port)
        except Exception as error:
            bind, port = session.intake_bind, session.intake_port
            where = bind
            if port:
                where = f"{bind}:{port}" if bind else f"le port {port}"
            message, hint = intake_refusal(error, where)
            self.post_message(self.IntakeStarted(None, message, hint))
            return
        self.post_message(self.IntakeStarted(server))

    def on_photos_pane_intake_started(self, message: IntakeStarted) -> None:
        message.stop()
        if message.server is None:
            self.query_one("#intake-start", Button).disabled = False
            self.post_message(
                WorkFailed("Photos depuis le téléphone", message.message, message.hint)
            )
        else:
            self._intake_started(message.server)

    def _intake_started(self, server: IntakeServer) -> None:
        """Show the QR code (as tall as the terminal allows: 19 lines at 80×24) and URL."""
        if self.intake is None or self.intake.server is not server:
            return  # closed meanwhile (screen left)
        height = self.app.size.height - SCREEN_CHROME_LINES
        self.query_one("#intake-qr", Static).update(
            Text("\n".join(server.qr_lines(max_lines=min(21, height))), no_wrap=True)
        )
        self.query_one("#intake-url", Static).update(Text(server.url, style="bold"))
        self._show_intake_status()
        self._show_panel()

    def _show_panel(self) -> None:
        self.query_one("#intake-panel").remove_class("hidden")
        self.query_one("#intake-row").add_class("hidden")
        # The QR code takes every line (SCREEN_CHROME_LINES); the panel's status lines say
        # what each slot received meanwhile.
        self.query_one("#photos-summary").add_class("hidden")
        self.focus_here(self.query_one("#intake-close", Button))
        self.scroll_home(animate=False)

    def intake_updated(self, message: IntakeUpdated) -> None:
        """What the intake did, on the UI thread (routed here by the app)."""
        from linkytool.intake import EventKind
        from linkytool.intake.server import display_value
        from linkytool.intake.slots import SLOTS_BY_NAME

        event = message.event
        if self.intake is None or message.server is not self.intake.server:
            # A server this screen closed: only a value it recorded meanwhile matters.
            outcome = event.outcome
            if event.kind is EventKind.READ and outcome is not None and outcome.recorded:
                self.post_message(DossierChanged("photo reçue du téléphone"))
            return
        if event.kind is EventKind.CLOSED:
            self._intake_closed(event.message)
            return
        known = SLOTS_BY_NAME.get(event.slot or "")
        slot = known.field.value if known is not None else None
        if event.kind is EventKind.RECEIVED and slot:
            size = french_megabytes(event.size_bytes)
            self.intake_status[slot] = Text(f"photo reçue ({size})…", style="italic")
        elif event.kind is EventKind.STORED and slot and event.file is not None:
            self.intake_status[slot] = Text("lecture en cours…", style="italic")
            self.slot(slot).set_path(event.file)
            self._show_result(slot)  # in case its reading came first
        elif event.kind is EventKind.READ and slot and known and event.outcome is not None:
            outcome = event.outcome
            if outcome.recorded:
                shown = display_value(known, outcome.value) or ""
                sure = "sûr" if outcome.confident else "à confirmer"
                style = "green" if outcome.confident else "bold yellow"
                self.intake_status[slot] = Text(f"{shown} — {sure}", style=style)
                self.post_message(DossierChanged("photo reçue du téléphone"))
            else:
                problem = outcome.problem or "photo illisible"
                self.intake_status[slot] = Text(f"à reprendre : {problem}", style="bold red")
        elif event.kind in (EventKind.REFUSED, EventKind.FAILED):
            text = Text(f"envoi refusé : {event.message}", style="bold red")
            if slot:
                self.intake_status[slot] = text
            else:
                self.notify(event.message, title="Téléphone", severity="warning")
        self._show_intake_status()

    def _show_intake_status(self) -> None:
        text = Text()
        for slot, title, _ in SLOTS:
            if text:
                text.append("\n")
            text.append(f"{title} : ", style="bold")
            text.append_text(self.intake_status.get(slot, Text("en attente", style="dim")))
        self.query_one("#intake-status", Static).update(text)

    def close_intake(self, reason: str) -> None:
        """Stop the intake (closed here, the screen left, the three values confirmed):
        the server finishes stopping in a thread; the panel goes at once."""
        if self.intake is not None and self.intake.server is not None:
            self.intake.stop(reason)
            self.notify(reason, title="Photos depuis le téléphone")
        self._hide_panel()

    def _intake_closed(self, reason: str) -> None:
        """The server stopped by itself (three sure readings, idle timeout, the phone)."""
        if self.intake is not None:
            self.intake.stop(reason)  # forget it (already down)
        self.notify(reason or "Réception fermée.", title="Photos depuis le téléphone")
        self._hide_panel()

    def _hide_panel(self) -> None:
        panel = self.query_one("#intake-panel")
        had_focus = self.app.focused is not None and panel in self.app.focused.ancestors
        panel.add_class("hidden")
        self.query_one("#intake-row").remove_class("hidden")
        self.query_one("#photos-summary").remove_class("hidden")
        self.query_one("#intake-start", Button).disabled = False
        if had_focus and self.shown:
            self.focus_next_value()

    def on_hidden(self) -> None:
        """Leaving the Photos screen closes the intake (nobody watches it any more)."""
        if self.intake is not None and self.intake.running:
            self.close_intake("Réception fermée : écran Photos quitté.")

    # -- confirmation -----------------------------------------------------------------------

    @guarded
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button in ("intake-start", "intake-close"):
            event.stop()
            if button == "intake-start":
                self.action_phone_intake()
            else:
                self.close_intake("Réception fermée.")
            return
        if event.button.has_class("candidate") and event.button.name:
            event.stop()
            slot = next(s for s, _, _ in SLOTS if self.slot(s) in event.button.ancestors)
            self.query_one(f"#value-{slot}", Input).value = event.button.name
            self.focus_here(self.query_one(f"#value-{slot}", Input))
        elif button.startswith("pick-"):
            event.stop()
            self.action_pick(button.removeprefix("pick-"))
        elif button.startswith("confirm-"):
            event.stop()
            self.confirm(button.removeprefix("confirm-"))

    @guarded
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if (event.input.id or "").startswith("value-"):
            event.stop()
            self.confirm((event.input.id or "").removeprefix("value-"))

    @guarded
    def confirm(self, slot: str) -> None:
        """Record the slot's value (as read, or corrected) in the dossier.

        Goes through ``linkytool.mes.service.record_photo``, like ``linkytool mes
        import-photos``: the screen shown must be the slot's (else a French notification,
        nothing recorded), the reading keeps the photo's hash, confidence and engraved
        meter number, and a PRM photo without engraved references gets a warning.
        """
        widget = self.slot(slot)
        value = iso_date(self.query_one(f"#value-{slot}", Input).value)  # JJ/MM/AAAA typed
        if not value:
            self.notify("Saisissez la valeur lue sur la photo.", severity="warning")
            return
        warnings: tuple[str, ...]
        if widget.path is None or widget.failed:  # typed without a (readable) photo
            from linkytool.mes import service

            typed = service.record_reading(self.store.require_path(), slot, value)
            self.store.load()
            recorded, source, warnings = typed.reading.value, "manual", ()
        else:
            result = self.store.record_photo(
                slot, widget.path, widget.reading, value=value, confirmed=True
            )
            recorded, source, warnings = result.value, result.source.value, result.warnings
        widget.mark_confirmed(recorded)
        self.refresh_summary()
        self.post_message(ReadingConfirmed(slot, recorded, source))
        self.refresh_checks()
        self.notify(  # short: it sits right of the LCD previews (app.tcss)
            f"{widget.slot_title} : {french_value(recorded)}"
            + (" (corrigé à la main)" if source == "manual" else ""),
            title="Enregistré au dossier",
        )
        for warning in warnings:
            self.notify(f"Attention : {warning}.", severity="warning", timeout=10)
        if self.first_unconfirmed() is None and self.intake is not None and self.intake.running:
            self.close_intake("Réception fermée : les trois valeurs sont confirmées.")
        self.focus_next_value()

    # -- cross-checks -----------------------------------------------------------------------

    def tic_updated(self) -> None:
        self.refresh_checks()

    def current_readings(self) -> list[Any]:
        """The photo readings, with the user's confirmed value where they corrected one."""
        readings = []
        for slot, _, _ in SLOTS:
            widget = self.slot(slot)
            reading = widget.reading
            if reading is None:
                continue
            if widget.confirmed is not None and widget.confirmed != reading.value:
                reading = dataclasses.replace(reading, value=widget.confirmed, confident=True)
            readings.append(reading)
        return readings

    def refresh_checks(self) -> None:
        readings = self.current_readings()
        target = self.query_one("#photos-checks", Static)
        if not readings:
            target.update("Ajoutez les photos pour lancer les contrôles.")
            return
        from linkytool.ocr import cross_check

        checks = cross_check(readings, self.session.tic_reading)
        text = Text()
        for check in checks:
            status = str(check.status)
            text.append(f"{CHECK_ICON.get(status, '·')} ", style=CHECK_STYLE.get(status, ""))
            text.append(check.message + "\n", style=CHECK_STYLE.get(status, ""))
        if self.session.tic_reading is None:
            text.append("(Pas de TIC connectée : comparaison au compteur impossible.)", style="dim")
        target.update(text)
        self.checks = checks
