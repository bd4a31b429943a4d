"""A capture given as evidence (``mes import-tic``, ``ocr --tic``): a file with valid groups
is a capture, whatever its frames' other groups; a file with none is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linkytool.mes import ReadingField, load_dossier
from linkytool.mes.model import ReadingSource
from linkytool.mes.service import import_tic
from linkytool.tic.capture_summary import summarize_capture
from linkytool.tic.errors import CaptureError

PRODUCER = "logisdom-standard-producer-mono.txt"


def test_a_damaged_group_in_every_frame_costs_that_group_only(samples_real: Path) -> None:
    """The only real producer-mode capture has a bad PJOURF+1 in each frame: its 174 valid
    groups (PRM, DATE, EAIT among them) were refused as « pas une capture TIC »."""
    reading = summarize_capture(samples_real / "tic" / PRODUCER)
    assert reading.frames_valid == 0 and reading.groups_ok == 174
    assert reading.prm == "22246454325444"
    assert reading.eait_wh == 32782
    assert reading.meter_time is not None
    assert reading.meter_time.strftime("%d/%m/%Y %H:%M") == "16/07/2018 10:34"


def test_a_file_without_any_valid_group_is_no_capture(samples_dir: Path) -> None:
    with pytest.raises(CaptureError, match="n'est pas une capture TIC : aucun groupe valide"):
        summarize_capture(samples_dir / "photos" / "demo-prm.jpg")


def test_import_tic_records_the_producer_capture(
    samples_real: Path, samples_dir: Path, tmp_path: Path
) -> None:
    """mes import-tic of that capture records its PRM, date and injection index (32 782 Wh
    -> 32 kWh), each from a group whose checksum is right."""
    text = (samples_dir / "dossier" / "demo.toml").read_text(encoding="utf-8")
    text = text.replace("30002345678901", "22246454325444")
    text = text[: text.index("[[readings.prm]]")]  # no reading yet
    dossier = tmp_path / "p.toml"
    dossier.write_text(text, encoding="utf-8")
    for png in (samples_dir / "dossier").glob("*.png"):
        shutil.copy(png, tmp_path)
    capture = tmp_path / PRODUCER
    shutil.copy(samples_real / "tic" / PRODUCER, capture)
    result = import_tic(dossier, capture)
    assert set(result.recorded) == {
        ReadingField.PRM,
        ReadingField.DATE,
        ReadingField.INJECTION_INDEX,
    }
    readings = load_dossier(dossier).readings
    index = readings.latest_from(ReadingField.INJECTION_INDEX, ReadingSource.TIC)
    assert index is not None and index.value == "32"
    prm = readings.latest_from(ReadingField.PRM, ReadingSource.TIC)
    assert prm is not None and prm.value == "22246454325444"
