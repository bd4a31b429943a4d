"""Post-processing grammar of the three Linky screens (pure functions, no I/O).

The screen title decides the kind by keywords (PRM / DATE / INJ), never by exact
strings; the value line is parsed with one regular expression per field after the
usual digit confusions (O/0, I/1, B/8, S/5...) are folded inside digit runs. Each
parser returns a :class:`FieldMatch` that says which character positions hold digits,
so the dot-matrix reader can re-decide those cells among digits only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import numpy.typing as npt

from linkytool.ocr.result import ScreenKind
from linkytool.ocr.values import ads_number, date_has_time, normalise_text, value_from_date


def _words(text: str) -> tuple[str, ...]:
    """The blank-separated words of ``text`` (word lists written as one string)."""
    return tuple(text.split())


#: Letters a dot-matrix or tesseract read commonly returns for a digit.
DIGIT_CONFUSIONS: dict[str, str] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "|": "1",
    "!": "1",
    "T": "7",
    "Z": "2",
    "S": "5",
    "B": "8",
    "G": "6",
    "A": "4",
}

#: Digits read in a word, mapped back to their letter (titles are upper-case words).
LETTER_CONFUSIONS: dict[str, str] = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}

#: Title keywords -> screen kind (checked in this order; substrings of the folded title).
TITLE_KEYWORDS: tuple[tuple[str, ScreenKind], ...] = (
    ("PRM", ScreenKind.PRM),
    ("INJ", ScreenKind.INJECTION_INDEX),
    ("DATE", ScreenKind.DATE),
)

#: Whole title words spotted on the dot cells (keyword spotting), per screen kind.
SPOT_WORDS: tuple[tuple[str, ScreenKind], ...] = (
    ("PRM", ScreenKind.PRM),
    ("DATE", ScreenKind.DATE),
    ("INJECTION", ScreenKind.INJECTION_INDEX),
)
#: Title words of other Linky screens, spotted too: a value word must beat them (so
#: "BASE" is not taken for a blurred "DATE"). Not "INDEX" (in "INDEX INJECTION").
SPOT_OTHER_WORDS: tuple[str, ...] = _words(
    "BASE HEURE CREUSE PLEINE PUISSANCE CONSO TIC CONTACT TEMPO SERIE PRODUCTEUR "
    "CONSOMMATEUR BLEU ROUGE BLANC"
)
#: Letters whose look-alike glyphs count as the letter when spotting title words.
SPOT_EQUIVALENTS: dict[str, str] = {"O": "0", "I": "1"}

#: Words of other Linky screens (supplier indexes, powers, TIC mode, contract...).
OTHER_SCREEN_WORDS: frozenset[str] = frozenset(
    _words(
        "BASE HEURE HEURES CREUSE CREUSES PLEINE PLEINES HC HP BLEU BLANC ROUGE PUISSANCE "
        "APP MAX TIC STANDARD HISTORIQUE INDEX NON CONSO CONTRAT KVA TARIF TENSION "
        "INTENSITE COURANT PRODUCTEUR CONSOMMATEUR RELAIS TOTAL ENERGIE FOURNISSEUR "
        "DISTRIBUTEUR CONTACT SEC OUVERT FERME TEMPO SERIE HC/HP"
    )
)

#: Earliest plausible year on a Linky clock (deployment started in 2015).
MIN_YEAR = 2015
#: Latest plausible year (a clock far in the future is a misread).
MAX_YEAR = 2099
#: Largest plausible injection index [kWh] (a 36 kVA plant over 40 years is < 10^7).
MAX_INDEX_KWH = 9_999_999


@dataclass(frozen=True)
class FieldMatch:
    """A value found in a text line: normalised value and the positions of its digits."""

    value: str
    digit_positions: tuple[int, ...]
    #: Lengths of the digit groups in order (date: day, month, year[, hour, minute]);
    #: empty for a single number (PRM, index).
    groups: tuple[int, ...] = ()
    #: Found only by a looser rule (a cell of the screen's fixed layout taken as the
    #: blank whatever it reads, digits left unexplained): a best guess, never confident.
    repaired: bool = False


def _same_length_upper(text: str) -> str:
    """Upper-case without accents, one output character per input character.

    Keeps positions aligned with the LCD cells (unlike :func:`normalise_text`).
    """
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char
        upper = base.upper()
        out.append(upper if len(upper) == 1 else base)
    return "".join(out)


def fold_digits(text: str) -> str:
    """Replace confusable letters by digits (for a text that should be digits)."""
    return "".join(DIGIT_CONFUSIONS.get(c, c) for c in text.upper())


def fold_letters(text: str) -> str:
    """Replace digits read inside words by their look-alike letters."""
    return "".join(LETTER_CONFUSIONS.get(c, c) for c in text)


def _fold_digit_runs(text: str) -> str:
    """Fold confusions inside tokens that read as a number once folded.

    A token is folded when every character is a digit or a confusable letter and it
    holds at least one real digit (or is long, like a PRM read as letters): "3OOO2" ->
    "30002", "2O" -> "20", while words such as "KWH", "BASE" or "DATE" are kept.
    """

    def fold(match: re.Match[str]) -> str:
        token = match.group(0)
        folded = fold_digits(token)
        if folded.isdigit() and (any(c.isdigit() for c in token) or len(token) >= 6):
            return folded
        return token

    return re.sub(r"[^\s/:.\-]+", fold, text)


def classify_title(text: str) -> ScreenKind | None:
    """Screen kind from the title words; ``None`` when no word is recognisable.

    Keywords, not exact strings: "NUMERO PRM", "N PRM" -> PRM; "DATE COURANTE", "DATE"
    -> DATE; "INDEX INJECTION", "INJ." -> injection index. Another known Linky word
    (BASE, PUISSANCE APP, INDEX NON CONSO...) -> OTHER.
    """
    folded = fold_letters(normalise_text(text))
    words = re.findall(r"[A-Z]+", folded)
    joined = " ".join(words)
    for keyword, kind in TITLE_KEYWORDS:
        # substrings: tesseract often glues words ("NUMEROPRM", "DATECOURANTE")
        if any(keyword in word for word in words):
            return kind
        if keyword == "INJ" and re.search(r"\bIN[JI]EC", joined):
            return kind
        if keyword == "PRM" and re.search(r"\bNUMERO ?PR", joined):
            return kind  # "NUMERO PRh": not "NUMERO SERIE"
    if any(word in OTHER_SCREEN_WORDS for word in words):
        return ScreenKind.OTHER
    return None


_PRM_RE = re.compile(r"(?<!\d)(\d(?: ?\d){13})(?!\d)")
_DATE_RE = re.compile(
    r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?!\d)"
    r"(?:[\sA-Z]{0,12}?(\d{1,2})\s*[:H]\s*(\d{2})(?!\d))?"
)
#: The date screen's fixed layouts, tried when the regular parse fails: in
#: "DD/MM/YYYY HH:MM" the cell between the year and the hour is the blank and the one
#: between hour and minute the colon, whatever they read (a noise speck, a blurred blank
#: read as a digit); then a date followed, after anything (noise, "HEURE" and a line
#: break), by the only "HH:MM" (the two digits right before the colon, whatever precedes
#: them); failing that, "DD/MM/YYYY" with anything after the year. Each layout is tried
#: again with one date separator misread (a blank, a mark): the other must read "/".
_DATE_LAYOUT_PATTERNS = (
    r"(?<!\d)(\d{2})<1>(\d{2})<2>(\d{4}).(\d{2})[^\d\n](\d{2})(?!\d)",
    r"(?<!\d)(\d{2})<1>(\d{2})<2>(\d{4}|\d{2})(?!\d)[\s\S]*?(\d{2}):(\d{2})",
    r"(?<!\d)(\d{2})<1>(\d{2})<2>(\d{4}|\d{2})(?!\d)",
)
_LOOSE_SEPARATOR = r"[^\d\n]"
_DATE_LAYOUTS = tuple(
    re.compile(pattern.replace("<1>", "/").replace("<2>", "/")) for pattern in _DATE_LAYOUT_PATTERNS
)
_DATE_LAYOUTS_ONE_SEPARATOR_MISREAD = tuple(
    re.compile(pattern.replace("<1>", first).replace("<2>", second))
    for first, second in ((_LOOSE_SEPARATOR, "/"), ("/", _LOOSE_SEPARATOR))
    for pattern in _DATE_LAYOUT_PATTERNS
)
#: Last resort: "DD/MM/" then four cells of year whatever they read (faint digits under
#: glare read as blanks), and the time if one follows; the year needs two digits read.
_DATE_CELLS_RE = re.compile(
    r"(?<!\d)(\d{2})/(\d{2})/([^\n/:]{4})(?:[\s\S]*?(?<!\d)(\d{2}):(\d{2})(?!\d))?"
)
DATE_CELLS_MIN_YEAR_DIGITS = 2
#: The PRM screen's layout, tried when no 14 digits parse: a run of exactly 14 cells
#: (most of them digits) is the number, a blurred digit read as a mark among them, or
#: a faint one as a blank (single blanks inside the run, never at its ends).
_PRM_LAYOUT_RE = re.compile(r"(?<!\S)([^\s/:](?:[^\s/:]| (?! )){12}[^\s/:])(?!\S)")
#: Digits a run must hold to be taken for the PRM by :data:`_PRM_LAYOUT_RE`.
PRM_LAYOUT_MIN_DIGITS = 10
#: Letters or digits after a date on its line, or digits on the next (a time misread,
#: or noise), or a time shown there whatever its digits read: a colon between two cells
#: or the word HEURE ("HEURE II:IA", a held-out ROM's 1 and 4 read as letters: the date
#: alone is then a guess, never the screen's whole value).
_SOMETHING_AFTER = re.compile(r"[^\n]*?[A-Z0-9]|[\s\S]*?(?:\d|\S:\S|HEURE)")
_INDEX_RE = re.compile(r"(?<![\d/:.])(\d{1,9})(?![\d/:.])\s*(?:K?WH|KW)?")
#: The number right before the unit: what the index screen shows, whatever follows.
#: The unit's W may read as a digit ("K4H": the cells of a token holding digits lean
#: to digits), its K and H do not; or its K may read as anything, a digit included,
#: when its W and H are read ("004775hWh": a held-out ROM's k).
_KWH = r"(?:K(?:W|\dH)|\SWH)"
_INDEX_UNIT_RE = re.compile(r"(?<![\d/:.])(?<!\d\s)(\d{1,9})\s?" + _KWH)
_INDEX_MARKED_UNIT_RE = re.compile(r"(?<![\d/:.])(?<!\d\s)(\d{1,9})\S" + _KWH)
_UNIT_AHEAD_RE = re.compile(r"\s?" + _KWH)


def number_before_unit(token: str, rest: str) -> bool:
    """Whether ``token`` (letters and digits, followed by ``rest`` on its line) is the
    index screen's number: it stands right before the unit ("TTO kWh": 770 whose 7s
    read T and 0 O; "H kWh": an open-top 4), so its cells lean to digits as a token
    holding one does. A mark ("." before "kWh") is no digit of it."""
    return token.isalnum() and _UNIT_AHEAD_RE.match(_same_length_upper(rest)) is not None


#: A time as the date screen lays it out, whatever its cells read: two cells, a colon,
#: two cells ("II:IA", a held-out ROM's 1 and 4 read as letters).
_TIME_TOKEN_RE = re.compile(r"[^\s:/]{2}:[^\s:/]{2}")


def number_token(token: str, rest: str) -> bool:
    """Whether the cells of ``token`` (followed by ``rest`` on its line) lean to digits:
    it holds a digit, stands right before the unit (:func:`number_before_unit`) or is
    laid out as a time (``HH:MM``: on a date screen its letters are misread digits)."""
    if any(c.isdigit() for c in token) or number_before_unit(token, rest):
        return True
    return _TIME_TOKEN_RE.fullmatch(token) is not None


def _positions(text: str, start: int, end: int) -> tuple[int, ...]:
    return tuple(i for i in range(start, end) if text[i].isdigit())


def parse_prm(text: str) -> FieldMatch | None:
    """The 14-digit PRM in ``text`` (spaces between digits tolerated), or ``None``."""
    folded = _fold_digit_runs(_same_length_upper(text))
    matches = list(_PRM_RE.finditer(folded))
    if len(matches) == 1:
        match = matches[0]
        value = match.group(1).replace(" ", "")
        return FieldMatch(value, _positions(folded, match.start(1), match.end(1)))
    if matches:
        return None  # several PRMs: which one?
    runs = [
        m
        for m in _PRM_LAYOUT_RE.finditer(folded)
        if sum(c.isdigit() for c in m.group(1)) >= PRM_LAYOUT_MIN_DIGITS
    ]
    if len(runs) == 1:
        # a guess: the cells not read as digits are marked "?" until re-decided
        run = runs[0]
        value = "".join(c if c.isdigit() else "?" for c in run.group(1))
        return FieldMatch(value, tuple(range(run.start(1), run.end(1))), repaired=True)
    return None


def _group_positions(match: re.Match[str], count: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(digit positions, group lengths) of the first ``count`` groups that matched."""
    positions: list[int] = []
    lengths: list[int] = []
    for group in range(1, min(count, match.re.groups) + 1):
        if match.group(group) is None:
            continue
        positions.extend(range(match.start(group), match.end(group)))
        lengths.append(match.end(group) - match.start(group))
    return tuple(positions), tuple(lengths)


