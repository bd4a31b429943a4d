"""Keep what the user typed in any field, so closing or a crash loses nothing.

Every ``Input`` and ``TextArea`` with an id is mirrored into a small JSON draft file
(written atomically, debounced by the app) and restored at the next start. The dossier
itself is saved by its own screens; the draft covers what is not yet in the dossier
(a correction being typed, a path, an inverter message).
"""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass
from pathlib import Path


class DraftStore:
    """Field id -> text, persisted in ``path`` (JSON, atomic)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.values: dict[str, str] = {}
        self._dirty = False
        if path is not None and path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                loaded = {}
            if isinstance(loaded, dict):
                self.values = {str(k): str(v) for k, v in loaded.items()}

    def set(self, field_id: str, value: str) -> None:
        """Remember ``value`` for ``field_id`` (saved at the next :meth:`flush`)."""
        if self.values.get(field_id) != value:
            self.values[field_id] = value
            self._dirty = True

    def discard(self, field_id: str) -> None:
        """Forget ``field_id``'s draft (its text is saved, or typed back to the saved one)."""
        if self.values.pop(field_id, None) is not None:
            self._dirty = True

    def get(self, field_id: str) -> str | None:
        return self.values.get(field_id)

    def flush(self) -> bool:
        """Write the drafts if they changed; return whether a write happened."""
        if not self._dirty or self.path is None:
            return False
        # imported on the first write: linkytool.fileio (ctypes, csv...) is not needed
        # before the first screen, which this store is built for
        from linkytool.fileio import atomic_write_text

        atomic_write_text(self.path, json.dumps(self.values, ensure_ascii=False, indent=1))
        self._dirty = False
        return True


@dataclass(frozen=True)
class UnsavedDrafts:
    """Why the drafts cannot be written, in French: a short ``status`` for a line of the
    screen while it lasts, the ``message`` said once, and what to do (``hint``)."""

    status: str
    message: str
    hint: str


_READ_ONLY = UnsavedDrafts(
    "dossier en lecture seule",
    "{folder} est en lecture seule : la saisie en cours n'y est pas gardée (elle sera "
    "perdue à la fermeture){dossier}.",
    "Copiez le dossier et ses photos dans un répertoire où vous pouvez écrire, puis "
    "ouvrez la copie (F4) ; ou rendez ce répertoire accessible en écriture.",
)

#: Why the drafts' folder refuses the write (errno of the cause) -> what to say.
UNSAVED_REASONS: dict[int, UnsavedDrafts] = {
    errno.EROFS: _READ_ONLY,
    errno.EACCES: _READ_ONLY,
    errno.EPERM: _READ_ONLY,
    errno.ENOSPC: UnsavedDrafts(
        "disque plein",
        "Le disque de {folder} est plein : la saisie en cours n'est pas gardée (elle sera "
        "perdue à la fermeture){dossier}.",
        "Libérez de la place : la saisie est de nouveau gardée aussitôt.",
    ),
}


def unsaved_drafts(error: BaseException, folder: Path, *, dossier: bool) -> UnsavedDrafts:
    """What to tell the user when the drafts cannot be written to ``folder`` (``dossier``:
    the dossier file is in that folder too, so it cannot be changed either)."""
    from linkytool.tui.errors import describe_error

    cause = error if isinstance(error, OSError) else error.__cause__
    known = UNSAVED_REASONS.get(cause.errno or 0) if isinstance(cause, OSError) else None
    if known is None:
        message, hint = describe_error(error)
        return UnsavedDrafts(
            "saisie non gardée",
            f"La saisie en cours ne peut pas être gardée : {message}",
            hint or "Vérifiez le répertoire du dossier.",
        )
    also = " et le dossier ne peut pas y être modifié" if dossier else ""
    return UnsavedDrafts(
        known.status, known.message.format(folder=folder, dossier=also), known.hint
    )
