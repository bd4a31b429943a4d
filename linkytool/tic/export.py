"""Frames as plain data for JSON lines and CSV (shared by ``tic decode`` and ``tic read``).

JSON object per frame::

    {"time": host ISO time or null, "mode": "standard"|"historique", "meter": ADSC/ADCO,
     "valid": bool, "complete": bool,
     "groups": {LABEL: {"raw", "value", "unit", "horodate"?}},
     "bad_groups": [{"raw", "label", "reason"}], "errors": [French notes]}
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from linkytool.tic.horodate import Horodate
from linkytool.tic.model import Frame, Group, GroupMap
from linkytool.tic.values import value_to_json

#: CSV columns of :func:`frame_group_rows` (key, header).
GROUP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("frame", "Trame"),
    ("time", "Heure"),
    ("mode", "Mode"),
    ("meter", "Compteur"),
    ("label", "Étiquette"),
    ("raw", "Donnée brute"),
    ("value", "Valeur"),
    ("unit", "Unité"),
    ("horodate", "Horodate"),
    ("status", "Statut"),
)


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


def frame_to_dict(frame: Frame, time: datetime | None = None) -> dict[str, Any]:
    """JSON-ready dict of ``frame``; ``time`` is the host time it was received."""
    return {
        "time": time.isoformat() if time is not None else None,
        "mode": frame.mode.value,
        "meter": frame.meter_id,
        "valid": frame.valid,
        "complete": frame.complete,
        "groups": {label: group_to_json(group) for label, group in frame.groups.items()},
        "bad_groups": [
            {"raw": bad.raw, "label": bad.label, "reason": bad.reason} for bad in frame.bad_groups
        ],
        "errors": list(frame.errors),
    }


#: ``"LABEL": {...}`` JSON text of groups by (mode, label, parts): meters repeat most
#: groups unchanged from frame to frame, so each distinct group is serialised once.
_JSON_TEXT: dict[tuple[object, ...], str] = {}
JSON_TEXT_LIMIT = 8192


def _group_json_text(frame: Frame, label: str) -> str:
    groups = frame.groups
    key = (frame.mode, label, groups.parts(label)) if isinstance(groups, GroupMap) else None
    text = _JSON_TEXT.get(key) if key is not None else None
    if text is None:
        value = json.dumps(group_to_json(groups[label]), ensure_ascii=False)
        text = f"{json.dumps(label, ensure_ascii=False)}: {value}"
        if key is not None:
            if len(_JSON_TEXT) > JSON_TEXT_LIMIT:
                _JSON_TEXT.clear()
            _JSON_TEXT[key] = text
    return text


def frame_to_json(frame: Frame, time: datetime | None = None) -> str:
    """One JSON line for ``frame``: the text of ``json.dumps(frame_to_dict(frame, time))``,
    built from memoised group fragments (what ``--format jsonl`` prints at full speed)."""
    head = json.dumps(
        {
            "time": time.isoformat() if time is not None else None,
            "mode": frame.mode.value,
            "meter": frame.meter_id,
            "valid": frame.valid,
            "complete": frame.complete,
        },
        ensure_ascii=False,
    )
    groups = ", ".join([_group_json_text(frame, label) for label in frame.groups])
    tail = json.dumps(
        {
            "bad_groups": [
                {"raw": bad.raw, "label": bad.label, "reason": bad.reason}
                for bad in frame.bad_groups
            ],
            "errors": list(frame.errors),
        },
        ensure_ascii=False,
    )
    return f'{head[:-1]}, "groups": {{{groups}}}, {tail[1:]}'


_CSV_TAIL: dict[tuple[object, ...], tuple[object, ...]] = {}


def _group_csv_tail(frame: Frame, label: str) -> tuple[object, ...]:
    """(label, raw, value, unit, horodate, status) of a valid group, memoised."""
    groups = frame.groups
    key = (frame.mode, label, groups.parts(label)) if isinstance(groups, GroupMap) else None
    tail = _CSV_TAIL.get(key) if key is not None else None
    if tail is None:
        group = groups[label]
        horodate = group.horodate.raw if group.horodate is not None else ""
        unit = group.unit or ""
        tail = (label, group.raw, _csv_value(group), unit, horodate, "ok")
        if key is not None:
            if len(_CSV_TAIL) > JSON_TEXT_LIMIT:
                _CSV_TAIL.clear()
            _CSV_TAIL[key] = tail
    return tail


def frame_csv_rows(
    frame: Frame, index: int, time: datetime | None = None
) -> list[tuple[object, ...]]:
    """The rows of :func:`frame_group_rows` as tuples in :data:`GROUP_COLUMNS` order, with
    empty strings for missing values (what ``--format csv`` writes at full speed)."""
    common = (
        index,
        time.isoformat() if time is not None else "",
        frame.mode.value,
        frame.meter_id or "",
    )
    rows = [common + _group_csv_tail(frame, label) for label in frame.groups]
    rows += [
        (*common, bad.label or "", bad.raw, "", "", "", bad.reason) for bad in frame.bad_groups
    ]
    return rows


def _csv_value(group: Group) -> object:
    """A flat value for CSV: structured values (STGE, ADSC, RELAIS...) keep their raw text."""
    converted = value_to_json(group.value)
    return group.raw if isinstance(converted, dict | list) else converted


def frame_group_rows(
    frame: Frame, index: int, time: datetime | None = None
) -> list[dict[str, Any]]:
    """One row per group (valid then rejected) for CSV output."""
    common = {
        "frame": index,
        "time": time.isoformat() if time is not None else None,
        "mode": frame.mode.value,
        "meter": frame.meter_id,
    }
    rows = [
        {
            **common,
            "label": group.label,
            "raw": group.raw,
            "value": _csv_value(group),
            "unit": group.unit,
            "horodate": group.horodate.raw if group.horodate is not None else None,
            "status": "ok",
        }
        for group in frame.groups.values()
    ]
    rows += [
        {**common, "label": bad.label, "raw": bad.raw, "status": bad.reason}
        for bad in frame.bad_groups
    ]
    return rows
