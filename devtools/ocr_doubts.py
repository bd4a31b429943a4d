"""Why a photo's value is doubted: each variant's digit cells as the doubts see them (issue 13).

``devtools/ocr_rules.py`` says which rule of ``policy.RULES`` held a reading; this tool
opens the unfamiliar-digits doubt (``dotmatrix.unfamiliar_digits``), the one that holds
most exact camera fields (ocr47b, ocr48a, ocr49a each wrote it again outside the tree).
Each photo is read with ``FONT`` left out of the templates (as ``bench/ocr_accuracy.py
--font FONT`` does; ``none``: the shipped reader), and for every preprocessing variant
it prints the value's digit cells: the nearest digits and their distances [dots], the
misfit to the title letters, the panel's margin (``panel_margins``), the sure dots
contradicting each digit (``sure_dot_misses``), the cell's raw ink contrast over the
value's median (a highlight or a shade dims it), and whether the doubt marks the cell
(``ODD``) and what answers it (``sure`` for ``sure_dots_decide``, ``vouched`` for
``vouched_digits``). Marked cells (and cells under the confident margin) are drawn:
``#`` >= 0.85, ``+`` >= 0.5, ``-`` > 0.15, ``.`` below::

    .venv/bin/python devtools/ocr_doubts.py x11_5x8 /tmp/w/x11_5x8/default/normal-camera/\\
        normal-0011.jpg

A developer tool: messages in English.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import ocr_accuracy as bench  # noqa: E402

from linkytool.ocr import dotmatrix, read_photo, reader, valuecells  # noqa: E402
from linkytool.ocr.dotmatrix import DIGITS, use_template_fonts  # noqa: E402
from linkytool.ocr.settings import SETTINGS  # noqa: E402


def drawn(cell: np.ndarray) -> list[str]:
    """The 7 rows of a cell's 35 samples as text."""
    marks = [(0.85, "#"), (0.5, "+"), (0.15, "-")]
    return [
        "".join(next((m for level, m in marks if v >= level), ".") for v in cell[r * 5 : r * 5 + 5])
        for r in range(7)
    ]


def show_variant(read: Any, kind: Any, value: Any) -> None:
    """Print one variant's value cells and what the unfamiliar-digits doubt makes of them."""
    print(
        f"  variant window {read.variant.window} channel {read.variant.channel}: "
        f"{value.value} margin {value.margin} repairs {sorted(str(r) for r in value.repairs)}"
    )
    _, match = valuecells.parse_read(read, kind)
    letters = dotmatrix.letters_fit(read.lines[0])
    if match is None or letters is None or not match.cells:
        print("    (no value cells, or too few title letters to compare with)")
        return
    evidence = valuecells.digit_evidence(read, match.cells)
    at, cells, shapes = evidence.at, evidence.dots, evidence.shapes
    costs, drawn_off = evidence.costs, evidence.drawn_off
    margin = dotmatrix.panel_margins(cells, costs, letters, drawn_off, shapes)
    odd = dotmatrix._unfamiliar_cells(
        costs,
        letters,
        margin,
        excess=SETTINGS.digit_fit_excess,
        slack=SETTINGS.unfamiliar_margin_slack,
        cap=SETTINGS.unfamiliar_excess_cap,
    )
    sure = dotmatrix.sure_dots_decide(cells, costs, letters)
    vouched = dotmatrix.vouched_digits(cells, costs, letters, drawn_off, shapes)
    misses = dotmatrix.sure_dot_misses(cells)
    ink = read.grid.ink.reshape(-1)[at]
    share = ink / max(float(np.median(ink)), 1e-9)
    print(f"    letters fit {letters:.2f}, drawn off {drawn_off}, sharp {read.sharp}")
    for i, (line, column) in enumerate(match.cells):
        order = np.argsort(costs[i])[:3]
        near = ", ".join(f"{DIGITS[j]} {costs[i, j]:.2f} ({misses[i, j]} sure)" for j in order)
        answers = [name for name, on in (("sure", sure[i]), ("vouched", vouched[i])) if on]
        flag = "ODD" if odd[i] else "   "
        print(
            f"    {flag} ({line},{column}) {near}; misfit {costs[i, order[0]] - letters:.2f}, "
            f"margin {margin[i]:.2f}, ink {share[i]:.2f}"
            + (f", answered: {'+'.join(answers)}" if odd[i] and answers else "")
        )
        if odd[i] or margin[i] < SETTINGS.confident_margin:
            for row in drawn(cells[i]):
                print("          " + row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("font", help="glyph set left out of the templates, or 'none'")
    parser.add_argument("photos", nargs="+", type=Path)
    args = parser.parse_args(argv)
    seen: list[tuple[Any, Any, Any]] = []
    read_value = reader.read_value

    def spy(read: Any, kind: Any, first: bool) -> Any:
        value = read_value(read, kind, first)
        seen.append((read, kind, value))
        return value

    reader.read_value = spy  # type: ignore[assignment]
    fonts = bench.reader_fonts(None if args.font == "none" else args.font)
    for photo in args.photos:
        seen.clear()
        with use_template_fonts(fonts):  # the cells judged under the same templates
            reading = read_photo(photo)
            verdict = "sure" if reading.confident else "to confirm"
            print(f"{photo}: {reading.screen.value} {reading.value} ({verdict}) {reading.lines}")
            for read, kind, value in seen:
                show_variant(read, kind, value)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
