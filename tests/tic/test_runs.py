"""Runs of clean frames (``TicDecoder(runs=True)``, the path of ``tic decode --format
jsonl|csv``) give exactly the frames, counts, summary and text of the frame-by-frame path,
on streams of similar frames (what runs are made of) with random changes and damage."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from linkytool.tic import ChecksumMethod, Frame, TicDecoder, TicMode
from linkytool.tic.export import FrameRenderer, FrameWriter
from linkytool.tic.frame_parser import check_each, check_groups
from linkytool.tic.model import FrameRun, RunEvent
from linkytool.tic.render import group_csv, group_csv_many, group_json, group_json_many
from linkytool.tic.service import decode_capture
from linkytool.tic.summary import ReadingBuilder

from .helpers import HISTORIQUE_GROUPS, STANDARD_GROUPS

SEP = {TicMode.STANDARD: b"\t", TicMode.HISTORIQUE: b" "}
DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=12)
WORD = st.text(st.sampled_from("0123456789ABCZ+-."), min_size=0, max_size=10)
#: Labels a frame may be given instead of one of its own (repeated labels included).
OTHER_LABELS = st.sampled_from(["EAST", "ADSC", "PAPP", "HCHC", "NEW", "X", "DATE"])


@st.composite
def frame_groups(
    draw: st.DrawFn, mode: TicMode
) -> list[tuple[str, str | None, str, ChecksumMethod | None]]:
    """The groups of one frame: the base frame of ``mode`` with a few values, labels,
    horodates or checksum methods changed, groups dropped or added."""
    base: list[tuple[str, str | None, str, ChecksumMethod | None]]
    if mode is TicMode.STANDARD:
        base = [(label, horodate, data, None) for label, horodate, data in STANDARD_GROUPS]
    else:
        base = [(label, None, data, None) for label, data in HISTORIQUE_GROUPS]
    groups = list(base)
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(groups) - 1))
        label, horodate, data, method = groups[index]
        change = draw(
            st.sampled_from(["value", "value", "value", "label", "drop", "add", "tab", "more"])
        )
        if change == "value":
            data = draw(DIGITS | WORD)
        elif change == "tab":  # an HT inside a value: a standard field, or a historique
            data = data[:1] + "\t" + data[1:]  # group that makes the frame look standard
        elif change == "label":
            label = draw(OTHER_LABELS)
        elif change == "drop" and len(groups) > 1:
            del groups[index]
            continue
        elif change == "add":
            groups.insert(index, (draw(OTHER_LABELS), None, draw(DIGITS), None))
            continue
        elif mode is TicMode.STANDARD:
            horodate = draw(st.none() | st.just("E261120143201"))
        else:
            method = draw(st.sampled_from(ChecksumMethod))
        groups[index] = (label, horodate, data, method)
    return groups


def _group(
    label: str, horodate: str | None, data: str, mode: TicMode, method: ChecksumMethod | None
) -> bytes:
    """The bytes of a group between LF and CR with a right checksum, whatever its text
    (an empty label, an HT in a historique value: what ``encode_group`` refuses)."""
    separator = "\t" if mode is TicMode.STANDARD else " "
    payload = separator.join([label, *([horodate] if horodate is not None else []), data])
    method = method or (
        ChecksumMethod.METHOD_2 if mode is TicMode.STANDARD else ChecksumMethod.METHOD_1
    )
    summed = payload + separator if method is ChecksumMethod.METHOD_2 else payload
    return (payload + separator).encode() + bytes(((sum(summed.encode()) & 0x3F) + 0x20,))


def _encode(
    groups: list[tuple[str, str | None, str, ChecksumMethod | None]], mode: TicMode
) -> bytes:
    lines = [
        _group(label, horodate, data, mode, method) for label, horodate, data, method in groups
    ]
    return b"\x02" + b"".join(b"\n" + line + b"\r" for line in lines) + b"\x03"


@st.composite
def similar_streams(draw: st.DrawFn) -> tuple[bytes, list[int], TicMode | None]:
    """(stream, cut points, forced mode): similar frames of one or both modes, with
    garbage, damaged bytes and frames cut or merged; chunk boundaries anywhere."""
    modes = draw(st.lists(st.sampled_from(TicMode), min_size=1, max_size=2))
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        mode = draw(st.sampled_from(modes))
        frame = _encode(draw(frame_groups(mode)), mode)
        cut = draw(st.sampled_from(["none"] * 8 + ["head", "tail", "etx", "cr"]))
        if cut == "head":
            frame = frame[draw(st.integers(1, len(frame) - 1)) :]
        elif cut == "tail":
            frame = frame[: draw(st.integers(1, len(frame) - 1))]
        elif cut == "etx":
            frame = frame[:-1] + draw(st.sampled_from([b"\x04", b"\x83", b""]))
        elif cut == "cr":  # the last group loses or changes its CR
            frame = frame[:-2] + draw(st.sampled_from([b"", b"A", b" ", b"\n"])) + b"\x03"
        parts.append(frame)
        if draw(st.integers(0, 9)) == 0:
            parts.append(draw(st.binary(max_size=8)))
    data = bytearray(b"".join(parts))
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.sampled_from([0x09, 0x0A, 0x0D, 0x20, 0x41, 0x7F, 0x8D, 0x02]))
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=6)))
    forced = draw(st.none() | st.sampled_from(TicMode))
    return bytes(data), cuts, forced


def _decode(
    data: bytes, cuts: list[int], forced: TicMode | None, runs: bool
) -> tuple[list[RunEvent], TicDecoder]:
    decoder = TicDecoder(forced, runs=runs)
    events: list[RunEvent] = []
    previous = 0
    for cut in [*cuts, len(data)]:
        decoder.feed(data[previous:cut])
        events.extend(decoder.run_events())
        previous = cut
    decoder.close()
    events.extend(decoder.run_events())
    return events, decoder


def _expanded(events: list[RunEvent]) -> list[object]:
    return [
        frame
        for event in events
        for frame in (event.expand() if isinstance(event, FrameRun) else [event])
    ]


@settings(max_examples=300)
@given(similar_streams())
def test_runs_give_the_frames_of_the_frame_by_frame_decoder(
    stream: tuple[bytes, list[int], TicMode | None],
) -> None:
    data, cuts, forced = stream
    plain, plain_decoder = _decode(data, cuts, forced, runs=False)
    bulk, bulk_decoder = _decode(data, cuts, forced, runs=True)
    assert _expanded(bulk) == plain
    frames = [event for event in plain if isinstance(event, Frame)]
    expanded = [event for event in _expanded(bulk) if isinstance(event, Frame)]
    assert [f.raw for f in expanded] == [f.raw for f in frames]
    assert [f.groups.lines for f in expanded] == [f.groups.lines for f in frames]  # type: ignore[attr-defined]
    assert [list(f.groups.items()) for f in expanded] == [list(f.groups.items()) for f in frames]
    assert bulk_decoder.stats == plain_decoder.stats
    assert bulk_decoder.mode is plain_decoder.mode


@settings(max_examples=300)
@given(similar_streams())
def test_runs_export_and_summarise_like_frames(
    stream: tuple[bytes, list[int], TicMode | None],
) -> None:
    data, cuts, forced = stream
    outputs = []
    for runs in (False, True):
        events, _ = _decode(data, cuts, forced, runs=runs)
        writers = {name: FrameWriter(name) for name in ("jsonl", "csv")}
        texts = {name: b"" for name in writers}
        builder = ReadingBuilder()
        for event in events:
            if isinstance(event, FrameRun):
                first = builder.frames + 1
                builder.add_run(event)
                for name, writer in writers.items():
                    texts[name] += writer.run_data(event, first)
            elif isinstance(event, Frame):
                builder.add(event)
                for name, writer in writers.items():
                    texts[name] += writer.data(event, builder.frames)
        outputs.append((texts, builder.result() if builder.frames else None))
    assert outputs[1] == outputs[0]


def test_a_run_whose_last_frame_lacks_ntarf_keeps_the_pair_of_an_earlier_frame() -> None:
    """Three frames with STGE and NTARF, a fourth without NTARF (found by hypothesis):
    frame by frame, NTARF is the last frame's holding both with the STGE reported; a run
    took only its last frame's pair and reported none."""
    full = [(label, horodate, data, None) for label, horodate, data in STANDARD_GROUPS]
    assert "NTARF" in {label for label, *_ in full} and "STGE" in {label for label, *_ in full}
    short = [group for group in full if group[0] != "NTARF"]
    data = _encode(full, TicMode.STANDARD) * 3 + _encode(short, TicMode.STANDARD)
    readings = []
    for runs in (False, True):
        events, _ = _decode(data, [], None, runs=runs)
        builder = ReadingBuilder()
        for event in events:
            if isinstance(event, FrameRun):
                builder.add_run(event)
            elif isinstance(event, Frame):
                builder.add(event)
        readings.append(builder.result())
    assert any(isinstance(event, FrameRun) for event in _decode(data, [], None, runs=True)[0])
    assert readings[0].ntarf is not None
    assert readings[1] == readings[0]


