"""PAdES signature: signing with a throwaway PKCS#12, verification catches any change."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from mes_helpers import attest

from linkytool.cli import cli
from linkytool.mes import Dossier, SigningError, sign_pdf
from linkytool.mes.schema import PARIS
from linkytool.mes.service import verify as verify_attestation
from linkytool.mes.signing import verify_signature

GENERATED = datetime(2026, 11, 20, 15, 0, tzinfo=PARIS)


@pytest.fixture
def signed(complete: tuple[Dossier, Path], p12_key: tuple[bytes, bytes], tmp_path: Path) -> Path:
    dossier, path = complete
    key, password = p12_key
    result = attest(
        dossier, base_dir=path.parent, pkcs12=key, pkcs12_password=password, now=GENERATED
    )
    assert result.signed
    out = tmp_path / "attestation.pdf"
    out.write_bytes(result.pdf)
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


def test_a_modified_byte_is_detected(signed: Path) -> None:
    data = bytearray(signed.read_bytes())
    position = data.index(b"30002345678901")  # inside the signed range (document info)
    data[position + 13] = ord("2")
    report = verify_signature(bytes(data))
    assert not report.ok
    assert not report.intact


def test_an_appended_revision_is_detected(signed: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    writer.document_meta.title = "Attestation modifiée"
    writer.root["/Lang"] = generic.pdf_string("fr")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    report = verify_signature(output.getvalue())
    assert report.intact  # the signed revision itself is unchanged...
    assert not report.covers_whole_file  # ...but something was added after it
    assert not report.ok


def test_another_photo_does_not_match(signed: Path, tmp_path: Path) -> None:
    other = tmp_path / "autre.jpg"
    other.write_bytes(b"\xff\xd8 pas la bonne photo")
    result = verify_attestation(signed, [other])
    assert not result.ok
    assert any("absente de l'attestation" in p for p in result.problems)


def test_unsigned_pdf_is_reported(complete: tuple[Dossier, Path], tmp_path: Path) -> None:
    dossier, path = complete
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(attest(dossier, base_dir=path.parent, now=GENERATED).pdf)
    result = verify_attestation(pdf)
    assert not result.signature.signed
    assert not result.ok


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
