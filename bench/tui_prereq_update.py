"""Prérequis pane (F4): what one dossier change costs while the pane is on screen.

    .venv/bin/python bench/tui_prereq_update.py [--changes 20] [--rounds 3] [--base SRC]
        [--size 120x40] [--sources]

In-process (``App.run_test``, headless) on a copy of the demo dossier, the pane shown
and its form built, three kinds of change, ``--changes`` of each:

- ``type``: a key typed in a field of the form (a letter, then Backspace), nothing saved
  yet (the autosave waits for a pause in typing);
- ``edit``: a letter typed at the end of the producer's name, then the autosave
  (``flush_edits``, what its timer calls): saved, the checklist's statuses unchanged;
- ``flip``: the connection power typed as 40 then as 6 kVA, saved: one checklist row
  goes from ✔ to ✘ and back (its finding, the summary line, the detail below);
- ``external``: a ``DossierChanged`` posted to the app, as another screen does after it
  changed the dossier (here it did not: nothing to show differs).

For each change: from the key, the save or the message to the pane settled (the checklist
it re-evaluated shown, except after a key; no message left in any queue, nothing left to
lay out or paint): wall time [ms], CPU time of the process [ms], and the number of full
layouts of the screen (Textual's ``Screen._refresh_layout``, each a reflow of the 190-odd
widgets of the form). Medians over the changes and rounds. Also F4 to the checklist drawn and to
the form built [s] (the first opening, for the record: the lead's tmux bench measures the
first paint). ``--sources`` prints which widgets asked for those layouts.

``--base SRC`` (may be repeated) runs another source tree's ``linkytool`` too (``SRC``
holds its ``linkytool`` package, e.g. ``git archive e8cf819 linkytool | tar -x -C SRC``),
each round interleaved with this tree's: before/after side by side, under the same load.
Every run is its own process (``PYTHONPATH``); the dossier lives on ``/dev/shm`` when it
can (the saves' two fsyncs cost 12-66 ms on this machine's disk, 0.1 ms there: the
pane's own cost is what is measured). Prints the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
KINDS = ("type", "edit", "flip", "external")


# -- one run, in its own process ------------------------------------------------------------


def scratch_root() -> str | None:
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2**30:
            return str(shm)
    except OSError:
        pass
    return None


def sample_app(root: Path) -> Any:
    """The app on a copy of the samples' dossier and photos in ``root`` (its XDG folders
    there too), at a fixed clock, without ports or photo reader (the Photos pane is never
    built: not shown)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from linkytool.tui.app import make_app

    now = datetime(2026, 11, 20, 14, 40, tzinfo=ZoneInfo("Europe/Paris"))
    for kind in ("STATE", "CACHE", "CONFIG"):
        os.environ[f"XDG_{kind}_HOME"] = str(root / kind.lower())
    for folder in ("dossier", "photos"):
        shutil.copytree(ROOT / "samples" / folder, root / folder)
    return make_app(
        root / "dossier" / "demo.toml",
        workdir=root,
        clock=lambda: now,
        port_lister=list,
        photo_reader=lambda path: None,
        state_path=root / "etat.json",
    )


def worker_figures(source: Path, script: str, arguments: list[str]) -> dict[str, Any]:
    """Run ``script --worker ARGUMENTS`` with ``source`` first on the path: the figures
    its last line prints as JSON."""
    env = dict(os.environ, PYTHONPATH=str(source))
    command = [str(PYTHON), script, "--worker", *arguments]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the run on {source} failed")
    last: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return last


