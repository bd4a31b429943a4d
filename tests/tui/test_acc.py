"""ACC: demo files, run in a worker with progress messages, indicators, table and chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

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
        consumers = app.query_one("#acc-table", DataTable)
        producers = app.query_one("#acc-producers-table", DataTable)
        assert consumers.row_count == len(result.operation.consumers)
        assert producers.row_count == len(result.operation.producers)
        for table in (consumers, producers):  # fits in 80 columns
            assert sum(column.get_render_width(table) for column in table.columns.values()) <= 78
        chart = app.query_one("#acc-chart", BarChart)
        assert chart.total and chart.part and len(chart.total) == len(chart.part)
        assert all(p <= t + 1e-9 for p, t in zip(chart.part, chart.total, strict=True))
        text = screen_text(app)
        assert "Taux d'autoconsommation" in text
        rate = f"{indicators['self_consumption_rate'] * 100:.1f} %".replace(".", ",")
        assert rate in text
    outputs = {p.name for p in (tmp_path / "acc-resultats").iterdir()}
    assert {"participants.csv", "curves.csv", "report.json"} <= outputs


def _table_cells(table: DataTable[object]) -> dict[str, list[str]]:
    """The shown cells of a DataTable by PRM (first column)."""
    rows = (table.get_row_at(r) for r in range(table.row_count))
    return {str(row[0]): [str(cell) for cell in row[1:]] for row in rows}


async def test_the_tables_show_the_numbers_of_participants_csv(
    tmp_path: Path, messages: MessageLog
) -> None:
    """Two consumers drawing 2 W for one quarter-hour (0,5 Wh each, printed 0.001 kWh)
    self-consume 1 Wh of the producer's 100: participants.csv gives the producer 0.002
    kWh self-produced (the sum of allocations.csv), which the pane, rounding each figure
    to 0,1 kWh on its own, showed as 0,0. The tables now show the CSV's numbers."""
    import csv

    lines = ["prm,timestamp,w"]
    consumers_csv = tmp_path / "c.csv"
    stamp = "2026-06-01T00:00:00+02:00"
    lines += [f"3000000000000{k},{stamp},2" for k in (1, 2)]
    consumers_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    producers_csv = tmp_path / "p.csv"
    producers_csv.write_text(f"prm,timestamp,w\n20000000000001,{stamp},400\n", encoding="utf-8")
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        app.query_one("#acc-consumers", Input).value = str(consumers_csv)
        app.query_one("#acc-producers", Input).value = str(producers_csv)
        app.panes["acc"].action_run()
        await wait_for(pilot, lambda: bool(messages.of(AccFinished)), timeout=60)
        await wait_for(pilot, lambda: app.query_one("#acc-producers-table", DataTable).row_count)
        assert not messages.of(WorkFailed)
        shown = _table_cells(app.query_one("#acc-table", DataTable))
        shown.update(_table_cells(app.query_one("#acc-producers-table", DataTable)))
        indicators = str(app.query_one("#acc-indicators", Static).render())
    with (tmp_path / "acc-resultats" / "participants.csv").open(encoding="utf-8") as handle:
        written = {
            row["prm"]: [v.replace(".", ",") for k, v in row.items() if k != "prm" and v]
            for row in csv.DictReader(handle)
        }
    for values in written.values():
        del values[0]  # role
    assert written["20000000000001"] == ["0,100", "0,002", "0,098"]
    assert shown == written
    assert "Autoconsommation totale : 0,002 kWh" in indicators


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


def _direct_self_consumed_kwh(tmp_path: Path, static_excess: str) -> float:
    """What ``linkytool.acc`` computes on the demo static operation, without the UI."""
    from linkytool.acc import (
        KeyKind,
        LoadOptions,
        StaticExcess,
        load_operation,
        run_operation,
        write_demo_inputs,
    )

    paths = write_demo_inputs(tmp_path / f"direct-{static_excess}", KeyKind.STATIC)
    operation = load_operation(
        [paths["consumers"]],
        [paths["producers"]],
        coefficients=paths["coefficients"],
        perimeter=paths["perimeter"],
        calendar=paths["calendar"],
        options=LoadOptions(key=KeyKind.STATIC, static_excess=StaticExcess(static_excess)),
    )
    return float(run_operation(operation).indicators()["self_consumed_kwh"])


