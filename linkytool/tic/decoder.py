"""The sans-I/O TIC decoder: ``feed(bytes)``, then ``next_event()`` or iterate.

Like h11's ``receive_data()``/``next_event()``: the decoder owns no port, no thread and no
clock, so the serial reader, the capture reader, the simulator's tests and the UI all share
it. Feeding byte by byte yields exactly the events feeding everything at once yields: every
decision is taken on a delimiter (STX, ETX, EOT) or on a fixed size limit, never on where a
chunk happens to end.

Stream rules:

- ``STX ... ETX`` is a frame; ``STX ... EOT`` a frame cut by the meter (``complete=False``);
  ``STX ... STX`` a frame whose ETX was lost (``complete=False``).
- Bytes outside frames that hold groups (the partial first frame of a capture started
  mid-frame, or a frame whose STX was lost) become an incomplete frame; other bytes become a
  :class:`~linkytool.tic.model.DecodeError` event (garbage).
- Bytes with bit 7 set (adapter opened 8N1 instead of 7E1) are masked to 7 bits and counted
  in the frame's ``masked_bytes``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from linkytool.tic.frame_parser import parse_frame
from linkytool.tic.labels import TicMode
from linkytool.tic.model import (
    DecodeError,
    ErrorKind,
    Event,
    Frame,
    FrameRun,
    RunEvent,
)
from linkytool.tic.runs import Snapshot, take_run

STX, ETX, EOT, LF = 0x02, 0x03, 0x04, 0x0A
#: Frame delimiters, with or without bit 7 (8N1 adapters show the parity bit).
_DELIMITER = re.compile(rb"[\x02\x03\x04\x82\x83\x84]")
#: A run of STX (with or without bit 7): all but the last open empty frames.
_STX_RUN = re.compile(rb"[\x02\x82]+")
#: Garbage is reported in events of at most this many bytes [bytes]: consecutive garbage
#: (an STX flood, noise between frames) is one event, not one per byte.
GARBAGE_EVENT = 65536
_MASK_7 = bytes(b & 0x7F for b in range(256))
_HIGH = bytes(range(0x80, 0x100))
#: A frame longer than this [bytes] is cut (a standard frame is about 1 kB).
MAX_FRAME = 16384

NOTE_NO_ETX = "trame sans ETX (coupée par la trame suivante)"
NOTE_EOT = "trame interrompue par le compteur (EOT)"
NOTE_NO_STX = "début de trame manquant (STX absent)"
NOTE_TRUNCATED = "trame coupée (fin des données)"
NOTE_TOO_LONG = f"trame de plus de {MAX_FRAME} octets sans fin : coupée"


def _find_delimiter(buffer: bytearray, start: int, end: int) -> int:
    """First STX/ETX/EOT in ``buffer[start:end]`` (-1 if none): three ``find`` calls, each
    bounded by the best hit so far, are far faster than a regular expression."""
    best = -1
    for delimiter in (b"\x03", b"\x02", b"\x04"):
        at = buffer.find(delimiter, start, end)
        if at >= 0:
            best = end = at
    return best


def _find_delimiter_8bit(buffer: bytearray, start: int, end: int) -> int:
    """Same, when bytes with bit 7 set are about (8N1 adapters show STX as 0x82...)."""
    match = _DELIMITER.search(buffer, start, end)
    return -1 if match is None else match.start()


def mask_7bit(data: bytes) -> tuple[bytes, int]:
    """``data`` with bit 7 cleared, and how many bytes had it set."""
    if data.isascii():
        return data, 0
    return data.translate(_MASK_7), len(data) - len(data.translate(None, _HIGH))


@dataclass(slots=True)
class DecoderStats:
    """Running counts since the decoder was created."""

    frames: int = 0
    frames_valid: int = 0
    groups_ok: int = 0
    groups_bad: int = 0
    garbage_bytes: int = 0
    masked_bytes: int = 0

    @property
    def checksum_error_rate(self) -> float:
        """Bad groups / all groups (0.0 when no group was seen)."""
        total = self.groups_ok + self.groups_bad
        return self.groups_bad / total if total else 0.0


class TicDecoder:
    """Incremental TIC decoder for both modes.

    ``mode`` None (default) detects the mode of each frame from its separators; a
    :class:`TicMode` forces it.

    ``runs=True`` is for exporters: consecutive clean, valid, complete frames found in
    the data of one ``feed`` are emitted as one :class:`FrameRun` (see
    :meth:`run_events`) instead of one :class:`Frame` each. Everything else (counts,
    garbage, mode, the frames themselves once expanded) is what ``runs=False`` gives.
    """

    def __init__(self, mode: TicMode | None = None, *, runs: bool = False) -> None:
        self._forced_mode = mode
        self._runs = runs
        #: Buffer offset of a complete frame a run stopped at (it is not clean): the
        #: frame is decoded the careful way, without trying it as a run again.
        self._run_failed = -1
        #: Copy of the buffer, taken for runs during one ``_process``.
        self._snapshot: Snapshot | None = None
        #: A run stopped at a frame it could not take during this ``_process``.
        self._damaged = False
        self._buffer = bytearray()
        #: Where the next delimiter search starts, relative to the buffer.
        self._scan = 0
        #: True when the buffer starts with an STX.
        self._in_frame = False
        self._events: deque[RunEvent] = deque()
        self._closed = False
        #: The buffer may hold bytes with bit 7 set (then delimiters may be 0x82..0x84).
        self._high = False
        #: Garbage not yet reported (reported before the next frame, at GARBAGE_EVENT bytes
        #: or at close, so that chunking never changes the events).
        self._garbage_pending = bytearray()
        self.mode: TicMode | None = mode
        self.stats = DecoderStats()

    # -- input -----------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        """Add received bytes; complete frames become pending events."""
        if self._closed:
            raise RuntimeError("feed() after close()")
        if data:
            if not self._buffer:
                self._high = False
            self._high = self._high or not data.isascii()
            self._buffer += data
            self._process()

    def close(self) -> None:
        """End of stream: what is left becomes a last (incomplete) frame or garbage."""
        if self._closed:
            return
        self._closed = True
        if self._buffer:
            data = bytes(self._buffer)
            self._buffer.clear()
            if self._in_frame:
                self._emit_frame(data, data[1:], complete=False, note=NOTE_TRUNCATED)
            else:
                self._emit_orphan(data)
        self._report_garbage()

    # -- output ----------------------------------------------------------------------
    def next_event(self) -> Event | None:
        """The next pending event, or None when more data is needed."""
        if not self._events:
            return None
        event = self._events.popleft()
        if isinstance(event, FrameRun):
            frames = event.expand()
            self._events.extendleft(reversed(frames[1:]))
            return frames[0]
        return event

    def __iter__(self) -> Iterator[Event]:
        """Iterate over the pending events (stops when more data is needed); runs are
        expanded into their frames."""
        while self._events:
            event = self._events.popleft()
            if isinstance(event, FrameRun):
                yield from event.expand()
            else:
                yield event

    def run_events(self) -> Iterator[RunEvent]:
        """Iterate over the pending events, runs of clean frames as they are."""
        while self._events:
            yield self._events.popleft()

    def frames(self) -> Iterator[Frame]:
        """Iterate over the pending frames only (garbage events are dropped)."""
        for event in self:
            if isinstance(event, Frame):
                yield event

    # -- machinery -------------------------------------------------------------------
    def _process(self) -> None:
        buffer = self._buffer
        self._snapshot = None
        self._damaged = False
        start = 0
        scan = self._scan
        find = _find_delimiter_8bit if self._high else _find_delimiter
        while True:
            limit = start + MAX_FRAME
            at = find(buffer, scan, limit)
            if at < 0:
                if len(buffer) >= limit:
                    self._cut(buffer, start, limit)
                    start = scan = limit
                    self._in_frame = False
                    continue
                scan = len(buffer)
                break
            kind = buffer[at] & 0x7F
            if kind == STX:
                if at > start:
                    segment = bytes(buffer[start:at])
                    if self._in_frame:
                        self._emit_frame(segment, segment[1:], complete=False, note=NOTE_NO_ETX)
                    else:
                        self._emit_orphan(segment)
                if at + 1 < len(buffer) and buffer[at + 1] & 0x7F == STX:
                    # STX STX ... opens empty frames: garbage, taken as one run
                    run = _STX_RUN.match(buffer, at)
                    assert run is not None
                    last = run.end() - 1
                    self._garbage(bytes(buffer[at:last]))
                    at = last
                self._in_frame = True
                start = at
                scan = at + 1
                if self._runs and at != self._run_failed:
                    end = self._take_run(buffer, at)
                    if end > at:
                        self._in_frame = False
                        start = scan = end
            else:
                if self._runs and kind == ETX and self._in_frame and start != self._run_failed:
                    # a frame begun in an earlier feed: it may start a run too
                    end = self._take_run(buffer, start)
                    if end > start:
                        self._in_frame = False
                        start = scan = end
                        continue
                segment = bytes(buffer[start : at + 1])
                if self._in_frame:
                    if kind == ETX:
                        self._emit_frame(segment, segment[1:-1], complete=True)
                    else:
                        self._emit_frame(segment, segment[1:-1], complete=False, note=NOTE_EOT)
                else:
                    self._emit_orphan(segment, segment[:-1])
                self._in_frame = False
                start = scan = at + 1
        if start:
            del buffer[:start]
        self._scan = scan - start
        self._run_failed = -1

    def _take_run(self, buffer: bytearray, at: int) -> int:
        """Emit the clean, valid, complete frames starting at the STX at ``at`` as one
        :class:`FrameRun` (see :mod:`linkytool.tic.runs`); the offset after the last one
        taken (``at`` when none)."""
        if self._snapshot is None:  # one copy of the buffer for all the runs of a feed
            self._snapshot = Snapshot(bytes(buffer))
        forced = self._forced_mode
        mode = forced or self.mode or TicMode.STANDARD
        end, run, stopped = take_run(
            self._snapshot,
            at,
            mode,
            tabs_allowed=forced is not None or mode is TicMode.STANDARD,
            max_frame=MAX_FRAME,
            careful=self._damaged,
        )
        if stopped:
            self._run_failed = end
            self._damaged = True
        if run is not None:
            stats = self.stats
            stats.frames += run.count
            stats.frames_valid += run.count
            stats.groups_ok += run.groups
            self.mode = mode
            if self._garbage_pending:
                self._report_garbage()
            self._events.append(run)
        return end

    def _cut(self, buffer: bytearray, start: int, limit: int) -> None:
        segment = bytes(buffer[start:limit])
        if self._in_frame:
            self._emit_frame(segment, segment[1:], complete=False, note=NOTE_TOO_LONG)
        else:
            self._emit_orphan(segment)

    def _emit_frame(
        self, raw: bytes, body: bytes, *, complete: bool, note: str | None = None
    ) -> None:
        body, masked = mask_7bit(body)
        notes: tuple[str, ...] = (note,) if note else ()
        if masked:
            notes += (f"{masked} octet(s) avec le bit 7 à 1 masqué(s) (adaptateur en 8N1 ?)",)
        frame = parse_frame(
            body,
            mode=self._forced_mode,
            complete=complete,
            notes=notes,
            masked_bytes=masked,
            raw=raw,
            default_mode=self.mode or TicMode.STANDARD,
        )
        if frame.groups or frame.bad_groups or complete:
            self._record(frame)
            if self._garbage_pending:
                self._report_garbage()
            self._events.append(frame)
        else:
            self._garbage(raw)

    def _emit_orphan(self, raw: bytes, body: bytes | None = None) -> None:
        """Bytes outside STX..ETX (``body``: without a closing ETX/EOT): a partial frame
        when they hold a group, else garbage."""
        body = raw if body is None else body
        masked, _ = mask_7bit(body)
        if b"\r" in masked and b"\n" in masked:
            self._emit_frame(raw, body, complete=False, note=NOTE_NO_STX)
        else:
            self._garbage(raw)

    def _garbage(self, raw: bytes) -> None:
        self.stats.garbage_bytes += len(raw)
        pending = self._garbage_pending
        pending += raw
        while len(pending) >= GARBAGE_EVENT:
            self._events.append(_garbage_event(bytes(pending[:GARBAGE_EVENT])))
            del pending[:GARBAGE_EVENT]

    def _report_garbage(self) -> None:
        if self._garbage_pending:
            self._events.append(_garbage_event(bytes(self._garbage_pending)))
            self._garbage_pending.clear()

    def _record(self, frame: Frame) -> None:
        stats = self.stats
        stats.frames += 1
        stats.frames_valid += frame.valid
        stats.groups_ok += len(frame.groups)
        stats.groups_bad += frame.bad_count
        stats.masked_bytes += frame.masked_bytes
        if frame.groups:
            self.mode = frame.mode


def _garbage_event(data: bytes) -> DecodeError:
    return DecodeError(ErrorKind.GARBAGE, f"{len(data)} octet(s) hors trame ignoré(s)", data)


def decode_bytes(data: bytes, mode: TicMode | None = None) -> list[Event]:
    """All events of a complete byte stream (``feed`` + ``close``)."""
    decoder = TicDecoder(mode)
    decoder.feed(data)
    decoder.close()
    return list(decoder)
