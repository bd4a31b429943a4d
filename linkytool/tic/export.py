"""Frames as plain data for JSON lines and CSV (shared by ``tic decode`` and ``tic read``).

JSON object per frame::

    {"time": host ISO time or null, "mode": "standard"|"historique", "meter": ADSC/ADCO,
     "valid": bool, "complete": bool,
     "groups": {LABEL: {"raw", "value", "unit", "horodate"?}},
     "bad_groups": [{"raw", "label", "reason"}], "errors": [French notes]}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from linkytool.tic.horodate import Horodate
from linkytool.tic.model import Frame, Group
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
