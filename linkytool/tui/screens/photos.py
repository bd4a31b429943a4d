"""Photos: the three meter-screen photos, what the OCR read, confirmation, cross-checks.

Each slot (PRM, date courante, index injection) takes a photo from the file picker; the
app reads it in the background (:mod:`linkytool.tui.photo_jobs`: the dossier's photos are
read as soon as it opens, in parallel), and the slot shows the value, the confidence and
the LCD as read, one dot per braille dot (:mod:`linkytool.tui.widgets.lcd_preview`), so
the installer can compare. Focus follows the work: the first value to confirm has the
focus, Entrée confirms it and moves to the next. The confirmed value is recorded in the
dossier with its provenance through ``linkytool.mes.service.record_photo`` (the same
route as ``linkytool mes import-photos``). Cross-checks (``linkytool.ocr.cross_check``)
compare the photos with the live TIC.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from linkytool.tui.errors import SafetyNet, describe_error, guarded
from linkytool.tui.labels import french_date, iso_date
from linkytool.tui.messages import PhotoFailed, PhotoRead, ReadingConfirmed, WorkFailed
from linkytool.tui.screens.base import Pane
from linkytool.tui.widgets.lcd_preview import LcdPreview
from linkytool.tui.widgets.photo_view import open_in_viewer, picture_widget
from linkytool.tui.widgets.picker import FilePicker

#: Slot id (= dossier field and OCR screen kind), French title, what to photograph.
SLOTS: tuple[tuple[str, str, str], ...] = (
    ("prm", "Numéro PRM", "écran « NUMERO PRM » (14 chiffres)"),
    ("date", "Date courante", "écran de la date courante"),
    ("injection_index", "Index injection", "écran « INDEX INJECTION » (kWh)"),
)

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
        #: The value last proposed by the OCR (to tell it from one the user typed).
        self.proposed = ""
        self.border_title = title

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Button("Choisir la photo…", id=f"pick-{self.slot}", compact=True)
            yield Label(f"Aucune photo ({self.what}).", id=f"file-{self.slot}", classes="grow")
        with Horizontal(classes="row"):
            yield Input(
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
        if not keep_typed:
            self.query_one(f"#value-{self.slot}", Input).value = ""
        self.query_one(f"#file-{self.slot}", Label).update(Text(f"{path.name} — lecture en cours…"))
        self.query_one(f"#ocr-{self.slot}", Static).update("")
        self.query_one(f"#cands-{self.slot}", Horizontal).remove_children()
        self.query_one(f"#crop-{self.slot}", LcdPreview).show_reading(None)

    def show_reading(self, reading: Any) -> None:
        self.reading = reading
        assert self.path is not None
        self.query_one(f"#file-{self.slot}", Label).update(Text(self.path.name))
        text = Text()
        screen = str(getattr(reading, "screen", ""))
        label = getattr(reading, "screen_label", screen)
        if screen != self.slot:
            text.append(
                f"Écran reconnu : {label} (attendu : {self.slot_title})\n", style="bold red"
            )
        value = french_date(reading.value) if reading.value else "illisible"
        text.append(f"Lu : {value}  ", style="bold")
        percent = f"{reading.confidence * 100:.0f} %"  # a whole number: no decimal sign
        if reading.confident:
            text.append(f"confiance {percent} — sûre", style="green")
        else:
            text.append(f"confiance {percent} — à confirmer", style="bold yellow")
        if reading.lines:
            text.append("\nÉcran : " + " / ".join(line.strip() for line in reading.lines))
        candidates = self.query_one(f"#cands-{self.slot}", Horizontal)
        candidates.remove_children()
        if reading.candidates:
            # One button per alternative: a press puts it in the value field.
            candidates.mount(Label("Autres lectures : ", classes="dim"))
            candidates.mount_all(
                Button(
                    french_date(value), name=french_date(value), classes="candidate", compact=True
                )
                for value in reading.candidates[:3]
            )
        for warning in reading.warnings:
            text.append(f"\n⚠ {warning}", style="yellow")
        self.query_one(f"#ocr-{self.slot}", Static).update(text)
        value_input = self.query_one(f"#value-{self.slot}", Input)
        # Propose the value read, unless the user already typed one (kept from a draft).
        shown = french_date(reading.value) if reading.value else ""  # dates as JJ/MM/AAAA
        if shown and value_input.value in ("", self.proposed):
            value_input.value = shown
        self.proposed = shown
        self.query_one(f"#crop-{self.slot}", LcdPreview).show_reading(reading)
        box = self.query_one(f"#photo-{self.slot}", Horizontal)
        box.remove_children()
        picture = picture_widget(reading.crop) if reading.crop else None
        if picture is not None:  # a terminal that shows pictures: the crop itself
            box.mount(picture)

    def mark_confirmed(self, value: str) -> None:
        self.confirmed = value
        self.query_one(f"#file-{self.slot}", Label).update(
            Text(
                f"{self.path.name if self.path else ''} — valeur confirmée : {french_date(value)}",
                style="green",
            )
        )


class PhotosPane(Pane):
    """The Photos tab."""

    TITLE = "Photos"
    HELP = """
