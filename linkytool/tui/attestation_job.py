"""Run the attestation and pack production of ``linkytool.mes`` for the UI (no Textual).

A small adapter so the Attestation pane's worker makes one call: ``linkytool.mes.attest``
checks the prerequisites and lays out (and optionally signs) the PDF, refusing with the
reasons unless a draft is asked for; ``linkytool.mes.build_pack`` writes the
Enedis-Connect pack. Files go to the chosen output directory, written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linkytool.fileio import atomic_write_bytes
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


@dataclass
class AttestationJob:
    """What the Attestation pane asked for."""

    store: DossierStore
    outdir: Path
    producer_signature: Path | None = None
    installer_signature: Path | None = None
    key: Path | None = None
    password: str | None = None
    now: datetime | None = None

    def run(self, *, draft: bool) -> AttestationOutput:
        """Produce the PDF (and the pack unless ``draft``).

        Raises ``linkytool.mes.PrerequisitesError`` (with ``reasons``) while a
        prerequisite fails and ``draft`` is False.
        """
        from linkytool.mes.pack import build_pack, default_screen_reader
        from linkytool.mes.schema import PARIS
        from linkytool.mes.service import attest

        dossier = self.store.require()
        now = (self.now or datetime.now(PARIS)).replace(microsecond=0)
        result = attest(
            dossier,
            base_dir=self.store.base_dir,
            draft=draft,
            producer_signature=self.producer_signature,
            installer_signature=self.installer_signature,
            pkcs12=self.key.read_bytes() if self.key is not None else None,
            pkcs12_password=self.password.encode() if self.password else None,
            now=now,
        )
        pdf = self.outdir / (DRAFT_NAME if draft else PDF_NAME)
        atomic_write_bytes(pdf, result.pdf)
        if draft:
            return AttestationOutput(pdf, None, (), result.signed)
        packed = build_pack(
            dossier,
            result.photos,
            result.pdf,
            self.outdir / PACK_NAME,
            screen_reader=default_screen_reader(),
            generated_at=now,
        )
        contents = [
            f"{item.name} ({_megabytes(item.size_bytes)}) — {item.description}"
            + (f" [{'; '.join(item.changes)}]" if item.changes else "")
            for item in packed.files
        ]
        contents += [f"⚠ {warning}" for warning in packed.warnings]
        return AttestationOutput(pdf, packed.destination, tuple(contents), result.signed)


def _megabytes(size: int) -> str:
    """1234567 -> '1,23 Mo' (French decimal comma)."""
    return f"{size / 1_000_000:.2f} Mo".replace(".", ",")
