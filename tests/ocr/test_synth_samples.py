"""The committed photos in samples/photos: demo contract, ground truth, size budget."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from ocrsynth import load_truth
from ocrsynth.samples import SAMPLES, write_samples


@pytest.fixture(scope="module")
def photos(samples_dir: Path) -> Path:
    return samples_dir / "photos"


def _exif_datetime(path: Path) -> str | None:
    with Image.open(path) as image:
        value = image.getexif().get_ifd(0x8769).get(0x9003)
    return None if value is None else str(value)


def test_demo_photos_follow_the_contract(photos: Path) -> None:
    truths = {t.file: t for t in load_truth(photos / "truth.json")}
    expected = {
        "demo-prm.jpg": ("prm", "30002345678901", ["NUMERO PRM", "30002345678901"]),
        "demo-date.jpg": ("date", "2026-11-20T14:32", ["DATE COURANTE", "20/11/2026 14:32"]),
        "demo-index.jpg": ("injection_index", "12", ["INDEX INJECTION", "000012 kWh"]),
    }
    for name, (kind, value, lines) in expected.items():
        path = photos / name
        assert path.stat().st_size < 1_000_000
        truth = truths[name]
        assert (truth.kind, truth.value) == (kind, value)
        assert [line.strip() for line in truth.lines] == lines
        assert truth.ads == "041864123456"
        assert truth.references[0] == "ADS 041864123456"
        with Image.open(path) as image:
            assert image.format == "JPEG"
    assert _exif_datetime(photos / "demo-date.jpg") == "2026:11:20 14:33:10"


def test_truth_lists_every_committed_photo(photos: Path) -> None:
    document = json.loads((photos / "truth.json").read_text(encoding="utf-8"))
    files = {entry["file"] for entry in document["photos"]}
    on_disk = {p.name for p in photos.iterdir() if p.name != "truth.json"}
    assert files == on_disk == {s.file for s in SAMPLES}
    total = sum(p.stat().st_size for p in photos.iterdir())
    assert total < 8_000_000


def test_committed_photos_match_their_truth(photos: Path) -> None:
    kinds = set()
    for truth in load_truth(photos / "truth.json"):
        path = photos / truth.file
        kinds.add(truth.kind)
        if truth.expect_error == "truncated":
            with Image.open(path) as image, pytest.raises(OSError):
                image.load()
            continue
        if truth.format == "HEIC":
            # An ISO-BMFF file of brand "heic" (Pillow needs pillow-heif to open it).
            assert path.read_bytes()[4:12] == b"ftypheic"
            continue
        with Image.open(path) as image:
            assert image.format == truth.format
            assert image.size == (truth.width, truth.height)
            assert image.getexif().get(0x0112) == truth.exif_orientation
            upright = ImageOps.exif_transpose(image)
            assert upright is not None
        assert _exif_datetime(path) == truth.exif_datetime
    assert kinds == {"prm", "date", "injection_index", "other", "not_linky"}


def test_samples_regenerate_identically(tmp_path: Path, photos: Path) -> None:
    """Regenerating gives the same truth and (up to libjpeg differences) the same pixels."""
    # The HEIC photo's truth is compared, not its bytes (x265's): not encoded.
    regenerated = write_samples(tmp_path, skip_formats=frozenset({"HEIC"}))
    committed = load_truth(photos / "truth.json")
    assert [t.to_dict() for t in regenerated] == [t.to_dict() for t in committed]
    for name in ("demo-prm.jpg", "t11-hard-prm.jpg"):
        with Image.open(tmp_path / name) as new, Image.open(photos / name) as old:
            difference = np.abs(
                np.asarray(new, dtype=np.int16) - np.asarray(old, dtype=np.int16)
            ).mean()
        assert difference < 1.0
