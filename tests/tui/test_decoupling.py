"""Essai de découplage: the guided, timed test is recorded step by step in the dossier."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widgets import Input, Static

from linkytool.mes import evaluate_decoupling_test, load_dossier
from linkytool.tui.app import make_app
from linkytool.tui.messages import DecouplingRecorded

from .conftest import (
    FROZEN_NOW,
    CachedPhotoReader,
    MessageLog,
    frozen_clock,
    on_screen,
    screen_text,
    wait_for,
)


@pytest.fixture
def stopwatch(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The clock the screen's stopwatch reads (``now`` [s]), set by the test: a delay is
    what the installer timed, not how long a loaded machine took between two clicks (it
    once exceeded 5 s here)."""
    watch = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(
        "linkytool.tui.screens.decoupling.time", SimpleNamespace(monotonic=lambda: watch.now)
    )
    return watch


async def _notes_after_pressing(dossier: Path, button: str) -> list[str]:
    """Open the Découplage screen on ``dossier`` and press ``button``: the notifications."""
    app = make_app(dossier, clock=frozen_clock)
    async with on_screen(app, "f5", notifications=True) as pilot:
        await pilot.click(button)
        await pilot.pause()
        return [note.message for note in app._notifications]


async def test_guided_test_is_recorded_and_passes(
    template_dossier: Path, messages: MessageLog, stopwatch: SimpleNamespace
) -> None:
    app = make_app(template_dossier, clock=frozen_clock)
    async with on_screen(app, "f5", message_hook=messages) as pilot:
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
    notes = await _notes_after_pressing(template_dossier, "#dec-decoupled")
    assert any("disjoncteur" in note for note in notes)
    assert load_dossier(template_dossier).decoupling_test.decoupled_at is None


async def test_live_tic_is_captured_during_the_test(
    template_dossier: Path, messages: MessageLog
) -> None:
    from linkytool.tic import read_capture
    from linkytool.tic.sim_serve import serve_pty
    from linkytool.tui.messages import TicReadingUpdated

    # paced at 4 times the line's rate: the test waits for three frames, not their timing
    with serve_pty(mode="standard", profile="consumer", pace=4) as meter:
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
    async with on_screen(app, "f5") as pilot:
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
    async with on_screen(app, "f5") as pilot:
        app.query_one("#dec-power", Input).value = "1e400"
        await pilot.click("#dec-coupled")
        await pilot.pause()
        assert app.is_running
        assert app.query_one("#dec-power", Input).value == "1e400"
    assert load_dossier(template_dossier).decoupling_test.injecting_w is None


async def test_a_noted_step_is_noted_again_only_after_confirming(
    template_dossier: Path, stopwatch: SimpleNamespace
) -> None:
    """QA: a stray « 2 » (focus on a button) after steps 1-3 re-stamped the breaker's
    opening 25 s after the decoupling, without a question. Each step already noted asks
    first, as step 1 does; « o » starts the test again from that step."""
    from datetime import timedelta

    from linkytool.tui.screens.decoupling import ConfirmReplaceTest

    moment = SimpleNamespace(now=FROZEN_NOW)
    app = make_app(template_dossier, clock=lambda: moment.now)
    async with on_screen(app, "f5") as pilot:
        for key in ("1", "2"):
            await pilot.press(key)
            await pilot.pause()
            moment.now += timedelta(seconds=10)
        stopwatch.now += 1.5
        moment.now += timedelta(seconds=1.5)
        await pilot.press("3")
        await wait_for(
            pilot, lambda: load_dossier(template_dossier).decoupling_test.decoupling_seen
        )
        before = load_dossier(template_dossier).decoupling_test
        app.query_one("#dec-coupled").focus()
        moment.now += timedelta(seconds=25)
        for key in "2400":  # typed with the focus on a button, not in the message field
            await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReplaceTest)
        assert "Disjoncteur Enedis ouvert » est déjà noté à 14:40:10" in str(
            app.screen.query_one(Static).render()
        )
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmReplaceTest)
        assert load_dossier(template_dossier).decoupling_test == before
        for key in ("3", "1"):  # the same question for every step already noted
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmReplaceTest)
            await pilot.press("escape")
            await pilot.pause()
        assert load_dossier(template_dossier).decoupling_test == before
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("o")
        await wait_for(
            pilot,
            lambda: (
                load_dossier(template_dossier).decoupling_test.breaker_opened_at
                != before.breaker_opened_at
            ),
        )
    test = load_dossier(template_dossier).decoupling_test
    assert test.coupled_at == before.coupled_at  # the steps before it are kept
    assert test.breaker_opened_at == moment.now.replace(microsecond=0)
    # the later steps, timed against the old opening, are forgotten
    assert test.decoupled_at is None and test.delay_s is None and not test.decoupling_seen


async def test_a_step_is_refused_before_the_step_it_follows(template_dossier: Path) -> None:
    notes = await _notes_after_pressing(template_dossier, "#dec-opened")
    assert any("Appuyez d'abord sur 1" in note for note in notes)
    test = load_dossier(template_dossier).decoupling_test
    assert test.breaker_opened_at is None and test.coupled_at is None


async def test_step_times_are_written_to_the_second(
    template_dossier: Path, stopwatch: SimpleNamespace
) -> None:
    """The template documents AAAA-MM-JJTHH:MM:SS: no microseconds in the file. The
    stopwatch's delay keeps its tenths."""
    from datetime import timedelta

    moment = SimpleNamespace(now=FROZEN_NOW + timedelta(microseconds=89430))
    app = make_app(template_dossier, clock=lambda: moment.now)
    async with on_screen(app, "f5") as pilot:
        await pilot.click("#dec-coupled")
        await pilot.click("#dec-opened")
        stopwatch.now += 1.27
        moment.now += timedelta(seconds=1.27)
        await pilot.click("#dec-decoupled")
        await wait_for(
            pilot, lambda: load_dossier(template_dossier).decoupling_test.decoupling_seen
        )
    text = template_dossier.read_text(encoding="utf-8")
    assert "coupled_at = 2026-11-20T14:40:00\n" in text, text
    assert "decoupled_at = 2026-11-20T14:40:01\n" in text
    test = load_dossier(template_dossier).decoupling_test
    assert test.delay_s == 1.3
    assert evaluate_decoupling_test(test).problems == ()
