"""Speed of ``linkytool ocr PHOTO`` as a user sees it: process start included.

For every photo of the set, in interleaved rounds (the machine is shared and noisy: every
checkout sees the same load), this times

- ``linkytool ocr PHOTO`` end to end in a fresh process (the console script's code, with
  the checkout's bytecode compiled first, as ``pip install`` does), exit code and output
  kept to compare checkouts;
- ``read_photo(PHOTO)`` in a long-lived process of the same checkout (imports and
  tesseract's first check paid once, before timing): the reader alone.

Photos: the committed samples (``linkytool/samples/photos``, images under ``tests/data``)
and ``--count`` synthetic photos per ``--level`` drawn with the seeded generator ``ocrsynth`` (seed
``--seed``; the default is held out: the reader was never profiled on it).

``--ref DIR`` times another checkout side by side (e.g. ``git worktree add
/tmp/ref-main main``); both run with this checkout's ``.venv`` (same dependencies), each
importing its own ``linkytool`` (checked). Prints per checkout the medians per photo
(all, samples, synthetic), the in-process median, the ratio to the reference, whether
both checkouts printed the same thing for every photo, and the load average.

    .venv/bin/python bench/ocr_speed.py [--rounds 3] [--count 4] [--level normal,hard]
        [--seed 7310] [--ref /tmp/ref-main] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
#: Goal of issue 13: median seconds per photo, end to end, on the 2-core machine.
GOAL_S = 1.0
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff"}

#: The console script ``linkytool`` (see pyproject's [project.scripts]).
CLI_CODE = "import sys; from linkytool.__main__ import main; sys.argv[0] = 'linkytool'; main()"

#: A long-lived reader: one line of JSON (path list) in, one line of seconds out.
INPROCESS_CODE = """
import hashlib, io, json, sys, time
from PIL import Image
from linkytool.ocr import PhotoError, read_photo
from linkytool.ocr.engine import ensure_engine
import linkytool
ensure_engine()
print(json.dumps(linkytool.__file__), flush=True)
for line in sys.stdin:
    path = json.loads(line)
    started = time.perf_counter()
    try:
        reading = read_photo(path)
    except PhotoError as error:
        seconds, result = time.perf_counter() - started, {"error": error.message}
    else:
        seconds, result = time.perf_counter() - started, reading.as_dict()
        if reading.crop is not None:  # the rectified panel's pixels, not its PNG bytes
            pixels = Image.open(io.BytesIO(reading.crop)).tobytes()
            result["crop_sha1"] = hashlib.sha1(pixels).hexdigest()
    print(json.dumps([seconds, result]), flush=True)
"""


@dataclass
class Checkout:
    """One source tree timed (this one or the reference)."""

    name: str
    root: Path
    cli: dict[str, list[float]] = field(default_factory=dict)
    #: CPU seconds (user + system) of each CLI run, tesseract included: less noisy than
    #: the wall time on a loaded machine.
    cpu: dict[str, list[float]] = field(default_factory=dict)
    inprocess: dict[str, list[float]] = field(default_factory=dict)
    outputs: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: ``read_photo``'s result per photo (``as_dict()`` + the crop's pixel hash).
    readings: dict[str, object] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        """Environment importing this checkout's ``linkytool`` first."""
        return {**os.environ, "PYTHONPATH": str(self.root), "PYTHONDONTWRITEBYTECODE": "1"}


def synthetic_photos(workdir: Path, levels: list[str], count: int, seed: int) -> list[Path]:
    """``count`` generated photos per level (generated once, shared by the checkouts)."""
    sys.path.insert(0, str(ROOT / "devtools"))  # the generator (not in the wheel)
    from ocrsynth import generate_set

    photos: list[Path] = []
    for level in levels:
        out = workdir / f"{level}-seed{seed}-count{count}"
        if not (out / "truth.json").is_file():
            generate_set(out, count, level, seed)
        photos.extend(sorted(out.glob(f"{level}-*.jpg"))[:count])
    return photos


def sample_photos() -> list[Path]:
    """The committed sample photos (every image file; the broken ones time their error)."""
    found: list[Path] = []
    for folder in (ROOT / "linkytool" / "samples" / "photos", ROOT / "tests" / "data"):
        found.extend(p for p in sorted(folder.rglob("*")) if p.suffix.lower() in IMAGE_SUFFIXES)
    return found


