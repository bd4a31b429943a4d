"""Tesseract in this process (libtesseract) against the tesseract command, side by side.

    .venv/bin/python bench/ocr_engine_ways.py [--rounds 7]

The same checkout runs both ways (``LINKYTOOL_TESSERACT=command`` selects the command),
in interleaved rounds so both see the same load. Timed end to end, process start
included, as a user runs them:

- ``linkytool ocr`` on one demo photo (the model is loaded once either way);
- ``linkytool ocr`` on the three demo photos (PRM, date, index);
- ``linkytool mes import-photos`` on a copy of the demo dossier (its three photos).

Prints, per command and way, the median wall time [s] and CPU time [s] (the process and
its children: the command's tesseract processes count), the ratio library / command,
whether both ways printed the same thing, and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / ".venv" / "bin" / "linkytool"
PHOTOS = ROOT / "linkytool" / "samples" / "photos"
DOSSIER = ROOT / "linkytool" / "samples" / "dossier"
DEMO = [PHOTOS / f"demo-{name}.jpg" for name in ("prm", "date", "index")]
WAYS = ("library", "command")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(arguments: list[str], way: str, cwd: Path) -> tuple[float, float, str]:
    """(wall [s], CPU [s], stdout) of one command run the given way."""
    env = dict(os.environ)
    env.pop("LINKYTOOL_TESSERACT", None)
    if way == "command":
        env["LINKYTOOL_TESSERACT"] = "command"
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(arguments, check=False, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(arguments)} failed ({done.returncode}): {done.stderr}")
    return wall, _children_cpu() - before, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ocr-ways-"))
    try:
        cases: dict[str, tuple[list[str], Path]] = {
            "ocr 1 photo": ([str(BINARY), "ocr", str(DEMO[0])], work),
            "ocr 3 photos": ([str(BINARY), "ocr", *map(str, DEMO)], work),
        }
        for way in WAYS:
            folder = work / way
            shutil.copytree(DOSSIER, folder / "dossier")
            shutil.copytree(PHOTOS, folder / "photos")
        load_before = os.getloadavg()[0]
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        outputs: dict[tuple[str, str], set[str]] = {}
        for _ in range(options.rounds):
            for case, (arguments, cwd) in cases.items():
                for way in WAYS:
                    wall, cpu, out = _run(arguments, way, cwd)
                    times.setdefault((case, way), []).append((wall, cpu))
                    outputs.setdefault((case, way), set()).add(out)
            for way in WAYS:
                dossier = work / way / "dossier" / "demo.toml"
                arguments = [str(BINARY), "mes", "import-photos", str(dossier)]
                wall, cpu, out = _run(arguments, way, work / way)
                times.setdefault(("mes import-photos", way), []).append((wall, cpu))
                outputs.setdefault(("mes import-photos", way), set()).add(
                    out.replace(str(work / way), "")
                )
        print(
            f"{options.rounds} interleaved rounds, medians; load average (1 min) "
            f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after; 2 ways of one checkout"
        )
        print(f"  {'command run':22} {'way':8} {'wall [s]':>9} {'CPU [s]':>8}  library/command")
        for case in (*cases, "mes import-photos"):
            medians = {}
            for way in WAYS:
                runs = times[(case, way)]
                medians[way] = (
                    statistics.median(w for w, _ in runs),
                    statistics.median(c for _, c in runs),
                )
            for way in WAYS:
                wall, cpu = medians[way]
                ratio = ""
                if way == "library":
                    ratio = (
                        f"wall {wall / medians['command'][0]:.2f}, "
                        f"CPU {cpu / medians['command'][1]:.2f}"
                    )
                print(f"  {case:22} {way:8} {wall:9.3f} {cpu:8.3f}  {ratio}")
            same = outputs[(case, "library")] == outputs[(case, "command")]
            print(f"  {'':22} same output both ways: {'yes' if same else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
