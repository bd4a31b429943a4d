"""The reading cache hashes a photo with linkytool's one file hash
(``linkytool.fileio.sha256_file``): a FIFO or a folder named like a photo is refused at
once instead of blocking the cache thread for ever, and the key is the photo's SHA-256
under the reader's identity, the same SHA-256 the dossier records for that photo."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from linkytool.fileio import sha256_file
from linkytool.tui.reading_cache import ReadingCache

ROOT = Path(__file__).resolve().parents[2]
PHOTO = ROOT / "linkytool" / "samples" / "photos" / "demo-prm.jpg"


def test_the_key_is_the_photo_s_sha256_under_the_reader(tmp_path: Path) -> None:
    cache = ReadingCache(tmp_path / "cache", identity="reader-1")
    photo_hash = hashlib.sha256(PHOTO.read_bytes()).hexdigest()
    assert sha256_file(PHOTO) == photo_hash
    assert cache.key(PHOTO) == hashlib.sha256(f"reader-1\n{photo_hash}".encode()).hexdigest()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFO on this platform")
def test_a_fifo_named_like_a_photo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "prm.jpg"
    os.mkfifo(fifo)  # no writer: reading it would wait for ever
    cache = ReadingCache(tmp_path / "cache", identity="reader-1")
    outcome: list[BaseException] = []

    def key() -> None:
        try:
            cache.key(fifo)
        except OSError as error:
            outcome.append(error)

    worker = threading.Thread(target=key, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "hashing a FIFO blocked"
    assert len(outcome) == 1


def test_a_folder_named_like_a_photo_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "prm.jpg"
    folder.mkdir()
    with pytest.raises(OSError):
        ReadingCache(tmp_path / "cache", identity="reader-1").key(folder)
