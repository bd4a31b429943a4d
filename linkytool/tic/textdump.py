"""Text dumps of TIC (one group per line, STX/ETX/LF/CR gone) back to frames.

Dumps pasted in issues and READMEs come in three shapes: historique lines (``LABEL SP DATA
SP CK``), standard lines with their HT kept, and standard lines whose HT a terminal
expanded to spaces up to the next multiple of 8 columns ("tab-expanded"). The latter are
rebuilt from the column arithmetic and the label table's field lengths (Enedis-NOI-CPT_54E
§6.2.2): label, HT to the next stop, [13-char horodate, HT], data of the label's fixed
length, HT, checksum. A checksum that is a space disappears with the trailing spaces a
terminal or editor trims: it is restored. A line that does not fit the arithmetic is kept
as is and fails its checksum: it is never guessed into a valid group.

Frames are cut at the mode's first label (ADSC/ADCO), at blank lines (unless the paste
put one after every group) and at ``--`` lines (see :func:`iter_text_dump`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice

from linkytool.tic.frame_parser import parse_frame
from linkytool.tic.horodate import HORODATE_LENGTH
from linkytool.tic.labels import FRAME_START, LABELS, TicMode, spec_for
from linkytool.tic.model import Frame

TAB_STOP = 8
NOTE_TEXT_PARTIAL = "trame incomplète dans l'extrait texte"


def _tab(line: str, position: int) -> int | None:
    """Where an HT starting at ``position`` ends once expanded, if the spaces are there."""
    end = (position // TAB_STOP + 1) * TAB_STOP
    if line[position:end] == " " * (end - position):
        return end
    return None


def rebuild_expanded(line: str) -> str | None:
    """A standard group whose HT were expanded to 8-column stops, with its HT restored.

    Trailing spaces trimmed by a terminal or editor can only hide a space checksum and
    the spaces before it (padding of the data, the HT): they are put back, and the
    checksum then says whether that reading is right. None when the line does not fit the
    label's field lengths and the column arithmetic.
    """
    label = line.split(" ", 1)[0]
    if not label:
        return None
    spec = spec_for(label, TicMode.STANDARD)
    widths: list[int | None] = [spec.length] if spec is not None else [None]
    if spec is not None and spec.horodate:
        widths.insert(0, HORODATE_LENGTH)
    fields = [label]
    position = len(label)
    for expected in widths:
        if position >= len(line):  # the rest was trimmed: blank fields, space checksum
            if expected is None:
                return None
            fields.append(" " * expected)
            continue
        stop = _tab(line, position)
        if stop is None:
            return None
        if expected is None:  # unknown label: assume data without spaces
            space = line.find(" ", stop)
            width = (len(line) if space < 0 else space) - stop
        else:
            width = expected
        value = line[stop : stop + width]
        if len(value) < width and stop + len(value) != len(line):
            return None
        fields.append(value.ljust(width))
        position = stop + width
    if position >= len(line):  # the HT and a space checksum were trimmed
        return "\t".join(fields) + "\t "
    after = _tab(line, position)
    if after is None:
        return None
    rest = line[after:]
    if len(rest) > 1:
        return None
    return "\t".join(fields) + "\t" + (rest or " ")


def _restore_trimmed(line: str, mode: TicMode) -> str:
    """Put back a space checksum (and its separator) that trailing-space trimming removed."""
    if mode is TicMode.STANDARD:
        if line.endswith("\t"):
            return line + " "
        fields = line.split("\t")
        spec = spec_for(fields[0], mode)
        wanted = 3 + (spec is not None and spec.horodate)
        if spec is not None and len(fields) == wanted - 1 and len(fields[-1]) == spec.length:
            return line + "\t "
        return line
    if len(line) >= 2 and line[-2] == " ":
        return line
    label, _, data = line.partition(" ")
    spec = spec_for(label, mode)
    if spec is not None and len(data) == spec.length:
        return line + "  "
    return line


def dump_mode(lines: list[str]) -> TicMode:
    """Mode of a dump: HT means standard, else the table knowing most first words wins."""
    if any("\t" in line for line in lines):
        return TicMode.STANDARD
    standard = historique = 0
    for line in lines:
        word = line.split(" ", 1)[0]
        standard += word in LABELS[TicMode.STANDARD]
        historique += word in LABELS[TicMode.HISTORIQUE]
    return TicMode.STANDARD if standard > historique else TicMode.HISTORIQUE


def text_to_groups(lines: list[str], mode: TicMode) -> list[str | None]:
    """Each line as a group text (None for a frame break: blank line or ``--``)."""
    has_tabs = any("\t" in line for line in lines)
    return [_group_text(line, mode, has_tabs) for line in lines]


def _group_text(line: str, mode: TicMode, has_tabs: bool) -> str | None:
    stripped = line.strip()
    if not stripped or stripped == "--":
        return None
    if mode is TicMode.STANDARD and not has_tabs:
        return rebuild_expanded(line) or line
    return _restore_trimmed(line, mode)


#: Lines looked at before streaming: mode, tabs and blank-line habit are decided on them.
HEAD_LINES = 4096
#: Lines whose group text is memoised before the memo is cleared, and the longest line
#: memoised [characters] (a group is at most ~120): the memo stays under a megabyte.
GROUP_MEMO_LIMIT = 4096
GROUP_MEMO_LINE = 128
#: Groups after which a text frame without a break is cut (a frame holds about 70).
MAX_TEXT_GROUPS = 512
NOTE_TEXT_TOO_LONG = f"plus de {MAX_TEXT_GROUPS} groupes sans séparation : trame coupée"


def double_spaced(lines: list[str]) -> bool:
    """True when the paste put a blank line after (nearly) every group, so that blank
    lines say nothing about frames: most runs of non-blank lines are one line long."""
    runs: list[int] = []
    run = 0
    for line in lines:
        if line.strip():
            run += 1
        elif run:
            runs.append(run)
            run = 0
    if run:
        runs.append(run)
    return len(runs) >= 4 and sum(length == 1 for length in runs) >= 0.8 * len(runs)


def iter_text_dump(lines: Iterable[str], mode: TicMode | None = None) -> Iterator[Frame]:
    """Frames of a text dump given line by line (constant memory).

    Frames are cut at the mode's first label (ADSC/ADCO), at ``--`` lines and at blank
    lines. A frame is complete when it starts with that label and ends at the next one
    or at a blank line: a blank line in a dump stands where the frame's ETX/STX bytes
    were (openHAB's dumps). When blank lines follow nearly every group (a double-spaced
    paste), they are ignored. Mode, HT handling and that habit are decided on the first
    :data:`HEAD_LINES` lines."""
    iterator = iter(lines)
    head = [line.rstrip("\r") for line in islice(iterator, HEAD_LINES)]
    mode = mode or dump_mode(head)
    has_tabs = any("\t" in line for line in head)
    blank_breaks = not double_spaced(head)
    start_label = FRAME_START[mode]
    separator = "\t" if mode is TicMode.STANDARD else " "
    current: list[str] = []
    starts_clean = False
    #: Group text of each line seen (a meter repeats most of its lines unchanged).
    groups: dict[str, str] = {}

    def flush(*, complete: bool, note: str = NOTE_TEXT_PARTIAL) -> Frame | None:
        frame = None
        if current:
            complete = complete and starts_clean
            body = ("\n" + "\r\n".join(current) + "\r").encode("latin-1")
            frame = parse_frame(
                body, mode=mode, complete=complete, notes=() if complete else (note,), raw=body
            )
        current.clear()
        return frame

    for line in chain(head, (line.rstrip("\r") for line in iterator)):
        stripped = line.strip()
        if not stripped or stripped == "--":
            if stripped or blank_breaks:
                frame = flush(complete=bool(not stripped))
                if frame is not None:
                    yield frame
                starts_clean = False
            continue
        group = groups.get(line)
        if group is None:
            group = _group_text(line, mode, has_tabs)
            assert group is not None
            if len(line) <= GROUP_MEMO_LINE:
                if len(groups) > GROUP_MEMO_LIMIT:
                    groups.clear()
                groups[line] = group
        if group.split(separator, 1)[0] == start_label:
            frame = flush(complete=True)
            if frame is not None:
                yield frame
            starts_clean = True
        elif len(current) >= MAX_TEXT_GROUPS:
            frame = flush(complete=False, note=NOTE_TEXT_TOO_LONG)
            if frame is not None:
                yield frame
            starts_clean = False
        current.append(group)
    frame = flush(complete=False)
    if frame is not None:
        yield frame


def parse_text_dump(text: str, mode: TicMode | None = None) -> list[Frame]:
    """Frames of a text dump (``text`` decoded as latin-1 so every byte survives);
    ``mode`` None detects it (:func:`dump_mode`)."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return list(iter_text_dump(lines, mode))
