"""`linkytool tui` and `linkytool serve` (placeholder, filled in by the UI work)."""

from __future__ import annotations

import click


@click.command()
@click.argument("dossier", required=False)
@click.option("--demo", is_flag=True, help="Simulateur de compteur et exemples fournis.")
def tui(dossier: str | None, demo: bool) -> None:
    """Ouvre l'interface de mise en service."""
    raise click.UsageError("L'interface n'est pas encore disponible.")


@click.command()
def serve() -> None:
    """Sert l'interface dans un navigateur (localhost)."""
    raise click.UsageError("L'interface web n'est pas encore disponible.")
