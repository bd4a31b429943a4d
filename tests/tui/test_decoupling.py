"""Essai de découplage: the guided, timed test is recorded step by step in the dossier."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widgets import Input

from linkytool.mes import evaluate_decoupling_test, load_dossier
from linkytool.tui.app import make_app
from linkytool.tui.messages import DecouplingRecorded

from .conftest import FROZEN_NOW, CachedPhotoReader, MessageLog, frozen_clock, screen_text, wait_for


async def test_guided_test_is_recorded_and_passes(
    template_dossier: Path, messages: MessageLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stopwatch reads a clock the test sets: the delay is what the installer timed,
    # not how long a loaded machine took between two clicks (it once exceeded 5 s here).
    stopwatch = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(
        "linkytool.tui.screens.decoupling.time", SimpleNamespace(monotonic=lambda: stopwatch.now)
    )
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.click("#dec-coupled")
        await pilot.click("#dec-opened")
        await wait_for(  # recorded at once: polled with a deadline, no fixed sleep
            pilot,
            lambda: load_dossier(template_dossier).decoupling_test.breaker_opened_at == FROZEN_NOW,
        )
        stopwatch.now += 1.24
        await pilot.click("#dec-decoupled")
        app.query_one("#dec-message", Input).value = "Utility Loss"
        app.query_one("#dec-power", Input).value = "2400"
        await pilot.click("#dec-save")
        await wait_for(pilot, lambda: bool(messages.of(DecouplingRecorded)))
        recorded = messages.of(DecouplingRecorded)[-1]
        assert recorded.passed is True
        assert recorded.delay_s == 1.2
        assert "Essai réussi : découplage en 1,2 s" in screen_text(app)
    test = load_dossier(template_dossier).decoupling_test
    assert test.message == "Utility Loss"
    assert test.injecting_w == 2400.0
    assert test.decoupling_seen
    assert evaluate_decoupling_test(test).passed


async def test_decoupled_before_opening_is_refused(template_dossier: Path) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        await pilot.click("#dec-decoupled")
        await pilot.pause()
        assert any("disjoncteur" in n.message for n in app._notifications)
    assert load_dossier(template_dossier).decoupling_test.decoupled_at is None


async def test_live_tic_is_captured_during_the_test(
    template_dossier: Path, messages: MessageLog
) -> None:
    from linkytool.tic import read_capture
    from linkytool.tic.sim_serve import serve_pty
    from linkytool.tui.messages import TicReadingUpdated

    with serve_pty(mode="standard", profile="consumer") as meter:
        app = make_app(template_dossier, port=meter.path, autoconnect=True, clock=frozen_clock)
        async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
            await wait_for(pilot, lambda: bool(messages.of(TicReadingUpdated)), timeout=20)
            await pilot.press("f5")
            await pilot.pause()
            await pilot.click("#dec-coupled")
            await pilot.click("#dec-opened")
            count = len(messages.of(TicReadingUpdated))
            await wait_for(pilot, lambda: len(messages.of(TicReadingUpdated)) >= count + 2)
            await pilot.click("#dec-decoupled")
            app.query_one("#dec-message", Input).value = "Grid Loss"
            await pilot.click("#dec-save")
            await wait_for(pilot, lambda: bool(messages.of(DecouplingRecorded)))
            evidence_text = str(app.query_one("#dec-tic").render())
            assert "SINSTS" in evidence_text and "à l'ouverture" in evidence_text
    evidence = load_dossier(template_dossier).decoupling_test.tic_evidence
    assert evidence.startswith("captures/essai-decouplage-")
    assert read_capture(template_dossier.parent / evidence)


async def test_a_finished_test_is_replaced_only_after_confirming(
    demo_copy: Path, photo_reader: CachedPhotoReader
) -> None:
    """Issue 12: step 1 on a finished test asks first; "n" keeps it, "o" starts anew."""
    from linkytool.tui.screens.decoupling import ConfirmReplaceTest

    before = load_dossier(demo_copy).decoupling_test
    assert evaluate_decoupling_test(before).complete
    app = make_app(demo_copy, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.panes["decouplage"].action_coupled()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplaceTest)
        await pilot.press("n")
        await pilot.pause()
        assert load_dossier(demo_copy).decoupling_test == before
        app.panes["decouplage"].action_coupled()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplaceTest)
        await pilot.press("o")
        await pilot.pause()
        assert app.is_running
    test = load_dossier(demo_copy).decoupling_test
    assert test.coupled_at == FROZEN_NOW
    assert test.breaker_opened_at is None and test.message == ""  # a new test, not mixed


async def test_a_bad_power_value_is_kept_not_a_crash(template_dossier: Path) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.query_one("#dec-power", Input).value = "1e400"
        await pilot.click("#dec-coupled")
        await pilot.pause()
        assert app.is_running
        assert app.query_one("#dec-power", Input).value == "1e400"
    assert load_dossier(template_dossier).decoupling_test.injecting_w is None
