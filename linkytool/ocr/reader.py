"""The photo reader: from a photo to a :class:`PhotoReading` (pipeline orchestration).

1. :mod:`loading`: safe decode at working size, EXIF time and orientation.
2. :mod:`panel` (:mod:`locate`, :mod:`rectify`, :mod:`lcdgrid`): the LCD panel, its
   dot grid sampled, its cells read (:mod:`dotmatrix`) under several preprocessing
   variants.
3. :mod:`sheet`: one tesseract call reads the title line and the engraved references.
4. :mod:`screenkind`: which screen (title words spotted, cell text, tesseract).
5. :mod:`voting`: each variant's value (:mod:`valuecells` on the cells, :mod:`grammar`
   for the field), one value elected: a :class:`~linkytool.ocr.candidate.Candidate`.
6. :mod:`policy`: confident, to confirm, or no value.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

import numpy as np
from PIL import Image

from linkytool.ocr import engine
from linkytool.ocr.candidate import TO_CONFIRM_REMARK, touches_unseen
from linkytool.ocr.dotmatrix import FontSet, detect_fonts
from linkytool.ocr.framing import dot_pitch_px, small_screen_remark
from linkytool.ocr.lcdgrid import GridSample, panel_spread, resample, small_dots, spread_undone
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
from linkytool.ocr.policy import (
    REPAIR_REMARKS,
    Candidate,
    Repair,
    Verdict,
    confidence,
    decide,
    remarks,
)
from linkytool.ocr.result import PhotoReading, ScreenKind, encode_png
from linkytool.ocr.screenkind import read_title
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.sheet import split_sheet, tesseract_sheet
from linkytool.ocr.voting import VariantValue, read_value, vote

LOG = logging.getLogger(__name__)


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
        warnings=(TO_CONFIRM_REMARK, *remarks(candidate)),
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


#: Why a panel was found but not read: it shows nothing.
SCREEN_OFF = (
    "L'écran du compteur est éteint ou illisible : appuyez sur « + » pour l'allumer, puis "
    "reprenez la photo."
)
#: Why a panel was found but not read: its first line shows nothing (every screen read
#: writes it), so what its other line seems to show is no value.
NO_TITLE = (
    "La première ligne de l'écran est vide : l'écran est éteint, ou un reflet la couvre. "
    "Appuyez sur « + » s'il est éteint, sinon reprenez la photo sans reflet."
)


def _screen_unread(source: Path, crop: bytes, when: datetime | None, why: str) -> PhotoReading:
    """The reading of a panel that shows no screen to read (``why``, in French)."""
    return PhotoReading(
        path=source, screen=ScreenKind.NOT_LINKY, crop=crop, exif_time=when, warnings=(why,)
    )


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
        return _screen_unread(source, crop, when, SCREEN_OFF)
    if choice.first.untitled:
        return _screen_unread(source, crop, when, NO_TITLE)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # one tesseract process reads the title line and the references above the screen
        # (a sheet: title on top, references below) while the variants are read here
        sheet_future = (
            pool.submit(ocr.read, tesseract_sheet(image, choice)) if ocr is not None else None
        )
        first = choice.first.grid
        if SETTINGS.small_dot_width > 0 and small_dots(first):
            # dots measured small: every variant samples them between pixels (ocr46a)
            first = resample(first, window=choice.first.variant.window, subpixel=True)
        font = detect_fonts(first.cells.reshape(-1, 35))
        reads = _variant_reads(choice, first, font)
        sheet_text = sheet_future.result() if sheet_future is not None else None
    tesseract_text, references = split_sheet(sheet_text)
    title = read_title(reads, tesseract_text)
    kind = title.kind
    if (
        ocr is not None
        # no title word names a value screen: none at all, or only the value did (a
        # lattice measured on plain-font text can read its blobs as 14 digits, the title
        # as noise: test_nogrid.py, ocr42b)
        and ((kind in (None, ScreenKind.OTHER) and not reads[0].title_spotted) or title.by_value)
        # a lattice measured on plain-font text fits its blobs to glyphs: no grid either
        and (reads[0].grid.lattice is not None or reads[0].acceptance > SETTINGS.no_grid_distance)
    ):
        guess = guess_without_grid(choice.panel, engine.read_block)  # ocr is single-use
        if guess is not None:
            return _guess_reading(guess, source, crop, when, references)
    lines = reads[0].text
    # a screen too small in the photo: said with a value to confirm or illegible (an
    # illegible title already says « plus près »; a photo of something else is no screen)
    small = (
        small_screen_remark(dot_pitch_px(choice.quad, reads[0].grid))
        if choice.quad is not None
        else None
    )
    # what every reading of this panel holds
    reading = partial(
        PhotoReading,
        path=source,
        crop=crop,
        exif_time=when,
        lines=lines,
        references=references,
        title=lines[0].strip(),
    )
    if kind is None:
        return reading(
            screen=ScreenKind.NOT_LINKY,
            warnings=(
                "Titre de l'écran illisible : reprenez la photo de face, plus près, "
                "sans reflet ni flou.",
            ),
        )
    warnings: list[str] = []
    if choice.cut:  # the panel search stopped at its budget: said on every screen
        warnings.append(REPAIR_REMARKS[Repair.SEARCH_CUT])
    if not title.certain:
        warnings.append("Le titre de l'écran est peu lisible : vérifiez de quel écran il s'agit.")
    if kind not in VALUE_KINDS:
        return reading(
            screen=kind,
            confidence=1.0 if title.certain else 0.5,
            confident=False,
            warnings=(
                "Cet écran n'est pas l'un des trois demandés (numéro PRM, date courante, "
                "index injection) : faites défiler avec « + » et reprenez la photo.",
                *warnings,
            ),
        )
    variants, candidate = _candidate(choice, reads, kind, title.certain)
    if candidate is None:
        return reading(
            screen=kind,
            warnings=(
                "Valeur illisible : reprenez la photo de face, plus près, sans reflet ni "
                "flou, ou saisissez-la à la main.",
                *([small] if small else []),
                *warnings,
            ),
        )
    verdict, rule = decide(candidate)
    if verdict is Verdict.TO_CONFIRM and panel_spread(reads[0].grid) > SETTINGS.deblur_spread:
        sharper = _read_sharpened(choice, reads, kind, title.certain, candidate.value)
        if sharper is not None:
            candidate, rule = sharper
            verdict, rule = Verdict.CONFIDENT, f"{rule} (spread undone)"
    confident = verdict is Verdict.CONFIDENT
    warnings.extend(r for r in remarks(candidate) if r not in warnings)
    if not confident:
        warnings.insert(0, TO_CONFIRM_REMARK)
        if small:
            warnings.insert(1, small)
    LOG.debug("%s: %s, %s: %s (%s)", source.name, variants, title, verdict, rule)
    return reading(
        screen=kind,
        value=candidate.value,
        confidence=round(confidence(candidate), 3),
        confident=confident,
        candidates=tuple(
            dict.fromkeys(v.value for v in variants if v.value not in (None, candidate.value))
        ),
        warnings=tuple(warnings),
    )


def _variant_reads(choice: PanelChoice, first: GridSample, font: FontSet | None) -> list[PanelRead]:
    """The chosen panel read in every variant (:data:`VARIANTS`) from its first variant's
    samples ``first``, each cell's shape pooled over every sampling of it."""
    reads = [classify_grid(first, choice.first.variant, font)]
    for variant in VARIANTS[1:]:
        if variant.channel == choice.first.variant.channel:  # same grey: same grid
            grid = resample(first, window=variant.window)
            reads.append(classify_grid(grid, variant, font))
        else:
            reads.append(read_panel(choice.panel, variant, font, like=first))
    return pooled_shapes(reads)


