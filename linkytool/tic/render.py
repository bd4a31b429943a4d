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
import re
from collections import deque
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from json.encoder import encode_basestring
from operator import and_, attrgetter, is_, itemgetter, not_
from typing import Any

from linkytool.tic.horodate import HORODATE_LENGTH, Horodate, parse_horodate
from linkytool.tic.labels import TicMode, ValueKind, spec_for
from linkytool.tic.model import Entry, Group, GroupParts
from linkytool.tic.values import PARSERS, value_to_json

#: Value kinds whose typed value is an int or a str (rendered without a Group).
_SCALAR_KINDS = frozenset({ValueKind.INT, ValueKind.TEXT, ValueKind.PRM, ValueKind.HEX})
#: Characters that make the csv module quote a field (delimiter, quote, line ends).
_CSV_SPECIAL = frozenset(',"\r\n')
#: True when a text holds no quote and no line end (commas are counted apart).
_CSV_PLAIN = re.compile(r'[^"\r\n]*').fullmatch


def string(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``."""
    return encode_basestring(text)


def optional_string(text: str | None) -> str:
    """JSON string or null."""
    return "null" if text is None else encode_basestring(text)


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
#: Entries of the memos of this module before they are cleared.
MEMO_LIMIT = 4096


def horodate_time_iso(raw: str) -> str | None:
    """``parse_horodate(raw).time.isoformat()`` (None when unreadable), memoised by hour."""
    if len(raw) != HORODATE_LENGTH or not raw[1:].isdigit():
        return None
    parts = _HOURS.get(raw[:9], False)
    if parts is False:
        parts = _hour(raw[:9])
    minute, second = raw[9:11], raw[11:13]
    if parts is None or minute > "59" or second > "59":
        return None
    return f"{parts[0]}{minute}:{second}{parts[1]}"  # type: ignore[index]


def _hour(hour: str) -> tuple[str, str] | None:
    if len(_HOURS) > MEMO_LIMIT:
        _HOURS.clear()
    time = parse_horodate(hour + "0000").time
    iso = time.isoformat() if time is not None else None
    parts = _HOURS[hour] = (iso[:14], iso[19:]) if iso is not None else None
    return parts


def horodate_json(raw: str) -> str:
    """JSON text of ``horodate_to_json(parse_horodate(raw))``."""
    iso = horodate_time_iso(raw)
    if iso is not None:  # a readable horodate: 13 characters, 12 digits
        degraded = "true" if raw[0].islower() else "false"
        return f'{{"raw": "{raw}", "time": "{iso}", "degraded": {degraded}}}'
    lower = len(raw) == HORODATE_LENGTH and raw[1:].isdigit() and raw[0].islower()
    return f'{{"raw": {encode_basestring(raw)}, "time": null, "degraded": {boolean(lower)}}}'


# -- per label -------------------------------------------------------------------------


class _Label:
    """What rendering a label's groups needs, looked up once per (mode, label)."""

    __slots__ = (
        "csv_close",
        "csv_head",
        "csv_open",
        "csv_unit",
        "date",
        "integer",
        "json_close",
        "json_head",
        "json_open",
        "json_unit",
        "parser",
    )

    def __init__(self, mode: TicMode, label: str) -> None:
        spec = spec_for(label, mode)
        unit = spec.unit if spec is not None else None
        self.date = spec is not None and spec.kind is ValueKind.DATE
        #: Parser of a scalar value (None: a structured value, rendered the reference way).
        self.parser: Callable[[str], object] | None = str
        if spec is not None and not self.date:
            self.parser = PARSERS[spec.kind] if spec.kind in _SCALAR_KINDS else None
        #: Decimal integer value: digits render without the parser (the hot path).
        self.integer = spec is not None and spec.kind is ValueKind.INT
        self.json_head = f'{encode_basestring(label)}: {{"raw": '
        self.json_unit = f', "unit": {optional_string(unit)}'
        self.csv_head = csv_cells([label])
        self.csv_unit = csv_cells(["", unit])
        #: An integer group (digits only) is "".join((open, raw, _*_MIDDLE, value, close,
        #: what follows for its horodate (see _*_STAMPS))).
        self.json_open = self.json_head + '"'
        self.json_close = self.json_unit
        self.csv_open = self.csv_head + ","
        self.csv_close = self.csv_unit + ","


_LABELS: dict[TicMode, dict[str, _Label]] = {mode: {} for mode in TicMode}


def _label(mode: TicMode, label: str) -> _Label:
    table = _LABELS[mode]
    info = table.get(label)
    if info is None:
        if len(table) > MEMO_LIMIT:  # unknown labels of damaged input
            table.clear()
        info = table[label] = _Label(mode, label)
    return info


# -- JSON ------------------------------------------------------------------------------


def group_json_slow(label: str, group: Group) -> str:
    """``"LABEL": {...}`` through the reference dict and ``json.dumps``."""
    value = json.dumps(group_to_json(group), ensure_ascii=False)
    return f"{encode_basestring(label)}: {value}"


def group_json(mode: TicMode, label: str, parts: GroupParts) -> str:
    """``"LABEL": {"raw": ..., "value": ..., "unit": ...[, "horodate": {...}]}``."""
    horodate, raw, method = parts
    info = _LABELS[mode].get(label) or _label(mode, label)
    if info.integer and horodate is None and raw.isdigit():  # the most frequent case
        return f'{info.json_head}"{raw}", "value": {int(raw)}{info.json_unit}}}'
    value: str
    if info.date:
        if horodate is None:
            return f'{info.json_head}{encode_basestring(raw)}, "value": null{info.json_unit}}}'
        iso = horodate_time_iso(horodate)
        if iso is None:
            value = "null"
            stamp = horodate_json(horodate)
        else:
            value = f'"{iso}"'
            degraded = "true" if horodate[0].islower() else "false"
            stamp = f'{{"raw": "{horodate}", "time": "{iso}", "degraded": {degraded}}}'
        text = f'{info.json_head}{encode_basestring(raw)}, "value": {value}{info.json_unit}'
        return f'{text}, "horodate": {stamp}}}'
    if info.parser is None:
        return group_json_slow(label, Group.build(label, raw, horodate, mode, method))
    typed = info.parser(raw)
    value = str(typed) if type(typed) is int else encode_basestring(str(typed))
    text = f'{info.json_head}{encode_basestring(raw)}, "value": {value}{info.json_unit}'
    if horodate is not None:
        return f'{text}, "horodate": {horodate_json(horodate)}}}'
    return text + "}"


# -- CSV -------------------------------------------------------------------------------


def csv_cells(cells: Sequence[object]) -> str:
    """One CSV row (no newline) exactly as ``csv.writer(lineterminator="\\n")`` writes it."""
    texts = ["" if cell is None else str(cell) for cell in cells]
    joined = ",".join(texts)
    if len(texts) > 1 and joined.count(",") == len(texts) - 1 and _CSV_PLAIN(joined):
        return joined  # no cell holds a delimiter, a quote or a line end
    if len(texts) == 1 or any(_CSV_SPECIAL.intersection(text) for text in texts):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(
            ["" if cell is None else cell for cell in cells]
        )
        return buffer.getvalue()[:-1]
    return ",".join(texts)


def _csv_cell(text: str) -> str:
    """One CSV field (quoted when the csv module would quote it)."""
    if _CSV_SPECIAL.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def group_csv_slow(group: Group) -> str:
    """label,raw,value,unit,horodate,ok of a valid group through the reference path."""
    horodate = group.horodate.raw if group.horodate is not None else None
    return csv_cells([group.label, group.raw, csv_value(group), group.unit, horodate, "ok"])


def group_csv(mode: TicMode, label: str, parts: GroupParts) -> str:
    """Same as :func:`group_csv_slow`, without building the group for scalar values."""
    horodate, raw, method = parts
    info = _LABELS[mode].get(label) or _label(mode, label)
    if info.integer and horodate is None and raw.isdigit():
        return f"{info.csv_head},{raw},{int(raw)}{info.csv_unit},,ok"
    value: str
    if info.date:
        value = (horodate_time_iso(horodate) if horodate is not None else None) or ""
    elif info.parser is None:
        return group_csv_slow(Group.build(label, raw, horodate, mode, method))
    else:
        value = _csv_cell(str(info.parser(raw)))
    stamp = _csv_cell(horodate) if horodate is not None else ""
    return f"{info.csv_head},{_csv_cell(raw)},{value}{info.csv_unit},{stamp},ok"


# -- many groups at once -----------------------------------------------------------------


def group_json_many(mode: TicMode, entries: list[Entry]) -> list[str]:
    """``[group_json(mode, *entry) for entry in entries]``; the integers (most of the
    groups that change: indexes, powers, currents, horodated maxima and averages) are
    rendered by ``map`` chains."""
    return _many(mode, entries, _json_integers, group_json)


def group_csv_many(mode: TicMode, entries: list[Entry]) -> list[str]:
    """``[group_csv(mode, *entry) for entry in entries]``, integers vectorised."""
    return _many(mode, entries, _csv_integers, group_csv)


#: Horodate (None: none) -> the end of an integer group's JSON / CSV text.
_JSON_STAMPS: dict[str | None, str] = {None: "}"}
_CSV_STAMPS: dict[str | None, str] = {None: ",ok"}
_JSON_MIDDLE = '", "value": '
_CSV_MIDDLE = ","


def _json_stamp(horodate: str) -> str:
    return f', "horodate": {horodate_json(horodate)}}}'


def _csv_stamp(horodate: str) -> str:
    return f"{_csv_cell(horodate)},ok"


def _stamps(
    memo: dict[str | None, str], horodates: list[str | None], make: Callable[[str], str]
) -> list[str]:
    """``memo[horodate]``, ``make(horodate)`` when unknown (then memoised: a meter repeats
    the horodates of its maxima and averages for hours)."""
    stamps = list(map(memo.get, horodates))
    if None in stamps:
        if len(memo) > MEMO_LIMIT:
            default = memo[None]
            memo.clear()
            memo[None] = default
        for index in compress(range(len(stamps)), map(is_, stamps, repeat(None))):
            horodate = horodates[index]
            stamps[index] = memo[horodate] = make(horodate)  # type: ignore[arg-type]
    return stamps  # type: ignore[return-value]


def _json_integers(infos: list[_Label], raws: list[str], horodates: list[str | None]) -> list[str]:
    opens, closes = map(attrgetter("json_open"), infos), map(attrgetter("json_close"), infos)
    values = map(str, map(int, raws))
    stamps = _stamps(_JSON_STAMPS, horodates, _json_stamp)
    pieces = zip(opens, raws, repeat(_JSON_MIDDLE), values, closes, stamps)
    return list(map("".join, pieces))


def _csv_integers(infos: list[_Label], raws: list[str], horodates: list[str | None]) -> list[str]:
    opens, closes = map(attrgetter("csv_open"), infos), map(attrgetter("csv_close"), infos)
    values = map(str, map(int, raws))
    stamps = _stamps(_CSV_STAMPS, horodates, _csv_stamp)
    pieces = zip(opens, raws, repeat(_CSV_MIDDLE), values, closes, stamps)
    return list(map("".join, pieces))


def _many(
    mode: TicMode,
    entries: list[Entry],
    integers: Callable[[list[_Label], list[str], list[str | None]], list[str]],
    one: Callable[[TicMode, str, GroupParts], str],
) -> list[str]:
    """Render ``entries`` with ``one``, except the integers (digits only, with or without
    horodate), rendered all at once by ``integers``."""
    labels = list(map(itemgetter(0), entries))
    table = _LABELS[mode]
    for label in set(labels).difference(table):
        _label(mode, label)
    infos = list(map(table.get, labels))
    if None in infos:  # the table was cleared meanwhile (thousands of unknown labels)
        return [one(mode, *entry) for entry in entries]
    parts = list(map(itemgetter(1), entries))
    raws = list(map(itemgetter(1), parts))
    horodates = list(map(itemgetter(0), parts))
    simple = list(map(and_, map(attrgetter("integer"), infos), map(str.isdigit, raws)))
    if all(simple):
        return integers(infos, raws, horodates)  # type: ignore[arg-type]
    out = [""] * len(entries)
    at = list(compress(range(len(entries)), simple))
    if at:
        texts = integers(
            list(map(infos.__getitem__, at)),  # type: ignore[arg-type]
            list(map(raws.__getitem__, at)),
            list(map(horodates.__getitem__, at)),
        )
        deque(map(out.__setitem__, at, texts), maxlen=0)
    for index in compress(range(len(entries)), map(not_, simple)):
        out[index] = one(mode, labels[index], parts[index])
    return out
