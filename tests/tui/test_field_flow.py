"""The UI as a field instrument (issue 17): what an installer types and sees, keystroke by
keystroke — F3 to three confirmed values, the checklist that follows by itself, Entrée in
one-field forms, the last dossier and adapter remembered."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from linkytool.mes import ReadingField, load_dossier
from linkytool.tui.app import make_app
from linkytool.tui.messages import ChecklistUpdated, PhotoRead, ReadingConfirmed
from linkytool.tui.state import UiState

from .conftest import CachedPhotoReader, MessageLog, compteur_ready, frozen_clock, wait_for
from .screens import copy_demo

SLOTS = ("prm", "date", "injection_index")


async def test_f3_then_three_entrees_confirm_the_three_values(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    dossier = copy_demo(tmp_path)
    app = make_app(dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        # the photos are read in the background as soon as the dossier is open
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=120)
        assert app.query_one("#tabs").active == "compteur"  # before F3 was ever pressed
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.focused is app.query_one("#value-prm", Input))
        for _ in SLOTS:
            await pilot.press("enter")
            await pilot.pause()
        await wait_for(pilot, lambda: len(messages.of(ReadingConfirmed)) == 3)
        assert [m.field for m in messages.of(ReadingConfirmed)] == list(SLOTS)
    current = load_dossier(dossier).readings.current(ReadingField.DATE)
    assert current is not None and current.value == "2026-11-20T14:32"  # typed as JJ/MM


async def test_a_screen_that_focuses_a_field_is_never_focused_itself_on_the_way(
    tmp_path: Path,
    messages: MessageLog,
    photo_reader: CachedPhotoReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F3 focuses the first value without focusing the Photos screen first: Textual
    restyles a focus change's whole subtree, and the screen focused then blurred cost
    the two largest restyles of F3 (~50 ms of CPU, measured: 98 -> 30 ms of restyling)."""
    from linkytool.tui.screens.photos import PhotosPane

    focused: list[str] = []
    monkeypatch.setattr(
        PhotosPane, "on_focus", lambda self, event: focused.append(str(self.id)), raising=False
    )
    dossier = copy_demo(tmp_path)
    app = make_app(dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=120)
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.focused is app.query_one("#value-prm", Input))
        await pilot.pause()
        assert focused == []
        await pilot.press("f2", "f3")  # shown again: the first unconfirmed value again
        await wait_for(pilot, lambda: app.focused is app.query_one("#value-prm", Input))
        assert focused == []


async def test_each_photo_content_is_read_once(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    dossier = copy_demo(tmp_path)
    calls = photo_reader.calls
    app = make_app(dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=120)
        await pilot.press("f3")  # opening the screen reads nothing again
        await pilot.pause()
        app.read_dossier_photos()
        await pilot.pause(0.3)
    assert photo_reader.calls == calls + 3


async def test_checklist_follows_confirmed_values_without_v(
    template_dossier: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    from linkytool.tui.screens.prerequisites import PrerequisitesPane

    photo = Path(__file__).resolve().parents[2] / "samples" / "photos" / "demo-index.jpg"
    app = make_app(
        template_dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader
    )
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)), timeout=30)
        pane = app.panes["prerequis"]
        assert isinstance(pane, PrerequisitesPane)
        await pilot.press("f3")
        app.panes["photos"].add_photo("injection_index", photo)
        await wait_for(pilot, lambda: bool(messages.of(PhotoRead)), timeout=60)
        checks = len(messages.of(ChecklistUpdated))
        app.panes["photos"].confirm("injection_index")
        await wait_for(pilot, lambda: len(messages.of(ChecklistUpdated)) > checks, timeout=30)
        assert any("index d'injection 12 kWh" in o.detail for o in pane.outcomes)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_checklist_row_is_reachable_with_its_full_text_below(
    tmp_path: Path, messages: MessageLog, size: tuple[int, int], photo_reader: CachedPhotoReader
) -> None:
    dossier = copy_demo(tmp_path)
    app = make_app(dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=size, message_hook=messages) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: bool(messages.of(ChecklistUpdated)), timeout=30)
        table = app.query_one("#prereq-table", DataTable)
        await wait_for(pilot, lambda: app.focused is table)  # ↑ ↓ walk the rows at once
        outcomes = app.panes["prerequis"].outcomes
        assert len(outcomes) >= 12
        widest = max(len(o.title) for o in outcomes)
        assert table.columns["title"].width >= widest  # the column is never cut
        for index, outcome in enumerate(outcomes):
            if index:
                await pilot.press("down")

            def shown(index: int = index, outcome: Any = outcome) -> bool:
                """The row under the cursor is in view and its full text is below."""
                row = table._get_row_region(index)
                top, height = table.scroll_y, table.scrollable_content_region.height
                detail = str(app.query_one("#prereq-detail").render())
                return (
                    table.cursor_row == index
                    and top <= row.y < top + height
                    and outcome.title in detail
                    and outcome.message.split()[0] in detail
                )

            await wait_for(pilot, shown)  # scrolled and redrawn on the next frames


