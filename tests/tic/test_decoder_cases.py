"""Decoder cases from a table, each fed whole, byte by byte and with trailing garbage.

Every damage seen on real adapters (shared/docs/tic.md) is a case: one bad group must cost
that group only, and a group failing its checksum is never reported as valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from linkytool.tic import ChecksumMethod, ErrorKind, Frame, TicMode, encode_frame, encode_group

from .helpers import (
    HISTORIQUE_GROUPS,
    decode_bytewise,
    decode_whole,
    errors_of,
    frames_of,
    historique_frame,
    standard_frame,
    with_parity_bit,
)

STD = standard_frame()
HIST = historique_frame()
N_STD = STD.count(b"\r")
N_HIST = HIST.count(b"\r")


def replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


@dataclass(frozen=True)
class Expect:
    """Expected frame: mode, complete, number of valid groups, bad labels (None = unknown)."""

    mode: TicMode
    complete: bool
    groups: int
    bad: tuple[str | None, ...] = ()
    check: Callable[[Frame], None] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    frames: tuple[Expect, ...]
    garbage_events: int = 0
    #: False when the stream does not end on a frame boundary.
    garbage_suffix_ok: bool = True


def _method2(frame: Frame) -> None:
    assert frame.groups["ADCO"].checksum_method is ChecksumMethod.METHOD_2
    assert frame.groups["PAPP"].checksum_method is ChecksumMethod.METHOD_1


def _space_checksums(frame: Frame) -> None:
    assert frame.groups["EASD01"].raw == "000000000"
    assert frame.groups["EASD01"].value == 0


def _space_checksums_hist(frame: Frame) -> None:
    assert frame.groups["HCHC"].value == 723392
    assert frame.groups["PTEC"].value == "HP.."


def _masked(frame: Frame) -> None:
    assert frame.masked_bytes > 0
    assert any("bit 7" in error for error in frame.errors)


HIST_METHOD2 = (
    b"\x02"
    + encode_group("ADCO", "021528603314", TicMode.HISTORIQUE, method=ChecksumMethod.METHOD_2)
    + b"".join(
        encode_group(label, data, TicMode.HISTORIQUE) for label, data in HISTORIQUE_GROUPS[1:]
    )
    + b"\x03"
)
LF_AT_VTIC = STD.index(b"\nVTIC")
CR_AFTER_ADSC = STD.index(b"\r\nVTIC")

CASES = [
    Case("standard clean", STD, (Expect(TicMode.STANDARD, True, N_STD, check=_space_checksums),)),
    Case(
        "historique clean",
        HIST,
        (Expect(TicMode.HISTORIQUE, True, N_HIST, check=_space_checksums_hist),),
    ),
    Case(
        "historique checksum computed the standard way",
        HIST_METHOD2,
        (Expect(TicMode.HISTORIQUE, True, N_HIST, check=_method2),),
    ),
    Case("two frames", STD + STD, (Expect(TicMode.STANDARD, True, N_STD),) * 2),
    Case(
        "partial first frame (capture started mid-frame)",
        STD[STD.index(b"EAST") :] + STD,
        (
            Expect(TicMode.STANDARD, False, STD[STD.index(b"EAST") :].count(b"\r") - 1, ("EAST",)),
            Expect(TicMode.STANDARD, True, N_STD),
        ),
    ),
    Case(
        "partial first frame starting on a group boundary",
        STD[STD.index(b"\nEAST") :] + HIST,
        (
            Expect(TicMode.STANDARD, False, STD[STD.index(b"\nEAST") :].count(b"\r")),
            Expect(TicMode.HISTORIQUE, True, N_HIST),
        ),
    ),
    Case(
        "garbage between frames",
        STD + b"\x00\xffnoise" + STD,
        (Expect(TicMode.STANDARD, True, N_STD),) * 2,
        garbage_events=1,
    ),
    Case(
        "frame cut by EOT",
        STD[: STD.index(b"\nPREF")] + b"\x04" + STD,
        (
            Expect(TicMode.STANDARD, False, STD[: STD.index(b"\nPREF")].count(b"\r")),
            Expect(TicMode.STANDARD, True, N_STD),
        ),
    ),
    Case(
        "frame cut by EOT inside a group",
        STD[: STD.index(b"\nPREF") + 4] + b"\x04" + STD,
        (
            Expect(TicMode.STANDARD, False, STD[: STD.index(b"\nPREF")].count(b"\r"), ("PRE",)),
            Expect(TicMode.STANDARD, True, N_STD),
        ),
    ),
    Case(
        "STX without ETX",
        STD[:-1] + STD,
        (Expect(TicMode.STANDARD, False, N_STD), Expect(TicMode.STANDARD, True, N_STD)),
    ),
    Case(
        "ETX without STX",
        STD + STD[1:],
        (Expect(TicMode.STANDARD, True, N_STD), Expect(TicMode.STANDARD, False, N_STD)),
    ),
    Case(
        "adapter opened 8N1: parity as bit 7",
        with_parity_bit(STD + HIST),
        (
            Expect(TicMode.STANDARD, True, N_STD, check=_masked),
            Expect(TicMode.HISTORIQUE, True, N_HIST, check=_masked),
        ),
    ),
    *[
        Case(
            f"LF arriving as {flipped:#04x}",
            STD[:LF_AT_VTIC] + bytes((flipped,)) + STD[LF_AT_VTIC + 1 :],
            (Expect(TicMode.STANDARD, True, N_STD - 1, ("VTIC",)),),
        )
        for flipped in (0x0B, 0x0E, 0x0F)
    ],
    Case(
        "CR arriving as 0x0c",
        STD[:CR_AFTER_ADSC] + b"\x0c" + STD[CR_AFTER_ADSC + 1 :],
        (Expect(TicMode.STANDARD, True, N_STD - 1, ("ADSC",)),),
    ),
    Case(
        "HT arriving as 0x08",
        replace_once(STD, b"URMS1\t232", b"URMS1\x08232"),
        (Expect(TicMode.STANDARD, True, N_STD - 1, (None,)),),
    ),
    Case(
        "first byte after LF dropped (TIC for VTIC)",
        replace_once(STD, b"\nVTIC", b"\nTIC"),
        (Expect(TicMode.STANDARD, True, N_STD - 1, ("TIC",)),),
    ),
    Case(
        "first byte after LF dropped (RMS1 for IRMS1)",
        replace_once(STD, b"\nIRMS1", b"\nRMS1"),
        (Expect(TicMode.STANDARD, True, N_STD - 1, ("RMS1",)),),
    ),
    Case(
        "0 turned into a space inside a value",
        replace_once(STD, b"EAST\t001234567", b"EAST\t001 34567"),
        (Expect(TicMode.STANDARD, True, N_STD - 1, ("EAST",)),),
    ),
    *[
        Case(
            f"byte {high:#04x} inside a value",
            replace_once(STD, b"SINSTS\t00519", b"SINSTS\t00" + bytes((high,)) + b"19"),
            (Expect(TicMode.STANDARD, True, N_STD - 1, ("SINSTS",)),),
        )
        for high in (0x7F, 0xBF, 0xAA)
    ],
    Case(
        "historique group with a bad checksum",
        replace_once(HIST, b"PAPP 00180 *", b"PAPP 00190 *"),
        (Expect(TicMode.HISTORIQUE, True, N_HIST - 1, ("PAPP",)),),
    ),
    Case(
        "garbage only",
        b"\x00\x01hello world\xff",
        (),
        garbage_events=1,
        garbage_suffix_ok=False,
    ),
    Case(
        "capture ends inside a frame",
        STD + STD[: STD.index(b"\nPREF")],
        (
            Expect(TicMode.STANDARD, True, N_STD),
            Expect(TicMode.STANDARD, False, STD[: STD.index(b"\nPREF")].count(b"\r")),
        ),
        garbage_suffix_ok=False,
    ),
]


def check(case: Case, events: list[object]) -> None:
    frames = frames_of(events)  # type: ignore[arg-type]
    assert len(frames) == len(case.frames), [f.errors for f in frames]
    for frame, expect in zip(frames, case.frames, strict=True):
        assert frame.mode is expect.mode
        assert frame.complete is expect.complete, frame.errors
        assert len(frame.groups) == expect.groups, (frame.groups, frame.bad_groups)
        assert tuple(bad.label for bad in frame.bad_groups) == expect.bad, frame.bad_groups
        assert frame.valid is (expect.complete and not expect.bad and expect.groups > 0)
        if expect.check is not None:
            expect.check(frame)
    assert len(errors_of(events)) == case.garbage_events  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_whole(case: Case) -> None:
    check(case, decode_whole(case.data))  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_byte_by_byte_same_events(case: Case) -> None:
    assert decode_bytewise(case.data) == decode_whole(case.data)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.garbage_suffix_ok], ids=lambda case: case.name
)
def test_case_trailing_garbage_same_events(case: Case) -> None:
    events = decode_whole(case.data + b"\x00garbage\xfe\xff")
    expected = decode_whole(case.data)
    assert events[: len(expected)] == expected
    extra = events[len(expected) :]
    assert [getattr(e, "kind", None) for e in extra] == [ErrorKind.GARBAGE]


def test_forced_mode_overrides_detection() -> None:
    from linkytool.tic import TicDecoder

    decoder = TicDecoder(TicMode.HISTORIQUE)
    decoder.feed(STD)
    (frame,) = decoder.frames()
    assert frame.mode is TicMode.HISTORIQUE
    assert not frame.groups  # standard groups never pass as historique ones


def test_stats_and_detected_mode() -> None:
    from linkytool.tic import TicDecoder

    decoder = TicDecoder()
    decoder.feed(replace_once(HIST, b"PAPP 00180 *", b"PAPP 00190 *") + b"zz")
    list(decoder)
    assert decoder.mode is TicMode.HISTORIQUE
    assert decoder.stats.frames == 1
    assert decoder.stats.groups_bad == 1
    assert decoder.stats.groups_ok == N_HIST - 1
    assert decoder.stats.checksum_error_rate == pytest.approx(1 / N_HIST)


def test_overlong_frame_is_cut_identically_in_chunks() -> None:
    from linkytool.tic.decoder import MAX_FRAME

    data = b"\x02" + encode_group("EAST", "000000001", TicMode.STANDARD) * (MAX_FRAME // 10)
    whole = decode_whole(data)
    frames = frames_of(whole)
    assert frames and not frames[0].complete
    decoder_events = []
    from linkytool.tic import TicDecoder

    decoder = TicDecoder()
    for start in range(0, len(data), 777):
        decoder.feed(data[start : start + 777])
        decoder_events.extend(decoder)
    decoder.close()
    decoder_events.extend(decoder)
    assert decoder_events == whole


def test_no_event_before_delimiter() -> None:
    from linkytool.tic import TicDecoder

    decoder = TicDecoder()
    decoder.feed(STD[:-1])
    assert decoder.next_event() is None
    decoder.feed(STD[-1:])
    event = decoder.next_event()
    assert isinstance(event, Frame) and event.valid
    assert decoder.next_event() is None


def test_unknown_labels_pass_through_raw() -> None:
    data = encode_frame(
        [("ADSC", "041864123456"), ("NEWLBL", "ABC 12"), ("XHD", "E261120143200", "7")],
        TicMode.STANDARD,
    )
    (frame,) = frames_of(decode_whole(data))
    assert frame.valid
    assert frame.groups["NEWLBL"].value == "ABC 12" and frame.groups["NEWLBL"].unit is None
    assert frame.groups["XHD"].raw == "7" and frame.groups["XHD"].horodate is not None


def test_mode_from_labels_when_separators_are_damaged() -> None:
    damaged = HIST.replace(b"IINST 001", b"IINST\t001").replace(b"IMAX 002", b"IMAX\t002")
    (frame,) = frames_of(decode_whole(damaged))
    assert frame.mode is TicMode.HISTORIQUE
    assert len(frame.groups) == N_HIST - 2
    assert {bad.label for bad in frame.bad_groups} == {"IINST", "IMAX"}


def test_historique_three_phase_short_frame() -> None:
    """While a phase exceeds its setting, three-phase meters send short frames."""
    short = encode_frame(
        [("ADIR1", "035"), ("ADCO", "021330274552"), ("IINST1", "035"), ("IINST2", "002"),
         ("IINST3", "002")],
        TicMode.HISTORIQUE,
    )  # fmt: skip
    (frame,) = frames_of(decode_whole(short))
    assert frame.valid and frame.mode is TicMode.HISTORIQUE
    assert frame.groups["ADIR1"].value == 35 and frame.groups["ADIR1"].unit == "A"
    assert frame.meter_id == "021330274552"


def test_frames_are_hashable_and_equal_by_content() -> None:
    first, second = frames_of(decode_whole(STD + STD))
    assert first == second and hash(first) == hash(second)
    assert len({first, second}) == 1


def test_masked_bytes_counted_in_a_frame_without_stx() -> None:
    data = with_parity_bit(STD[1:] + STD)  # first frame lost its STX
    first, second = frames_of(decode_whole(data))
    assert not first.complete and first.masked_bytes > 0 and len(first.groups) == N_STD
    assert second.valid and second.masked_bytes > 0
