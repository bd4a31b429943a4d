"""Is this attestation PDF the one to send for this dossier? (pure over PDF bytes)

The pack sends exactly the attestation the user produced. An attestation is accepted
when it is a final one (not a draft), made for this dossier as it is now (every field it
prints unchanged since: :func:`~linkytool.mes.attestation.attested_facts`; the hashes of
the photos about to be sent), signed the way it says, and either byte for
byte the one recorded in the dossier or carrying PAdES signatures that all verify (so a
change after production would show). Everything else is refused with the reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from linkytool.fileio import user_path
from linkytool.mes.attested import attested_facts
from linkytool.mes.errors import VerifyInputError
from linkytool.mes.model import Dossier, ReadingField, SignatureKind
from linkytool.mes.photos import PhotoFacts, sha256_bytes
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


class ChangeKind(StrEnum):
    """What changed since the attestation (stable identifiers: JSON and CSV say them)."""

    #: A field the attestation prints (« section – field ») says something else now.
    FIELD = "field"
    #: A photo to send is not the one the attestation hashed (replaced, edited, gone).
    PHOTO = "photo"
    #: The attestation itself cannot be compared (unreadable, or says nothing of it).
    ATTESTATION = "attestation"


@dataclass(frozen=True)
class AttestationChange:
    """One thing the recorded attestation says that the dossier no longer does: it must be
    produced again. ``text`` is the French line every front end shows."""

    kind: ChangeKind
    #: The field as the attestation prints it (« 6. Mise en service – Index … »), the
    #: photo's role (``prm``, ``date``, ``injection_index``), "" for the attestation.
    field: str
    attested: str  # what the attestation says ("" when it says nothing of it)
    current: str  # what the dossier says now ("" when it no longer says anything)
    text: str


def field_changes(
    recorded: Mapping[str, Any], current: Mapping[str, str]
) -> list[AttestationChange]:
    """One change per field whose printed text differs between the attestation
    (``recorded``: its embedded :func:`attested_facts`) and the dossier now (``current``)."""
    changes = []
    for key in dict.fromkeys([*recorded, *current]):
        old, new = str(recorded.get(key, "—")), current.get(key, "—")
        if old != new:
            text = f"{key} : « {old} » sur l'attestation, « {new} » dans le dossier"
            changes.append(AttestationChange(ChangeKind.FIELD, key, old, new, text))
    return changes


def photo_changes(
    summary: Mapping[str, Any],
    photos: Mapping[ReadingField, PhotoFacts],
    *,
    key: str = "sha256",
) -> list[AttestationChange]:
    """One change per photo of ``photos`` whose hash is not the one the attestation
    recorded under ``key``: ``sha256``, of the photo as sent (``photos`` prepared: the
    pack's comparison), or ``original_sha256``, of the file as the dossier holds it
    (``photos`` as found: no photo prepared again)."""
    hashes = {
        item.get("role"): str(item.get(key) or "")
        for item in summary.get("photos", [])
        if isinstance(item, dict)
    }
    changes = []
    for role, facts in photos.items():
        now = facts.sha256 or ""
        if hashes.get(role.value, "") != now:
            shown = user_path(facts.path) if facts.path is not None else facts.declared
            text = (
                f"la photo « {SCREEN_TITLES[role]} » ({shown}) n'est pas celle de "
                "l'attestation (remplacée ou modifiée depuis)"
            )
            changes.append(
                AttestationChange(
                    ChangeKind.PHOTO, role.value, hashes.get(role.value, ""), now, text
                )
            )
    return changes


def changed_since_attestation(recorded: Mapping[str, Any], current: Mapping[str, str]) -> list[str]:
    """French lines, one per field whose printed text differs (:func:`field_changes`), at
    most :data:`MAX_CHANGES_LISTED` then counted (the pack's and signature's refusals)."""
    changed = field_changes(recorded, current)
    lines = [change.text for change in changed[:MAX_CHANGES_LISTED]]
    if len(changed) > MAX_CHANGES_LISTED:
        others = len(changed) - MAX_CHANGES_LISTED
        lines.append(
            f"… et {french_count(others, 'autre champ modifié', 'autres champs modifiés')}"
        )
    return lines


def unverifiable(text: str) -> AttestationChange:
    """The attestation cannot be compared with the dossier (French ``text`` says why)."""
    return AttestationChange(ChangeKind.ATTESTATION, "", "", "", text)


#: Prepares the dossier's photos as the pack sends them (``keep_gps``) when asked.
PreparePhotos = Callable[[bool], Mapping[ReadingField, SubmittedPhoto]]


def dossier_changes(
    pdf: bytes,
    dossier: Dossier,
    originals: Mapping[ReadingField, PhotoFacts] | None = None,
    prepare: PreparePhotos | None = None,
) -> tuple[AttestationChange, ...]:
    """Everything that changed in ``dossier`` since the attestation ``pdf`` was produced:
    every field it prints, and every photo it hashed. Empty when it still says what the
    dossier says. The photos are compared by the hashes of their files (``originals``,
    as found) when the attestation recorded them, else (an attestation produced before
    it did) prepared again as sent (``prepare``). The pack's own comparison
    (:func:`check_attestation`) is made of the same two functions."""
    try:
        summary = read_embedded_summary(pdf)
    except VerifyInputError as exc:
        return (unverifiable(exc.message),)
    recorded = summary.get("attested") if summary is not None else None
    if summary is None or not isinstance(recorded, dict):
        return (unverifiable(NOT_ATTESTED),)
    changes = field_changes(recorded, attested_facts(dossier))
    entries = [item for item in summary.get("photos", []) if isinstance(item, dict)]
    if originals is not None and all("original_sha256" in item for item in entries):
        usable = {role: facts for role, facts in originals.items() if facts.usable}
        changes += photo_changes(summary, usable, key="original_sha256")
    elif prepare is not None:
        sent = prepare(bool(summary.get("keep_gps")))
        changes += photo_changes(summary, _sent(sent))
    return tuple(changes)


def _sent(photos: Mapping[ReadingField, SubmittedPhoto]) -> dict[ReadingField, PhotoFacts]:
    """The facts of the photos the pack would send (prepared ones only)."""
    return {role: photo.sent_facts for role, photo in photos.items() if photo.prepared}


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
    problems += [change.text for change in photo_changes(summary, _sent(photos))]
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