async def test_enter_in_the_path_field_creates_then_opens(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    target = tmp_path / "chantier" / "nouveau.toml"
    target.parent.mkdir()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f4")
        field = app.query_one("#prereq-path", Input)
        await wait_for(pilot, lambda: app.focused is field)
        field.value = str(target)
        await pilot.press("enter")  # absent: created from the template
        await wait_for(pilot, target.is_file)
        assert app.store.path == target
    assert load_dossier(target) is not None
    # the next bare `linkytool` reopens it
    again = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list, reopen_last=True)
    assert again.session.dossier_path == target
    again.session.close()


async def test_bare_linkytool_reopens_the_last_dossier_and_offers_the_adapter(
    tmp_path: Path, photo_reader: CachedPhotoReader
) -> None:
    dossier = copy_demo(tmp_path)
    state_path = tmp_path / "etat.json"
    UiState(state_path).update(last_dossier=str(dossier), last_port="/dev/ttyUSB7")
    # not about OCR: the reopened dossier's photos are read from the cache, not by
    # worker processes that slowed the screen under -n 2 past the notification's life
    app = make_app(
        clock=frozen_clock,
        port_lister=list,
        state_path=state_path,
        reopen_last=True,
        photo_reader=photo_reader,
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await compteur_ready(app, pilot)
        assert app.store.path == dossier
        assert app.query_one("#meter-url", Input).value == "/dev/ttyUSB7"
        assert app.focused is app.query_one("#meter-connect")  # Entrée reconnects
        assert any("/dev/ttyUSB7" in n.message for n in app._notifications)
        assert not app.session.autoconnect  # offered, not forced


async def test_a_corrupt_state_file_is_ignored_with_a_notice(tmp_path: Path) -> None:
    state_path = tmp_path / "etat.json"
    state_path.write_text("{pas du json", encoding="utf-8")
    app = make_app(
        workdir=tmp_path,
        clock=frozen_clock,
        port_lister=list,
        state_path=state_path,
        reopen_last=True,
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications))
        assert app.is_running and app.store.path is None
        assert "Fichier de préférences ignoré" in list(app._notifications)[-1].message


def test_state_is_written_atomically_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "config" / "etat.json"
    state, notice = UiState.load(path)
    assert notice is None and state.values.last_dossier is None
    state.update(last_folder="/chantiers/dupont")
    assert json.loads(path.read_text()) == {"last_folder": "/chantiers/dupont"}
    assert not [p for p in path.parent.iterdir() if p.name != "etat.json"]  # no temp left
    again, _ = UiState.load(path)
    assert again.values.last_folder == "/chantiers/dupont"


async def test_photo_picker_starts_in_the_last_folder_used(
    template_dossier: Path, tmp_path: Path, photo_reader: CachedPhotoReader
) -> None:
    from linkytool.tui.widgets.picker import FilePicker

    folder = tmp_path / "photos-chantier"
    folder.mkdir()
    state_path = tmp_path / "etat.json"
    UiState(state_path).update(last_folder=str(folder))
    app = make_app(
        template_dossier,
        clock=frozen_clock,
        port_lister=list,
        photo_reader=photo_reader,
        state_path=state_path,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, FilePicker))
        assert app.screen.start == folder


def test_pictures_only_where_the_terminal_shows_them() -> None:
    from linkytool.tui.widgets.photo_view import picture_terminal

    assert picture_terminal({"TERM": "xterm-kitty"})
    assert picture_terminal({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"})
    assert picture_terminal({"TERM": "foot"})
    assert not picture_terminal({"TERM": "xterm-256color"})
    assert not picture_terminal({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"})


VIEWERS = {"ok": (["true"], False), "fails": (["false"], True), "none": (None, True)}
VIEWERS["absent"] = (["/absent/viewer"], True)


@pytest.mark.parametrize("viewer", list(VIEWERS))
async def test_o_opens_the_photo_in_the_viewer_without_waiting(
    tmp_path: Path,
    messages: MessageLog,
    photo_reader: CachedPhotoReader,
    monkeypatch: pytest.MonkeyPatch,
    viewer: str,
) -> None:
    command, notified = VIEWERS[viewer]
    from linkytool.tui.widgets import photo_view

    monkeypatch.setattr(
        photo_view, "viewer_command", lambda path: None if command is None else command
    )
    dossier = copy_demo(tmp_path)
    app = make_app(dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=120)
        app.panes["photos"].focus()
        await pilot.press("o")
        # the viewer's outcome is known once its waiting thread is done (no fixed wait)
        await wait_for(pilot, lambda: not any(t.name == "viewer" for t in threading.enumerate()))
        await pilot.pause()
        warnings = [n for n in app._notifications if n.title == "Photo"]
        assert bool(warnings) == notified
        assert app.is_running
