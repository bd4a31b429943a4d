"""OCR accuracy benchmark: synthetic Linky photos per glyph set and difficulty level
(+ real photos).

Usage (from the repository root)::

    .venv/bin/python bench/ocr_accuracy.py                  # 4 levels x 80 photos
    .venv/bin/python bench/ocr_accuracy.py --count 20 --level normal,hard
    # leave-one-font-out: each glyph set's photos read by a reader built without it
    .venv/bin/python bench/ocr_accuracy.py --font all --level normal,hard --jobs 2
    .venv/bin/python bench/ocr_accuracy.py --font all --camera  # + the camera model
    .venv/bin/python bench/ocr_accuracy.py --font all --geometry wide --level normal,hard
    .venv/bin/python bench/ocr_accuracy.py --real DIR       # DIR: photos + truth.json

Photos come from the seeded synthetic generator (``ocrsynth``), so a run is
reproducible. ``--font NAME|all`` draws every photo with that glyph set (or each set in
turn) and builds the reader's classifier without it (``use_template_fonts``: the
templates and the font detection choose among the other sets only). ``--jobs N`` reads
the photos in N processes (the rows are the same; only the wall time changes);
``--workdir DIR`` keeps the photos and reuses a set already generated there with the
same seed and count. ``--templates all`` builds the reader from every glyph set of
``font5x7`` (not only the shipped ``Settings.fonts``) before leaving the row's out: what
a larger template table would give, not the shipped reader. ``--geometry wide`` draws
the panels from the generator's wide geometry range. Real photos: ``--real DIR``, or by
default every photo under ``../shared/samples-real/photos/`` (with a ``truth.json`` next
to it) when that folder exists, read by the reader as shipped. Printed per font and
level:

* fields: photos showing a PRM / date / injection-index screen;
* exact: the value returned equals the truth (whatever its confidence);
* confident-right: confident and right (usable without the user);
* to-confirm: flagged "à confirmer" (or screen not recognised);
* conf-wrong: confident but wrong value or screen kind (must be 0);
* kind: screen kind right, over every photo of the level (other / not-a-Linky included);
* median s/photo: wall time of ``read_photo`` (load average printed: shared machine).

A second table gives the same counts over the fields a person can read at all: drawn
photos whose weakest digit stands at least ``LEGIBLE_CONTRAST`` noise standard
deviations over the unlit dots (``ocrsynth.legibility``; some ``hard`` draws show no
readable digit). The first table, over every photo, stays the reference: its conf-wrong
counts every photo, the second's only the legible ones.

A third table splits each level's value fields (every font together) by the panel's dot
pitch in the photo as drawn (``params.dot_pitch_px``): under 4 px the reader asks the
user to step closer (``linkytool.ocr.framing``), and most of the hard level's held
fields are there.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "devtools"))  # the synthetic-photo generator (not in the wheel)

from linkytool.ocr import PhotoError, read_photo  # noqa: E402
from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts  # noqa: E402
from linkytool.ocr.font5x7 import FONTS  # noqa: E402
from ocrsynth import LEVELS, generate_set  # noqa: E402
from ocrsynth.legibility import LEGIBLE_CONTRAST, value_legible  # noqa: E402
from ocrsynth.meter import GEOMETRIES  # noqa: E402
from ocrsynth.truth import load_truth  # noqa: E402

REAL_PHOTOS = ROOT.parent / "shared" / "samples-real" / "photos"
#: The glyph sets ``--font all`` draws photos with, each held out in turn: the shipped
#: HD44780-style, alternative and X11 sets and the two designs no template holds. Sets
#: only the reader holds (``spleen_5x8``) can still be named alone with ``--font``.
DRAWN_FONTS = ("hd44780", "alt", "x11_5x7", "x11_5x8", "plain", "tailed")
VALUE_KINDS = {"prm", "date", "injection_index"}


@dataclass
class Tally:
    """Counts of one level."""

    photos: int = 0
    fields: int = 0
    exact: int = 0
    confident_right: int = 0
    to_confirm: int = 0
    confident_wrong: int = 0
    kind_right: int = 0
    errors: int = 0
    seconds: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    #: Photos not read confidently right (listed with --verbose).
    misses: list[str] = field(default_factory=list)
    #: Fields of photos a person can read (``ocrsynth.legibility``), and their counts.
    legible_fields: int = 0
    legible_exact: int = 0
    legible_confident_right: int = 0
    legible_confident_wrong: int = 0
    #: Value fields by the band of the panel's dot pitch in the photo: [fields, exact,
    #: confident-right] (``pitch_band``).
    by_pitch: dict[str, list[int]] = field(default_factory=dict)


#: Bands of the generator's dot pitch in the photo [photo px] (``params.dot_pitch_px``,
#: before perspective), upper bounds: under 4 px the reader adds its advice to step
#: closer (``Settings.small_screen_pitch``, ``linkytool.ocr.framing``).
PITCH_BANDS = ((3.0, "< 3 px"), (4.0, "3-4 px"), (5.0, "4-5 px"), (float("inf"), ">= 5 px"))


def pitch_band(truth: dict[str, object]) -> str | None:
    """The :data:`PITCH_BANDS` label of a photo's dot pitch, None when the truth has none
    (a real photo, a photo with no panel drawn)."""
    params = truth.get("params")
    pitch = params.get("dot_pitch_px") if isinstance(params, dict) else None
    if not isinstance(pitch, (int, float)):
        return None
    return next(label for bound, label in PITCH_BANDS if pitch < bound)


@dataclass(frozen=True)
class Outcome:
    """What the reader returned for one photo (picklable: built in a worker process)."""

    seconds: float
    error: str | None = None
    screen: str = ""
    value: str | None = None
    confident: bool = False
    confidence: float = 0.0
    lines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def read_one(task: tuple[tuple[str, ...], str]) -> Outcome:
    """Read photo ``task[1]`` with the reader built from glyph sets ``task[0]``."""
    fonts, name = task
    started = time.perf_counter()
    with use_template_fonts(fonts):
        try:
            reading = read_photo(Path(name))
        except PhotoError as error:
            return Outcome(time.perf_counter() - started, error=error.message)
    return Outcome(
        time.perf_counter() - started,
        screen=reading.screen.value,
        value=reading.value,
        confident=reading.confident,
        confidence=reading.confidence,
        lines=tuple(reading.lines),
        warnings=tuple(reading.warnings),
    )


def legible(truth: dict[str, object], path: Path) -> bool:
    """Whether a person can read the value of a value photo (True for a photo the
    measure does not apply to: no dot area drawn, a real photo)."""
    if truth.get("kind") not in VALUE_KINDS or not truth.get("text_quad"):
        return True
    with Image.open(path) as image:
        return value_legible(image, truth)


def score(
    tally: Tally, truth: dict[str, object], path: Path, outcome: Outcome, readable: bool = True
) -> None:
    """Count one photo's reading (``readable``: a person can read its value)."""
    if truth.get("kind") in VALUE_KINDS and readable:
        right = outcome.error is None and (
            outcome.screen == truth.get("kind") and outcome.value == truth.get("value")
        )
        tally.legible_fields += 1
        tally.legible_exact += right
        tally.legible_confident_right += outcome.confident and right
        tally.legible_confident_wrong += outcome.confident and not right
    tally.photos += 1
    tally.seconds.append(outcome.seconds)
    band = pitch_band(truth) if truth.get("kind") in VALUE_KINDS else None
    if band is not None:
        right = outcome.error is None and (
            outcome.screen == truth.get("kind") and outcome.value == truth.get("value")
        )
        counts = tally.by_pitch.setdefault(band, [0, 0, 0])
        counts[0] += 1
        counts[1] += right
        counts[2] += outcome.confident and right
    if outcome.error is not None:
        tally.errors += 1
        if truth.get("kind") in VALUE_KINDS:
            tally.fields += 1
            tally.to_confirm += 1
        if not truth.get("expect_error"):
            tally.wrong.append(f"{path.name}: unexpected error {outcome.error}")
        return
    kind, value = truth.get("kind"), truth.get("value")
    kind_ok = outcome.screen == kind
    tally.kind_right += kind_ok
    if kind in VALUE_KINDS:
        tally.fields += 1
        right = kind_ok and outcome.value == value
        tally.exact += right
        if outcome.confident and right:
            tally.confident_right += 1
        elif outcome.confident:
            tally.confident_wrong += 1
            tally.wrong.append(f"{path.name}: CONFIDENT {outcome.value!r} != {value!r}")
        else:
            tally.to_confirm += 1
        if not (outcome.confident and right):
            tally.misses.append(
                f"{path.name}: {outcome.screen} {outcome.value!r} "
                f"(truth {kind} {value!r}) confident={outcome.confident} "
                f"conf={outcome.confidence} lines={outcome.lines!r} "
                f"warnings={list(outcome.warnings)!r}"
            )
    elif not kind_ok:
        tally.misses.append(f"{path.name}: {outcome.screen} for a {kind} photo")
    if kind not in VALUE_KINDS and outcome.confident:
        tally.confident_wrong += 1
        tally.wrong.append(f"{path.name}: CONFIDENT {outcome.screen} for a {kind} photo")


