"""Prérequis: a dossier change updates what changed, in place.

An edit that changes a prerequisite's status redraws that row, the summary and the detail
below, while the installer keeps typing: the focus, the text typed and not saved yet, the
selected row and every other row stay as they were. A change that alters no size (a key
typed in a field, a dossier change that changes nothing shown) repaints, never lays the
screen out again: each layout reflows the 190-odd widgets of the form (issues 14, 17).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from linkytool.mes import load_dossier
from linkytool.tui.app import LinkytoolApp, make_app
from linkytool.tui.messages import ChecklistUpdated, DossierChanged
from linkytool.tui.screens import prerequisites

from .conftest import CachedPhotoReader, MessageLog, frozen_clock, screen_text, wait_for


def rows(table: DataTable[Any]) -> dict[str, list[str]]:
    """Each row's cells as ``text|style``, by row key."""
    return {
        str(key.value): [f"{cell.plain}|{cell.style}" for cell in table.get_row(key)]
        for key in table.rows
    }


async def settled(app: LinkytoolApp, pilot: Any, messages: MessageLog, checklists: int) -> None:
    """Until ``checklists`` checklist updates were handled and no message waits."""
    await wait_for(
        pilot,
        lambda: (
            len(messages.of(ChecklistUpdated)) >= checklists
            and all(
                node.message_queue_size == 0
                for node in (app, *app.screen.walk_children(with_self=True))
            )
            and not app.screen._layout_required
        ),
    )


async def open_form(app: LinkytoolApp, pilot: Any) -> Any:
    await pilot.press("f4")
    pane = app.panes["prerequis"]
    await wait_for(pilot, lambda: bool(pane.outcomes) and pane._form_built, timeout=60)
    return pane


async def test_an_edit_redraws_its_row_and_keeps_the_installer_where_they_were(
    demo_copy: Path,
    messages: MessageLog,
    photo_reader: CachedPhotoReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prerequisites, "SAVE_DELAY_S", 3600.0)  # saved by Entrée only
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)
    # tall enough for the checklist and the fields edited to be on screen together
    async with app.run_test(size=(120, 80), message_hook=messages) as pilot:
        await open_form(app, pilot)
        await settled(app, pilot, messages, 1)
        table = app.query_one("#prereq-table", DataTable)
        summary = app.query_one("#prereq-summary", Label)
        detail = app.query_one("#prereq-detail", Static)
        assert "le dossier permet l'attestation" in str(summary.render())
        before = rows(table)
        assert before["power"][0].startswith("✔")

        # typed in one field, not saved yet; then the power typed as 40 kVA and saved
        name = app.query_one("#f-producer--name", Input)
        name.focus()
        await pilot.press("end", *" bis")
        typed = name.value
        power = app.query_one("#f-installation--power_kva", Input)
        power.focus()
        await pilot.press("end", *["backspace"] * len(power.value), "4", "0")
        checks = len(messages.of(ChecklistUpdated))
        highlights = len(messages.of(DataTable.RowHighlighted))
        await pilot.press("enter")  # saves both fields
        await settled(app, pilot, messages, checks + 1)

        after = rows(table)
        assert after["power"][0].startswith("✘"), after["power"]
        assert "36 kVA" in after["power"][2]
        assert {k: v for k, v in after.items() if k != "power"} == {
            k: v for k, v in before.items() if k != "power"
        }
        assert "11 remplis, 0 incomplet, 1 non rempli" in str(summary.render())
        assert "À faire" in str(detail.render())  # the selected row is the power's
        assert table.cursor_row == 0
        assert messages.of(DataTable.RowHighlighted)[highlights:] == []  # table not rebuilt
        # the installer is still in the power field, both texts as typed
        assert app.focused is power and power.value == "40"
        assert power.cursor_position == 2
        assert name.value == typed
        # and the screen shows it
        await wait_for(pilot, lambda: "1 non rempli" in screen_text(app))
        assert "✘  Puissance ≤ 36 kVA                 40 kVA dépasse 36 kVA" in screen_text(app)

        # typed and not saved: a change from another screen keeps it, and the focus
        name.focus()
        await pilot.press("end", "!")
        typed = name.value
        checks = len(messages.of(ChecklistUpdated))
        app.post_message(DossierChanged("relevé confirmé"))
        await settled(app, pilot, messages, checks + 1)
        assert app.focused is name and name.value == typed
        assert name.cursor_position == len(typed)
        assert rows(table) == after

        # 6 kVA again: the row, the summary and the detail come back
        power.focus()
        await pilot.press("end", "backspace", "backspace", "6", "enter")
        await settled(app, pilot, messages, checks + 2)
        assert rows(table)["power"][0].startswith("✔")
        assert "le dossier permet l'attestation" in str(summary.render())
        assert "À faire" not in str(detail.render())
        assert app.focused is power and power.value == "6"
    dossier = load_dossier(demo_copy)
    assert dossier.installation.power_kva == 6.0
    assert dossier.producer.name.endswith(" bis!")


async def test_nothing_resized_nothing_laid_out(
    demo_copy: Path,
    messages: MessageLog,
    photo_reader: CachedPhotoReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A key typed in a field and a dossier change that alters nothing shown repaint
    what changed, without a layout of the screen (Textual's ``Input`` asked for one per
    key; the checklist and its labels for two per change)."""
    monkeypatch.setattr(prerequisites, "SAVE_DELAY_S", 3600.0)
    layouts: list[Screen[Any]] = []
    refresh_layout = Screen._refresh_layout

    def counted(screen: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(screen)
        refresh_layout(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    app = make_app(demo_copy, clock=frozen_clock, photo_reader=photo_reader)
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await open_form(app, pilot)
        name = app.query_one("#f-producer--name", Input)
        name.focus()
        await settled(app, pilot, messages, 1)
        await pilot.pause()
        layouts.clear()
        await pilot.press("end", "x", "y", "backspace")
        await settled(app, pilot, messages, 1)
        assert name.value.endswith("x")
        assert layouts == [], "a key typed in a field laid the screen out"
        checks = len(messages.of(ChecklistUpdated))
        app.post_message(DossierChanged("relevé confirmé"))
        await settled(app, pilot, messages, checks + 1)
        assert layouts == [], "a dossier change that changed nothing laid the screen out"
