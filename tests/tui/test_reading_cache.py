"""Readings kept between UI sessions: a photo already read shows at once, without the
workers; another content, another reader or a damaged entry reads the photo again."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from linkytool.ocr.result import PhotoReading, ScreenKind
from linkytool.tui import reading_cache
from linkytool.tui.photo_jobs import PhotoJob, PhotoJobs, _stamp
from linkytool.tui.reading_cache import ReadingCache

ROOT = Path(__file__).resolve().parents[2]
PHOTOS = ROOT / "linkytool" / "samples" / "photos"


def reading_of(path: Path, value: str = "30002345678901") -> PhotoReading:
    return PhotoReading(
        path=path,
        screen=ScreenKind.PRM,
        value=value,
        confidence=1.0,
        confident=True,
        crop=b"png",
        lines=("NUMERO PRM", value),
    )


def photo_and_cache(tmp_path: Path, folder: Path | None = None) -> tuple[Path, ReadingCache, str]:
    """A sample PRM photo copied to ``tmp_path``, a cache of reader "reader-1" (in
    ``folder``, default ``tmp_path / "cache"``) and the photo's key there."""
    photo = tmp_path / "prm.jpg"
    shutil.copy(PHOTOS / "t01-easy-prm.jpg", photo)
    cache = ReadingCache(folder or tmp_path / "cache", identity="reader-1")
    return photo, cache, cache.key(photo)


def test_a_kept_reading_comes_back_with_the_photo_s_own_path(tmp_path: Path) -> None:
    photo, cache, key = photo_and_cache(tmp_path)
    assert cache.get(key, photo) is None
    assert cache.put(key, reading_of(Path("/elsewhere/prm.jpg")), "picture")
    moved = tmp_path / "renamed.jpg"
    photo.rename(moved)
    found = cache.get(cache.key(moved), moved)  # same content, another name: same entry
    assert found is not None
    reading, picture = found
    assert reading == reading_of(moved)
    assert picture == "picture"


def test_another_content_or_another_reader_is_another_entry(tmp_path: Path) -> None:
    photo, cache, key = photo_and_cache(tmp_path)
    cache.put(key, reading_of(photo), None)
    assert ReadingCache(tmp_path / "cache", identity="reader-2").key(photo) != key
    with photo.open("ab") as handle:  # one byte more: another photo
        handle.write(b"\0")
    assert cache.key(photo) != key
    assert cache.get(cache.key(photo), photo) is None


def test_the_reader_identity_follows_tesseract_and_the_reader_s_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reading_cache, "_tesseract_stamp", lambda folder=None: "tesseract 5.3.0")
    monkeypatch.setattr(reading_cache, "_code_digest", lambda: "code-a")
    first = reading_cache.reader_identity()
    monkeypatch.setattr(reading_cache, "_tesseract_stamp", lambda folder=None: "tesseract 5.4.1")
    second = reading_cache.reader_identity()
    monkeypatch.setattr(reading_cache, "_code_digest", lambda: "code-b")
    third = reading_cache.reader_identity()
    assert len({first, second, third}) == 3


def test_the_code_digest_changes_with_any_reader_source(tmp_path: Path) -> None:
    package = tmp_path / "linkytool"
    sources = [package / "ocr" / "reader.py", package / "ocr" / "sub" / "deep.py"]
    sources += [package / "tui" / "lcd_dots.py", package / "errors.py", package / "fileio.py"]
    for source in sources:
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text("x = 1\n")
    (package / "acc.py").write_text("unrelated = 1\n")
    before = reading_cache._code_digest(package)
    (package / "acc.py").write_text("unrelated = 2\n")
    assert reading_cache._code_digest(package) == before
    for source in sources:
        source.write_text("x = 2\n")
        assert reading_cache._code_digest(package) != before, source
        source.write_text("x = 1\n")
    assert reading_cache._code_digest(package) == before


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path) -> None:
    photo, cache, key = photo_and_cache(tmp_path)
    cache.put(key, reading_of(photo), None)
    entry = tmp_path / "cache" / f"{key}.pickle"
    entry.write_bytes(b"\x80\x05not a pickle")
    assert cache.get(key, photo) is None
    assert not entry.exists()


