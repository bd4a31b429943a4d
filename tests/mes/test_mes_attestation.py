"""The attestation PDF: content read back with pypdf, rendering by poppler, draft stamp."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from mes_helpers import NOW, attest
from PIL import Image
from pypdf import PdfReader

from linkytool.mes import Dossier, PrerequisitesError
from linkytool.mes.attestation import DRAFT_STAMP, TITLE
from linkytool.mes.photos import sha256_file
from linkytool.mes.schema import PARIS
from linkytool.mes.signing import read_embedded_summary

GENERATED = datetime(2026, 11, 20, 15, 0, tzinfo=PARIS)


def pdf_text(pdf: bytes) -> tuple[list[str], PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages], reader


def flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


@pytest.fixture(scope="module")
def attested(complete_template: tuple[Dossier, Path]) -> bytes:
    """The attestation of the complete dossier (``complete``'s, the same files byte for
    byte), laid out once for the checks that only read it (it was laid out by each of
    four tests: 0.2 s of CPU each; issue 14)."""
    dossier, path = complete_template
    return attest(copy.deepcopy(dossier), base_dir=path.parent, now=GENERATED).pdf


def test_attestation_carries_every_section(complete: tuple[Dossier, Path], attested: bytes) -> None:
    _, path = complete
    pages, reader = pdf_text(attested)
    text = flat(pages)
    assert reader.metadata is not None and reader.metadata.title == TITLE
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    for expected in [
        "Attestation d'auto-mise en service – installation de production ≤ 36 kVA",
        "ce n'est pas un formulaire Enedis",
        "DC26-004512",
        "30002345678901",
        "12 rue des Lilas, 44000 Nantes",
        "Injection du surplus",
        "accord d'Enedis pour l'auto-MES reçu le 12/11/2026",
        "Camille Martin",
        "camille.martin@example.org",
        "Soleil Pose SARL",
        "73282932000074",
        "QualiPV 36",
        "6 kVA",
        "6,48 kWc",
        "Solplanet",
        "ASW6000-S",
        "SP6K2611200457",
        "V610-03043-06",
        "DIN VDE 0126-1-1 2013-08",
        "VDE0126/VFR2019 IS (50Hz)",
        "51,5 Hz",
        "A26-1234567, bleue, visée le 28/10/2026",
        "non requis (obligation d'achat)",
        "20/11/2026 à 14:32",
        "12 kWh (photo + OCR, confiance 100",
        "TIC (bornes du compteur)",
        "Utility Loss",
        "0,8 s",
        "réussi (seuil de 5 s réglé dans linkytool",
        "12/12 remplis",
        "Fait à Nantes, le 20/11/2026",
        "Signature du producteur",
        "Signature de l'installateur",
        "VFR 2019 (découplage à 51,5 Hz)",
        "Date courante (retenu) 20/11/2026 14:32",  # the readings' table, in French
    ]:
        assert expected in text, expected
    assert re.findall(r"\d{4}-\d{2}-\d{2}", text) == [], text  # no ISO date in the PDF
    for role in ("prm", "date", "index"):
        digest = sha256_file(path.parent / "photos" / f"{role}.jpg")
        assert digest[:32] in text and digest[32:] in text
    assert DRAFT_STAMP not in text
    assert f"Page 1/{len(pages)}" in text and f"Page {len(pages)}/{len(pages)}" in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 5  # three thumbnails, two signatures


def test_embedded_summary_is_machine_readable(
    complete: tuple[Dossier, Path], attested: bytes
) -> None:
    _, path = complete
    pdf = attested
    summary = read_embedded_summary(pdf)
    assert summary is not None
    assert summary["prm"] == "30002345678901"
    assert summary["commissioning_at"] == "2026-11-20T14:32+01:00"
    assert summary["injection_index_kwh"] == 12
    assert summary["draft"] is False
    hashes = {item["role"]: item["sha256"] for item in summary["photos"]}
    assert hashes["prm"] == sha256_file(path.parent / "photos" / "prm.jpg")
    _, reader = pdf_text(pdf)
    assert "linkytool-attestation.json" in reader.attachments


def test_refuses_while_a_prerequisite_fails(complete: tuple[Dossier, Path]) -> None:
    dossier, path = complete
    dossier.documents.cae_accepted = False
    dossier.photos.date = ""
    with pytest.raises(PrerequisitesError) as caught:
        attest(dossier, base_dir=path.parent, now=GENERATED)
    message = str(caught.value)
    assert "CAE" in message and "photos" in message.lower()
    assert "--" not in message  # the core names no command-line option


def test_draft_stamps_every_page(complete: tuple[Dossier, Path]) -> None:
    dossier, path = complete
    dossier.documents.cae_accepted = False
    result = attest(dossier, base_dir=path.parent, draft=True, now=GENERATED)
    pages, _ = pdf_text(result.pdf)
    assert len(pages) >= 2
    for page in pages:
        assert DRAFT_STAMP in " ".join(page.split())
    assert "non rempli" in flat(pages)
    summary = read_embedded_summary(result.pdf)
    assert summary is not None and summary["draft"] is True


def test_layout_is_deterministic(complete: tuple[Dossier, Path], attested: bytes) -> None:
    """Same dossier, same bytes: the module's attestation and one laid out again here, in
    the test's own folder (the embedded JSON is written with the pages: pyHanko's
    incremental update added the clock's ModDate and a random ID; issue 14)."""
    dossier, path = complete
    first = attested
    second = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    assert pdf_text(first)[0] == pdf_text(second)[0]
    assert first == second
    assert first.count(b"%%EOF") == 1  # one revision: nothing appended after the layout


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_renders_with_poppler(attested: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "attestation.pdf"
    pdf.write_bytes(attested)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    with Image.open(pages[0]) as image:
        assert image.size[0] > 300
        # not blank: the title and tables put dark pixels on the page
        grey = image.convert("L")
        dark = sum(1 for value in grey.tobytes() if value < 128)
        assert dark > 1000


def test_now_is_the_test_clock() -> None:
    assert NOW > GENERATED


HEADINGS = re.compile(r"^(1[01]|[1-9])\. [A-ZÉ]")


def _orphaned_headings(pdf: bytes) -> list[str]:
    """Headings that are the last text line of their page (their section on the next)."""
    orphans = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        lines = [
            line.strip()
            for line in (page.extract_text() or "").splitlines()
            if line.strip() and not line.startswith("Auto-MES – PRM") and "Page " not in line
        ]
        if lines and HEADINGS.match(lines[-1]):
            orphans.append(f"page {number} : {lines[-1]}")
    return orphans


@pytest.mark.parametrize("inverters", range(1, 13))
def test_no_section_heading_is_orphaned_at_the_bottom_of_a_page(
    complete: tuple[Dossier, Path], inverters: int
) -> None:
    """Issue 17: a heading alone at the foot of a page, its table on the next."""
    dossier, path = complete
    first = dossier.installation.inverters[0]
    dossier.installation.inverters = [first] * inverters
    pdf = attest(dossier, base_dir=path.parent, now=GENERATED, draft=True).pdf
    assert _orphaned_headings(pdf) == []


def test_creation_date_is_the_clock_given(complete: tuple[Dossier, Path]) -> None:
    """Issue 17: CreationDate said 01/01/2000; it is the production time (injected clock,
    so the same inputs still give the same document)."""
    dossier, path = complete
    pdf = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    metadata = PdfReader(io.BytesIO(pdf)).metadata
    assert metadata is not None and metadata.creation_date == GENERATED


def test_the_delay_threshold_is_said_to_be_linkytools(complete: tuple[Dossier, Path]) -> None:
    dossier, path = complete
    text = flat(pdf_text(attest(dossier, base_dir=path.parent, now=GENERATED).pdf)[0])
    assert "limite 5 s" not in text
    assert "seuil de 5 s réglé dans linkytool ; le mode opératoire ne fixe pas de délai" in text


def test_streams_are_binary_each_photo_is_reduced_once_and_the_layout_runs_once(
    complete: tuple[Dossier, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ASCII85 text encoding of images and pages (a quarter larger, under a 4 MB limit),
    each photo decoded and reduced once, and the story laid out once, every page still
    numbered "Page n/N" (it was laid out twice, the first pass counting pages; issue 14)."""
    from linkytool.mes import attestation

    reduced: list[int] = []
    stories: list[int] = []
    original = attestation._thumbnail
    story = attestation._story

    def counted(data: bytes) -> attestation.Thumbnail | None:
        reduced.append(len(data))
        return original(data)

    def told(*args: Any) -> Any:
        stories.append(1)
        return story(*args)

    monkeypatch.setattr(attestation, "_thumbnail", counted)
    monkeypatch.setattr(attestation, "_story", told)
    monkeypatch.setattr(attestation, "_THUMBNAILS", {})  # none made earlier in the process
    dossier, path = complete
    pdf = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    assert b"/ASCII85Decode" not in pdf
    assert b"/DCTDecode" in pdf  # the thumbnails are there, as JPEG
    assert len(reduced) == 3, reduced
    assert len(stories) == 1
    # attested again in the same process (the UI's draft, then its final one): the
    # same thumbnails, none made again; a photo that changed is reduced anew
    again = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    assert again == pdf and len(reduced) == 3, reduced
    changed = (path.parent / "photos" / "date.jpg").read_bytes() + b"\0"
    assert attestation._remembered_thumbnail(changed) is not None
    assert len(reduced) == 4, reduced
    pages = pdf_text(pdf)[0]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number}/{len(pages)}" in page


def _count_jpeg_decodes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The sizes at which JPEG images are decoded from now on (one entry per decode)."""
    from PIL import JpegImagePlugin

    decoded: list[tuple[int, int]] = []
    load = JpegImagePlugin.JpegImageFile.load

    def counted(image: JpegImagePlugin.JpegImageFile) -> object:
        if image.tile:
            decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", counted)
    return decoded


def test_attesting_again_decodes_no_photo(
    complete: tuple[Dossier, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second attestation of the same photos in a process takes their thumbnails
    from memory, and the layout embeds each JPEG thumbnail without decoding it
    (reportlab decoded every one to name it by an MD5 of its pixels; issue 14)."""
    dossier, path = complete
    first = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    decoded = _count_jpeg_decodes(monkeypatch)
    again = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    assert decoded == []
    assert again == first and again.count(b"/DCTDecode") == 3


def test_a_thumbnail_is_decoded_small_and_turned_upright(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2048 x 1536 phone JPEG lying on its side (EXIF orientation 6) becomes a 675 x 900
    upright thumbnail, decoded at half scale: never whole (issue 14: the 4:3 photos were
    decoded at full size, the scale asked for a 900 x 900 box)."""
    from linkytool.mes.attestation import _thumbnail

    stored = Image.new("RGB", (2048, 1536), "white")
    stored.paste((200, 0, 0), (0, 0, 512, 384))  # red: top-left corner as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: the viewer rotates it 90° clockwise
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", quality=90, exif=exif.tobytes())
    decoded = _count_jpeg_decodes(monkeypatch)
    thumbnail = _thumbnail(buffer.getvalue())
    assert thumbnail is not None
    assert decoded == [(1024, 768)]
    assert (thumbnail.width, thumbnail.height) == (675, 900)
    with Image.open(io.BytesIO(thumbnail.jpeg)) as image:
        upright = image.convert("RGB")
    assert upright.size == (675, 900)
    red, _, _ = upright.getpixel((600, 60))  # stored top-left -> shown top-right
    assert red > 150 and upright.getpixel((60, 60)) == pytest.approx((255, 255, 255), abs=8)


def test_the_installer_declares_the_standard_the_dossier_names(
    complete: tuple[Dossier, Path],
) -> None:
    """Domain review: section 4 said « NF EN 50549-1 2019 », the installer's signed
    declaration (section 11) « réglée conformément à la DIN VDE 0126-1-1:2013-08 »."""
    from linkytool.mes.attested import DECLARED_STANDARD, attested_facts

    dossier, path = complete
    din = flat(pdf_text(attest(dossier, base_dir=path.parent, now=GENERATED).pdf)[0])
    assert (
        "réglée conformément à la prénorme DIN VDE 0126-1-1:2013-08 version VFR 2019 "
        "(découplage à 51,5 Hz)." in din
    )
    decoupling = dossier.installation.decoupling
    decoupling.standard, decoupling.version = "NF EN 50549-1", "2019"
    decoupling.setting_name = "EN50549_FR"
    dossier.documents.connection_request_date = datetime(2025, 3, 14).date()
    pdf = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    text = flat(pdf_text(pdf)[0])
    assert "réglée conformément à la norme NF EN 50549-1 avec les réglages français" in text
    assert "conformément à la DIN" not in text and "conformément à la prénorme" not in text
    assert "Demande de raccordement du 14/03/2025" in text
    assert "EN50549_FR – réglage reconnu (découplage à 51,5 Hz)" in text
    # what the declaration says is attested: the pack's staleness check covers it
    summary = read_embedded_summary(pdf)
    assert summary is not None
    key = f"11. Déclarations – {DECLARED_STANDARD}"
    assert summary["attested"][key] == attested_facts(dossier)[key]
    assert summary["attested"][key].startswith("la norme NF EN 50549-1")
