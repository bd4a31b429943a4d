"""Benchmark of `linkytool acc run` end to end from CSV files, and of the engine alone.

Default (``--csv``): generates long-format CSV files into bench/out/ (git-ignored; kept
between runs), then times side by side, alternating, in one run:
  cli       `linkytool acc run --consumers … --producers … -o …` (a subprocess, process
            start included), default key, every default output
  dictread  a bare stdlib `csv.DictReader` pass over the same files (a subprocess)
  engine    `run_operation` alone, in process, on the loaded operation
and prints medians, the ratio cli / dictread (of the medians, of each side-by-side pair and
of the CPU times), each subprocess's peak memory (ru_maxrss of the child) and the load
average.

Engine cases (``--engine``; issue 5), one year of 15-minute steps = 35,040 steps:

Cases (one year of 15-minute steps = 35,040 steps unless --steps):
  full     1,000 consumers x 10 producers, full dynamic key
  default  5,000 consumers x 1 producer, default key
  static   5,000 consumers x 1 producer, static key (surplus mode)
  static-r 5,000 consumers x 1 producer, static key (redistribute mode)
Each case runs in its own subprocess so its peak memory (ru_maxrss) is its own; the
printed time is the engine's (run_operation), the inputs being served chunk by chunk from
a pre-generated pool of curves (the engine streams through the period, its memory does not
grow with it). Then the speed ratio against the plain per-step Python reference on a
reduced case, measured side by side, and the time to read a realistic month of CSV.

Usage:
  .venv/bin/python bench/acc_bench.py --csv month --repeat 5   # 1,000 consumers, March 2026
  .venv/bin/python bench/acc_bench.py --csv year --repeat 1    # 1,000 consumers, 2026
  .venv/bin/python bench/acc_bench.py --csv year --consumers 5000 --repeat 1 \
      --skip dictread,engine                                    # 8 GB: peak memory
  .venv/bin/python bench/acc_bench.py --csv year --consumers 100 --full-producers 10 \
      --repeat 1                                                # 35 M coefficients
  .venv/bin/python bench/acc_bench.py --engine [--repeat 3] [--steps 35040] [--cases full,default]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from linkytool.acc.engine import default_chunk_steps, run_operation
from linkytool.acc.model import (
    ArrayCoefficients,
    ArrayCurves,
    FloatArray,
    KeyKind,
    Operation,
    StaticExcess,
    StaticSet,
)
from linkytool.acc.reference import reference_step
from linkytool.acc.timegrid import TimeGrid, format_local, paris_midnight

YEAR_STEPS = 35_040
CASES: dict[str, tuple[KeyKind, int, int, StaticExcess]] = {
    "full": (KeyKind.FULL, 1000, 10, StaticExcess.SURPLUS),
    "default": (KeyKind.DEFAULT, 5000, 1, StaticExcess.SURPLUS),
    "static": (KeyKind.STATIC, 5000, 1, StaticExcess.SURPLUS),
    "static-r": (KeyKind.STATIC, 5000, 1, StaticExcess.REDISTRIBUTE),
}


class PoolCurves:
    """A curve source serving steps from a pool of ``pool`` generated steps, cyclically."""

    def __init__(self, values: FloatArray) -> None:
        self.values = values

    def chunk(self, first: int, stop: int) -> FloatArray:
        size = self.values.shape[0]
        a = first % size
        if a + (stop - first) <= size:
            return self.values[a : a + stop - first]
        index = np.arange(first, stop) % size
        result: FloatArray = self.values[index]
        return result


class PoolCoefficients:
    def __init__(self, values: FloatArray) -> None:
        self.values = values
        self.covered = np.ones(values.shape[0], dtype=np.bool_)

    def chunk(self, first: int, stop: int) -> tuple[FloatArray, Any]:
        size = self.values.shape[0]
        index = np.arange(first, stop) % size
        a = first % size
        if a + (stop - first) <= size:
            return self.values[a : a + stop - first], self.covered[: stop - first]
        return self.values[index], self.covered[: stop - first]


def synthetic(n_steps: int, n_c: int, n_p: int, seed: int = 7) -> tuple[FloatArray, FloatArray]:
    """Consumption ``(steps, n_c)`` and injection ``(steps, n_p)`` [W], daily shapes."""
    rng = np.random.default_rng(seed)
    hours = (np.arange(n_steps) % 96) / 4.0
    sun = np.clip(np.sin((hours - 6.5) / 13 * np.pi), 0, None)
    injection = (sun[:, None] * rng.uniform(3_000, 250_000, n_p)) * rng.uniform(
        0.3, 1, (n_steps, 1)
    )
    daily = (
        0.6
        + 0.4 * np.exp(-0.5 * ((hours - 19.5) / 2) ** 2)
        + 0.3 * np.exp(-0.5 * ((hours - 7.5) / 1) ** 2)
    )
    consumption = (
        daily[:, None] * rng.uniform(200, 3_000, n_c) * rng.uniform(0.5, 1.5, (n_steps, n_c))
    )
    return consumption, injection


def build(case: str, n_steps: int) -> Operation:
    key, n_c, n_p, excess = CASES[case]
    grid = TimeGrid(paris_midnight(__import__("datetime").date(2026, 1, 1)), 900, n_steps)
    probe = Operation(grid, tuple(range(n_c)), tuple(range(n_p)), None, None, key)  # type: ignore[arg-type]
    chunk = default_chunk_steps(probe)
    pool = min(n_steps, chunk * max(1, 2400 // chunk))
    consumption, injection = synthetic(pool, n_c, n_p)
    rng = np.random.default_rng(3)
    static_sets: tuple[StaticSet, ...] = ()
    coefficients = None
    if key is KeyKind.STATIC:
        static_sets = (StaticSet(0, rng.dirichlet(np.ones(n_c)) * 0.98),)
    elif key is KeyKind.FULL:
        shares = rng.random((pool, n_p, n_c))
        shares /= shares.sum(axis=2, keepdims=True) * 1.02
        coefficients = PoolCoefficients(shares)
    return Operation(
        grid=grid,
        consumers=tuple(f"{i:014d}" for i in range(n_c)),
        producers=tuple(f"{i:014d}" for i in range(n_p)),
        consumption=PoolCurves(consumption),
        production=PoolCurves(injection),
        key=key,
        static_sets=static_sets,
        coefficients=coefficients,
        static_excess=excess,
    )


def child(case: str, n_steps: int) -> None:
    """Run one case and print JSON: engine time and the process's peak memory."""
    operation = build(case, n_steps)
    started = time.perf_counter()
    result = run_operation(operation, keep_curves=False)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "case": case,
                "seconds": elapsed,
                "peak_mib": peak_kib / 1024,
                "self_consumption_rate": result.indicators()["self_consumption_rate"],
                "chunk_steps": default_chunk_steps(operation),
            }
        )
    )


