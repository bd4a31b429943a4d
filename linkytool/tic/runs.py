"""Runs of clean frames, decoded in bulk for exporters (``TicDecoder(runs=True)``).

A meter repeats most of its groups from one frame to the next, and ``tic decode`` spent its
time on the Python work done for every group of every frame, then for every frame. Here a
run of consecutive frames, each ``STX LF group CR LF group CR ... ETX``, is taken with
no Python loop per frame nor per group, only per group that changes:

1. the feed's data is split at every ETX once (:class:`Snapshot`); the frames from the
   run's STX on are checked for their shape all at once (STX LF ... CR, size, no HT in
   historique found from the data) and split into their groups;
2. frames with as many groups as the one before them form a :class:`Stretch`: its groups
   are compared column by column (the group at one position, frame after frame), and
   only the groups that differ are kept ("changes");
3. the changes of the whole run are checked at once: memo of verified groups, then
   :func:`~linkytool.tic.frame_parser.check_groups` (vectorised) for the new ones; each
   change must keep the label of its column, the first frame of a stretch must have
   unique labels.

A frame is taken only when :func:`~linkytool.tic.frame_parser.parse_frame` would make a
valid frame, without note, of exactly these groups: complete (ETX within the decoder's
size limit), every byte between STX and ETX printable (HT, LF, CR aside), every group
valid in the mode the decoder would use, labels unique and, in historique mode found from
the data, no HT (which would make the frame standard). The first frame that is not ends
the run; the decoder decodes it the ordinary way. After such a frame, the frames are
looked at in windows (:data:`FIRST_WINDOW` frames, then the rest), so that a damaged
capture, where runs are short, does not pay for the whole feed at each run.
tests/tic/test_runs.py checks that both ways give the same frames on random and damaged
streams.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from itertools import accumulate, chain, compress, pairwise, repeat
from operator import and_, contains, getitem, gt, itemgetter, ne, not_

from linkytool.tic import frame_parser
from linkytool.tic.labels import TicMode
from linkytool.tic.model import Entry, FrameRun, Stretch

ETX = b"\x03"
#: What starts a frame of the run: STX then the LF of its first group.
FRAME_START = b"\x02\n"
#: What ends it, before its ETX: the CR of its last group.
FRAME_END = b"\r"
#: A frame's groups: from after STX LF to before the last CR.
_BODY = slice(2, -1)
#: Frames looked at first from a run's start (then all the others of the feed).
FIRST_WINDOW = 32

_label_of = itemgetter(0)


class Snapshot:
    """The decoder's buffer during one ``feed``, split at every ETX once for all the runs
    taken in it (a damaged capture takes many short runs per feed)."""

    __slots__ = ("data", "pieces", "starts")

    def __init__(self, data: bytes) -> None:
        self.data = data
        #: The bytes between ETXs (the last piece: after the last ETX, incomplete).
        self.pieces = data.split(ETX)
        #: Offset of each piece in ``data``.
        self.starts = list(
            accumulate(map(len, self.pieces[:-1]), lambda at, size: at + size + 1, initial=0)
        )

    def frames(self, at: int, limit: int | None = None) -> tuple[list[bytes], list[int]]:
        """The complete frames from ``at`` on (at most ``limit``): the bytes from ``at``
        to the first ETX, then between each ETX and the next (ETX excluded); the offset
        after each ETX."""
        index = bisect_right(self.starts, at) - 1
        last = len(self.pieces) - 1  # the piece after the last ETX is not complete
        stop = last if limit is None else min(last, index + limit)
        if index >= stop:
            return [], []
        first = self.pieces[index][at - self.starts[index] :]
        return [first, *self.pieces[index + 1 : stop]], self.starts[index + 1 : stop + 1]


def take_run(
    snapshot: Snapshot,
    at: int,
    mode: TicMode,
    *,
    tabs_allowed: bool,
    max_frame: int,
    careful: bool = False,
) -> tuple[int, FrameRun | None, bool]:
    """The run of frames starting at the STX at ``at`` in the snapshot's data, checked in
    ``mode`` (``tabs_allowed`` False: historique found from the data, where an HT would
    change the mode); ``max_frame``: the decoder's frame size limit [bytes]; ``careful``:
    the data was damaged nearby, look at :data:`FIRST_WINDOW` frames first.

    Returns (offset after the last frame taken, the run or None, whether the frame after
    the run is complete but cannot be taken)."""
    # the shape of FIRST_WINDOW frames, then of the others when all have it (bytes that
    # are not TIC hold an STX every few hundred bytes: each would look at the whole feed)
    frames, ends = snapshot.frames(at, FIRST_WINDOW)
    count, stopped = _extent(frames, tabs_allowed, max_frame)
    if count == FIRST_WINDOW:
        frames, ends = snapshot.frames(at)
        more, stopped = _extent(frames[count:], tabs_allowed, max_frame)
        count += more
    frames = frames[:count]
    stretches: list[Stretch] = []
    taken = 0
    window = FIRST_WINDOW if careful else count
    while taken < count:
        batch = frames[taken : taken + window]
        made, good = _stretches(batch, mode)
        stretches += made
        taken += good
        if good < len(batch):
            stopped = True
            break
        window = count
    if not stretches:
        return at, None, stopped
    groups = sum(stretch.count * stretch.size for stretch in stretches)
    return ends[taken - 1], FrameRun(mode, stretches, taken, groups), stopped


def _first_false(flags: list[bool]) -> int:
    """Index of the first false flag (their number when all are true)."""
    return flags.index(False) if False in flags else len(flags)


def _extent(frames: list[bytes], tabs_allowed: bool, max_frame: int) -> tuple[int, bool]:
    """How many of ``frames`` (each from its STX to before its ETX) have the shape of a
    clean frame, and whether the first one that has not is complete but not clean (a
    frame the decoder reads, that a run must not take)."""
    starts = list(map(bytes.startswith, frames, repeat(FRAME_START)))
    fits = list(map(gt, repeat(max_frame), map(len, frames)))  # its ETX found in time
    count = min(_first_false(starts), _first_false(fits))
    shaped = frames[:count]
    clean = list(map(bytes.endswith, shaped, repeat(FRAME_END)))
    if not tabs_allowed:
        clean = list(map(and_, clean, map(not_, map(contains, shaped, repeat(b"\t")))))
    good = _first_false(clean)
    return good, good < count


def _stretches(frames: list[bytes], mode: TicMode) -> tuple[list[Stretch], int]:
    """The stretches of ``frames`` (clean-shaped) and how many frames they hold: all of
    them, or up to the first whose groups are not all valid with unique labels."""
    if not frames:
        return [], 0
    bodies: map[bytes] = map(getitem, frames, repeat(_BODY))  # type: ignore[arg-type]
    lines = list(map(bytes.split, bodies, repeat(b"\r\n")))
    sizes = list(map(len, lines))
    bounds = [0, *compress(range(1, len(sizes)), map(ne, sizes[1:], sizes)), len(sizes)]
    made = [_columns(lines[start:end]) for start, end in pairwise(bounds)]
    entries = _check(list(chain.from_iterable(changes for changes, _ in made)), mode)
    stretches: list[Stretch] = []
    offset = 0
    for (changes, columns), (start, end) in zip(made, pairwise(bounds), strict=True):
        own = entries[offset : offset + len(changes)]
        offset += len(changes)
        bad = _first_bad(own, columns, sizes[start])
        if bad is not None:  # frames from start + bad on are not taken: again without them
            stretches, _ = _stretches(frames[: start + bad], mode)
            return stretches, start + bad
        count = end - start
        stretches.append(Stretch(count, sizes[start], changes, own, columns))  # type: ignore[arg-type]
    return stretches, len(frames)


def _columns(lines: list[list[bytes]]) -> tuple[list[bytes], dict[int, list[int]]]:
    """The changes of frames with as many groups each (``lines``: their groups) and the
    columns that change (see :class:`Stretch`)."""
    size = len(lines[0])
    flat = list(chain.from_iterable(lines)) if len(lines) > 1 else lines[0]
    changes = flat[:size]
    columns: dict[int, list[int]] = {}
    # whether each group differs from the one a frame before, frame after frame
    differs = list(map(ne, flat[size:], flat))
    for position in range(size):
        flags = differs[position::size]
        if True in flags:
            held = [position, *range(len(changes), len(changes) + flags.count(True))]
            columns[position] = list(map(held.__getitem__, accumulate(flags, initial=0)))
            changes += compress(flat[position + size :: size], flags)
    return changes, columns


def _first_bad(entries: list[Entry | None], columns: dict[int, list[int]], size: int) -> int | None:
    """The first frame (from 0) of a stretch whose groups are not valid with unique
    labels (``entries``: of its changes, None for an invalid group), None when all are."""
    head = entries[:size]
    if not all(head):
        return 0
    labels = list(map(_label_of, head))  # type: ignore[arg-type]
    if len(set(labels)) != size:
        return 0
    bad: int | None = None
    for position, indexes in columns.items():
        first = indexes[indexes.count(position)]  # its first change
        own = entries[first : indexes[-1] + 1]
        label = labels[position]
        if all(own) and list(map(_label_of, own)).count(label) == len(own):  # type: ignore[arg-type]
            continue
        wrong = [entry is None or entry[0] != label for entry in own].index(True)
        frame = indexes.index(first + wrong)
        if bad is None or frame < bad:
            bad = frame
    return bad


def _check(changes: list[bytes], mode: TicMode) -> list[Entry | None]:
    """(label, parts) of each change, None for one that is not a valid group. New valid
    groups are memoised."""
    cache = frame_parser.verified(mode)
    if len(cache) > frame_parser.VERIFIED_LIMIT:
        cache.clear()
    entries: list[Entry | None] = list(map(cache.get, changes))
    if all(entries):
        return entries
    missed_at = list(compress(range(len(entries)), map(not_, entries)))
    missed = list(map(changes.__getitem__, missed_at))
    if b"".join(missed).translate(None, frame_parser.GROUP_BYTES):  # a stray byte
        clean = list(
            map(not_, map(bytes.translate, missed, repeat(None), repeat(frame_parser.GROUP_BYTES)))
        )
        missed_at = list(compress(missed_at, clean))
        missed = list(compress(missed, clean))
    results = frame_parser.check_groups(missed, mode)
    valid = list(map(not_, map(isinstance, results, repeat(str))))
    if not all(valid):
        missed_at = list(compress(missed_at, valid))
        missed = list(compress(missed, valid))
        results = list(compress(results, valid))
    cache.update(zip(missed, results, strict=True))  # type: ignore[arg-type]
    deque(map(entries.__setitem__, missed_at, results), maxlen=0)  # type: ignore[arg-type]
    return entries
