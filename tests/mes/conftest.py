"""Fixtures of the auto-MES tests: a complete dossier on disk, photos, keys, a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from forge import make_p12
from mes_helpers import (
    SCREENS,
    PhotoMaker,
    build_complete,
    copy_complete,
    gps_exif,
    screen_image,
    screen_jpeg,
)
from PIL import Image

from linkytool.mes import Dossier, ReadingField


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
        path = tmp_path / "photos" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not noise:
            path.write_bytes(screen_jpeg(role, size, gps, quality))
            return path
        # incompressible texture: a large file even at a sane size (random: never kept)
        title, value = SCREENS[role]
        image = screen_image(title, value, size)
        image = Image.blend(image, Image.effect_noise(size, 120).convert("RGB"), 0.45)
        kwargs = {"exif": gps_exif().tobytes()} if gps else {}
        image.save(path, format="JPEG", quality=quality, **kwargs)
        return path

    return make


@pytest.fixture(scope="session")
def complete_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dossier, Path]:
    """:func:`build_complete` once per test process: its folder is copied for each test
    (it was built anew for each, 48 tests: the dossier's save alone, a TOML parse of the
    template, a render and a parse to check it loads back, is 60 ms; issue 14)."""
    folder = tmp_path_factory.mktemp("complete")

    def make(name: str, role: ReadingField = ReadingField.PRM) -> Path:
        path = folder / "photos" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(screen_jpeg(role, (1200, 900), False, 90))
        return path

    return build_complete(folder, make)


@pytest.fixture
def complete(tmp_path: Path, complete_template: tuple[Dossier, Path]) -> tuple[Dossier, Path]:
    """A dossier satisfying every prerequisite, saved with its photos and signatures."""
    return copy_complete(complete_template, tmp_path)


@pytest.fixture(scope="session")
def p12_key() -> tuple[bytes, bytes]:
    """A throwaway self-signed PKCS#12 key: (p12 bytes, password)."""
    return make_p12("Louis Bernard"), b"secret"
