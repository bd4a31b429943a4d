"""The demo's copy of the samples holds every file its dossier reads."""

from __future__ import annotations

from pathlib import Path

from linkytool.mes import service
from linkytool.tui.demo import copy_samples


def test_demo_copy_has_every_file_the_dossier_reads(tmp_path: Path) -> None:
    # The demo dossier's PRM and date come from the TIC capture too (../tic/...): without
    # it, the Prérequis screen warned that the reading's file was missing.
    dossier = copy_samples(tmp_path)
    result = service.check(dossier)
    assert result.warnings == ()
    assert result.satisfied
