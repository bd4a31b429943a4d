"""`linkytool ocr` commands (placeholder group, filled in by the ocr feature work)."""

from __future__ import annotations

import click


@click.group()
def ocr() -> None:
    """Lire les écrans du Linky sur des photos (PRM, date courante, index injection)."""
