"""The fast renderers print exactly what the reference dict/csv paths print."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from linkytool.tic import ChecksumMethod, TicMode, encode_group, read_capture
from linkytool.tic.export import GROUP_COLUMNS, FrameRenderer, frame_group_rows, frame_to_dict
from linkytool.tic.horodate import PARIS, format_horodate, parse_horodate
from linkytool.tic.labels import LABELS
from linkytool.tic.model import Frame, Group
from linkytool.tic.render import group_csv, group_csv_slow, group_json, group_json_slow

from .golden_capture import golden_capture
from .helpers import decode_whole, frames_of

PRINTABLE = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
DIGITS = st.text(st.sampled_from("0123456789"), min_size=12, max_size=12)
#: Horodates around daylight-saving changes and anywhere else, any season letter.
INSTANTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(PARIS)
)
HORODATES = (
    st.builds(lambda s, d: s + d, st.sampled_from("EeHh x"), DIGITS)
    | st.builds(lambda t, d: format_horodate(t, degraded=d), INSTANTS, st.booleans())
    | st.builds(
        lambda t, s: s + format_horodate(t)[1:],
        st.sampled_from(
            [
                datetime(2025, 3, 30, 1, 30, tzinfo=PARIS),
                datetime(2025, 10, 26, 1, 30, tzinfo=PARIS),
            ]
        ).flatmap(lambda t: st.integers(0, 3 * 3600).map(lambda s: t + timedelta(seconds=s))),
        st.sampled_from("EeHh "),
    )
    | st.text(PRINTABLE, min_size=0, max_size=14)
)
LABEL = st.sampled_from(sorted({*LABELS[TicMode.STANDARD], *LABELS[TicMode.HISTORIQUE]})) | (
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=8)
)
DATA = (
    st.text(st.sampled_from("0123456789"), max_size=14)
    | st.text(PRINTABLE, max_size=20)
    | st.sampled_from(["", " ", "00004001 NONUTILE", "003A0001", "ZZZZZZZZ", "140", "1_0"])
)


@given(st.sampled_from(list(TicMode)), LABEL, st.none() | HORODATES, DATA)
def test_group_text_matches_the_reference(
    mode: TicMode, label: str, horodate: str | None, raw: str
) -> None:
    parts = (horodate, raw, ChecksumMethod.METHOD_2)
    group = Group.build(label, raw, horodate, mode, ChecksumMethod.METHOD_2)
    assert group_json(mode, label, parts) == group_json_slow(label, group)
    assert group_csv(mode, label, parts) == group_csv_slow(group)
    assert json.loads("{" + group_json(mode, label, parts) + "}") == json.loads(
        json.dumps({label: json.loads(json.dumps(_reference(group)))})
    )


def _reference(group: Group) -> object:
    from linkytool.tic.export import group_to_json

    return group_to_json(group)


@given(HORODATES)
def test_horodate_time_matches_parse_horodate(raw: str) -> None:
    from linkytool.tic.render import horodate_time_iso

    time = parse_horodate(raw).time
    assert horodate_time_iso(raw) == (time.isoformat() if time is not None else None)


def _reference_csv(frame: Frame, index: int, time: datetime | None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in frame_group_rows(frame, index, time):
        writer.writerow(["" if row.get(key) is None else row[key] for key, _ in GROUP_COLUMNS])
    return buffer.getvalue()


def _check_frames(frames: list[Frame]) -> None:
    renderer = FrameRenderer()
    when = datetime(2026, 11, 20, 14, 33, tzinfo=PARIS)
    for index, frame in enumerate(frames * 2):  # the second pass reads memoised text
        for time in (None, when):
            reference = json.dumps(frame_to_dict(frame, time), ensure_ascii=False)
            assert renderer.json_line(frame, time) == reference
            assert renderer.csv_rows(frame, index, time) == _reference_csv(frame, index, time)


def test_frames_of_every_capture_render_as_the_reference(samples_real: Path) -> None:
    frames = frames_of(decode_whole(golden_capture()))
    for path in sorted((samples_real / "tic").glob("*.*[nt]")):
        frames += read_capture(path)
    _check_frames(frames)


@given(
    st.lists(
        st.tuples(LABEL, st.none() | HORODATES, DATA).map(
            lambda g: encode_group(g[0], g[2], TicMode.STANDARD, horodate=g[1])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_arbitrary_frames_render_as_the_reference(groups: list[bytes]) -> None:
    _check_frames(frames_of(decode_whole(b"\x02" + b"".join(groups) + b"\x03")))