Les trois photos d'écran demandées par Enedis : numéro PRM, date courante et index
injection (en englobant les références gravées au-dessus de l'écran). Pour chaque photo :
« Choisir la photo… » ouvre le sélecteur de fichiers ; la lecture s'affiche avec sa
confiance et la zone d'écran lue. Vérifiez la valeur, corrigez-la si besoin, puis
« Confirmer » : elle est enregistrée dans le dossier avec sa provenance (photo, confiance,
ou saisie manuelle si vous l'avez corrigée). En bas, les contrôles croisés comparent les
photos entre elles, avec l'heure de prise de vue (EXIF) et avec la TIC en direct.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pick('prm')", "Photo PRM"),
        Binding("d", "pick('date')", "Photo date"),
        Binding("i", "pick('injection_index')", "Photo index"),
        Binding("o", "open_photo", "Ouvrir", tooltip="Ouvrir la photo dans la visionneuse"),
    ]

    def compose_content(self) -> ComposeResult:
        for slot, title, what in SLOTS:
            yield PhotoSlot(slot, title, what)
        yield Label("Contrôles croisés", classes="section")
        yield Static("Ajoutez les photos pour lancer les contrôles.", id="photos-checks")

    def on_built(self) -> None:
        for slot, _, _ in SLOTS:
            self.lt_app.restore_draft(self.query_one(f"#value-{slot}", Input))
        self.load_from_dossier()

    def on_shown(self) -> None:
        self.load_from_dossier()
        self.focus_next_value()

    def slot(self, slot: str) -> PhotoSlot:
        return self.query_one(f"#slot-{slot}", PhotoSlot)

    def load_from_dossier(self) -> None:
        """Show the photos the dossier refers to, with their reading when it is ready
        (the app reads them in the background as soon as the dossier opens)."""
        if self.store.path is None:
            return
        try:
            dossier = self.store.require()
        except Exception:
            return  # the Prérequis pane reports load errors
        jobs = self.lt_app.photo_jobs
        for slot, _, _ in SLOTS:
            relative = getattr(dossier.photos, slot, "")
            widget = self.slot(slot)
            if not relative:
                continue
            path = (self.store.base_dir / relative).resolve()
            if not path.is_file() or widget.path == path:
                continue
            widget.set_path(path, keep_typed=True)
            jobs.submit(slot, path)  # no-op when this photo is already read or being read
            self._show_result(slot)

    def _show_result(self, slot: str) -> None:
        """Show the background reading of ``slot`` if it is already finished."""
        done = self.lt_app.photo_jobs.result(slot)
        widget = self.slot(slot)
        if done is None or done[0] != widget.path:
            return
        _, reading, error = done
        if error is not None:
            message, _ = describe_error(error)
            self.photo_failed(PhotoFailed(slot, message, done[0]))
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
        self.query_one(target).focus()
        self.call_after_refresh(self.slot(slot).scroll_visible, animate=False, top=True)

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
        """Attach ``path`` to ``slot`` in the dossier (when one is open) and read it."""
        path = path.resolve()
        if self.store.path is not None:
            try:
                self.store.set_photo(slot, path)
            except Exception as error:
                message, hint = describe_error(error)
                self.post_message(WorkFailed("Photos", message, hint))
        self.read(slot, path)

    def read(self, slot: str, path: Path, *, keep_typed: bool = False) -> None:
        self.slot(slot).set_path(path, keep_typed=keep_typed)
        if not self.lt_app.photo_jobs.submit(slot, path):
            self._show_result(slot)  # this very photo was read already

    def photo_failed(self, message: PhotoFailed) -> None:
        """The app's background reading of a photo failed (routed here by the app)."""
        widget = self.slot(message.slot)
        if message.path is not None and widget.path != message.path:
            return
        widget.query_one(f"#ocr-{message.slot}", Static).update(
            Text(message.message, style="bold red")
        )

    def photo_read(self, message: PhotoRead) -> None:
        """A photo was read in the background (routed here by the app)."""
        widget = self.slot(message.slot)
        if widget.path is None and message.path is not None:
            widget.set_path(message.path, keep_typed=True)
        elif message.path is not None and widget.path != message.path:
            return  # a reading of a photo replaced since
        widget.show_reading(message.reading)
        self.refresh_checks()
        focused = self.app.focused
        if self.lt_app.active_pane is self and (
            focused is None or focused is self or focused.id == f"pick-{message.slot}"
        ):
            self.focus_next_value()

    # -- confirmation -----------------------------------------------------------------------

    @guarded
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if event.button.has_class("candidate") and event.button.name:
            event.stop()
            slot = next(s for s, _, _ in SLOTS if self.slot(s) in event.button.ancestors)
            self.query_one(f"#value-{slot}", Input).value = event.button.name
            self.query_one(f"#value-{slot}", Input).focus()
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
        if widget.path is None:
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
        self.post_message(ReadingConfirmed(slot, recorded, source))
        self.refresh_checks()
        self.notify(
            f"{widget.slot_title} : {french_date(recorded)} enregistré dans le dossier"
            + (" (valeur corrigée à la main)." if source == "manual" else "."),
            title="Relevé enregistré",
        )
        for warning in warnings:
            self.notify(f"Attention : {warning}.", severity="warning", timeout=10)
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
