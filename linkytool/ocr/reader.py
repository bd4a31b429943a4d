"""The photo reader: from a photo to a :class:`PhotoReading` (pipeline orchestration).

1. :mod:`loading`: safe decode at working size, EXIF time and orientation.
2. :mod:`locate`: LCD panel candidates (bright window inside the dark bezel).
3. :mod:`rectify`: perspective correction onto the 101 × 22 dot grid (both ways up).
4. :mod:`lcdgrid`: illumination/glare correction, grid alignment, dot sampling.
5. :mod:`dotmatrix`: nearest 5×7 template per cell, under several preprocessing
   variants; their agreement decides whether a value is confident.
6. :mod:`engine`: tesseract reads the title line; its words and the cells' words must
   name the same screen.
7. :mod:`grammar`: screen kind from title keywords, value parsing, digits re-decided
   among digits only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter, ImageOps

from linkytool.ocr import engine
from linkytool.ocr.dotmatrix import (
    DIGITS,
    FloatArray,
    WordMatch,
    char_distances,
    detect_fonts,
    number_digits,
    panel_drawn_off,
    reconsidered,
    value_margin,
)
from linkytool.ocr.grammar import (
    SPOT_OTHER_WORDS,
    SPOT_WORDS,
    FieldMatch,
    best_digits,
    classify_title,
    index_digits_plausible,
    nearest_digits,
    number_token,
    parse_references,
    parse_value,
)
from linkytool.ocr.imaging import median
from linkytool.ocr.lcdgrid import GridSample, resample
from linkytool.ocr.loading import open_photo
from linkytool.ocr.nogrid import TextGuess, guess_without_grid
from linkytool.ocr.panel import (
    VALUE_KINDS,
    VARIANTS,
    PanelChoice,
    PanelRead,
    classify_grid,
    find_panel,
    pooled_shapes,
    read_panel,
)
from linkytool.ocr.policy import Candidate, Repair, Verdict, confidence, decide, remarks
from linkytool.ocr.rectify import CHARS, PX_PER_DOT, homography
from linkytool.ocr.result import PhotoReading, ScreenKind, encode_png
from linkytool.ocr.settings import SETTINGS

LOG = logging.getLogger(__name__)


def _title_crop(panel: Image.Image, grid: GridSample) -> Image.Image:
    """Line 1 of the rectified panel, cleaned up for tesseract (dark text on white).

    Cut at the aligned dot grid (no bezel), dots merged into strokes by a blur, Otsu-like
    threshold by autocontrast, and a white margin around (tesseract wants one).
    """
    xs, ys = grid.centres
    pad = PX_PER_DOT
    box = (
        max(0, round(xs.min() - pad)),
        max(0, round(ys[0] - pad)),
        min(panel.width, round(xs.max() + pad)),
        min(panel.height, round(ys[6] + pad)),
    )
    crop = ImageOps.autocontrast(panel.convert("L").crop(box), cutoff=2)
    crop = crop.filter(ImageFilter.GaussianBlur(PX_PER_DOT * 0.45))
    crop = ImageOps.autocontrast(crop, cutoff=1)
    crop = crop.point(lambda v: 255 if v > 140 else 0)
    return ImageOps.expand(crop, border=2 * PX_PER_DOT, fill=255)


#: The area photographed above the screen, in panel widths/heights from the panel's
#: top-left corner: where the meter's engraved references (ADS number...) are.
REFERENCES_BOX = (-0.15, -2.9, 1.15, -0.55)
#: Size [px] of the rectified references area handed to tesseract.
REFERENCES_SIZE = (700, 330)


def references_crop(image: Image.Image, quad: npt.NDArray[np.float64]) -> Image.Image:
    """The area above the panel, rectified (engraved references), grey, autocontrast."""
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=np.float64)
    to_photo = homography(unit, quad)
    left, top, right, bottom = REFERENCES_BOX
    box = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
    corners = np.column_stack([box, np.ones(4)]) @ to_photo.T
    corners = corners[:, :2] / corners[:, 2:3]
    width, height = REFERENCES_SIZE
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    back = homography(target, corners)
    coefficients = tuple(float(v) for v in (back / back[2, 2]).flatten()[:8])
    area = image.transform(
        (width, height), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BILINEAR
    )
    return ImageOps.autocontrast(area.convert("L"), cutoff=1)


#: White gap between the title and the references on the tesseract sheet [px].
SHEET_GAP = 40


def _tesseract_sheet(image: Image.Image, choice: PanelChoice) -> Image.Image:
    """The title line on top of the references area, on one white sheet."""
    title = _title_crop(choice.panel, choice.first.grid)
    if choice.quad is None:
        return title
    references = references_crop(image, choice.quad)
    sheet = Image.new(
        "L", (max(title.width, references.width), title.height + SHEET_GAP + references.height), 255
    )
    sheet.paste(title, (0, 0))
    sheet.paste(references, (0, title.height + SHEET_GAP))
    return sheet


def _split_sheet(text: str | None) -> tuple[str | None, str | None]:
    """(title line, legible references) of the tesseract text of the sheet."""
    if text is None:
        return None, None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", None
    return lines[0], parse_references("\n".join(lines[1:]))


def _digit_costs(read: PanelRead, positions: Sequence[int]) -> tuple[FloatArray, bool, float]:
    """Distance [dots] of the cells at ``positions`` (of :func:`_value_text`) to each digit,
    (len(positions), 10), whether they are of a design the templates do not hold (both:
    :func:`reconsidered`) and their smallest margin [dots] (:func:`value_margin`)."""
    every = read.grid.cells.reshape(-1, 35)
    at = [_cell_index(p) for p in positions]
    cells, shapes = every[at], read.shape_dots.reshape(-1, 35)[at]
    chars, distances = char_distances(cells, read.font, designs=True)
    costs = distances[:, [chars.index(digit) for digit in DIGITS]]
    # a panel whose letters are drawn a dot off every template may draw its digits so too
    drawn_off = panel_drawn_off(every[:CHARS], read.lines[0], read.font)
    result, unfamiliar = reconsidered(cells, costs, read.lines[0], drawn_off, shapes)
    return result, unfamiliar, value_margin(cells, result, read.lines[0], drawn_off, shapes)


#: Line separator of :func:`_value_text` (keeps digits of two lines apart).
LINE_BREAK = "\n"


def _cell_index(position: int) -> int:
    """Cell number (0..31) of a character position in :func:`_value_text`."""
    return position if position < CHARS else position - len(LINE_BREAK)


def _is_mark(char: str) -> bool:
    """A cell read as a stray mark (dot, quote, dash...): neither a letter, a digit, a
    blank nor a date/time separator."""
    return not char.isalnum() and char not in " /:"


def _mark_glued_before(text: str, match: FieldMatch) -> bool:
    """A stray mark glued before the number (``(97kWh``): it may be a digit of it that
    fits no template (a held-out design's blurred 4 read as "(": 97 for 497)."""
    first = min(match.digit_positions, default=0)
    return first > 0 and not text[first - 1].isspace() and _is_mark(text[first - 1])


def _is_not_digit(char: str) -> bool:
    """A cell read as a letter or a mark (not a digit, a blank or a separator)."""
    return not char.isdigit() and char not in " /:"


def _number_cells(
    raw: list[str], trim: Callable[[str], bool] | None
) -> tuple[list[str], list[int]]:
    """(``raw``, ``trim``'s cells blanked at both ends of each token; the cells of the
    numbers but "/" and ":"): tokens holding a digit, before the unit or laid out as a
    time (:func:`number_token`)."""
    chars = list(raw)
    numbers: list[int] = []
    for token in re.finditer(r"[^ ]+", "".join(raw)):
        start, end = token.span()
        # a noise cell glued to a number is not one of its digits
        while trim is not None and start < end and trim(raw[start]):
            chars[start] = " "
            start += 1
        while trim is not None and end > start and trim(raw[end - 1]):
            end -= 1
            chars[end] = " "
        word = "".join(raw[start:end])
        if number_token(word, "".join(raw[end:])):
            # the unit's W and h ending the token are no digits of it ("000005AWh": an
            # h turned 4 beside a k read 4 by its shape lost the value)
            last = end - 2 if word[-2:].upper() == "WH" and len(word) > 2 else end
            numbers.extend(i for i in range(start, last) if raw[i] not in "/:")
    return chars, numbers


def _biased_lines(
    read: PanelRead,
    lines: Sequence[int],
    trim: Callable[[str], bool] | None = None,
    everywhere: bool = False,
) -> list[str]:
    """``lines`` with the cells of their numbers read as digits where they are close to
    one, or where no template explains them and their shape is one digit's, the panel
    agreeing (:func:`number_digits`, over every number of these lines): "3OOO2" ->
    "30002", an open 4 read H -> 4; other tokens stay words ("HEURE" keeps its H).
    Cells for which ``trim`` is true are first blanked at both ends of each token
    (``everywhere``: wherever they are)."""
    texts: list[list[str]] = []
    where: list[tuple[int, int]] = []
    for at, line in enumerate(lines):
        raw = [cell.char for cell in read.lines[line]]
        if trim is not None and everywhere:
            raw = [" " if trim(c) else c for c in raw]
        chars, numbers = _number_cells(raw, trim)
        texts.append(chars)
        where.extend((at, index) for index in numbers)
    if where:
        cells = np.stack([read.grid.cells[lines[at]][index] for at, index in where])
        numbers_read = [read.lines[lines[at]][index] for at, index in where]
        shapes = np.stack([read.shape_dots[lines[at]][index] for at, index in where])
        digits = number_digits(cells, numbers_read, read.lines[0], read.font, shapes)
        for (at, index), digit in zip(where, digits, strict=True):
            if digit is not None:
                texts[at][index] = digit
    return ["".join(chars) for chars in texts]


def _value_text(
    read: PanelRead,
    kind: ScreenKind,
    trim: Callable[[str], bool] | None = None,
    everywhere: bool = False,
) -> str:
    """The text the value is parsed from: line 2, or both lines for the date screen.

    Some date screens show the date after the title and the time on line 2
    ("DATE 01/08/2026" / "HEURE 16:34"); titles of the other screens hold no digits
    and are left out (a title "I" must not become a "1").
    """
    if kind is ScreenKind.DATE:
        return LINE_BREAK.join(_biased_lines(read, (0, 1), trim, everywhere))
    return " " * CHARS + LINE_BREAK + _biased_lines(read, (1,), trim, everywhere)[0]


#: Retries of a fixed-length value's parse: (cells blanked, anywhere in a token rather
#: than at its ends, result is only a guess). Marks glued to a PRM or a date are noise;
#: letters may be too, and marks inside a token ("40**21/12/2027"), but a letter or an
#: inner mark may also be a misread digit, so those readings are never confident. Never
#: for an index: a mark there may be a blurred digit, and dropping it would shorten it.
TRIMS: tuple[tuple[Callable[[str], bool], bool, bool], ...] = (
    (_is_mark, False, False),
    (_is_not_digit, False, True),
    (_is_mark, True, True),
)


def _parse_read(read: PanelRead, kind: ScreenKind) -> tuple[str, FieldMatch | None]:
    """(value text, match) of one variant's cells; retries with trimmed tokens."""
    value_text = _value_text(read, kind)
    match = parse_value(kind, value_text)
    if kind not in GRAMMAR_EXCLUSIVE_KINDS:
        return value_text, match
    for trim, everywhere, guess in TRIMS:
        if match is not None and not match.repaired:
            break
        trimmed_text = _value_text(read, kind, trim, everywhere)
        trimmed = parse_value(kind, trimmed_text)
        if trimmed is None:
            continue
        if guess:
            trimmed = replace(trimmed, repaired=True)
        if match is None or not trimmed.repaired:
            value_text, match = trimmed_text, trimmed
    return value_text, match


def _with_digits(value_text: str, match: FieldMatch, digits: str) -> str:
    """``value_text`` with the digits of ``match`` replaced by ``digits``."""
    text = list(value_text)
    for position, digit in zip(match.digit_positions, digits, strict=True):
        text[position] = digit
    return "".join(text)


GRAMMAR_EXCLUSIVE_KINDS = (ScreenKind.PRM, ScreenKind.DATE)


def spot_title(read: PanelRead) -> tuple[ScreenKind | None, float, float]:
    """The screen whose title word fits line 1 best: (kind, cost, gap to the next kind).

    Costs in [dots per letter]. A value screen's word must also fit better than every
    other screen's word (within :data:`SETTINGS.other_word_slack`), else the kind is OTHER.
    """
    found = read.title_spots
    spots = sorted(((found[word], kind) for word, kind in SPOT_WORDS), key=lambda s: s[0].cost)
    best, best_kind = spots[0]
    # only a word on the same cells competes: "HEURE" in "DATE ET HEURE" does not
    other = min(
        (found[word].cost for word in SPOT_OTHER_WORDS if _overlap(found[word], best)),
        default=np.inf,
    )
    if other + SETTINGS.other_word_slack < best.cost:
        return ScreenKind.OTHER, float(other), best.cost - float(other)
    return best_kind, best.cost, spots[1][0].cost - best.cost


def _overlap(first: WordMatch, second: WordMatch) -> bool:
    """True when two spotted words share a cell."""
    return first.start < second.start + len(second.word) and second.start < first.start + len(
        first.word
    )


def _faint_digit(read: PanelRead, match: FieldMatch) -> bool:
    """True when a digit cell of ``match`` is much fainter than its others."""
    ink = read.grid.ink
    if ink is None or not match.digit_positions:
        return False
    levels = ink.reshape(-1)[[_cell_index(p) for p in match.digit_positions]]
    return bool(levels.min() < SETTINGS.faint_digit_share * median(levels))


#: Screens whose value alone names them when the title is illegible: no other Linky
#: screen shows 14 digits or a calendar date (an index in kWh could be any index).
KINDS_NAMED_BY_VALUE = (ScreenKind.PRM, ScreenKind.DATE)


def _kind_from_value(read: PanelRead) -> ScreenKind | None:
    """The one screen kind whose grammar parses the value text, else None.

    Used only when no title word is legible; the kind is then never confident (the
    title does not agree), so the reading is a guess the user confirms.
    """
    kinds = [kind for kind in KINDS_NAMED_BY_VALUE if _parse_read(read, kind)[1] is not None]
    return kinds[0] if len(kinds) == 1 else None


def _letters_legible(read: PanelRead) -> bool:
    """At least three title cells read as letters with a clear margin."""
    clear = [c for c in read.lines[0] if c.char.isalpha() and c.margin >= SETTINGS.confident_margin]
    return len(clear) >= 3


def _guess_reading(
    guess: TextGuess,
    source: Path,
    crop: bytes,
    when: datetime | None,
    references: str | None,
) -> PhotoReading:
    """The reading of a panel without a dot grid: tesseract's guess, to confirm."""
    candidate = Candidate(
        guess.kind, guess.value, repairs=frozenset({Repair.NO_GRID}), title_certain=False
    )
    verdict, _ = decide(candidate)
    return PhotoReading(
        path=source,
        screen=guess.kind,
        value=guess.value,
        confidence=round(confidence(candidate), 3),
        confident=verdict is Verdict.CONFIDENT,
        crop=crop,
        exif_time=when,
        lines=guess.lines,
        references=references,
        title=guess.lines[0],
        warnings=("Valeur à confirmer : lecture incertaine.", *remarks(candidate)),
    )


def read_image(
    image: Image.Image,
    *,
    path: Path | str = "<image>",
    exif_time: datetime | None = None,
    use_tesseract: bool = True,
) -> PhotoReading:
    """Read an upright RGB image (see module doc); pure except for tesseract.

    ``exif_time`` is copied into the reading (for the date cross-check); without
    tesseract the title is decided by the cells alone and no references are read.
    """
    if not use_tesseract:
        return _read_image(image, Path(path), exif_time, None)
    with engine.BlockReader() as ocr:  # loads its model while the panel is located
        return _read_image(image, Path(path), exif_time, ocr)


def _read_image(
    image: Image.Image,
    source: Path,
    when: datetime | None,
    ocr: engine.BlockReader | None,
) -> PhotoReading:
    """:func:`read_image` with tesseract already started (``ocr``) or None (no tesseract)."""
    choice = find_panel(image)
    if choice is None:
        return PhotoReading(
            path=source,
            screen=ScreenKind.NOT_LINKY,
            exif_time=when,
            warnings=(
                "Aucun écran Linky trouvé : cadrez l'écran du compteur (avec les références "
                "gravées au-dessus), de face, net et sans reflet.",
            ),
        )
    crop = encode_png(choice.panel)
    if choice.blank or choice.first.grid.blank:
        return PhotoReading(
            path=source,
            screen=ScreenKind.NOT_LINKY,
            crop=crop,
            exif_time=when,
            warnings=(
                "L'écran du compteur est éteint ou illisible : appuyez sur « + » pour "
                "l'allumer, puis reprenez la photo.",
            ),
        )
    with ThreadPoolExecutor(max_workers=1) as pool:
        # one tesseract process reads the title line and the references above the screen
        # (a sheet: title on top, references below) while the variants are read here
        sheet_future = (
            pool.submit(ocr.read, _tesseract_sheet(image, choice)) if ocr is not None else None
        )
        font = detect_fonts(choice.first.grid.cells.reshape(-1, 35))
        reads = [classify_grid(choice.first.grid, choice.first.variant, font)]
        for variant in VARIANTS[1:]:
            if variant.channel == choice.first.variant.channel:  # same grey: same grid
                grid = resample(choice.first.grid, window=variant.window)
                reads.append(classify_grid(grid, variant, font))
            else:
                reads.append(read_panel(choice.panel, variant, font, like=choice.first.grid))
        reads = pooled_shapes(reads)  # each cell's shape from every sampling of it
        sheet_text = sheet_future.result() if sheet_future is not None else None
    tesseract_text, references = _split_sheet(sheet_text)
    warnings: list[str] = []
    lines = reads[0].text
    title_text: str | None = lines[0].strip()
    text_kinds = [classify_title(r.text[0]) for r in reads]
    spotted, spot_cost, spot_gap = spot_title(reads[0])
    tesseract_kind = classify_title(tesseract_text) if tesseract_text is not None else None
    kind = spotted if spot_cost <= SETTINGS.spot_max_cost else text_kinds[0] or tesseract_kind
    if kind is None:
        kind = _kind_from_value(reads[0])
    if kind is None and _letters_legible(reads[0]):
        kind = ScreenKind.OTHER  # a legible title of a screen we do not know
    votes = {k for k in (*text_kinds, tesseract_kind) if k in VALUE_KINDS}
    if kind in VALUE_KINDS:
        text_sure = set(text_kinds) == {kind} and spot_cost <= SETTINGS.spot_text_sure_cost
        kinds_agree = (
            votes <= {kind}
            and spotted == kind
            and (spot_cost <= SETTINGS.spot_sure_cost or tesseract_kind == kind or text_sure)
            and (
                spot_gap >= SETTINGS.spot_sure_gap
                or (
                    text_sure
                    and kind in GRAMMAR_EXCLUSIVE_KINDS
                    and spot_gap >= SETTINGS.spot_text_sure_gap
                )
            )
        )
    else:
        kinds_agree = not votes
    if (
        ocr is not None
        and kind in (None, ScreenKind.OTHER)
        and not reads[0].title_spotted
        # a lattice measured on plain-font text fits its blobs to glyphs: no grid either
        and (reads[0].grid.lattice is not None or reads[0].acceptance > SETTINGS.no_grid_distance)
    ):
        guess = guess_without_grid(choice.panel, engine.read_block)  # ocr is single-use
        if guess is not None:
            return _guess_reading(guess, source, crop, when, references)
    # what every reading of this panel holds
    reading = partial(
        PhotoReading,
        path=source,
        crop=crop,
        exif_time=when,
        lines=lines,
        references=references,
        title=title_text,
    )
    if kind is None:
        return reading(
            screen=ScreenKind.NOT_LINKY,
            warnings=(
                "Titre de l'écran illisible : reprenez la photo de face, plus près, "
                "sans reflet ni flou.",
            ),
        )
    if not kinds_agree:
        warnings.append("Le titre de l'écran est peu lisible : vérifiez de quel écran il s'agit.")
    if kind not in VALUE_KINDS:
        return reading(
            screen=kind,
            confidence=1.0 if kinds_agree else 0.5,
            confident=False,
            warnings=(
                "Cet écran n'est pas l'un des trois demandés (numéro PRM, date courante, "
                "index injection) : faites défiler avec « + » et reprenez la photo.",
                *warnings,
            ),
        )
    values: list[str | None] = []
    margins: list[float] = []
    #: mean distance of the chosen digits [dots] per value (ties between variants)
    costs_of: dict[str, float] = {}
    implausible = False
    forced = False
    repaired = False
    faint = False
    unfamiliar = False
    for read in reads:
        value_text, match = _parse_read(read, kind)
        if match is None:
            values.append(None)
            continue
        if read is reads[0]:
            faint = _faint_digit(read, match)
        costs, odd, margin = _digit_costs(read, match.digit_positions)
        unfamiliar = unfamiliar or odd
        chosen = best_digits(kind, match, costs)
        if chosen is None:
            values.append(None)
            continue
        # the grammar overruled a cell's nearest digit (e.g. a year 2827): not confident
        forced = forced or chosen != nearest_digits(costs)
        text = _with_digits(value_text, match, chosen)
        rematch = parse_value(kind, text)
        values.append(rematch.value if rematch else None)
        repaired = repaired or match.repaired or (rematch is not None and rematch.repaired)
        if kind is ScreenKind.INJECTION_INDEX:  # an index has no fixed length
            repaired = repaired or _mark_glued_before(value_text, match)
        margins.append(margin)
        if rematch is not None:
            picked = [costs[i, DIGITS.index(d)] for i, d in enumerate(chosen)]
            mean_cost = float(np.mean(picked)) if picked else 0.0
            costs_of[rematch.value] = min(costs_of.get(rematch.value, np.inf), mean_cost)
        if rematch is not None and kind is ScreenKind.INJECTION_INDEX:
            shown = "".join(text[p] for p in rematch.digit_positions)
            implausible = implausible or not index_digits_plausible(shown)
    found = [v for v in values if v is not None]
    if not found:
        return reading(
            screen=kind,
            warnings=(
                "Valeur illisible : reprenez la photo de face, plus près, sans reflet ni "
                "flou, ou saisissez-la à la main.",
                *warnings,
            ),
        )
    # most variants; on a tie, the value whose digits fit their cells best
    best = min(set(found), key=lambda v: (-found.count(v), costs_of.get(v, np.inf), v))
    flags = (
        (faint, Repair.FAINT),
        (implausible, Repair.PADDING),
        (forced, Repair.CALENDAR),
        (repaired, Repair.LAYOUT),
        (unfamiliar, Repair.UNFAMILIAR_DIGITS),
    )
    candidate = Candidate(
        kind=kind,
        value=best,
        margins=tuple(margins),
        repairs=frozenset(repair for flag, repair in flags if flag),
        variants_agree=all(v == best for v in values),
        title_certain=kinds_agree,
    )
    verdict, rule = decide(candidate)
    confident = verdict is Verdict.CONFIDENT
    warnings.extend(remarks(candidate))
    LOG.debug(
        "%s: values %s margins %s title %s (cost %.2f, gap %.2f) text %s tesseract %s",
        source.name,
        values,
        [round(m, 2) for m in margins],
        spotted,
        spot_cost,
        spot_gap,
        text_kinds,
        tesseract_kind,
    )
    candidates = tuple(dict.fromkeys(v for v in found if v != best))
    if not confident:
        warnings.insert(0, "Valeur à confirmer : lecture incertaine.")
    LOG.debug("%s: %s (%s)", source.name, verdict, rule)
    return reading(
        screen=kind,
        value=best,
        confidence=round(confidence(candidate), 3),
        confident=confident,
        candidates=candidates,
        warnings=tuple(warnings),
    )


def read_photo(path: str | Path) -> PhotoReading:
    """Read one photo file (raises PhotoError / OcrEngineMissing, see the package doc)."""
    engine.ensure_engine()
    file = Path(path)
    # tesseract starts first: it loads its model while the photo is decoded and located
    with engine.BlockReader() as ocr:
        photo = open_photo(file)
        return _read_image(photo.image, file, photo.exif_time, ocr)


__all__ = ["read_image", "read_photo"]
