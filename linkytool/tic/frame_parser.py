"""Turn the bytes of one frame (between STX and ETX/EOT) into a :class:`Frame`.

Fast path: a clean frame (``LF group CR`` repeated, printable bytes only) is split with
``bytes.split`` and each group checked with one ``sum()``; no per-byte Python work. Any
other frame goes through the careful path, which finds every ``LF ... CR`` group with a
regular expression and reports the bytes in between as bad groups, so that one damaged
group costs that group only.
"""

from __future__ import annotations

import re
from itertools import repeat
from operator import add, and_, eq, getitem, itemgetter, ne, or_, sub
from zlib import adler32

from linkytool.tic.checksum import ChecksumMethod
from linkytool.tic.labels import TicMode
from linkytool.tic.model import BadGroup, Frame, GroupMap, GroupParts

LF, CR, HT, SP = 0x0A, 0x0D, 0x09, 0x20
#: Bytes a clean frame body may hold (printable ASCII, HT, LF, CR).
_PRINTABLE = bytes(range(0x20, 0x7F))
#: Bytes a group (between LF and CR) may hold.
GROUP_BYTES = bytes(range(0x20, 0x7F)) + b"\t"
_CONTROLS = "".join(map(chr, range(0x20)))
_CANDIDATE = re.compile(rb"\n([^\r\n]*)\r")

METHOD_1 = ChecksumMethod.METHOD_1
METHOD_2 = ChecksumMethod.METHOD_2

#: Rejected groups of one frame kept as objects (a frame holds at most ~80 groups); the
#: others are only counted (``Frame.bad_dropped``): thousands of tiny "groups" of noise
#: must not cost more than their bytes.
MAX_BAD_KEPT = 64

#: New (not memoised) groups checked in one frame; more is noise, rejected unchecked.
MAX_NEW_GROUPS = 256
REASON_NOISE = f"au-delà de {MAX_NEW_GROUPS} groupes nouveaux dans la trame (bruit)"
REASON_CHECKSUM = "checksum invalide"
REASON_SYNTAX = "groupe mal formé"
REASON_BYTES = "caractères de contrôle dans le groupe"
REASON_FRAMING = "début (LF) ou fin (CR) de groupe altéré ou manquant"


def detect_mode(body: bytes, counts: tuple[int, int] | None = None) -> TicMode | None:
    """Mode from the data: standard groups hold at least two HT each, historique ones none;
    when the separators disagree (damage), the meter-address label decides. ``counts``:
    (HT, CR) in ``body`` when already known."""
    tabs, groups = counts or (body.count(b"\t"), body.count(b"\r"))
    if tabs >= 2 * groups and tabs:
        return TicMode.STANDARD
    if not tabs and groups and b" " in body:
        return TicMode.HISTORIQUE
    if b"\nADSC\t" in body:
        return TicMode.STANDARD
    if b"\nADCO " in body:
        return TicMode.HISTORIQUE
    if tabs:
        return TicMode.STANDARD if tabs >= groups else TicMode.HISTORIQUE
    return None


class Rejected(list[BadGroup]):
    """The rejected groups of a frame: the first :data:`MAX_BAD_KEPT` as objects, the
    others only counted (building thousands of them for noise would cost more than the
    bytes)."""

    dropped = 0

    def reject(self, line: bytes, reason: str) -> None:
        """Record ``line`` as rejected for ``reason``."""
        if len(self) < MAX_BAD_KEPT:
            self.append(_bad(line, reason))
        else:
            self.dropped += 1


def _bad(line: bytes, reason: str) -> BadGroup:
    text = line.decode("latin-1")
    label = text.lstrip(_CONTROLS).replace("\t", " ").split(" ", 1)[0]
    printable = label.isprintable() and label.isascii() and 0 < len(label) <= 16
    return BadGroup(text, label if printable else None, reason)


#: A checked group: (label, parts), or the French reason it is rejected.
Checked = tuple[str, GroupParts] | str


