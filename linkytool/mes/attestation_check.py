"""Is this attestation PDF the one to send for this dossier? (pure over PDF bytes)

The pack sends exactly the attestation the user produced. An attestation is accepted
when it is a final one (not a draft), made for this dossier as it is now (every field it
prints unchanged since: :func:`~linkytool.mes.attestation.attested_facts`; the hashes of
the photos about to be sent), signed the way it says, and either byte for
byte the one recorded in the dossier or carrying PAdES signatures that all verify (so a
change after production would show). Everything else is refused with the reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from linkytool.mes.attested import attested_facts
from linkytool.mes.errors import VerifyInputError
from linkytool.mes.model import Dossier, ReadingField, SignatureKind
from linkytool.mes.photos import sha256_bytes
from linkytool.mes.signing import SignatureReport, read_embedded_summary, verify_signature
from linkytool.mes.submission import SubmittedPhoto
from linkytool.mes.titles import SCREEN_TITLES
from linkytool.textfmt import french_count


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


NOT_ATTESTED = (
    "l'attestation ne dit pas ce qu'elle atteste du dossier (produite par une version "
    "antérieure de linkytool) : rien ne montre qu'elle correspond au dossier actuel"
)
#: At most this many changed fields are listed one by one (the rest are counted).
MAX_CHANGES_LISTED = 8


def changed_since_attestation(recorded: Mapping[str, Any], current: Mapping[str, str]) -> list[str]:
    """French lines, one per field whose printed text differs between the attestation
    (``recorded``: its embedded :func:`attested_facts`) and the dossier now (``current``)."""
    changed = [
        (key, recorded.get(key, "—"), current.get(key, "—"))
        for key in dict.fromkeys([*recorded, *current])
        if recorded.get(key, "—") != current.get(key, "—")
    ]
    lines = [
        f"{key} : « {old} » sur l'attestation, « {new} » dans le dossier"
        for key, old, new in changed[:MAX_CHANGES_LISTED]
    ]
    if len(changed) > MAX_CHANGES_LISTED:
        others = len(changed) - MAX_CHANGES_LISTED
        lines.append(
            f"… et {french_count(others, 'autre champ modifié', 'autres champs modifiés')}"
        )
    return lines


def dossier_changes(pdf: bytes, dossier: Dossier) -> tuple[str, ...]:
    """What changed in ``dossier`` since the attestation ``pdf`` was produced (French
    lines; empty when it still says what the dossier says). Cheap: no photo is read."""
    try:
        summary = read_embedded_summary(pdf)
    except VerifyInputError as exc:
        return (exc.message,)
    recorded = summary.get("attested") if summary is not None else None
    if not isinstance(recorded, dict):
        return (NOT_ATTESTED,)
    return tuple(changed_since_attestation(recorded, attested_facts(dossier)))


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
        # whether it may be sent depends on integrity, not on who issued the key
        report: SignatureReport | None = verify_signature(pdf, trust=False)
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
    recorded = summary.get("attested")
    if not isinstance(recorded, dict):
        problems.append(NOT_ATTESTED)
    else:
        problems += changed_since_attestation(recorded, attested_facts(dossier))
    photo_hashes = {
        item.get("role"): item.get("sha256")
        for item in summary.get("photos", [])
        if isinstance(item, dict)
    }
    for role, photo in photos.items():
        if photo.prepared is not None and photo_hashes.get(role.value) != photo.sent_facts.sha256:
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
