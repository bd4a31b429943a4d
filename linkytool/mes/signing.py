"""PAdES signature of the attestation (pyHanko) and its verification.

Signing takes a PKCS#12 key (bytes + password) and returns the signed PDF. Verification
separates *integrity* (the signed bytes are unchanged and the signature covers the whole
file) from *trust* (the certificate chains to a trusted root): installers mostly use
self-signed keys, so an untrusted but intact signature is reported, not failed. The
embedded JSON summary gives the photo hashes to compare with the files.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from linkytool.mes.embedded import EMBEDDED_FORMAT, EMBEDDED_NAME
from linkytool.mes.errors import SigningError, VerifyInputError

#: Signature field name in the attestation.
FIELD_NAME = "SignatureAutoMES"


def load_signer(pkcs12: bytes, password: bytes | None) -> Any:
    """The pyHanko signer of a PKCS#12 key (:class:`SigningError` when it cannot open)."""
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=password)
    except (ValueError, TypeError, OSError) as exc:
        raise SigningError(
            "Impossible d'ouvrir la clé PKCS#12 (mot de passe incorrect ou fichier corrompu).",
            hint="Vérifiez le fichier .p12 et son mot de passe.",
            bad_password=True,
        ) from exc
    if signer is None:
        raise SigningError(
            "Impossible d'ouvrir la clé PKCS#12 (mot de passe incorrect ou fichier corrompu).",
            hint="Vérifiez le fichier .p12 et son mot de passe.",
            bad_password=True,
        )
    return signer


def certificate_warnings(certificate: Any, now: datetime) -> tuple[str, ...]:
    """French warnings about a certificate's validity period at ``now``."""
    try:
        start = certificate.not_valid_before
        end = certificate.not_valid_after
    except (AttributeError, ValueError):
        return ()
    if end < now:
        return (f"certificat expiré depuis le {end:%d/%m/%Y} : la signature le mentionne",)
    if start > now:
        return (f"certificat valable seulement à partir du {start:%d/%m/%Y}",)
    return ()


def sign_pdf(
    pdf: bytes,
    pkcs12: bytes,
    password: bytes | None = None,
    *,
    reason: str = "Attestation d'auto-mise en service",
    location: str | None = None,
    field_name: str | None = None,
) -> bytes:
    """Sign ``pdf`` (PAdES baseline B) with the key and certificate in ``pkcs12``; an
    already signed PDF gets a further signature field (``SignatureAutoMES2``...)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = load_signer(pkcs12, password)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        if field_name is None:
            with _quiet_pyhanko():
                existing = len(list(writer.prev.embedded_signatures))
            field_name = FIELD_NAME if not existing else f"{FIELD_NAME}{existing + 1}"
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        output = io.BytesIO()
        with _quiet_pyhanko():
            signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, output=output)
    except SigningError:
        raise
    except Exception as exc:  # pyHanko's own errors (unusable key type, PDF structure)
        raise SigningError(f"Signature impossible avec cette clé : {exc}.") from exc
    return output.getvalue()


#: French labels of the certificate name fields shown to the user (asn1crypto names).
NAME_LABELS: dict[str, str] = {
    "common_name": "Nom",
    "organization_name": "Organisation",
    "organizational_unit_name": "Service",
    "email_address": "Courriel",
    "country_name": "Pays",
    "locality_name": "Ville",
    "state_or_province_name": "Région",
    "serial_number": "Numéro de série",
    "given_name": "Prénom",
    "surname": "Nom de famille",
}


def french_name(name: Any) -> str | None:
    """A certificate subject in French ("Nom : Louis Bernard, Organisation : …")."""
    try:
        native = name.native
    except (AttributeError, ValueError):
        return None
    if not isinstance(native, dict):
        return str(native)
    parts = []
    for key, value in native.items():
        label = NAME_LABELS.get(str(key), str(key).replace("_", " "))
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        parts.append(f"{label} : {shown}")
    return ", ".join(parts) or None


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the PDF, as verified."""

    field: str
    signer: str | None
    signing_time: str | None
    intact: bool
    trusted: bool | None  # None: not asked (``verify_signature(trust=False)``)
    problems: tuple[str, ...]  # French
    warnings: tuple[str, ...]  # French


@dataclass(frozen=True)
class SignatureReport:
    """What ``mes verify`` says about one PDF's signatures."""

    signed: bool
    intact: bool  # every signature's signed bytes unchanged (cryptographic integrity)
    covers_whole_file: bool  # nothing but later signatures added after the first one
    #: Every certificate chains to the system's trust roots (None: not asked).
    trusted: bool | None
    signer: str | None
    signing_time: str | None
    problems: tuple[str, ...]  # French
    signatures: tuple[SignatureCheck, ...] = ()
    warnings: tuple[str, ...] = ()  # French: expired certificate...

    @property
    def ok(self) -> bool:
        """Integrity holds (trust is reported separately)."""
        return self.signed and self.intact and self.covers_whole_file and not self.problems


