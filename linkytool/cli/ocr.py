"""`linkytool ocr`: read the PRM, current-date and injection-index screens from photos.

Each photo is read independently (an unreadable photo does not stop the others); the
exit code says whether every value can be used as is: 0 all confident, 1 some value to
confirm or a cross-check disagreement, 3 a photo could not be read at all, 5 tesseract
missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from linkytool.cli.output import format_option, is_interactive_stderr
from linkytool.cli.output import warn as print_warning
from linkytool.errors import ExitCode
from linkytool.fileio import atomic_write_bytes
from linkytool.ocr import CheckStatus, PhotoError, PhotoReading, cross_check, read_photo
from linkytool.textfmt import dumps_json, render_table

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


def _table_row(reading: PhotoReading) -> dict[str, Any]:
    return {
        "photo": reading.path.name,
        "screen_label": reading.screen_label,
        "value": reading.value or "",
        "confidence": f"{reading.confidence:.0%}",
        "status": _status(reading),
        "candidates": ", ".join(reading.candidates),
        "notes": " ".join(reading.warnings),
    }


def _crop_name(directory: Path, photo: Path, used: set[str]) -> Path:
    name = f"{photo.stem}-ecran.png"
    index = 2
    while name in used:
        name = f"{photo.stem}-{index}-ecran.png"
        index += 1
    used.add(name)
    return directory / name


@click.command(name="ocr")
@click.argument("photos", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option("table", "json")
@click.option(
    "--tic",
    "tic_capture",
    type=click.Path(dir_okay=False, path_type=Path),
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
    photos: tuple[Path, ...], output_format: str, tic_capture: Path | None, crops_dir: Path | None
) -> None:
    """Lire les écrans du Linky sur des photos : numéro PRM, date courante, index injection.

    Pour chaque photo : l'écran reconnu, la valeur lue, la confiance et, si la lecture
    n'est pas sûre, « à confirmer » avec les autres lectures possibles. Avec --tic, le PRM,
    l'index injection et la date sont comparés à la téléinformation.

    Code de sortie : 0 toutes les valeurs sont sûres ; 1 une valeur est à confirmer, une
    photo ne montre pas l'un des trois écrans ou une vérification est en désaccord ; 3 une
    photo est illisible ; 5 tesseract absent.
    """
    tic = None
    if tic_capture is not None:
        from linkytool.tic import read_capture, summarize

        tic = summarize(read_capture(tic_capture))

    readings: list[PhotoReading] = []
    failures: list[dict[str, Any]] = []
    progress = is_interactive_stderr() and len(photos) > 1
    for number, photo in enumerate(photos, start=1):
        if progress:
            print_warning(f"Lecture {number}/{len(photos)} : {photo.name}…")
        try:
            readings.append(read_photo(photo))
        except PhotoError as error:
            failures.append({"path": str(photo), "error": error.message, "hint": error.hint})
            print_warning(f"Erreur : {error}")

    if crops_dir is not None:
        used: set[str] = set()
        for reading in readings:
            if reading.crop is not None:
                atomic_write_bytes(_crop_name(crops_dir, reading.path, used), reading.crop)

    checks = cross_check(readings, tic) if readings else []

    if output_format == "json":
        click.echo(
            dumps_json(
                {
                    "photos": [r.as_dict() for r in readings],
                    "errors": failures,
                    "cross_checks": [c.as_dict() for c in checks],
                }
            )
        )
    else:
        if readings:
            click.echo(render_table([_table_row(r) for r in readings], PHOTO_COLUMNS))
        if checks:
            click.echo()
            click.echo(
                render_table(
                    [{"status": CHECK_LABELS[c.status], "message": c.message} for c in checks],
                    CHECK_COLUMNS,
                )
            )

    if failures:
        raise SystemExit(int(ExitCode.BAD_INPUT))
    # a photo without one of the three values (other screen, no Linky) answers "no" too
    unsure = any(r.to_confirm or r.value is None for r in readings)
    disagreement = any(c.status == CheckStatus.MISMATCH for c in checks)
    if unsure or disagreement:
        raise SystemExit(int(ExitCode.NOT_SATISFIED))
