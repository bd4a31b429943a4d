"""Photos: OCR of the three screens in workers, confirm or correct, cross-checks with TIC."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from linkytool.mes import ReadingField, ReadingSource, load_dossier
from linkytool.tui.messages import PhotoRead, ReadingConfirmed, TicReadingUpdated

from .conftest import (
    SAMPLES,
    CachedPhotoReader,
    MessageLog,
    on_screen,
    photos_app,
    screen_text,
    wait_for,
)
from .screens import fixed_reading

SLOTS = ("prm", "date", "injection_index")


async def test_demo_photos_are_read_confirmed_and_cross_checked(
    demo_copy: Path, messages: MessageLog
) -> None:
    app = photos_app(demo_copy)
    async with on_screen(app, "f3", message_hook=messages) as pilot:
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=60)
        values = {m.slot: m.reading.value for m in messages.of(PhotoRead)}
        assert values == {
            "prm": "30002345678901",
            "date": "2026-11-20T14:32",
            "injection_index": "12",
        }
        pane = app.panes["photos"]
        # without TIC the meter comparisons are unavailable, not failed
        assert "Pas de TIC" in screen_text(app) or "TIC" in str(
            pane.query_one("#photos-checks").render()
        )
        # a live TIC reading arrives: the PRM cross-check passes
        pane.post_message(TicReadingUpdated(fixed_reading(), 0.0))
        await pilot.pause()
        statuses = {c.check: str(c.status) for c in pane.checks}
        assert "mismatch" not in statuses.values()
        assert any(status == "ok" for status in statuses.values())
        for slot in SLOTS:
            pane.confirm(slot)
        await pilot.pause()
        assert [m.field for m in messages.of(ReadingConfirmed)] == list(SLOTS)
    dossier = load_dossier(demo_copy)
    latest = dossier.readings.current(ReadingField.INJECTION_INDEX)
    assert latest is not None and latest.value == "12"
    assert latest.source == ReadingSource.PHOTO
    assert latest.confidence is not None and latest.sha256


async def test_corrected_value_is_recorded_as_manual(
    template_dossier: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = photos_app(template_dossier, photo_reader)
    async with on_screen(app, "f3", message_hook=messages) as pilot:
        app.panes["photos"].add_photo("injection_index", SAMPLES / "photos" / "demo-index.jpg")
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 1, timeout=60)
        app.query_one("#value-injection_index", Input).value = "13"
        app.panes["photos"].confirm("injection_index")
        await pilot.pause()
        assert messages.of(ReadingConfirmed)[-1].source == "manual"
        assert "valeur confirmée : 13" in screen_text(app)
    latest = load_dossier(template_dossier).readings.current(ReadingField.INJECTION_INDEX)
    assert latest is not None and latest.value == "13" and latest.source == ReadingSource.MANUAL
    assert latest.note  # says it was corrected by hand


async def test_photo_added_with_the_file_picker(
    template_dossier: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    photo = SAMPLES / "photos" / "demo-prm.jpg"
    if not photo.is_file():
        pytest.skip("demo photos not available")
    app = photos_app(template_dossier, photo_reader)
    async with on_screen(app, "f3", message_hook=messages) as pilot:
        await pilot.press("p")  # opens the picker for the PRM photo
        await pilot.pause()
        picker_input = app.screen.query_one("#picker-path", Input)
        picker_input.value = str(photo)
        picker_input.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(messages.of(PhotoRead)), timeout=60)
        assert messages.of(PhotoRead)[-1].reading.value == "30002345678901"
    assert load_dossier(template_dossier).photos.prm.endswith("demo-prm.jpg")


async def test_value_to_confirm_offers_its_alternatives(
    template_dossier: Path, messages: MessageLog
) -> None:
    from linkytool.ocr import PhotoReading, ScreenKind

    photo = SAMPLES / "photos" / "demo-index.jpg"
    reading = PhotoReading(
        path=photo,
        screen=ScreenKind.INJECTION_INDEX,
        value="12",
        confidence=0.55,
        confident=False,
        candidates=("13", "17"),
    )
    app = photos_app(template_dossier)
    async with on_screen(app, "f3", size=(100, 40), message_hook=messages) as pilot:
        pane = app.panes["photos"]
        pane.slot("injection_index").set_path(photo)
        pane.post_message(PhotoRead("injection_index", reading))
        await pilot.pause()
        assert "à confirmer" in screen_text(app)
        value = app.query_one("#value-injection_index", Input)
        assert value.value == "12"
        await pilot.click("#cands-injection_index Button.candidate")
        await pilot.pause()
        assert value.value == "13"


async def test_a_correction_typed_before_closing_survives_the_rereading(
    template_dossier: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    photo = SAMPLES / "photos" / "demo-index.jpg"
    calls = photo_reader.calls
    app = photos_app(template_dossier, photo_reader)
    async with on_screen(app, "f3", message_hook=messages) as pilot:
        app.panes["photos"].add_photo("injection_index", photo)
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 1, timeout=60)
        app.query_one("#value-injection_index", Input).value = "13"  # typed, not confirmed
        await pilot.pause()
    again = photos_app(template_dossier, photo_reader)
    seen = MessageLog()
    async with again.run_test(size=(80, 24), message_hook=seen) as pilot:
        await pilot.press("f3")  # the photo of the dossier is read again
        await wait_for(pilot, lambda: len(seen.of(PhotoRead)) == 1, timeout=60)
        await pilot.pause()
        assert again.query_one("#value-injection_index", Input).value == "13"
    assert photo_reader.calls == calls + 2  # the injected reader read it, once per start


async def test_photos_are_read_from_the_first_paint_without_waiting_for_the_dossier(
    demo_copy: Path, messages: MessageLog, photo_reader: CachedPhotoReader, monkeypatch: Any
) -> None:
    """The photos named in the dossier's [photos] table are read as soon as the first
    screen is drawn, and F3 shows them, while the full dossier load (0.3 s of imports at
    start-up) has not finished: here it never finishes until the end of the test."""
    from linkytool.tui.dossier_store import DossierStore

    release = threading.Event()
    real_load = DossierStore.load

    def slow_load(self: DossierStore) -> Any:
        release.wait(30)
        return real_load(self)

    monkeypatch.setattr(DossierStore, "load", slow_load)
    app = photos_app(demo_copy, photo_reader)
    try:
        async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
            await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=60)
            assert app.store.dossier is None  # read before the dossier was loaded
            await pilot.press("f3")
            pane = app.panes["photos"]
            await wait_for(pilot, lambda: pane.built and pane.is_mounted)
            await wait_for(pilot, lambda: all(pane.slot(s).reading for s in SLOTS))
            assert app.store.dossier is None
            assert pane.query_one("#value-prm", Input).value == "30002345678901"
            release.set()
    finally:
        release.set()


async def test_the_simulator_and_the_tic_wait_for_the_photos_at_start_up(
    demo_copy: Path, photo_reader: CachedPhotoReader, monkeypatch: Any
) -> None:
    """On two cores the simulator and the TIC decoding would delay the values F3 shows
    at start-up: they start once the dossier's photos are read, or after a while."""
    from linkytool.tui.screens import meter

    release = threading.Event()

    def slow_reader(path: Path) -> Any:
        release.wait(30)
        return photo_reader(path)

    started: list[str] = []

    def start_simulator() -> str:
        started.append("simulator")
        return "/dev/simulated"

    # the photos' head start must not run out while a loaded machine runs the test
    monkeypatch.setattr(meter, "PHOTOS_FIRST_S", 600.0)
    app = photos_app(demo_copy, slow_reader)
    app.session.start_simulator = start_simulator
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            pane = app.panes["compteur"]
            await wait_for(pilot, lambda: pane.body_ready and app.photo_jobs.busy())
            pane._start_background()  # type: ignore[attr-defined]
            assert started == []  # the photos are being read: later
            release.set()
            await wait_for(pilot, lambda: started == ["simulator"], timeout=30)
            assert not app.photo_jobs.busy()
        # the photos never read: the simulator starts all the same after PHOTOS_FIRST_S
        release.clear()
        monkeypatch.setattr(meter, "PHOTOS_FIRST_S", 0.0)
        again = photos_app(demo_copy, slow_reader)
        again.session.start_simulator = start_simulator
        async with again.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: len(started) == 2, timeout=30)
            assert again.photo_jobs.busy()
    finally:
        release.set()