def _export(data: bytes, *, runs: bool) -> tuple[object, bytes, bytes, int]:
    """``decode_capture`` of ``data`` printed as jsonl and csv (runs in bulk when asked):
    (result, jsonl, csv, frames taken in runs)."""
    out = {"jsonl": io.BytesIO(), "csv": io.BytesIO()}
    writers = {name: FrameWriter(name) for name in out}
    taken = 0

    def on_frame(frame: Frame, index: int) -> None:
        for name, writer in writers.items():
            out[name].write(writer.data(frame, index))

    def on_run(run: FrameRun, first: int) -> None:
        nonlocal taken
        taken += run.count
        for name, writer in writers.items():
            out[name].write(writer.run_data(run, first))

    result = decode_capture(io.BytesIO(data), on_frame=on_frame, on_run=on_run if runs else None)
    return result, out["jsonl"].getvalue(), out["csv"].getvalue(), taken


def test_a_long_capture_goes_through_runs_and_prints_the_same() -> None:
    """What ``tic decode`` does on a capture of many similar frames: nearly every frame
    is taken in a run, and the output, counts and summary do not change."""
    mode = TicMode.STANDARD
    base = [(label, horodate, data, None) for label, horodate, data in STANDARD_GROUPS]
    frames = []
    for n in range(3000):
        groups = list(base)
        stamp = f"E261120{n // 3600 % 24:02d}{n // 60 % 60:02d}{n % 60:02d}"
        groups[2] = ("DATE", stamp, "", None)
        groups[5] = ("EAST", None, f"{1234567 + n // 3:09d}", None)
        groups[10] = ("SINSTS", None, f"{(n * 37) % 9000:05d}", None)
        frames.append(_encode(groups, mode))
    data = b"".join(frames)
    *plain, _ = _export(data, runs=False)
    *bulk, taken = _export(data, runs=True)
    assert bulk == plain
    assert taken >= 2990  # all but the first frame of some reads


