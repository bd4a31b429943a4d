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


def test_demo_meter_is_opened_through_a_link_that_goes_with_it(tmp_path: Path) -> None:
    # The reader must never retry the pty's own name after the demo's simulator stopped
    # (the terminal closed: SIGHUP closes the session before the reader ends): that
    # number goes to the next pty opened on the machine (tests/tic/test_pty_identity.py).
    from linkytool.tic.serialio import names_a_pty
    from linkytool.tui.demo import prepare_demo

    session = prepare_demo(tmp_path)
    assert session.start_simulator is not None
    url = Path(session.start_simulator())
    try:
        assert url.parent == tmp_path and url.is_symlink()
        assert not names_a_pty(str(url)) and names_a_pty(str(url.resolve()))
    finally:
        session.close()
    assert not url.exists() and not url.is_symlink()
