"""Every pinned photo read as shipped, its font held out: the confident-wrong ones (issue 13).

Many pins of ``tests/data/ocr-pinned`` read their photo with an earlier round's
settings (``nine_pitch_background``, ``panel_rules_off``, ``lattice_rules_off``), so
that the rule they pin shows on the darkness map, panel or lattice it was set on. The
suite then never reads those photos as the reader ships: a later change can make one
confidently wrong unseen (stop 51: ``x11_5x7-hard-16-86532.jpg``, found by ocr51b).
This reads each pin as ``bench/ocr_accuracy.py --font FONT`` would (the pin's font left
out of the templates; the level's mix: the shipped reader), prints one line a photo and
exits 1 when any reading is confident and wrong. About a minute of CPU: run it before
merging a reader change, not in the suite::

    .venv/bin/python devtools/ocr_pins_audit.py

A developer tool: messages in English.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import ocr_accuracy as bench  # noqa: E402

from linkytool.ocr import read_photo  # noqa: E402
from linkytool.ocr.dotmatrix import use_template_fonts  # noqa: E402

PINNED = ROOT / "tests" / "data" / "ocr-pinned"


def main() -> int:
    pins = json.loads((PINNED / "pins.json").read_text(encoding="utf-8"))["photos"]
    wrong = 0
    for pin in pins:
        font = pin["font"]
        with use_template_fonts(bench.reader_fonts(font if font in bench.FONTS else None)):
            reading = read_photo(PINNED / pin["file"])
        bad = reading.confident and reading.value != pin["value"]
        wrong += bad
        verdict = "sure" if reading.confident else "to confirm"
        print(
            f"{pin['file']:<40} truth {pin['value']!r:<22} read {reading.value!r:<22} "
            f"{verdict}{'  CONFIDENT-WRONG' if bad else ''}",
            flush=True,
        )
    print(f"{len(pins)} pinned photos, {wrong} confident-wrong")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