def test_long_historique_capture_goes_through_runs_and_prints_the_same() -> None:
    """Short historique frames with a few groups changing (indexes one frame in two,
    current and power), a meter change half-way: nearly all in runs, output unchanged."""
    mode = TicMode.HISTORIQUE
    base = [(label, None, data, None) for label, data in HISTORIQUE_GROUPS]
    frames = []
    for n in range(4000):
        groups = list(base)
        if n >= 2000:
            groups[0] = ("ADCO", None, "021528603315", None)
        groups[3] = ("HCHC", None, f"{723392 + n // 2:09d}", None)
        groups[6] = ("IINST", None, f"{n * 7 % 45:03d}", None)
        groups[8] = ("PAPP", None, f"{n * 7 % 45 * 230:05d}", None)
        frames.append(_encode(groups, mode))
    data = b"".join(frames)
    *plain, _ = _export(data, runs=False)
    *bulk, taken = _export(data, runs=True)
    assert bulk == plain
    assert taken >= 3990


def test_horodated_groups_changing_apart_print_the_same() -> None:
    """Standard frames whose horodated groups change their value and their horodate at
    different times (a maximum's value, then its time; averages every ten minutes), as
    a three-phase producer meter sends them."""
    mode = TicMode.STANDARD
    base = [(label, horodate, data, None) for label, horodate, data in STANDARD_GROUPS]
    frames = []
    for n in range(3000):
        groups = list(base)
        stamp = f"E261120{n // 1800 % 24:02d}{n // 30 % 60:02d}{n * 2 % 60:02d}"
        groups[2] = ("DATE", stamp, "", None)
        groups[11] = ("SMAXSN", f"E2611201{n // 500:01d}0000", f"{5000 + n // 7:05d}", None)
        groups.append(("UMOY1", stamp[:10] + "000", f"{228 + n % 5:03d}", None))
        groups.append(("CCASN", stamp[:10] + "000", f"{n * 37 % 9000:05d}", None))
        frames.append(_encode(groups, mode))
    data = b"".join(frames)
    *plain, _ = _export(data, runs=False)
    *bulk, taken = _export(data, runs=True)
    assert bulk == plain
    assert taken >= 2990


