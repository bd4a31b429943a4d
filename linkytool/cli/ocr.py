"""`linkytool ocr`: read the PRM, current-date and injection-index screens from photos.

Each photo is read independently (an unreadable photo does not stop the others); the
exit code says whether every value can be used as is: 0 all confident, 1 some value to
confirm or a cross-check disagreement, 3 a photo could not be read at all, 5 tesseract
missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linkytool.cli.output import format_option, is_interactive_stderr
from linkytool.cli.output import warn as print_warning
from linkytool.ocr import CheckStatus, PhotoReading, ScreenKind
from linkytool.textfmt import (
    dumps_json,
    french_index,
    french_percent,
    french_value,
    render_table,
)

if TYPE_CHECKING:  # the reader (numpy, Pillow: ~0.1 s) loads only to read photos
    from linkytool.ocr.service import PhotoBatch

PHOTO_COLUMNS = (
    ("photo", "Photo"),
    ("screen_label", "Écran"),
    ("value", "Valeur"),
    ("confidence", "Confiance"),
    ("status", "Statut"),
    ("candidates", "Autres lectures"),
    ("notes", "Remarques"),
)
CHECK_COLUMNS = (("status", "Vérification"), ("message", "Détail"))
CHECK_LABELS = {
    CheckStatus.OK: "ok",
    CheckStatus.MISMATCH: "DÉSACCORD",
    CheckStatus.UNAVAILABLE: "non vérifiable",
    CheckStatus.MISSING: "manquant",
}


def _status(reading: PhotoReading) -> str:
    if reading.to_confirm:
        return "à confirmer"
    if reading.value is not None:
        return "sûr"
    return "—"


def _shown(reading: PhotoReading, value: str | None) -> str:
    """A value as the installer reads it: ``20/11/2026 14:32``, ``12 kWh`` (JSON keeps
    the stored ISO date and digits)."""
    if not value:
        return ""
    if reading.screen is ScreenKind.INJECTION_INDEX:
        return french_index(value)
    return french_value(value)


def _table_row(reading: PhotoReading) -> dict[str, Any]:
    return {
        "photo": reading.path.name,
        "screen_label": reading.screen_label,
        "value": _shown(reading, reading.value),
        # no value, no confidence: "autre écran Linky, 100 %" read as a sure result
        "confidence": french_percent(reading.confidence, 0) if reading.value else "—",
        "status": _status(reading),
        "candidates": ", ".join(_shown(reading, value) for value in reading.candidates),
        "notes": " ".join(reading.warnings),
    }


def _render(batch: PhotoBatch, output_format: str) -> None:
    if output_format == "json":
        click.echo(dumps_json(batch.as_dict()))
        return
    if batch.readings:
        click.echo(render_table([_table_row(r) for r in batch.readings], PHOTO_COLUMNS))
    if batch.checks:
        click.echo()
        rows = [{"status": CHECK_LABELS[c.status], "message": c.message} for c in batch.checks]
        click.echo(render_table(rows, CHECK_COLUMNS))


# Plain strings, no click.Path checks: the loaders say in French what is wrong with a path
# (missing, a folder, a device, a NUL byte); a bad photo is bad input (exit 3), not usage.
@click.command(name="ocr")
@click.argument("photos", nargs=-1, required=True, type=str)
@format_option("table", "json")
@click.option(
    "--tic",
    "tic_capture",
    type=str,
    help="Capture TIC (.bin, enregistrement linkytool ou texte) pour vérifier le PRM, "
    "l'index (EAIT) et la date.",
)
@click.option(
    "--crops",
    "crops_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier où enregistrer l'image de l'écran lue sur chaque photo (PNG).",
)
def ocr(
    photos: tuple[str, ...], output_format: str, tic_capture: str | None, crops_dir: Path | None
) -> None:
    """Lire les écrans du Linky sur des photos : numéro PRM, date courante, index injection.

    Pour chaque photo : l'écran reconnu, la valeur lue, la confiance et, si la lecture
    n'est pas sûre, « à confirmer » avec les autres lectures possibles. Avec --tic, le PRM,
    l'index injection et la date sont comparés à la téléinformation.

    Code de sortie : 0 toutes les valeurs sont sûres ; 1 une valeur est à confirmer, une
    photo ne montre pas l'un des trois écrans ou une vérification est en désaccord ; 3 une
    photo est illisible ; 5 tesseract absent.
    """

    def progress(number: int, total: int, photo: Path) -> None:
        print_warning(f"Lecture {number}/{total} : {photo.name}…")

    from linkytool.ocr.service import read_photos

    show_progress = is_interactive_stderr() and len(photos) > 1
    batch = read_photos(
        [Path(photo) for photo in photos],
        tic_capture=Path(tic_capture) if tic_capture is not None else None,
        crops_dir=crops_dir,
        progress=progress if show_progress else None,
    )
    for failure in batch.failures:
        hint = f"\n→ {failure.hint}" if failure.hint else ""
        print_warning(f"Erreur : {failure.message}{hint}")
    _render(batch, output_format)
    if batch.exit_code:
        raise SystemExit(int(batch.exit_code))
