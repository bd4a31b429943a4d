"""The application shell: first screen, tab keys, help panel, drafts, error notifications."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widgets import Input, TabbedContent

from linkytool.errors import LinkytoolError
from linkytool.tui.app import PANES, make_app
from linkytool.tui.errors import describe_error
from linkytool.tui.messages import WorkFailed
from linkytool.tui.widgets.help import HelpScreen

from .conftest import compteur_ready, frozen_clock, screen_text, wait_for


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


async def test_first_screen_is_compteur_in_french(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await compteur_ready(app, pilot)
        assert app.query_one(TabbedContent).active == "compteur"
        # mounted is not yet drawn: on a loaded machine the frame comes later
        await wait_for(pilot, lambda: "Non connecté." in screen_text(app))
        text = screen_text(app)
        for word in ("Compteur", "Photos", "Prérequis", "Découplage", "Attestation", "ACC"):
            assert word in text
        assert "Non connecté." in text
        assert "Aide" in text and "Quitter" in text


async def test_function_keys_switch_tabs(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for spec in PANES:
            await pilot.press(spec.key)
            await pilot.pause()
            assert app.query_one(TabbedContent).active == spec.tab


async def test_help_panel_lists_bindings_of_the_current_screen(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Aide — Découplage" in text
        assert "guidé" in text
        # Scrolling line by line reaches the screen's keys, with the full meaning of the
        # short footer words.
        for _ in range(30):
            if "Disjoncteur Enedis ouvert" in screen_text(app):
                break
            await pilot.press("down")
            await pilot.pause()
        assert "2               Disjoncteur Enedis ouvert" in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        text = screen_text(app)
        assert "Ctrl+Q" in text
        assert "Quitter le champ" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_typed_fields_survive_a_restart(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await compteur_ready(app, pilot)
        app.query_one("#meter-url", Input).value = "rfc2217://box:4001"
        await pilot.pause()
    drafts = json.loads((tmp_path / "state" / "linkytool" / "saisie.json").read_text())
    assert drafts["meter-url"] == "rfc2217://box:4001"
    again = make_app(workdir=tmp_path, clock=frozen_clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await compteur_ready(again, pilot)
        assert again.query_one("#meter-url", Input).value == "rfc2217://box:4001"


async def test_failures_become_notifications(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.post_message(WorkFailed("Lecture TIC", "Port introuvable.", "Branchez l'adaptateur."))
        await pilot.pause()
        notes = list(app._notifications)
        assert notes and notes[-1].severity == "error"
        assert "Port introuvable." in notes[-1].message
        assert "Branchez l'adaptateur." in notes[-1].message


async def test_connect_without_port_warns_instead_of_failing(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await compteur_ready(app, pilot)
        app.query_one("#meter-url", Input).value = ""
        await pilot.press("tab")  # leave the tab bar, focus the pane
        app.panes["compteur"].action_connect()
        await pilot.pause()
        assert any("adaptateur" in n.message for n in app._notifications)


def test_describe_error_keeps_french_message_and_hint() -> None:
    message, hint = describe_error(LinkytoolError("Fichier illisible.", hint="Refaites-le."))
    assert (message, hint) == ("Fichier illisible.", "Refaites-le.")
    message, hint = describe_error(RuntimeError("boom"))
    assert message.startswith("Erreur inattendue (RuntimeError)")
    assert hint is not None and "log" in hint


async def test_notifications_keep_bracketed_text(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.post_message(
            WorkFailed("Dossier", "Section [photos] incomplète.", "Voir [[readings.prm]].")
        )
        await pilot.pause()
        note = list(app._notifications)[-1]
        assert not note.markup
        assert "[photos]" in note.message and "[[readings.prm]]" in note.message


async def test_escape_leaves_a_text_field_so_screen_letters_work(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        field = app.query_one("#att-key", Input)
        field.focus()
        await pilot.press("b")  # typed in the field, not the "Brouillon" key
        await pilot.pause()
        assert field.value == "b"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.panes["attestation"]
        await pilot.press("b")  # now the screen's key: a draft is asked for, no dossier open
        await pilot.pause()
        assert field.value == "b"
        assert any("Aucun dossier" in n.message for n in app._notifications)


async def test_a_read_only_folder_is_said_once_then_shown_in_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: in a read-only dossier folder each failed flush of the drafts (every second)
    was a notification, covering half the screen for over a minute. Once, with what to
    do; then a discreet status in the header while it lasts; said again when it is over."""
    import errno

    from linkytool import fileio
    from linkytool.errors import OutputError

    writable = SimpleNamespace(now=False)
    real_write = fileio.atomic_write_text

    def write(path: Path, text: str, encoding: str = "utf-8") -> None:
        if not writable.now:
            try:
                raise OSError(errno.EROFS, "Read-only file system")
            except OSError as cause:
                raise OutputError(f"Impossible d'écrire dans le dossier {path.parent}.") from cause
        real_write(path, text, encoding)

    monkeypatch.setattr(fileio, "atomic_write_text", write)
    dossier = tmp_path / "ro" / "dossier.toml"
    dossier.parent.mkdir()
    from linkytool.mes.store import new_dossier_text

    dossier.write_text(new_dossier_text(), encoding="utf-8")
    app = make_app(dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await compteur_ready(app, pilot)
        app.query_one("#meter-url", Input).value = "rfc2217://box:4001"
        for _ in range(5):  # as the app's one-second timer does
            app.flush_drafts()
            await pilot.pause()
        said = [n for n in app._notifications if n.title == "Saisie non enregistrée"]
        assert len(said) == 1
        assert f"{dossier.parent} est en lecture seule" in said[0].message
        assert "ouvrez la copie" in said[0].message
        await wait_for(pilot, lambda: "dossier en lecture seule" in screen_text(app).split("\n")[0])
        writable.now = True
        app.flush_drafts()
        await pilot.pause()
        assert "lecture seule" not in screen_text(app).split("\n")[0]
        assert any("de nouveau gardée" in n.message for n in app._notifications)
    assert json.loads(app.drafts.path.read_text())["meter-url"] == "rfc2217://box:4001"