def check_groups(lines: list[bytes], mode: TicMode) -> list[Checked]:
    """Check groups (each without LF/CR, printable ASCII + HT only) of one mode.

    Batched: when every group is valid (the usual case), the checks run as chains of
    ``map`` over all lines (:func:`_check_valid`), without a Python loop per group; else
    group by group (:func:`check_each`, the reference). In historique both checksum
    methods are accepted and recorded; in standard only method 2.
    """
    if not lines:
        return []
    joined = b"\r".join(lines)
    texts = joined.decode("ascii").split("\r")
    # HT is no separator in historique: a group holding one is damaged (an 'I' read as HT
    # keeps the 6-bit checksum), so those lines go through the group-by-group check
    valid = (
        None if mode is TicMode.HISTORIQUE and b"\t" in joined else _check_valid(lines, texts, mode)
    )
    return check_each(lines, texts, mode) if valid is None else valid


def check_each(lines: list[bytes], texts: list[str], mode: TicMode) -> list[Checked]:
    """:func:`check_groups`, one group after the other (``texts``: ``lines`` decoded)."""
    historique = mode is TicMode.HISTORIQUE
    separator = SP if historique else HT
    out: list[Checked] = []
    append = out.append
    for line, total, text in zip(lines, map(sum, lines), texts, strict=True):
        if len(line) < 4 or line[-2] != separator:
            append(REASON_SYNTAX)
            continue
        check = line[-1]
        payload = total - check
        # method_from_sum, inlined: this loop runs for every group that changed
        if (payload & 0x3F) + 0x20 == check:
            method = METHOD_2
        elif historique and ((payload - separator) & 0x3F) + 0x20 == check:
            method = METHOD_1
        else:
            append(REASON_CHECKSUM)
            continue
        if historique:
            label, sep, data = text[:-2].partition(" ")
            good = sep and label and "\t" not in text
            append((label, (None, data, method)) if good else REASON_SYNTAX)
            continue
        fields = text.split("\t")
        count = len(fields)
        label = fields[0]
        if not label or " " in label:  # a label never holds a space ('`' read as SP)
            append(REASON_SYNTAX)
        elif count == 3:
            append((label, (None, fields[1], method)))
        elif count == 4:
            append((fields[0], (fields[1], fields[2], method)))
        else:
            append(REASON_SYNTAX)
    return out


_METHODS = (METHOD_1, METHOD_2)  # by "method 2 matched"
#: Longest line whose byte sum Adler-32 gives exactly (255 * 256 < 65521) [bytes].
_ADLER_SUM = 256
_LAST_TWO = slice(None, -2)
_HORODATE_FIELD = slice(1, -2)  # [horodate] in [label, horodate, data, checksum], else []


def _check_valid(lines: list[bytes], texts: list[str], mode: TicMode) -> list[Checked] | None:
    """What :func:`check_each` gives when every group of ``lines`` is valid, computed with
    ``map`` chains over all of them (each step a loop in C); None as soon as one group
    is not valid (then the caller checks them one by one)."""
    if min(map(len, lines)) < 4:
        return None
    historique = mode is TicMode.HISTORIQUE
    separator = SP if historique else HT
    if any(map(ne, map(itemgetter(-2), lines), repeat(separator))):
        return None
    checks = list(map(itemgetter(-1), lines))
    # sum of the bytes: Adler-32 from 0 holds it in its low 16 bits (plus a multiple of
    # 2**16 above, which the 6-bit checksums ignore) while it stays below 65521
    sums = map(adler32, lines, repeat(0)) if max(map(len, lines)) <= _ADLER_SUM else map(sum, lines)
    payloads = list(map(sub, sums, checks))
    # checksum of method 2: (payload & 0x3F) + 0x20
    method2 = list(map(eq, map(add, map(and_, payloads, repeat(0x3F)), repeat(0x20)), checks))
    if historique:
        if not all(method2):
            method1 = map(
                eq,
                map(add, map(and_, map(sub, payloads, repeat(SP)), repeat(0x3F)), repeat(0x20)),
                checks,
            )
            if not all(map(or_, method2, method1)):
                return None
        heads: map[str] = map(getitem, texts, repeat(_LAST_TWO))
        split = list(map(str.partition, heads, repeat(" ")))
        labels = list(map(itemgetter(0), split))
        if not (all(labels) and all(map(itemgetter(1), split))):
            return None
        datas = map(itemgetter(2), split)
        methods = map(_METHODS.__getitem__, method2)
        return list(zip(labels, zip(repeat(None), datas, methods), strict=True))
    if not all(method2):
        return None
    fields = list(map(str.split, texts, repeat("\t")))
    labels = list(map(itemgetter(0), fields))
    if not all(labels) or not {3, 4}.issuperset(map(len, fields)) or " " in "".join(labels):
        return None
    # 3 fields: (None, data); 4 fields: (horodate, data); data is always next to last
    horodates = map(next, map(iter, map(getitem, fields, repeat(_HORODATE_FIELD))), repeat(None))
    datas = map(itemgetter(-2), fields)
    return list(zip(labels, zip(horodates, datas, repeat(METHOD_2)), strict=True))