def make_set(job: tuple[Path, int, str, int, str | None, str, bool]) -> list[dict[str, object]]:
    """Generate one set (or reuse it: same seed and count in ``truth.json``): truths."""
    out, count, level, seed, font, geometry, camera = job
    truth_file = out / "truth.json"
    if truth_file.is_file():
        document = json.loads(truth_file.read_text(encoding="utf-8"))
        if document.get("seed") == seed and document.get("count") == count:
            truths = load_truth(truth_file)
            missing = [t.file for t in truths if not (out / t.file).is_file()]
            if not missing:
                return [t.to_dict() for t in truths]
            # a set cleared while an earlier run's generator was still writing it
            # (ocr50a, stop 50: the next run then failed on « Photo introuvable »)
            print(
                f"{out}: {len(missing)} photos of truth.json missing "
                f"({', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}): "
                "generated again",
                file=sys.stderr,
            )
    truths = generate_set(out, count, level, seed, font=font, geometry=geometry, camera=camera)
    return [t.to_dict() for t in truths]


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


def reader_fonts(held_out: str | None, every: bool = False) -> tuple[str, ...]:
    """The reader's template glyph sets (``every``: all of ``FONTS`` instead of the
    shipped ones) with ``held_out`` left out (None: none left out)."""
    base = tuple(FONTS) if every else template_fonts()
    return tuple(f for f in base if f != held_out)


