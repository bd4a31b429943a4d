"""Fixtures of the web front ends' tests: a dossier in a temporary folder, free ports."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkytool.intake import IntakeServer, IntakeSettings


@pytest.fixture
def dossier(tmp_path: Path, samples_dir: Path) -> Path:
    """A copy of the sample dossier, alone in its folder (the intake writes beside it)."""
    folder = tmp_path / "visite"
    folder.mkdir()
    target = folder / "dossier.toml"
    shutil.copyfile(samples_dir / "dossier" / "demo.toml", target)
    return target


@pytest.fixture
def intake_factory(dossier: Path) -> Iterator[object]:
    """Start an intake server on 127.0.0.1 for ``dossier`` (stopped after the test)."""
    servers: list[IntakeServer] = []

    def start(**options: object) -> IntakeServer:
        settings = options.pop("settings", None)
        server = IntakeServer(
            dossier,
            bind="127.0.0.1",
            settings=settings if isinstance(settings, IntakeSettings) else None,
            **options,  # type: ignore[arg-type]
        )
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
