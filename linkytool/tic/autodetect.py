"""Find the speed of a TIC line: try 9600 baud (standard), then 1200 (historique).

The installer does not know the meter's TIC mode. At the wrong speed a UART delivers
garbage in which a group with a correct checksum practically never appears, so the right
speed is the one whose groups pass their checksums. Scoring works on groups (``LF ... CR``)
rather than whole frames, so a decision takes a handful of groups (~0.1 s at 9600 baud,
~0.5 s at 1200) instead of waiting for a frame end. The checksum rule comes from TIC-core
(:func:`linkytool.tic.checksum.matching_method`); the separator of the passing groups
gives the mode (HT: standard, SP: historique).

:class:`GroupScore` is pure; :func:`detect_speed` drives a port through the
:class:`DetectablePort` protocol (pyserial's ``Serial`` satisfies it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from linkytool.tic.checksum import matching_method
from linkytool.tic.labels import TicMode

LF, CR, HT, SP = 0x0A, 0x0D, 0x09, 0x20

#: Speeds tried, in order: standard mode first (the mode of new Linky contracts).
DEFAULT_BAUDS: tuple[int, ...] = (9600, 1200)
#: Valid groups needed to accept a speed.
MIN_VALID_GROUPS = 3
#: Longest time listened at each speed before trying the next [s]. A standard meter sends
#: a group every ~25 ms at 9600 baud (3 groups take ~0.1 s), a historique one every
#: ~0.15 s at 1200 baud; the windows leave room for a partial group and USB latency.
LISTEN_WINDOW_S: dict[int, float] = {9600: 0.6, 1200: 2.0}
DEFAULT_WINDOW_S = 2.0
#: Clears bit 7 of every byte (translate table).
MASK_7 = bytes(b & 0x7F for b in range(256))
#: Longest group considered (longer runs without CR are garbage) [bytes].
MAX_GROUP = 160


@dataclass
class GroupScore:
    """Counts groups passing/failing their checksum in a byte stream (incremental)."""

    valid_standard: int = 0
    valid_historique: int = 0
    bad: int = 0
    bytes_seen: int = 0
    _pending: bytearray = field(default_factory=bytearray)

    def feed(self, data: bytes) -> None:
        """Score the complete ``LF ... CR`` groups in ``data`` (partial ones are kept).

        Bytes are masked to 7 bits first: a port read 8N1 shows the parity bit as bit 7,
        so CR (three bits set) arrives as 0x8D while LF stays 0x0A."""
        self.bytes_seen += len(data)
        buffer = self._pending
        buffer += data.translate(MASK_7)
        start = buffer.rfind(b"\n")
        if start < 0:
            buffer.clear()
            return
        for chunk in bytes(buffer[:start]).split(b"\n"):
            end = chunk.find(b"\r")
            if end < 0:
                continue
            self._score(chunk[:end])
        del buffer[:start]
        if len(buffer) > MAX_GROUP:
            tail = buffer.find(b"\r")
            if tail >= 0:
                self._score(bytes(buffer[1:tail]))
            buffer.clear()

    def _score(self, line: bytes) -> None:
        if not 3 <= len(line) <= MAX_GROUP:
            self.bad += 1
        elif line[-2] == HT and matching_method(line, HT, allow_method1=False):
            self.valid_standard += 1
        elif line[-2] == SP and matching_method(line, SP, allow_method1=True):
            self.valid_historique += 1
        else:
            self.bad += 1

    @property
    def valid(self) -> int:
        """Groups that passed their checksum, either mode."""
        return self.valid_standard + self.valid_historique

    @property
    def mode(self) -> TicMode | None:
        """Mode suggested by the separators of the valid groups."""
        if not self.valid:
            return None
        if self.valid_standard >= self.valid_historique:
            return TicMode.STANDARD
        return TicMode.HISTORIQUE

    def accepted(self, minimum: int = MIN_VALID_GROUPS) -> bool:
        """Enough valid groups, and clearly more valid than bad ones."""
        return self.valid >= minimum and self.valid > self.bad


class DetectablePort(Protocol):
    """What speed detection needs from a serial port (pyserial ``Serial`` fits)."""

    baudrate: int

    def read(self, size: int = 1) -> bytes: ...

    def reset_input_buffer(self) -> None: ...

    @property
    def in_waiting(self) -> int: ...


@dataclass(frozen=True)
class Detection:
    """Outcome of one detection pass."""

    baud: int | None
    """The speed whose groups passed their checksums, None when none did."""
    mode: TicMode | None
    elapsed_s: float
    data: bytes
    """Bytes read at the accepted speed (to feed the decoder and the recording), or at
    the last speed tried when none was accepted."""
    tried: tuple[int, ...]
    scores: dict[int, GroupScore]


def detect_speed(
    port: DetectablePort,
    bauds: Sequence[int] = DEFAULT_BAUDS,
    *,
    windows: dict[int, float] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    clock: Callable[[], float] = time.monotonic,
) -> Detection:
    """Listen at each speed in turn; return the first whose groups pass their checksums.

    Raises whatever the port raises (a disconnection is the caller's business).
    """
    windows = windows if windows is not None else LISTEN_WINDOW_S
    started = clock()
    scores: dict[int, GroupScore] = {}
    tried: list[int] = []
    received = bytearray()
    for baud in bauds:
        if should_stop():
            break
        if port.baudrate != baud:
            port.baudrate = baud
        port.reset_input_buffer()
        tried.append(baud)
        score = scores[baud] = GroupScore()
        received = bytearray()
        deadline = clock() + windows.get(baud, DEFAULT_WINDOW_S)
        while clock() < deadline and not should_stop():
            chunk = port.read(max(1, port.in_waiting))
            if not chunk:
                continue
            received += chunk
            score.feed(chunk)
            if score.accepted():
                return Detection(
                    baud, score.mode, clock() - started, bytes(received), tuple(tried), scores
                )
    # Nothing accepted: hand back what the last speed heard (an imposed speed decodes it).
    return Detection(None, None, clock() - started, bytes(received), tuple(tried), scores)
