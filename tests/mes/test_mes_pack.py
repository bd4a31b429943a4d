"""The Enedis-Connect pack: file names, 4 MB limit, GPS stripping, wrong screens, goldens."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from mes_helpers import NOW, PhotoMaker, attest, demo_dossier
from PIL import Image
from syrupy.assertion import SnapshotAssertion

from linkytool.errors import OutputError
from linkytool.mes import (
    Dossier,
    DossierPhotoError,
    PrerequisitesError,
    ReadingField,
    ReadingSource,
    build_pack,
    enedis_message,
    evaluate_rules,
    load_submitted_photos,
    record_reading,
)
from linkytool.mes.pack import ATTESTATION_NAME
from linkytool.mes.photoprep import (
    MIN_LONG_SIDE_PX,
    has_gps,
    location_blocks,
    prepare_photo,
    strip_gps,
)
from linkytool.mes.photos import PhotoFacts, sha256_file
from linkytool.mes.schema import PARIS
from linkytool.mes.signing import read_embedded_summary

GENERATED = datetime(2026, 11, 20, 15, 0, tzinfo=PARIS)
LIMIT = 4_000_000


@dataclass(frozen=True)
class FakeReading:
    screen: str


def reader_for(mapping: dict[str, str]):  # type: ignore[no-untyped-def]
    def read(path: Path) -> FakeReading:
        return FakeReading(mapping[path.name])

    return read


def retie(dossier: Dossier, role: ReadingField, photo: Path) -> None:
    """The photo was taken again and read again: its reading carries the new hash."""
    for reading in dossier.readings.history(role):
        if reading.source is ReadingSource.PHOTO:
            reading.sha256 = sha256_file(photo)


GOOD_READER = reader_for({"prm.jpg": "prm", "date.jpg": "date", "index.jpg": "injection_index"})


def make_pack(  # type: ignore[no-untyped-def]
    dossier: Dossier,
    base: Path,
    out: Path,
    reader=GOOD_READER,
    *,
    keep_gps=False,
    generated=GENERATED,
):
    result = attest(dossier, base_dir=base, keep_gps=keep_gps, now=GENERATED)
    return build_pack(
        dossier,
        result.photos,
        result.pdf,
        out,
        screen_reader=reader,
        generated_at=generated,
        signature=result.signature,
    )


def test_pack_directory(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    out = tmp_path / "envoi"
    result = make_pack(dossier, path.parent, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "SHA256SUMS",
        "attestation-auto-mes.pdf",
        "manifest.json",
        "message.txt",
        "photo-1-numero-prm.jpg",
        "photo-2-date-courante.jpg",
        "photo-3-index-injection.jpg",
    ]
    assert not result.zipped and not result.warnings
    # photos without GPS and under the limit are sent byte for byte
    assert (out / "photo-1-numero-prm.jpg").read_bytes() == (
        path.parent / "photos" / "prm.jpg"
    ).read_bytes()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        assert sha256_file(out / item["name"]) == item["sha256"]
        assert item["size_bytes"] <= LIMIT
    sums = (out / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == 6 and all(len(line.split("  ")[0]) == 64 for line in sums)


def test_pack_into_an_existing_pack_replaces_it_as_a_whole(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    dossier, path = complete
    out = tmp_path / "envoi"
    make_pack(dossier, path.parent, out)
    first = (out / "manifest.json").read_bytes()
    result = make_pack(dossier, path.parent, out, generated=GENERATED + timedelta(minutes=1))
    assert result.replaced and (out / "manifest.json").read_bytes() != first
    assert not list(tmp_path.glob(".envoi*"))


def test_a_folder_with_files_of_the_user_is_not_replaced(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    """The pack replaces an earlier pack as a whole, never a folder holding other files."""
    dossier, path = complete
    out = tmp_path / "envoi"
    make_pack(dossier, path.parent, out)
    (out / "notes.txt").write_text("à garder")
    with pytest.raises(OutputError, match=r"notes\.txt"):
        make_pack(dossier, path.parent, out)
    assert (out / "notes.txt").read_text() == "à garder"
    assert (out / "manifest.json").is_file()


def test_pack_zip(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    out = tmp_path / "envoi.zip"
    result = make_pack(dossier, path.parent, out)
    assert result.zipped
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert "message.txt" in archive.namelist()
        message = archive.read("message.txt").decode("utf-8")
        methods = {info.filename: info.compress_type for info in archive.infolist()}
    assert "PRM : 30002345678901" in message
    # photos stored as they are (deflating a JPEG gains ~2 % for 40 ms), text deflated
    assert methods["photo-1-numero-prm.jpg"] == zipfile.ZIP_STORED
    assert methods["message.txt"] == methods[ATTESTATION_NAME] == zipfile.ZIP_DEFLATED


def test_large_photo_is_reduced_under_4_mb_and_stays_legible(
    complete: tuple[Dossier, Path], make_photo: PhotoMaker, tmp_path: Path
) -> None:
    dossier, path = complete
    big = make_photo(
        "index.jpg", ReadingField.INJECTION_INDEX, size=(4000, 3000), quality=100, noise=True
    )
    retie(dossier, ReadingField.INJECTION_INDEX, big)
    assert big.stat().st_size > LIMIT
    out = tmp_path / "envoi"
    result = make_pack(dossier, path.parent, out)
    sent = out / "photo-3-index-injection.jpg"
    assert sent.stat().st_size <= LIMIT
    with Image.open(sent) as image:
        assert max(image.size) >= MIN_LONG_SIDE_PX
    packed = {item.name: item for item in result.files}
    assert packed["photo-3-index-injection.jpg"].changes
    # the attestation prints the hash of the photo as sent, so Enedis can check it
    summary = read_embedded_summary((out / "attestation-auto-mes.pdf").read_bytes())
    assert summary is not None
    hashes = {item["role"]: item["sha256"] for item in summary["photos"]}
    assert hashes["injection_index"] == sha256_file(sent)


def test_photo_that_cannot_shrink_legibly_is_refused() -> None:
    noisy = Image.effect_noise((2000, 1500), 120).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=100)
    with pytest.raises(DossierPhotoError, match="illisibles"):
        prepare_photo(buffer.getvalue(), max_bytes=200_000)


def test_gps_is_stripped_losslessly_by_default(make_photo: PhotoMaker) -> None:
    original = make_photo("gps.jpg", gps=True).read_bytes()
    assert has_gps(original)
    prepared = prepare_photo(original, max_bytes=LIMIT)
    assert not has_gps(prepared.data)
    assert "position GPS (EXIF)" in prepared.changes[0]
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.getexif().get_ifd(0x8769)[0x9003] == "2026:11:20 14:33:10"  # time kept
    with Image.open(io.BytesIO(original)) as a, Image.open(io.BytesIO(prepared.data)) as b:
        assert a.tobytes() == b.tobytes()  # same pixels: the JPEG data was not re-encoded
    kept = prepare_photo(original, max_bytes=LIMIT, keep_gps=True)
    assert kept.data == original and kept.unchanged


def test_strip_gps_on_a_photo_without_gps_keeps_the_image(make_photo: PhotoMaker) -> None:
    data = make_photo("plain.jpg").read_bytes()
    assert not has_gps(data)
    assert prepare_photo(data, max_bytes=LIMIT).data == data
    with Image.open(io.BytesIO(strip_gps(data))) as image:
        assert image.size == (1200, 900)


def test_wrong_screen_is_refused(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    swapped = reader_for(
        {"prm.jpg": "prm", "date.jpg": "injection_index", "index.jpg": "injection_index"}
    )
    with pytest.raises(
        DossierPhotoError, match=r"« Date courante ».*montre l'écran « Index Injection »"
    ):
        make_pack(dossier, path.parent, tmp_path / "envoi", reader=swapped)
    assert not (tmp_path / "envoi").exists()


def test_a_photo_of_no_linky_screen_is_said_in_french(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    """QA: « montre l'écran « pas un écran Linky » », « montre l'écran « not_linky » »."""
    from types import SimpleNamespace

    from linkytool.mes import service

    dossier, path = complete
    reader = reader_for({"prm.jpg": "prm", "date.jpg": "not_linky", "index.jpg": "other"})
    with pytest.raises(DossierPhotoError) as caught:
        make_pack(dossier, path.parent, tmp_path / "envoi", reader=reader)
    message = caught.value.message
    assert "« Date courante » (photos/date.jpg) ne montre pas un écran du Linky" in message
    assert "« Index Injection » (photos/index.jpg) montre un autre écran du Linky" in message
    reading = SimpleNamespace(screen="not_linky", screen_label="pas un écran Linky", value=None)
    with pytest.raises(DossierPhotoError) as caught:
        service.record_photo(path, "prm", path.parent / "photos" / "date.jpg", reading)
    assert caught.value.message.startswith(
        "La photo date.jpg ne montre pas un écran du Linky (attendu : « Numéro de PRM »)"
    )


def test_recorded_ocr_result_is_trusted_when_the_hash_matches(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    dossier, path = complete
    photo = path.parent / "photos" / "date.jpg"
    dossier = record_reading(
        dossier,
        "date",
        "2026-11-20T14:32",
        "photo",
        confidence=0.95,
        file="photos/date.jpg",
        sha256=sha256_file(photo),
        screen="prm",
        at=GENERATED,
    )
    # the prerequisite check already refuses to attest it...
    with pytest.raises(PrerequisitesError, match="montre l'écran « Numéro de PRM »"):
        make_pack(dossier, path.parent, tmp_path / "a", reader=GOOD_READER)
    # ...and the pack refuses it even with an attestation made beforehand
    photos = load_submitted_photos(dossier, path.parent)
    with pytest.raises(DossierPhotoError, match="relevé OCR du dossier"):
        build_pack(
            dossier,
            photos,
            b"%PDF",
            tmp_path / "a",
            screen_reader=GOOD_READER,
            generated_at=GENERATED,
        )
    dossier.readings.date[-1].screen = "date"
    result = make_pack(dossier, path.parent, tmp_path / "b", reader=None)
    by_role = {check.role: check for check in result.screens}
    assert by_role[ReadingField.DATE].how == "relevé OCR du dossier"
    assert by_role[ReadingField.PRM].ok is None  # no OCR: reported, not refused
    assert len(result.warnings) == 2


def test_missing_photo_is_refused(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    (path.parent / "photos" / "prm.jpg").unlink()
    with pytest.raises(Exception, match="introuvable"):
        make_pack(dossier, path.parent, tmp_path / "envoi")


def test_unreadable_photo_is_refused(complete: tuple[Dossier, Path]) -> None:
    dossier, path = complete
    (path.parent / "photos" / "prm.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    photos = load_submitted_photos(dossier, path.parent)
    assert photos[ReadingField.PRM].error is not None
    with pytest.raises(Exception, match="pas une image lisible"):
        attest(dossier, base_dir=path.parent, now=GENERATED)


def test_message_golden(snapshot: SnapshotAssertion) -> None:
    attachments = [
        ("attestation-auto-mes.pdf", "attestation d'auto-mise en service signée"),
        ("photo-1-numero-prm.jpg", "photo de l'écran « Numéro de PRM »"),
        ("photo-2-date-courante.jpg", "photo de l'écran « Date courante »"),
        ("photo-3-index-injection.jpg", "photo de l'écran « Index Injection »"),
    ]
    assert enedis_message(demo_dossier(), attachments) == snapshot


def test_check_json_golden(snapshot: SnapshotAssertion) -> None:
    from linkytool.cli.mes import _outcome_row

    dossier = demo_dossier()
    dossier.documents.cae_accepted = False
    test = dossier.decoupling_test
    assert test.breaker_opened_at is not None
    test.decoupled_at = test.breaker_opened_at + timedelta(seconds=6)
    test.delay_s = 6.2
    photos = {
        role: PhotoFacts(
            role,
            f"{role.value}.jpg",
            Path(f"{role.value}.jpg"),
            True,
            1000,
            "0" * 64,
            "JPEG",
            1600,
            1200,
            None,
        )
        for role in ReadingField
    }
    rows = [_outcome_row(o) for o in evaluate_rules(dossier, photos)]
    assert json.dumps(rows, ensure_ascii=False, indent=2) == snapshot


def test_check_change_rows_golden(snapshot: SnapshotAssertion) -> None:
    """The stable keys of what changed since the attestation in `mes check --format json`
    (kind attestation_change; id field, photo or attestation; field, attested, current)."""
    from linkytool.cli.mes import _change_row
    from linkytool.mes.attestation_check import AttestationChange, ChangeKind, unverifiable

    changes = [
        AttestationChange(
            ChangeKind.FIELD,
            "3. Installateur – Entreprise",
            "Soleil Pose SARL",
            "Autre Installateur SAS",
            "3. Installateur – Entreprise : « Soleil Pose SARL » sur l'attestation, « Autre "
            "Installateur SAS » dans le dossier",
        ),
        AttestationChange(
            ChangeKind.PHOTO,
            "date",
            "a" * 64,
            "b" * 64,
            "la photo « Date courante » (photos/date.jpg) n'est pas celle de l'attestation "
            "(remplacée ou modifiée depuis)",
        ),
        unverifiable("l'attestation enregistrée a.pdf est illisible (fichier introuvable)"),
    ]
    rows = [_change_row(change, Path("chantier.toml")) for change in changes]
    assert json.dumps(rows, ensure_ascii=False, indent=2) == snapshot


def test_message_uses_the_latest_reading() -> None:
    dossier = record_reading(demo_dossier(), "injection_index", "14", ReadingSource.MANUAL, at=NOW)
    assert "14 kWh" in enedis_message(dossier, [])


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _located_jpeg(make_photo: PhotoMaker) -> bytes:
    """A phone photo carrying its place in every metadata block issue 16 found."""
    from mes_helpers import gps_exif

    base = make_photo("located.jpg").read_bytes()
    exif = gps_exif()
    exif.get_ifd(0x8769)[0x927C] = b"Apple iOS\x00maker note with a place"
    second = Image.Exif()
    second.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)
    xmp = (
        b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        b"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
        b"xmlns:exif='http://ns.adobe.com/exif/1.0/' exif:GPSLatitude='47,13.09N'/>"
        b"</rdf:RDF></x:xmpmeta>"
    )
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0b\x1c\x02\x5a\x00\x06Nantes\x00"
    segments = (
        _segment(0xE1, exif.tobytes())
        + _segment(0xE1, second.tobytes())
        + _segment(0xE1, xmp)
        + _segment(0xED, iptc)
    )
    return base[:2] + segments + base[2:]


def test_location_is_stripped_from_every_metadata_block(make_photo: PhotoMaker) -> None:
    """Issue 16 item 3: XMP GPS, a second EXIF segment, IPTC and maker notes too."""
    original = _located_jpeg(make_photo)
    found = location_blocks(original)
    assert "bloc EXIF illisible" not in found
    assert found.count("position GPS (EXIF)") == 2  # both EXIF segments
    assert {"position GPS (EXIF)", "lieu dans les métadonnées XMP"} <= set(found)
    assert "bloc IPTC/Photoshop (lieu)" in found and "notes du fabricant (EXIF)" in found
    prepared = prepare_photo(original, max_bytes=LIMIT)
    assert location_blocks(prepared.data) == []
    for needle in (b"GPSLatitude", b"Nantes", b"maker note with a place"):
        assert needle not in prepared.data
    assert "retiré : " in prepared.changes[0] and "XMP" in prepared.changes[0]
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.getexif().get_ifd(0x8769)[0x9003] == "2026:11:20 14:33:10"  # time kept
    with Image.open(io.BytesIO(original)) as a, Image.open(io.BytesIO(prepared.data)) as b:
        assert a.tobytes() == b.tobytes()  # lossless: the image data is copied as is


def test_heic_photo_is_sent_as_jpeg_without_location(make_photo: PhotoMaker) -> None:
    """Issue 15 (pack part): an iPhone HEIC becomes a JPEG ≤ 4 MB, EXIF kept but place."""
    pillow_heif = pytest.importorskip("pillow_heif")
    from mes_helpers import gps_exif, screen_image

    exif = gps_exif()
    buffer = io.BytesIO()
    pillow_heif.register_heif_opener()
    # x265's "ultrafast" preset, as in tests/ocr/test_loading.py: the default preset
    # spent 6.7 s of wall (1.1 s of CPU) compressing the input better, which is not what
    # this test checks (issue 14)
    screen_image("INDEX INJECTION", "000012 kWh", (2400, 1800)).save(
        buffer,
        format="HEIF",
        exif=exif.tobytes(),
        quality=90,
        enc_params={"preset": "ultrafast"},
    )
    heic = buffer.getvalue()
    prepared = prepare_photo(heic, max_bytes=LIMIT)
    assert prepared.extension == ".jpg" and len(prepared.data) <= LIMIT
    assert prepared.data[:2] == b"\xff\xd8" and "convertie de HEIC en JPEG" in prepared.changes[0]
    assert location_blocks(prepared.data) == []
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.format == "JPEG" and image.size == (2400, 1800)
        kept = image.getexif()
        assert kept[0x0110] == "Phone" and kept.get_ifd(0x8769)[0x9003] == "2026:11:20 14:33:10"


def test_a_failed_pack_leaves_the_previous_pack_intact_and_nothing_partial(
    complete: tuple[Dossier, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16 item 7: a full disk while writing a new pack over an existing one."""
    import errno

    from linkytool.fileio import StagedDirectory

    dossier, path = complete
    out = tmp_path / "envoi"
    make_pack(dossier, path.parent, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_write = StagedDirectory.write
    calls = {"n": 0}

    def full_disk(self: StagedDirectory, name: str, data: bytes) -> Path:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, name, data)

    monkeypatch.setattr(StagedDirectory, "write", full_disk)
    with pytest.raises(OutputError) as caught:
        make_pack(dossier, path.parent, out, generated=GENERATED + timedelta(minutes=5))
    assert "disque plein" in caught.value.message and "intact" in caught.value.message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
