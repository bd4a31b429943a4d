"""G1 "pilote" meters (types 67, 68), meter-type names, manufacturing years in the future."""

from __future__ import annotations

from datetime import date

import pytest

from linkytool.tic import MeterAddress, TicMode, decode_bytes, encode_frame, summarize
from linkytool.tic.model import Frame
from linkytool.tic.report import describe_reading

G1_FRAME = [
    ("ADSC", None, "021767123456"),  # maker 02, 2017, type 67: G1 pilot
    ("VTIC", None, "01"),
    ("DATE", "H171120143200", ""),
    ("EAST", None, "000123456"),
    ("SINST1", None, "00870"),
    ("SMAXN", "H171120071204", "03120"),
    ("SMAXN-1", "H171119190200", "04215"),
    ("STGE", None, "003A0000"),
    ("PRM", None, "30002345678901"),
]


def _frames(groups: list[tuple[str, str | None, str]]) -> list[Frame]:
    events = decode_bytes(encode_frame(groups, TicMode.STANDARD))
    return [event for event in events if isinstance(event, Frame)]


def test_g1_pilot_labels_are_typed_and_summarised() -> None:
    (frame,) = _frames(G1_FRAME)
    assert frame.valid
    assert frame.groups["SINST1"].value == 870 and frame.groups["SINST1"].unit == "VA"
    smaxn = frame.groups["SMAXN"]
    assert smaxn.value == 3120 and smaxn.horodate is not None and smaxn.horodate.valid
    reading = summarize([frame])
    assert reading.sinsts_va == 870 and reading.power_label == "SINST1"
    assert (reading.smaxsn_va, reading.smaxsn_prev_va) == (3120, 4215)
    rows = dict(describe_reading(reading, today=date(2026, 12, 2)))
    assert rows["Puissance soutirée (SINST1)"] == "870 VA"
    assert rows["Puissance max. du jour (SMAXN)"] == "3\u202f120 VA"
    assert rows["Puissance max. de la veille (SMAXN-1)"] == "4\u202f215 VA"
    assert "pilote G1" in rows["Compteur (ADSC/ADCO)"]
    # French agreement: 0 and 1 take the singular (it read « 1 valides, 0 rejetés »)
    assert rows["Trames"] == "1 dont 1 valide"
    assert rows["Groupes"].startswith("9 valides, 0 rejeté (")


def test_later_meters_keep_sinsts_first() -> None:
    groups = [*G1_FRAME, ("SINSTS", None, "00100"), ("SMAXSN", "H171120071204", "00200")]
    reading = summarize(_frames(groups))
    assert (reading.sinsts_va, reading.power_label, reading.smaxsn_va) == (100, "SINSTS", 200)


@pytest.mark.parametrize(
    ("code", "phases", "words"),
    [("67", 1, "pilote G1"), ("68", 3, "pilote G1"), ("28", 1, "avant Linky"),
     ("30", 3, "avant Linky"), ("64", 1, "G3")],
)  # fmt: skip
def test_meter_types_are_named(code: str, phases: int, words: str) -> None:
    address = MeterAddress.parse(f"0418{code}123456")
    assert address is not None and address.type_name is not None
    assert words in address.type_name and address.phases == phases


def test_manufacturing_year_in_the_future_is_flagged_not_shown_as_fact() -> None:
    address = MeterAddress.parse("123456789012")  # openHAB's anonymised ADSC
    assert address is not None and address.year == 2034
    assert address.year_in_future(date(2026, 12, 2))
    assert not address.year_in_future(date(2034, 1, 1))
    reading = summarize(_frames([("ADSC", None, "123456789012"), ("PRM", None, "1" * 14)]))
    meter = dict(describe_reading(reading, today=date(2026, 12, 2)))["Compteur (ADSC/ADCO)"]
    assert "2034 impossible (future)" in meter and "type 56 inconnu" in meter
    plain = dict(describe_reading(reading, today=date(2035, 1, 1)))["Compteur (ADSC/ADCO)"]
    assert "impossible" not in plain and "2034" in plain


@pytest.mark.parametrize(
    ("ptec", "shown"),
    [("TH..", "TH.. (toutes les heures)"), ("HCJR", "HCJR (heures creuses jours rouges)")],
)
def test_a_historique_tariff_period_is_named_in_french(ptec: str, shown: str) -> None:
    """PTEC's code (``TH..``) was shown bare; the summary names it (Enedis-NOI-CPT_02E)."""
    groups = [("ADCO", None, "041864123456"), ("PTEC", None, ptec), ("PAPP", None, "00540")]
    events = decode_bytes(encode_frame(groups, TicMode.HISTORIQUE), TicMode.HISTORIQUE)
    frames = [event for event in events if isinstance(event, Frame)]
    rows = dict(describe_reading(summarize(frames), today=date(2026, 12, 2)))
    assert rows["Tarif en cours"] == shown


@pytest.mark.parametrize(
    ("offset_s", "shown"),
    [(-9, "-9 s"), (-1_249_751, "-14 j 11 h"), (3_720, "+1 h 02 min")],
)
def test_the_meter_clock_drift_is_said_as_people_say_it(offset_s: int, shown: str) -> None:
    """Site visit, stop 32: a meter clock 14 days behind read « écart -1249751 s »."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from linkytool.tic.report import _drift

    host = datetime(2026, 12, 4, 23, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert _drift(host + timedelta(seconds=offset_s), host) == (
        f"{shown} par rapport à l'horloge de cet ordinateur"
    )
