"""Frames as plain data for JSON lines and CSV (shared by ``tic decode`` and ``tic read``).

JSON object per frame::

    {"time": host ISO time or null, "mode": "standard"|"historique", "meter": ADSC/ADCO,
     "valid": bool, "complete": bool,
     "groups": {LABEL: {"raw", "value", "unit", "horodate"?}},
     "bad_groups": [{"raw", "label", "reason"}], "errors": [French notes]}
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import chain, compress, repeat
from operator import itemgetter, not_
from typing import Any

from linkytool.tic import frame_parser, render
from linkytool.tic.labels import TicMode
from linkytool.tic.model import Entry, Frame, FrameRun, GroupMap, GroupParts, Stretch
from linkytool.tic.render import csv_value, group_to_json, horodate_to_json

__all__ = [
    "GROUP_COLUMNS",
    "FrameRenderer",
    "FrameWriter",
    "csv_value",
    "frame_group_rows",
    "frame_to_dict",
    "frame_to_json",
    "group_to_json",
    "horodate_to_json",
]

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


class FrameRenderer:
    """Renders frames as JSON lines and CSV rows, byte for byte what :func:`frame_to_dict`
    + ``json.dumps(ensure_ascii=False)`` and :func:`frame_group_rows` + ``csv.writer``
    give, at the speed ``tic decode`` needs.

    A meter repeats most groups unchanged from frame to frame (ADSC, PRM, STGE, tariff
    names, day profiles...): each group's text is memoised by its exact bytes
    (``GroupMap.lines``), so a repeated group costs one dictionary look-up, done in C for
    the whole frame. Groups whose bytes are new (indexes, powers, the clock) are rendered
    by :mod:`linkytool.tic.render`'s scalar fast paths, falling back to the reference
    functions for structured values. The memo is bounded (cleared when it grows past
    :data:`MEMO_LIMIT` entries), so memory stays flat over any capture length.
    """

    __slots__ = ("_csv", "_heads", "_json")

    def __init__(self) -> None:
        # memoised text is kept UTF-8 encoded: output is joined and written as bytes, so
        # the accents of repeated groups (ADSC type names) are never encoded again
        self._json: dict[TicMode, dict[bytes, bytes]] = {mode: {} for mode in TicMode}
        self._csv: dict[TicMode, dict[bytes, bytes]] = {mode: {} for mode in TicMode}
        self._heads: dict[tuple[object, ...], bytes] = {}

    # -- JSON lines ------------------------------------------------------------------
    def json_line(self, frame: Frame, time: datetime | None = None) -> str:
        """The JSON text of ``frame_to_dict(frame, time)`` (one line, no newline)."""
        return self.json_bytes(frame, time).decode("utf-8")

    def json_bytes(self, frame: Frame, time: datetime | None = None) -> bytes:
        """:meth:`json_line` encoded in UTF-8 (what ``--format jsonl`` writes)."""
        groups = frame.groups
        lines = groups.lines if isinstance(groups, GroupMap) else None
        if lines is None:
            body = ", ".join(
                [render.group_json_slow(label, group) for label, group in groups.items()]
            ).encode("utf-8")
        else:
            cache = self._json[frame.mode]
            fragments = list(map(cache.get, lines))
            if not all(fragments):
                assert isinstance(groups, GroupMap)
                fragments = _fill(  # type: ignore[assignment]
                    fragments, lines, groups.mode, groups.all_parts(), cache, render.group_json
                )
            body = b", ".join(fragments)  # type: ignore[arg-type]
        meter = frame.meter_id
        valid = frame.complete and not frame.bad_groups and bool(groups)
        key = (frame.mode, meter, valid, frame.complete)
        head = self._heads.get(key)
        if head is None:
            if len(self._heads) > MEMO_LIMIT:
                self._heads.clear()
            head = self._heads[key] = (
                f', "mode": {render.string(frame.mode.value)}, '
                f'"meter": {render.optional_string(meter)}, '
                f'"valid": {render.boolean(valid)}, '
                f'"complete": {render.boolean(frame.complete)}, "groups": {{'
            ).encode()
        stamp = b"null" if time is None else render.string(time.isoformat()).encode("utf-8")
        if not frame.bad_groups and not frame.errors:
            return b'{"time": ' + stamp + head + body + _EMPTY_TAIL
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
        return b'{"time": ' + stamp + head + body + b"}, " + tail[1:].encode("utf-8")

    # -- CSV -------------------------------------------------------------------------
    @staticmethod
    def csv_header() -> str:
        """The CSV header line (with its newline)."""
        return ",".join(key for key, _ in GROUP_COLUMNS) + "\n"

    def csv_rows(self, frame: Frame, index: int, time: datetime | None = None) -> str:
        """The CSV text (newline-terminated rows) of ``frame_group_rows(frame, index, time)``."""
        return self.csv_bytes(frame, index, time).decode("utf-8")

    def csv_bytes(self, frame: Frame, index: int, time: datetime | None = None) -> bytes:
        """:meth:`csv_rows` encoded in UTF-8 (what ``--format csv`` writes)."""
        groups = frame.groups
        common = render.csv_cells(
            [index, time.isoformat() if time is not None else None, frame.mode.value,
             frame.meter_id]
        ).encode("utf-8")  # fmt: skip
        lines = groups.lines if isinstance(groups, GroupMap) else None
        if lines is None:
            tails = [render.group_csv_slow(group).encode("utf-8") for group in groups.values()]
        else:
            cache = self._csv[frame.mode]
            tails = list(map(cache.get, lines))  # type: ignore[arg-type]
            if not all(tails):
                assert isinstance(groups, GroupMap)
                tails = _fill(
                    tails,  # type: ignore[arg-type]
                    lines,
                    groups.mode,
                    groups.all_parts(),
                    cache,
                    render.group_csv,
                )
        text = b""
        if tails:
            lead = common + b","
            text = lead + (b"\n" + lead).join(tails) + b"\n"
        for bad in frame.bad_groups:
            cells = render.csv_cells([bad.label, bad.raw, None, None, None, bad.reason])
            text += common + b"," + cells.encode("utf-8") + b"\n"
        return text

    # -- runs of clean frames ----------------------------------------------------------
    def run_json_bytes(self, run: FrameRun) -> bytes:
        """:meth:`json_bytes` of each frame of ``run`` (no host time), newline-terminated.

        The frames of a run are complete, valid and carry unique labels: their text is
        the groups' memoised text between a head that only depends on the meter and a
        constant tail. Each stretch of the run is rendered column by column (see
        :class:`~linkytool.tic.model.Stretch`): the text of each group that changed is
        looked up once, spread over the frames it lasts, and the frames' texts are
        joined in C, without a Python loop per frame."""
        mode = run.mode
        out: list[bytes] = []
        for stretch in run.stretches:
            texts = self._texts(stretch, mode, self._json, render.group_json_many)
            heads = _meters(stretch, lambda meter: self._run_head(mode, meter))
            rows = map(b", ".join, zip(*_spread_all(stretch, texts), strict=True))
            out += chain.from_iterable(zip(heads, rows, repeat(_RUN_TAIL)))
        return b"".join(out)

    def run_csv_bytes(self, run: FrameRun, first: int) -> bytes:
        """:meth:`csv_bytes` of each frame of ``run`` (no host time; ``first``: the index
        of its first frame), rendered like :meth:`run_json_bytes`."""
        mode = run.mode
        out: list[bytes] = []
        index = first
        for stretch in run.stretches:
            texts = self._texts(stretch, mode, self._csv, render.group_csv_many)
            suffixes = _meters(stretch, lambda meter: _csv_suffix(mode, meter))
            numbers = map(b"%d".__mod__, range(index, index + stretch.count))
            leads = list(map(bytes.__add__, numbers, suffixes))  # one per frame
            rows = zip(*_spread_all(stretch, texts), strict=True)
            between = map(bytes.join, map(b"\n".__add__, leads), rows)
            out += chain.from_iterable(zip(leads, between, repeat(b"\n")))
            index += stretch.count
        return b"".join(out)

    @staticmethod
    def _texts(
        stretch: Stretch,
        mode: TicMode,
        memos: dict[TicMode, dict[bytes, bytes]],
        renderer: Callable[[TicMode, list[Entry]], list[str]],
    ) -> list[bytes]:
        """The text of each of the stretch's changes: memoised by their bytes, the new
        ones rendered all at once."""
        cache = memos[mode]
        changes = stretch.changes
        texts: list[bytes | None] = list(map(cache.get, changes))
        if not all(texts):
            missing = list(compress(range(len(texts)), map(not_, texts)))
            entries = list(map(stretch.entries.__getitem__, missing))
            rendered = list(map(str.encode, renderer(mode, entries)))
            if len(cache) > MEMO_LIMIT:
                cache.clear()
            cache.update(zip(map(changes.__getitem__, missing), rendered, strict=True))
            deque(map(texts.__setitem__, missing, rendered), maxlen=0)
        return texts  # type: ignore[return-value]

    def _run_head(self, mode: TicMode, meter: str | None) -> bytes:
        """``{"time": null, ...`` up to the groups of a valid frame (memoised by meter)."""
        key = (_RUN, mode, meter)
        head = self._heads.get(key)
        if head is None:
            if len(self._heads) > MEMO_LIMIT:
                self._heads.clear()
            head = self._heads[key] = (
                f'{{"time": null, "mode": {render.string(mode.value)}, '
                f'"meter": {render.optional_string(meter)}, '
                '"valid": true, "complete": true, "groups": {'
            ).encode()
        return head


#: Entries of each memo before it is cleared.
MEMO_LIMIT = 8192
_EMPTY_TAIL = b'}, "bad_groups": [], "errors": []}'
_RUN_TAIL = _EMPTY_TAIL + b"\n"
#: Marks the keys of run heads among the frame heads.
_RUN = "run"
#: Stands for "no meter seen yet" (None means a frame without ADSC/ADCO).
_NO_METER: GroupParts = (None, "", frame_parser.METHOD_2)


#: Labels of the meter's address, the first one present names the meter of a frame.
_METER_LABELS = ("ADSC", "ADCO")


def _spread_all(stretch: Stretch, texts: list[bytes]) -> list[Iterator[bytes]]:
    """The text of the group at each position, frame after frame (``texts``: of each
    change of ``stretch``)."""
    columns: list[Iterator[bytes]] = list(map(repeat, texts[: stretch.size], repeat(stretch.count)))
    for position, indexes in stretch.columns.items():
        columns[position] = map(texts.__getitem__, indexes)
    return columns


def _meters(stretch: Stretch, text: Callable[[str | None], bytes]) -> Iterator[bytes]:
    """``text(meter)`` for each frame of ``stretch``: its ADSC, else its ADCO, else None."""
    labels = list(map(itemgetter(0), stretch.entries[: stretch.size]))
    position = next((labels.index(label) for label in _METER_LABELS if label in labels), None)
    if position is None:
        return repeat(text(None), stretch.count)
    indexes = stretch.columns.get(position)
    if indexes is None:
        return repeat(text(stretch.entries[position][1][1]), stretch.count)
    meters = {index: text(stretch.entries[index][1][1]) for index in set(indexes)}
    return map(meters.__getitem__, indexes)


def _csv_suffix(mode: TicMode, meter: str | None) -> bytes:
    """What follows a frame's number in each of its CSV rows, up to its groups' cells."""
    return b"," + render.csv_cells([None, mode.value, meter]).encode("utf-8") + b","


def _fill(  # noqa: PLR0917 - one frame's texts, lines and parts, where to memoise, how
    texts: list[bytes | None],
    lines: list[bytes],
    mode: TicMode,
    parts: dict[str, GroupParts],
    cache: dict[bytes, bytes],
    renderer: Callable[[TicMode, str, GroupParts], str],
) -> list[bytes]:
    """``texts`` (the memoised text of each of ``lines``, None when unknown) complete:
    the unknown groups are rendered and memoised by their bytes (``lines``: one per
    label of ``parts``, in order)."""
    if len(cache) > MEMO_LIMIT:
        cache.clear()
        texts = [None] * len(lines)  # the groups found in it are rendered again
    verified = frame_parser.verified(mode).get
    by_line: dict[bytes, tuple[str, GroupParts]] | None = None
    for line in compress(lines, map(not_, texts)):
        entry = verified(line)  # (label, parts) of that line, when still memoised
        if entry is None:
            if by_line is None:
                by_line = dict(zip(lines, parts.items(), strict=True))
            entry = by_line[line]
        cache[line] = renderer(mode, *entry).encode("utf-8")
    return list(map(cache.__getitem__, lines))


class FrameWriter:
    """Text of frames as ``jsonl`` or ``csv`` lines, the one place frames are rendered
    (``tic decode`` and ``tic read`` both print through it): the CSV header comes once,
    before the first frame's rows."""

    __slots__ = ("_header_done", "_renderer", "output_format")

    def __init__(self, output_format: str) -> None:
        if output_format not in ("jsonl", "csv"):
            raise ValueError(f"unknown frame format {output_format!r}")
        self.output_format = output_format
        self._renderer = FrameRenderer()
        self._header_done = False

    def run_data(self, run: FrameRun, first: int) -> bytes:
        """The text of the frames of ``run`` (``first``: the index of its first frame),
        UTF-8 encoded, exactly what :meth:`data` of each would give (no host time)."""
        renderer = self._renderer
        if self.output_format == "jsonl":
            return renderer.run_json_bytes(run)
        rows = renderer.run_csv_bytes(run, first)
        if not self._header_done:
            self._header_done = True
            return renderer.csv_header().encode("utf-8") + rows
        return rows

    def text(self, frame: Frame, index: int, time: datetime | None = None) -> str:
        """Newline-terminated text of ``frame`` (``index``: its number from 1)."""
        return self.data(frame, index, time).decode("utf-8")

    def data(self, frame: Frame, index: int, time: datetime | None = None) -> bytes:
        """Same as :meth:`text`, UTF-8 encoded (what a file or pipe receives)."""
        renderer = self._renderer
        if self.output_format == "jsonl":
            return renderer.json_bytes(frame, time) + b"\n"
        rows = renderer.csv_bytes(frame, index, time)
        if not self._header_done:
            self._header_done = True
            return renderer.csv_header().encode("utf-8") + rows
        return rows


_RENDERER = FrameRenderer()


def frame_to_json(frame: Frame, time: datetime | None = None) -> str:
    """One JSON line for ``frame``: the text of ``json.dumps(frame_to_dict(frame, time),
    ensure_ascii=False)`` (see :class:`FrameRenderer`)."""
    return _RENDERER.json_line(frame, time)


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
            "value": csv_value(group),
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