@pytest.mark.parametrize("spare", [True, False], ids=["spare core", "busy machine"])
async def test_the_photos_are_queued_at_mount_only_with_a_core_to_spare(
    spare: bool, demo_copy: Path, photo_reader: CachedPhotoReader, monkeypatch: Any
) -> None:
    """With a core to spare the workers start with the app and the photos are queued
    before the first paint; on a busy machine (the workers would take the first screen's
    CPU) both wait for the first paint. Either way each photo is read once."""
    from linkytool.tui import photo_jobs
    from linkytool.tui.app import LinkytoolApp

    monkeypatch.setattr(photo_jobs, "spare_core", lambda: spare)
    queued_at_first_paint: list[int] = []
    after_first_paint = LinkytoolApp._after_first_paint

    def spy(self: LinkytoolApp) -> None:
        queued_at_first_paint.append(len(self._declared_photos))
        after_first_paint(self)

    monkeypatch.setattr(LinkytoolApp, "_after_first_paint", spy)
    calls = photo_reader.calls
    app = photos_app(demo_copy, photo_reader)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot,
            lambda: app.first_paint_done and all(app.photo_jobs.result(s) for s in SLOTS),
            timeout=60,
        )
    assert queued_at_first_paint == [3 if spare else 0]
    assert photo_reader.calls == calls + 3


