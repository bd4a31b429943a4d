"""No exception in a handler quits the app: it becomes a French notification and the
session goes on (the meter keeps being read, the screen keeps answering)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Static

from linkytool.errors import LinkytoolError
from linkytool.tui.app import make_app
from linkytool.tui.errors import SafetyNet
from linkytool.tui.messages import TicReadingUpdated
from linkytool.tui.screens.meter import MeterPane

from .conftest import FROZEN_NOW, compteur_ready, frozen_clock, screen_text, wait_for
from .screens import fixed_reading


async def test_a_bug_in_a_key_action_is_a_notification_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MeterPane) -> None:
        raise RuntimeError("état incohérent")

    monkeypatch.setattr(MeterPane, "action_record_in_dossier", broken)
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await compteur_ready(app, pilot)
        app.panes["compteur"].focus()
        await pilot.press("t")
        await pilot.pause()
        assert app.is_running
        assert [type(e) for e in app.caught_errors] == [RuntimeError]
        note = list(app._notifications)[-1]
        assert "Erreur inattendue (RuntimeError)" in note.message
        assert "la session continue" in note.title
        # the meter screen still handles the frames that arrive
        app.panes["compteur"].post_message(
            TicReadingUpdated(fixed_reading(), FROZEN_NOW.timestamp())
        )
        await wait_for(pilot, lambda: "30002345678901" in screen_text(app))


async def test_a_bug_in_a_pane_handler_leaves_the_pane_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def broken(self: MeterPane, event: object) -> None:
        calls.append("pressed")
        raise LinkytoolError("Valeur refusée.", hint="Corrigez-la.")

    monkeypatch.setattr(MeterPane, "on_button_pressed", broken)
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await compteur_ready(app, pilot)
        button = app.query_one("#meter-refresh", Button)
        button.press()
        await pilot.pause()
        button.press()  # the pane's message loop is still alive
        await pilot.pause()
        assert calls == ["pressed", "pressed"]
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert messages.count("Valeur refusée.\n→ Corrigez-la.") == 2


async def test_a_failure_inside_textual_after_start_is_a_notification(tmp_path: Path) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.first_paint_done)
        app._handle_exception(ValueError("rendu impossible"))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert "Erreur inattendue (ValueError)" in list(app._notifications)[-1].message


async def test_a_bug_before_the_first_screen_stops_with_a_french_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: MeterPane):  # type: ignore[no-untyped-def]
        raise RuntimeError("état incohérent")

    monkeypatch.setattr(MeterPane, "compose_content", broken)
    app = make_app(workdir=tmp_path, clock=frozen_clock, port_lister=list)
    printed: list[object] = []
    monkeypatch.setattr(
        app, "_print_error_renderables", lambda: printed.extend(app._exit_renderables)
    )
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)):
            pass
    shown = "\n".join(str(item) for item in printed)
    assert "linkytool s'est arrêté sur une erreur inattendue" in shown
    assert "Traceback" not in shown


class Probe(SafetyNet, Static):
    """A widget that defers work."""


async def test_a_deferred_callback_never_runs_once_the_app_quits(demo_copy: Path) -> None:
    app = make_app(demo_copy, clock=frozen_clock)
    ran: list[str] = []
    async with app.run_test(size=(80, 24)):
        probe = Probe("sonde")
        await app.screen.mount(probe)
        probe.call_after_refresh(lambda: ran.append(f"attached: {probe.is_attached}"))
        app.exit()
    assert ran == []
    assert app.return_code == 0
    assert app.caught_errors == []


async def test_a_deferred_callback_that_fails_is_notified_and_the_app_goes_on(
    demo_copy: Path,
) -> None:
    app = make_app(demo_copy, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        probe = Probe("sonde")
        await app.screen.mount(probe)
        ran: list[str] = []

        async def broken() -> None:
            raise RuntimeError("panne simulée")

        probe.call_after_refresh(broken)
        await pilot.pause()
        await pilot.pause()
        assert [str(error) for error in app.caught_errors] == ["panne simulée"]
        assert app.is_running
        probe.call_later(lambda: ran.append("still alive"))
        await pilot.pause()
        assert ran == ["still alive"]
