"""PAdES signature of the attestation (pyHanko) and its verification.

Signing takes a PKCS#12 key (bytes + password) and returns the signed PDF. Verification
separates *integrity* (the signed bytes are unchanged and the signature covers the whole
file) from *trust* (the certificate chains to a trusted root): installers mostly use
self-signed keys, so an untrusted but intact signature is reported, not failed. The
embedded JSON summary gives the photo hashes to compare with the files.
"""

from __future__ import annotations

import io
import json
import warnings
from dataclasses import dataclass
from typing import Any

from linkytool.mes.attestation import EMBEDDED_FORMAT, EMBEDDED_NAME
from linkytool.mes.errors import SigningError, VerifyInputError

#: Signature field name in the attestation.
FIELD_NAME = "SignatureAutoMES"


def sign_pdf(
    pdf: bytes,
    pkcs12: bytes,
    password: bytes | None = None,
    *,
    reason: str = "Attestation d'auto-mise en service",
    location: str | None = None,
) -> bytes:
    """Sign ``pdf`` (PAdES baseline B) with the key and certificate in ``pkcs12``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=password)
    except (ValueError, TypeError, OSError) as exc:
        raise SigningError(
            f"Impossible d'ouvrir la clé PKCS#12 : {exc}.",
            hint="Vérifiez le fichier .p12 et son mot de passe (--p12-password).",
        ) from exc
    if signer is None:
        raise SigningError(
            "Impossible d'ouvrir la clé PKCS#12 (mot de passe incorrect ou fichier corrompu).",
            hint="Vérifiez le fichier .p12 et son mot de passe (--p12-password).",
        )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    output = io.BytesIO()
    signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, output=output)
    return output.getvalue()


@dataclass(frozen=True)
class SignatureReport:
    """What ``mes verify`` says about one PDF's signature."""

    signed: bool
    intact: bool  # signed bytes unchanged (cryptographic integrity)
    covers_whole_file: bool  # nothing appended after the signature
    trusted: bool  # certificate chain validated against the system's trust roots
    signer: str | None
    signing_time: str | None
    problems: tuple[str, ...]  # French

    @property
    def ok(self) -> bool:
        """Integrity holds (trust is reported separately)."""
        return self.signed and self.intact and self.covers_whole_file


def _reader(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        raise VerifyInputError(
            f"Le fichier n'est pas un PDF lisible ({exc}).",
            hint="Vérifiez que vous avez donné l'attestation produite par linkytool mes attest.",
        ) from exc


def verify_signature(pdf: bytes) -> SignatureReport:
    """Check the PAdES signature(s) of ``pdf``: integrity first, trust separately."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = _reader(pdf)
    signatures = reader.embedded_signatures
    if not signatures:
        return SignatureReport(
            False,
            False,
            False,
            False,
            None,
            None,
            ("le PDF ne porte aucune signature électronique",),
        )
    signature = signatures[-1]
    problems: list[str] = []
    try:
        with warnings.catch_warnings():
            # the OS trust list is what we want for "trusted"; pyHanko warns it may go away
            warnings.simplefilter("ignore", DeprecationWarning)
            context = ValidationContext(allow_fetching=False)
            status = validate_pdf_signature(signature, context)
    except (SignatureValidationError, ValueError, KeyError) as exc:
        return SignatureReport(
            True, False, False, False, None, None, (f"signature invalide : {exc}",)
        )
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not intact:
        problems.append("le contenu signé a été modifié après la signature")
    if intact and not whole:
        problems.append("des modifications ont été ajoutées au PDF après la signature")
    signer = None
    try:
        signer = status.signing_cert.subject.human_friendly
    except AttributeError:
        signer = None
    signing_time = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
    return SignatureReport(
        signed=True,
        intact=intact,
        covers_whole_file=whole,
        trusted=bool(status.trusted),
        signer=signer,
        signing_time=signing_time,
        problems=tuple(problems),
    )


def read_embedded_summary(pdf: bytes) -> dict[str, Any] | None:
    """The ``linkytool-attestation.json`` attached to ``pdf`` (None when absent)."""
    reader = _reader(pdf)
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return None
    for position in range(0, len(names) - 1, 2):
        if str(names[position]) != EMBEDDED_NAME:
            continue
        spec = names[position + 1].get_object()
        stream = spec["/EF"]["/F"].get_object()
        try:
            summary = json.loads(stream.data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        if isinstance(summary, dict) and summary.get("format") == EMBEDDED_FORMAT:
            return summary
    return None
