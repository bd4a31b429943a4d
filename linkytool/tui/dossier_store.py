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
    """The dossier file being edited and its loaded model.

    Every change goes through :mod:`linkytool.mes.service` (or its
    :func:`~linkytool.mes.store.update_dossier` for field edits): read from disk,
    changed and saved under the dossier's lock, so an edit made meanwhile by another
    program (a text editor, ``linkytool mes``) is kept, never overwritten.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.dossier: Any = None
        #: The last load error (the file is invalid), shown by the Prérequis screen.
        self.load_error: LinkytoolError | None = None
        self._lock = threading.RLock()

    @property
    def base_dir(self) -> Path:
        """Directory relative paths in the dossier are resolved from."""
        return self.path.parent if self.path is not None else Path.cwd()

    def photo_paths(self, slots: tuple[str, ...]) -> dict[str, Path]:
        """The photos the dossier names for ``slots`` (absolute paths), those named only.

        From the loaded dossier when there is one; before that, from the file's
        ``[photos]`` table alone (``tomllib``): the full load imports all of
        ``linkytool.mes``, about 0.3 s, which would hold back the reading of the photos
        at start-up. An unreadable file names none (the Prérequis screen says why).
        """
        if self.path is None:
            return {}
        if self.dossier is not None:
            named = {slot: getattr(self.dossier.photos, slot, "") for slot in slots}
        else:
            import tomllib

            try:
                table = tomllib.loads(self.path.read_text(encoding="utf-8")).get("photos", {})
            except (OSError, ValueError):
                return {}
            named = table if isinstance(table, dict) else {}
        return {
            slot: (self.base_dir / relative).resolve()
            for slot in slots
            if isinstance(relative := named.get(slot), str) and relative
        }

    def require_path(self) -> Path:
        """The dossier's path, or a French error saying how to open one."""
        if self.path is None:
            raise NoDossierError(
                "Aucun dossier d'auto-mise en service n'est ouvert.",
                hint="Ouvrez ou créez-en un dans l'onglet Prérequis (F4).",
            )
        return self.path

    def require(self) -> Any:
        """Return the loaded dossier or raise a French error saying how to get one."""
        self.require_path()
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
                self.dossier = load_dossier(self.path)
                self.load_error = None
            except LinkytoolError as error:
                self.load_error = error
                raise
            return self.dossier

    def create(self, path: Path) -> Any:
        """Create a new dossier from the commented template at ``path`` and open it."""
        from linkytool.mes import service
        from linkytool.mes.errors import DossierExistsError

        try:
            service.new_dossier(path)
        except DossierExistsError as error:
            raise NoDossierError(error.message, hint="Ouvrez-le plutôt que de le créer.") from error
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

    def _after(self, dossier: Any = None) -> Any:
        """Keep the model the service left on disk."""
        self.dossier = dossier if dossier is not None else self.load()
        return self.dossier

    def update(self, change: Callable[[Any], Any]) -> Any:
        """Apply ``change`` to the dossier as it is on disk now (it may mutate it or return
        a new one), then save, all under the dossier's lock."""
        from linkytool.mes.store import update_dossier

        path = self.require_path()

        def apply(current: Any) -> Any:
            result = change(current)
            return result if result is not None and type(result) is type(current) else current

        with self._lock:
            return self._after(update_dossier(path, apply))

    def relative(self, path: Path) -> str:
        """``path`` as the dossier stores it (relative to the dossier's directory)."""
        from linkytool.mes.service import dossier_relative

        return dossier_relative(self.base_dir, path)

    def set_photo(self, field: str, path: Path) -> Any:
        """Point the dossier's photo ``field`` (prm, date, injection_index) at ``path``."""
        relative = self.relative(path)

        def change(dossier: Any) -> Any:
            setattr(dossier.photos, field, relative)
            return dossier

        return self.update(change)

    def record_photo(
        self, field: str, photo: Path, reading: Any, *, value: str | None, confirmed: bool
    ) -> Any:
        """Record a value read on (or typed from) a photo: ``linkytool.mes.service.record_photo``,
        the same route as ``linkytool mes import-photos``. Returns its result."""
        from linkytool.mes import service

        path = self.require_path()
        with self._lock:
            result = service.record_photo(
                path, field, photo, reading, value=value, confirmed=confirmed
            )
            self._after()
        return result

    def record_tic(self, reading: Any, capture: Path | None) -> Any:
        """Record the PRM, meter date (and EAIT in producer mode) read over TIC."""
        from linkytool.mes import service

        path = self.require_path()
        with self._lock:
            result = service.record_tic_reading(path, reading, capture=capture)
            self._after()
        return result

    def record_test(self, changes: Any, *, overwrite: bool = False) -> Any:
        """Record steps of the decoupling test (``service.record_decoupling_test``)."""
        from linkytool.mes import service

        path = self.require_path()
        with self._lock:
            record = service.record_decoupling_test(path, changes, overwrite=overwrite)
            self._after()
        return record

    def confirmed_values(self) -> dict[str, str]:
        """The values confirmed in earlier sessions on the dossier's current photos (or
        typed without one), per field (``linkytool.mes.service.confirmed_photo_values``);
        none without a dossier."""
        from linkytool.mes import service

        if self.path is None:
            return {}
        with self._lock:
            return service.confirmed_photo_values(self.path)

    def check(self) -> Any:
        """Evaluate the prerequisites (``linkytool.mes.service.check``: its
        ``CheckResult``)."""
        from linkytool.mes import service

        return service.check(self.require_path())


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