def parse_date(text: str) -> FieldMatch | None:
    """The date (and time when shown) in ``text`` as ISO ``YYYY-MM-DD[THH:MM]``."""
    upper = _same_length_upper(text)
    folded = _fold_digit_runs(upper)
    match = _DATE_RE.search(folded)
    if match is None or (match.group(4) is None and _SOMETHING_AFTER.match(folded, match.end(3))):
        # no date, or something after a date without a time (a time without its colon,
        # noise glued to the year): the fixed layouts give a guess; a separator misread
        # as a look-alike letter ("30L06/2026") is a digit once folded, so those layouts
        # are also tried on the text as read
        loose = _DATE_LAYOUTS_ONE_SEPARATOR_MISREAD
        found_in = (
            *(layout.search(folded) for layout in _DATE_LAYOUTS + loose),
            *(layout.search(upper) for layout in loose),
            match,
        )
        for found in found_in:
            date_match = _date_in(found)
            if date_match is not None:
                return replace(date_match, repaired=True)
        return _date_cells(folded)
    return _date_in(match)


def _date_cells(folded: str) -> FieldMatch | None:
    """A guess from :data:`_DATE_CELLS_RE`: the cells of the date, "?" where unread.

    The caller re-decides every cell among digits (calendar constraints included).
    """
    match = _DATE_CELLS_RE.search(folded)
    if match is None or sum(c.isdigit() for c in match.group(3)) < DATE_CELLS_MIN_YEAR_DIGITS:
        return None
    positions, groups = _group_positions(match, 5)
    shown = "".join(folded[i] if folded[i].isdigit() else "?" for i in positions)
    value = f"{shown[4:8]}-{shown[2:4]}-{shown[0:2]}"
    if len(shown) == 12:
        value += f"T{shown[8:10]}:{shown[10:12]}"
    return FieldMatch(value, positions, groups, repaired=True)


