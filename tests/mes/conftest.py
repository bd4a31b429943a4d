"""Fixtures of the auto-MES tests: a complete dossier on disk, photos, keys, a fixed clock."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from forge import make_p12
from mes_helpers import DEMO_DIR, SCREENS, PhotoMaker, demo_dossier, gps_exif, screen_image
from PIL import Image

from linkytool.mes import Dossier, ReadingField, ReadingSource, save_dossier
from linkytool.mes.photos import sha256_file


@pytest.fixture
def make_photo(tmp_path: Path) -> PhotoMaker:
    """Write a screen photo under tmp_path/photos and return its path."""

    def make(
        name: str,
        role: ReadingField = ReadingField.PRM,
        *,
        size: tuple[int, int] = (1200, 900),
        gps: bool = False,
        quality: int = 90,
        noise: bool = False,
    ) -> Path:
        title, value = SCREENS[role]
        image = screen_image(title, value, size)
        if noise:  # incompressible texture: a large file even at a sane size
            image = Image.blend(image, Image.effect_noise(size, 120).convert("RGB"), 0.45)
        path = tmp_path / "photos" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        kwargs = {"exif": gps_exif().tobytes()} if gps else {}
        image.save(path, format="JPEG", quality=quality, **kwargs)
        return path

    return make


@pytest.fixture
def complete(tmp_path: Path, make_photo: PhotoMaker) -> tuple[Dossier, Path]:
    """A dossier satisfying every prerequisite, saved with its photos and signatures."""
    dossier = demo_dossier()
    for role, name in (
        (ReadingField.PRM, "prm.jpg"),
        (ReadingField.DATE, "date.jpg"),
        (ReadingField.INJECTION_INDEX, "index.jpg"),
    ):
        photo = make_photo(name, role)
        setattr(dossier.photos, role.value, f"photos/{name}")
        for reading in dossier.readings.history(role):
            if reading.source is ReadingSource.PHOTO:  # recorded OCR, re-tied to this photo
                reading.sha256 = sha256_file(photo)
                reading.screen = ""
                reading.file = f"photos/{name}"
    for name in ("signature-producteur.png", "signature-installateur.png"):
        shutil.copy(DEMO_DIR / name, tmp_path / name)
    path = tmp_path / "dossier.toml"
    save_dossier(dossier, path)
    return dossier, path


@pytest.fixture(scope="session")
def p12_key() -> tuple[bytes, bytes]:
    """A throwaway self-signed PKCS#12 key: (p12 bytes, password)."""
    return make_p12("Louis Bernard"), b"secret"
