"""Auto-MES (self-commissioning) dossier: model, prerequisites, attestation, pack.

Front ends call the service layer, :mod:`linkytool.mes.service` (one function per user
action on a dossier file, typed results). The pure building blocks are exported here
(pure functions unless they say they read files):
- dossier files: :func:`new_dossier_text`, :func:`load_dossier`, :func:`save_dossier`,
  :func:`parse_dossier_text`, :func:`render_dossier`;
- readings: :func:`record_reading`, :func:`readings_from_tic`, :func:`reading_from_photo`;
- decoupling test: :func:`record_decoupling_test`, :func:`evaluate_decoupling_test`,
  :func:`assess_setting_name`;
- prerequisites: :data:`RULES`, :func:`check_prerequisites` (reads the photos),
  :func:`evaluate_rules` (pure), :class:`RuleOutcome`, :class:`CheckSettings`;
- attestation: :func:`build_attestation` (reads the photos) and
  :func:`build_attestation_pdf` (pure), :func:`sign_pdf`, :func:`verify_signature`;
- pack: :func:`build_pack`, :func:`pack_files` (pure), :func:`enedis_message`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linkytool.mes.decoupling import (
    DecouplingTestResult,
    assess_setting_name,
    evaluate_decoupling_test,
    record_decoupling_test,
)
from linkytool.mes.errors import (
    DossierError,
    DossierPhotoError,
    MesError,
    PrerequisitesError,
    SigningError,
    ValidationIssue,
    VerificationError,
    VerifyInputError,
)
from linkytool.mes.message import enedis_message
from linkytool.mes.model import (
    AgreementKind,
    ConnectionOption,
    ConsuelColour,
    DecouplingLocation,
    Dossier,
    Inverter,
    MeterType,
    Reading,
    ReadingField,
    ReadingSource,
)
from linkytool.mes.pack import PackResult, build_pack, pack_files
from linkytool.mes.readings import reading_from_photo, readings_from_tic, record_reading
from linkytool.mes.rules import (
    RULES,
    CheckSettings,
    Rule,
    RuleOutcome,
    RuleStatus,
    check_prerequisites,
    evaluate_rules,
)
from linkytool.mes.service import (
    AttestationRequest,
    BuiltAttestation,
    VerificationResult,
    build_attestation,
)
from linkytool.mes.signing import sign_pdf, verify_signature
from linkytool.mes.store import (
    load_dossier,
    new_dossier_text,
    parse_dossier_text,
    render_dossier,
    save_dossier,
)
from linkytool.mes.submission import SubmittedPhoto, load_submitted_photos

if TYPE_CHECKING:
    from linkytool.mes.attestation import AttestationInputs, build_attestation_pdf

#: Exported names loaded on first use: the PDF layout loads reportlab (0.1-0.3 s), which
#: reading, checking or packing a dossier never needs.
_LAZY = {
    "AttestationInputs": "linkytool.mes.attestation",
    "build_attestation_pdf": "linkytool.mes.attestation",
}


def __getattr__(name: str) -> Any:
    """Load a lazily exported name (PEP 562)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RULES",
    "AgreementKind",
    "AttestationInputs",
    "AttestationRequest",
    "BuiltAttestation",
    "CheckSettings",
    "ConnectionOption",
    "ConsuelColour",
    "DecouplingLocation",
    "DecouplingTestResult",
    "Dossier",
    "DossierError",
    "DossierPhotoError",
    "Inverter",
    "MesError",
    "MeterType",
    "PackResult",
    "PrerequisitesError",
    "Reading",
    "ReadingField",
    "ReadingSource",
    "Rule",
    "RuleOutcome",
    "RuleStatus",
    "SigningError",
    "SubmittedPhoto",
    "ValidationIssue",
    "VerificationError",
    "VerificationResult",
    "VerifyInputError",
    "assess_setting_name",
    "build_attestation",
    "build_attestation_pdf",
    "build_pack",
    "check_prerequisites",
    "enedis_message",
    "evaluate_decoupling_test",
    "evaluate_rules",
    "load_dossier",
    "load_submitted_photos",
    "new_dossier_text",
    "pack_files",
    "parse_dossier_text",
    "reading_from_photo",
    "readings_from_tic",
    "record_decoupling_test",
    "record_reading",
    "render_dossier",
    "save_dossier",
    "sign_pdf",
    "verify_signature",
]
