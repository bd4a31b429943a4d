"""Decoupling: setting-name table (accepted / warned / unknown) and the test record."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mes_helpers import demo_dossier

from linkytool.mes.decoupling import (
    SettingVerdict,
    assess_setting_name,
    evaluate_decoupling_test,
    record_decoupling_test,
)
from linkytool.mes.model import DecouplingTest
from linkytool.mes.schema import PARIS


@pytest.mark.parametrize(
    ("name", "verdict", "hz"),
    [
        ("EN 50549-1:2019 VFR2019 France", SettingVerdict.ACCEPTED, 51.5),  # Enphase
        ("VFR2019_FR", SettingVerdict.ACCEPTED, 51.5),  # Fox ESS
        ("VDE0126/VFR2019 IS (50Hz)", SettingVerdict.ACCEPTED, 51.5),  # Solplanet
        ("VFR 2019", SettingVerdict.ACCEPTED, 51.5),
        ("vfr-2019", SettingVerdict.ACCEPTED, 51.5),
        ("NF_EN_50549-1:2019", SettingVerdict.ACCEPTED, 51.5),  # Hoymiles DTU profile
        ("EN50549_FR", SettingVerdict.ACCEPTED, 51.5),
        ("VFR2013", SettingVerdict.WARNED, 50.4),
        ("France_VFR2014", SettingVerdict.WARNED, 50.6),
        ("VFR2014", SettingVerdict.WARNED, 50.6),
        ("UTE C 15-712-1(A)", SettingVerdict.WARNED, None),  # Huawei
        ("VDE0126-1-1", SettingVerdict.WARNED, 50.2),
        ("Custom grid 7", SettingVerdict.UNKNOWN, None),
    ],
)
def test_setting_names(name: str, verdict: SettingVerdict, hz: float | None) -> None:
    assessment = assess_setting_name(name)
    assert assessment.verdict is verdict
    assert assessment.overfrequency_hz == hz
    assert assessment.meaning


T0 = datetime(2026, 11, 20, 14, 41, 12, tzinfo=PARIS)


def test_pass_fail_and_threshold() -> None:
    test = DecouplingTest(
        coupled_at=T0 - timedelta(minutes=6),
        breaker_opened_at=T0,
        decoupled_at=T0 + timedelta(seconds=3),
        decoupling_seen=True,
        message="Grid Loss",
    )
    result = evaluate_decoupling_test(test)
    assert result.passed and result.delay_s == 3.0 and result.threshold_s == 5.0
    strict = evaluate_decoupling_test(test, max_delay_s=2.0)
    assert (
        not strict.passed and "au-delà du seuil de 2 s réglé dans linkytool" in strict.problems[0]
    )


def test_incomplete_record_lists_what_is_missing() -> None:
    result = evaluate_decoupling_test(DecouplingTest())
    assert not result.complete and not result.passed
    assert len(result.missing) == 4
    assert result.problems == ()


def test_record_decoupling_test_is_pure() -> None:
    dossier = demo_dossier()
    updated = record_decoupling_test(dossier, message="Islanding")
    assert dossier.decoupling_test.message == "Utility Loss"
    assert updated.decoupling_test.message == "Islanding"
    assert updated.decoupling_test.delay_s == dossier.decoupling_test.delay_s


@given(delay=st.floats(min_value=0, max_value=30, allow_nan=False), limit=st.floats(0.5, 20))
def test_verdict_is_monotonic_in_the_delay(delay: float, limit: float) -> None:
    test = DecouplingTest(
        coupled_at=T0 - timedelta(minutes=1),
        breaker_opened_at=T0,
        delay_s=delay,
        decoupling_seen=True,
        message="Grid Loss",
    )
    assert evaluate_decoupling_test(test, max_delay_s=limit).passed == (delay <= limit)


COMMISSIONED = datetime(2026, 11, 20, 14, 32, tzinfo=PARIS)


def _test_coupled_at(hour: int, minute: int) -> DecouplingTest:
    coupled = datetime(2026, 11, 20, hour, minute, tzinfo=PARIS)
    return DecouplingTest(
        coupled_at=coupled,
        breaker_opened_at=coupled + timedelta(minutes=6, seconds=12),
        decoupled_at=coupled + timedelta(minutes=6, seconds=13),
        decoupling_seen=True,
        message="Utility Loss",
    )


@pytest.mark.parametrize(
    ("hour", "minute", "passed"),
    [
        (10, 35, False),  # domain review: coupled 4 h before the MES, accepted and attested
        (14, 16, False),  # 16 min before: beyond the 15 min clock tolerance
        (14, 17, True),  # 15 min before: two clocks read by people
        (14, 35, True),  # after the MES, as the procedure says
    ],
)
def test_a_test_coupled_before_the_commissioning_is_refused(
    hour: int, minute: int, passed: bool
) -> None:
    result = evaluate_decoupling_test(_test_coupled_at(hour, minute), commissioned_at=COMMISSIONED)
    assert result.passed is passed, result.problems
    if not passed:
        (problem,) = result.problems
        assert problem.startswith(f"couplage de l'installation le 20/11/2026 à {hour}:{minute}")
        assert "avant la mise en service du 20/11/2026 à 14:32" in problem
        assert "refaites-le après la mise en service" in problem


def test_the_clock_tolerance_before_the_commissioning_is_a_setting() -> None:
    test = _test_coupled_at(14, 22)
    assert evaluate_decoupling_test(test, commissioned_at=COMMISSIONED).passed
    strict = evaluate_decoupling_test(test, commissioned_at=COMMISSIONED, clock_tolerance_min=5)
    assert not strict.passed and "10 min avant la mise en service" in strict.problems[0]


def test_a_coupling_refused_just_beyond_the_tolerance_shows_the_excess() -> None:
    """QA: coupled at 14:16:59, 15 min 01 s before a 14:32 commissioning, was refused
    « 14:16, 15 min avant » while 15 min is the tolerance."""
    test = _test_coupled_at(14, 16)
    test.coupled_at = datetime(2026, 11, 20, 14, 16, 59, tzinfo=PARIS)
    (problem,) = evaluate_decoupling_test(test, commissioned_at=COMMISSIONED).problems
    assert problem.startswith(
        "couplage de l'installation le 20/11/2026 à 14:16:59, 15 min 01 s avant la mise en "
        "service du 20/11/2026 à 14:32:00"
    ), problem
