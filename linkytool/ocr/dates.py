"""The date screen's grammar: a date (and time) in the cells' text, and its digits decoded
under the calendar.

:func:`parse_date` finds "DD/MM/YYYY[ HH:MM]" by a regular expression, then by the
screen's fixed layouts (a guess, ``repaired``); :func:`best_date_digits` re-decides the
digit cells among the valid dates (a day its month has, a plausible year, hour < 24).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import numpy as np
import numpy.typing as npt

from linkytool.ocr.digitcells import fold_time_letters
from linkytool.ocr.fields import FieldMatch, fold_digit_runs, group_positions, same_length_upper
from linkytool.ocr.settings import SETTINGS

_DATE_RE = re.compile(
    r"(?<!\d)(\d{1,2})[/.\-,](\d{1,2})[/.\-,](\d{4}|\d{2})(?!\d)"
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
#: Last of the layouts: the date as a whole token of the screen, "DD?MM?YYYY" (or
#: "DD?MM?YY"), its separator cells whatever they read, one of them at least not a
#: digit: the held-out X11 slash, a thin diagonal, blurs into a quote, a blank or a
#: letter, and a number's cells lean to digits, so a slash read "K" turns "2"
#: ("22K12/2027" -> "22212/2027", "24'11'2025": tuning seed 92031, X11 5x7 hard photos
#: 24 and 12). The token stands alone on its line (a blank or the line's end on both
#: sides) and the time, when one follows, is found as in the layouts above.
_DATE_TOKEN_LAYOUTS = tuple(
    re.compile(rf"(?<!\S)(\d{{2}}){first}(\d{{2}}){second}(\d{{4}}|\d{{2}})(?!\S){time}")
    for time in (r" (\d{2})[^\d\n](\d{2})(?!\d)", r"[\s\S]*?(\d{2}):(\d{2})", "")
    for first, second in ((_LOOSE_SEPARATOR, "[^\n]"), ("[^\n]", _LOOSE_SEPARATOR))
)
#: Last resort: "DD/MM/" then four cells of year whatever they read (faint digits under
#: glare read as blanks), and the time if one follows; the year needs
#: ``SETTINGS.date_cells_min_year_digits`` digits read.
#: The four year cells are the year when they start "20" or end their token; else a
#: two-digit year glued to what follows ("16/02/270BRM": "DD/MM/YY" and a previous
#: screen's residue, not a year 270? re-decided 2045; ocrX, held-out seed 92617, X11
#: and tailed hard photo 44, the rule then measured on a fresh held-out seed).
_DATE_CELLS_RE = re.compile(
    r"(?<!\d)(\d{2})/(\d{2})/((?=20)[^\n/:]{4}|[^\n/:]{4}(?!\S)|\d{2})"
    r"(?:[\s\S]*?(?<!\d)(\d{2}):(\d{2})(?!\d))?"
)
#: Letters or digits after a date on its line, or digits on the next (a time misread,
#: or noise), or a time shown there whatever its digits read: a colon between two cells
#: or the word HEURE ("HEURE II:IA", a held-out ROM's 1 and 4 read as letters: the date
#: alone is then a guess, never the screen's whole value).
_SOMETHING_AFTER = re.compile(r"[^\n]*?[A-Z0-9]|[\s\S]*?(?:\d|\S:\S|HEURE)")


def parse_date(text: str) -> FieldMatch | None:
    """The date (and time when shown) in ``text`` as ISO ``YYYY-MM-DD[THH:MM]``."""
    upper = same_length_upper(text)
    folded = fold_time_letters(fold_digit_runs(upper))  # an open 4 read H
    match = _DATE_RE.search(folded)
    if (
        match is None
        or (match.group(4) is None and _SOMETHING_AFTER.match(folded, match.end(3)))
        or _outside_calendar(match)
    ):
        # no date, or something after a date without a time (a time without its colon,
        # noise glued to the year): the fixed layouts give a guess; a separator misread
        # as a look-alike letter ("30L06/2026") is a digit once folded, so those layouts
        # are also tried on the text as read
        loose = _DATE_LAYOUTS_ONE_SEPARATOR_MISREAD
        found_in = (
            *(layout.search(folded) for layout in _DATE_LAYOUTS + loose),
            *(layout.search(upper) for layout in loose),
            match,
            *(layout.search(folded) for layout in _DATE_TOKEN_LAYOUTS),
        )
        for found in found_in:
            date_match = _date_in(found)
            if date_match is not None:
                return replace(date_match, repaired=True, rule="date layout")
        return _date_cells(folded)
    whole = _date_in(match)
    if whole is not None and _short_field(match):
        return replace(whole, repaired=True, rule="date short field")
    return whole


def _short_field(match: re.Match[str]) -> bool:
    """Whether the day, the month or the hour of a date read whole has one digit. The
    screen draws each with two (``JJ/MM/AA[AA] HH:MM``), so a lone digit is its
    neighbour unread: a faint 1 in a shade read as a blank made ``11/10/26`` read
    ``1/10/26``, the 1st of October, confidently (held-out seed 137731, X11 5x8 hard
    photo 21, found by ocrT). Its value is kept as a guess, never confident."""
    return any(match.group(i) is not None and len(match.group(i)) == 1 for i in (1, 2, 4))


def _outside_calendar(match: re.Match[str]) -> bool:
    """Whether a date read whole is none the calendar holds ("16/11/7027": an X11 2
    read 7, tuning seed 92031, X11 5x7 hard photo 23): its cells are then re-decided
    among real dates (the layouts, then :func:`_date_cells`), a guess, not dropped."""
    return _date_in(match) is None


def _date_cells(folded: str) -> FieldMatch | None:
    """A guess from :data:`_DATE_CELLS_RE`: the cells of the date, "?" where unread.

    The caller re-decides every cell among digits (calendar constraints included).
    """
    match = _DATE_CELLS_RE.search(folded)
    year_digits = 0 if match is None else sum(c.isdigit() for c in match.group(3))
    if match is None or year_digits < SETTINGS.date_cells_min_year_digits:
        return None
    positions, groups = group_positions(match, 5)
    shown = "".join(folded[i] if folded[i].isdigit() else "?" for i in positions)
    year_end = 4 + groups[2]
    year = shown[4:year_end] if groups[2] == 4 else "20" + shown[4:year_end]
    value = f"{year}-{shown[2:4]}-{shown[0:2]}"
    if len(groups) == 5:
        value += f"T{shown[year_end : year_end + 2]}:{shown[year_end + 2 :]}"
    return FieldMatch(value, positions, groups, repaired=True, rule="date cells")


def _date_in(match: re.Match[str] | None) -> FieldMatch | None:
    """The date of a match of :data:`_DATE_RE` or of a layout, if it is a real one."""
    if match is None:
        return None
    day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    if not SETTINGS.min_year <= year <= SETTINGS.max_year:
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
    positions, groups = group_positions(match, 5)
    return FieldMatch(value, positions, groups, rule="date")


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
    first, last = SETTINGS.min_year, SETTINGS.max_year
    if groups[2] == 4:
        years = _fits(range(first, last + 1), 4)
        full_years = years
    elif groups[2] == 2:
        years = _fits(range(first % 100, last % 100 + 1), 2)
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


__all__ = ["best_date_digits", "parse_date"]
