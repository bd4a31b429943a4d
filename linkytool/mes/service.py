"""Use cases over the pure core, for the CLI and the TUI: attest, verify (thin I/O layer).

Files are read here (photos, signature images, the PKCS#12 key, the PDF to verify);
layout, rules and signature maths live in the pure modules. Nothing is printed: every
function returns a typed result or raises a :class:`~linkytool.mes.errors.MesError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from linkytool.errors import OutputError, describe_os_error
from linkytool.mes.attestation import AttestationInputs, build_attestation_pdf
from linkytool.mes.errors import (
    DossierPhotoError,
    PrerequisitesError,
    VerifyInputError,
)
from linkytool.mes.model import Dossier, ReadingField
from linkytool.mes.photoprep import PreparedPhoto, prepare_photo
from linkytool.mes.photos import (
    PhotoFacts,
    describe_image,
    inspect_photos,
    resolve,
    sha256_bytes,
    sha256_file,
)
from linkytool.mes.rules import (
    CheckSettings,
    RuleOutcome,
    evaluate_rules,
)
from linkytool.mes.schema import PARIS
from linkytool.mes.signing import SignatureReport, read_embedded_summary, sign_pdf, verify_signature


@dataclass(frozen=True)
class SubmittedPhoto:
    """A dossier photo as found on disk and as it will be sent (GPS stripped, ≤ 4 MB)."""

    role: ReadingField
    original: PhotoFacts
    prepared: PreparedPhoto | None
    error: str | None  # French, when the photo cannot be sent

    @property
    def sent_facts(self) -> PhotoFacts:
        """Facts of the bytes that will be sent (hash and size of the prepared photo)."""
        if self.prepared is None:
            return self.original
        return dataclasses.replace(
            self.original,
            size_bytes=len(self.prepared.data),
            sha256=sha256_bytes(self.prepared.data),
        )


def load_submitted_photos(
    dossier: Dossier,
    base_dir: Path,
    *,
    keep_gps: bool = False,
    settings: CheckSettings | None = None,
) -> dict[ReadingField, SubmittedPhoto]:
    """Read and prepare the three photos (never raises for a bad photo: see ``error``)."""
    limit = (settings or CheckSettings()).max_attachment_bytes
    facts = inspect_photos(dossier, base_dir)
    result = {}
    for role, fact in facts.items():
        prepared = None
        error = fact.error
        if fact.usable and fact.path is not None:
            try:
                prepared = prepare_photo(fact.path.read_bytes(), max_bytes=limit, keep_gps=keep_gps)
            except DossierPhotoError as exc:
                error = exc.message
            except OSError as exc:
                error = f"fichier illisible : {fact.path} ({describe_os_error(exc)})"
        result[role] = SubmittedPhoto(role, fact, prepared, error)
    return result


@dataclass(frozen=True)
class AttestationResult:
    """A produced attestation."""

    pdf: bytes
    outcomes: list[RuleOutcome]
    draft: bool
    signed: bool
    photos: dict[ReadingField, SubmittedPhoto]


def _read_image(path: Path | None, what: str) -> bytes | None:
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DossierPhotoError(
            f"Image de {what} illisible : {path} ({describe_os_error(exc)}).",
            hint="Donnez une image PNG ou JPEG existante, ou retirez l'option.",
        ) from exc
    if describe_image(data) is None:
        # the PDF would show "(image de signature illisible)" where the signature goes
        raise DossierPhotoError(
            f"Image de {what} illisible : {path} "
            + ("est vide." if not data else "n'est pas une image PNG ou JPEG."),
            hint="Donnez le scan ou la photo de la signature (PNG ou JPEG), ou retirez l'option.",
        )
    return data


def _signature_path(given: str | Path | None, declared: str, base_dir: Path) -> Path | None:
    if given is not None:
        return Path(given)
    return resolve(base_dir, declared) if declared else None


def refuse_overwriting_dossier_files(
    dossier: Dossier, dossier_path: str | Path, output: str | Path
) -> None:
    """Raise :class:`OutputError` when ``output`` is the dossier file, one of its photos or
    signature images: writing the PDF there would destroy the user's data."""
    source = Path(dossier_path)
    base = source.parent
    declared = [getattr(dossier.photos, role.value) for role in ReadingField]
    declared += [dossier.signatures.producer_image, dossier.signatures.installer_image]
    own = [source, *(resolve(base, name) for name in declared if name)]
    target = Path(output).resolve()
    for path in own:
        if path.resolve() == target:
            raise OutputError(
                f"{output} est un fichier du dossier (dossier, photo ou signature) : "
                "il serait remplacé. Rien n'a été écrit.",
                hint="Donnez un autre nom de fichier, par exemple attestation.pdf.",
            )


