"""Text dumps: tab-expanded rebuild, trimmed space checksums, frame cutting."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkytool.tic import LABELS, TicMode, encode_group, read_capture
from linkytool.tic.textdump import parse_text_dump, rebuild_expanded


@pytest.mark.parametrize(
    ("line", "group"),
    [
        ("ADSC    031864661664    @", "ADSC\t031864661664\t@"),
        ("DATE    E180716103423           B", "DATE\tE180716103423\t\tB"),
        ("NGTF       PRODUCTEUR           .", "NGTF\t   PRODUCTEUR   \t."),
        ("SMAXSN-1        E180715064903   00023   Y", "SMAXSN-1\tE180715064903\t00023\tY"),
        ("EASD01  000000000", "EASD01\t000000000\t "),
        ("XYZ     12      A", "XYZ\t12\tA"),
    ],
)
def test_rebuild_expanded(line: str, group: str) -> None:
    assert rebuild_expanded(line) == group


@pytest.mark.parametrize(
    "line",
    [
        "PJOURF+1        00008001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE "
        "NONUTILE NONUTILE NONUTILE NONUTILE   9",
        "ok URMS1   228     F",
        "EAST 000000000 O",
    ],
)
def test_lines_off_the_arithmetic_are_not_guessed(line: str) -> None:
    assert rebuild_expanded(line) is None


def test_crlf_historique_dump_with_trimmed_space_checksum() -> None:
    text = "ADCO 021528603314 :\r\nHCHC 000723392\r\nPTEC HP..  \r\nADCO 021528603314 :\r\n"
    frames = parse_text_dump(text)
    assert [frame.mode for frame in frames] == [TicMode.HISTORIQUE] * 2
    assert frames[0].complete and not frames[1].complete
    assert frames[0].groups["HCHC"].value == 723392
    assert frames[0].groups["PTEC"].raw == "HP.."


def test_standard_dump_with_tabs_and_blank_line_break() -> None:
    text = "EAST\t000000000\tO\n\nADSC\t031864661664\t@\nEASD01\t000000000\t\n"
    first, second = parse_text_dump(text)
    assert not first.complete and not second.complete
    assert first.groups["EAST"].value == 0
    assert second.groups["EASD01"].raw == "000000000"


STANDARD_SPECS = [spec for spec in LABELS[TicMode.STANDARD].values() if spec.label not in {"ADSC"}]
TEXT = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


@st.composite
def standard_lines(draw: st.DrawFn) -> list[tuple[str, str | None, str]]:
    specs = draw(st.lists(st.sampled_from(STANDARD_SPECS), min_size=1, max_size=8, unique=True))
    groups = []
    for spec in specs:
        data = draw(st.text(TEXT, min_size=spec.length, max_size=spec.length))
        horodate = draw(st.text(TEXT, min_size=13, max_size=13)) if spec.horodate else None
        groups.append((spec.label, horodate, data))
    return groups


@given(standard_lines())
def test_tab_expanded_dump_rebuilds_the_groups(groups: list[tuple[str, str | None, str]]) -> None:
    """What a terminal shows (HT expanded to 8 columns, trailing spaces trimmed) decodes
    back to the sent groups, space checksums and trimmed padding included."""
    lines = []
    for label, horodate, data in groups:
        wire = encode_group(label, data, TicMode.STANDARD, horodate=horodate)
        lines.append(wire[1:-1].decode("ascii").expandtabs(8).rstrip(" "))
    frames = parse_text_dump("\n".join(lines) + "\n")
    decoded = {
        label: (group.horodate.raw if group.horodate else None, group.raw)
        for frame in frames
        for label, group in frame.groups.items()
    }
    assert not [bad for frame in frames for bad in frame.bad_groups]
    assert decoded == {label: (horodate, data) for label, horodate, data in groups}


def test_forced_mode_applies_to_dumps() -> None:
    text = "ADCO 021528603314 :\nPAPP 00180 *\n"
    (frame,) = parse_text_dump(text, TicMode.STANDARD)
    assert frame.mode is TicMode.STANDARD and not frame.groups
    (frame,) = parse_text_dump(text)
    assert frame.mode is TicMode.HISTORIQUE and len(frame.groups) == 2


def test_openhab_dump_frames_between_blank_lines_are_complete(samples_real: Path) -> None:
    """openHAB's three-phase producer dump: frames 2-3 run from ADSC to PJOURF+1 with a
    blank line where ETX/STX were; they counted as 0 valid frames."""
    frames = read_capture(samples_real / "tic" / "openhab-standard-tri-producer.txt")
    assert [frame.complete for frame in frames] == [False, True, True, False]
    assert [frame.valid for frame in frames] == [False, True, True, False]
    assert len(frames[1].groups) == 63 and frames[1].groups["PJOURF+1"].raw.startswith("0000")


def _dump(groups: list[tuple[str, str | None, str]]) -> list[str]:
    return [
        encode_group(label, data, TicMode.STANDARD, horodate=stamp)[1:-1].decode()
        for label, stamp, data in groups
    ]


FRAME = [("ADSC", None, "041864123456"), ("VTIC", None, "02"), ("EAST", None, "001234567"),
         ("PRM", None, "30002345678901")]  # fmt: skip


@pytest.mark.parametrize("between_groups", ["\n", "\n\n"])
def test_blank_lines_between_frames_or_between_every_group(between_groups: str) -> None:
    """A blank line between frames separates complete frames; a paste with a blank line
    after every group keeps its frames whole (cut at ADSC only)."""
    frame = between_groups.join(_dump(FRAME))
    text = "PRM\t30002345678901\t1\n\n" + "\n\n".join([frame] * 3) + "\n"
    frames = parse_text_dump(text)
    assert [len(f.groups) for f in frames][1:] == [4, 4, 4]
    assert [f.complete for f in frames][1:] == [True, True, False]  # the last one ends the file
    assert all(f.valid for f in frames[1:3])


def test_a_text_frame_without_breaks_is_cut() -> None:
    from linkytool.tic.textdump import MAX_TEXT_GROUPS

    lines = _dump([(f"X{n:04d}", None, "1") for n in range(MAX_TEXT_GROUPS * 3)])
    frames = parse_text_dump("\n".join(lines))
    assert [len(f.groups) for f in frames] == [MAX_TEXT_GROUPS] * 3
    assert not any(f.complete for f in frames)
