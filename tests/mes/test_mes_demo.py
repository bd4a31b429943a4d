"""The bundled demo end to end: check, attest, pack (real OCR only where it is needed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mes_helpers import DEMO, DEMO_DIR

from linkytool.cli import cli
from linkytool.mes import ReadingField, load_dossier
from linkytool.mes.pack import default_screen_reader
from linkytool.mes.signing import read_embedded_summary

ROOT = DEMO_DIR.parent.parent
PHOTOS = ROOT / "samples" / "photos"
needs_photos = pytest.mark.skipif(
    not (PHOTOS / "demo-prm.jpg").is_file(), reason="demo photos not generated yet"
)


def demo_copy(tmp_path: Path) -> Path:
    """The demo dossier, its photos and captures copied (same relative layout)."""
    for part in ("dossier", "photos", "tic"):
        shutil.copytree(ROOT / "samples" / part, tmp_path / "samples" / part)
    return tmp_path / "samples" / "dossier" / DEMO.name


@needs_photos
def test_demo_check_attest_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linkytool.mes import service

    loaded: list[int] = []  # the demo's recorded readings name every photo's screen:
    monkeypatch.setattr(service, "default_screen_reader", lambda: loaded.append(1))
    demo = demo_copy(tmp_path)
    runner = CliRunner()
    check = runner.invoke(cli, ["mes", "check", str(demo)])
    assert check.exit_code == 0, check.output
    pdf = tmp_path / "attestation.pdf"
    attest = runner.invoke(cli, ["mes", "attest", str(demo), "-o", str(pdf)])
    assert attest.exit_code == 0, attest.output
    assert DEMO.read_bytes() != demo.read_bytes()  # the attestation is recorded in the copy
    out = tmp_path / "envoi.zip"
    pack = runner.invoke(cli, ["mes", "pack", str(demo), "-o", str(out)])
    assert pack.exit_code == 0, pack.output
    with zipfile.ZipFile(out) as archive:
        message = archive.read("message.txt").decode("utf-8")
    assert "PRM : 30002345678901" in message
    assert "20/11/2026 à 14:32" in message
    assert "12 kWh" in message
    assert loaded == []  # the pack did not load the photo reader for nothing


@needs_photos
def test_mes_attest_does_not_load_the_signing_library(tmp_path: Path) -> None:
    """An attestation signed with images needs no pyHanko (0.12 s of CPU to import): its
    JSON summary is attached with the pages (issue 14: an incremental update by pyHanko)."""
    demo = demo_copy(tmp_path)
    code = (
        "import sys\n"
        "from linkytool.cli import main\n"
        "try:\n"
        f"    main(['mes', 'attest', {str(demo)!r}, '-o', {str(tmp_path / 'a.pdf')!r}])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'pyhanko', 'numpy'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    summary = read_embedded_summary((tmp_path / "a.pdf").read_bytes())
    assert summary is not None and summary["prm"] == "30002345678901"


@needs_photos
def test_the_pack_asks_the_reader_only_for_photos_without_a_recorded_reading(
    tmp_path: Path,
) -> None:
    """mes pack loads the photo reader (numpy and the OCR: 0.14 s of CPU) only when a
    photo's screen is not established by an OCR reading recorded for the same file
    (issue 14: it was loaded for every pack)."""
    from linkytool.mes.pack import screens_to_read
    from linkytool.mes.submission import load_submitted_photos

    demo = demo_copy(tmp_path)
    dossier = load_dossier(demo)
    photos = load_submitted_photos(dossier, demo.parent)
    assert screens_to_read(dossier, photos) == ()
    for reading in dossier.readings.date:
        reading.sha256 = "0" * 64  # recorded for another file
    assert screens_to_read(dossier, photos) == (ReadingField.DATE,)


@needs_photos
def test_import_photos_with_ocr(tmp_path: Path) -> None:
    if default_screen_reader() is None or shutil.which("tesseract") is None:
        pytest.skip("OCR not available")
    dossier_dir = tmp_path / "dossier"
    dossier_dir.mkdir()
    shutil.copytree(PHOTOS, tmp_path / "photos", ignore=shutil.ignore_patterns("t*"))
    path = dossier_dir / "demo.toml"
    shutil.copy(DEMO, path)
    before = len(load_dossier(path).readings.history(ReadingField.PRM))
    result = CliRunner().invoke(cli, ["mes", "import-photos", str(path)])
    assert result.exit_code == 0, result.output
    dossier = load_dossier(path)
    prm = dossier.readings.history(ReadingField.PRM)
    assert len(prm) == before + 1
    assert prm[-1].value == "30002345678901" and prm[-1].screen == "prm"
    index = dossier.readings.current(ReadingField.INJECTION_INDEX)
    assert index is not None and index.value == "12"
    # the table is for people: screen titles, JJ/MM/AAAA, kWh (the dossier keeps ISO)
    assert "Index Injection  12 kWh" in result.stdout, result.stdout
    assert "20/11/2026 14:32" in result.stdout and "injection_index" not in result.stdout
