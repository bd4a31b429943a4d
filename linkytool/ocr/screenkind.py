"""Which screen a panel shows: its title words spotted on the cells, the cells' text and
tesseract vote, and whether they agree beyond doubt (the policy's ``title_certain``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from linkytool.ocr.dotmatrix import WordMatch
from linkytool.ocr.panel import VALUE_KINDS, PanelRead
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.titles import (
    SPOT_OTHER_WORDS,
    SPOT_WORDS,
    classify_title,
    other_by_shared_word,
)
from linkytool.ocr.valuecells import GRAMMAR_EXCLUSIVE_KINDS, parse_read

#: Screens whose value alone names them when the title is illegible: no other Linky
#: screen shows 14 digits or a calendar date (an index in kWh could be any index).
KINDS_NAMED_BY_VALUE = (ScreenKind.PRM, ScreenKind.DATE)


@dataclass(frozen=True)
class TitleReading:
    """The screen kind a panel's title names (None: no legible title) and its evidence."""

    kind: ScreenKind | None
    #: Spotting, every variant's cell text and tesseract name this kind beyond doubt.
    certain: bool
    #: The best spotted title word's kind, its cost and its gap to the next kind
    #: [dots per letter].
    spotted: ScreenKind | None
    spot_cost: float
    spot_gap: float
    #: The kind each variant's cell text names, and tesseract's.
    text_kinds: tuple[ScreenKind | None, ...]
    tesseract_kind: ScreenKind | None
    #: No title word is legible: the value alone named the screen (a guess).
    by_value: bool = False


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


def _kind_from_value(read: PanelRead) -> ScreenKind | None:
    """The one screen kind whose grammar parses the value text, else None.

    Used only when no title word is legible; the kind is then never confident (the
    title does not agree), so the reading is a guess the user confirms.
    """
    kinds = [kind for kind in KINDS_NAMED_BY_VALUE if parse_read(read, kind)[1] is not None]
    return kinds[0] if len(kinds) == 1 else None


def _kind_named_by_another_variant(
    text_kinds: Sequence[ScreenKind | None], spotted: ScreenKind | None
) -> ScreenKind | None:
    """The one screen the variants' cell texts name, when the best title word spotted
    on the chosen variant (too costly to be taken alone) names it too, else None.

    The chosen variant's text may miss a title another sampling reads: X11 5x8 held out,
    "TNDEXZIN)ECYID*" named no screen and the panel was taken for another screen, while
    the wide window read the index title and INJECTION was the word spotted best (tuning
    seed 92031, hard photo 21). Never certain: the spotting cost is over its bound.
    """
    named = {kind for kind in text_kinds if kind is not None}
    return spotted if named == {spotted} and spotted in VALUE_KINDS else None


def _kind_behind_a_shared_word(
    reads: Sequence[PanelRead], spotted: ScreenKind | None
) -> ScreenKind | None:
    """The value screen spotted best, when every variant's cell text names another
    screen only by a word of that screen's own title (:func:`other_by_shared_word`),
    else None. X11 5x8 held out, "INDEX TMIECTTON" named another screen by INDEX
    ("INDEX NON CONSO") while INJECTION was the word spotted best (tuning seed 105012,
    hard photo 94). Never certain: the spotting cost is over its bound and the texts
    name no value screen."""
    if spotted not in VALUE_KINDS or spotted is None:
        return None
    shared = all(other_by_shared_word(read.text[0], spotted) for read in reads)
    return spotted if shared else None


def _letters_legible(read: PanelRead) -> bool:
    """Enough title cells read as letters with a clear margin (a title, if unknown)."""
    clear = [c for c in read.lines[0] if c.char.isalpha() and c.margin >= SETTINGS.confident_margin]
    return len(clear) >= SETTINGS.legible_title_letters