def _date_in(match: re.Match[str] | None) -> FieldMatch | None:
    """The date of a match of :data:`_DATE_RE` or of a layout, if it is a real one."""
    if match is None:
        return None
    day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    value = day_value.isoformat()
    if match.re.groups > 3 and match.group(4) is not None:
        hour, minute = int(match.group(4)), int(match.group(5))
        if hour > 23 or minute > 59:
            return None
        value += f"T{hour:02d}:{minute:02d}"
    positions, groups = _group_positions(match, 5)
    return FieldMatch(value, positions, groups)


def parse_index(text: str) -> FieldMatch | None:
    """The injection index [kWh] in ``text`` as a decimal string without padding.

    The number followed by the unit (``kWh``) when exactly one is; otherwise the only
    number of the text. Anything else (two numbers, no number) is no reading.
    """
    folded = _fold_digit_runs(_same_length_upper(text))
    repaired = False
    matches = list(_INDEX_UNIT_RE.finditer(folded))
    if len(matches) == 1 and not index_digits_plausible(matches[0].group(1)):
        # "0000026kWh": a padded width one too long; the screen shows "N kWh", so the
        # last cell is likely the blank misread (a guess when that gives a known width)
        marked = list(_INDEX_MARKED_UNIT_RE.finditer(folded))
        if len(marked) == 1 and index_digits_plausible(marked[0].group(1)):
            matches, repaired = marked, True
    if len(matches) != 1:
        # the blank before the unit read as a mark or a digit ("000000214.kWh",
        # "0000002144kWh": the screen shows "N kWh", one blank between)
        matches, repaired = list(_INDEX_MARKED_UNIT_RE.finditer(folded)), True
    if len(matches) != 1:
        matches, repaired = list(_INDEX_RE.finditer(folded)), False
    if len(matches) != 1:
        return None
    match = matches[0]
    start, digits = match.start(1), match.group(1)
    if start > 0 and folded[start - 1].isalpha():
        # "OOOOOOT53kWh": a letter glued before the number may be a misread digit of it
        repaired = True
    if match.end(0) == match.end(1) < len(folded) and folded[match.end(1)].isalpha():
        # "70758H kWh": so may a letter glued after it that is not the unit (an open 4
        # read H: 70758 for 707584)
        repaired = True
    glued = _glued_to_padding(digits)
    if glued:
        # "1000941": a noise cell read as a digit before a 6-digit padded "000941"
        start, digits, repaired = start + glued, digits[glued:], True
    number = int(digits)
    if number > MAX_INDEX_KWH:
        return None
    positions = _positions(folded, start, match.end(1))
    return FieldMatch(str(number), positions, repaired=repaired)


