"""The STGE summary line states every field that matters, from the bit table, and flags
impossible values (domain review against shared/docs/tic.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.tic import Frame, TicDecoder, TicMode, encode_frame, stge
from linkytool.tic.model import FrameRun
from linkytool.tic.stge import STGE_FIELDS, BitField, StatusRegister
from linkytool.tic.summary import MeterReading, ReadingBuilder

from .helpers import STANDARD_GROUPS


@pytest.mark.parametrize(
    ("raw", "items"),
    [
        # bits 0, 4 and 6 set, breaker 7 (no such state), supplier tariff 15 (index 16),
        # bit 17 at 0 (historique) and unused bit 5 set: the old line said only
        # « consommateur, organe de coupure valeur 7, tarif 16, contact sec ouvert »
        ("0000FC7F", [
            "contact sec ouvert", "cache-bornes distributeur ouvert",
            "surtension sur une phase", "organe de coupure : valeur 7 impossible",
            "tarif en cours (fournisseur) : index 16 impossible (1 à 10)",
            "mode TIC historique impossible dans une trame standard",
            "bit 5 (inutilisé) à 1 impossible"]),
        ("002A0301", ["producteur", "contact sec ouvert", "énergie active négative", "tarif 1"]),
        ("9B3A9000", ["tarif 5", "Tempo rouge", "Tempo du lendemain blanc",
                      "préavis pointe mobile PM1", "pointe mobile PM2"]),
        ("00BA0080", ["dépassement de la puissance de référence"]),
    ],
)  # fmt: skip
def test_the_summary_states_every_set_bit_that_matters(raw: str, items: list[str]) -> None:
    summary = StatusRegister.from_hex(raw).summary().split(", ")
    for item in items:
        assert item in summary, (item, summary)


def test_the_lines_of_registers_with_nothing_unusual_stay_as_they_were() -> None:
    """Registers with nothing unusual keep their line (the golden outputs show it); the
    distributor index, bits 14-15, is said when not 1."""
    assert StatusRegister.from_hex("003A0000").summary() == (
        "consommateur, organe de coupure fermé, tarif 1"
    )
    assert StatusRegister.from_hex("003A8000").summary() == (
        "consommateur, organe de coupure fermé, tarif 1, index distributeur 3"
    )
    assert StatusRegister.from_hex("003A0001").summary() == (
        "consommateur, organe de coupure fermé, tarif 1, contact sec ouvert"
    )


@pytest.mark.parametrize("bit_field", STGE_FIELDS, ids=lambda f: f.name)
def test_every_value_of_every_field_is_stated_or_flagged(bit_field: BitField) -> None:
    """From the table, not a list of ifs: each value other than the usual one of a field
    the summary states appears; each value the table does not name is « impossible »."""
    for value in range(1 << bit_field.width):
        register = StatusRegister.from_int(
            (1 << 17 if bit_field.name != "standard_tic" else 0) | value << bit_field.first
        )
        summary = register.summary_items()
        item = bit_field.summary_item(value)
        if not bit_field.possible(value):
            assert item is not None and "impossible" in item and item in summary
        elif bit_field.summary is not None and (
            value != bit_field.usual or bit_field.name in stge.SUMMARY_ALWAYS
        ):
            assert item is not None and item in summary
        else:
            assert item is None
        assert all("," not in part for part in summary)  # the TUI lists the items


@pytest.mark.parametrize("bit", [5, 18])
def test_an_unused_bit_set_is_impossible(bit: int) -> None:
    summary = StatusRegister.from_int(1 << 17 | 1 << bit).summary()
    assert f"bit {bit} (inutilisé) à 1 impossible" in summary


def test_ntarf_other_than_the_stge_tariff_plus_one_is_flagged() -> None:
    register = StatusRegister.from_hex("9B3A9000")  # supplier tariff index 5
    assert "NTARF" not in register.summary(ntarf=5)
    assert "NTARF 4 ≠ tarif STGE 5 (incohérent : NTARF = bits 10-13 + 1)" in register.summary(
        ntarf=4
    )


def _decode_summary(tmp_path: Path, stge: str, ntarf: str) -> str:
    groups = [
        (label, horodate, {"STGE": stge, "NTARF": ntarf}.get(label, data))
        for label, horodate, data in STANDARD_GROUPS
    ]
    capture = tmp_path / "f.bin"
    capture.write_bytes(encode_frame(groups, TicMode.STANDARD))
    result = CliRunner().invoke(cli, ["tic", "decode", str(capture)])
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("Statuts (STGE)")]
    return " ".join(line.split())


def test_tic_decode_flags_an_impossible_tariff_and_ntarf_apart(tmp_path: Path) -> None:
    """The review's frame (mk.py 0000FC7F 16 / 05): « tarif 16 » was accepted and NTARF
    05 beside a tariff of 16 said nothing."""
    line = _decode_summary(tmp_path, "0000FC7F", "16")
    assert "index 16 impossible (1 à 10)" in line and "NTARF" not in line
    line = _decode_summary(tmp_path, "0000FC7F", "05")
    assert "NTARF 5 ≠ tarif STGE 16" in line
    line = _decode_summary(tmp_path, "013A4401", "02")  # tariff 2, as the real meter
    assert line == (
        "Statuts (STGE) 013A4401 : consommateur, organe de coupure fermé, tarif 2, contact sec"
        " ouvert, index distributeur 2, Tempo bleu"
    )


def _frame(stge_raw: str, ntarf: str, *, damage_ntarf: bool = False) -> bytes:
    groups = [
        (label, horodate, {"STGE": stge_raw, "NTARF": ntarf}.get(label, data))
        for label, horodate, data in STANDARD_GROUPS
    ]
    data = bytearray(encode_frame(groups, TicMode.STANDARD))
    if damage_ntarf:
        end = data.index(b"\r", data.index(b"\nNTARF"))
        data[end - 1] = data[end - 1] ^ 0x01  # a wrong checksum: NTARF rejected
    return bytes(data)


def _reading(data: bytes, *, runs: bool) -> MeterReading:
    decoder = TicDecoder(runs=runs)
    decoder.feed(data)
    decoder.close()
    builder = ReadingBuilder()
    events = list(decoder.run_events())
    assert any(isinstance(event, FrameRun) for event in events) is runs
    for event in events:
        if isinstance(event, FrameRun):
            builder.add_run(event)
        elif isinstance(event, Frame):
            builder.add(event)
    return builder.result()


@pytest.mark.parametrize("runs", [False, True])
def test_ntarf_is_checked_against_the_stge_of_its_own_frame(runs: bool) -> None:
    """NTARF is compared with the STGE of the frame it came in, frame by frame or in bulk:
    a tariff change whose last frame lost NTARF is no inconsistency."""
    same = _frame("9B3A9000", "04") * 3  # tariff 5 in STGE, 4 in NTARF
    reading = _reading(same, runs=runs)
    assert reading.ntarf == 4 and reading.stge is not None
    assert "NTARF 4 ≠ tarif STGE 5" in reading.stge.summary(reading.ntarf)
    change = _frame("003A0000", "01") * 2 + _frame("003A0400", "02", damage_ntarf=True)
    reading = _reading(change, runs=runs)
    assert reading.stge is not None and reading.stge.supplier_tariff_index == 2
    assert reading.ntarf is None and "NTARF" not in reading.stge.summary(reading.ntarf)
