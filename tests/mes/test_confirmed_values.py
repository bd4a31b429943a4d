"""``rules.confirmed_values``: which values the installer vouched for, per field (pure)."""

from __future__ import annotations

from linkytool.mes import Dossier, ReadingField
from linkytool.mes.model import Reading, ReadingSource
from linkytool.mes.rules import confirmed_values

HASH = "a" * 64
OTHER_HASH = "b" * 64
PRM = ReadingField.PRM


def dossier_with(*readings: Reading, photo: str = "photos/prm.jpg") -> Dossier:
    dossier = Dossier()
    dossier.photos.prm = photo
    dossier.readings.prm.extend(readings)
    return dossier


def from_photo(
    value: str, *, confirmed: bool, source: ReadingSource = ReadingSource.PHOTO
) -> Reading:
    return Reading(
        value=value, source=source, file="photos/prm.jpg", sha256=HASH, confirmed=confirmed
    )


SAME = {"photos/prm.jpg": HASH}


def test_a_value_confirmed_on_the_current_photo_is_vouched_for() -> None:
    dossier = dossier_with(from_photo("30002345678901", confirmed=True))
    assert confirmed_values(dossier, SAME) == {PRM: "30002345678901"}


def test_a_sure_reading_never_confirmed_is_not() -> None:
    assert confirmed_values(dossier_with(from_photo("30002345678901", confirmed=False)), SAME) == {}


def test_a_value_corrected_by_hand_from_the_photo_is() -> None:
    corrected = from_photo("30002345678902", confirmed=False, source=ReadingSource.MANUAL)
    assert confirmed_values(dossier_with(corrected), SAME) == {PRM: "30002345678902"}


def test_a_photo_changed_since_voids_the_confirmation() -> None:
    dossier = dossier_with(from_photo("30002345678901", confirmed=True))
    assert confirmed_values(dossier, {"photos/prm.jpg": OTHER_HASH}) == {}
    assert confirmed_values(dossier, {"photos/prm.jpg": None}) == {}  # gone


def test_another_photo_declared_since_voids_it() -> None:
    dossier = dossier_with(from_photo("30002345678901", confirmed=True), photo="photos/new.jpg")
    assert confirmed_values(dossier, SAME) == {}


def test_a_value_typed_without_a_photo_counts_only_while_none_is_declared() -> None:
    typed = Reading(value="30002345678901", source=ReadingSource.MANUAL)
    assert confirmed_values(dossier_with(typed, photo=""), {}) == {PRM: "30002345678901"}
    assert confirmed_values(dossier_with(typed), {}) == {}


def test_a_later_tic_reading_leaves_the_photo_confirmation() -> None:
    tic = Reading(value="30002345678901", source=ReadingSource.TIC)
    dossier = dossier_with(from_photo("30002345678901", confirmed=True), tic)
    assert confirmed_values(dossier, SAME) == {PRM: "30002345678901"}


def test_only_the_latest_photo_reading_counts() -> None:
    dossier = dossier_with(
        from_photo("30002345678901", confirmed=True), from_photo("30002345678909", confirmed=False)
    )
    assert confirmed_values(dossier, SAME) == {}
