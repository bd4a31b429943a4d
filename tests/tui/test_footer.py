"""The key bar is rebuilt when the keys it shows change, and only then (each rebuild mounts,
styles and lays out all its keys again: most of a Tab's CPU with Textual's own footer)."""

from __future__ import annotations

from pathlib import Path

from linkytool.tui.app import make_app
from linkytool.tui.widgets.footer import SteadyFooter, shown_keys

from .conftest import CachedPhotoReader, frozen_clock, wait_for


def _footer_text(app: object) -> str:
    footer = app.query_one(SteadyFooter)  # type: ignore[attr-defined]
    return " ".join(str(key.render()) for key in footer.children)


async def test_the_footer_is_rebuilt_exactly_when_its_keys_change(
    demo_copy: Path, photo_reader: CachedPhotoReader, monkeypatch: object
) -> None:
    rebuilds: list[str] = []
    original = SteadyFooter.recompose

    async def counted(self: SteadyFooter) -> None:
        rebuilds.append(self.app.active_pane.id or "")  # type: ignore[attr-defined]
        await original(self)

    monkeypatch.setattr(SteadyFooter, "recompose", counted)  # type: ignore[attr-defined]
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.active_pane.id == "pane-photos")
        await pilot.pause()
        keys = [shown_keys(app.screen)]
        counts = [len(rebuilds)]
        for _ in range(8):
            await pilot.press("tab")
            await pilot.pause()
            await pilot.pause()
            keys.append(shown_keys(app.screen))
            counts.append(len(rebuilds))
        changed = [keys[i] != keys[i - 1] for i in range(1, len(keys))]
        rebuilt = [counts[i] > counts[i - 1] for i in range(1, len(counts))]
        # an Input takes the letter keys the screen's buttons show: both cases happen
        assert any(changed) and not all(changed), changed
        assert rebuilt == changed
        await pilot.press("f2")  # another screen, other keys: drawn
        await wait_for(pilot, lambda: "Connecter" in _footer_text(app))
        assert "Photo PRM" not in _footer_text(app)