class Hooks:
    """Counts full layouts and checklist updates; records who asked for each layout."""

    def __init__(self, sources: bool) -> None:
        from textual.screen import Screen
        from textual.widget import Widget

        from linkytool.tui.screens.prerequisites import PrerequisitesPane

        self.layouts = 0
        self.checklists = 0
        self.sources: Counter[str] = Counter()
        refresh_layout = Screen._refresh_layout
        refresh = Widget.refresh
        checklist_updated = PrerequisitesPane.on_checklist_updated
        hooks = self

        def counted_layout(screen: Any, size: Any = None, scroll: bool = False) -> None:
            hooks.layouts += 1
            refresh_layout(screen, size, scroll)

        def traced_refresh(widget: Any, *regions: Any, **kwargs: Any) -> Any:
            if kwargs.get("layout") and not widget._layout_required:
                hooks.sources[describe_caller(widget)] += 1
            return refresh(widget, *regions, **kwargs)

        def counted_checklist(pane: Any, message: Any) -> None:
            checklist_updated(pane, message)
            hooks.checklists += 1

        Screen._refresh_layout = counted_layout  # type: ignore[method-assign,assignment]
        if sources:
            Widget.refresh = traced_refresh  # type: ignore[method-assign,assignment]
        PrerequisitesPane.on_checklist_updated = counted_checklist  # type: ignore[method-assign,assignment]


def describe_caller(widget: Any) -> str:
    """``Label#prereq-summary <- prerequisites.py:on_checklist_updated``: the widget and
    the first frame outside Textual that led to the layout."""
    frame = sys._getframe(2)
    inner = ""
    while frame is not None:
        name = frame.f_code.co_filename
        if "/textual/" not in name and "/rich/" not in name and not name.endswith(__file__):
            return f"{type(widget).__name__}{'#' + widget.id if widget.id else ''} <- " + (
                f"{Path(name).name}:{frame.f_code.co_name}" + (f" via {inner}" if inner else "")
            )
        if not inner:
            inner = f"{Path(name).name}:{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return f"{type(widget).__name__} <- {inner}"


async def settle(
    app: Any, pane: Any, hooks: Hooks, checklists: int, *, typing: bool = False
) -> None:
    """Until the checklist update number ``checklists`` is handled and nothing is left to
    process, lay out or paint (``typing``: the autosave may still be waiting)."""
    timeout = 60.0
    deadline = time.monotonic() + timeout
    while True:
        await asyncio.sleep(0.001)
        if time.monotonic() > deadline:
            raise RuntimeError("the pane did not settle")
        if hooks.checklists < checklists:
            continue
        if not typing and (pane._timer is not None or pane._pending):
            continue
        screen = app.screen
        if (
            screen._layout_required
            or screen._dirty_widgets
            or screen._scroll_required
            or screen._repaint_required
            or getattr(pane, "_updating", False)
        ):
            continue
        if any(node.message_queue_size for node in (app, *screen.walk_children(with_self=True))):
            continue
        if any(worker.is_running for worker in app.workers):
            continue
        return


