"""Is this attestation PDF the one to send for this dossier? (pure over PDF bytes)

The pack sends exactly the attestation the user produced. An attestation is accepted
when it is a final one (not a draft), made for this dossier (same PRM, same producer,
the hashes of the photos about to be sent), signed the way it says, and either byte for
byte the one recorded in the dossier or carrying PAdES signatures that all verify (so a
change after production would show). Everything else is refused with the reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from linkytool.mes.errors import VerifyInputError
from linkytool.mes.model import Dossier, ReadingField, SignatureKind
from linkytool.mes.photos import SCREEN_TITLES, sha256_bytes
from linkytool.mes.signing import SignatureReport, read_embedded_summary, verify_signature
from linkytool.mes.submission import SubmittedPhoto


@dataclass(frozen=True)
class AttestationCheck:
    """The verdict on one attestation PDF for one dossier."""

    sha256: str
    summary: dict[str, Any] | None
    report: SignatureReport | None
    signature: SignatureKind | None
    problems: tuple[str, ...]  # French; empty when it may be sent

    @property
    def ok(self) -> bool:
        """True when this attestation may be sent for this dossier."""
        return not self.problems


def signature_kind(summary: Mapping[str, Any]) -> SignatureKind | None:
    """How the attestation says it is signed (None when it does not say, or a draft's)."""
    value = summary.get("signature")
    try:
        return SignatureKind(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_attestation(
    pdf: bytes,
    dossier: Dossier,
    photos: Mapping[ReadingField, SubmittedPhoto],
    *,
    recorded_sha256: str = "",
) -> AttestationCheck:
    """Every reason ``pdf`` must not be sent for ``dossier`` (empty when it may be)."""
    digest = sha256_bytes(pdf)
    try:
        summary = read_embedded_summary(pdf)
        report: SignatureReport | None = verify_signature(pdf)
    except VerifyInputError as exc:
        return AttestationCheck(digest, None, None, None, (exc.message,))
    if summary is None:
        return AttestationCheck(
            digest,
            None,
            report,
            None,
            ("ce PDF ne contient pas les données d'une attestation linkytool",),
        )
    problems: list[str] = []
    kind = signature_kind(summary)
    if summary.get("draft"):
        problems.append("c'est un brouillon (« BROUILLON – NON CONFORME »), pas l'attestation")
    elif kind is None:
        problems.append("l'attestation ne dit pas comment elle est signée (format ancien)")
    if summary.get("prm") != dossier.case.prm:
        problems.append(
            f"PRM de l'attestation {summary.get('prm') or '—'}, PRM du dossier "
            f"{dossier.case.prm or '—'}"
        )
    if summary.get("producer") != dossier.producer.name:
        problems.append(
            f"producteur de l'attestation « {summary.get('producer') or '—'} », producteur "
            f"du dossier « {dossier.producer.name or '—'} »"
        )
    attested = {
        item.get("role"): item.get("sha256")
        for item in summary.get("photos", [])
        if isinstance(item, dict)
    }
    for role, photo in photos.items():
        if photo.prepared is not None and attested.get(role.value) != photo.sent_facts.sha256:
            problems.append(f"la photo « {SCREEN_TITLES[role]} » n'est pas celle de l'attestation")
    assert report is not None
    if report.signed and not report.ok:
        problems += [f"signature électronique : {problem}" for problem in report.problems]
    if kind is SignatureKind.PADES and not report.signed:
        problems.append("la signature électronique annoncée est absente")
    if digest != recorded_sha256 and not (report.signed and report.ok):
        problems.append(
            "ce n'est pas l'attestation produite pour ce dossier (empreinte différente), et "
            "aucune signature électronique ne permet de vérifier qu'elle n'a pas été modifiée"
        )
    if report.signed and report.ok:
        kind = SignatureKind.PADES  # signed electronically, whatever the layout announced
    return AttestationCheck(digest, summary, report, kind, tuple(problems))
