"""Essai de découplage: a guided, timed decoupling test recorded in the dossier.

Steps: coupling confirmed, Enedis breaker opened (the stopwatch starts), decoupling seen
on the inverter (the stopwatch stops), inverter message (and optional photo). Each step
is written to the dossier at once through ``linkytool.mes.service.record_decoupling_test``
(the same function as ``linkytool mes test``) so nothing is lost, its time to the second
(the stopwatch's delay keeps its tenths). The steps are noted in order (a step before the
one it follows is refused); noting again a step already noted asks first and forgets the
steps after it (step 1 starts a new test). The verdict comes from the same service
(delay, message, test during this commissioning). The live TIC, when connected, adds its
evidence (power before and after opening).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button, Digits, Input, Label, Static

from linkytool.textfmt import french_number
from linkytool.tui.errors import guarded
from linkytool.tui.messages import DecouplingRecorded, DossierChanged
from linkytool.tui.screens.base import Pane
from linkytool.tui.widgets.confirm import ConfirmReplace
from linkytool.tui.widgets.inorder_input import InOrderInput
from linkytool.tui.widgets.picker import FilePicker


class ConfirmReplaceTest(ConfirmReplace):
    """Asks before a step already recorded is noted again, or a finished test replaced
    (o: yes, Échap/n: no; the focus starts on « Garder »: a stray Entrée keeps)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Garder l'essai"),
        Binding("o", "answer(True)", "Remplacer"),
    ]

    def __init__(
        self, message: str, question: str = "Remplacer l'essai consigné par un nouvel essai ?"
    ) -> None:
        super().__init__(message, question, keep="Garder l'essai")


#: The test's fields in the order the steps fill them: noting a step again forgets the
#: fields from its own on (the later steps were timed against the old moment).
TEST_FIELD_ORDER: tuple[str, ...] = (
    "coupled_at",
    "injecting_w",
    "breaker_opened_at",
    "decoupled_at",
    "delay_s",
    "decoupling_seen",
    "message",
    "photo",
    "tic_evidence",
)


@dataclass(frozen=True)
class TimedStep:
    """One timed step: its key, the dossier field it stamps, its French name, and what
    to say when the step it follows is not noted yet."""

    key: str
    field: str
    label: str
    before_it: str  # French refusal: the previous step is not noted


#: The three timed steps, in order (step 4, the message, is :meth:`action_save`).
TIMED_STEPS: tuple[TimedStep, ...] = (
    TimedStep("1", "coupled_at", "Couplage confirmé", ""),
    TimedStep(
        "2",
        "breaker_opened_at",
        "Disjoncteur Enedis ouvert",
        "Appuyez d'abord sur 1 (couplage confirmé) : l'ouverture du disjoncteur se note "
        "après le couplage.",
    ),
    TimedStep(
        "3",
        "decoupled_at",
        "Découplage constaté",
        "Appuyez d'abord sur 2 au moment où vous ouvrez le disjoncteur Enedis.",
    ),
)


