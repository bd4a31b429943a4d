"""Text of one group for JSON lines and CSV, with fast paths for the groups that change.

The reference forms are :func:`group_to_json` (a dict for ``json.dumps``) and
:func:`csv_value`. :func:`group_json` and :func:`group_csv` give the same text without
building a :class:`~linkytool.tic.model.Group`: integers, text, PRM and horodates are
written directly (a horodate's ISO time is assembled from a memo of its hour), anything
else (STGE, ADSC, RELAIS, day profiles: values that rarely change) goes through the
reference path. tests/tic/test_render.py checks both give identical text on arbitrary
groups, and tests/tic/test_golden_decode.py on whole captures.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from linkytool.tic.horodate import HORODATE_LENGTH, Horodate, parse_horodate
from linkytool.tic.labels import TicMode, ValueKind, spec_for
from linkytool.tic.model import Group, GroupParts
from linkytool.tic.values import PARSERS, value_to_json

#: Value kinds whose typed value is an int or a str (rendered without a Group).
_SCALAR_KINDS = frozenset({ValueKind.INT, ValueKind.TEXT, ValueKind.PRM, ValueKind.HEX})
#: Characters that make the csv module quote a field (delimiter, quote, line ends).
_CSV_SPECIAL = frozenset(',"\r\n')


def string(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``."""
    return encode_basestring(text)  # type: ignore[no-any-return]


def optional_string(text: str | None) -> str:
    """JSON string or null."""
    return "null" if text is None else encode_basestring(text)  # type: ignore[no-any-return]


def boolean(value: bool) -> str:
    """JSON true/false."""
    return "true" if value else "false"


def horodate_to_json(horodate: Horodate) -> dict[str, Any]:
    """JSON form of a horodate: raw text, ISO time (or null), degraded flag."""
    return {
        "raw": horodate.raw,
        "time": horodate.time.isoformat() if horodate.time is not None else None,
        "degraded": horodate.degraded,
    }


def group_to_json(group: Group) -> dict[str, Any]:
    """JSON form of a group: raw, typed value, unit, and horodate when present."""
    result: dict[str, Any] = {
        "raw": group.raw,
        "value": value_to_json(group.value),
        "unit": group.unit,
    }
    if group.horodate is not None:
        result["horodate"] = horodate_to_json(group.horodate)
    return result


def csv_value(group: Group) -> object:
    """A flat value for CSV: structured values (STGE, ADSC, RELAIS...) keep their raw text."""
    converted = value_to_json(group.value)
    return group.raw if isinstance(converted, dict | list) else converted


# -- horodates ---------------------------------------------------------------------------

#: ISO text of a horodate's hour: raw[:9] (season + YYMMDDhh) -> ("YYYY-MM-DDThh:",
#: "+01:00"), or None when that hour does not parse. Offsets change only on whole hours
#: (daylight saving at 01:00 UTC, seasons UTC+1/+2), so minutes and seconds carry over.
_HOURS: dict[str, tuple[str, str] | None] = {}
_HOURS_LIMIT = 4096


def horodate_time_iso(raw: str) -> str | None:
    """``parse_horodate(raw).time.isoformat()`` (None when unreadable), memoised by hour."""
    if len(raw) != HORODATE_LENGTH or not raw[1:].isdigit():
        return None
    hour = raw[:9]
    parts = _HOURS.get(hour, False)
    if parts is False:
        if len(_HOURS) > _HOURS_LIMIT:
            _HOURS.clear()
        time = parse_horodate(hour + "0000").time
        parts = _HOURS[hour] = (time.isoformat()[:14], time.isoformat()[19:]) if time else None
    minute, second = raw[9:11], raw[11:13]
    if parts is None or minute > "59" or second > "59":
        return None
    return f"{parts[0]}{minute}:{second}{parts[1]}"  # type: ignore[index]


def horodate_json(raw: str) -> str:
    """JSON text of ``horodate_to_json(parse_horodate(raw))``."""
    iso = horodate_time_iso(raw)
    degraded = len(raw) == HORODATE_LENGTH and raw[1:].isdigit() and raw[0].islower()
    time = "null" if iso is None else f'"{iso}"'
    return f'{{"raw": {encode_basestring(raw)}, "time": {time}, "degraded": {boolean(degraded)}}}'


# -- JSON ------------------------------------------------------------------------------

_UNITS: dict[str | None, str] = {}


def group_json_slow(label: str, group: Group) -> str:
    """``"LABEL": {...}`` through the reference dict and ``json.dumps``."""
    value = json.dumps(group_to_json(group), ensure_ascii=False)
    return f"{encode_basestring(label)}: {value}"


def _scalar_json(value: object) -> str | None:
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return encode_basestring(value)  # type: ignore[no-any-return]
    return None


def group_json(mode: TicMode, label: str, parts: GroupParts) -> str:
    """``"LABEL": {"raw": ..., "value": ..., "unit": ...[, "horodate": {...}]}``."""
    horodate, raw, method = parts
    spec = spec_for(label, mode)
    value: str | None
    if spec is None:
        value = encode_basestring(raw)
    elif spec.kind in _SCALAR_KINDS:
        value = _scalar_json(PARSERS[spec.kind](raw))
    elif spec.kind is ValueKind.DATE:
        iso = horodate_time_iso(horodate) if horodate is not None else None
        value = "null" if iso is None else f'"{iso}"'
    else:
        value = None
    if value is None:
        return group_json_slow(label, Group.build(label, raw, horodate, mode, method))
    unit = spec.unit if spec is not None else None
    text = (
        f'{encode_basestring(label)}: {{"raw": {encode_basestring(raw)}, "value": {value}, '
        f'"unit": {optional_string(unit)}'
    )
    if horodate is not None:
        return f'{text}, "horodate": {horodate_json(horodate)}}}'
    return text + "}"


# -- CSV -------------------------------------------------------------------------------


def csv_cells(cells: Sequence[object]) -> str:
    """One CSV row (no newline) exactly as ``csv.writer(lineterminator="\\n")`` writes it."""
    texts = ["" if cell is None else str(cell) for cell in cells]
    if any(_CSV_SPECIAL.intersection(text) for text in texts) or len(texts) == 1:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(
            ["" if cell is None else cell for cell in cells]
        )
        return buffer.getvalue()[:-1]
    return ",".join(texts)


def group_csv_slow(group: Group) -> str:
    """label,raw,value,unit,horodate,ok of a valid group through the reference path."""
    horodate = group.horodate.raw if group.horodate is not None else None
    return csv_cells([group.label, group.raw, csv_value(group), group.unit, horodate, "ok"])


def group_csv(mode: TicMode, label: str, parts: GroupParts) -> str:
    """Same as :func:`group_csv_slow`, without building the group for scalar values."""
    horodate, raw, method = parts
    spec = spec_for(label, mode)
    value: object
    if spec is None:
        value = raw
    elif spec.kind in _SCALAR_KINDS:
        value = PARSERS[spec.kind](raw)
        if type(value) is not int and type(value) is not str:
            return group_csv_slow(Group.build(label, raw, horodate, mode, method))
    elif spec.kind is ValueKind.DATE:
        value = horodate_time_iso(horodate) if horodate is not None else None
    else:
        return group_csv_slow(Group.build(label, raw, horodate, mode, method))
    unit = spec.unit if spec is not None else None
    return csv_cells([label, raw, value, unit, horodate, "ok"])
