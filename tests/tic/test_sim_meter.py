"""The simulated meter: coherent frames in both modes, plausible evolution, damage on demand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from linkytool.tic import DecodeError, Frame, TicMode, decode_bytes, summarize
from linkytool.tic.horodate import PARIS
from linkytool.tic.labels import PRODUCER_LABELS
from linkytool.tic.simulator import DEMO_ADSC, DEMO_EAIT_WH, DEMO_PRM, MeterSimulator

WINTER_EVENING = datetime(2026, 11, 20, 19, 0, tzinfo=PARIS)
SUMMER_NOON = datetime(2026, 6, 21, 13, 30, tzinfo=PARIS)


def run(simulator: MeterSimulator, count: int) -> list[Frame]:
    data = b"".join(simulator.next_frame() for _ in range(count))
    return [event for event in decode_bytes(data) if isinstance(event, Frame)]


def test_demo_defaults_match_the_contract() -> None:
    simulator = MeterSimulator(seed=1, start=WINTER_EVENING)
    frames = run(simulator, 3)
    assert len(frames) == 3 and all(frame.valid for frame in frames)
    reading = summarize(frames)
    assert reading.mode == "standard" and simulator.baud == 9600
    assert reading.prm == DEMO_PRM and reading.meter_id == DEMO_ADSC
    assert reading.producer_mode is False and reading.production_data_missing
    assert not PRODUCER_LABELS & set(frames[-1].groups)
    assert reading.stge is not None and reading.stge.hex.upper() == reading.stge.hex


def test_meter_clock_advances_with_the_time_on_the_wire() -> None:
    simulator = MeterSimulator(seed=2, start=WINTER_EVENING, clock_drift_s=-42)
    frames = run(simulator, 10)
    times = [frame.meter_time for frame in frames]
    assert all(t is not None for t in times)
    first, last = times[0], times[-1]
    assert first is not None and last is not None
    # about 0.85 s per standard frame at 960 B/s: 9 frames later, 6 to 10 s have passed
    assert timedelta(seconds=6) <= last - first <= timedelta(seconds=10)
    assert first - WINTER_EVENING == timedelta(seconds=-42)
    assert simulator.byte_rate == 960.0


def test_consumption_index_grows_with_the_power_drawn() -> None:
    simulator = MeterSimulator(seed=3, start=WINTER_EVENING)
    first = run(simulator, 1)[0]
    for _ in range(3000):  # ~45 simulated minutes
        simulator.next_frame()
    last = run(simulator, 1)[0]
    assert first.east_wh is not None and last.east_wh is not None
    assert 20 <= last.east_wh - first.east_wh <= 3000  # a home in the evening
    assert last.sinsts_va is not None and 60 <= last.sinsts_va <= 9000


def test_producer_injects_at_noon_and_not_at_night() -> None:
    noon = MeterSimulator(profile="producer", seed=4, start=SUMMER_NOON)
    frames = run(noon, 400)
    reading = summarize(frames)
    assert reading.producer_mode is True and not reading.production_data_missing
    assert reading.sinsti_va is not None and reading.sinsti_va > 500
    assert reading.eait_wh is not None and reading.eait_wh > DEMO_EAIT_WH
    assert PRODUCER_LABELS - {"SINSTI"} <= set(frames[-1].groups) | {"SINSTI"}
    night = MeterSimulator(profile="producer", seed=4, start=SUMMER_NOON.replace(hour=2))
    night_reading = summarize(run(night, 50))
    assert night_reading.sinsti_va == 0 and night_reading.eait_wh == DEMO_EAIT_WH


def test_pv_follows_a_bell_over_the_day() -> None:
    powers = []
    for hour in (5, 8, 11, 14, 17, 20, 23):
        simulator = MeterSimulator(
            profile="producer", seed=5, start=SUMMER_NOON.replace(hour=hour, minute=0)
        )
        powers.append(simulator._pv_power(1.0))
    assert powers[0] == 0.0 and powers[-1] == 0.0
    assert max(powers) == max(powers[2:4])  # peak around midday


def test_three_phase_frames_carry_the_phase_labels() -> None:
    frames = run(MeterSimulator(phases=3, seed=6, start=WINTER_EVENING), 2)
    groups = frames[-1].groups
    assert {"IRMS3", "URMS3", "SINSTS3", "SMAXSN3-1", "UMOY3"} <= set(groups)
    assert frames[-1].meter_id == "041863123456"
    assert all(frame.valid for frame in frames)


@pytest.mark.parametrize("phases", [1, 3])
def test_historique_frames(phases: int) -> None:
    simulator = MeterSimulator("historique", phases=phases, tariff="hchp", seed=7)
    frames = run(simulator, 3)
    assert simulator.baud == 1200 and simulator.byte_rate == 120.0
    assert all(frame.valid and frame.mode is TicMode.HISTORIQUE for frame in frames)
    labels = set(frames[-1].groups)
    assert {"ADCO", "OPTARIF", "HCHC", "HCHP", "PTEC", "PAPP"} <= labels
    assert ("IINST3" in labels) == (phases == 3)


def test_tariff_periods_switch_at_22h() -> None:
    late = MeterSimulator(tariff="hchp", seed=8, start=WINTER_EVENING.replace(hour=23))
    frame = run(late, 1)[0]
    assert frame.tariff == "HEURE CREUSE" and frame.value("NTARF") == 1
    day = MeterSimulator(tariff="hchp", seed=8, start=WINTER_EVENING.replace(hour=10))
    assert run(day, 1)[0].tariff == "HEURE PLEINE"


def test_error_rate_corrupts_groups_that_never_pass_as_valid() -> None:
    simulator = MeterSimulator(seed=9, error_rate=0.1, start=WINTER_EVENING)
    frames = run(simulator, 40)
    bad = sum(len(frame.bad_groups) for frame in frames)
    total = bad + sum(len(frame.groups) for frame in frames)
    assert bad == simulator.corrupted_groups
    assert 0.05 < bad / total < 0.15


def test_error_rate_in_historique_is_never_accepted_by_the_other_checksum_method() -> None:
    simulator = MeterSimulator("historique", seed=10, error_rate=0.3)
    frames = run(simulator, 60)
    assert sum(len(frame.bad_groups) for frame in frames) == simulator.corrupted_groups


def test_garbage_between_frames_is_reported_and_frames_survive() -> None:
    simulator = MeterSimulator(seed=11, garbage_rate=1.0, start=WINTER_EVENING)
    data = b"".join(simulator.next_frame() for _ in range(5))
    events = decode_bytes(data)
    assert any(isinstance(event, DecodeError) for event in events)
    assert sum(isinstance(e, Frame) and e.valid for e in events) == 5


def test_same_seed_same_bytes() -> None:
    one = MeterSimulator(seed=12, start=WINTER_EVENING, error_rate=0.05)
    two = MeterSimulator(seed=12, start=WINTER_EVENING, error_rate=0.05)
    assert [one.next_frame() for _ in range(20)] == [two.next_frame() for _ in range(20)]


def test_day_change_rolls_the_daily_maxima() -> None:
    simulator = MeterSimulator(seed=13, start=WINTER_EVENING.replace(hour=23, minute=59, second=50))
    before = run(simulator, 1)[0]
    for _ in range(20):
        simulator.next_frame()
    after = run(simulator, 1)[0]
    before_max, after_prev = before.groups["SMAXSN"], after.groups["SMAXSN-1"]
    assert before_max.horodate is not None and after_prev.horodate is not None
    assert after_prev.horodate.time is not None and before_max.horodate.time is not None
    assert after_prev.horodate.time.date() == before_max.horodate.time.date()


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        MeterSimulator(phases=2)
    with pytest.raises(ValueError):
        MeterSimulator(error_rate=1.5)


def test_tempo_colours_follow_the_calendar_and_show_in_stge() -> None:
    from linkytool.tic.simulator import tempo_colour

    winter = [tempo_colour(WINTER_EVENING.date() + timedelta(days=n)) for n in range(150)]
    summer = [tempo_colour(SUMMER_NOON.date() + timedelta(days=n)) for n in range(60)]
    assert winter.count(2) >= 5 and 2 not in summer and winter.count(0) > winter.count(1)
    simulator = MeterSimulator(tariff="tempo", seed=14, start=WINTER_EVENING)
    frame = run(simulator, 1)[0]
    today, tomorrow = simulator._tempo_colours()
    stge = frame.stge
    assert stge is not None
    assert stge.fields["tempo_today"] == today + 1
    assert stge.fields["tempo_tomorrow"] == tomorrow + 1
    colour = ("BLEU", "BLANC", "ROUGE")[today]
    assert frame.tariff == f"HP  {colour}" and frame.value("NTARF") == 2 * today + 2
    assert frame.groups["NGTF"].raw.strip() == "TEMPO"


def test_tempo_historique_frames() -> None:
    frames = run(MeterSimulator("historique", tariff="tempo", seed=15, start=WINTER_EVENING), 2)
    groups = frames[-1].groups
    assert frames[-1].valid and groups["OPTARIF"].raw == "BBR("
    assert {"BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW", "BBRHCJR", "BBRHPJR"} <= set(groups)
    assert groups["PTEC"].raw in ("HPJB", "HPJW", "HPJR")
    assert groups["DEMAIN"].raw in ("BLEU", "BLAN", "ROUG")


@pytest.mark.parametrize("tariff", ["base", "hchp", "tempo"])
def test_east_is_always_the_sum_of_the_supplier_and_distributor_indexes(tariff: str) -> None:
    simulator = MeterSimulator(tariff=tariff, seed=16, start=WINTER_EVENING.replace(hour=21))
    for _ in range(6):
        for _ in range(500):  # ~7 simulated minutes, across 22:00
            simulator.next_frame()
        frame = run(simulator, 1)[0]
        east = frame.east_wh
        easf = sum(frame.value(f"EASF{n:02d}") for n in range(1, 11))  # type: ignore[misc]
        easd = sum(frame.value(f"EASD{n:02d}") for n in range(1, 5))  # type: ignore[misc]
        assert east == easf == easd