class DecouplingPane(Pane):
    """The Essai de découplage tab."""

    TITLE = "Découplage"
    HELP = """
Essai de découplage guidé (mode opératoire : « après couplage de l'installation,
ouverture du disjoncteur Enedis et vérification du découplage (message explicite sur
l'écran de l'onduleur) »).
1. Vérifiez que l'onduleur injecte, puis « Couplage confirmé » (1).
2. Ouvrez le disjoncteur Enedis et appuyez aussitôt sur « Disjoncteur ouvert » (2) :
   le chronomètre démarre.
3. Dès que l'onduleur affiche son message (Grid Loss, Utility Loss…), « Découplage
   constaté » (3) : le chronomètre s'arrête.
4. Recopiez le message de l'onduleur (et joignez sa photo si vous voulez), puis
   « Enregistrer » (4). Chaque étape est écrite tout de suite dans le dossier, à la
   seconde près (le chronomètre garde ses dixièmes).
Les étapes se notent dans l'ordre. Noter de nouveau une étape déjà notée demande
confirmation (o : oui, n ou Échap : non) et efface les étapes qui la suivent.
Refermez ensuite le disjoncteur : l'onduleur se recouple après sa temporisation.
"""
    BINDINGS: ClassVar[list[BindingType]] = [
        # Short footer words (all keys fit at 80 columns); the help panel shows the tooltip.
        Binding("1", "coupled", "Couplé", tooltip="Couplage confirmé"),
        Binding("2", "breaker_opened", "Disj. ouvert", tooltip="Disjoncteur Enedis ouvert"),
        Binding("3", "decoupled", "Découplé", tooltip="Découplage constaté"),
        Binding("4", "save", "Enregistrer", tooltip="Enregistrer l'essai dans le dossier"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.opened_monotonic: float | None = None
        self.delay_s: float | None = None
        self.ticker: Timer | None = None
        self.power_at_open: tuple[int | None, int | None] | None = None
        #: Capture started by this test (stopped and attached when the test is saved).
        self.auto_recording: Path | None = None

    def compose_content(self) -> ComposeResult:
        yield Static("", id="dec-steps")
        with Horizontal(classes="row buttons"):
            yield Button("1 Couplage confirmé", id="dec-coupled", compact=True)
            yield Button("2 Disjoncteur ouvert", id="dec-opened", variant="warning", compact=True)
            yield Button(
                "3 Découplage constaté", id="dec-decoupled", variant="success", compact=True
            )
        yield Digits("0.0", id="dec-stopwatch")
        with Horizontal(classes="row"):
            yield Label("Message de l'onduleur", classes="form-label")
            yield InOrderInput(
                placeholder="ex. Grid Loss", id="dec-message", classes="draft", compact=True
            )
        with Horizontal(classes="row"):
            yield Label("Puissance injectée avant [W]", classes="form-label", markup=False)
            yield InOrderInput(
                placeholder="lue sur l'onduleur, ex. 2400",
                id="dec-power",
                classes="draft",
                compact=True,
            )
        with Horizontal(classes="row buttons"):
            yield Button("Photo du message…", id="dec-photo", compact=True)
            yield Button("4 Enregistrer l'essai", id="dec-save", variant="primary", compact=True)
        yield Static("", id="dec-tic")
        yield Static("", id="dec-result")

    def on_built(self) -> None:
        for wid in ("#dec-message", "#dec-power"):
            self.lt_app.restore_draft(self.query_one(wid, Input))
        self.call_after_refresh(self.refresh_view)

    # -- steps ----------------------------------------------------------------------------

    def _record(self, *, restart: bool = False, overwrite: bool = False, **fields: Any) -> Any:
        """Record test steps through the service; a finished test is replaced only after
        the user confirms (the question is asked, and the steps recorded on "yes").
        Returns the record, or None while the question is open."""
        from linkytool.mes.errors import TestOverwriteError
        from linkytool.mes.service import DecouplingTestChanges

        changes = DecouplingTestChanges(restart=restart, **fields)
        try:
            record = self.store.record_test(changes, overwrite=overwrite)
        except TestOverwriteError as asked:

            def answered(yes: bool | None) -> None:
                if yes:
                    try:
                        self._record(restart=restart, overwrite=True, **fields)
                    except Exception as error:
                        from linkytool.tui.errors import notify_error

                        notify_error(self, error)
                    else:
                        self.notify("Nouvel essai commencé : l'essai précédent est remplacé.")
                else:
                    self._reset_stopwatch()
                    self.notify("Essai consigné conservé.")
                self.refresh_view()

            self.app.push_screen(ConfirmReplaceTest(asked.question), answered)
            return None
        self.post_message(DossierChanged("essai de découplage"))
        return record

    def _reset_stopwatch(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
        self.opened_monotonic = None
        self.delay_s = None

    def _stamp(self, step: TimedStep, apply: Callable[[datetime, float, bool], None]) -> None:
        """Note ``step`` at this key press: ``apply(moment, stopwatch, overwrite)`` records it.

        The moment is taken now, to the second (the dossier's times are written
        ``AAAA-MM-JJTHH:MM:SS``; the stopwatch keeps its tenths in ``delay_s``), even when a
        question comes first. A step is refused while the step it follows is not noted. A
        step already noted (or anything recorded after it) is noted again only once the
        user confirms; the later steps are then forgotten, since they were timed against
        the old moment."""
        at = self.session.clock().replace(microsecond=0)
        tick = time.monotonic()
        self.store.require_path()
        test = self.store.load().decoupling_test  # as on disk now (an editor may have changed it)
        index = TIMED_STEPS.index(step)
        if index > 0 and getattr(test, TIMED_STEPS[index - 1].field) is None:
            self.notify(step.before_it, severity="warning")
            return
        lost = [
            name
            for name in TEST_FIELD_ORDER[TEST_FIELD_ORDER.index(step.field) :]
            if getattr(test, name) not in (None, "", False)
        ]
        if not lost:
            apply(at, tick, False)
            return
        from linkytool.mes.service import TEST_FIELD_LABELS

        noted = getattr(test, step.field)
        message = (
            f"« {step.label} » est déjà noté à {noted:%H:%M:%S}."
            if noted is not None
            else "L'essai consigné a déjà des étapes suivantes."
        )
        message += (
            f" Le noter maintenant ({at:%H:%M:%S}) efface : "
            + ", ".join(TEST_FIELD_LABELS[name] for name in lost)
            + "."
        )
        question = (
            "Remplacer l'essai consigné par un nouvel essai ?"
            if index == 0
            else "Reprendre l'essai à partir de cette étape ?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    apply(at, tick, True)
                except Exception as error:
                    from linkytool.tui.errors import notify_error

                    notify_error(self, error)
            else:
                self.notify("Essai consigné conservé : rien n'a été modifié.")
            self.refresh_view()

        self.app.push_screen(ConfirmReplaceTest(message, question), answered)

    def _earlier_steps(self, step: TimedStep) -> dict[str, Any]:
        """The recorded fields the steps before ``step`` filled (kept when it is noted)."""
        dossier = self.store.dossier
        if dossier is None:
            return {}
        test = dossier.decoupling_test
        return {
            name: getattr(test, name)
            for name in TEST_FIELD_ORDER[: TEST_FIELD_ORDER.index(step.field)]
        }

    @guarded
    def action_coupled(self) -> None:
        def apply(at: datetime, tick: float, overwrite: bool) -> None:
            power = self._typed_power()
            if power is None:
                sinsti = getattr(self.session.tic_reading, "sinsti_va", None)
                power = float(sinsti) if sinsti else None
            # Step 1 starts a new test: earlier steps are not mixed into this one.
            if self._record(restart=True, overwrite=overwrite, coupled_at=at, injecting_w=power):
                self._reset_stopwatch()
                self.query_one("#dec-stopwatch", Digits).update("0.0")
                self.notify("Couplage noté. Ouvrez le disjoncteur Enedis puis appuyez sur 2.")

        self._stamp(TIMED_STEPS[0], apply)

    @guarded
    def action_breaker_opened(self) -> None:
        step = TIMED_STEPS[1]

        def apply(at: datetime, tick: float, overwrite: bool) -> None:
            kept = self._earlier_steps(step)
            if not self._record(restart=True, overwrite=overwrite, breaker_opened_at=at, **kept):
                return
            self.opened_monotonic = tick
            self.delay_s = None
            self.query_one("#dec-stopwatch", Digits).remove_class("late")
            reading = self.session.tic_reading
            self.power_at_open = (
                (getattr(reading, "sinsts_va", None), getattr(reading, "sinsti_va", None))
                if reading is not None
                else None
            )
            meter = self._meter()
            if meter is not None and meter.connected and meter.recording is None:
                # TIC evidence: the capture covers the test (attached when it is saved).
                self.auto_recording = meter.start_recording("essai-decouplage")
            if self.ticker is not None:
                self.ticker.stop()
            self.ticker = self.set_interval(0.1, self._tick)

        self._stamp(step, apply)

    def _tick(self) -> None:
        if self.opened_monotonic is not None and self.delay_s is None:
            from linkytool.mes.decoupling import DEFAULT_MAX_DECOUPLING_DELAY_S

            elapsed = time.monotonic() - self.opened_monotonic
            stopwatch = self.query_one("#dec-stopwatch", Digits)
            stopwatch.update(french_number(elapsed, ".1f"))
            # Past the limit the test will not pass: say it while it runs.
            stopwatch.set_class(elapsed > DEFAULT_MAX_DECOUPLING_DELAY_S, "late")

    @guarded
    def action_decoupled(self) -> None:
        step = TIMED_STEPS[2]
        if self.opened_monotonic is None:  # the stopwatch was not started by 2
            self.notify(step.before_it, severity="warning")
            return

        def apply(at: datetime, tick: float, overwrite: bool) -> None:
            if self.opened_monotonic is None:
                return  # step 1 noted again meanwhile
            delay = round(tick - self.opened_monotonic, 1)
            kept = self._earlier_steps(step)
            if self._record(
                restart=True,
                overwrite=overwrite,
                decoupled_at=at,
                delay_s=delay,
                decoupling_seen=True,
                **kept,
            ):
                self.delay_s = delay
                if self.ticker is not None:
                    self.ticker.stop()
                self.query_one("#dec-stopwatch", Digits).update(french_number(delay, ".1f"))
                self.notify("Découplage noté. Recopiez le message de l'onduleur puis 4.")

        self._stamp(step, apply)

    @guarded
    def action_save(self) -> None:
        message = self.query_one("#dec-message", Input).value.strip()
        if not message:
            self.notify("Recopiez le message affiché par l'onduleur.", severity="warning")
            return
        fields: dict[str, Any] = {"message": message}
        power = self._typed_power()
        if power is not None:
            fields["injecting_w"] = power
        meter = self._meter()
        recording = meter.recording if meter is not None else None
        if self.auto_recording is not None and meter is not None:
            recording = meter.stop_recording() if meter.recording == self.auto_recording else None
            recording = recording or self.auto_recording
            self.auto_recording = None
        if isinstance(recording, Path):
            fields["tic_evidence"] = self.store.relative(recording)
        record = self._record(**fields)
        if record is None:
            return
        result = record.result
        self.post_message(
            DecouplingRecorded(result.delay_s or 0.0, result.passed if result.complete else None)
        )
        self.refresh_view()

    def _meter(self) -> Any:
        """The Compteur pane (it owns the TIC reader and its recording)."""
        return self.lt_app.panes.get("compteur")

    def _typed_power(self) -> float | None:
        """The power typed [W] (a decimal comma is accepted); None when empty or not a
        plain finite number (the field then keeps what was typed)."""
        import math
        import re

        text = self.query_one("#dec-power", Input).value.strip().replace(",", ".")
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
            return None
        value = float(text)
        return value if math.isfinite(value) and value > 0 else None

    @guarded
    def pick_photo(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                try:
                    self._record(photo=self.store.relative(path))
                except Exception as error:
                    from linkytool.tui.errors import notify_error

                    notify_error(self, error)
                else:
                    self.notify(f"Photo jointe : {path.name}")

        self.app.push_screen(
            FilePicker("Photo du message de l'onduleur", self.store.base_dir), chosen
        )

    @guarded
    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "dec-coupled": self.action_coupled,
            "dec-opened": self.action_breaker_opened,
            "dec-decoupled": self.action_decoupled,
            "dec-save": self.action_save,
            "dec-photo": self.pick_photo,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    # -- display --------------------------------------------------------------------------

    def _evaluate(self, dossier: Any) -> Any:
        from linkytool.mes import evaluate_decoupling_test

        return evaluate_decoupling_test(
            dossier.decoupling_test, commissioned_at=dossier.commissioning.at
        )

    def dossier_changed(self, reason: str) -> None:
        self.refresh_view()

    def tic_updated(self) -> None:
        self._show_tic()

    def refresh_view(self) -> None:
        steps = self.query_one("#dec-steps", Static)
        if self.store.path is None or self.store.dossier is None:
            steps.update(
                Text(
                    "Ouvrez un dossier (onglet Prérequis) pour enregistrer l'essai.", style="yellow"
                )
            )
            return
        test = self.store.dossier.decoupling_test
        text = Text()
        for done, label in (
            (test.coupled_at, "Couplage confirmé"),
            (test.breaker_opened_at, "Disjoncteur Enedis ouvert"),
            (test.decoupled_at if test.decoupling_seen else None, "Découplage constaté"),
        ):
            mark = "✔" if done is not None else "·"
            when = f" à {done:%H:%M:%S}" if done is not None else ""
            text.append(f"{mark} {label}{when}\n", style="green" if done is not None else "dim")
        text.append(
            f"{'✔' if test.message else '·'} Message : {test.message or '—'}",
            style="green" if test.message else "dim",
        )
        steps.update(text)
        if test.delay_s is not None and self.delay_s is None:
            self.query_one("#dec-stopwatch", Digits).update(french_number(test.delay_s, ".1f"))
        result = self._evaluate(self.store.dossier)
        verdict = Text()
        if result.complete and result.passed:
            verdict.append(
                f"Essai réussi : découplage en {french_number(result.delay_s, '.1f')} s "
                f"(seuil de {french_number(result.threshold_s, '.1f')} s réglé dans linkytool ; "
                "le mode opératoire ne fixe pas de délai).",
                style="bold green",
            )
        elif result.complete:
            verdict.append("Essai non concluant : " + " ; ".join(result.problems), style="bold red")
        else:
            verdict.append("À compléter : " + " ; ".join(result.missing), style="yellow")
        self.query_one("#dec-result", Static).update(verdict)
        self._show_tic()

    def _show_tic(self) -> None:
        reading = self.session.tic_reading
        target = self.query_one("#dec-tic", Static)
        if reading is None:
            target.update(
                Text("TIC non connectée : preuve TIC indisponible (facultative).", style="dim")
            )
            return
        text = Text("TIC : ")
        if reading.sinsti_va is not None:
            text.append(f"SINSTI {reading.sinsti_va} VA")
        else:
            text.append(f"SINSTS {reading.sinsts_va if reading.sinsts_va is not None else '—'} VA")
        if self.power_at_open is not None:
            sinsts, sinsti = self.power_at_open
            at_open = sinsti if reading.sinsti_va is not None else sinsts
            text.append(f" (à l'ouverture : {at_open if at_open is not None else '—'} VA)")
        if self.auto_recording is not None:
            text.append(f", capture {self.auto_recording.name}")
        if getattr(reading, "production_data_missing", False):
            text.append(
                "\nMode consommateur : l'injection n'apparaît pas sur la TIC, le message de "
                "l'onduleur fait foi.",
                style="dim",
            )
        target.update(text)