def time_cli(checkout: Checkout, photo: Path) -> None:
    """One end-to-end run of ``linkytool ocr PHOTO`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [str(PYTHON), "-c", CLI_CODE, "ocr", str(photo)],
        env=checkout.env(),
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    checkout.cli.setdefault(str(photo), []).append(elapsed)
    checkout.cpu.setdefault(str(photo), []).append(cpu)
    checkout.outputs[str(photo)] = (result.returncode, result.stdout)


def start_reader(checkout: Checkout) -> subprocess.Popen[str]:
    """The checkout's long-lived in-process reader (checks which linkytool it imports)."""
    process = subprocess.Popen(
        [str(PYTHON), "-c", INPROCESS_CODE],
        env=checkout.env(),
        cwd=tempfile.gettempdir(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    imported = Path(json.loads(process.stdout.readline())).resolve()
    if checkout.root.resolve() not in imported.parents:
        raise SystemExit(f"{checkout.name}: imports {imported}, not {checkout.root}")
    return process


def time_inprocess(process: subprocess.Popen[str], checkout: Checkout, photo: Path) -> None:
    """One ``read_photo`` in the checkout's long-lived process."""
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(str(photo)) + "\n")
    process.stdin.flush()
    seconds, reading = json.loads(process.stdout.readline())
    checkout.inprocess.setdefault(str(photo), []).append(seconds)
    checkout.readings[str(photo)] = reading


def median_of_medians(times: dict[str, list[float]], photos: list[Path]) -> float:
    """Median over ``photos`` of each photo's median time [s]."""
    values = [statistics.median(times[str(p)]) for p in photos if str(p) in times]
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per photo (default 3)")
    parser.add_argument("--count", type=int, default=4, help="synthetic photos per level")
    parser.add_argument("--level", default="normal,hard", help="generator levels")
    parser.add_argument("--seed", type=int, default=7310, help="generator seed (held out)")
    parser.add_argument("--ref", type=Path, help="another checkout to time side by side")
    parser.add_argument("--workdir", type=Path, help="keep the generated photos here")
    parser.add_argument("--no-samples", action="store_true", help="synthetic photos only")
    parser.add_argument(
        "--photos",
        type=Path,
        nargs="+",
        default=[],
        help="time these photos or folders (recursively) too, e.g. a benchmark's --workdir",
    )
    parser.add_argument(
        "--no-cli",
        action="store_true",
        help="in-process reads only (quick check that both checkouts read the same)",
    )
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="linkytool-ocr-speed-"))
    levels = [name.strip() for name in args.level.split(",") if name.strip()]
    samples = [] if args.no_samples else sample_photos()
    synthetic = synthetic_photos(workdir, levels, args.count, args.seed) if args.count else []
    synthetic += [
        photo
        for source in args.photos
        for photo in (sorted(source.rglob("*")) if source.is_dir() else [source])
        if photo.suffix.lower() in IMAGE_SUFFIXES
    ]
    photos = samples + synthetic
    checkouts = [Checkout("this", ROOT)]
    if args.ref is not None:
        checkouts.append(Checkout("ref", args.ref.resolve()))
    for checkout in checkouts:  # as pip install does: no compile cost in the timings
        compileall.compile_dir(checkout.root / "linkytool", quiet=1)
    readers = {c.name: start_reader(c) for c in checkouts}
    for checkout in checkouts:  # warm-up: first read pays lazy imports
        time_inprocess(readers[checkout.name], checkout, photos[0])
        checkout.inprocess.clear()

    load_before = os.getloadavg()
    print(
        f"{len(samples)} sample + {len(synthetic)} synthetic photos ({args.level}, seed "
        f"{args.seed}), {args.rounds} rounds; checkouts: "
        + ", ".join(f"{c.name}={c.root}" for c in checkouts),
        flush=True,
    )
    for round_number in range(args.rounds):
        for index, photo in enumerate(photos):
            # alternate which checkout goes first
            order = checkouts if (index + round_number) % 2 == 0 else checkouts[::-1]
            for checkout in order:
                if not args.no_cli:
                    time_cli(checkout, photo)
                time_inprocess(readers[checkout.name], checkout, photo)
        print(f"round {round_number + 1}/{args.rounds} done, load {os.getloadavg()[0]:.1f}")
    load_after = os.getloadavg()
    for process in readers.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)

    header = (
        f"{'checkout':<9} {'e2e all':>8} {'samples':>8} {'synth':>8} {'in-proc':>8} "
        f"{'e2e p90':>8} {'e2e max':>8} {'vs ref':>7} {'e2e cpu':>8} {'cpu/ref':>8}"
    )
    print()
    print(
        "median seconds per photo (median of each photo's runs); e2e cpu: CPU seconds of "
        "the process and its tesseract"
    )
    print(header)
    print("-" * len(header))
    reference = checkouts[-1] if len(checkouts) > 1 else None
    ref_all = median_of_medians(reference.cli, photos) if reference else float("nan")
    ref_cpu = median_of_medians(reference.cpu, photos) if reference else float("nan")
    for checkout in checkouts:
        every = median_of_medians(checkout.cli, photos)
        worst = max((statistics.median(v) for v in checkout.cli.values()), default=float("nan"))
        each = sorted(statistics.median(v) for v in checkout.cli.values())
        p90 = each[min(len(each) - 1, round(0.9 * (len(each) - 1)))] if each else float("nan")
        ratio = f"{every / ref_all:.2f}" if reference else "—"
        cpu = median_of_medians(checkout.cpu, photos)
        cpu_ratio = f"{cpu / ref_cpu:.2f}" if reference else "—"
        print(
            f"{checkout.name:<9} {every:>8.2f} {median_of_medians(checkout.cli, samples):>8.2f} "
            f"{median_of_medians(checkout.cli, synthetic):>8.2f} "
            f"{median_of_medians(checkout.inprocess, photos):>8.2f} {p90:>8.2f} {worst:>8.2f} "
            f"{ratio:>7} "
            f"{cpu:>8.2f} {cpu_ratio:>8}"
        )
    print(f"goal: e2e median <= {GOAL_S} s per photo")
    if reference is not None:
        differ = [
            p.name
            for p in photos
            if checkouts[0].outputs.get(str(p)) != reference.outputs.get(str(p))
        ]
        if not args.no_cli:
            print(
                f"CLI outputs (exit code + stdout) identical on {len(photos) - len(differ)}/"
                f"{len(photos)} photos" + (f"; differ: {', '.join(differ)}" if differ else "")
            )
        unlike = [p for p in photos if checkouts[0].readings[str(p)] != reference.readings[str(p)]]
        print(
            f"readings (as_dict + crop pixels) identical on {len(photos) - len(unlike)}/"
            f"{len(photos)} photos"
        )
        for photo in unlike:
            print(f"  {photo}:\n    this {checkouts[0].readings[str(photo)]}")
            print(f"    ref  {reference.readings[str(photo)]}")
    print(
        "load average (1/5/15 min) before: "
        + " ".join(f"{v:.1f}" for v in load_before)
        + "; after: "
        + " ".join(f"{v:.1f}" for v in load_after)
        + f"; {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
