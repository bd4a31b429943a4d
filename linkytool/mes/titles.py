"""The French names of the meter's three screens, used in messages, file names and the
PDF (from :mod:`linkytool.screen_titles`, keyed by :class:`ReadingField`)."""

from __future__ import annotations

from linkytool.mes.model import ReadingField
from linkytool.screen_titles import SCREEN_TITLES_BY_NAME

SCREEN_TITLES: dict[ReadingField, str] = {
    field: SCREEN_TITLES_BY_NAME[field.value] for field in ReadingField
}
