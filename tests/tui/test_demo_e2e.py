"""The demo end to end: simulator -> readings -> photos -> checks -> attestation -> pack."""

from __future__ import annotations

import hashlib
from pathlib import Path

from linkytool.mes import ReadingField, ReadingSource, load_dossier
from linkytool.tui.app import make_app
from linkytool.tui.messages import (
    AttestationBuilt,
    ChecklistUpdated,
    PhotoRead,
    ReadingConfirmed,
    TicReadingUpdated,
    WorkFailed,
)

from .conftest import SAMPLES, MessageLog, frozen_clock, screen_text, wait_for

DEMO_PRM = "30002345678901"


def _digest(directory: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            sha.update(path.name.encode() + path.read_bytes())
    return sha.hexdigest()


async def test_demo_end_to_end(tmp_path: Path, messages: MessageLog) -> None:
    bundled = _digest(SAMPLES / "dossier") + _digest(SAMPLES / "photos")
    app = make_app(demo=True, workdir=tmp_path / "demo", clock=frozen_clock, port_lister=list)
    dossier_path = app.session.dossier_path
    assert dossier_path is not None and dossier_path.is_relative_to(tmp_path)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        # 1. the simulated meter is read over its pty
        await wait_for(pilot, lambda: bool(messages.of(TicReadingUpdated)), timeout=30)
        await wait_for(pilot, lambda: messages.of(TicReadingUpdated)[-1].reading.prm == DEMO_PRM)
        await wait_for(pilot, lambda: "Mode consommateur" in screen_text(app))
        await pilot.press("t")  # TIC reading -> dossier
        await pilot.pause()
        # 2. the three photos are read and confirmed
        await pilot.press("f3")
        await pilot.pause()
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=90)
        photos = app.panes["photos"]
        for slot in ("prm", "date", "injection_index"):
            photos.confirm(slot)
        await pilot.pause()
        assert len(messages.of(ReadingConfirmed)) == 3
        # 3. cross-checks against the live TIC: the PRM agrees
        photos.refresh_checks()
        prm_checks = [c for c in photos.checks if "PRM" in c.message]
        assert prm_checks and all(str(c.status) == "ok" for c in prm_checks)
        # 4. prerequisites all satisfied
        await pilot.press("f4")
        await pilot.pause()
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)), timeout=30)
        # the checklist follows the confirmations by itself: poll its latest state
        await wait_for(
            pilot,
            lambda: all(o.satisfied for o in messages.of(ChecklistUpdated)[-1].outcomes),
            timeout=30,
        )
        outcomes = messages.of(ChecklistUpdated)[-1].outcomes
        assert all(o.satisfied for o in outcomes), [o.detail for o in outcomes if not o.satisfied]
        # 5. attestation and pack
        await pilot.press("f6")
        await pilot.pause()
        app.panes["attestation"].action_generate(False)
        await wait_for(
            pilot,
            lambda: (
                bool(messages.of(AttestationBuilt))
                or any(m.source == "Attestation" for m in messages.of(WorkFailed))
            ),
            timeout=120,
        )
        built = messages.of(AttestationBuilt)
        assert built, [m.message for m in messages.of(WorkFailed)]
        assert built[-1].pack is not None
    dossier = load_dossier(dossier_path)
    prm_history = dossier.readings.history(ReadingField.PRM)
    assert {r.source for r in prm_history} >= {ReadingSource.TIC, ReadingSource.PHOTO}
    assert (built[-1].pack / "message.txt").is_file()
    # the bundled samples were never modified
    assert _digest(SAMPLES / "dossier") + _digest(SAMPLES / "photos") == bundled
