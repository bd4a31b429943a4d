"""`linkytool ocr` on hostile inputs: a clear French error, exit 3, bounded time and memory.

Each case runs the real command in a subprocess under an address-space limit
(:data:`ocr_helpers.MEMORY_LIMIT`) and a time limit, and asserts the exit code, the
message and that no traceback is printed (issue 16).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkytool.cli import cli
from linkytool.ocr import PhotoError, read_photo

from .ocr_helpers import assert_clean, huge_png, run_ocr


def test_a_657_kb_png_of_169_mpx_is_refused_from_its_header(tmp_path: Path) -> None:
    photo = huge_png(tmp_path / "bombe.png", 13_000, 13_000)
    assert photo.stat().st_size < 1_000_000
    run = run_ocr(str(photo))
    assert_clean(run, 3, "13000×13000")
    assert run.seconds < 30


def test_a_png_over_pillows_bomb_limit_never_escapes_as_a_traceback(tmp_path: Path) -> None:
    photo = huge_png(tmp_path / "bombe.png", 20_000, 10_000)
    assert_clean(run_ocr(str(photo)), 3, "dépasse la taille d'image acceptée")
    with pytest.raises(PhotoError, match="dépasse"):
        read_photo(photo)


def test_dev_zero_as_a_photo_is_not_read_forever() -> None:
    run = run_ocr("/dev/zero")
    assert_clean(run, 3, "n'est pas un fichier ordinaire")


def test_a_fifo_as_a_photo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "tube.jpg"
    os.mkfifo(fifo)
    run = run_ocr(str(fifo))
    assert_clean(run, 3, "n'est pas un fichier ordinaire")


def test_a_directory_is_bad_input_not_a_usage_error(tmp_path: Path) -> None:
    assert_clean(run_ocr(str(tmp_path)), 3, "est un dossier")


def test_a_nul_byte_in_the_path_is_a_clear_error() -> None:
    result = CliRunner().invoke(cli, ["ocr", "photo\x00.jpg"])
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "caractère nul" in result.stderr


def test_one_bad_photo_does_not_stop_the_others(tmp_path: Path) -> None:
    good = Path(__file__).resolve().parents[2] / "samples" / "photos" / "demo-prm.jpg"
    run = run_ocr(str(tmp_path), str(good))
    assert_clean(run, 3, "est un dossier")
    assert "30002345678901" in run.stdout


def test_a_nul_byte_in_the_tic_capture_path_is_a_clear_error() -> None:
    good = Path(__file__).resolve().parents[2] / "samples" / "photos" / "demo-prm.jpg"
    result = CliRunner().invoke(cli, ["ocr", str(good), "--tic", "capture\x00.bin"])
    assert result.exit_code == 3, result.output
    assert "caractère nul" in result.stderr
