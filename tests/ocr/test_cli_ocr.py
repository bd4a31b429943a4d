"""`linkytool ocr`: output formats, crops, TIC cross-checks and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.ocr import PhotoReading
from linkytool.ocr import service as ocr_service

from .conftest import SAMPLES_PHOTOS

DEMO = [str(SAMPLES_PHOTOS / f"demo-{name}.jpg") for name in ("prm", "date", "index")]
DEMO_TIC = Path(__file__).resolve().parents[2] / "samples" / "tic" / "demo-standard-consumer.bin"


def test_demo_photos_json_and_exit_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["ocr", *DEMO, "--format", "json", "--tic", str(DEMO_TIC), "--crops", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    values = {p["screen"]: p["value"] for p in document["photos"]}
    assert values == {
        "prm": "30002345678901",
        "date": "2026-11-20T14:32",
        "injection_index": "12",
    }
    statuses = {c["check"]: c["status"] for c in document["cross_checks"]}
    assert statuses["prm_tic"] == "ok"
    assert statuses["date_exif"] == "ok"
    assert statuses["date_tic"] == "ok"
    assert statuses["index_tic"] == "unavailable"  # consumer mode: no EAIT
    crops = sorted(p.name for p in tmp_path.iterdir())
    assert crops == ["demo-date-ecran.png", "demo-index-ecran.png", "demo-prm-ecran.png"]


@pytest.fixture
def shared_readings(
    monkeypatch: pytest.MonkeyPatch, session_readings: Callable[[Path], Any]
) -> None:
    """The command reads each photo through the session's readings (``SessionReadings``):
    the tests below check what it prints and returns for a reading; the demo photos'
    test above reads them for real, crops included (issue 14)."""
    monkeypatch.setattr(ocr_service, "read_photo", session_readings)


@pytest.mark.usefixtures("shared_readings")
def test_table_output_is_french() -> None:
    result = CliRunner().invoke(cli, ["ocr", *DEMO])
    assert result.exit_code == 0, result.output
    assert "numéro PRM" in result.stdout
    assert "30002345678901" in result.stdout
    assert "sûr" in result.stdout
    # the table is for people: JJ/MM/AAAA and kWh (the JSON keeps ISO and digits)
    assert "20/11/2026 14:32" in result.stdout and "2026-11-20" not in result.stdout
    assert " 12 kWh " in result.stdout


def test_value_to_confirm_exits_one(
    monkeypatch: pytest.MonkeyPatch, session_readings: Callable[[Path], PhotoReading]
) -> None:
    def unsure(path: str | Path) -> PhotoReading:
        reading = session_readings(Path(path))
        return replace(reading, confident=False, confidence=0.4, candidates=("30002345678907",))

    monkeypatch.setattr(ocr_service, "read_photo", unsure)
    result = CliRunner().invoke(cli, ["ocr", DEMO[0]])
    assert result.exit_code == 1
    assert "à confirmer" in result.stdout
    assert "30002345678907" in result.stdout


@pytest.mark.usefixtures("shared_readings")
def test_tic_disagreement_exits_one(tmp_path: Path) -> None:
    other_meter = Path(__file__).resolve().parents[1] / "data" / "real" / "tic"
    capture = other_meter / "goteleinfo-standard-mono.bin"
    result = CliRunner().invoke(cli, ["ocr", DEMO[0], "--tic", str(capture)])
    assert result.exit_code == 1
    assert "DÉSACCORD" in result.stdout
    assert "même compteur" in result.stdout


@pytest.mark.usefixtures("shared_readings")
def test_unreadable_photo_exits_three_without_traceback(tmp_path: Path) -> None:
    truncated = SAMPLES_PHOTOS / "t22-truncated.jpg"
    heic = SAMPLES_PHOTOS / "t23-normal-index.heic"
    result = CliRunner().invoke(
        cli, ["ocr", str(truncated), str(heic), DEMO[0], "--format", "json"]
    )
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "incomplète" in result.stderr
    values = {p["screen"]: p["value"] for p in json.loads(result.stdout)["photos"]}
    # the readable photos are still read, the iPhone's HEIC among them
    assert values == {"prm": "30002345678901", "injection_index": "940"}


def test_missing_tesseract_exits_five(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from linkytool.ocr import engine

    monkeypatch.setattr(engine, "TESSERACT", str(tmp_path / "no-tesseract"))
    engine.ensure_engine.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["ocr", DEMO[0]])
    finally:
        engine.ensure_engine.cache_clear()
    assert result.exit_code == 5
    assert "sudo apt-get install tesseract-ocr tesseract-ocr-fra" in result.stderr


@pytest.mark.usefixtures("shared_readings")
def test_photo_of_another_screen_exits_one() -> None:
    result = CliRunner().invoke(cli, ["ocr", str(SAMPLES_PHOTOS / "t10-normal-other.jpg")])
    assert result.exit_code == 1
    assert "autre écran Linky" in result.stdout
    assert "faites défiler" in result.stdout
    # no value: no confidence printed beside it ("autre écran Linky, 100 %" read as sure)
    row = next(line for line in result.stdout.splitlines() if "t10-normal-other" in line)
    assert "%" not in row.split("faites défiler")[0]
    assert "—" in row
