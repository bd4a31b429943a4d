"""STGE, horodate, ADSC, RELAIS, day profiles, label table, checksums."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from linkytool.tic import (
    LABELS,
    ChecksumMethod,
    DayProfile,
    MeterAddress,
    Relays,
    StatusRegister,
    TicMode,
    checksum_method1,
    checksum_method2,
    encode_group,
    parse_horodate,
)
from linkytool.tic.horodate import PARIS, format_horodate
from linkytool.tic.labels import PRODUCER_LABELS, Phases, ValueKind

#: The five real registers of shared/docs/tic.md and what they say.
STGE_CASES = {
    "003A8000": {"producer": 0, "supplier_tariff": 0, "standard_tic": 1, "cpl_status": 1,
                 "cpl_synchronised": 0, "dry_contact": 0, "breaker": 0},
    "002A0301": {"producer": 1, "dry_contact": 1, "energy_negative": 1, "supplier_tariff": 0},
    "013A0000": {"tempo_today": 1, "tempo_tomorrow": 0, "supplier_tariff": 0},
    "9B3A9000": {"supplier_tariff": 4, "tempo_today": 3, "tempo_tomorrow": 2,
                 "mobile_peak_notice": 1, "mobile_peak_active": 2},
    "013A4401": {"supplier_tariff": 1, "dry_contact": 1, "tempo_today": 1},
}  # fmt: skip


@pytest.mark.parametrize("raw", sorted(STGE_CASES))
def test_stge_real_registers(raw: str) -> None:
    register = StatusRegister.from_hex(raw)
    for name, value in STGE_CASES[raw].items():
        assert register.fields[name] == value, name
    # all five show CPL status 01 (New/Lock) and sync 0: read, not anomalies
    assert register.fields["cpl_status"] == 1 and register.fields["cpl_synchronised"] == 0
    assert register.fields["standard_tic"] == 1
    assert register.hex == raw


def test_stge_describe_in_french() -> None:
    described = dict(StatusRegister.from_hex("9B3A9000").describe())
    assert described["Tarif en cours (fournisseur)"] == "index 5"
    assert described["Couleur Tempo du jour"] == "rouge"
    assert described["Couleur Tempo du lendemain"] == "blanc"
    assert described["Préavis pointe mobile"] == "PM1"
    assert described["Pointe mobile en cours"] == "PM2"
    assert described["Fonctionnement"] == "consommateur"
    summary = StatusRegister.from_hex("002A0301").summary()
    assert "producteur" in summary and "contact sec ouvert" in summary


def test_stge_rejects_non_hex() -> None:
    with pytest.raises(ValueError):
        StatusRegister.from_hex("00ZA8000")
    with pytest.raises(ValueError):
        StatusRegister.from_hex("3A8000")


@pytest.mark.parametrize(
    ("raw", "utc", "season", "degraded"),
    [
        ("E240924225642", datetime(2024, 9, 24, 20, 56, 42), "summer", False),
        ("H191203125805", datetime(2019, 12, 3, 11, 58, 5), "winter", False),
        ("e240924225642", datetime(2024, 9, 24, 20, 56, 42), "summer", True),
        ("h191203125805", datetime(2019, 12, 3, 11, 58, 5), "winter", True),
        (" 250123060000", datetime(2025, 1, 23, 5, 0, 0), None, False),
    ],
)
def test_horodate(raw: str, utc: datetime, season: str | None, degraded: bool) -> None:
    stamp = parse_horodate(raw)
    assert stamp.raw == raw
    assert stamp.time is not None
    assert stamp.time.tzinfo is PARIS
    assert stamp.time.astimezone(PARIS).utcoffset() is not None
    assert stamp.time.replace(tzinfo=None) - stamp.time.utcoffset() == utc  # type: ignore[operator]
    assert stamp.season == season and stamp.degraded is degraded


def test_horodate_season_letter_wins_over_zone_rules() -> None:
    """Ambiguous autumn hour: E (UTC+2) and H (UTC+1) give two distinct instants."""
    summer = parse_horodate("E241027023000").time
    winter = parse_horodate("H241027023000").time
    assert summer is not None and winter is not None
    assert winter.astimezone(UTC) - summer.astimezone(UTC) == timedelta(hours=1)
    assert summer.fold == 0 and winter.fold == 1


@pytest.mark.parametrize("raw", ["E24092422564", "X2409242256AB", "E241324225642", ""])
def test_bad_horodate_keeps_raw(raw: str) -> None:
    stamp = parse_horodate(raw)
    assert stamp.time is None and stamp.raw == raw and not stamp.valid


def test_format_horodate_roundtrip() -> None:
    time = datetime(2026, 11, 20, 14, 32, tzinfo=PARIS)
    assert format_horodate(time) == "H261120143200"
    assert parse_horodate(format_horodate(time)).time == time
    assert format_horodate(datetime(2026, 7, 1, 8, 0, tzinfo=PARIS), degraded=True)[0] == "e"


def test_meter_address_demo() -> None:
    address = MeterAddress.parse("041864123456")
    assert address is not None
    assert (address.maker_code, address.year, address.type_code, address.serial) == (
        "04",
        2018,
        "64",
        "123456",
    )
    assert address.phases == 1 and address.maker and "Landis" in address.maker
    assert MeterAddress.parse("12345678900") is None
    unknown = MeterAddress.parse("991899000001")
    assert unknown is not None and unknown.maker is None and unknown.type_name is None


def test_relays() -> None:
    assert Relays(140).closed == (3, 4, 8)
    assert Relays(0).closed == ()


def test_day_profile() -> None:
    profile = DayProfile.parse(
        "00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE "
        "NONUTILE NONUTILE"
    )
    assert profile is not None
    assert [(b.start, b.supplier_index) for b in profile.blocks] == [
        ("00:00", 1),
        ("06:00", 2),
        ("22:00", 1),
    ]
    assert DayProfile.parse("0000400Z NONUTILE") is None


def test_label_tables() -> None:
    standard = LABELS[TicMode.STANDARD]
    historique = LABELS[TicMode.HISTORIQUE]
    assert {
        "EAIT", "ERQ1", "ERQ2", "ERQ3", "ERQ4", "SINSTI", "SMAXIN", "SMAXIN-1", "CCAIN",
        "CCAIN-1",
    } == PRODUCER_LABELS  # fmt: skip
    assert standard["DATE"].horodate and standard["DATE"].length == 0
    assert standard["SMAXSN2-1"].horodate and standard["SMAXSN2-1"].phases is Phases.THREE
    assert standard["PJOURF+1"].length == 98 and standard["MSG1"].length == 32
    assert standard["EAST"].unit == "Wh" and standard["STGE"].kind is ValueKind.STATUS
    assert historique["PAPP"].unit == "VA" and historique["ADCO"].kind is ValueKind.ADDRESS
    assert not any(spec.horodate for spec in historique.values())
    for table in (standard, historique):
        assert all(spec.description for spec in table.values())


def test_checksums_both_methods() -> None:
    # "PTEC HP.. " historique: method 1 excludes the SP before the checksum
    assert chr(checksum_method1(b"PTEC HP..")) == " "
    assert chr(checksum_method2(b"ADSC\t031876067693\t")) == "E"
    group = encode_group("PAPP", "00180", TicMode.HISTORIQUE, method=ChecksumMethod.METHOD_2)
    assert group == b"\nPAPP 00180 " + bytes((checksum_method2(b"PAPP 00180 "),)) + b"\r"


@pytest.mark.parametrize(
    ("label", "data", "mode", "horodate"),
    [
        ("EA ST", "1", TicMode.STANDARD, None),
        ("EAST", "1\t2", TicMode.STANDARD, None),
        ("EAST", "é", TicMode.STANDARD, None),
        ("", "1", TicMode.STANDARD, None),
        ("DATE", "", TicMode.HISTORIQUE, "E240924225642"),
    ],
)
def test_encoder_rejects_what_tic_cannot_carry(
    label: str, data: str, mode: TicMode, horodate: str | None
) -> None:
    with pytest.raises(ValueError):
        encode_group(label, data, mode, horodate=horodate)
