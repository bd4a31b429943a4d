"""Cross-checks between photo readings, EXIF and a TIC reading (French messages)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from linkytool.ocr import CheckStatus, PhotoReading, ScreenKind, cross_check
from linkytool.ocr.crosscheck import check_date_exif, check_date_tic, check_index, check_prm
from linkytool.tic import MeterReading

PARIS = ZoneInfo("Europe/Paris")


def tic_reading(**changes: object) -> MeterReading:
    values: dict[str, object] = {
        "mode": "standard",
        "prm": "30002345678901",
        "meter_id": "041864123456",
        "meter_time": datetime(2026, 11, 20, 14, 32, 6, tzinfo=PARIS),
        "tariff": "BASE",
        "east_wh": 1_234_567,
        "eait_wh": None,
        "sinsts_va": 420,
        "sinsti_va": None,
        "producer_mode": False,
        "stge": None,
        "frames": 10,
        "groups_ok": 200,
        "groups_bad": 0,
        "checksum_error_rate": 0.0,
    }
    values.update(changes)
    return MeterReading(**values)  # type: ignore[arg-type]


def photo(screen: ScreenKind, value: str | None, **changes: object) -> PhotoReading:
    fields: dict[str, object] = {
        "path": Path(f"{screen.value}.jpg"),
        "screen": screen,
        "value": value,
        "confidence": 1.0,
        "confident": True,
    }
    fields.update(changes)
    return PhotoReading(**fields)  # type: ignore[arg-type]


def test_prm_agrees_and_disagrees() -> None:
    ok = check_prm(photo(ScreenKind.PRM, "30002345678901"), tic_reading())
    assert ok.status is CheckStatus.OK
    bad = check_prm(photo(ScreenKind.PRM, "30002345678907"), tic_reading())
    assert bad.status is CheckStatus.MISMATCH
    assert "30002345678907" in bad.message and "30002345678901" in bad.message
    assert "même compteur" in bad.message


def test_prm_candidate_matching_tic_is_pointed_out() -> None:
    reading = photo(
        ScreenKind.PRM, "30002345678907", confident=False, candidates=("30002345678901",)
    )
    check = check_prm(reading, tic_reading())
    assert check.status is CheckStatus.MISMATCH
    assert "confirmez" in check.message


def test_prm_historique_mode_is_not_checkable() -> None:
    check = check_prm(
        photo(ScreenKind.PRM, "30002345678901"), tic_reading(mode="historique", prm=None)
    )
    assert check.status is CheckStatus.UNAVAILABLE
    assert "historique" in check.message


def test_index_against_eait() -> None:
    consumer = check_index(photo(ScreenKind.INJECTION_INDEX, "12"), tic_reading())
    assert consumer.status is CheckStatus.UNAVAILABLE
    assert "mode consommateur" in consumer.message
    floor = check_index(photo(ScreenKind.INJECTION_INDEX, "12"), tic_reading(eait_wh=12_999))
    assert floor.status is CheckStatus.OK
    rounded = check_index(photo(ScreenKind.INJECTION_INDEX, "13"), tic_reading(eait_wh=12_600))
    assert rounded.status is CheckStatus.OK
    off = check_index(photo(ScreenKind.INJECTION_INDEX, "15"), tic_reading(eait_wh=12_600))
    assert off.status is CheckStatus.MISMATCH
    assert "12600 Wh" in off.message


def test_date_against_exif_tolerance() -> None:
    shown = "2026-11-20T14:32"
    near = photo(ScreenKind.DATE, shown, exif_time=datetime(2026, 11, 20, 14, 33, 10))
    assert check_date_exif(near).status is CheckStatus.OK
    far = photo(ScreenKind.DATE, shown, exif_time=datetime(2026, 11, 20, 14, 55))
    assert check_date_exif(far).status is CheckStatus.MISMATCH
    summer = photo(ScreenKind.DATE, shown, exif_time=datetime(2026, 11, 20, 15, 33))
    message = check_date_exif(summer).message
    assert "fuseau" in message
    missing = photo(ScreenKind.DATE, shown, exif_time=None)
    assert check_date_exif(missing).status is CheckStatus.UNAVAILABLE


def test_date_without_time_covers_the_day() -> None:
    inside = photo(ScreenKind.DATE, "2026-11-20", exif_time=datetime(2026, 11, 20, 23, 59))
    assert check_date_exif(inside).status is CheckStatus.OK
    next_day = photo(ScreenKind.DATE, "2026-11-20", exif_time=datetime(2026, 11, 21, 8, 0))
    assert check_date_exif(next_day).status is CheckStatus.MISMATCH


def test_date_against_tic_clock() -> None:
    reading = photo(ScreenKind.DATE, "2026-11-20T14:32")
    assert check_date_tic(reading, tic_reading()).status is CheckStatus.OK
    later = tic_reading(
        meter_time=datetime(2026, 11, 20, 14, 32, tzinfo=PARIS) + timedelta(hours=13)
    )
    mismatch = check_date_tic(reading, later)
    assert mismatch.status is CheckStatus.MISMATCH
    assert "même visite" in mismatch.message
    assert check_date_tic(reading, None).status is CheckStatus.UNAVAILABLE


def test_cross_check_reports_missing_and_conflicting_screens() -> None:
    readings = [
        photo(ScreenKind.PRM, "30002345678901"),
        photo(ScreenKind.PRM, "30002345678902"),
        photo(ScreenKind.OTHER, None),
    ]
    checks = cross_check(readings, tic_reading())
    by_id = {c.check: c for c in checks}
    assert by_id["photo_date"].status is CheckStatus.MISSING
    assert by_id["photo_injection_index"].status is CheckStatus.MISSING
    assert by_id["photos_prm"].status is CheckStatus.MISMATCH
    assert all(c.message and c.message[0].isupper() for c in checks)


def test_engraved_meter_address_against_tic_and_between_photos() -> None:
    refs = "Linky / ADS 041864123456 / CLA 230 V"
    same = [photo(ScreenKind.PRM, "30002345678901", references=refs)]
    checks = {c.check: c for c in cross_check(same, tic_reading())}
    assert checks["ads_tic"].status is CheckStatus.OK
    other = [
        photo(ScreenKind.PRM, "30002345678901", references=refs),
        photo(ScreenKind.DATE, "2026-11-20T14:32", references="ADS 041864999999"),
    ]
    checks_other = cross_check(other, tic_reading())
    statuses = {(c.check, c.status) for c in checks_other}
    assert ("ads_photos", CheckStatus.MISMATCH) in statuses
    assert ("ads_tic", CheckStatus.MISMATCH) in statuses


def test_date_messages_show_the_screen_date_the_french_way() -> None:
    """The user reads JJ/MM/AAAA in every message, not the ISO value stored."""
    reading = photo(ScreenKind.DATE, "2026-11-20T14:32", exif_time=datetime(2026, 11, 20, 16, 0))
    later = tic_reading(
        meter_time=datetime(2026, 11, 20, 14, 32, tzinfo=PARIS) + timedelta(hours=13)
    )
    near = photo(ScreenKind.DATE, "2026-11-20T14:32", exif_time=datetime(2026, 11, 20, 14, 33))
    messages = [
        check_date_exif(reading).message,
        check_date_exif(near).message,
        check_date_tic(reading, tic_reading()).message,
        check_date_tic(reading, later).message,
    ]
    for message in messages:
        assert "20/11/2026 14:32" in message and "2026-11-20" not in message, message


def test_photos_that_disagree_are_listed_as_people_read_them() -> None:
    """QA: « … : 2025-09-14T19:56, 2026-10-11T11:14 » and indexes sorted as text
    (« 1, 12, 182202, 571, 9 »)."""
    readings = [
        photo(ScreenKind.DATE, "2026-10-11T11:14"),
        photo(ScreenKind.DATE, "2025-09-14T19:56"),
        *(photo(ScreenKind.INJECTION_INDEX, value) for value in ("12", "9", "182202", "1")),
    ]
    checks = {check.check: check for check in cross_check(readings)}
    assert "14/09/2025 19:56, 11/10/2026 11:14." in checks["photos_date"].message
    assert "1 kWh, 9 kWh, 12 kWh, 182\u202f202 kWh." in checks["photos_injection_index"].message