def real_set(folder: Path) -> tuple[list[tuple[dict[str, object], Path]], str]:
    """(photos with their truth, note) of a folder of real photos and its truth.json."""
    if not folder.is_dir():
        return [], f"real photos: none ({folder} does not exist)"
    if not (folder / "truth.json").is_file():
        return [], f"real photos: {folder} has no truth.json: not scored"
    document = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    entries = document.get("photos", document) if isinstance(document, dict) else document
    return [(e, folder / e["file"]) for e in entries], f"real photos: {folder}"


def print_legible(results: list[tuple[str, str, Tally]]) -> None:
    """The second table: the counts over the fields a person can read."""
    print(
        f"fields a person can read (weakest digit >= {LEGIBLE_CONTRAST} noise sd, "
        "ocrsynth.legibility):"
    )
    header = (
        f"{'font':<9} {'level':<8} {'legible':>14} {'exact':>8} {'conf-right':>10} "
        f"{'conf-wrong':>10}"
    )
    print(header)
    print("-" * len(header))
    totals = Tally(
        fields=sum(t.fields for _, _, t in results),
        legible_fields=sum(t.legible_fields for _, _, t in results),
        legible_exact=sum(t.legible_exact for _, _, t in results),
        legible_confident_right=sum(t.legible_confident_right for _, _, t in results),
        legible_confident_wrong=sum(t.legible_confident_wrong for _, _, t in results),
    )
    for font, name, t in [*results, ("all", "", totals)]:
        share = f"{t.legible_fields}/{t.fields}"
        print(
            f"{font:<9} {name:<8} {share:>14} {pct(t.legible_exact, t.legible_fields):>8} "
            f"{pct(t.legible_confident_right, t.legible_fields):>10} "
            f"{t.legible_confident_wrong:>10}"
        )


