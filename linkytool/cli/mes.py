"""`linkytool mes` commands (placeholder group, filled in by the mes feature work)."""

from __future__ import annotations

import click


@click.group()
def mes() -> None:
    """Dossier d'auto-mise en service : prérequis, attestation, dossier d'envoi."""
