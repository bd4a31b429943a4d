"""PAdES signature: signing with a throwaway PKCS#12, verification catches any change."""

from __future__ import annotations

import copy
import io
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from mes_helpers import attest

from linkytool.cli import cli
from linkytool.mes import Dossier, SigningError, sign_pdf
from linkytool.mes.model import SignatureKind
from linkytool.mes.schema import PARIS
from linkytool.mes.service import verify as verify_attestation
from linkytool.mes.signing import verify_signature

GENERATED = datetime(2026, 11, 20, 15, 0, tzinfo=PARIS)


@pytest.fixture(scope="module")
def signed_attestation(
    complete_template: tuple[Dossier, Path], p12_key: tuple[bytes, bytes]
) -> bytes:
    """The complete dossier's attestation, signed: laid out and signed once per module
    (it was for each of five tests, 0.3 s of CPU each; issue 14)."""
    dossier, path = complete_template
    key, password = p12_key
    result = attest(
        copy.deepcopy(dossier),
        base_dir=path.parent,
        pkcs12=key,
        pkcs12_password=password,
        now=GENERATED,
    )
    assert result.signed
    return result.pdf


@pytest.fixture
def signed(complete: tuple[Dossier, Path], signed_attestation: bytes, tmp_path: Path) -> Path:
    """:func:`signed_attestation` beside the complete dossier's photos (the same bytes)."""
    out = tmp_path / "attestation.pdf"
    out.write_bytes(signed_attestation)
    return out


def test_signed_attestation_verifies_with_its_photos(signed: Path) -> None:
    photos = sorted((signed.parent / "photos").glob("*.jpg"))
    result = verify_attestation(signed, photos)
    assert result.signature.signed and result.signature.intact
    assert result.signature.covers_whole_file
    assert not result.signature.trusted  # self-signed: reported, not an integrity failure
    assert result.signature.signer is not None and "Louis Bernard" in result.signature.signer
    assert [p.role for p in result.photos] == ["date", "injection_index", "prm"]
    assert result.ok, result.problems
    integrity = verify_signature(signed.read_bytes(), trust=False)
    assert integrity.trusted is None and integrity.signatures[0].trusted is None
    assert integrity.ok and integrity.intact and integrity.covers_whole_file
    assert integrity.signer == result.signature.signer


@pytest.mark.parametrize("trust", [True, False])
def test_a_modified_byte_is_detected(signed: Path, trust: bool) -> None:
    """Whether or not trust is asked (the pack and mes sign decide on integrity alone,
    without loading the system's trust list)."""
    data = bytearray(signed.read_bytes())
    position = data.index(b"30002345678901")  # inside the signed range (document info)
    data[position + 13] = ord("2")
    report = verify_signature(bytes(data), trust=trust)
    assert not report.ok
    assert not report.intact


@pytest.mark.parametrize("trust", [True, False])
def test_an_appended_revision_is_detected(signed: Path, trust: bool) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    writer.document_meta.title = "Attestation modifiée"
    writer.root["/Lang"] = generic.pdf_string("fr")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    report = verify_signature(output.getvalue(), trust=trust)
    assert report.intact  # the signed revision itself is unchanged...
    assert not report.covers_whole_file  # ...but something was added after it
    assert not report.ok


def test_another_photo_does_not_match(signed: Path, tmp_path: Path) -> None:
    other = tmp_path / "autre.jpg"
    other.write_bytes(b"\xff\xd8 pas la bonne photo")
    result = verify_attestation(signed, [other])
    assert not result.ok
    assert any("absente de l'attestation" in p for p in result.problems)


def test_an_attestation_signed_with_images_verifies_with_a_warning(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    """No PAdES signature to check is not a failure of a final attestation signed with
    images (the README's site visit), but the user is told a change would not show."""
    dossier, path = complete
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(attest(dossier, base_dir=path.parent, now=GENERATED).pdf)
    result = verify_attestation(pdf, sorted((path.parent / "photos").glob("*.jpg")))
    assert not result.signature.signed
    assert result.signature_kind is SignatureKind.IMAGES
    assert result.ok, result.problems
    assert any("sans signature électronique" in w for w in result.warnings)
    assert [p.title for p in result.photos] == ["Date courante", "Index Injection", "Numéro de PRM"]
    out = CliRunner().invoke(cli, ["mes", "verify", str(pdf)])
    assert out.exit_code == 0, out.output
    assert "non vérifiable" in out.stdout
    assert "une modification du fichier ne serait pas détectable" in out.stderr


def test_an_attestation_to_sign_by_hand_verifies_with_a_warning(
    complete: tuple[Dossier, Path], tmp_path: Path
) -> None:
    dossier, path = complete
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(attest(dossier, base_dir=path.parent, now=GENERATED, by_hand=True).pdf)
    result = verify_attestation(pdf)
    assert result.signature_kind is SignatureKind.BY_HAND
    assert result.ok, result.problems
    assert any("signer à la main" in w for w in result.warnings)


def test_a_draft_never_verifies(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(attest(dossier, base_dir=path.parent, now=GENERATED, draft=True).pdf)
    result = verify_attestation(pdf)
    assert not result.ok
    assert any("brouillon" in p for p in result.problems)
    assert CliRunner().invoke(cli, ["mes", "verify", str(pdf)]).exit_code == 1


def test_a_pdf_without_linkytool_data_or_signature_never_verifies(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "autre.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(100, 750, "Attestation")
    canvas.save()
    result = verify_attestation(pdf)
    assert not result.ok
    assert any("aucune signature" in p for p in result.problems)
    assert any("données linkytool absentes" in p for p in result.problems)


def test_wrong_password_is_a_clear_error(p12_key: tuple[bytes, bytes]) -> None:
    key, _ = p12_key
    with pytest.raises(SigningError, match="mot de passe"):
        sign_pdf(b"%PDF-1.4", key, b"wrong")


def test_cli_verify_exit_codes(signed: Path) -> None:
    runner = CliRunner()
    photos = [str(p) for p in sorted((signed.parent / "photos").glob("*.jpg"))]
    ok = runner.invoke(cli, ["mes", "verify", str(signed), "--photos", *photos])
    assert ok.exit_code == 0, ok.output
    assert "intégrité" in ok.output
    tampered = signed.with_name("tampered.pdf")
    data = bytearray(signed.read_bytes())
    position = data.index(b"30002345678901")
    data[position + 13] = ord("2")
    tampered.write_bytes(bytes(data))
    bad = runner.invoke(cli, ["mes", "verify", str(tampered), "--format", "json"])
    assert bad.exit_code == 1
    assert '"intact": false' in bad.output


def test_signing_by_hand_draws_no_signature_image_kept_in_the_dossier(
    complete: tuple[Dossier, Path],
) -> None:
    """--sign-by-hand wins over the images in the dossier: the PDF must not show a
    scanned signature while saying it is to be signed on paper."""
    dossier, path = complete
    with_images = attest(dossier, base_dir=path.parent, now=GENERATED).pdf
    by_hand = attest(dossier, base_dir=path.parent, now=GENERATED, by_hand=True).pdf
    # the photos' crops, then each signature image with its transparency mask
    images = with_images.count(b"/Subtype /Image")
    assert by_hand.count(b"/Subtype /Image") == images - 4
