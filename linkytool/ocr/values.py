"""What a reading's text and value mean, without numpy: the helpers the cross-checks use.

The UI cross-checks the readings its photo workers send back; importing them from
:mod:`linkytool.ocr.grammar` (numpy, the cell grids) cost the UI's thread ~0.15 s just
when the first value was to be shown.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

#: The meter address (ADS, 12 digits) in the engraved references ("ADS : 0123...").
_ADS_RE = re.compile(r"\bAD[S5C]O?\s*:?\s*(\d{12})\b")


def normalise_text(text: str) -> str:
    """Upper-case, accents removed, runs of blanks collapsed, ends stripped."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", ascii_only.upper()).strip()


def ads_number(references: str | None) -> str | None:
    """The 12-digit meter address (ADS) in the references text, if legible."""
    if not references:
        return None
    match = _ADS_RE.search(normalise_text(references))
    return match.group(1) if match else None


def value_from_date(value: str) -> datetime:
    """The naive datetime of a normalised date value (midnight when no time shown)."""
    return datetime.fromisoformat(value)


def date_has_time(value: str) -> bool:
    """True when a normalised date value carries the time (``YYYY-MM-DDTHH:MM``)."""
    return "T" in value


__all__ = ["ads_number", "date_has_time", "normalise_text", "value_from_date"]
