"""Turn the bytes of one frame (between STX and ETX/EOT) into a :class:`Frame`.

Fast path: a clean frame (``LF group CR`` repeated, printable bytes only) is split with
``bytes.split`` and each group checked with one ``sum()``; no per-byte Python work. Any
other frame goes through the careful path, which finds every ``LF ... CR`` group with a
regular expression and reports the bytes in between as bad groups, so that one damaged
group costs that group only.
"""

from __future__ import annotations

import re

from linkytool.tic.checksum import ChecksumMethod
from linkytool.tic.labels import TicMode
from linkytool.tic.model import BadGroup, Frame, GroupMap, GroupParts

LF, CR, HT, SP = 0x0A, 0x0D, 0x09, 0x20
#: Bytes a clean frame body may hold (printable ASCII, HT, LF, CR).
_CLEAN = bytes(range(0x20, 0x7F)) + b"\t\n\r"
#: Bytes a group (between LF and CR) may hold.
_GROUP_BYTES = bytes(range(0x20, 0x7F)) + b"\t"
_CONTROLS = "".join(map(chr, range(0x20)))
_CANDIDATE = re.compile(rb"\n([^\r\n]*)\r")

METHOD_1 = ChecksumMethod.METHOD_1
METHOD_2 = ChecksumMethod.METHOD_2

REASON_CHECKSUM = "checksum invalide"
REASON_SYNTAX = "groupe mal formé"
REASON_BYTES = "caractères de contrôle dans le groupe"
REASON_FRAMING = "début (LF) ou fin (CR) de groupe altéré ou manquant"


def detect_mode(body: bytes) -> TicMode | None:
    """Mode from the separators: standard groups hold HT, historique ones do not."""
    tabs = body.count(b"\t")
    if tabs:
        return TicMode.STANDARD if tabs >= body.count(b"\r") else TicMode.HISTORIQUE
    if body.count(b" ") and body.count(b"\r"):
        return TicMode.HISTORIQUE
    return None


def _bad(line: bytes, reason: str, separator: bytes = b"") -> BadGroup:
    text = line.decode("latin-1")
    label = text.lstrip(_CONTROLS).replace("\t", " ").split(" ", 1)[0]
    printable = label.isprintable() and label.isascii() and 0 < len(label) <= 16
    return BadGroup(text, label if printable else None, reason)


def check_standard(lines: list[bytes], parts: dict[str, GroupParts], bad: list[BadGroup]) -> None:
    """Check standard-mode groups (no LF/CR, printable + HT only) into ``parts``/``bad``."""
    for line in lines:
        if len(line) < 4 or line[-2] != HT:
            bad.append(_bad(line, REASON_SYNTAX, b"\t"))
            continue
        check = line[-1]
        if ((sum(line) - check) & 0x3F) + 0x20 != check:
            bad.append(_bad(line, REASON_CHECKSUM, b"\t"))
            continue
        fields = line.decode("ascii").split("\t")
        if len(fields) == 3 and fields[0]:
            parts[fields[0]] = (None, fields[1], METHOD_2)
        elif len(fields) == 4 and fields[0]:
            parts[fields[0]] = (fields[1], fields[2], METHOD_2)
        else:
            bad.append(_bad(line, REASON_SYNTAX, b"\t"))


def check_historique(lines: list[bytes], parts: dict[str, GroupParts], bad: list[BadGroup]) -> None:
    """Check historique groups; both checksum methods are accepted and recorded."""
    for line in lines:
        if len(line) < 4 or line[-2] != SP:
            bad.append(_bad(line, REASON_SYNTAX, b" "))
            continue
        check = line[-1]
        total = sum(line) - check
        if ((total - SP) & 0x3F) + 0x20 == check:
            method = METHOD_1
        elif (total & 0x3F) + 0x20 == check:
            method = METHOD_2
        else:
            bad.append(_bad(line, REASON_CHECKSUM, b" "))
            continue
        label, sep, data = line[:-2].decode("ascii").partition(" ")
        if sep and label:
            parts[label] = (None, data, method)
        else:
            bad.append(_bad(line, REASON_SYNTAX, b" "))


_CHECKERS = {TicMode.STANDARD: check_standard, TicMode.HISTORIQUE: check_historique}
_SEPARATORS = {TicMode.STANDARD: b"\t", TicMode.HISTORIQUE: b" "}


def _split_clean(body: bytes) -> list[bytes] | None:
    """The groups of a clean body (``LF g CR`` repeated, printable), else None."""
    if len(body) < 2 or body[0] != LF or body[-1] != CR or body.translate(None, _CLEAN):
        return None
    inner = body[1:-1]
    pairs = inner.count(b"\r\n")
    if pairs != inner.count(b"\r") or pairs != inner.count(b"\n"):
        return None
    return inner.split(b"\r\n")


def _split_careful(body: bytes, separator: bytes, bad: list[BadGroup]) -> list[bytes]:
    """Every ``LF ... CR`` group of a damaged body; the bytes between become bad groups."""
    lines: list[bytes] = []
    position = 0
    for match in _CANDIDATE.finditer(body):
        gap = body[position : match.start()]
        if gap.strip(b"\r\n"):
            bad.append(_bad(gap.strip(b"\r\n"), REASON_FRAMING, separator))
        line = match.group(1)
        if line.translate(None, _GROUP_BYTES):
            bad.append(_bad(line, REASON_BYTES, separator))
        else:
            lines.append(line)
        position = match.end()
    tail = body[position:].strip(b"\r\n")
    if tail:
        bad.append(_bad(tail, REASON_FRAMING, separator))
    return lines


def parse_frame(
    body: bytes,
    *,
    mode: TicMode | None,
    complete: bool,
    notes: tuple[str, ...] = (),
    masked_bytes: int = 0,
    raw: bytes = b"",
    default_mode: TicMode = TicMode.STANDARD,
) -> Frame:
    """Decode ``body`` (7-bit bytes between STX and ETX/EOT, delimiters excluded).

    ``mode`` None detects the mode from the separators (``default_mode`` when the body
    holds no group). ``notes`` are French framing notes added to the frame's errors.
    """
    frame_mode = mode or detect_mode(body) or default_mode
    parts: dict[str, GroupParts] = {}
    bad: list[BadGroup] = []
    lines = _split_clean(body)
    if lines is None:
        lines = _split_careful(body, _SEPARATORS[frame_mode], bad)
    _CHECKERS[frame_mode](lines, parts, bad)
    errors = notes
    if bad:
        errors = notes + tuple(
            f"groupe {group.label or '?'} rejeté : {group.reason}" for group in bad
        )
    return Frame(
        frame_mode,
        GroupMap(parts, frame_mode),
        tuple(bad),
        errors,
        complete,
        masked_bytes,
        raw,
    )
