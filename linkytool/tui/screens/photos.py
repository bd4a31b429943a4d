"""Photos: the three meter-screen photos, what the OCR read, confirmation, cross-checks.

Each slot (PRM, date courante, index injection) takes a photo from the file picker,
reads it with ``linkytool.ocr.read_photo`` in a thread worker, shows the value, the
confidence and the screen crop, and lets the user confirm or correct the value, which is
then recorded in the dossier with its provenance through ``linkytool.mes.service.record_photo``
(the same route as ``linkytool mes import-photos``).
Cross-checks (``linkytool.ocr.cross_check``) compare the photos with the live TIC.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from linkytool.tui.errors import describe_error, guarded
from linkytool.tui.messages import PhotoFailed, PhotoRead, ReadingConfirmed, WorkFailed
from linkytool.tui.screens.base import Pane
from linkytool.tui.widgets.image_cells import ImageCells
from linkytool.tui.widgets.picker import FilePicker

#: Slot id (= dossier field and OCR screen kind), French title, what to photograph.
SLOTS: tuple[tuple[str, str, str], ...] = (
    ("prm", "Numéro PRM", "écran « NUMERO PRM » (14 chiffres)"),
    ("date", "Date courante", "écran de la date courante"),
    ("injection_index", "Index injection", "écran « INDEX INJECTION » (kWh)"),
)

_OCR_LOCK = threading.Lock()

CHECK_STYLE = {"ok": "green", "mismatch": "bold red", "unavailable": "dim", "missing": "yellow"}
CHECK_ICON = {"ok": "✔", "mismatch": "✘", "unavailable": "·", "missing": "?"}


class PhotoSlot(Vertical):
    """One photo: path, OCR result, crop preview, value to confirm."""

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
        with Horizontal(classes="slot-body"):
            with Vertical(classes="slot-text"):
                yield Static("", id=f"ocr-{self.slot}")
                yield Horizontal(id=f"cands-{self.slot}", classes="row candidates")
                with Horizontal(classes="row"):
                    yield Input(
                        placeholder="valeur", id=f"value-{self.slot}", classes="draft", compact=True
                    )
                    yield Button(
                        "Confirmer", id=f"confirm-{self.slot}", variant="success", compact=True
                    )
            yield ImageCells(id=f"crop-{self.slot}")

    def set_path(self, path: Path, *, keep_typed: bool = False) -> None:
        """A photo for this slot; its value field is cleared unless ``keep_typed``."""
        self.path = path
        self.reading = None
        self.confirmed = None
        if not keep_typed:
            self.query_one(f"#value-{self.slot}", Input).value = ""
        self.query_one(f"#file-{self.slot}", Label).update(Text(f"{path.name} — lecture en cours…"))
        self.query_one(f"#ocr-{self.slot}", Static).update("")
        self.query_one(f"#crop-{self.slot}", ImageCells).show_image(None)

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
        value = reading.value or "illisible"
        text.append(f"Lu : {value}  ", style="bold")
        percent = f"{reading.confidence * 100:.0f} %"
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
                Button(value, name=value, classes="candidate", compact=True)
                for value in reading.candidates[:3]
            )
        for warning in reading.warnings:
            text.append(f"\n⚠ {warning}", style="yellow")
        self.query_one(f"#ocr-{self.slot}", Static).update(text)
        value_input = self.query_one(f"#value-{self.slot}", Input)
        # Propose the value read, unless the user already typed one (kept from a draft).
        if reading.value and value_input.value in ("", self.proposed):
            value_input.value = reading.value
        self.proposed = reading.value or ""
        self.query_one(f"#crop-{self.slot}", ImageCells).show_image(reading.crop, width=32)

    def mark_confirmed(self, value: str) -> None:
        self.confirmed = value
        self.query_one(f"#file-{self.slot}", Label).update(
            Text(
                f"{self.path.name if self.path else ''} — valeur confirmée : {value}", style="green"
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
    ]

    def compose_content(self) -> ComposeResult:
        for slot, title, what in SLOTS:
            yield PhotoSlot(slot, title, what)
        yield Label("Contrôles croisés", classes="section")
        yield Static("Ajoutez les photos pour lancer les contrôles.", id="photos-checks")

    def on_built(self) -> None:
        for slot, _, _ in SLOTS:
            self.lt_app.restore_draft(self.query_one(f"#value-{slot}", Input))

    def on_shown(self) -> None:
        # The photos the dossier refers to are read the first time this tab is shown
        # (OCR is CPU-heavy: not at start-up, not when only other screens are used).
        self.load_from_dossier()

    def slot(self, slot: str) -> PhotoSlot:
        return self.query_one(f"#slot-{slot}", PhotoSlot)

    def load_from_dossier(self) -> None:
        """Read the photos the dossier already refers to (demo, reopened dossier)."""
        if self.store.path is None:
            return
        try:
            dossier = self.store.require()
        except Exception:
            return  # the Prérequis pane reports load errors
        for slot, _, _ in SLOTS:
            relative = getattr(dossier.photos, slot, "")
            if relative and self.slot(slot).path is None:
                path = (self.store.base_dir / relative).resolve()
                if path.is_file():
                    self.read(slot, path, keep_typed=True)

    # -- picking and reading ----------------------------------------------------------------

    def action_pick(self, slot: str) -> None:
        start = self.store.base_dir if self.store.path else self.session.workdir
        title = dict((s, t) for s, t, _ in SLOTS)[slot]

        def chosen(path: Path | None) -> None:
            if path is not None:
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
        self._ocr(slot, path)

    @work(thread=True, exit_on_error=False, group="ocr")
    def _ocr(self, slot: str, path: Path) -> None:
        try:
            from linkytool.ocr import read_photo

            reader = self.session.photo_reader or read_photo
            with _OCR_LOCK:  # one photo at a time: OCR is CPU-heavy, the UI must stay fluid
                reading = reader(path)
        except Exception as error:
            message, hint = describe_error(error)
            self.post_message(WorkFailed(f"Photo {path.name}", message, hint))
            self.post_message(PhotoFailed(slot, message))
            return
        self.post_message(PhotoRead(slot, reading))

    def on_photo_failed(self, message: PhotoFailed) -> None:
        widget = self.slot(message.slot)
        widget.query_one(f"#ocr-{message.slot}", Static).update(
            Text(message.message, style="bold red")
        )

    def on_photo_read(self, message: PhotoRead) -> None:
        self.slot(message.slot).show_reading(message.reading)
        self.refresh_checks()

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
        value = self.query_one(f"#value-{slot}", Input).value.strip()
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
            f"{widget.slot_title} : {recorded} enregistré dans le dossier"
            + (" (valeur corrigée à la main)." if source == "manual" else "."),
            title="Relevé enregistré",
        )
        for warning in warnings:
            self.notify(f"Attention : {warning}.", severity="warning", timeout=10)

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