LINE_BYTES = st.binary(max_size=30).map(
    lambda b: bytes(c & 0x7F for c in b).replace(b"\r", b"").replace(b"\n", b"")
)


FIELD = st.text(st.sampled_from("AB \t0129+-"), max_size=8)


@st.composite
def group_lines(draw: st.DrawFn) -> tuple[list[bytes], TicMode]:
    """Lines (groups without LF/CR, printable + HT) of one mode: most with a right
    checksum, of any shape (empty label, HT or SP anywhere), some random."""
    mode = draw(st.sampled_from(TicMode))
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.integers(0, 9))
        method = draw(st.sampled_from(ChecksumMethod)) if mode is TicMode.HISTORIQUE else None
        if kind < 6:
            label = draw(OTHER_LABELS)
            horodate = None
            if mode is TicMode.STANDARD:
                horodate = draw(st.none() | st.just("H261120071204"))
            line = _group(label, horodate, draw(DIGITS | WORD), mode, method)
        elif kind < 8:
            line = _group(draw(FIELD), draw(st.none() | FIELD), draw(FIELD), mode, method)
        elif kind < 9:  # right shape, checksum off by some
            line = _group(draw(OTHER_LABELS), None, draw(DIGITS), mode, method)
            line = line[:-1] + bytes((0x20 + (line[-1] - 0x20 + draw(st.integers(1, 63))) % 64,))
        else:
            line = draw(FIELD).encode()
        lines.append(line)
    return lines, mode


@settings(max_examples=500)
@given(group_lines())
def test_vectorised_group_check_matches_the_one_by_one_check(
    case: tuple[list[bytes], TicMode],
) -> None:
    lines, mode = case
    texts = b"\r".join(lines).decode("ascii").split("\r")
    assert check_groups(lines, mode) == check_each(lines, texts, mode)


@settings(max_examples=300)
@given(group_lines())
def test_many_groups_render_like_one_by_one(case: tuple[list[bytes], TicMode]) -> None:
    lines, mode = case
    entries = [entry for entry in check_groups(lines, mode) if not isinstance(entry, str)]
    assert group_json_many(mode, entries) == [group_json(mode, *entry) for entry in entries]
    assert group_csv_many(mode, entries) == [group_csv(mode, *entry) for entry in entries]


def test_historique_frame_with_tabs_in_values_is_not_taken_in_a_run() -> None:
    """After historique frames, one without ADCO whose values hold HT is standard for
    the decoder (its groups then fail): a run must not take it as historique."""
    mode = TicMode.HISTORIQUE
    good = [(label, None, data, None) for label, data in HISTORIQUE_GROUPS]
    tabbed = [(label, None, f"1\t{data}", None) for label, data in HISTORIQUE_GROUPS[1:]]
    data = _encode(good, mode) * 2 + _encode(tabbed, mode) + _encode(good, mode)
    plain, _ = _decode(data, [], None, runs=False)
    bulk, _ = _decode(data, [], None, runs=True)
    assert _expanded(bulk) == plain
    assert [frame.valid for frame in plain if isinstance(frame, Frame)] == [
        True,
        True,
        False,
        True,
    ]


def test_identical_frames_make_one_run_rendered_like_its_frames() -> None:
    renderer = FrameRenderer()
    decoder = TicDecoder(runs=True)
    groups = [(label, horodate, data, None) for label, horodate, data in STANDARD_GROUPS]
    decoder.feed(_encode(groups, TicMode.STANDARD) * 3)
    (run,) = list(decoder.run_events())
    assert isinstance(run, FrameRun) and run.count == 3
    assert [(stretch.count, stretch.columns) for stretch in run.stretches] == [(3, {})]
    assert renderer.run_json_bytes(run) == b"".join(
        renderer.json_bytes(frame, None) + b"\n" for frame in run.expand()
    )
