"""How long a result from a worker process waits for a busy UI thread's GIL.

    .venv/bin/python bench/gil_handoff.py [--rounds 20]

The UI's main thread draws in long stretches of pure Python while the pool's result
thread receives each photo reading (about 200 kB pickled). For each switch interval
(Python's default 5 ms, and the UI's :data:`linkytool.tui.launch.SWITCH_INTERVAL_S`),
side by side in one run: a worker process returns a 200 kB result after 50 ms of work
while the main thread counts in a loop; the figure is the time from the worker's return
to the callback in the UI process [ms] (median and max over ``--rounds``), and the time
to start a one-worker forkserver pool from a thread while the main thread is busy [s].
Each interval runs in its own interpreter (the setting is per process).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

#: Switch intervals compared [s]: Python's default, then the UI's.
INTERVALS = (0.005, 0.001)
#: Size of the result a worker returns [bytes] (a reading with its crop and preview).
RESULT_BYTES = 200_000
#: Work done by the worker before it returns [s].
WORK_S = 0.05


def work(_: int) -> tuple[float, bytes]:
    """In the worker: 50 ms of work, then a 200 kB result stamped with its end."""
    started = time.monotonic()
    while time.monotonic() - started < WORK_S:
        pass
    return time.monotonic(), bytes(RESULT_BYTES)


def measure(interval: float, rounds: int) -> tuple[float, list[float]]:
    """(pool start from a thread [s], delivery lags [s]) with ``interval``, main busy."""
    import multiprocessing

    sys.setswitchinterval(interval)
    context = multiprocessing.get_context("forkserver")
    started: list[float] = []

    def start_pool() -> None:
        begin = time.monotonic()
        pool = context.Pool(1)
        started.append(time.monotonic() - begin)
        pool.terminate()

    count = 0
    starter = threading.Thread(target=start_pool)
    starter.start()
    while starter.is_alive():  # the UI drawing
        for _ in range(10_000):
            count += 1
    lags: list[float] = []
    done = threading.Event()

    def delivered(result: Any) -> None:
        lags.append(time.monotonic() - result[0])
        done.set()

    pool = context.Pool(1)
    for index in range(rounds):
        done.clear()
        pool.apply_async(work, (index,), callback=delivered)
        while not done.is_set():
            for _ in range(10_000):
                count += 1
    pool.terminate()
    return started[0], lags


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child is not None:
        start, lags = measure(options.child, options.rounds)
        print(f"{start} {statistics.median(lags)} {max(lags)}")
        return
    print(
        f"result of {RESULT_BYTES // 1000} kB after {WORK_S * 1000:.0f} ms of work,"
        f" main thread busy, {options.rounds} rounds"
    )
    for interval in INTERVALS:
        out = subprocess.run(
            [sys.executable, __file__, "--rounds", str(options.rounds), "--child", str(interval)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        start, median, worst = map(float, out)
        print(
            f"  switch interval {interval * 1000:.0f} ms: delivery {median * 1000:5.1f} ms"
            f" median, {worst * 1000:5.1f} ms max; pool start from a thread {start:.3f} s"
        )


if __name__ == "__main__":
    main()
