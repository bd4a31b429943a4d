"""The README's site visit, run exactly as written on the bundled samples.

Two steps cannot be typed by a test: ``tic read`` needs a meter (the bundled capture of
the demo meter is used as ``site.tic``), and "fill it in" is the installer editing the
dossier (the demo's own answers are written into the new dossier, readings excluded).
Every other line is the README's, run through the real command line.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mes_helpers import DEMO

from linkytool.cli import cli
from linkytool.mes import ReadingField, load_dossier, save_dossier
from linkytool.mes.model import Readings, SignatureKind

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def readme_visit() -> list[list[str]]:
    """The commands of the README's "typical site visit" block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("A typical site visit without the UI", 1)[1]
    body = re.search(r"```sh\n(.*?)```", block, re.S)
    assert body is not None
    commands = []
    for line in body.group(1).replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == "linkytool", line
            commands.append(words[1:])
    return commands


def fill_in(dossier: Path) -> None:
    """What the installer types into the new dossier: the demo's answers, photo paths."""
    demo = load_dossier(DEMO)
    filled = load_dossier(dossier)
    for section in (
        "case",
        "producer",
        "installer",
        "installation",
        "meter",
        "documents",
        "agreement",
        "commissioning",
    ):
        setattr(filled, section, getattr(demo, section))
    names = {"prm": "demo-prm.jpg", "date": "demo-date.jpg", "injection_index": "demo-index.jpg"}
    for role in ReadingField:
        setattr(filled.photos, role.value, f"photos/{names[role.value]}")
    filled.readings = Readings()
    save_dossier(filled, dossier)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="OCR engine not installed")
def test_the_readme_site_visit_works_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLES / "photos", tmp_path / "photos", ignore=shutil.ignore_patterns("t*"))
    shutil.copy(SAMPLES / "dossier" / "signature-producteur.png", tmp_path / "prod.png")
    shutil.copy(SAMPLES / "dossier" / "signature-installateur.png", tmp_path / "inst.png")
    monkeypatch.chdir(tmp_path)
    commands = readme_visit()
    assert [words[:2] for words in commands] == [
        ["tic", "read"],
        ["mes", "new"],
        ["mes", "import-tic"],
        ["mes", "import-photos"],
        ["mes", "test"],
        ["mes", "check"],
        ["mes", "attest"],
        ["mes", "pack"],
        ["mes", "verify"],
    ]
    runner = CliRunner()
    for words in commands:
        if words[:2] == ["tic", "read"]:
            # no meter in a test: the bundled capture of the demo meter is the recording
            shutil.copy(SAMPLES / "tic" / "demo-standard-consumer.bin", words[-1])
            continue
        result = runner.invoke(cli, words)
        assert result.exit_code == 0, (words, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        if words[:2] == ["mes", "new"]:
            fill_in(Path(words[2]))
        if words[:2] == ["mes", "import-photos"]:  # the date read as the user reads it
            assert "20/11/2026 14:32" in result.stdout and "T14:32" not in result.stdout
        if words[:2] == ["mes", "attest"]:  # sizes in Mo, as the pack lists them
            assert " Mo, signée" in result.stderr and "Kio" not in result.stderr
    dossier = load_dossier("dossier.toml")
    assert dossier.attestation.signature is SignatureKind.IMAGES
    assert dossier.signatures.producer_image == "prod.png"
    assert dossier.decoupling_test.message == "Utility Loss"
    prm = dossier.readings.history(ReadingField.PRM)
    assert {reading.source for reading in prm} == {"tic", "photo"}
    assert all(reading.sha256 for reading in prm)
    with zipfile.ZipFile("envoi-enedis.zip") as archive:
        assert archive.read("attestation-auto-mes.pdf") == Path("attestation.pdf").read_bytes()
        assert len(archive.namelist()) == 7
    assert not [name for name in os.listdir(".") if name.startswith(".")]
