"""The Photos screen's summary line: each slot's value and state, pure and in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkytool.ocr import PhotoReading, ScreenKind
from linkytool.tui.app import make_app
from linkytool.tui.messages import PhotoFailed, PhotoRead
from linkytool.tui.screens.photos_summary import SlotState, slot_state, summary_text

from .conftest import SAMPLES, MessageLog, frozen_clock, screen_text, wait_for

PHOTO = Path("photo.jpg")


def reading(screen: ScreenKind, value: str | None, confident: bool = True) -> PhotoReading:
    return PhotoReading(path=PHOTO, screen=screen, value=value, confidence=0.9, confident=confident)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (SlotState("prm", has_photo=False), ("empty", "")),
        (SlotState("prm", has_photo=True), ("reading", "")),
        (SlotState("prm", has_photo=True, failed=True), ("failed", "")),
        (
            SlotState("date", True, reading(ScreenKind.INJECTION_INDEX, "12")),
            ("wrong_screen", ""),
        ),
        (SlotState("prm", True, reading(ScreenKind.PRM, None)), ("no_value", "")),
        (
            SlotState("prm", True, reading(ScreenKind.PRM, "30002345678901", confident=False)),
            ("to_confirm", "30002345678901"),
        ),
        (
            SlotState("prm", True, reading(ScreenKind.PRM, "30002345678901")),
            ("sure", "30002345678901"),
        ),
        # the value confirmed (perhaps corrected by hand) wins over the reading
        (
            SlotState("injection_index", True, reading(ScreenKind.INJECTION_INDEX, "12"), "13"),
            ("confirmed", "13"),
        ),
        # typed by hand without a photo: confirmed all the same
        (SlotState("injection_index", False, None, "13"), ("confirmed", "13")),
    ],
)
def test_each_slot_state(state: SlotState, expected: tuple[str, str]) -> None:
    assert slot_state(state) == expected


def test_the_line_shows_french_dates_units_and_marks() -> None:
    line = summary_text(
        [
            SlotState("prm", True, reading(ScreenKind.PRM, "30002345678901"), "30002345678901"),
            SlotState("date", True, reading(ScreenKind.DATE, "2026-11-20T14:32", False)),
            SlotState("injection_index", True, reading(ScreenKind.INJECTION_INDEX, None)),
        ]
    ).plain
    assert line == "PRM 30002345678901 ✔ · Date 20/11/2026 14:32 ? · Index ✘ illisible"


def test_the_line_fits_80_columns_at_its_longest() -> None:
    """Pane padding, the line's own padding and the scroll bar leave 74 cells."""
    longest = summary_text(
        [
            SlotState("prm", True, reading(ScreenKind.PRM, "30002345678901", False)),
            SlotState("date", True, reading(ScreenKind.DATE, "2026-11-20T14:32", False)),
            SlotState(
                "injection_index", True, reading(ScreenKind.INJECTION_INDEX, "1234567", False)
            ),
        ]
    )
    assert longest.cell_len <= 74


async def test_the_summary_follows_readings_failures_and_confirmations(
    template_dossier: Path, messages: MessageLog
) -> None:
    photo = SAMPLES / "photos" / "demo-index.jpg"
    app = make_app(template_dossier, clock=frozen_clock, port_lister=list)
    # 14 lines: the slots do not fit, the pane scrolls
    async with app.run_test(size=(80, 14), message_hook=messages) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: "photos" in app.panes)  # built on first showing
        pane = app.panes["photos"]
        await wait_for(pilot, lambda: bool(pane.query("#photos-summary")))

        def line() -> str:
            return str(pane.query_one("#photos-summary").render())

        assert line() == "PRM — · Date — · Index —"
        pane.slot("injection_index").set_path(photo)
        pane.post_message(PhotoFailed("injection_index", "Photo illisible.", photo))
        await wait_for(pilot, lambda: "Index ✘ échec" in line())
        pane.slot("injection_index").set_path(photo)
        pane.post_message(
            PhotoRead("injection_index", reading(ScreenKind.INJECTION_INDEX, "12", False), photo)
        )
        await wait_for(pilot, lambda: "Index 12 kWh ?" in line())
        pane.confirm("injection_index")
        await wait_for(pilot, lambda: "Index 12 kWh ✔" in line())
        # scrolled to the end, the line is still on the screen
        await pilot.pause()  # the focus moved back to the PRM (scrolled home) first
        pane.scroll_end(animate=False, immediate=True)
        await wait_for(pilot, lambda: pane.scroll_y > 0)
        await pilot.pause()
        assert "Index 12 kWh ✔" in screen_text(app)
