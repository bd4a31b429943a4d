"""The intake's one adapter to the dossier: every photo goes through
``linkytool.mes.service.record_photo`` (the route of ``mes import-photos`` and of the UI),
and what the service refuses becomes a French problem for the phone, nothing recorded."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from linkytool.intake import SLOTS, record_photo
from linkytool.mes import service

SLOT = {slot.name: slot for slot in SLOTS}


def _reading(screen: str, value: str | None, **extra: Any) -> SimpleNamespace:
    """What ``linkytool.ocr.read_photo`` returns, for the fields the service reads."""
    fields: dict[str, Any] = {
        "screen": screen,
        "value": value,
        "confidence": 0.97,
        "confident": True,
        "references": "N° 041864123456",
        "exif_time": None,
        "warnings": (),
        "screen_label": screen,
    }
    fields.update(extra)
    return SimpleNamespace(**fields)


def _photo(dossier: Path, samples_dir: Path, name: str = "photo-numero-prm.jpg") -> Path:
    target = dossier.parent / name
    shutil.copyfile(samples_dir / "photos" / "demo-prm.jpg", target)
    return target


def test_a_photo_is_recorded_through_the_service(
    dossier: Path, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []
    real = service.record_photo

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "record_photo", spy)
    photo = _photo(dossier, samples_dir)
    outcome = record_photo(
        dossier, SLOT["prm"], photo, reader=lambda path: _reading("prm", "30002345678901")
    )
    assert len(calls) == 1 and calls[0][1].value == "prm" and calls[0][2] == photo
    assert outcome.recorded and outcome.confident and outcome.value == "30002345678901"
    data = tomllib.loads(dossier.read_text(encoding="utf-8"))
    assert data["photos"]["prm"] == "photo-numero-prm.jpg"
    last = data["readings"]["prm"][-1]
    # what only the service records: the engraved meter number, tied to the photo's hash
    assert last["meter_id"] == "041864123456"
    assert last["sha256"] and last["screen"] == "prm"


def test_a_photo_of_another_screen_is_a_problem_for_the_phone_and_not_recorded(
    dossier: Path, samples_dir: Path
) -> None:
    before = dossier.read_text(encoding="utf-8")
    photo = _photo(dossier, samples_dir)
    outcome = record_photo(
        dossier,
        SLOT["prm"],
        photo,
        reader=lambda path: _reading("date", "2026-11-20T14:32", screen_label="Date courante"),
    )
    assert not outcome.recorded
    assert outcome.screen == "date"
    assert "Date courante" in (outcome.problem or "") and "PRM" in (outcome.problem or "")
    assert dossier.read_text(encoding="utf-8") == before


def test_a_photo_without_a_value_says_what_the_reader_saw(dossier: Path, samples_dir: Path) -> None:
    photo = _photo(dossier, samples_dir, "photo-index-injection.jpg")
    outcome = record_photo(
        dossier,
        SLOT["index"],
        photo,
        reader=lambda path: _reading("injection_index", None, warnings=("reflet sur l'écran",)),
    )
    assert not outcome.recorded and outcome.problem == "reflet sur l'écran"


def test_a_reader_that_refuses_the_photo_gives_its_french_message(
    dossier: Path, samples_dir: Path
) -> None:
    from linkytool.errors import InputFileError

    def refuse(path: Path) -> Any:
        raise InputFileError("Image tronquée : photo-numero-prm.jpg.")

    outcome = record_photo(dossier, SLOT["prm"], _photo(dossier, samples_dir), reader=refuse)
    assert not outcome.recorded and outcome.problem == "Image tronquée : photo-numero-prm.jpg."


def test_a_value_to_confirm_tells_the_phone_what_to_change(
    dossier: Path, samples_dir: Path
) -> None:
    """The phone is in the installer's hand: a value recorded to confirm carries the
    reader's first specific remark (here: the screen too small in the photo), not only
    the generic « vérifiez la valeur »; a confident one carries none."""
    from linkytool.intake.server import slot_answer
    from linkytool.ocr.candidate import TO_CONFIRM_REMARK
    from linkytool.ocr.framing import small_screen_remark

    closer = small_screen_remark(2.5)
    assert closer is not None
    photo = _photo(dossier, samples_dir)
    unsure = _reading(
        "prm",
        "30002345678901",
        confident=False,
        confidence=0.4,
        warnings=(TO_CONFIRM_REMARK, closer, "Chiffres d'un dessin inhabituel."),
    )
    outcome = record_photo(dossier, SLOT["prm"], photo, reader=lambda path: unsure)
    assert outcome.recorded and not outcome.confident and outcome.advice == closer
    answer = slot_answer(SLOT["prm"], outcome, done=False)
    assert answer["status"] == "a_confirmer" and answer["message"] == closer

    generic = _reading("prm", "30002345678901", confident=False, warnings=(TO_CONFIRM_REMARK,))
    outcome = record_photo(dossier, SLOT["prm"], photo, reader=lambda path: generic)
    message = slot_answer(SLOT["prm"], outcome, done=False)["message"]
    assert outcome.advice is None and message == "vérifiez la valeur ou reprenez la photo"

    sure = _reading("prm", "30002345678901", warnings=(closer,))
    outcome = record_photo(dossier, SLOT["prm"], photo, reader=lambda path: sure)
    assert outcome.confident and outcome.advice is None
    assert slot_answer(SLOT["prm"], outcome, done=False)["message"] == ""
