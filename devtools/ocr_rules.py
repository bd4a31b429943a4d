"""Which rule of ``policy.RULES`` decided each reading of a benchmark set (issue 13).

``bench/ocr_accuracy.py`` says how many fields are confident and right; a round that
wants more of them first needs to know what holds the others back. This tool reads
the benchmark's sets (the same seeded photos, generated into ``--workdir`` or reused
from it, each glyph set held out of the reader in turn) and records, per photo, the
reading, the deciding rule (``reader``'s debug record: no monkeypatching) and every
preprocessing variant's value, smallest margin and repairs, one JSON line each, then
prints per set the bench's counts and the exact fields held back, by rule (a repair's
name after ``repaired:``; ``@N/3`` = in how many variants)::

    .venv/bin/python devtools/ocr_rules.py /tmp/rules.jsonl --seed 138001 --count 50 \\
        --font all --level normal,hard --camera --workdir /tmp/w138001c

Photos are read one after the other in this process (one CPU); a photo's CPU time is
recorded too. A developer tool: messages in English.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "devtools"), str(ROOT / "bench")]

import ocr_accuracy as bench  # noqa: E402

from linkytool.ocr import PhotoError, read_photo  # noqa: E402
from linkytool.ocr.dotmatrix import use_template_fonts  # noqa: E402
from linkytool.ocr.font5x7 import FONTS  # noqa: E402


class Decisions(logging.Handler):
    """Keeps the arguments of ``reader``'s debug record of the last decision."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.last: tuple[Any, ...] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            self.last = record.args


def held_key(record: dict[str, Any]) -> str:
    """The rule that held an exact field back (a repair named with its variant count)."""
    rule = str(record["rule"])
    if rule != "repaired":
        return rule
    variants = record["variants"]
    repairs = sorted({r for v in variants for r in v["repairs"]})
    return "repaired:" + ",".join(
        f"{r}@{sum(r in v['repairs'] for v in variants)}/{len(variants)}" for r in repairs
    )


def read(path: Path, fonts: tuple[str, ...], decisions: Decisions) -> dict[str, Any]:
    """One photo's reading, rule and variants as a JSON-able record."""
    decisions.last = None
    started = time.process_time()
    with use_template_fonts(fonts):
        try:
            reading = read_photo(path)
        except PhotoError as error:
            return {"error": error.message, "cpu": time.process_time() - started}
    out: dict[str, Any] = {
        "screen": reading.screen.value,
        "value": reading.value,
        "confident": reading.confident,
        "confidence": reading.confidence,
        "lines": list(reading.lines),
        "cpu": time.process_time() - started,
        "rule": None,
        "variants": [],
    }
    if decisions.last is not None and reading.value is not None:
        _, variants, _, _, rule = decisions.last
        out["rule"] = rule
        out["variants"] = [
            {
                "value": v.value,
                "window": v.window,
                "margin": v.margin,
                "repairs": sorted(str(r) for r in v.repairs),
            }
            for v in variants
        ]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="JSON lines written (appended)")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=20, help="photos per set")
    parser.add_argument("--level", default="normal,hard")
    parser.add_argument("--font", default="all", help="a glyph set or 'all' (bench's six)")
    parser.add_argument("--geometry", default="default")
    parser.add_argument("--camera", action="store_true")
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args(argv)
    fonts = list(bench.DRAWN_FONTS) if args.font == "all" else [args.font]
    decisions = Decisions()
    log = logging.getLogger("linkytool.ocr.reader")
    log.addHandler(decisions)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    wrong = 0
    with args.out.open("a", encoding="utf-8") as out:
        for font in fonts:
            for level in args.level.split(","):
                folder = args.workdir / font / args.geometry / f"{level}{'-camera' * args.camera}"
                job = (folder, args.count, level, args.seed, font, args.geometry, args.camera)
                truths = bench.make_set(job)
                chosen = bench.reader_fonts(font if font in FONTS else None)
                tally, held = bench.Tally(), Counter[str]()
                for truth in truths:
                    path = folder / str(truth["file"])
                    record = read(path, chosen, decisions)
                    outcome = bench.Outcome(
                        record["cpu"],
                        error=record.get("error"),
                        screen=record.get("screen", ""),
                        value=record.get("value"),
                        confident=bool(record.get("confident")),
                    )
                    bench.score(tally, truth, path, outcome)
                    record.update(font=font, level=level, file=truth["file"])
                    record.update(kind=truth.get("kind"), truth=truth.get("value"))
                    out.write(json.dumps(record) + "\n")
                    exact = record.get("screen") == truth.get("kind") and (
                        record.get("value") == truth.get("value")
                    )
                    if truth.get("kind") in bench.VALUE_KINDS and exact and not outcome.confident:
                        held[held_key(record)] += 1
                wrong += tally.confident_wrong
                print(
                    f"{font} {level}{' camera' * args.camera}: {tally.fields} fields, "
                    f"exact {tally.exact}, confident-right {tally.confident_right}, "
                    f"confident-wrong {tally.confident_wrong}",
                    flush=True,
                )
                for line in tally.wrong:
                    print("  " + line)
                for key, count in held.most_common():
                    print(f"  held {count:3d}  {key}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
