"""Standard-mode horodate ``SAAMMJJhhmmss`` → timezone-aware Europe/Paris datetime.

S is the season: ``E`` summer (UTC+2), ``H`` winter (UTC+1); lower case ``e``/``h`` when
the meter's clock runs in degraded mode; a space when no season applies (mobile peak
start/end, DPM/FPM). The raw text is always kept; an unparsable horodate has ``time=None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

#: Season letter -> (season name, UTC offset [h]); lower case means degraded clock.
SEASONS: dict[str, tuple[str, int]] = {"E": ("summer", 2), "H": ("winter", 1)}

HORODATE_LENGTH = 13


@dataclass(frozen=True, slots=True)
class Horodate:
    """A parsed horodate; ``raw`` is the 13 characters as sent."""

    raw: str
    time: datetime | None
    #: "summer", "winter" or None (space: no season, or unparsable).
    season: str | None
    #: True when the season letter is lower case (meter clock in degraded mode).
    degraded: bool

    @property
    def valid(self) -> bool:
        """True when the date and time could be read."""
        return self.time is not None


@lru_cache(maxsize=4096)
def parse_horodate(raw: str) -> Horodate:
    """Parse ``raw`` (13 characters); never raises, ``time`` is None when unreadable."""
    if len(raw) != HORODATE_LENGTH or not raw[1:].isdigit():
        return Horodate(raw, None, None, False)
    letter = raw[0]
    degraded = letter.islower()
    season = SEASONS.get(letter.upper())
    digits = raw[1:]
    try:
        naive = datetime(
            2000 + int(digits[0:2]),
            int(digits[2:4]),
            int(digits[4:6]),
            int(digits[6:8]),
            int(digits[8:10]),
            int(digits[10:12]),
        )
    except ValueError:
        return Horodate(raw, None, season[0] if season else None, degraded)
    if season is None:
        # No season letter: the meter means local (legal) time.
        time = naive.replace(tzinfo=PARIS)
    else:
        offset = timezone(timedelta(hours=season[1]))
        time = naive.replace(tzinfo=offset).astimezone(PARIS)
    return Horodate(raw, time, season[0] if season else None, degraded)


def format_horodate(time: datetime, *, degraded: bool = False) -> str:
    """Encode ``time`` (tz-aware) as a horodate, season from its Europe/Paris offset."""
    local = time.astimezone(PARIS)
    offset = local.utcoffset()
    letter = "E" if offset == timedelta(hours=2) else "H"
    if degraded:
        letter = letter.lower()
    return letter + local.strftime("%y%m%d%H%M%S")
