"""ACC: demo files, run in a worker with progress messages, indicators, table and chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from linkytool.tui.app import make_app
from linkytool.tui.messages import AccFinished, AccProgress, WorkFailed
from linkytool.tui.widgets.chart import BarChart

from .conftest import MessageLog, frozen_clock, screen_text, wait_for


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


async def test_demo_operation_runs_with_progress(tmp_path: Path, messages: MessageLog) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        pane = app.panes["acc"]
        pane.action_demo()
        await wait_for(pilot, lambda: bool(app.query_one("#acc-consumers", Input).value), 30)
        pane.action_run()
        await wait_for(pilot, lambda: bool(messages.of(AccFinished)), timeout=60)
        await pilot.pause()
        assert not messages.of(WorkFailed)
        progress = messages.of(AccProgress)
        assert progress and progress[-1].done == progress[-1].total
        result = messages.of(AccFinished)[-1].result
        indicators = result.indicators()
        table = app.query_one("#acc-table", DataTable)
        assert table.row_count == len(result.operation.consumers) + len(result.operation.producers)
        chart = app.query_one("#acc-chart", BarChart)
        assert chart.total and chart.part and len(chart.total) == len(chart.part)
        assert all(p <= t + 1e-9 for p, t in zip(chart.part, chart.total, strict=True))
        text = screen_text(app)
        assert "Taux d'autoconsommation" in text
        rate = f"{indicators['self_consumption_rate'] * 100:.1f} %".replace(".", ",")
        assert rate in text
    outputs = {p.name for p in (tmp_path / "acc-resultats").iterdir()}
    assert {"participants.csv", "curves.csv", "report.json"} <= outputs


async def test_missing_files_are_explained(tmp_path: Path, messages: MessageLog) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        app.query_one("#acc-consumers", Input).value = str(tmp_path / "absent.csv")
        app.query_one("#acc-producers", Input).value = str(tmp_path / "absent2.csv")
        app.panes["acc"].action_run()
        await wait_for(pilot, lambda: bool(messages.of(WorkFailed)), timeout=30)
        failure = messages.of(WorkFailed)[-1]
        assert "absent" in failure.message
        assert "Erreur inattendue" not in failure.message