def _text_names_it_alone(
    kind: ScreenKind, tesseract_kind: ScreenKind | None, tesseract_text: str | None = None
) -> bool:
    """Whether every variant's cell text naming ``kind`` (spotted best) may stand for a
    clear gap to the next title word: a PRM or a date, whose grammar no other screen's
    value passes, or the injection index when tesseract does not name another screen,
    or names one only by a word the index's own title shows (``tesseract_text``,
    :func:`~linkytool.ocr.titles.other_by_shared_word`: "INDEX PANJECTTOMi").

    Only INJECTION names the index (``classify_title``: INJ, or IN?ECTI), a word no
    other screen's title shows; another index screen ("INDEX NON CONSO", "BASE") whose
    value the index grammar would pass reads as another screen in tesseract or in the
    cells. X11 5x8 held out, the J drawn otherwise ("INDEX INTECTION" in every variant)
    leaves the spotting a gap of 2.7-4.0 dots a letter to DATE or PRM: tuning seed
    110011, hard photos 16, 20, 27, 35 and 44 (ocrF), every one read right and held by
    "title uncertain" alone.

    INDEX is on both "INDEX INJECTION" and "INDEX NON CONSO": tesseract reading INDEX
    and nothing legible after it names neither screen, no more evidence against the
    index than tesseract reading nothing (which counts as not naming another screen).
    X11 5x8 held out, ocr37h's tuning seeds 139501-139502, hard photos 29 and 39
    ("INDEX 1 :DN", "INDEX PANJECTTOMi"; every cell text "INDEX INTECTION", spotted at
    2.5 and 4.2 dots a letter, gaps 3.9 and 3.2): read right, held by "title uncertain"
    alone. Another index screen's title still reads as one by its own words (NON,
    CONSO, BASE...), in tesseract or in the cells.
    """
    if kind in GRAMMAR_EXCLUSIVE_KINDS:
        return True
    if kind is not ScreenKind.INJECTION_INDEX:
        return False
    return tesseract_kind is not ScreenKind.OTHER or (
        tesseract_text is not None and other_by_shared_word(tesseract_text, kind)
    )


def _one_text_names_it(
    kind: ScreenKind,
    text_kinds: Sequence[ScreenKind | None],
    tesseract_kind: ScreenKind | None,
) -> bool:
    """Whether one sampling's cell text names ``kind`` (spotted best, at a sure cost)
    and no text, the cells' or tesseract's, names another screen: a reading of the
    title's letters, each its nearest character, that spells the screen's keyword, as
    tesseract's reading of the strip does (which alone makes a sure spotting certain
    at :data:`Settings.spot_text_sure_gap`). Every variant's text was asked for; the
    other samplings of a held-out design's title may read a letter otherwise (the X11
    5x8 M read H, R read A, E read F: "NUHEAO PAX" beside "NUMEAO PRM", "DATF(COURANTE"
    beside "DATE COURANTE"), which names no screen, not another one. ocr38a's tuning
    seed 141022, X11 5x8 (held out) hard photos 12, 17 and 38: spotted at 3.0-3.8 dots
    a letter, 3.6-3.7 under the next kind, read right and held by "title uncertain"
    alone."""
    named = {k for k in (*text_kinds, tesseract_kind) if k is not None}
    return kind in text_kinds and named == {kind}


def read_title(reads: Sequence[PanelRead], tesseract_text: str | None) -> TitleReading:
    """The screen of the panel read as ``reads`` (variants, the chosen one first), with
    tesseract's reading of its title line (None: no tesseract)."""
    text_kinds = tuple(classify_title(r.text[0]) for r in reads)
    spotted, spot_cost, spot_gap = spot_title(reads[0])
    tesseract_kind = classify_title(tesseract_text) if tesseract_text is not None else None
    kind = spotted if spot_cost <= SETTINGS.spot_max_cost else text_kinds[0] or tesseract_kind
    if kind is ScreenKind.OTHER and spot_cost > SETTINGS.spot_max_cost:
        kind = _kind_behind_a_shared_word(reads, spotted) or kind
    if kind is None:
        kind = _kind_named_by_another_variant(text_kinds, spotted)
    by_value = False
    if kind is None:
        kind = _kind_from_value(reads[0])
        by_value = kind is not None
    if kind is None and _letters_legible(reads[0]):
        kind = ScreenKind.OTHER  # a legible title of a screen we do not know
    votes = {k for k in (*text_kinds, tesseract_kind) if k in VALUE_KINDS}
    if kind in VALUE_KINDS:
        text_sure = set(text_kinds) == {kind} and spot_cost <= SETTINGS.spot_text_sure_cost
        # tesseract's reading of the title strip is a text too: the X11 5x8 E read L
        # ("DATL", no cell text names it; spotted at 3.7, a gap of 3.3: tuning seed
        # 135001, normal photo 49); so is one sampling's cell text (ocr38a)
        read_sure = text_sure or (
            spot_cost <= SETTINGS.spot_sure_cost
            and (tesseract_kind == kind or _one_text_names_it(kind, text_kinds, tesseract_kind))
        )
        certain = (
            votes <= {kind}
            and spotted == kind
            and (spot_cost <= SETTINGS.spot_sure_cost or tesseract_kind == kind or text_sure)
            and (
                spot_gap >= SETTINGS.spot_sure_gap
                or (
                    read_sure
                    and _text_names_it_alone(kind, tesseract_kind, tesseract_text)
                    and spot_gap >= SETTINGS.spot_text_sure_gap
                )
            )
        )
    else:
        certain = not votes
    return TitleReading(
        kind, certain, spotted, spot_cost, spot_gap, text_kinds, tesseract_kind, by_value
    )


__all__ = ["KINDS_NAMED_BY_VALUE", "TitleReading", "read_title", "spot_title"]