async def test_static_excess_changes_the_result_and_is_reported(
    tmp_path: Path, messages: MessageLog
) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    totals: dict[str, float] = {}
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        pane = app.panes["acc"]
        app.query_one("#acc-key", Select).value = "static"
        await pilot.pause()
        excess = app.query_one("#acc-static-excess", Select)
        assert not excess.disabled
        pane.action_demo()
        await wait_for(pilot, lambda: bool(app.query_one("#acc-consumers", Input).value), 30)
        app.query_one("#acc-convention", Input).value = "acc00000112"
        for mode in ("surplus", "redistribute"):
            excess.value = mode
            await pilot.pause()
            done = len(messages.of(AccFinished))
            pane.action_run()
            await wait_for(pilot, lambda n=done: len(messages.of(AccFinished)) > n, timeout=60)
            await pilot.pause()
            finished = messages.of(AccFinished)[-1]
            assert finished.result is not None
            assert finished.options["static_excess"] == mode
            totals[mode] = float(finished.result.indicators()["self_consumed_kwh"])
        options = str(app.query_one("#acc-options", Static).render())
        assert "redistribuée aux autres consommateurs" in options
        assert "ACC00000112" in options
        assert not messages.of(WorkFailed)
    assert totals["redistribute"] != pytest.approx(totals["surplus"])
    for mode, total in totals.items():
        assert total == pytest.approx(_direct_self_consumed_kwh(tmp_path, mode))
    outdir = tmp_path / "acc-resultats"
    report = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    assert report["options"]["static_excess"] == "redistribute"
    assert report["options"]["key"] == "static"
    assert any(p.name.startswith("ACC00000112_") for p in outdir.iterdir())


async def test_invalid_convention_is_refused_before_running(
    tmp_path: Path, messages: MessageLog
) -> None:
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        assert app.query_one("#acc-static-excess", Select).disabled  # default key
        app.query_one("#acc-consumers", Input).value = str(tmp_path / "c.csv")
        app.query_one("#acc-producers", Input).value = str(tmp_path / "p.csv")
        app.query_one("#acc-convention", Input).value = "ACC112"
        app.panes["acc"].action_run()
        await pilot.pause()
        assert not app.panes["acc"].running
        assert any("ACC suivi de 8 chiffres" in n.message for n in app._notifications)


def test_convention_check() -> None:
    from linkytool.tui.acc_job import check_convention

    assert check_convention(" acc00000112 ") == "ACC00000112"
    assert check_convention("") == ""
    for bad in ("ACC112", "00000112", "ACC000001123", "ACCX0000112"):
        assert check_convention(bad) is None


async def test_demo_asks_before_replacing_the_users_files(
    tmp_path: Path, messages: MessageLog
) -> None:
    """Ctrl+D over ./acc-demo/consumers.csv of the user: a question, never a silent
    overwrite; « n » keeps the file, « o » replaces it and fills the fields."""
    from linkytool.tui.widgets.confirm import ConfirmReplace

    mine = tmp_path / "acc-demo" / "consumers.csv"
    mine.parent.mkdir()
    mine.write_text("mine\n", encoding="utf-8")
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(100, 30), message_hook=messages, notifications=True) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmReplace), 30)
        await pilot.pause()
        shown = " ".join(str(app.screen.query_one(Static).render()).split())
        assert "contient déjà 1 fichier que la démonstration remplacerait" in shown
        assert "consumers.csv" in shown and "Remplacer ce fichier par celui" in shown
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmReplace), 10)
        await wait_for(pilot, lambda: any("intacts" in n.message for n in app._notifications))
        assert mine.read_text(encoding="utf-8") == "mine\n"
        assert sorted(p.name for p in mine.parent.iterdir()) == ["consumers.csv"]
        assert not app.query_one("#acc-consumers", Input).value
        assert not messages.of(WorkFailed)
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmReplace), 30)
        await pilot.press("o")
        await wait_for(pilot, lambda: bool(app.query_one("#acc-consumers", Input).value), 30)
        assert app.query_one("#acc-consumers", Input).value == str(mine)
    assert mine.read_text(encoding="utf-8").startswith("prm,timestamp,w\n")


