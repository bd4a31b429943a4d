"""Runs of clean frames, decoded in bulk for exporters (``TicDecoder(runs=True)``).

A meter repeats most of its groups from one frame to the next, and ``tic decode`` spent its
time on the Python work done for every group of every frame. Here a run of consecutive
frames, each ``STX LF group CR LF group CR ... ETX``, is taken in three passes:

1. each frame is split into its groups and compared with the frame before it (same number
   of groups): only the groups that differ are kept ("changes");
2. the changes of the whole run are checked at once: memo of verified groups, then
   :func:`~linkytool.tic.frame_parser.check_groups` (vectorised) for the new ones;
3. each frame gets its parts: the previous frame's with the changed groups replaced,
   provided they kept their labels (else the frame's own, when its labels are unique).

A frame is taken only when :func:`~linkytool.tic.frame_parser.parse_frame` would make a
valid frame, without note, of exactly these groups: complete (ETX within the decoder's
size limit), every byte between STX and ETX printable (HT, LF, CR aside), every group
valid in the mode the decoder would use, labels unique and, in historique mode found from
the data, no HT (which would make the frame standard). The first frame that is not ends
the run; the decoder decodes it the ordinary way. tests/tic/test_runs.py checks that both
ways give the same frames on random and damaged streams.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from itertools import compress, repeat
from operator import itemgetter, ne, not_

from linkytool.tic import frame_parser
from linkytool.tic.labels import TicMode
from linkytool.tic.model import CleanFrame, FrameRun, GroupParts

CR = 0x0D
#: What starts a frame of the run: STX then the LF of its first group.
FRAME_START = b"\x02\n"
ETX = b"\x03"

_label_of = itemgetter(0)


def take_run(
    data: bytes, at: int, mode: TicMode, *, tabs_allowed: bool, max_frame: int
) -> tuple[int, FrameRun | None, bool]:
    """The run of frames starting at the STX at ``at`` in ``data``, checked in ``mode``
    (``tabs_allowed`` False: historique found from the data, where an HT would change the
    mode); ``max_frame``: the decoder's frame size limit [bytes].

    Returns (offset after the last frame taken, the run or None, whether the frame after
    the run is complete but cannot be taken)."""
    starts, frames, changes, ends, stopped = _split_frames(data, at, tabs_allowed, max_frame)
    if not frames:
        return at, None, stopped
    entries, bad = _check_changes(changes, mode)
    limit = len(frames) if bad is None else bisect_right(ends, bad)
    taken, latest, groups = _assemble(frames[:limit], entries)
    if len(taken) < len(frames):
        stopped = True
    if not taken:
        return at, None, stopped
    used = ends[len(taken) - 1]
    run = FrameRun(mode, taken, changes[:used], entries[:used], groups, latest)
    return starts[len(taken)], run, stopped


#: A frame split in pass 1: its groups' bytes and the positions that changed (None: all).
_Split = tuple[list[bytes], list[int] | None]


def _split_frames(
    data: bytes, at: int, tabs_allowed: bool, max_frame: int
) -> tuple[list[int], list[_Split], list[bytes], list[int], bool]:
    """Pass 1: (offset of each frame, then of the end of the last; the frames; the
    changes; the number of changes up to each frame, included; stopped)."""
    position = at
    starts: list[int] = []
    frames: list[_Split] = []
    changes: list[bytes] = []
    ends: list[int] = []
    previous: list[bytes] = []
    stopped = False
    while data.startswith(FRAME_START, position):
        end = data.find(ETX, position + 2, position + max_frame)
        if end < 0:
            break
        body = data[position + 2 : end - 1]  # from the first LF (excluded) to the last CR
        if data[end - 1] != CR or (not tabs_allowed and b"\t" in body):
            stopped = True
            break
        lines = body.split(b"\r\n")
        if len(lines) == len(previous):
            changed = list(compress(range(len(lines)), map(ne, lines, previous)))
            changes += map(lines.__getitem__, changed)
            frames.append((lines, changed))
        else:
            changes += lines
            frames.append((lines, None))
        ends.append(len(changes))
        starts.append(position)
        previous = lines
        position = end + 1
    starts.append(position)
    return starts, frames, changes, ends, stopped


def _check_changes(
    changes: list[bytes], mode: TicMode
) -> tuple[list[tuple[str, GroupParts]], int | None]:
    """Pass 2: (label, parts) of each change, and the index of the first one that is not
    a valid group (None when all are; the entries from there on are meaningless). New
    valid groups are memoised."""
    cache = frame_parser.verified(mode)
    if len(cache) > frame_parser.VERIFIED_LIMIT:
        cache.clear()
    entries = list(map(cache.get, changes))
    if all(entries):
        return entries, None  # type: ignore[return-value]
    missed_at = list(compress(range(len(entries)), map(not_, entries)))
    missed = list(map(changes.__getitem__, missed_at))
    bad: int | None = None
    if b"".join(missed).translate(None, frame_parser.GROUP_BYTES):  # a stray byte
        stray = [bool(line.translate(None, frame_parser.GROUP_BYTES)) for line in missed]
        cut = stray.index(True)
        bad = missed_at[cut]
        del missed_at[cut:], missed[cut:]
    results = frame_parser.check_groups(missed, mode)
    if any(map(isinstance, results, repeat(str))):
        cut = [isinstance(result, str) for result in results].index(True)
        bad = missed_at[cut]
        del missed_at[cut:], missed[cut:], results[cut:]
    cache.update(zip(missed, results, strict=True))  # type: ignore[arg-type]
    deque(map(entries.__setitem__, missed_at, results), maxlen=0)  # type: ignore[arg-type]
    return entries, bad  # type: ignore[return-value]


def _assemble(
    frames: list[_Split], entries: list[tuple[str, GroupParts]]
) -> tuple[list[CleanFrame], list[dict[str, GroupParts]], int]:
    """Pass 3: the frames up to the first whose changed groups do not keep their labels
    (or, for a frame of its own, whose labels repeat); the parts of the last frame of each
    stretch of frames with the same labels; the number of groups taken."""
    taken: list[CleanFrame] = []
    latest: list[dict[str, GroupParts]] = []
    labels: list[str] = []
    parts: dict[str, GroupParts] = {}
    offset = groups = 0
    for lines, changed in frames:
        if changed is None:
            count = len(lines)
            own = entries[offset : offset + count]
            fresh = dict(own)
            if len(fresh) != count:
                break
            if taken:
                latest.append(parts)
            parts = fresh
            labels = list(parts)
        elif changed:
            count = len(changed)
            own = entries[offset : offset + count]
            if list(map(_label_of, own)) != list(map(labels.__getitem__, changed)):
                break
            parts = parts.copy()
            parts.update(own)
        else:
            count = 0
        taken.append((parts, lines, changed))
        offset += count
        groups += len(lines)
    if taken:
        latest.append(parts)
    return taken, latest, groups
