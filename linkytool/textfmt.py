"""Plain-text renderings of rows and values (JSON, aligned tables, CSV).

Pure functions shared by every front end and by core exporters: they never print and
never import click, so ``linkytool.tic`` and ``linkytool.acc`` can use them without
loading the command line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

#: (key in the row mapping, column header shown in tables)
Column = tuple[str, str]


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses' usual field types (datetime, Path, Enum...) for JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def dumps_json(value: Any, *, indent: int | None = 2) -> str:
    """Serialise ``value`` as UTF-8 JSON (accents kept readable)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent)


def render_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Render ``rows`` as a plain aligned text table (no colours: safe in pipes)."""
    header = [title for _, title in columns]
    body = [
        ["" if row.get(key) is None else str(row.get(key)) for key, _ in columns] for row in rows
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in body
    ]
    return "\n".join(line.rstrip() for line in lines)


def render_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    """Render ``rows`` as CSV with the column keys as header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow(
            ["" if row.get(key) is None else to_jsonable(row.get(key)) for key, _ in columns]
        )
    return buffer.getvalue()


# -- French renderings of numbers, sizes and dates (what every user-facing text uses) ----

#: Narrow no-break space: the French thousands separator ("12 500,5").
THOUSANDS_SPACE = "\u202f"


def french_number(value: float, spec: str = "g") -> str:
    """``value`` formatted with the ``format()`` ``spec``, in French: decimal comma and a
    narrow no-break space between thousands when ``spec`` groups them (``",.1f"``).

    >>> french_number(0.8, ".1f"), french_number(12500.5, ",.1f"), french_number(5.0)
    ('0,8', '12\u202f500,5', '5')
    """
    text = format(value, spec)
    return text.replace(",", THOUSANDS_SPACE).replace(".", ",")


def french_agree(count: int, singular: str, plural: str) -> str:
    """The form of a word that agrees with ``count`` in French: 0 and 1 take the
    singular (``1 pas a été calculé``, ``3 pas ont été calculés``)."""
    return singular if abs(count) < 2 else plural


def french_count(count: int, singular: str, plural: str) -> str:
    """``count`` and its noun, French agreement: 0 and 1 take the singular
    (``0 rempli``, ``1 incomplet``, ``2 remplis``)."""
    return f"{count} {french_agree(count, singular, plural)}"


def french_megabytes(size_bytes: int, digits: int = 1) -> str:
    """A size in megabytes as the user reads it: ``4,2 Mo`` (1 Mo = 10⁶ bytes [B]); a
    file too small to show at that precision is ``< 0,1 Mo``, never ``0,0 Mo``."""
    smallest = 10.0**-digits
    if 0 < size_bytes < smallest * 500_000:  # rounds to 0
        return f"< {french_number(smallest, f'.{digits}f')} Mo"
    return f"{french_number(size_bytes / 1_000_000, f'.{digits}f')} Mo"


def french_percent(rate: float, digits: int = 1) -> str:
    """A rate in [0, 1] as a French percentage: ``12,5 %``."""
    return f"{french_number(rate * 100, f'.{digits}f')} %"


def french_date(value: date | datetime | None, *, missing: str = "—") -> str:
    """``JJ/MM/AAAA`` (the date part of a datetime as given; convert to Paris time first)."""
    return missing if value is None else value.strftime("%d/%m/%Y")


def french_duration(minutes: float) -> str:
    """A duration [min] as people say it: ``45 min``, ``2 h``, ``6 h 27 min``, ``3 j 2 h``;
    under half a minute ``moins d'une minute`` (never « 0 min »)."""
    total = round(minutes)
    if total == 0:
        return "moins d'une minute"
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    if hours:
        return f"{hours} h {mins:02d} min" if mins else f"{hours} h"
    return f"{mins} min"


_ISO_VALUE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?")


def french_value(value: str) -> str:
    """A reading value as the user reads it: an ISO date ``2026-11-20T14:32`` (as stored
    in a dossier) becomes ``20/11/2026 14:32``; anything else is shown unchanged."""
    match = _ISO_VALUE.fullmatch(value)
    if not match:
        return value
    year, month, day, hour, minute = match.groups()
    text = f"{day}/{month}/{year}"
    return f"{text} {hour}:{minute}" if hour else text


def french_quantity(value: int, unit: str) -> str:
    """A whole quantity with its unit as the user reads it: an index ``8254321`` Wh ->
    ``8 254 321 Wh``, a power ``4200`` VA -> ``4 200 VA`` (narrow no-break space between
    thousands)."""
    return f"{french_number(value, ',d')} {unit}"


def french_index(value: str) -> str:
    """An index as the user reads it: ``12345`` -> ``12 345 kWh`` (narrow no-break space
    between thousands); a value that is not all digits is shown unchanged."""
    return french_quantity(int(value), "kWh") if value.isdigit() else value


def french_datetime(
    value: datetime | None, *, seconds: bool = False, missing: str = "—", joiner: str = " "
) -> str:
    """``JJ/MM/AAAA HH:MM`` (``:SS`` with ``seconds``), as given: convert to Paris time
    first; ``joiner=" à "`` for running text."""
    if value is None:
        return missing
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return value.strftime(f"%d/%m/%Y{joiner}{clock}")


#: A date as typed in a French form or shown by a meter: ``20/11/2026`` (or ``20/11/26``),
#: optionally ``14:32``, ``14h32``, ``14:32:05``, ``à 14:32`` or ``T14:32`` after it.
_FRENCH_DATE = re.compile(
    r"\s*(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})"
    r"(?:(?:\s+(?:à\s+)?|T)(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*"
)


def parse_french_date(text: str) -> date | datetime | None:
    """``20/11/2026`` -> a date, ``20/11/2026 14:32[:05]`` -> a naive datetime (a
    two-digit year is 20AA); None when the text is not of that form or names no real day
    or time (``31/02/2026``).

    >>> parse_french_date("20/11/2026 14h32"), parse_french_date("31/02/2026")
    (datetime.datetime(2026, 11, 20, 14, 32), None)
    """
    match = _FRENCH_DATE.fullmatch(text)
    if not match:
        return None
    day, month, year_text, hour, minute, second = match.groups()
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    try:
        if hour is None:
            return date(year, int(month), int(day))
        return datetime(year, int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None


def form_value(value: Any) -> str:
    """A dossier value as the installer reads and types it in a form: ``20/11/2026``,
    ``20/11/2026 14:32`` (``:SS`` when not 0; aware datetimes as their own local time),
    ``6,48`` (decimal comma, ``6`` for 6.0), ``oui``/``non``; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return french_datetime(value.replace(tzinfo=None), seconds=value.second != 0)
    if isinstance(value, date):
        return french_date(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) >= 1 else repr(value)
        return text.replace(".", ",")
    return str(value)
