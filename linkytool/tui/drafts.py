"""Keep what the user typed in any field, so closing or a crash loses nothing.

Every ``Input`` and ``TextArea`` with an id is mirrored into a small JSON draft file
(written atomically, debounced by the app) and restored at the next start. The dossier
itself is saved by its own screens; the draft covers what is not yet in the dossier
(a correction being typed, a path, an inverter message).
"""

from __future__ import annotations

import json
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
