"""The tesseract adapter: loaded early, in this process (libtesseract) or as a command fed
through a pipe; the two give the same text; an engine is kept for the next photo."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PIL import Image, ImageDraw

from linkytool.ocr import OcrEngineMissing, engine, tessapi

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="OCR engine not installed"
)
needs_library = pytest.mark.skipif(tessapi.load() is None, reason="libtesseract not loadable")


@pytest.fixture
def command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tesseract run as a command, as where the library does not load."""
    monkeypatch.setenv(engine.BACKEND_ENV, "command")


def _kept(function: Callable[..., T], results: list[T]) -> Callable[..., T]:
    """``function``, keeping each of its results in ``results``."""

    def call(*args: object) -> T:
        result = function(*args)
        results.append(result)
        return result

    return call


@pytest.fixture
def library(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tessapi.Engine]]:
    """The library way, from an empty pool; yields the engines created meanwhile."""
    monkeypatch.delenv(engine.BACKEND_ENV, raising=False)
    pool = tessapi.EnginePool()
    monkeypatch.setattr(engine, "_POOL", pool)
    created: list[tessapi.Engine] = []
    monkeypatch.setattr(tessapi, "Engine", _kept(tessapi.Engine, created))
    yield created
    pool.close()


def _sheet_text_image() -> Image.Image:
    image = Image.new("L", (420, 90), 255)
    ImageDraw.Draw(image).text((20, 25), "NUMERO PRM", fill=0, font_size=36)
    return image


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


@pytest.mark.usefixtures("command")
def test_french_data_failing_to_load_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(engine, "TESSERACT", _fake_tesseract(tmp_path, "fra"))
    with engine.BlockReader() as reader, pytest.raises(OcrEngineMissing, match="fra"):
        reader.read(Image.new("L", (40, 20), 255))


@pytest.mark.usefixtures("command")
def test_missing_binary_is_engine_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(engine, "TESSERACT", str(tmp_path / "absent"))
    with pytest.raises(OcrEngineMissing, match="tesseract"):
        engine.BlockReader()


@needs_tesseract
@pytest.mark.usefixtures("command")
def test_reader_never_given_an_image_is_stopped() -> None:
    reader = engine.BlockReader()
    way = reader._way
    assert isinstance(way, engine._CommandRead)
    process = way._process
    reader.close()
    assert process.returncode is not None


@needs_tesseract
@pytest.mark.usefixtures("command")
def test_block_text_through_the_pipe() -> None:
    assert "PRM" in engine.read_block(_sheet_text_image())


@needs_library
def test_block_text_in_process(library: list[tessapi.Engine]) -> None:
    assert "PRM" in engine.read_block(_sheet_text_image())
    assert len(library) == 1


def _demo_sheets() -> list[Image.Image]:
    """The sheet (title line over the engraved references) of each demo photo."""
    from linkytool.ocr import reader

    sheets: list[Image.Image] = []
    keep = _kept(reader.tesseract_sheet, sheets)
    for name in ("prm", "date", "index"):
        photo = ROOT / "linkytool" / "samples" / "photos" / f"demo-{name}.jpg"
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(reader, "tesseract_sheet", keep)
            patch.setenv(engine.BACKEND_ENV, "command")
            reader.read_photo(photo)
    return sheets


@needs_tesseract
@needs_library
def test_library_and_command_read_the_same_text(
    library: list[tessapi.Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same engine, same parameters: the same text, word for word (the references too)."""
    sheets = _demo_sheets()
    assert len(sheets) == 3
    in_process = [engine.read_block(sheet) for sheet in sheets]
    monkeypatch.setenv(engine.BACKEND_ENV, "command")
    by_command = [engine.read_block(sheet) for sheet in sheets]
    assert in_process == by_command
    assert "ADS 041864123456" in in_process[0]
    assert len(library) == 1  # three sheets, one model loaded


@needs_library
def test_an_engine_is_kept_and_readers_at_once_get_their_own(
    library: list[tessapi.Engine],
) -> None:
    image = _sheet_text_image()
    with engine.BlockReader() as first, engine.BlockReader() as second:
        texts = [first.read(image), second.read(image)]
    assert len(library) == 2 and all("PRM" in text for text in texts)
    for _ in range(3):
        with engine.BlockReader() as again:
            assert "PRM" in again.read(image)
    assert len(library) == 2  # taken from the pool, not loaded again


@needs_library
def test_readers_in_threads_read_each_their_image(library: list[tessapi.Engine]) -> None:
    """ctypes releases the GIL: engines run at once in threads, each on its own image."""
    words = ["NUMERO PRM", "DATE COURANTE", "INDEX INJECTION"]
    images = []
    for word in words:
        image = Image.new("L", (520, 90), 255)
        ImageDraw.Draw(image).text((20, 25), word, fill=0, font_size=36)
        images.append(image)
    results: dict[int, str] = {}

    def read(index: int) -> None:
        for _ in range(3):
            results[index] = engine.read_block(images[index])

    threads = [threading.Thread(target=read, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i].split()[-1] for i in range(3)] == ["PRM", "COURANTE", "INJECTION"]


@needs_library
def test_a_reader_closed_while_its_engine_loads_leaves_it_for_the_next(
    library: list[tessapi.Engine],
) -> None:
    """A photo with no screen closes its reader at once: no wait for the model, which
    still ends in the pool."""
    engine.BlockReader().close()
    for thread in threading.enumerate():
        if thread.name == "tesseract-load":
            thread.join(timeout=10)
    assert len(library) == 1
    with engine.BlockReader() as reader:
        assert "PRM" in reader.read(_sheet_text_image())
    assert len(library) == 1


@needs_library
def test_missing_language_in_process_says_how_to_install_and_prints_nothing(
    library: list[tessapi.Engine],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(engine, "LANGUAGE", "zzz")
    with engine.BlockReader() as reader, pytest.raises(OcrEngineMissing, match="fra") as caught:
        reader.read(_sheet_text_image())
    assert "tesseract-ocr-fra" in str(caught.value)
    engine.ensure_engine.cache_clear()
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # the UI owns the terminal: tesseract's own words go nowhere


def test_the_command_is_used_when_the_library_does_not_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(engine.BACKEND_ENV, raising=False)
    monkeypatch.setattr(tessapi, "load", lambda: None)
    assert engine._library() is None
    binding = tessapi.Binding(lib=None)  # type: ignore[arg-type]
    monkeypatch.setattr(tessapi, "load", lambda: binding)
    assert engine._library() is binding
    monkeypatch.setenv(engine.BACKEND_ENV, "command")
    assert engine._library() is None


def test_a_library_failing_to_load_leaves_no_reader_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broken libtesseract (anything but a missing language) reads nothing, at once:
    the reading goes on without tesseract's votes instead of hanging."""
    monkeypatch.delenv(engine.BACKEND_ENV, raising=False)
    monkeypatch.setattr(engine, "_POOL", tessapi.EnginePool())
    binding = tessapi.Binding(lib=None)  # type: ignore[arg-type]
    monkeypatch.setattr(tessapi, "load", lambda: binding)

    def broken(*args: object) -> tessapi.Engine:
        raise OSError("symbol not found")

    monkeypatch.setattr(tessapi, "Engine", broken)
    done: list[str] = []
    reader = threading.Thread(target=lambda: done.append(engine.read_block(_sheet_text_image())))
    monkeypatch.setattr(engine, "ensure_engine", lambda: ())
    reader.start()
    reader.join(timeout=10)
    assert done == [""]
