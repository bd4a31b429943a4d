"""The tesseract adapter: started early, fed through a pipe, stopped when not needed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from linkytool.ocr import OcrEngineMissing, engine

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="OCR engine not installed"
)


def _fake_tesseract(tmp_path: Path, languages: str) -> str:
    """A 'tesseract' that lists ``languages`` and fails to load fra, as a broken one does."""
    script = tmp_path / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --list-langs ]; then\n'
        f"  printf 'List of available languages in \"/x/\" (1):\\n{languages}\\n'; exit 0\n"
        "fi\n"
        "cat >/dev/null\n"
        "echo \"Failed loading language 'fra'\" >&2; exit 1\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def test_missing_french_data_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(engine, "TESSERACT", _fake_tesseract(tmp_path, "eng"))
    engine.ensure_engine.cache_clear()
    try:
        with pytest.raises(OcrEngineMissing, match="fra") as caught:
            engine.ensure_engine()
    finally:
        engine.ensure_engine.cache_clear()
    assert "tesseract-ocr-fra" in str(caught.value)


def test_french_data_failing_to_load_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(engine, "TESSERACT", _fake_tesseract(tmp_path, "fra"))
    with engine.BlockReader() as reader, pytest.raises(OcrEngineMissing, match="fra"):
        reader.read(Image.new("L", (40, 20), 255))


def test_missing_binary_is_engine_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(engine, "TESSERACT", str(tmp_path / "absent"))
    with pytest.raises(OcrEngineMissing, match="tesseract"):
        engine.BlockReader()


@needs_tesseract
def test_reader_never_given_an_image_is_stopped() -> None:
    reader = engine.BlockReader()
    process = reader._process
    reader.close()
    assert process.returncode is not None


@needs_tesseract
def test_block_text_through_the_pipe() -> None:
    image = Image.new("L", (420, 90), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, 25), "NUMERO PRM", fill=0, font_size=36)
    assert "PRM" in engine.read_block(image)
