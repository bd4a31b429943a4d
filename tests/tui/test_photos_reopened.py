"""A reopened dossier's Photos screen shows what the installer confirmed before.

A value confirmed on a photo (or corrected by hand from it) in an earlier session is
recorded in the dossier with the photo's hash; the Photos screen of a new session shows it
confirmed (✔ on the summary line, the slot's "valeur confirmée", the focus on the next
value to confirm), as ``mes check`` counts it. A photo replaced since voids its
confirmation, as it makes the reading stale.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Input

from linkytool.mes import service
from linkytool.tui.app import make_app
from linkytool.tui.messages import PhotoRead

from .conftest import SAMPLES, CachedPhotoReader, MessageLog, frozen_clock, wait_for

PHOTOS = SAMPLES / "photos"


def record_earlier_session(dossier: Path, photo_reader: CachedPhotoReader) -> None:
    """What an earlier session left: the PRM confirmed as read, the index corrected by
    hand to 13, the date recorded as read (sure) but never confirmed."""
    base = dossier.parent.parent / "photos"
    service.record_photo(
        dossier, "prm", base / "demo-prm.jpg", photo_reader(base / "demo-prm.jpg"), confirmed=True
    )
    service.record_photo(
        dossier,
        "injection_index",
        base / "demo-index.jpg",
        photo_reader(base / "demo-index.jpg"),
        value="13",
        confirmed=True,
    )
    service.record_photo(
        dossier, "date", base / "demo-date.jpg", photo_reader(base / "demo-date.jpg")
    )


def summary(app: object) -> str:
    pane = app.panes["photos"]  # type: ignore[attr-defined]
    return str(pane.query_one("#photos-summary").render())


async def test_values_confirmed_in_an_earlier_session_show_confirmed(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    record_earlier_session(demo_copy, photo_reader)
    messages = MessageLog()
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=60)
        await wait_for(pilot, lambda: "Index 13 kWh ✔" in summary(app))
        line = summary(app)
        assert "PRM 30002345678901 ✔" in line
        assert "Date 20/11/2026 14:32" in line and "Date 20/11/2026 14:32 ✔" not in line
        pane = app.panes["photos"]
        assert pane.slot("prm").confirmed == "30002345678901"
        assert pane.slot("injection_index").confirmed == "13"
        assert pane.slot("date").confirmed is None
        # the corrected value, not the OCR's 12, in its field; the focus on the date
        assert app.query_one("#value-injection_index", Input).value == "13"
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "value-date")
        # one Entrée confirms the last value: all three are confirmed
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Date 20/11/2026 14:32 ✔" in summary(app))


async def test_a_photo_replaced_since_is_to_confirm_again(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    record_earlier_session(demo_copy, photo_reader)
    # the PRM photo's file is replaced by another PRM photo (same screen, other content)
    shutil.copyfile(
        PHOTOS / "t04-normal-prm.jpg", demo_copy.parent.parent / "photos" / "demo-prm.jpg"
    )
    messages = MessageLog()
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=60)
        await wait_for(pilot, lambda: "Index 13 kWh ✔" in summary(app))
        pane = app.panes["photos"]
        assert pane.slot("prm").confirmed is None
        assert "PRM" in summary(app) and "✔ · Date" not in summary(app)
        # the first value to confirm is the PRM of the new photo
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "value-prm")