async def test_failed_run_marks_the_previous_results(tmp_path: Path, messages: MessageLog) -> None:
    """QA case: a run, then « Z » in « Calendrier », Ctrl+R: the old figures stay only
    under a line saying they are the previous run's; a good run removes that line."""
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: bool(app.query_one("#acc-consumers", Input).value), 30)
        indicators = app.query_one("#acc-indicators", Static)

        async def run() -> AccFinished:
            done = len(messages.of(AccFinished))
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: len(messages.of(AccFinished)) > done, timeout=60)
            await pilot.pause()
            finished: AccFinished = messages.of(AccFinished)[-1]
            return finished

        assert (await run()).result is not None
        first = str(indicators.render())
        assert "Taux d'autoconsommation" in first and "précédent" not in first
        calendar = app.query_one("#acc-calendar", Input)
        good_calendar = calendar.value
        calendar.value = "Z"
        assert (await run()).result is None
        assert "Z" in messages.of(WorkFailed)[-1].message
        stale = str(indicators.render())
        assert stale.startswith(
            "Résultats du calcul précédent (20/11/2026 14:40) : le dernier calcul a échoué.\n"
        )
        # why, kept on screen (QA round 2: only in a notification gone after 10 s)
        assert f"Cause : {messages.of(WorkFailed)[-1].message}" in stale
        assert stale.endswith(first)  # the same figures, marked
        calendar.value = good_calendar
        assert (await run()).result is not None
        assert str(indicators.render()) == first


LONG_FOLDER = "/home/installateur/operations/autoconsommation-collective/residence-les-tilleuls"


async def test_long_paths_show_their_file_names_at_80_columns(tmp_path: Path) -> None:
    """QA: at 80 columns two files of one long folder were cut alike
    (« /home/installateur/operations/autoco » twice): a path left shows its end."""
    app = make_app(workdir=tmp_path, clock=frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        consumers = app.query_one("#acc-consumers", Input)
        consumers.value = f"{LONG_FOLDER}/2026/juin/consommateurs.csv"
        app.query_one("#acc-producers", Input).value = f"{LONG_FOLDER}/2026/juin/producteurs.csv"
        await pilot.pause()
        lines = screen_text(app).splitlines()
        shown = {
            name: next(line for line in lines if line.lstrip().startswith(label))
            for name, label in (
                ("c", "Courbes des consommateurs"),
                ("p", "Courbes des producteurs"),
            )
        }
        assert "…/2026/juin/consommateurs.csv" in shown["c"], shown
        assert "…/2026/juin/producteurs.csv" in shown["p"], shown
        # focused, the whole path is edited: the end typed goes after the file name
        consumers.focus()
        await pilot.press("end", "x")
        assert consumers.value == f"{LONG_FOLDER}/2026/juin/consommateurs.csvx"
        await pilot.press("tab")
        await pilot.pause()
        assert "…/2026/juin/consommateurs.csvx" in screen_text(app), screen_text(app)[:900]


@pytest.mark.parametrize(
    ("path", "width", "shown"),
    [
        ("/a/b/courbes.csv", 40, "/a/b/courbes.csv"),
        (f"{LONG_FOLDER}/dossier/courbes.csv", 24, "…/dossier/courbes.csv"),
        (f"{LONG_FOLDER}/dossier/courbes.csv", 14, "…/courbes.csv"),
        ("/x/un-nom-de-fichier-tres-long.csv", 10, "…-long.csv"),
    ],
)
def test_shorten_path_keeps_the_end(path: str, width: int, shown: str) -> None:
    from linkytool.tui.widgets.picker import shorten_path

    assert shorten_path(path, width) == shown
    assert len(shorten_path(path, width)) <= width