def _glued_to_padding(digits: str) -> int:
    """How many leading digits of ``digits`` are likely noise glued to a padded index.

    A run longer than the 6-digit padding whose last six digits start with a zero
    ("1000941", "4000009") is read as a stray cell (or two) before a padded number: an
    index of a million kWh or more is far less likely than a noise cell on a screen
    read at commissioning. 0 when the run is not of that shape.
    """
    width = min(INDEX_PAD_WIDTHS)
    if width < len(digits) <= max(INDEX_PAD_WIDTHS) and digits[0] != "0" and digits[-width] == "0":
        return len(digits) - width
    return 0


def _number_costs(
    costs: npt.NDArray[np.float64], values: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Summed digit costs of each of ``values`` written on ``len(costs)`` cells (zero-padded).

    ``costs`` is (cells, 10): the distance of each cell to each digit [dots].
    """
    width = len(costs)
    total = np.zeros(len(values))
    for cell in range(width):
        digit = (values // 10 ** (width - 1 - cell)) % 10
        total += costs[cell, digit]
    return total


def _fits(values: range, width: int) -> npt.NDArray[np.int64]:
    """The values of ``values`` that can be written on ``width`` cells."""
    return np.array([v for v in values if v < 10**width], dtype=np.int64)


def _digits_of(value: int, width: int) -> str:
    return f"{value:0{width}d}"


def best_date_digits(groups: tuple[int, ...], costs: npt.NDArray[np.float64]) -> str | None:
    """The digits of the valid date (and time) that fit the cells best.

    ``groups`` are the digit group lengths of :attr:`FieldMatch.groups` (day, month,
    year[, hour, minute]) and ``costs`` (cells, 10) the distance of each digit cell to
    each digit [dots]. Constrained decoding: the day exists in its month and year
    (29 February in leap years only), the year is plausible, hour < 24, minute < 60.
    Returns None when the groups cannot hold a valid date.
    """
    if len(groups) not in (3, 5) or sum(groups) != len(costs):
        return None
    starts = np.cumsum((0, *groups))
    part = [costs[starts[i] : starts[i + 1]] for i in range(len(groups))]
    days = _fits(range(1, 32), groups[0])
    months = _fits(range(1, 13), groups[1])
    if groups[2] == 4:
        years = _fits(range(MIN_YEAR, MAX_YEAR + 1), 4)
        full_years = years
    elif groups[2] == 2:
        years = _fits(range(MIN_YEAR % 100, MAX_YEAR % 100 + 1), 2)
        full_years = years + 2000
    else:
        return None
    if not len(days) or not len(months):
        return None
    day_grid, month_grid = np.meshgrid(days, months, indexing="ij")
    pair_cost = _number_costs(part[0], days)[:, None] + _number_costs(part[1], months)[None, :]
    # days per month of a leap year; 29 February is masked below for the other years
    lengths = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    pair_cost = np.where(day_grid <= lengths[month_grid - 1], pair_cost, np.inf)
    leap = (full_years % 4 == 0) & ((full_years % 100 != 0) | (full_years % 400 == 0))
    total = pair_cost[:, :, None] + _number_costs(part[2], years)[None, None, :]
    feb29 = (day_grid == 29) & (month_grid == 2)
    total = np.where(feb29[:, :, None] & ~leap[None, None, :], np.inf, total)
    index = np.unravel_index(int(np.argmin(total)), total.shape)
    if not np.isfinite(total[index]):
        return None
    digits = (
        _digits_of(int(days[index[0]]), groups[0])
        + _digits_of(int(months[index[1]]), groups[1])
        + _digits_of(int(years[index[2]]), groups[2])
    )
    if len(groups) == 5:
        hours = _fits(range(24), groups[3])
        minutes = _fits(range(60), groups[4])
        hour = int(hours[np.argmin(_number_costs(part[3], hours))])
        minute = int(minutes[np.argmin(_number_costs(part[4], minutes))])
        digits += _digits_of(hour, groups[3]) + _digits_of(minute, groups[4])
    return digits


def best_digits(kind: ScreenKind, match: FieldMatch, costs: npt.NDArray[np.float64]) -> str | None:
    """The digits of ``match`` that fit the cells best within the field's grammar.

    ``costs`` (cells, 10): distance of each digit cell to each digit [dots]. Dates are
    decoded under their calendar constraints (:func:`best_date_digits`); other fields
    take each cell's nearest digit.
    """
    if kind is ScreenKind.DATE and match.groups:
        return best_date_digits(match.groups, costs)
    return nearest_digits(costs)


def nearest_digits(costs: npt.NDArray[np.float64]) -> str:
    """Each cell's nearest digit; ``costs`` (cells, 10) as in :func:`best_digits`."""
    return "".join(str(int(i)) for i in np.argmin(costs, axis=1))


#: Zero-padded widths of the injection index seen so far (6 or 9 digits; the real
#: meter's padding is unconfirmed). Another padded width is accepted but not trusted:
#: a stray cell read as a digit next to the number would produce one.
INDEX_PAD_WIDTHS = (6, 9)


def index_digits_plausible(digits: str) -> bool:
    """True for an unpadded number or one padded to a known width."""
    return not digits.startswith("0") or len(digits) == 1 or len(digits) in INDEX_PAD_WIDTHS


#: A references line is kept when it holds at least this many letters and digits.
MIN_REFERENCE_CHARS = 6


def parse_references(text: str) -> str | None:
    """The legible lines of the engraved references (joined by " / "), or None.

    Lines of tesseract noise (few letters or digits, mostly symbols) are dropped.
    """
    kept = []
    for raw in text.splitlines():
        line = re.sub(r"\s+", " ", raw).strip()
        alnum = sum(c.isalnum() for c in line)
        if alnum >= MIN_REFERENCE_CHARS and alnum >= 0.6 * len(line.replace(" ", "")):
            kept.append(line)
    return " / ".join(kept) if kept else None


PARSERS = {
    ScreenKind.PRM: parse_prm,
    ScreenKind.DATE: parse_date,
    ScreenKind.INJECTION_INDEX: parse_index,
}


def parse_value(kind: ScreenKind, text: str) -> FieldMatch | None:
    """Parse the value of a screen of ``kind`` (``None`` for screens without a value).

    A digit left outside the value (a time without its colon after a date, a second
    number after an index) may belong to it: the match is then marked ``repaired``.
    """
    parser = PARSERS.get(kind)
    match = parser(text) if parser else None
    if match is None or match.repaired:
        return match
    folded = _fold_digit_runs(_same_length_upper(text))
    used = set(match.digit_positions)
    for run in re.finditer(r"(?<![A-Z])\d+(?![A-Z])", folded):
        # a number left out; digits inside words ("C0URANTE": the ROM's O) do not count
        if not used.issuperset(range(run.start(), run.end())):
            return replace(match, repaired=True)
    return match


__all__ = [
    "DIGIT_CONFUSIONS",
    "LETTER_CONFUSIONS",
    "MAX_INDEX_KWH",
    "OTHER_SCREEN_WORDS",
    "SPOT_EQUIVALENTS",
    "SPOT_OTHER_WORDS",
    "SPOT_WORDS",
    "TITLE_KEYWORDS",
    "FieldMatch",
    "ads_number",
    "best_date_digits",
    "best_digits",
    "classify_title",
    "date_has_time",
    "fold_digits",
    "fold_letters",
    "index_digits_plausible",
    "nearest_digits",
    "normalise_text",
    "number_before_unit",
    "number_token",
    "parse_date",
    "parse_index",
    "parse_prm",
    "parse_references",
    "parse_value",
    "value_from_date",
]