def attest(
    dossier: Dossier,
    *,
    base_dir: str | Path,
    draft: bool = False,
    producer_signature: str | Path | None = None,
    installer_signature: str | Path | None = None,
    pkcs12: bytes | None = None,
    pkcs12_password: bytes | None = None,
    keep_gps: bool = False,
    settings: CheckSettings | None = None,
    now: datetime | None = None,
) -> AttestationResult:
    """Check the prerequisites, lay out the attestation and sign it when a key is given.

    Raises :class:`PrerequisitesError` while a prerequisite fails, unless ``draft``.
    """
    settings = settings or CheckSettings()
    base = Path(base_dir)
    photos = load_submitted_photos(dossier, base, keep_gps=keep_gps, settings=settings)
    outcomes = evaluate_rules(dossier, {role: p.original for role, p in photos.items()}, settings)
    problems = [f"{o.title} : {o.detail}" for o in outcomes if not o.satisfied]
    problems += [f"photo {p.role.value} : {p.error}" for p in photos.values() if p.error]
    if problems and not draft:
        raise PrerequisitesError(problems, what="Attestation")
    inputs = AttestationInputs(
        dossier=dossier,
        outcomes=outcomes,
        photos={role: p.sent_facts for role, p in photos.items()},
        photo_bytes={role: p.prepared.data for role, p in photos.items() if p.prepared},
        generated_at=now or datetime.now(PARIS),
        producer_signature=_read_image(
            _signature_path(producer_signature, dossier.signatures.producer_image, base),
            "signature du producteur",
        ),
        installer_signature=_read_image(
            _signature_path(installer_signature, dossier.signatures.installer_image, base),
            "signature de l'installateur",
        ),
        draft=draft,
        max_delay_s=settings.max_decoupling_delay_s,
    )
    pdf = build_attestation_pdf(inputs)
    if pkcs12 is not None:
        pdf = sign_pdf(pdf, pkcs12, pkcs12_password, location=dossier.commissioning.place or None)
    return AttestationResult(pdf, outcomes, draft, pkcs12 is not None, photos)


@dataclass(frozen=True)
class PhotoMatch:
    """One photo given to ``mes verify`` compared with the hashes in the attestation."""

    path: Path
    sha256: str
    role: str | None  # which screen it matches, None when it matches none

    @property
    def matches(self) -> bool:
        """True when the file's hash is one of the attestation's photo hashes."""
        return self.role is not None


@dataclass(frozen=True)
class VerificationResult:
    """The answer of ``mes verify``."""

    signature: SignatureReport
    summary: dict[str, Any] | None
    photos: list[PhotoMatch]

    @property
    def problems(self) -> list[str]:
        """French list of what does not verify (empty when everything holds)."""
        problems = list(self.signature.problems)
        if self.summary is None:
            problems.append("données linkytool absentes du PDF : empreintes des photos inconnues")
        problems += [
            f"{photo.path.name} : empreinte {photo.sha256[:16]}… absente de l'attestation"
            for photo in self.photos
            if not photo.matches
        ]
        return problems

    @property
    def ok(self) -> bool:
        """Integrity holds and every given photo is one of the attested ones."""
        return not self.problems


def verify_attestation(
    pdf_path: str | Path, photos: Sequence[str | Path] = ()
) -> VerificationResult:
    """Verify a signed attestation file and the given photo files against it."""
    path = Path(pdf_path)
    try:
        pdf = path.read_bytes()
    except OSError as exc:
        raise VerifyInputError(
            f"Impossible de lire {path} : {describe_os_error(exc)}.",
            hint="Donnez le chemin de l'attestation PDF.",
        ) from exc
    report = verify_signature(pdf)
    summary = read_embedded_summary(pdf)
    by_hash = {}
    if summary is not None:
        by_hash = {item.get("sha256"): item.get("role") for item in summary.get("photos", [])}
    matches = []
    for photo in photos:
        photo_path = Path(photo)
        try:
            digest = sha256_file(photo_path)
        except OSError as exc:
            raise VerifyInputError(
                f"Impossible de lire la photo {photo_path} : {describe_os_error(exc)}."
            ) from exc
        matches.append(PhotoMatch(photo_path, digest, by_hash.get(digest)))
    return VerificationResult(report, summary, matches)


def check_attestation_matches(pdf: bytes, photos: dict[ReadingField, SubmittedPhoto]) -> None:
    """Refuse an attestation whose photo hashes differ from the photos about to be sent."""
    summary = read_embedded_summary(pdf)
    if summary is None:
        raise DossierPhotoError(
            "Cette attestation ne contient pas les données linkytool (empreintes des photos).",
            hint="Produisez-la avec linkytool mes attest, ou laissez mes pack la produire.",
        )
    attested = {item.get("role"): item.get("sha256") for item in summary.get("photos", [])}
    mismatched = [
        role.value
        for role, photo in photos.items()
        if photo.prepared is not None and attested.get(role.value) != photo.sent_facts.sha256
    ]
    if mismatched:
        raise DossierPhotoError(
            "Les photos du dossier ne sont pas celles de l'attestation ("
            + ", ".join(mismatched)
            + ").",
            hint="Refaites l'attestation (mes attest) après avoir changé les photos, avec les "
            "mêmes options (--keep-gps).",
        )
