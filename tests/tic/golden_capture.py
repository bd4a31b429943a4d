"""A deterministic capture that exercises every way a group can be exported.

The golden test of ``tic decode --format jsonl|csv`` (tests/tic/test_golden_decode.py)
decodes it and compares the output byte for byte with what the exporter printed before it
was rewritten for speed. It mixes, from one seeded generator:

- runs of realistic frames whose indexes, powers and clock change from frame to frame
  (what the speed work caches and what it renders fresh);
- every label of both tables with random data: digits, non-digits, spaces, JSON and CSV
  specials (``"``, ``\\``, ``,``), empty fields; horodates valid, degraded (lower case),
  seasonless, impossible (month 13), around daylight-saving changes;
- unknown labels, a label twice in one frame, historique groups under both checksum
  methods, bad checksums, control bytes, bit-7 bytes (8N1), EOT cuts, garbage.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from linkytool.tic import ChecksumMethod, TicMode, encode_group
from linkytool.tic.horodate import PARIS, format_horodate
from linkytool.tic.labels import LABELS

SEED = 20261120
SPECIALS = '"\\,;'
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))


def _digits(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(length))


def _text(rng: random.Random, length: int) -> str:
    alphabet = PRINTABLE + SPECIALS * 4
    return "".join(rng.choice(alphabet) for _ in range(length))


def _horodate(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.5:  # around a daylight-saving change, either season letter
        base = rng.choice(
            [
                datetime(2025, 3, 30, 1, 0, tzinfo=PARIS),
                datetime(2025, 10, 26, 1, 0, tzinfo=PARIS),
                datetime(2026, 11, 20, 14, 0, tzinfo=PARIS),
            ]
        )
        moment = base + timedelta(seconds=rng.randrange(3 * 3600))
        text = format_horodate(moment, degraded=rng.random() < 0.2)
        if rng.random() < 0.2:
            text = rng.choice("EH") + text[1:]  # the other season's letter
        return text
    if choice < 0.65:
        return " " + _digits(rng, 12)  # no season
    if choice < 0.8:
        return (
            rng.choice("EeHh ")
            + f"26{rng.randrange(0, 15):02d}{rng.randrange(0, 33):02d}"
            + (f"{rng.randrange(0, 26):02d}{rng.randrange(0, 61):02d}{rng.randrange(0, 61):02d}")
        )
    return _text(rng, 13)


def _data(rng: random.Random, length: int) -> str:
    choice = rng.random()
    if choice < 0.55:
        return _digits(rng, length)
    if choice < 0.65:
        return "".join(rng.choice("0123456789ABCDEF") for _ in range(length))
    if choice < 0.75:
        return ""
    if choice < 0.85:
        return " " * length
    return _text(rng, max(length, 1))


#: Labels added to the tables after the golden files were taken: left out, so that the
#: capture stays the same bytes whatever the tables gain.
LATER_LABELS = frozenset({"SINST1", "SMAXN", "SMAXN-1"})


def _random_group(rng: random.Random, mode: TicMode) -> bytes:
    table = LABELS[mode]
    if rng.random() < 0.05:
        label = "X" + _digits(rng, 3)  # unknown label
        spec = None
    else:
        spec = table[rng.choice(sorted(set(table) - LATER_LABELS))]
        label = spec.label
    length = spec.length if spec is not None else rng.randrange(1, 12)
    data = _data(rng, length or rng.randrange(0, 3))
    if mode is TicMode.HISTORIQUE:
        method = rng.choice(list(ChecksumMethod))
        return encode_group(label, data, mode, method=method)
    horodate = None
    if (spec is not None and spec.horodate) or rng.random() < 0.03:
        horodate = _horodate(rng)
    return encode_group(label, data, mode, horodate=horodate)


def _damage(rng: random.Random, group: bytes) -> bytes:
    kind = rng.randrange(5)
    position = rng.randrange(1, len(group) - 1)
    if kind == 0:  # checksum broken
        return group[:-2] + bytes(((group[-2] + 1) & 0x3F | 0x20,)) + group[-1:]
    if kind == 1:  # control byte inside
        return group[:position] + b"\x07" + group[position + 1 :]
    if kind == 2:  # bit 7 set (masked on decode)
        return group[:position] + bytes((group[position] | 0x80,)) + group[position + 1 :]
    if kind == 3:  # first byte after LF dropped
        return group[:1] + group[2:]
    return group[:-1] + b"\x0c"  # CR flipped


def _realistic_run(rng: random.Random, count: int) -> bytes:
    mode = TicMode.STANDARD
    east = rng.randrange(10**6, 10**8)
    moment = datetime(2025, 10, 26, 1, 58, tzinfo=PARIS)
    frames = []
    for _ in range(count):
        power = rng.randrange(0, 12000)
        east += power // 2400
        moment += timedelta(seconds=1.5)
        groups = [
            encode_group("ADSC", "041864123456", mode),
            encode_group("VTIC", "02", mode),
            encode_group("DATE", "", mode, horodate=format_horodate(moment)),
            encode_group("NGTF", "      BASE      ", mode),
            encode_group("EAST", f"{east:09d}", mode),
            encode_group("EASF01", f"{east:09d}", mode),
            encode_group("IRMS1", f"{power // 230:03d}", mode),
            encode_group("SINSTS", f"{power:05d}", mode),
            encode_group("SMAXSN", "", mode, horodate=format_horodate(moment)),
            encode_group("SMAXSN", f"{power:05d}", mode, horodate=format_horodate(moment)),
            encode_group("STGE", "003A0001", mode),
            encode_group("PRM", "30002345678901", mode),
            encode_group("RELAIS", f"{rng.randrange(256):03d}", mode),
            encode_group(
                "PJOURF+1",
                "00004001 06004002 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE "
                "NONUTILE NONUTILE NONUTILE",
                mode,
            ),
        ]
        frames.append(b"\x02" + b"".join(groups) + b"\x03")
    return b"".join(frames)


def golden_capture(seed: int = SEED) -> bytes:
    """The capture's bytes (about 60 kB)."""
    rng = random.Random(seed)
    parts = [b"\x0a\x0d" * 3, _realistic_run(rng, 40)]
    for _ in range(60):
        mode = rng.choice(list(TicMode))
        groups = [_random_group(rng, mode) for _ in range(rng.randrange(1, 25))]
        if rng.random() < 0.4:
            index = rng.randrange(len(groups))
            groups[index] = _damage(rng, groups[index])
        if rng.random() < 0.1:
            groups.append(groups[0])  # the same label twice
        end = b"\x04" if rng.random() < 0.1 else b"\x03"
        if rng.random() < 0.1:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))))
        parts.append(b"\x02" + b"".join(groups) + end)
        if rng.random() < 0.1:
            parts.append(_realistic_run(rng, 3))
    return b"".join(parts)