def print_by_pitch(results: list[tuple[str, str, Tally]]) -> None:
    """The third table: each level's fields (every font) by the panel's dot pitch in the
    photo, which decides more than anything else whether a hard photo reads confidently
    (``linkytool.ocr.framing``; lead, stop 51)."""
    levels: dict[str, dict[str, list[int]]] = {}
    for _, name, t in results:
        for band, counts in t.by_pitch.items():
            total = levels.setdefault(name, {}).setdefault(band, [0, 0, 0])
            for i, n in enumerate(counts):
                total[i] += n
    if not levels:
        return
    print("value fields by the dot pitch in the photo (every font):")
    header = f"{'level':<8} {'pitch':<8} {'fields':>6} {'exact':>8} {'conf-right':>10}"
    print(header)
    print("-" * len(header))
    for name, bands in levels.items():
        for _, band in PITCH_BANDS:
            if band in bands:
                fields, exact, sure = bands[band]
                print(
                    f"{name:<8} {band:<8} {fields:>6} {pct(exact, fields):>8} "
                    f"{pct(sure, fields):>10}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=80, help="photos per level (default 80)")
    parser.add_argument(
        "--level",
        default=",".join(LEVELS),
        help=f"comma-separated levels (default: {','.join(LEVELS)})",
    )
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    parser.add_argument(
        "--font",
        help=f"glyph set held out and drawn: one of {', '.join(FONTS)}, or 'all' "
        "(default: the levels' own mix, reader as shipped)",
    )
    parser.add_argument(
        "--geometry", default="default", choices=GEOMETRIES, help="panel geometry range"
    )
    parser.add_argument(
        "--camera",
        action="store_true",
        help="add the camera degradation model (ocrsynth.camera) to the levels'",
    )
    parser.add_argument(
        "--real", type=Path, default=REAL_PHOTOS, help="folder of real photos + truth.json"
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep the generated photos here (and reuse them)"
    )
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes reading the photos (default 1)"
    )
    parser.add_argument(
        "--templates",
        default="shipped",
        choices=("shipped", "all"),
        help="glyph sets the reader is built from before the row's is left out: the "
        "shipped Settings.fonts (default) or every set of font5x7 (not the shipped reader)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list every photo not read confidently right",
    )
    args = parser.parse_args(argv)
    levels = [name.strip() for name in args.level.split(",") if name.strip()]
    for name in levels:
        if name not in LEVELS:
            parser.error(f"unknown level {name!r}")
    if args.font is not None and args.font != "all" and args.font not in FONTS:
        parser.error(f"unknown font {args.font!r}: one of {', '.join(FONTS)} or all")
    fonts: list[str | None] = (
        [None] if args.font is None else list(DRAWN_FONTS) if args.font == "all" else [args.font]
    )

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="linkytool-ocr-bench-"))
    jobs = []
    names: list[tuple[str, str, Path]] = []
    for font in fonts:
        for name in levels:
            out = workdir / (font or "mix") / args.geometry / f"{name}{'-camera' * args.camera}"
            jobs.append((out, args.count, name, args.seed, font, args.geometry, args.camera))
            names.append((font or "mix", name, out))
    load_before = os.getloadavg()[0]
    context = multiprocessing.get_context("spawn")
    with context.Pool(max(1, args.jobs)) as pool:
        made = pool.map(make_set, jobs)
        sets: list[tuple[str, str, list[tuple[dict[str, object], Path]]]] = [
            (font, name, [(t, out / str(t["file"])) for t in truths])
            for (font, name, out), truths in zip(names, made, strict=True)
        ]
        real, real_note = real_set(args.real)
        if real:
            sets.append(("shipped", "real", real))

        header = (
            f"{'font':<9} {'level':<8} {'photos':>6} {'fields':>6} {'exact':>8} "
            f"{'conf-right':>10} {'to-confirm':>10} {'conf-wrong':>10} {'kind':>8} "
            f"{'median s':>9}"
        )
        print(
            f"seed {args.seed}, {args.count} photos per level, geometry {args.geometry}"
            f"{', camera model' if args.camera else ''}, {args.jobs} jobs; "
            f"reader templates {','.join(reader_fonts(None, args.templates == 'all'))} "
            "minus the font of the row; "
            f"{real_note}"
        )
        print(header)
        print("-" * len(header), flush=True)
        results: list[tuple[str, str, Tally]] = []
        for font, name, photos in sets:
            tally = Tally()
            held_out = font if font in FONTS else None
            chosen = reader_fonts(held_out, args.templates == "all")
            tasks = [(chosen, str(path)) for _, path in photos]
            for (truth, path), outcome in zip(photos, pool.imap(read_one, tasks), strict=True):
                score(tally, truth, path, outcome, legible(truth, path))
            results.append((font, name, tally))
            t = tally
            median = statistics.median(t.seconds) if t.seconds else float("nan")
            print(
                f"{font:<9} {name:<8} {t.photos:>6} {t.fields:>6} {pct(t.exact, t.fields):>8} "
                f"{pct(t.confident_right, t.fields):>10} {pct(t.to_confirm, t.fields):>10} "
                f"{t.confident_wrong:>10} {pct(t.kind_right, t.photos):>8} {median:>9.2f}",
                flush=True,
            )
    load_after = os.getloadavg()[0]
    totals = Tally()
    for _, _, t in results:
        totals.fields += t.fields
        totals.exact += t.exact
        totals.confident_right += t.confident_right
        totals.to_confirm += t.to_confirm
        totals.confident_wrong += t.confident_wrong
    print(
        f"{'all':<9} {'':<8} {'':>6} {totals.fields:>6} {pct(totals.exact, totals.fields):>8} "
        f"{pct(totals.confident_right, totals.fields):>10} "
        f"{pct(totals.to_confirm, totals.fields):>10} {totals.confident_wrong:>10}"
    )
    print(
        f"load average (1 min) before/after: {load_before:.1f} / {load_after:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    print_legible(results)
    print_by_pitch(results)
    total_wrong = sum(t.confident_wrong for _, _, t in results)
    for font, name, t in results:
        shown = t.wrong + (t.misses if args.verbose else [])
        if shown and (args.verbose or t.confident_wrong):
            print(f"[{font} {name}]")
            for line in shown:
                print("  " + line)
    return 1 if total_wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