async def test_a_file_that_is_not_a_photo_is_refused_not_recorded(
    template_dossier: Path, messages: MessageLog, photo_reader: CachedPhotoReader, tmp_path: Path
) -> None:
    """QA: a text file named .jpg stayed « lecture en cours… » under its error and was
    recorded as the dossier's PRM photo. The slot says it failed and what to do; the
    dossier does not name it (a photo is recorded once it reads as a photo)."""
    from textual.widgets import Label, Static

    from linkytool.tui.messages import PhotoFailed

    fake = tmp_path / "notphoto.jpg"
    fake.write_text("hello, not a photo\n", encoding="utf-8")
    app = photos_app(template_dossier, photo_reader)
    async with on_screen(app, "f3", message_hook=messages) as pilot:
        app.panes["photos"].add_photo("prm", fake)
        await wait_for(pilot, lambda: bool(messages.of(PhotoFailed)), timeout=60)
        header = app.query_one("#file-prm", Label)
        await wait_for(pilot, lambda: "photo illisible" in str(header.content))
        assert "lecture en cours" not in str(header.content)
        said = str(app.query_one("#ocr-prm", Static).content)
        assert "n'est pas une image lisible" in said
        assert "→ Choisissez la photo elle-même" in said  # what to do
        assert "pas enregistrée au dossier" in said
    assert load_dossier(template_dossier).photos.prm == ""


async def test_the_screen_is_named_not_its_raw_cells(
    template_dossier: Path, messages: MessageLog
) -> None:
    """QA: « Écran : C0NS0MMATEUR / » (the OCR's raw cells) was shown; the recognised
    screen's French name is, or « écran non reconnu »."""
    from textual.widgets import Static

    from linkytool.ocr import PhotoReading, ScreenKind

    photo = SAMPLES / "photos" / "demo-prm.jpg"
    app = photos_app(template_dossier)
    async with on_screen(app, "f3", message_hook=messages) as pilot:
        pane = app.panes["photos"]
        ocr = app.query_one("#ocr-prm", Static)
        shown = {
            ScreenKind.PRM: ("NUMER0 PRM", "Écran : numéro PRM"),
            ScreenKind.NOT_LINKY: ("C0NS0MMATEUR", "Écran non reconnu (attendu : Numéro de PRM)"),
        }
        for screen, (cells, expected) in shown.items():
            reading = PhotoReading(
                path=photo,
                screen=screen,
                value="30002345678901" if screen is ScreenKind.PRM else None,
                confidence=0.9,
                confident=True,
                lines=(cells, ""),
            )
            pane.slot("prm").set_path(photo)
            pane.post_message(PhotoRead("prm", reading, photo))
            await wait_for(pilot, lambda expected=expected: expected in str(ocr.content))
            assert cells not in str(ocr.content)
