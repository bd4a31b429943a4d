"""A bug of the photo reader (an exception that is no :class:`LinkytoolError`) costs the
photo it was reading, never the others' readings nor the command: it is reported in
French as that photo's failure (``linkytool.ocr.errors.read_guarded``; stop 49, a lattice
fit raised ``ValueError`` on two hard photos before it was mended)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from linkytool.mes import service
from linkytool.mes.model import Dossier, ReadingField
from linkytool.ocr.result import PhotoReading, ScreenKind
from linkytool.ocr.service import read_photos

VALUES = {"prm": "30002345678901", "date": "2026-11-20T14:32", "injection_index": "12"}
SCREENS = {"prm": "prm", "date": "date", "index": "injection_index"}


def _buggy_on_date(path: Path) -> object:
    screen = SCREENS[path.stem.split("-")[0]]
    if screen == "date":
        raise ValueError("max() arg is an empty sequence")
    return SimpleNamespace(screen=screen, value=VALUES[screen], confident=True)


def test_the_dossier_keeps_the_photos_read_before_and_after_a_reader_bug(
    complete: tuple[Dossier, Path],
) -> None:
    _, path = complete
    result = service.import_photos(path, reader=_buggy_on_date)
    assert [item.role for item in result.recorded] == [
        ReadingField.PRM,
        ReadingField.INJECTION_INDEX,
    ]
    (problem,) = result.problems
    assert problem.role is ReadingField.DATE
    assert "erreur interne : ValueError" in problem.message


def test_a_batch_of_photos_keeps_the_others_readings(tmp_path: Path) -> None:
    photos = [tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "c.jpg"]

    def read(photo: Path) -> PhotoReading:
        if photo.name == "b.jpg":
            raise IndexError("list index out of range")
        return PhotoReading(photo, ScreenKind.PRM, VALUES["prm"], 1.0, True)

    batch = read_photos(photos, reader=read)
    assert [reading.path for reading in batch.readings] == [photos[0], photos[2]]
    (failure,) = batch.failures
    assert failure.path == photos[1]
    assert "erreur interne : IndexError" in failure.message
    assert failure.hint is not None and "à la main" in failure.hint
