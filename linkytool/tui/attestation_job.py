"""The Attestation pane's work, over ``linkytool.mes.service`` (no Textual).

The pane makes one call: :meth:`AttestationJob.run` asks the service to produce the
attestation (``service.attest``: prerequisites checked, refused with the reasons unless a
draft is asked for, refused unsigned unless "to print and sign by hand" is chosen,
recorded in the dossier) and then the Enedis-Connect pack (``service.pack``: exactly
that attestation, the photos it hashed). The same functions as ``linkytool mes attest``
and ``linkytool mes pack``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linkytool.mes.model import SignatureKind
from linkytool.textfmt import french_megabytes
from linkytool.tui.dossier_store import DossierStore

#: File names in the output directory.
PDF_NAME = "attestation-auto-mes.pdf"
DRAFT_NAME = "attestation-BROUILLON.pdf"
PACK_NAME = "envoi-enedis-connect"


@dataclass(frozen=True)
class AttestationOutput:
    """What was produced: the PDF, the pack directory (None for a draft), its contents."""

    pdf: Path
    pack: Path | None
    contents: tuple[str, ...]
    signed: bool
    signature: SignatureKind | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class AttestationJob:
    """What the Attestation pane asked for."""

    store: DossierStore
    outdir: Path
    producer_signature: Path | None = None
    installer_signature: Path | None = None
    key: Path | None = None
    password: str | None = None
    by_hand: bool = False
    now: datetime | None = None

    def run(self, *, draft: bool) -> AttestationOutput:
        """Produce the PDF (and the pack unless ``draft``).

        Raises ``PrerequisitesError`` (with ``reasons``) while a prerequisite fails and
        ``draft`` is False, ``UnsignedAttestationError`` for a final attestation without
        any signature.
        """
        from linkytool.fileio import read_regular_file
        from linkytool.mes import service
        from linkytool.mes.schema import PARIS

        path = self.store.require_path()
        now = (self.now or datetime.now(PARIS)).replace(microsecond=0)
        key = None
        if self.key is not None:
            data = read_regular_file(self.key, limit=1_000_000, what="clé PKCS#12")
            key = service.SigningKey(data, self.password.encode() if self.password else None)
        pdf = self.outdir / (DRAFT_NAME if draft else PDF_NAME)
        result = service.attest(
            path,
            pdf,
            service.AttestationRequest(
                draft=draft,
                producer_signature=self.producer_signature,
                installer_signature=self.installer_signature,
                key=key,
                by_hand=self.by_hand,
                now=now,
            ),
        )
        self.store.load()
        if draft:
            return AttestationOutput(pdf, None, (), result.signed, None, result.warnings)
        outcome = service.pack(path, self.outdir / PACK_NAME, service.PackRequest(now=now))
        packed = outcome.pack
        contents = [
            f"{item.name} ({french_megabytes(item.size_bytes, 2)}) — {item.description}"
            + (f" [{'; '.join(item.changes)}]" if item.changes else "")
            for item in packed.files
        ]
        contents += [f"⚠ {warning}" for warning in packed.warnings]
        return AttestationOutput(
            pdf,
            packed.destination,
            tuple(contents),
            result.signed,
            result.signature,
            result.warnings,
        )


def _megabytes(size: int) -> str:
    """1234567 -> '1,23 Mo' (French decimal comma)."""
    return french_megabytes(size, 2)
