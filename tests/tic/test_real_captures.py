"""Every real capture decodes with the group counts and checksum outcome its README states."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from linkytool.tic import (
    ChecksumMethod,
    Frame,
    MeterAddress,
    TicMode,
    encode_frame,
    read_capture,
    summarize,
)
from linkytool.tic.horodate import PARIS

#: file -> (mode, valid groups, bad groups), from tests/data/real/tic/README.md.
README_COUNTS = {
    "pyteleinfo-historique-tempo.bin": (TicMode.HISTORIQUE, 64, 0),
    "goteleinfo-standard-mono.bin": (TicMode.STANDARD, 38, 0),
    "logisdom-standard-producer-mono.txt": (TicMode.STANDARD, 174, 6),
    "tasmota-issue38-standard-tri-tempo.txt": (TicMode.STANDARD, 50, 0),
    "teleinfo-test-historique-hc.txt": (TicMode.HISTORIQUE, 55, 0),
    "nextdom-issue24-historique-tri-base.txt": (TicMode.HISTORIQUE, 15, 0),
    "openhab-standard-tri-producer.txt": (TicMode.STANDARD, 167, 1),
}


def tic_dir(samples_real: Path) -> Path:
    return samples_real / "tic"


def test_readme_lists_every_capture(samples_real: Path) -> None:
    files = {p.name for p in tic_dir(samples_real).iterdir() if p.name != "README.md"}
    assert files == set(README_COUNTS)


@pytest.mark.parametrize("name", sorted(README_COUNTS))
def test_capture_counts_match_readme(samples_real: Path, name: str) -> None:
    mode, valid, bad = README_COUNTS[name]
    frames = read_capture(tic_dir(samples_real) / name)
    assert {frame.mode for frame in frames} == {mode}
    assert sum(len(frame.groups) for frame in frames) == valid
    assert sum(len(frame.bad_groups) for frame in frames) == bad


@pytest.mark.parametrize("name", sorted(README_COUNTS))
def test_valid_groups_reencode_to_their_checksum(samples_real: Path, name: str) -> None:
    """Re-encoding every valid group reproduces a group whose checksum the decoder accepts."""
    for frame in read_capture(tic_dir(samples_real) / name):
        again = read_capture_bytes(encode_frame(list(frame.groups.values()), frame.mode))
        assert dict(again.groups) == dict(frame.groups)


def read_capture_bytes(data: bytes) -> Frame:
    from linkytool.tic import decode_bytes

    (frame,) = [e for e in decode_bytes(data) if isinstance(e, Frame)]
    return frame


def test_pyteleinfo_historique_tempo(samples_real: Path) -> None:
    frames = read_capture(tic_dir(samples_real) / "pyteleinfo-historique-tempo.bin")
    assert len(frames) == 4 and all(frame.valid for frame in frames)
    assert all(
        group.checksum_method is ChecksumMethod.METHOD_1
        for frame in frames
        for group in frame.groups.values()
    )
    last = frames[-1]
    assert last.groups["BBRHCJB"].value == 18328713
    assert last.groups["BBRHCJB"].unit == "Wh"
    assert last.groups["PAPP"].value == 2840
    assert last.groups["DEMAIN"].value == "ROUG"
    reading = summarize(frames)
    assert reading.mode == "historique"
    assert reading.meter_id == "021861348497"
    assert reading.producer_mode is None and reading.prm is None
    assert reading.east_wh == 18328713 + 23739545 + 1466099 + 2132883 + 860118 + 844115


def test_goteleinfo_standard(samples_real: Path) -> None:
    (frame,) = read_capture(tic_dir(samples_real) / "goteleinfo-standard-mono.bin")
    assert frame.valid
    assert frame.prm == "01234567890123"
    # the author anonymised ADSC to 11 digits: kept raw, not decoded into a wrong address
    assert frame.meter_id == "12345678900" and frame.address is None
    assert frame.meter_time == datetime(2019, 12, 3, 12, 58, 5, tzinfo=PARIS)
    assert frame.groups["DATE"].raw == ""
    assert frame.groups["DATE"].horodate is not None
    assert frame.groups["DATE"].horodate.raw == "H191203125805"
    assert frame.groups["SMAXSN"].value == 5706
    assert frame.groups["SMAXSN"].horodate.time == datetime(2019, 12, 3, 3, 21, 58, tzinfo=PARIS)  # type: ignore[union-attr]
    stge = frame.stge
    assert stge is not None and stge.hex == "003A8000"
    assert not stge.producer
    assert frame.groups["NTARF"].value == stge.supplier_tariff_index == 1
    assert frame.groups["RELAIS"].value.closed == (1,)  # type: ignore[attr-defined]
    profile = frame.groups["PJOURF+1"].value
    assert [block.start for block in profile.blocks] == [
        "00:00",
        "02:56",
        "07:56",
        "11:56",
        "14:56",
    ]  # type: ignore[attr-defined]
    assert [block.supplier_index for block in profile.blocks] == [2, 1, 2, 1, 2]  # type: ignore[attr-defined]
    assert frame.groups["NGTF"].value == "HC et Week-End"
    assert frame.groups["NGTF"].raw == " HC et Week-End "
    reading = summarize([frame])
    assert reading.production_data_missing
    assert reading.east_wh == 17026175 and reading.sinsts_va == 519


def test_logisdom_producer(samples_real: Path) -> None:
    frames = read_capture(tic_dir(samples_real) / "logisdom-standard-producer-mono.txt")
    assert not frames[0].complete and not frames[-1].complete  # 1st partial, last cut
    assert all(frame.complete for frame in frames[1:-1])
    reasons = [bad.label for frame in frames for bad in frame.bad_groups]
    assert sorted(reasons, key=str) == sorted(["EP*PREF", "ok", *["PJOURF+1"] * 4], key=str)
    full = frames[1]
    assert full.groups["EASD01"].raw == "000000000"  # checksum is a space, restored
    assert full.groups["NGTF"].value == "PRODUCTEUR"
    reading = summarize(frames)
    assert reading.producer_mode is True
    assert reading.eait_wh == 32782
    assert reading.sinsti_va == 1237
    assert reading.prm == "22246454325444"
    assert reading.stge is not None and reading.stge.fields["dry_contact"] == 1
    assert reading.stge.fields["energy_negative"] == 1
    address = reading.meter_address
    assert isinstance(address, MeterAddress)
    assert (address.maker_code, address.year, address.type_code, address.phases) == (
        "03",
        2018,
        "64",
        1,
    )
    assert not reading.production_data_missing


def test_tasmota_three_phase_tempo(samples_real: Path) -> None:
    frames = read_capture(tic_dir(samples_real) / "tasmota-issue38-standard-tri-tempo.txt")
    assert len(frames) == 2 and not any(frame.complete for frame in frames)
    head = frames[1]
    assert head.groups["DATE"].raw == ""
    assert head.meter_time == datetime(2024, 9, 24, 22, 56, 42, tzinfo=PARIS)
    assert head.groups["SINSTS3"].value == 1092
    assert head.address is not None and head.address.phases == 3  # type 76: three-phase
    stge = frames[0].stge
    assert stge is not None and stge.fields["tempo_today"] == 1


def test_teleinfo_test_space_checksums(samples_real: Path) -> None:
    frames = read_capture(tic_dir(samples_real) / "teleinfo-test-historique-hc.txt")
    hchc = [frame.groups["HCHC"] for frame in frames if "HCHC" in frame.groups]
    assert hchc and all(group.value == 723392 for group in hchc)
    assert summarize(frames).tariff == "HP.."


def test_nextdom_three_phase(samples_real: Path) -> None:
    (frame,) = read_capture(tic_dir(samples_real) / "nextdom-issue24-historique-tri-base.txt")
    assert frame.groups["IINST3"].value == 2
    assert frame.groups["PMAX"].unit == "W"
    assert frame.groups["PPOT"].value == 0
    assert frame.east_wh is None and summarize([frame]).east_wh == 73260524
