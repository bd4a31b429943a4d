"""Run the attestation and pack production of ``linkytool.mes`` for the UI (no Textual).

A small adapter so the Attestation pane's worker calls one object: which prerequisites
block, then build the PDF (optionally signed) and the submission pack into a directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from linkytool.tui.dossier_store import DossierStore


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

    def blocking_reasons(self) -> list[str]:
        """French lines for each prerequisite that is not satisfied (empty: all good)."""
        reasons = []
        for outcome in self.store.check():
            if not outcome.satisfied:
                detail = getattr(outcome, "detail", "") or outcome.message
                reasons.append(f"{outcome.title} : {detail}")
        return reasons

    def run(self, *, draft: bool) -> tuple[Path, Path | None, list[str]]:
        """Write the PDF (and the pack unless ``draft``); return paths and pack contents."""
        raise NotImplementedError  # wired when linkytool.mes exposes attestation and pack

    def _unused(self) -> Any:  # pragma: no cover
        return None
