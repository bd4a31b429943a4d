"""`linkytool tic` commands (placeholder group, filled in by the tic feature work)."""

from __future__ import annotations

import click


@click.group()
def tic() -> None:
    """Télé-information client (TIC) : lire, enregistrer, décoder, simuler."""
