"""The UI's handle on the auto-MES dossier: load, change, save atomically, check.

All dossier logic (validation, readings history, rules, attestation, pack) is in
``linkytool.mes``; this class only keeps the loaded object and the file path together so
every pane edits the same dossier, and saves after each change (``save_dossier`` writes
atomically). ``linkytool.mes`` is imported on first use to keep start-up fast.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linkytool.errors import LinkytoolError


class NoDossierError(LinkytoolError):
    """An action needs a dossier and none is open."""


class DossierStore:
    """The dossier file being edited and its loaded model."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.dossier: Any = None
        #: The last load error (the file is invalid), shown by the Prérequis screen.
        self.load_error: LinkytoolError | None = None
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.RLock()

    @property
    def base_dir(self) -> Path:
        """Directory relative paths in the dossier are resolved from."""
        return self.path.parent if self.path is not None else Path.cwd()

    def require(self) -> Any:
        """Return the loaded dossier or raise a French error saying how to get one."""
        if self.path is None:
            raise NoDossierError(
                "Aucun dossier d'auto-mise en service n'est ouvert.",
                hint="Ouvrez ou créez-en un dans l'onglet Prérequis (F4).",
            )
        if self.dossier is None:
            self.load()
        if self.dossier is None:
            raise self.load_error or NoDossierError(f"Dossier illisible : {self.path}.")
        return self.dossier

    def load(self) -> Any:
        """(Re)load the dossier from its file; errors are kept in :attr:`load_error`."""
        from linkytool.mes.store import load_dossier

        with self._lock:
            if self.path is None:
                return None
            try:
                stamp = self._file_stamp()
                self.dossier = load_dossier(self.path)
                self.load_error = None
                self._stamp = stamp
            except LinkytoolError as error:
                self.load_error = error
                raise
            return self.dossier

    def create(self, path: Path) -> Any:
        """Create a new dossier from the commented template at ``path`` and open it."""
        from linkytool.fileio import atomic_write_text
        from linkytool.mes.store import new_dossier_text

        if path.exists():
            raise NoDossierError(
                f"Le fichier {path} existe déjà.", hint="Ouvrez-le plutôt que de le créer."
            )
        atomic_write_text(path, new_dossier_text())
        self.path = path
        return self.load()

    def open(self, path: Path) -> Any:
        """Open an existing dossier file."""
        if not path.is_file():
            raise NoDossierError(
                f"Le dossier {path} n'existe pas.", hint="Vérifiez le chemin ou créez-le."
            )
        self.path = path
        self.dossier = None
        return self.load()

    def update(self, change: Callable[[Any], Any]) -> Any:
        """Apply ``change`` to the dossier (it may mutate it or return a new one), then save."""
        from linkytool.mes.store import save_dossier

        with self._lock:
            if self.dossier is not None and self._file_stamp() != self._stamp:
                # Edited elsewhere (a text editor, `linkytool mes`) since we read it:
                # start from the file's content so those edits are kept.
                self.load()
            dossier = self.require()
            result = change(dossier)
            if result is not None and type(result) is type(dossier):
                dossier = result
            assert self.path is not None
            save_dossier(dossier, self.path)
            self.dossier = dossier
            self._stamp = self._file_stamp()
            return dossier

    def _file_stamp(self) -> tuple[int, int] | None:
        """Modification time and size of the dossier file (None when absent)."""
        try:
            stat = self.path.stat() if self.path is not None else None
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size) if stat is not None else None

    def relative(self, path: Path) -> str:
        """``path`` relative to the dossier's directory when inside it (as the file keeps it)."""
        try:
            return str(path.resolve().relative_to(self.base_dir.resolve()))
        except ValueError:
            return str(path.resolve())

    def set_photo(self, field: str, path: Path) -> Any:
        """Point the dossier's photo ``field`` (prm, date, injection_index) at ``path``."""
        relative = self.relative(path)

        def change(dossier: Any) -> Any:
            setattr(dossier.photos, field, relative)
            return dossier

        return self.update(change)

    def record_photo_reading(
        self, field: str, value: str, photo: Any, path: Path | None, *, corrected: bool
    ) -> Any:
        """Record a value read on (or typed from) a photo, with its provenance."""
        from linkytool.mes.photos import sha256_file
        from linkytool.mes.readings import record_reading

        file = self.relative(path) if path is not None else None
        digest = sha256_file(path) if path is not None else None
        screen = str(getattr(getattr(photo, "screen", None), "value", "")) if photo else None
        confidence = None if corrected or photo is None else round(float(photo.confidence), 3)
        note = "valeur corrigée à la main d'après la photo" if corrected and photo else ""
        return self.update(
            lambda dossier: record_reading(
                dossier,
                field,
                value,
                "manual" if corrected else "photo",
                at=getattr(photo, "exif_time", None) if photo else None,
                confidence=confidence,
                file=file,
                sha256=digest,
                screen=screen or None,
                note=note,
            )
        )

    def record_tic(self, reading: Any, capture: Path | None) -> Any:
        """Record the PRM, meter date (and EAIT in producer mode) read over TIC."""
        from linkytool.mes.readings import readings_from_tic

        file = self.relative(capture) if capture is not None else None
        return self.update(lambda dossier: readings_from_tic(dossier, reading, capture=file))

    def check(self) -> list[Any]:
        """Evaluate the prerequisites (``linkytool.mes.check_prerequisites``)."""
        from linkytool.mes.rules import check_prerequisites

        dossier = self.require()
        return list(check_prerequisites(dossier, base_dir=self.base_dir))


class DossierEdits:
    """Field-level edits through ``linkytool.mes.schema`` (same checks as loading the file)."""

    def __init__(self, store: DossierStore) -> None:
        self.store = store

    def set_field(self, path: str, raw: Any, *, now: Any) -> list[Any]:
        """Set one dotted field from its raw (TOML-like) value and save; return its issues.

        The whole dossier goes through the schema (same conversion and checks as loading
        the file) but only the edited field is taken from the result, so a problem
        elsewhere never loses a value. Nothing is saved when the value is invalid: the
        issues (``ValidationIssue``) say why.
        """
        import copy

        from linkytool.mes.schema import dossier_from_data, dossier_to_data
        from linkytool.tui.screens.dossier_form import set_value, split_path

        dossier = self.store.require()
        data = dossier_to_data(dossier)
        set_value(data, path, raw)
        converted, issues = dossier_from_data(data, now=now)
        mine = [issue for issue in issues if issue.path == path]
        if mine:
            return mine
        *parents, name = split_path(path)

        def change(current: Any) -> Any:
            updated = copy.deepcopy(current)
            target: Any = updated
            source: Any = converted
            for key in parents:
                if isinstance(key, int):  # a list item: add it when it is new
                    while len(target) <= key:
                        target.append(copy.deepcopy(source[len(target)]))
                    target, source = target[key], source[key]
                else:
                    target, source = getattr(target, key), getattr(source, key)
            assert isinstance(name, str)
            setattr(target, name, getattr(source, name))
            return updated

        self.store.update(change)
        return []