def _candidate(
    choice: PanelChoice, reads: list[PanelRead], kind: ScreenKind, title_certain: bool
) -> tuple[list[VariantValue], Candidate | None]:
    """Each variant's value and the value voted from them, with the repairs the panel
    search owes it (cut short; cells beyond the panel image)."""
    variants = [read_value(read, kind, read is reads[0]) for read in reads]
    candidate = vote(kind, variants, title_certain)
    if candidate is not None and choice.cut:  # another panel might have read otherwise
        candidate = replace(candidate, repairs=candidate.repairs | {Repair.SEARCH_CUT})
    unseen = np.logical_or.reduce([read.grid.unseen for read in reads])
    if candidate is not None and touches_unseen(candidate.cells, unseen):
        candidate = replace(candidate, repairs=candidate.repairs | {Repair.CUT_OFF})
    return variants, candidate


def _read_sharpened(
    choice: PanelChoice,
    reads: list[PanelRead],
    kind: ScreenKind,
    title_certain: bool,
    held: str | None,
) -> tuple[Candidate, str] | None:
    """A value ``held`` on a defocused panel, read again with the panel's spread undone
    (:func:`linkytool.ocr.lcdgrid.spread_undone`): that reading's candidate and the
    policy's rule when it gives the same value and the policy finds it confident, else
    None (the value stays held).
    The value never changes; only a second, sharper look can vouch for it (lead,
    stop 46: undoing the spread on every panel changed hard photos' values both ways)."""
    with spread_undone():
        first = resample(reads[0].grid, window=choice.first.variant.window)
        again = _variant_reads(choice, first, reads[0].font)
    _, second = _candidate(choice, again, kind, title_certain)
    if second is None or second.value != held:
        return None
    verdict, rule = decide(second)
    return (second, rule) if verdict is Verdict.CONFIDENT else None


def read_photo(path: str | Path) -> PhotoReading:
    """Read one photo file (raises PhotoError / OcrEngineMissing, see the package doc)."""
    engine.ensure_engine()
    file = Path(path)
    # tesseract starts first: it loads its model while the photo is decoded and located
    with engine.BlockReader() as ocr:
        photo = open_photo(file)
        return _read_image(photo.image, file, photo.exif_time, ocr)


__all__ = ["read_image", "read_photo"]
