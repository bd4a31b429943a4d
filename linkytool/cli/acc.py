"""`linkytool acc` commands (placeholder group, filled in by the acc feature work)."""

from __future__ import annotations

import click


@click.group()
def acc() -> None:
    """Autoconsommation collective : prévisualiser la répartition d'Enedis."""
