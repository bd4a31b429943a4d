"""Decoder events and their parts: :class:`Frame`, :class:`Group`, :class:`DecodeError`.

All are frozen dataclasses. A frame's valid groups live in a lazy mapping: the decoder
checks every checksum eagerly, but builds :class:`Group` objects and their typed values
only when asked for (decoding a month of capture should not pay for values nobody reads).
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from linkytool.tic.checksum import ChecksumMethod
from linkytool.tic.horodate import Horodate, parse_horodate
from linkytool.tic.labels import HISTORIQUE_INDEXES, TicMode, spec_for
from linkytool.tic.stge import StatusRegister
from linkytool.tic.values import MeterAddress, typed_value


@dataclass(frozen=True, slots=True)
class Group:
    """One valid information group (its checksum passed)."""

    label: str
    #: Data field exactly as sent (padding spaces kept; empty for DATE).
    raw: str
    #: Typed value: int for Wh/VA/A/V..., str, StatusRegister, MeterAddress, datetime...
    value: object
    unit: str | None
    horodate: Horodate | None
    checksum_method: ChecksumMethod

    @classmethod
    def build(
        cls,
        label: str,
        raw: str,
        horodate: str | None,
        mode: TicMode,
        method: ChecksumMethod,
    ) -> Group:
        """A group from its decoded text fields, typed from the label table."""
        spec = spec_for(label, mode)
        stamp = parse_horodate(horodate) if horodate is not None else None
        return cls(
            label=label,
            raw=raw,
            value=typed_value(raw, spec, stamp),
            unit=spec.unit if spec is not None else None,
            horodate=stamp,
            checksum_method=method,
        )


#: What the decoder keeps per valid group before it is materialised: (horodate, data, method).
GroupParts = tuple[str | None, str, ChecksumMethod]


#: Groups are immutable: the same group text repeated frame after frame is built once.
_BUILT: dict[tuple[TicMode, str, GroupParts], Group] = {}
BUILT_LIMIT = 8192


class GroupMap(Mapping[str, Group]):
    """Read-only mapping label -> :class:`Group`, built lazily from checked parts."""

    __slots__ = ("_cache", "_complete", "_mode", "_parts", "lines")

    def __init__(
        self, parts: dict[str, GroupParts], mode: TicMode, lines: list[bytes] | None = None
    ) -> None:
        self._parts = parts
        self._mode = mode
        self._cache: dict[str, Group] = {}
        self._complete = False
        #: The groups' bytes (between LF and CR) in order, one per label, when every label
        #: is unique (None otherwise): what exporters key their memoised text on.
        self.lines = lines

    def _build(self, label: str, parts: GroupParts) -> Group:
        key = (self._mode, label, parts)
        group = _BUILT.get(key)
        if group is None:
            if len(_BUILT) > BUILT_LIMIT:
                _BUILT.clear()
            horodate, raw, method = parts
            group = _BUILT[key] = Group.build(label, raw, horodate, self._mode, method)
        return group

    def __getitem__(self, label: str) -> Group:
        group = self._cache.get(label)
        if group is None:
            group = self._cache[label] = self._build(label, self._parts[label])
        return group

    def _all(self) -> dict[str, Group]:
        """Every group, built in one pass (what iterating values or items needs)."""
        if not self._complete:
            cache, build, built, mode = self._cache, self._build, _BUILT, self._mode
            self._cache = {
                label: cache.get(label) or built.get((mode, label, parts)) or build(label, parts)
                for label, parts in self._parts.items()
            }
            self._complete = True
        return self._cache

    def values(self) -> ValuesView[Group]:
        return self._all().values()

    def items(self) -> ItemsView[str, Group]:
        return self._all().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def __contains__(self, label: object) -> bool:
        return label in self._parts

    def __hash__(self) -> int:
        # Equal maps hold equal parts (a Group is determined by them): frames stay hashable.
        return hash(frozenset(self._parts.items()))

    def parts(self, label: str) -> GroupParts:
        """The checked (horodate, data, method) of ``label``: a cheap, hashable identity
        of the group (raises KeyError when absent)."""
        return self._parts[label]

    def all_parts(self) -> dict[str, GroupParts]:
        """Label -> checked parts of every group (read-only: do not modify)."""
        return self._parts

    @property
    def mode(self) -> TicMode:
        """Mode the groups were checked in."""
        return self._mode

    def raw(self, label: str) -> str | None:
        """The raw data of ``label`` without building the group (None when absent)."""
        parts = self._parts.get(label)
        return parts[1] if parts is not None else None

    def __repr__(self) -> str:
        return f"GroupMap({ {k: v[1] for k, v in self._parts.items()}!r})"


@dataclass(frozen=True, slots=True)
class BadGroup:
    """A group that failed its checksum or its syntax: never shown as valid."""

    #: The group's bytes as received (latin-1 decoded so every byte survives).
    raw: str
    #: Label when it could be read, else None.
    label: str | None
    #: French reason.
    reason: str


_new = object.__new__


@dataclass(frozen=True)
class Frame:
    """One TIC frame (STX ... ETX), or what could be read of a damaged/partial one."""

    mode: TicMode
    groups: Mapping[str, Group]
    bad_groups: tuple[BadGroup, ...] = ()
    #: French notes on damage: bad groups, missing STX/ETX, EOT, masked bytes...
    errors: tuple[str, ...] = ()
    #: True when the frame had both its STX and its ETX.
    complete: bool = True
    #: Bytes with bit 7 set that were masked (adapter opened 8N1).
    masked_bytes: int = 0
    #: The frame's bytes as received (STX..ETX included when present).
    raw: bytes = field(default=b"", compare=False, repr=False)
    #: Rejected groups counted but not kept in ``bad_groups`` (noise: see frame_parser).
    bad_dropped: int = 0

    @classmethod
    def make(  # noqa: PLR0917 - the fields, in order
        cls,
        mode: TicMode,
        groups: Mapping[str, Group],
        bad_groups: tuple[BadGroup, ...],
        errors: tuple[str, ...],
        complete: bool,
        masked_bytes: int,
        raw: bytes,
        bad_dropped: int = 0,
    ) -> Frame:
        """Same as the constructor, in one C call instead of seven frozen ``__setattr__``
        (the decoder builds one frame per second of capture)."""
        frame = _new(cls)
        frame.__dict__.update(
            mode=mode,
            groups=groups,
            bad_groups=bad_groups,
            errors=errors,
            complete=complete,
            masked_bytes=masked_bytes,
            raw=raw,
            bad_dropped=bad_dropped,
        )
        return frame

    @property
    def bad_count(self) -> int:
        """Groups rejected in this frame (kept or only counted)."""
        return len(self.bad_groups) + self.bad_dropped

    @property
    def valid(self) -> bool:
        """Complete, at least one group and no group failing its checksum."""
        return self.complete and not self.bad_groups and len(self.groups) > 0

    def value(self, label: str) -> object:
        """Typed value of ``label`` (None when absent or bad)."""
        group = self.groups.get(label)
        return group.value if group is not None else None

    def _int(self, label: str) -> int | None:
        value = self.value(label)
        return value if isinstance(value, int) else None

    def raw_of(self, label: str) -> str | None:
        """Raw data of ``label`` (None when absent or bad), without typing it."""
        groups = self.groups
        if isinstance(groups, GroupMap):
            return groups.raw(label)
        group = groups.get(label)
        return group.raw if group is not None else None

    @property
    def meter_id(self) -> str | None:
        """ADSC (standard) or ADCO (historique), raw 12 digits."""
        raw = self.raw_of("ADSC")
        return raw if raw is not None else self.raw_of("ADCO")

    @property
    def address(self) -> MeterAddress | None:
        """Decoded ADSC/ADCO (maker, year, type, serial)."""
        for label in ("ADSC", "ADCO"):
            value = self.value(label)
            if isinstance(value, MeterAddress):
                return value
        return None

    @property
    def prm(self) -> str | None:
        """The 14-digit PRM (standard mode only)."""
        return self.raw_of("PRM")

    @property
    def meter_time(self) -> datetime | None:
        """Meter clock from DATE, tz-aware Europe/Paris."""
        value = self.value("DATE")
        return value if isinstance(value, datetime) else None

    @property
    def tariff(self) -> str | None:
        """Current tariff period: LTARF (standard) or PTEC (historique), stripped."""
        for label in ("LTARF", "PTEC"):
            raw = self.raw_of(label)
            if raw is not None:
                return raw.strip()
        return None

    @property
    def east_wh(self) -> int | None:
        """EAST, total active energy drawn [Wh]."""
        return self._int("EAST")

    @property
    def drawn_labels(self) -> tuple[str, ...]:
        """The labels :attr:`drawn_wh` comes from: ``("EAST",)`` (standard), the option's
        indexes present (historique: ``("HCHC", "HCHP")``...), ``()`` when it is None."""
        if self._int("EAST") is not None:
            return ("EAST",)
        if self.mode is TicMode.STANDARD:
            return ()
        labels = tuple(label for label in HISTORIQUE_INDEXES if label in self.groups)
        if not all(isinstance(self.value(label), int) for label in labels):
            return ()
        return labels

    @property
    def drawn_wh(self) -> int | None:
        """Total active energy drawn [Wh]: EAST (standard), or the sum of the option's
        indexes (historique: BASE, HCHC + HCHP, BBR..., EJP...) when all are valid."""
        labels = self.drawn_labels
        if not labels:
            return None
        return sum(value for label in labels if isinstance(value := self.value(label), int))

    @property
    def eait_wh(self) -> int | None:
        """EAIT, total active energy injected [Wh] (producer mode only)."""
        return self._int("EAIT")

    def _first_int(self, labels: tuple[str, ...]) -> int | None:
        for label in labels:
            value = self._int(label)
            if value is not None:
                return value
        return None

    @property
    def sinsts_va(self) -> int | None:
        """SINSTS (standard; SINST1 on G1 pilot meters) or PAPP (historique), apparent
        power drawn [VA]."""
        return self._first_int(("SINSTS", "SINST1", "PAPP"))

    @property
    def smaxsn_va(self) -> int | None:
        """SMAXSN (SMAXN on G1 pilot meters), today's maximum apparent power drawn [VA]."""
        return self._first_int(("SMAXSN", "SMAXN"))

    @property
    def smaxsn_prev_va(self) -> int | None:
        """SMAXSN-1 (SMAXN-1 on G1 pilot meters), yesterday's maximum [VA]."""
        return self._first_int(("SMAXSN-1", "SMAXN-1"))

    @property
    def power_label(self) -> str | None:
        """Label the drawn power comes from (SINSTS, SINST1 or PAPP), None when absent."""
        for label in ("SINSTS", "SINST1", "PAPP"):
            if self._int(label) is not None:
                return label
        return None

    @property
    def sinsti_va(self) -> int | None:
        """SINSTI, apparent power injected [VA] (producer mode only)."""
        return self._int("SINSTI")

    @property
    def stge(self) -> StatusRegister | None:
        """Decoded STGE status register."""
        value = self.value("STGE")
        return value if isinstance(value, StatusRegister) else None


