"""Helpers shared by the auto-MES tests (demo dossier, synthetic screen pictures)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import shutil
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from linkytool.mes import Dossier, ReadingField, ReadingSource, parse_dossier_text, save_dossier
from linkytool.mes.photos import sha256_file
from linkytool.mes.schema import PARIS
from linkytool.mes.service import (
    AttestationRequest,
    BuiltAttestation,
    SigningKey,
    build_attestation,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "samples" / "dossier"
DEMO = DEMO_DIR / "demo.toml"
#: The tests' "now": a few days after the demo commissioning (2026-11-20 14:32).
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)

SCREENS = {
    ReadingField.PRM: ("NUMERO PRM", "30002345678901"),
    ReadingField.DATE: ("DATE COURANTE", "20/11/2026 14:32"),
    ReadingField.INJECTION_INDEX: ("INDEX INJECTION", "000012 kWh"),
}

#: ``make_photo(name, ...) -> Path``: a screen photo written in the test's folder.
PhotoMaker = Callable[..., Path]


def screen_image(title: str, value: str, size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """A plain picture of a two-line LCD (enough for everything but OCR)."""
    image = Image.new("RGB", size, (178, 190, 168))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(20, size[0] // 18))
    draw.text((size[0] // 10, size[1] // 3), title, fill=(25, 25, 25), font=font)
    draw.text((size[0] // 10, size[1] // 2), value, fill=(25, 25, 25), font=font)
    return image


def gps_exif() -> Image.Exif:
    """EXIF with a capture time and a GPS position (Nantes)."""
    exif = Image.Exif()
    exif[0x0110] = "Phone"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 14:33:10"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (47.0, 13.0, 5.5)
    gps[3] = "W"
    gps[4] = (1.0, 33.0, 12.0)
    return exif


@functools.cache
def screen_jpeg(role: ReadingField, size: tuple[int, int], gps: bool, quality: int) -> bytes:
    """The JPEG bytes of ``role``'s screen picture, drawn and encoded once per test process
    (the same arguments give the same bytes: Pillow draws and encodes deterministically;
    issue 14)."""
    title, value = SCREENS[role]
    buffer = io.BytesIO()
    kwargs = {"exif": gps_exif().tobytes()} if gps else {}
    screen_image(title, value, size).save(buffer, format="JPEG", quality=quality, **kwargs)
    return buffer.getvalue()


#: The files of :func:`complete`'s folder, relative to it.
COMPLETE_FILES = (
    "photos/prm.jpg",
    "photos/date.jpg",
    "photos/index.jpg",
    "signature-producteur.png",
    "signature-installateur.png",
    "dossier.toml",
)


def build_complete(folder: Path, make_photo: PhotoMaker) -> tuple[Dossier, Path]:
    """A dossier satisfying every prerequisite, saved in ``folder`` with its photos and
    signatures."""
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
        shutil.copy(DEMO_DIR / name, folder / name)
    path = folder / "dossier.toml"
    save_dossier(dossier, path)
    return dossier, path


def copy_complete(template: tuple[Dossier, Path], folder: Path) -> tuple[Dossier, Path]:
    """:func:`complete_template`'s files copied into ``folder`` and its dossier, a copy the
    test may change: what :func:`build_complete` would write there, byte for byte."""
    dossier, path = template
    for name in COMPLETE_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path.parent / name, folder / name)
    return copy.deepcopy(dossier), folder / "dossier.toml"


def demo_dossier() -> Dossier:
    """The bundled demo dossier, parsed with the tests' clock."""
    return parse_dossier_text(DEMO.read_text(encoding="utf-8"), now=NOW)


def png_bytes(image: Image.Image) -> bytes:
    """PNG bytes of ``image``."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def attest(
    dossier: Dossier,
    *,
    base_dir: Path,
    draft: bool = False,
    keep_gps: bool = False,
    now: dt.datetime | None = None,
    pkcs12: bytes | None = None,
    pkcs12_password: bytes | None = None,
    by_hand: bool = False,
) -> BuiltAttestation:
    """Lay out the attestation of an in-memory dossier (no file written)."""
    key = SigningKey(pkcs12, pkcs12_password) if pkcs12 is not None else None
    return build_attestation(
        dossier,
        base_dir,
        AttestationRequest(draft=draft, keep_gps=keep_gps, now=now, key=key, by_hand=by_hand),
    )


def trust_screens(path: Path) -> Dossier:
    """Record an OCR result for each photo of the dossier at ``path`` (with the photo's
    hash and the engraved references), so that check, attest and pack need no tesseract."""
    from linkytool.mes import load_dossier, record_reading, save_dossier
    from linkytool.mes.photos import sha256_file

    values = {"prm": "30002345678901", "date": "2026-11-20T14:32", "injection_index": "12"}
    dossier = load_dossier(path, now=NOW)
    for role in ReadingField:
        declared = getattr(dossier.photos, role.value)
        dossier = record_reading(
            dossier,
            role,
            values[role.value],
            "photo",
            at=dt.datetime(2026, 11, 20, 14, 33, tzinfo=PARIS),
            confidence=0.97,
            file=declared,
            sha256=sha256_file(path.parent / declared),
            screen=role.value,
            references="ADS 041864123456",
        )
    save_dossier(dossier, path)
    return dossier