def _reader(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with _quiet_pyhanko():
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            reader.root  # noqa: B018 - fail here, not later, on a broken trailer
        return reader
    except Exception as exc:  # any parser failure on hostile bytes: not a readable PDF
        raise VerifyInputError(
            "Le fichier n'est pas un PDF lisible.",
            hint="Vérifiez que vous avez donné l'attestation PDF produite par linkytool.",
        ) from exc


@contextlib.contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs tracebacks (self-signed certificate, revocation info unavailable) for
    cases we report ourselves in French: keep them off the user's terminal."""
    logger = logging.getLogger("pyhanko")
    certvalidator = logging.getLogger("pyhanko_certvalidator")
    saved = (logger.level, certvalidator.level)
    logger.setLevel(logging.CRITICAL + 1)
    certvalidator.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(saved[0])
        certvalidator.setLevel(saved[1])


def _check_one(
    signature: Any, position: int, count: int, now: datetime, *, trust: bool = True
) -> SignatureCheck:
    """Validate one embedded signature and its coverage (pyHanko difference analysis);
    its certificate against the system's trust roots only when ``trust``."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    name = str(getattr(signature, "field_name", None) or f"signature {position + 1}")
    last = position == count - 1
    try:
        with _quiet_pyhanko():
            context = (
                ValidationContext(allow_fetching=False)
                if trust
                else ValidationContext(trust_roots=[], allow_fetching=False)
            )
            status = validate_pdf_signature(signature, context)
    except Exception as exc:  # a corrupt /Contents, an unknown algorithm...
        return SignatureCheck(
            name,
            None,
            None,
            False,
            False,
            (f"{name} illisible ou corrompue ({type(exc).__name__})",),
            (),
        )
    problems: list[str] = []
    intact = bool(status.intact and status.valid)
    if not intact:
        problems.append(f"{name} : le contenu signé a été modifié après la signature")
    coverage = status.coverage
    if last and coverage != SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(f"{name} : des modifications ont été ajoutées au PDF après la signature")
    if not last:
        level = status.modification_level
        if coverage not in (
            SignatureCoverageLevel.ENTIRE_REVISION,
            SignatureCoverageLevel.ENTIRE_FILE,
        ):
            problems.append(f"{name} : ne couvre pas sa révision entière")
        elif level is None or level > ModificationLevel.FORM_FILLING or status.docmdp_ok is False:
            problems.append(
                f"{name} : une révision postérieure à cette signature a modifié le contenu du "
                "PDF (pas seulement ajouté une signature)"
            )
    certificate = getattr(status, "signing_cert", None)
    signer = french_name(certificate.subject) if certificate is not None else None
    found: tuple[str, ...] = ()
    if certificate is not None:
        found = certificate_warnings(_native_validity(certificate), now)
    when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
    trusted = bool(status.trusted) if trust else None
    return SignatureCheck(name, signer, when, intact, trusted, tuple(problems), found)


@dataclass(frozen=True)
class _Validity:
    not_valid_before: datetime
    not_valid_after: datetime


def _native_validity(certificate: Any) -> Any:
    """asn1crypto certificate -> object with not_valid_before/after (aware datetimes)."""
    try:
        validity = certificate["tbs_certificate"]["validity"]
        return _Validity(validity["not_before"].native, validity["not_after"].native)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def verify_signature(
    pdf: bytes, *, now: datetime | None = None, trust: bool = True
) -> SignatureReport:
    """Check every PAdES signature of ``pdf`` and what each covers: integrity first, trust
    separately. A revision after a signature that changes content (anything but adding
    a further signature) fails, naming the signature it was added after.

    ``trust=False`` leaves trust out (``trusted`` None): no trust list is loaded (the
    system's: about 0.06 s of CPU) for a caller that decides on integrity alone."""
    reader = _reader(pdf)
    moment = now or datetime.now(UTC)
    try:
        with _quiet_pyhanko():
            signatures = list(reader.embedded_signatures)
    except Exception as exc:
        raise VerifyInputError(
            f"Structure de signature illisible dans le PDF ({type(exc).__name__}).",
            hint="Ce fichier n'est pas une attestation intacte.",
        ) from exc
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
    checks = tuple(
        _check_one(signature, position, len(signatures), moment, trust=trust)
        for position, signature in enumerate(signatures)
    )
    problems = tuple(problem for check in checks for problem in check.problems)
    last = checks[-1]
    return SignatureReport(
        signed=True,
        intact=all(check.intact for check in checks),
        covers_whole_file=not problems,
        trusted=all(check.trusted for check in checks) if trust else None,
        signer=last.signer,
        signing_time=last.signing_time,
        problems=problems,
        signatures=checks,
        warnings=tuple(warning for check in checks for warning in check.warnings),
    )


def read_embedded_summary(pdf: bytes) -> dict[str, Any] | None:
    """The ``linkytool-attestation.json`` attached to ``pdf`` (None when absent)."""
    reader = _reader(pdf)
    try:
        with _quiet_pyhanko():
            names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
            for position in range(0, len(names) - 1, 2):
                if str(names[position]) != EMBEDDED_NAME:
                    continue
                spec = names[position + 1].get_object()
                data = spec["/EF"]["/F"].get_object().data
                if len(data) > 1_000_000:
                    return None
                summary = json.loads(data.decode("utf-8"))
                if isinstance(summary, dict) and summary.get("format") == EMBEDDED_FORMAT:
                    return summary
    except (KeyError, TypeError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    except Exception:  # a damaged object stream: no readable summary
        return None
    return None
