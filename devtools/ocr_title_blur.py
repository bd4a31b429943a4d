"""Measure the title's letters as a blur model for the digit templates (issue 13, ocrB).

For each photo of a benchmark ``--workdir`` (``bench/ocr_accuracy.py`` layout: FONT/
default/LEVEL/*.jpg and truth.json), read by the reader built without its font (as the
leave-one-font-out benchmark does), every variant's value cells are judged twice: with
the templates as they are (the reader's own digit costs, after ``reconsidered``) and with
the templates drawn as the panel draws its title letters. The model, fitted on the title
letters (each against its nearest glyph of the character the cell reads): a dot shows
``level + gain * (lit + spread * lit side neighbours)``, clipped to [0, 1]; ``spread`` on
a 0.05 grid up to 0.5, ``level`` and ``gain`` by least squares. Printed per font: the
fitted model (medians), how many digit cells' policy margin (``panel_margins``) grows or
shrinks, the thin cells (margin under ``Settings.confident_margin``) the model frees and
whether any freed or sure cell reads the wrong digit, and the value fields whose every
cell is sure, each way. Nothing here changes the reader.

Usage (from the repository root, a tree whose photos exist)::

    PYTHONPATH=$PWD .venv/bin/python devtools/ocr_title_blur.py WORKDIR --level hard [--limit N]
    # camera model photos: --level hard-camera
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkytool.ocr import dotmatrix as dm  # noqa: E402
from linkytool.ocr import reader, valuecells  # noqa: E402
from linkytool.ocr.font5x7 import COLS, ROWS  # noqa: E402
from linkytool.ocr.settings import SETTINGS  # noqa: E402

FONTS = ("hd44780", "alt", "x11_5x7", "x11_5x8", "plain", "tailed")
SPREADS = np.arange(0.0, 0.51, 0.05)
CAPTURED: list[tuple[Any, Any]] = []


def _spy() -> None:
    original = reader.read_value

    def read_value(read: Any, kind: Any, first: bool) -> Any:
        out = original(read, kind, first)
        CAPTURED.append((read, out))
        return out

    reader.read_value = read_value  # type: ignore[assignment]


def fit_model(cells: np.ndarray, chars: list[str], fonts: tuple[str, ...]) -> tuple[float, ...]:
    """(spread, level, gain) of the title letters, or () without 3 letters."""
    table = dm.templates(fonts)
    names = np.asarray(table.chars)
    picked, glyphs = [], []
    for cell, char in zip(cells, chars, strict=False):
        mask = (names == char) & (table.penalties == 0)
        if not char.isalpha() or not mask.any():
            continue
        options = table.vectors[mask]
        picked.append(cell)
        glyphs.append(options[np.argmin(np.abs(options - cell).sum(axis=1))])
    if len(picked) < 3:
        return ()
    observed = np.asarray(picked).reshape(-1)
    drawn = np.asarray(glyphs).reshape(-1, ROWS, COLS)
    padded = np.pad(drawn, ((0, 0), (0, 0), (1, 1)))
    sides = (padded[:, :, :-2] + padded[:, :, 2:]).reshape(-1)
    best: tuple[float, ...] = ()
    best_residual = np.inf
    for spread in SPREADS:
        x = drawn.reshape(-1) + spread * sides
        (level, gain), *_ = np.linalg.lstsq(
            np.stack([np.ones_like(x), x], axis=1), observed, rcond=None
        )
        residual = float(np.abs(np.clip(level + gain * x, 0, 1) - observed).sum())
        if residual < best_residual:
            best, best_residual = (float(spread), float(level), float(gain)), residual
    return best


def seen_costs(
    cells: np.ndarray, model: tuple[float, ...], fonts: tuple[str, ...], designs: bool
) -> tuple[tuple[str, ...], np.ndarray]:
    """``dotmatrix.char_distances`` with each row pattern as the panel shows it."""
    spread, level, gain = model
    rows = dm.ROW_PATTERNS.astype(np.float64)
    padded = np.pad(rows, ((0, 0), (1, 1)))
    seen = np.clip(level + gain * (rows + spread * (padded[:, :-2] + padded[:, 2:])), 0, 1)
    plain = np.abs(cells.reshape(len(cells), ROWS, 1, COLS) - seen[None, None]).sum(axis=3)
    moved = np.minimum(plain[:, :, dm._RIGHT], plain[:, :, dm._LEFT]) + SETTINGS.row_shift_cost
    flat = np.minimum(plain, moved).reshape(len(cells), -1)
    table = dm.templates(fonts, designs=designs)
    columns = table.row_ids + np.arange(ROWS) * len(rows)
    raw = sum(flat[:, columns[:, row]] for row in range(ROWS)) + table.penalties
    return table.unique, np.minimum.reduceat(raw, table.starts, axis=1)


def judge(truth: dict[str, Any], tally: Counter[str], models: list[tuple[float, ...]]) -> None:
    """Tally one photo's value cells (every variant), raw and seen through the model."""
    fonts = dm.template_fonts()
    sure = {"raw": True, "seen": True}
    any_cell = False
    for read, out in CAPTURED:
        if not out.cells:
            continue
        every = read.grid.cells.reshape(-1, 35)
        at = [valuecells.cell_index(c) for c in out.cells]
        cells, shapes = every[at], read.shape_dots.reshape(-1, 35)[at]
        title = [cell.char for cell in read.lines[0]]
        letters = dm.letters_fit(read.lines[0])
        model = fit_model(every[:16], title, fonts)
        if letters is None or not model:
            sure = {"raw": False, "seen": False}
            continue
        models.append(model)
        costs, _, _ = valuecells.digit_costs(read, out.cells)
        drawn_off = dm.panel_drawn_off(every[:16], read.lines[0], read.font)
        chars, title_costs = seen_costs(every[:16], model, fonts, False)
        fits = [
            title_costs[i, chars.index(c)]
            for i, c in enumerate(title)
            if c.isalpha() and c in chars
        ]
        chars, digit = seen_costs(cells, model, fonts, True)
        seen = digit[:, [chars.index(d) for d in dm.DIGITS]]
        raw_margin = dm.panel_margins(cells, costs, letters, drawn_off, shapes)
        seen_margin = dm.panel_margins(cells, seen, float(np.median(fits)), drawn_off, shapes)
        for i, (line, column) in enumerate(out.cells):
            shown = truth["lines"][line][column]
            if not shown.isdigit():
                continue
            any_cell = True
            right = dm.DIGITS.index(shown)
            raw_ok = raw_margin[i] >= SETTINGS.confident_margin
            seen_ok = seen_margin[i] >= SETTINGS.confident_margin
            tally["cells"] += 1
            tally["margin grows"] += seen_margin[i] > raw_margin[i]
            tally["margin shrinks"] += seen_margin[i] < raw_margin[i]
            tally["thin raw"] += not raw_ok
            tally["thin raw, freed right"] += not raw_ok and seen_ok and np.argmin(seen[i]) == right
            tally["sure raw, thin seen"] += raw_ok and not seen_ok
            tally["wrong digit, sure raw"] += raw_ok and np.argmin(costs[i]) != right
            tally["wrong digit, sure seen"] += seen_ok and np.argmin(seen[i]) != right
            sure["raw"] &= bool(raw_ok)
            sure["seen"] &= bool(seen_ok)
    if any_cell:
        tally["fields"] += 1
        tally["fields every cell sure, raw"] += sure["raw"]
        tally["fields every cell sure, seen"] += sure["seen"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--font", default="all")
    parser.add_argument("--level", default="hard")
    parser.add_argument("--limit", type=int, default=10**6)
    args = parser.parse_args()
    _spy()
    for font in FONTS if args.font == "all" else tuple(args.font.split(",")):
        folder = args.workdir / font / "default" / args.level
        entries = json.loads((folder / "truth.json").read_text())
        entries = entries["photos"] if isinstance(entries, dict) else entries
        tally: Counter[str] = Counter()
        models: list[tuple[float, ...]] = []
        kept = (e for e in entries if e.get("kind") in ("prm", "date", "injection_index"))
        for entry in list(kept)[: args.limit]:
            CAPTURED.clear()
            with dm.use_template_fonts(tuple(f for f in dm.template_fonts() if f != font)):
                try:
                    reader.read_photo(folder / entry["file"])
                except Exception:  # a photo the reader refuses: nothing to judge
                    continue
                judge(entry, tally, models)
        median = np.median(np.asarray(models), axis=0) if models else ()
        print(
            font, "model (spread, level, gain) median", np.round(median, 2), dict(tally), flush=True
        )


if __name__ == "__main__":
    main()
