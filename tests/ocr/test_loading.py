"""Bad photos: a clear French error saying what to do, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from linkytool.ocr import PhotoError, loading, read_photo
from linkytool.ocr.loading import draft_request, open_photo

from .conftest import SAMPLES_PHOTOS


def _jpeg(size: tuple[int, int], colour: tuple[int, int, int] = (120, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="introuvable"):
        open_photo(tmp_path / "absent.jpg")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.jpg"
    path.write_bytes(b"")
    with pytest.raises(PhotoError, match="vide"):
        open_photo(path)


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("ceci n'est pas une photo", encoding="utf-8")
    with pytest.raises(PhotoError, match="pas une image lisible") as caught:
        open_photo(path)
    assert caught.value.hint


def test_truncated_jpeg_says_retake(tmp_path: Path) -> None:
    path = tmp_path / "coupee.jpg"
    data = _jpeg((800, 600))
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PhotoError, match="incomplète") as caught:
        open_photo(path)
    assert "Reprenez" in str(caught.value)
    assert "truncated" not in str(caught.value)  # Pillow's English stays out (QA)


def test_heic_photo_reads_like_its_jpeg_twin(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    source = Image.open(SAMPLES_PHOTOS / "demo-prm.jpg")
    exif = source.info["exif"]
    jpeg, heic = tmp_path / "IMG_0001.jpg", tmp_path / "IMG_0001.HEIC"
    source.save(jpeg, "JPEG", quality=92, exif=exif)
    # x265's "ultrafast" preset: the HEIC a phone makes, without the 9 s of CPU the
    # default preset spends on compressing 3 Mpx better (issue 14)
    pillow_heif.from_pillow(source).save(
        heic, quality=90, exif=exif, enc_params={"preset": "ultrafast"}
    )
    assert heic.read_bytes()[4:12] == b"ftypheic"
    twin, photo = read_photo(jpeg), read_photo(heic)
    assert (photo.screen, photo.value, photo.confident) == (twin.screen, twin.value, True)
    assert photo.value == "30002345678901"
    assert photo.exif_time == twin.exif_time is not None


def test_committed_heic_sample_is_a_real_heic() -> None:
    path = SAMPLES_PHOTOS / "t23-normal-index.heic"
    assert path.read_bytes()[4:12] == b"ftypheic"
    assert open_photo(path).image.size == (1600, 1200)


def test_truncated_heic_says_retake(tmp_path: Path) -> None:
    data = (SAMPLES_PHOTOS / "t23-normal-index.heic").read_bytes()
    path = tmp_path / "coupee.heic"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(PhotoError, match=r"incomplète|pas une image") as caught:
        open_photo(path)
    assert caught.value.hint


def test_png_too_large_to_decode_whole_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "grande.png"
    Image.new("RGB", (2000, 1500)).save(path)
    monkeypatch.setattr(loading, "MAX_FULL_DECODE_PIXELS", 1_000_000)
    with pytest.raises(PhotoError, match="trop grande"):
        open_photo(path)
    jpeg = tmp_path / "grande.jpg"
    jpeg.write_bytes(_jpeg((2000, 1500)))
    assert open_photo(jpeg).original_size == (2000, 1500)  # JPEG: decoded at reduced scale


def test_large_png_is_shrunk_early_and_keeps_its_orientation(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "grande.png"
    Image.new("P", (6000, 3000)).save(path, exif=exif.tobytes())
    photo = open_photo(path)
    # upright (EXIF 6 turns it a quarter), halved before the copy, then fitted to the working size
    assert photo.image.size == (loading.WORKING_SIZE // 2, loading.WORKING_SIZE)
    assert photo.original_size == (6000, 3000)


def test_png_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ecran.png"
    Image.new("RGB", (320, 240), (10, 20, 30)).save(path)
    photo = open_photo(path)
    assert photo.image.size == (320, 240)
    assert photo.exif_time is None


def test_48_mp_jpeg_is_decoded_small(tmp_path: Path) -> None:
    path = tmp_path / "48mp.jpg"
    path.write_bytes(_jpeg((8000, 6000)))
    photo = open_photo(path)
    assert photo.original_size == (8000, 6000)
    assert max(photo.image.size) <= loading.WORKING_SIZE
    assert max(photo.image.size) >= 1000


def test_pixel_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "enorme.jpg"
    path.write_bytes(_jpeg((2000, 1500)))
    monkeypatch.setattr(loading, "MAX_PIXELS", 1_000_000)
    with pytest.raises(PhotoError, match="trop grande") as caught:
        open_photo(path)
    assert "12 Mpx" in str(caught.value)


def test_draft_request_keeps_the_long_side() -> None:
    assert draft_request((4032, 3024)) == (2000, 1500)
    assert draft_request((1600, 1200)) == (1600, 1200)
    width, height = draft_request((8000, 6000))
    assert max(width, height) == 2000


def test_exif_time_and_orientation(tmp_path: Path) -> None:
    image = Image.new("RGB", (400, 200), (200, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: upright is portrait
    exif.get_ifd(0x8769)[36867] = "2026:11:20 14:33:10"
    path = tmp_path / "exif.jpg"
    image.save(path, "JPEG", exif=exif.tobytes())
    photo = open_photo(path)
    assert photo.image.size == (200, 400)
    assert photo.exif_time is not None
    assert photo.exif_time.isoformat() == "2026-11-20T14:33:10"
