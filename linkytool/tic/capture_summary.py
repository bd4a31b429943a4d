"""A capture file's summary, for the features that take a capture as evidence (the
dossier's TIC readings, the photo cross-check): a file with no valid group is refused
as no capture, never summarised as a meter that said nothing.

A valid *group* is the unit of evidence, not a valid frame: one damaged group costs that
group only (``shared/docs/tic.md``), so a capture whose every frame holds one bad group
still gives its PRM, date and indexes, each from groups whose checksum is right (see
:func:`linkytool.tic.summary.summarize`)."""

from __future__ import annotations

import os

from linkytool.tic.capture import read_capture
from linkytool.tic.errors import CaptureError
from linkytool.tic.summary import MeterReading, summarize


def summarize_capture(path: str | os.PathLike[str]) -> MeterReading:
    """The summary of the capture at ``path``; :class:`CaptureError` when no group of it
    is valid (a photo, a CSV, bytes too damaged: no evidence of any meter)."""
    summary = summarize(read_capture(path))
    if not summary.groups_ok:
        raise CaptureError(
            f"{os.fspath(path)} n'est pas une capture TIC : aucun groupe valide (somme de "
            "contrôle juste) n'y a été trouvé.",
            hint="Donnez l'enregistrement de linkytool tic read --record, un fichier .bin "
            "brut ou un extrait texte de la TIC.",
        )
    return summary