#: Verified groups by exact bytes, per mode. A meter repeats most groups unchanged from
#: frame to frame (ADSC, PRM, STGE, tariff names...): checking them again would give the
#: same answer, so the answer is memoised. Bounded: cleared when it grows past the limit.
_VERIFIED: dict[TicMode, dict[bytes, tuple[str, GroupParts]]] = {mode: {} for mode in TicMode}
VERIFIED_LIMIT = 8192


def verified(mode: TicMode) -> dict[bytes, tuple[str, GroupParts]]:
    """The memo of verified groups of ``mode``: group bytes -> (label, parts). Read-only."""
    return _VERIFIED[mode]


def check_lines(
    lines: list[bytes], mode: TicMode, bad: Rejected
) -> tuple[dict[str, GroupParts], list[bytes]]:
    """Valid groups of ``lines`` by label, and the valid lines in order; rejected ones are
    appended to ``bad``."""
    hits = list(map(_VERIFIED[mode].get, lines))
    if all(hits):
        return dict(hits), lines  # type: ignore[arg-type]
    misses = [index for index, hit in enumerate(hits) if hit is None]
    return _check_misses(lines, hits, misses, [lines[index] for index in misses], mode, bad)


def _check_misses(  # noqa: PLR0917 - the state of one frame's check, in order
    lines: list[bytes],
    hits: list[tuple[str, GroupParts] | None],
    misses: list[int],
    missed: list[bytes],
    mode: TicMode,
    bad: Rejected,
) -> tuple[dict[str, GroupParts], list[bytes]]:
    """Check the groups the memo did not know (``missed``, at ``misses`` in ``lines``),
    memoise the valid ones; the parts by label and the valid lines in order."""
    cache = _VERIFIED[mode]
    if len(cache) > VERIFIED_LIMIT:
        cache.clear()
    rejected = False
    for index, result in zip(misses, check_groups(missed, mode), strict=True):
        if isinstance(result, str):
            bad.reject(lines[index], result)
            rejected = True
        else:
            cache[lines[index]] = hits[index] = result
    if not rejected:
        return dict(hits), lines  # type: ignore[arg-type]
    kept = [line for line, hit in zip(lines, hits, strict=True) if hit is not None]
    return dict(filter(None, hits)), kept


def _split_clean(body: bytes) -> tuple[list[bytes], int] | None:
    """The groups of a clean body (``LF g CR`` repeated, printable ASCII and HT) and its
    number of HT, else None. One ``translate`` leaves the body's skeleton (control bytes
    only): a clean body's is ``LF CR`` repeated once HT are removed."""
    skeleton = body.translate(None, _PRINTABLE)
    separators = skeleton.translate(None, b"\t")
    groups = len(separators) // 2
    if not groups or separators != b"\n\r" * groups or body[0] != LF or body[-1] != CR:
        return None
    lines = body[1:-1].split(b"\r\n")
    if len(lines) != groups:  # an HT between a CR and the next LF
        return None
    return lines, len(skeleton) - 2 * groups