def run_case(case: str, n_steps: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", case, "--steps", str(n_steps)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def reference_ratio(key: KeyKind, n_t: int, n_c: int, n_p: int) -> tuple[float, float]:
    """Seconds of the numpy engine and of the per-step Python reference on one case."""
    consumption, injection = synthetic(n_t, n_c, n_p, seed=11)
    rng = np.random.default_rng(5)
    static = rng.dirichlet(np.ones(n_c)) * 0.98
    shares = rng.random((n_t, n_p, n_c))
    shares /= shares.sum(axis=2, keepdims=True) * 1.02
    grid = TimeGrid(paris_midnight(__import__("datetime").date(2026, 1, 1)), 900, n_t)
    operation = Operation(
        grid=grid,
        consumers=tuple(f"{i:014d}" for i in range(n_c)),
        producers=tuple(f"{i:014d}" for i in range(n_p)),
        consumption=ArrayCurves(consumption),
        production=ArrayCurves(injection),
        key=key,
        static_sets=(StaticSet(0, static),) if key is KeyKind.STATIC else (),
        coefficients=ArrayCoefficients(shares, np.ones(n_t, dtype=np.bool_))
        if key is KeyKind.FULL
        else None,
    )
    engine_times = []
    for _ in range(9):
        started = time.perf_counter()
        result = run_operation(operation, keep_curves=False)
        engine_times.append(time.perf_counter() - started)
    c_rows, p_rows = consumption.tolist(), injection.tolist()
    static_list = static.tolist()
    share_rows = shares.tolist()
    reference_times = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0.0
        for t in range(n_t):
            if key is KeyKind.FULL:
                step = reference_step("full", c_rows[t], p_rows[t], full_shares=share_rows[t])
            elif key is KeyKind.STATIC:
                step = reference_step("static", c_rows[t], p_rows[t], shares=static_list)
            else:
                step = reference_step("default", c_rows[t], p_rows[t])
            total += sum(step.self_consumed)
        reference_times.append(time.perf_counter() - started)
    reference_time = statistics.median(reference_times)
    assert abs(total * 0.25 - result.self_consumed_wh.sum()) <= 1e-6 * max(1.0, total)
    return statistics.median(engine_times), reference_time


def csv_read_month() -> tuple[float, int]:
    """Seconds to load the demo month from its CSV files (10 consumers, 1 producer)."""
    from linkytool.acc.demo import write_demo_inputs
    from linkytool.acc.loader import LoadOptions, load_operation

    with tempfile.TemporaryDirectory() as folder:
        paths = write_demo_inputs(folder, KeyKind.DYNAMIC)
        lines = sum(
            len(Path(path).read_text(encoding="utf-8").splitlines()) for path in paths.values()
        )
        times = []
        for _ in range(3):
            started = time.perf_counter()
            load_operation(
                [paths["consumers"]],
                [paths["producers"]],
                coefficients=paths["coefficients"],
                perimeter=paths["perimeter"],
                calendar=paths["calendar"],
                options=LoadOptions(key=KeyKind.DYNAMIC),
            )
            times.append(time.perf_counter() - started)
    return statistics.median(times), lines


OUT = Path(__file__).resolve().parent / "out"
DICTREAD = """
import csv, sys
rows = 0
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows += 1
print(rows)
"""


def write_csv_case(name: str, n_consumers: int, first: date, days: int, seed: int) -> Path:
    """Long CSV files (``prm,timestamp,w``, grouped by PRM, integer W) in bench/out/NAME."""
    folder = OUT / name
    marker = folder / f"done-{n_consumers}-{first}-{days}-{seed}"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    start = paris_midnight(first)
    grid = TimeGrid(start, 900, (paris_midnight(first + timedelta(days=days)) - start) // 900)
    stamps = [format_local(int(t)) for t in grid.instants()]
    rng = np.random.default_rng(seed)
    consumption, injection = synthetic(grid.n_steps, 1, 1, seed)
    with (folder / "consumers.csv").open("w", encoding="utf-8") as out:
        out.write("prm,timestamp,w\n")
        for i in range(n_consumers):
            prm = f"3000{i:010d}"
            scale = rng.uniform(0.3, 3.0)
            values = np.rint(consumption[:, 0] * scale).astype(np.int64).tolist()
            out.write("".join(f"{prm},{s},{v}\n" for s, v in zip(stamps, values, strict=True)))
    with (folder / "producers.csv").open("w", encoding="utf-8") as out:
        out.write("prm,timestamp,w\n")
        values = np.rint(injection[:, 0] * n_consumers / 20).astype(np.int64).tolist()
        out.write("".join(f"20001234567890,{s},{v}\n" for s, v in zip(stamps, values, strict=True)))
    marker.write_text("ok\n")
    return folder


def write_full_case(folder: Path, n_consumers: int, n_producers: int, seed: int) -> Path:
    """A second producers' file of ``n_producers`` and the full-dynamic coefficients of
    every producer-consumer pair at every step (``timestamp,producer,consumer,coefficient``,
    percent, summing to at most 100 % per producer and step), beside a CSV case."""
    marker = folder / f"done-full-{n_producers}-{seed}"
    target = folder / f"coefficients-{n_producers}.csv"
    if marker.exists():
        return target
    consumers = sorted({line.split(",", 1)[0] for line in _first_lines(folder / "consumers.csv")})
    stamps = [line.split(",")[1] for line in _first_lines(folder / "producers.csv")]
    producers = [f"2000123456{p:04d}" for p in range(n_producers)]
    with (folder / f"producers-{n_producers}.csv").open("w", encoding="utf-8") as out:
        out.write("prm,timestamp,w\n")
        _, injection = synthetic(len(stamps), 1, n_producers, seed)
        for p, prm in enumerate(producers):
            values = np.rint(injection[:, p]).astype(np.int64).tolist()
            out.write("".join(f"{prm},{s},{v}\n" for s, v in zip(stamps, values, strict=True)))
    rng = np.random.default_rng(seed)
    with target.open("w", encoding="utf-8") as out:
        out.write("timestamp,producer,consumer,coefficient\n")
        for stamp in stamps:
            shares = rng.dirichlet(np.ones(n_consumers), n_producers) * 99.0
            rows = [
                f"{stamp},{producer},{consumer},{shares[p, i]:.4f}\n"
                for p, producer in enumerate(producers)
                for i, consumer in enumerate(consumers)
            ]
            out.write("".join(rows))
    marker.write_text("ok\n")
    return target


def _first_lines(path: Path) -> list[str]:
    """Data lines of a generated long file: the consumers' PRMs, or one PRM's timestamps."""
    with path.open(encoding="utf-8") as handle:
        handle.readline()
        first = handle.readline()
        prm = first.split(",", 1)[0]
        lines = [first]
        for line in handle:
            if path.name == "producers.csv" and not line.startswith(prm):
                break
            lines.append(line)
    return lines


def timed_child(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, all threads) and peak memory [MiB] of a
    subprocess (its own rusage)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.stderr.close()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


CSV_CASES = {"month": (date(2026, 3, 1), 31), "year": (date(2026, 1, 1), 365)}


def csv_bench(
    case: str, repeat: int, n_consumers: int, skip: set[str], n_producers: int = 0
) -> None:
    """The CLI end to end beside the bare stdlib read and the in-process engine."""
    from linkytool.acc.loader import load_operation

    first, days = CSV_CASES[case]
    name = case if n_consumers == 1000 else f"{case}-{n_consumers}"
    folder = write_csv_case(name, n_consumers, first, days, 7)
    files = [str(folder / "consumers.csv"), str(folder / "producers.csv")]
    full = []
    if n_producers:  # full-dynamic coefficients of n_producers (their own curves)
        coefficients = write_full_case(folder, n_consumers, n_producers, 7)
        files[1] = str(folder / f"producers-{n_producers}.csv")
        full = ["--key", "full", "--coefficients", str(coefficients)]
        skip = skip | {"dictread", "engine"}
    size = sum(Path(f).stat().st_size for f in files) / 1e6
    linkytool = str(Path(sys.executable).with_name("linkytool"))
    cli = [linkytool, "acc", "run", "--consumers", files[0], "--producers", files[1], *full,
           "-o", str(folder / "results"), "-q"]  # fmt: skip
    dictread = [sys.executable, "-c", DICTREAD, *files]
    size += sum(Path(f).stat().st_size for f in full[3:]) / 1e6
    who = f"{n_producers} producers, full-dynamic key" if n_producers else "1 producer"
    print(f"ACC end to end, {case}: {n_consumers:,} consumers + {who}, {size:,.0f} MB of CSV")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")  # fmt: skip
    commands = [(n, c) for n, c in (("cli", cli), ("dictread", dictread)) if n not in skip]
    times: dict[str, list[float]] = {name: [] for name, _ in commands}
    cpu: dict[str, list[float]] = {name: [] for name, _ in commands}
    peaks: dict[str, float] = {name: 0.0 for name, _ in commands}
    for _ in range(repeat):  # alternate, so that both see the same machine
        for name, command in commands:
            seconds, cpu_seconds, peak = timed_child(command)
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
            peaks[name] = max(peaks[name], peak)
    engine = []
    if "engine" not in skip:
        operation = load_operation([files[0]], [files[1]])
        for _ in range(repeat):
            started = time.perf_counter()
            run_operation(operation, keep_curves=False)
            engine.append(time.perf_counter() - started)
    print(f"{'':10} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MiB':>9} {'CPU s':>7}")
    for name, values in times.items():
        print(f"{name:10} {statistics.median(values):9.2f} {min(values):7.2f} "
              f"{max(values):7.2f} {peaks[name]:9.0f} "
              f"{statistics.median(cpu[name]):7.2f}")  # fmt: skip
    if engine:
        print(f"{'engine':10} {statistics.median(engine):9.3f} {min(engine):7.3f} "
              f"{max(engine):7.3f}")  # fmt: skip
    if "cli" in times and "dictread" in times:
        ratio = statistics.median(times["cli"]) / statistics.median(times["dictread"])
        print(f"ratio cli / dictread (medians): {ratio:.2f} (goal <= 0.5)")
        ratios = [a / b for a, b in zip(times["cli"], times["dictread"], strict=True)]
        print(f"ratio of each side-by-side pair: {' '.join(f'{r:.2f}' for r in ratios)}")
        cpu_ratio = statistics.median(cpu["cli"]) / statistics.median(cpu["dictread"])
        print(f"CPU-time ratio (medians; less sensitive to the machine's load): {cpu_ratio:.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, default=YEAR_STEPS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--csv", choices=sorted(CSV_CASES), default="month")
    parser.add_argument("--consumers", type=int, default=1000, help="consumers of the CSV case")
    parser.add_argument(
        "--full-producers",
        type=int,
        default=0,
        help="CSV case with this many producers and full-dynamic coefficients of every pair",
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated parts of the CSV case to skip: dictread,engine"
    )
    parser.add_argument("--engine", action="store_true", help="the engine cases of issue 5")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.steps)
        return
    if not args.engine:
        skip = set(filter(None, args.skip.split(",")))
        csv_bench(args.csv, args.repeat, args.consumers, skip, args.full_producers)
        return
    print(
        f"ACC engine benchmark: {args.steps} steps of 15 min, {args.repeat} runs per case (median)"
    )
    print(
        f"{'case':10} {'consumers':>9} {'producers':>9} {'median s':>9} {'min s':>7} "
        + f"{'peak MiB':>9} {'chunk':>6}"
    )
    for case in args.cases.split(","):
        key, n_c, n_p, _ = CASES[case]
        runs = [run_case(case, args.steps) for _ in range(args.repeat)]
        seconds = [r["seconds"] for r in runs]
        peak = max(r["peak_mib"] for r in runs)
        print(
            f"{case:10} {n_c:9d} {n_p:9d} {statistics.median(seconds):9.2f} {min(seconds):7.2f} "
            f"{peak:9.0f} {runs[0]['chunk_steps']:6d}",
            flush=True,
        )
    print("\nSpeed ratio against the per-step Python reference (same inputs, side by side):")
    for key, n_t, n_c, n_p in (
        (KeyKind.DEFAULT, 96 * 7, 500, 1),
        (KeyKind.STATIC, 96 * 7, 500, 1),
        (KeyKind.FULL, 96 * 2, 100, 10),
    ):
        engine, reference = reference_ratio(key, n_t, n_c, n_p)
        full_size = {"full": 1000 * 10, "default": 5000, "static": 5000}[key.value] * YEAR_STEPS
        projected = reference / (n_t * n_c * n_p) * full_size
        print(
            f"  {key.value:8} {n_t} steps x {n_c} consumers x {n_p} producers: engine "
            f"{engine * 1000:.1f} ms, reference {reference * 1000:.0f} ms, "
            f"ratio {reference / engine:.0f}x (reference projected on the year case: "
            f"{projected / 60:.0f} min)",
            flush=True,
        )
    seconds, lines = csv_read_month()
    print(
        f"\nCSV read of the demo month (10 consumers + 1 producer, {lines} lines, dynamic "
        f"coefficients): {seconds:.2f} s (median of 3)"
    )


if __name__ == "__main__":
    main()