def test_an_unwritable_cache_folder_only_keeps_nothing(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")
    photo, cache, key = photo_and_cache(tmp_path, blocked)
    assert cache.put(key, reading_of(photo), None) is False
    assert cache.get(key, photo) is None


def test_the_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    cache = ReadingCache(tmp_path / "cache", identity="reader-1", max_entries=3)
    photos = []
    for index in range(5):
        photo = tmp_path / f"p{index}.jpg"
        photo.write_bytes(f"photo {index}".encode())
        photos.append(photo)
    keys = [cache.key(photo) for photo in photos]
    for index, (photo, key) in enumerate(zip(photos[:3], keys[:3], strict=True)):
        cache.put(key, reading_of(photo), None)
        os.utime(tmp_path / "cache" / f"{key}.pickle", ns=(index, index))
    assert cache.get(keys[0], photos[0]) is not None  # used again: now the most recent
    cache.put(keys[3], reading_of(photos[3]), None)
    cache.put(keys[4], reading_of(photos[4]), None)
    kept = {entry.stem for entry in (tmp_path / "cache").glob("*.pickle")}
    assert kept == {keys[0], keys[3], keys[4]}


def test_a_photo_changed_while_it_was_read_is_not_kept(tmp_path: Path) -> None:
    photo = tmp_path / "prm.jpg"
    shutil.copy(PHOTOS / "t01-easy-prm.jpg", photo)
    cache = ReadingCache(tmp_path / "cache", identity="reader-1")
    jobs = PhotoJobs(None, lambda *args: None, cache=cache)
    try:
        job = PhotoJob("prm", photo, _stamp(photo))
        key = cache.key(photo)
        shutil.copy(PHOTOS / "t02-easy-date.jpg", photo)  # replaced during the reading
        jobs._keep(job, key, reading_of(photo), None)
        assert not list((tmp_path / "cache").glob("*.pickle"))
        job = PhotoJob("prm", photo, _stamp(photo))
        jobs._keep(job, cache.key(photo), reading_of(photo), None)
        assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    finally:
        jobs.close()


class Outcome:
    """What one PhotoJobs handed back for one photo."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.reading: Any = None
        self.error: BaseException | None = None

    def __call__(self, slot: str, path: Path, reading: Any, error: BaseException | None) -> None:
        self.reading, self.error = reading, error
        self.done.set()


def read_with_cache(photo: Path, folder: Path, *, wait_kept: bool) -> tuple[Any, bool]:
    """Read ``photo`` with real workers and a cache in ``folder``; return the reading and
    whether the workers were started."""
    outcome = Outcome()
    jobs = PhotoJobs(None, outcome, cache=ReadingCache(folder))
    try:
        assert jobs.submit("prm", photo)
        assert outcome.done.wait(120), "no reading in 120 s"
        assert outcome.error is None, outcome.error
        deadline = time.monotonic() + 30
        while wait_kept and not list(folder.glob("*.pickle")) and time.monotonic() < deadline:
            time.sleep(0.02)
        return outcome.reading, jobs._pool is not None
    finally:
        jobs.close()


def test_a_photo_read_once_shows_from_the_cache_without_workers(tmp_path: Path) -> None:
    from linkytool.tui import lcd_dots

    photo = tmp_path / "prm.jpg"
    shutil.copy(PHOTOS / "t01-easy-prm.jpg", photo)
    folder = tmp_path / "cache"
    first, started = read_with_cache(photo, folder, wait_kept=True)
    assert started
    assert len(list(folder.glob("*.pickle"))) == 1
    again, started = read_with_cache(photo, folder, wait_kept=False)
    assert not started, "a cached photo must not start the workers"
    assert again == first
    assert lcd_dots.picture_of(again) is not None  # the preview comes back too
    shutil.copy(PHOTOS / "t02-easy-date.jpg", photo)  # another photo under the same name
    other, started = read_with_cache(photo, folder, wait_kept=True)
    assert started
    assert other.screen is ScreenKind.DATE
    assert other.value != first.value


def test_tesseract_is_probed_once_then_while_it_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract not installed")
    probes: list[str] = []
    real_probe = reading_cache._probe_tesseract

    def counted(program: str) -> tuple[str, Path | None]:
        probes.append(program)
        return real_probe(program)

    monkeypatch.setattr(reading_cache, "_probe_tesseract", counted)
    first = reading_cache._tesseract_stamp(tmp_path)
    assert "tesseract" in first and "fra.traineddata" in first
    assert reading_cache._tesseract_stamp(tmp_path) == first
    assert len(probes) == 1  # the second answer came from the kept probe
    kept = tmp_path / reading_cache.PROBE_FILE
    record = kept.read_text(encoding="utf-8")
    kept.write_text(record.replace('"program": "', '"program": "/old'), encoding="utf-8")
    assert reading_cache._tesseract_stamp(tmp_path) == first
    assert len(probes) == 2  # another tesseract program: probed again
    kept.write_text("{not json", encoding="utf-8")
    assert reading_cache._tesseract_stamp(tmp_path) == first
    assert len(probes) == 3  # a damaged record: probed again, never an error
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "elsewhere"))
    reading_cache._tesseract_stamp(tmp_path)
    assert len(probes) == 4  # another data folder asked for: probed again
