"""A screen left since never takes the installer back to it by taking the focus.

Textual applies ``focus()`` later, and a ``TabbedContent`` shows the tab of whatever gets
the focus. On a loaded machine (the Photos screen took 2.6 s to build), F3 then F4 made the
Photos screen's late focus bring it back, then the Prérequis screen's own focus took it
away again, for ever: the UI flipped between the two at 100 % CPU and never showed F4.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent, TabPane

from linkytool.tui.app import make_app

from .conftest import CachedPhotoReader, MessageLog, frozen_clock, wait_for


async def test_a_focus_queued_by_a_screen_left_since_does_not_bring_it_back(
    demo_copy: Path, photo_reader: CachedPhotoReader, messages: MessageLog
) -> None:
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: "photos" in app.panes and app.panes["photos"].built)
        photos = app.panes["photos"]
        tabs = app.query_one(TabbedContent)
        await wait_for(pilot, lambda: app.focused is not None and photos in app.focused.ancestors)
        # The Photos screen asks for the focus (a reading arrived, its build finished)
        # and the installer presses F4 before that focus is applied.
        photos.focus_next_value()
        app.action_show_tab("prerequis")
        mark = len(messages.messages)
        await wait_for(pilot, lambda: "prerequis" in app.panes and app.panes["prerequis"].built)
        for _ in range(10):
            await pilot.pause(0.02)
        switches = [m for m in messages.of(TabbedContent.TabActivated)]
        assert tabs.active == "prerequis"
        assert [m.pane.id for m in switches][-1] == "prerequis"
        assert len(switches) <= 3, [m.pane.id for m in switches]  # compteur, photos, prerequis
        # the late focus was dropped, not applied to the hidden screen and handed back
        late = [m.tab_pane.id for m in messages.messages[mark:] if isinstance(m, TabPane.Focused)]
        assert "photos" not in late
        assert app.focused is not None and app.panes["prerequis"] in app.focused.ancestors_with_self


async def test_a_widget_of_a_hidden_screen_focused_anyway_does_not_change_the_tab(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: "photos" in app.panes and app.panes["photos"].built)
        await pilot.press("f4")
        await wait_for(pilot, lambda: "prerequis" in app.panes and app.panes["prerequis"].built)
        # Textual's own focus(), not the panes' guarded one (a library widget, a modal
        # giving the focus back): the tab stays, the focus returns to the screen shown.
        app.panes["photos"].query_one("#value-prm").focus()
        await wait_for(
            pilot,
            lambda: (
                app.focused is not None
                and app.panes["prerequis"] in app.focused.ancestors_with_self
            ),
        )
        for _ in range(5):
            await pilot.pause(0.02)
        assert app.query_one(TabbedContent).active == "prerequis"
        assert app.focused is not None
        assert app.panes["prerequis"] in app.focused.ancestors_with_self