async def run(changes: int, size: tuple[int, int], sources: bool) -> dict[str, Any]:
    from textual.widgets import DataTable, Input, Label, Static

    from linkytool.tui.messages import DossierChanged
    from linkytool.tui.screens import prerequisites

    # Only the bench saves (``flush_edits``): the autosave's timer firing between two keys
    # on a loaded machine would start a second check, which cancels the first.
    prerequisites.SAVE_DELAY_S = 3600.0
    hooks = Hooks(sources)
    root = Path(tempfile.mkdtemp(prefix="prereq-bench-", dir=scratch_root()))
    try:
        app = sample_app(root)
        result: dict[str, Any] = {kind: [] for kind in KINDS}
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await asyncio.sleep(0.5)  # the first screen's own start-up work
            started = time.perf_counter()
            await pilot.press("f4")
            pane: Any = app.panes["prerequis"]
            table = app.query_one("#prereq-table", DataTable)
            while table.row_count == 0:
                await asyncio.sleep(0.001)
            result["f4_checklist_s"] = time.perf_counter() - started
            while not pane._form_built:
                await asyncio.sleep(0.001)
            await settle(app, pane, hooks, 1)
            result["f4_form_s"] = time.perf_counter() - started
            hooks.sources.clear()

            async def timed(kind: str, change: Callable[[], Any]) -> None:
                layouts = hooks.layouts
                expected = hooks.checklists + (kind != "type")
                wall, cpu = time.perf_counter(), time.process_time()
                done = change()
                if inspect.isawaitable(done):
                    await done
                await settle(app, pane, hooks, expected, typing=kind == "type")
                result[kind].append(
                    (
                        (time.perf_counter() - wall) * 1000,
                        (time.process_time() - cpu) * 1000,
                        hooks.layouts - layouts,
                    )
                )

            name = app.query_one("#f-producer--name", Input)
            name.focus()
            await pilot.press("end")
            await settle(app, pane, hooks, hooks.checklists)
            for index in range(changes):
                key = "y" if index % 2 == 0 else "backspace"
                await timed("type", lambda key=key: pilot.press(key))  # type: ignore[misc]
            for index in range(changes):
                await pilot.press("x" if index % 2 == 0 else "backspace")
                await timed("edit", pane.flush_edits)
            power = app.query_one("#f-installation--power_kva", Input)
            power.focus()
            flips = 0
            for index in range(changes):
                erase = ["backspace"] * len(power.value)
                await pilot.press("end", *erase, *("40" if index % 2 == 0 else "6"))
                before = [str(outcome.status) for outcome in pane.outcomes]
                await timed("flip", pane.flush_edits)
                flips += before != [str(outcome.status) for outcome in pane.outcomes]
            if flips != changes:
                raise RuntimeError(f"only {flips} of {changes} flips changed the checklist")
            for _index in range(changes):
                await timed("external", lambda: app.post_message(DossierChanged("banc")))
            statuses = [str(outcome.status) for outcome in pane.outcomes]
            result["final"] = {
                "statuses": statuses,
                "power": power.value,
                "name": name.value,
                "focused": getattr(app.focused, "id", None),
                "summary": str(app.query_one("#prereq-summary", Label).render()),
                "detail": str(app.query_one("#prereq-detail", Static).render()),
                "rows": [
                    [str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)
                ],
            }
        result["sources"] = dict(hooks.sources.most_common(12))
        return result
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- the comparison, in the parent process -------------------------------------------------


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def one_run(source: Path, options: argparse.Namespace) -> dict[str, Any]:
    arguments = ["--changes", str(options.changes), "--size", options.size]
    return worker_figures(
        source, __file__, [*arguments, *(["--sources"] if options.sources else [])]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="changes of each kind per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", default="120x40", help="terminal size, COLSxLINES")
    parser.add_argument("--base", type=Path, action="append", default=[], help="another tree")
    parser.add_argument("--sources", action="store_true", help="who asked for the layouts")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    columns, lines = (int(part) for part in options.size.split("x"))
    if options.worker:
        figures = asyncio.run(run(options.changes, (columns, lines), options.sources))
        print(json.dumps(figures))
        return
    sides = [(base.name, base.resolve()) for base in options.base] + [("this tree", ROOT)]
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in sides}
    print(f"load before: {load()}", flush=True)
    for round_ in range(options.rounds):
        for label, source in sides:
            runs[label].append(one_run(source, options))
            print(f"  round {round_ + 1}: {label} done (load {load()})", flush=True)
    print(f"load after: {load()}")
    print(
        f"\n{options.changes} changes of each kind × {options.rounds} rounds, "
        f"{options.size}, medians per change"
    )
    print(f"{'side':<22}{'kind':<10}{'wall ms':>9}{'CPU ms':>9}{'layouts':>9}")
    for label, _ in sides:
        for kind in KINDS:
            rows = [row for figures in runs[label] for row in figures[kind]]
            wall, cpu, layouts = (statistics.median(column) for column in zip(*rows, strict=True))
            print(f"{label:<22}{kind:<10}{wall:9.1f}{cpu:9.1f}{layouts:9.1f}")
        f4 = statistics.median(figures["f4_checklist_s"] for figures in runs[label])
        form = statistics.median(figures["f4_form_s"] for figures in runs[label])
        print(f"{label:<22}F4 to the checklist {f4:.3f} s, to the form built {form:.3f} s")
    finals = {json.dumps(runs[label][0]["final"], sort_keys=True) for label, _ in sides}
    print("same final state on every side" if len(finals) == 1 else f"final states: {finals}")
    if options.sources:
        for label, _ in sides:
            print(f"\nlayouts asked for ({label}, last run):")
            for source, count in runs[label][-1]["sources"].items():
                print(f"  {count:5d}  {source}")


if __name__ == "__main__":
    main()