class ErrorKind(StrEnum):
    """Kinds of stream-level damage reported as :class:`DecodeError` events."""

    GARBAGE = "garbage"  # bytes outside any frame holding no group
    OVERFLOW = "overflow"  # too many bytes without any frame delimiter


@dataclass(frozen=True, slots=True)
class DecodeError:
    """Bytes the decoder had to skip (an event, not an exception)."""

    kind: ErrorKind
    #: French description.
    message: str
    data: bytes = field(repr=False)


Event = Frame | DecodeError


#: (label, parts) of a valid group.
Entry = tuple[str, GroupParts]


@dataclass(frozen=True, slots=True)
class Stretch:
    """Consecutive frames of a :class:`FrameRun` with the same labels in the same order,
    held as columns: the groups of the first frame, then, for each position whose group
    changes, its new groups and which one each frame holds. A meter repeats most groups
    from frame to frame, so this is the frames' data with each group's bytes kept once
    per change, and what exporters render column by column, without a loop per frame."""

    #: Frames.
    count: int
    #: Groups per frame.
    size: int
    #: The groups' bytes (between LF and CR): the first frame's ``size`` groups, then the
    #: groups that changed, column after column (frame after frame within a column).
    changes: list[bytes]
    #: (label, parts) of each of ``changes``.
    entries: list[Entry]
    #: Position of each column that changes -> the index in ``changes`` of its group in
    #: each frame; the other positions hold the first frame's group in every frame.
    columns: dict[int, list[int]]

    def frames(self) -> Iterator[tuple[dict[str, GroupParts], list[bytes]]]:
        """(parts by label, groups' bytes) of each frame (frames may share them:
        read-only)."""
        changes, entries = self.changes, self.entries
        lines = changes[: self.size]
        parts = dict(entries[: self.size])
        for frame in range(self.count):
            moved = [
                (position, indexes[frame])
                for position, indexes in self.columns.items()
                if frame and indexes[frame] != indexes[frame - 1]
            ]
            if moved:
                lines, parts = lines.copy(), parts.copy()
                for position, index in moved:
                    lines[position] = changes[index]
                    label, group = entries[index]
                    parts[label] = group
            yield parts, lines


@dataclass(frozen=True, slots=True)
class FrameRun:
    """Consecutive frames the decoder took in bulk (``TicDecoder(runs=True)``): each one
    complete, clean (``STX LF group CR ... ETX``, printable bytes only) and valid, with
    unique labels, all of one mode. Exporters render them without building a
    :class:`Frame`; :meth:`expand` gives the frames the decoder would have emitted."""

    mode: TicMode
    stretches: list[Stretch]
    #: Frames.
    count: int
    #: Valid groups in all the frames.
    groups: int

    def expand(self) -> list[Frame]:
        """The :class:`Frame` events these frames are, one by one."""
        mode = self.mode
        return [
            Frame.make(
                mode,
                GroupMap(parts, mode, lines),
                (),
                (),
                True,
                0,
                b"\x02\n" + b"\r\n".join(lines) + b"\r\x03",
            )
            for stretch in self.stretches
            for parts, lines in stretch.frames()
        ]


#: What a decoder taking runs emits.
RunEvent = Frame | DecodeError | FrameRun
