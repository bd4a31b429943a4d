"""The dossier handlers of the UI never quit the app and never drop what was typed
(issue 12, failures 3 and 4), and they go through the same service as the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input, Static

from linkytool.mes import ReadingField, load_dossier
from linkytool.tui.app import make_app
from linkytool.tui.messages import PhotoRead

from .conftest import SAMPLES, CachedPhotoReader, MessageLog, frozen_clock, wait_for


def _notes(app: object) -> str:
    return "\n".join(n.message for n in app._notifications)  # type: ignore[attr-defined]


async def test_a_typo_in_a_photo_value_is_a_notification_not_an_exit(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    """Failure 3: F3, wait for the OCR, type ``x`` in the date, Enter: the app quit with
    "Date « x » invalide". It now says so and goes on."""
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    before = demo_copy.read_bytes()
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f3")
        # the readings (a cached reader: at once) can arrive before the screen is built
        await wait_for(
            pilot,
            lambda: len(messages.of(PhotoRead)) == 3 and bool(app.query("#value-date")),
            timeout=90,
        )
        field = app.query_one("#value-date", Input)
        field.focus()
        field.value = ""
        await pilot.press("x", "enter")
        await pilot.pause()
        assert app.is_running
        assert "Date « x » invalide" in _notes(app)
        assert field.value == "x"  # what was typed stays to be corrected
    assert demo_copy.read_bytes() == before


async def test_confirming_a_wrong_screen_photo_is_refused_with_a_notification(
    template_dossier: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    """Failure 3, second case: Enter on the value of a photo of another screen."""
    photo = template_dossier.parent / "autre.jpg"
    shutil.copy(SAMPLES / "photos" / "t10-normal-other.jpg", photo)
    app = make_app(
        template_dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader
    )
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        app.panes["photos"].add_photo("date", photo)
        await wait_for(pilot, lambda: bool(messages.of(PhotoRead)), timeout=90)
        shown = str(app.query_one("#ocr-date", Static).render())
        assert "attendu : Date courante" in shown
        assert "aucune valeur" in shown and "confiance" not in shown  # no "100 %" beside it
        field = app.query_one("#value-date", Input)
        field.focus()
        field.value = "2026-11-20"
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert "montre un autre écran du Linky (attendu : « Date courante »)" in _notes(app)
    assert load_dossier(template_dossier).readings.history(ReadingField.DATE) == []


async def test_text_pasted_while_the_form_refreshes_is_kept_and_saved(
    template_dossier: Path, messages: MessageLog
) -> None:
    """Failure 4: a field typed (or pasted) right after Tab, while the form was being
    refreshed, was never written and then overwritten by the refresh."""
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(100, 40), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(app.query("#f-producer--name")), timeout=20)
        pane = app.panes["prerequis"]
        first = app.query_one("#f-case--site_address", Input)
        second = app.query_one("#f-producer--name", Input)
        first.focus()
        await pilot.press(*"12 rue des Lilas")
        pane.flush_edits()  # saved: the dossier changed, the form refreshes...
        await pilot.pause()
        pane._updating = True  # (the refresh window, held open deterministically)
        second.value = "Camille Martin"  # ...and the paste lands during that refresh
        await pilot.pause()
        await pilot.pause()
        pane._updating = False
        first.focus()  # Tab away: the pasted field is no longer focused
        pane.refresh_form()
        await pilot.pause()
        assert second.value == "Camille Martin"
        pane.flush_edits()
        await pilot.pause()
    dossier = load_dossier(template_dossier)
    assert dossier.producer.name == "Camille Martin"
    assert dossier.case.site_address == "12 rue des Lilas"


async def test_the_ui_photo_route_is_the_services(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    """Confirming a photo value records its hash, screen and engraved meter number, as
    ``linkytool mes import-photos`` does (the UI used to skip both checks)."""
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=90)
        app.panes["photos"].confirm("prm")
        await pilot.pause()
    reading = load_dossier(demo_copy).readings.current(ReadingField.PRM)
    assert reading is not None and reading.source == "photo"
    assert reading.screen == "prm" and reading.meter_id == "041864123456" and reading.sha256
    assert reading.references and reading.confirmed