def _fast_groups(
    body: bytes, mode: TicMode | None, default_mode: TicMode, bad: Rejected
) -> tuple[TicMode, dict[str, GroupParts], list[bytes]] | None:
    """(mode, parts, valid lines) of a clean body, checked through the memo, when the
    answer is provably the one of the general path; None otherwise (then nothing was
    appended to ``bad``).

    The mode is the forced one, else the last frame's: a group the memo verified in
    standard mode holds two HT or more, so when the new groups do too, ``detect_mode``
    would say standard; in historique, it would when the body holds no HT (and an SP).
    Memoised groups are clean; the new ones are checked for stray bytes here, so a body
    that passes is exactly a clean one (``_split_clean``)."""
    if body[:1] != b"\n" or body[-1:] != b"\r":
        return None
    lines = body[1:-1].split(b"\r\n")
    frame_mode = mode or default_mode
    cache = _VERIFIED[frame_mode]
    hits = list(map(cache.get, lines))
    if all(hits):
        if mode is None and frame_mode is TicMode.HISTORIQUE and b"\t" in body:
            return None
        return frame_mode, dict(hits), lines  # type: ignore[arg-type]
    misses = [index for index, hit in enumerate(hits) if hit is None]
    missed = [lines[index] for index in misses]
    if not _new_groups_fit(missed, mode, frame_mode, body):
        return None
    return (frame_mode, *_check_misses(lines, hits, misses, missed, frame_mode, bad))


def _new_groups_fit(
    missed: list[bytes], mode: TicMode | None, frame_mode: TicMode, body: bytes
) -> bool:
    """True when the groups of ``body`` the memo does not know (``missed``) hold no stray
    byte and, the mode not being forced, say ``frame_mode`` like the memoised ones (see
    :func:`_fast_groups`)."""
    new = b"".join(missed)
    if new.translate(None, GROUP_BYTES):
        return False
    if mode is None:
        if frame_mode is TicMode.STANDARD:
            return new.count(b"\t") >= 2 * len(missed)
        return b"\t" not in body and b" " in body
    return True


def _split_careful(body: bytes, bad: Rejected) -> list[bytes]:
    """Every ``LF ... CR`` group of a damaged body; the bytes between become bad groups."""
    first, last = body.find(b"\n"), body.rfind(b"\r")
    if 0 <= first < last:  # most often a clean run cut at one or both ends: split it in C
        clean = _split_clean(body[first : last + 1])
        if clean is not None:
            head, tail = body[:first].strip(b"\r\n"), body[last + 1 :].strip(b"\r\n")
            if head:
                bad.reject(head, REASON_FRAMING)
            if tail:
                bad.reject(tail, REASON_FRAMING)
            return clean[0]
    lines: list[bytes] = []
    position = 0
    for match in _CANDIDATE.finditer(body):
        gap = body[position : match.start()]
        if gap.strip(b"\r\n"):
            bad.reject(gap.strip(b"\r\n"), REASON_FRAMING)
        line = match.group(1)
        if line.translate(None, GROUP_BYTES):
            bad.reject(line, REASON_BYTES)
        else:
            lines.append(line)
        position = match.end()
    tail = body[position:].strip(b"\r\n")
    if tail:
        bad.reject(tail, REASON_FRAMING)
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
    bad = Rejected()
    fast = _fast_groups(body, mode, default_mode, bad)
    if fast is not None:
        frame_mode, parts, valid_lines = fast
    else:
        clean = _split_clean(body)
        if clean is None:
            frame_mode = mode or detect_mode(body) or default_mode
            lines = _split_careful(body, bad)
        else:
            lines, tabs = clean
            frame_mode = mode or detect_mode(body, (tabs, len(lines))) or default_mode
        parts, valid_lines = check_lines(lines, frame_mode, bad)
    errors = notes
    dropped = bad.dropped
    if bad:
        errors = notes + tuple(
            f"groupe {group.label or '?'} rejeté : {group.reason}" for group in bad
        )
        if dropped:
            errors += (f"{dropped} autre(s) groupe(s) rejeté(s), non détaillé(s)",)
    return Frame.make(
        frame_mode,
        GroupMap(parts, frame_mode, valid_lines if len(valid_lines) == len(parts) else None),
        tuple(bad),
        errors,
        complete,
        masked_bytes,
        raw,
        dropped,
    )
