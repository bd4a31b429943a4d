"""Prérequis (F4): what building the screen, one layout of it and one test pause cost.

    .venv/bin/python bench/tui_prereq_build.py [--rounds 7] [--base SRC]

In-process (``App.run_test``, headless, 120x40) on a copy of the demo dossier, each run
its own process (``PYTHONPATH``), medians over the rounds:

- ``F4 CPU ms``: CPU of the process from F4 to the checklist shown and the form built,
  filled and settled (nothing left to lay out or paint, no message queued);
- ``widgets``: the widgets of the screen then (hidden ones included);
- ``layout ms``: CPU of one full layout of the screen and its repaint (a refusal line
  under a field shown or hidden, laid out at once), what every change of the form's
  height costs (issue 14);
- ``pause ms``: CPU of one ``pilot.pause()`` on that screen, Textual's own wait, which
  wakes every widget: what the UI tests pay for each pause and each key.

``--base SRC`` (may be repeated) runs another source tree's ``linkytool`` too (``SRC``
holds its ``linkytool`` package, e.g. ``git archive main linkytool | tar -x -C SRC``;
this tree's demo dossier either way), each round interleaved with this tree's:
before/after side by side, under the same load. Prints the load average before and
after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tui_prereq_update import load, worker_figures

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
FIGURES = ("f4_cpu_ms", "widgets", "layout_ms", "pause_ms")
#: Layouts and pauses measured per run.
REPEATS = 30


async def run() -> dict[str, Any]:

    sys.path.insert(0, str(ROOT / "bench"))
    from textual.widgets import Label
    from tui_prereq_update import Hooks, sample_app, scratch_root, settle

    hooks = Hooks(False)
    root = Path(tempfile.mkdtemp(prefix="prereq-build-", dir=scratch_root()))
    try:
        app = sample_app(root)
        figures: dict[str, Any] = {}
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await asyncio.sleep(0.5)  # the first screen's own start-up work
            cpu = time.process_time()
            await pilot.press("f4")
            pane: Any = app.panes["prerequis"]
            while not pane._form_built:
                await asyncio.sleep(0.001)
            await settle(app, pane, hooks, 1)
            figures["f4_cpu_ms"] = (time.process_time() - cpu) * 1000
            figures["widgets"] = len(list(app.screen.walk_children()))
            refusal = app.query_one("#err-f-case--prm", Label)
            refusal.update("↳ une valeur refusée, sur une ligne")
            screen = app.screen
            cpu = time.process_time()
            for index in range(REPEATS):
                refusal.set_class(index % 2 == 1, "hidden")
                screen._refresh_layout()
                screen._layout_required = False
            figures["layout_ms"] = (time.process_time() - cpu) / REPEATS * 1000
            cpu = time.process_time()
            for _ in range(REPEATS):
                await pilot.pause()
            figures["pause_ms"] = (time.process_time() - cpu) / REPEATS * 1000
        return figures
    finally:
        shutil.rmtree(root, ignore_errors=True)


def one_run(source: Path) -> dict[str, Any]:
    return worker_figures(source, __file__, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--base", type=Path, action="append", default=[], help="another tree")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(asyncio.run(run())))
        return
    sides = [(base.name, base.resolve()) for base in options.base] + [("this tree", ROOT)]
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _ in sides}
    print(f"load before: {load()}", flush=True)
    for _round in range(options.rounds):
        for label, source in sides:
            runs[label].append(one_run(source))
    print(f"load after: {load()}")
    print(f"\n{options.rounds} rounds, 120x40, medians")
    print(f"{'side':<22}" + "".join(f"{name:>12}" for name in FIGURES))
    for label, _ in sides:
        medians = [statistics.median(figures[name] for figures in runs[label]) for name in FIGURES]
        print(f"{label:<22}" + "".join(f"{value:12.1f}" for value in medians))


if __name__ == "__main__":
    main()
