"""What linkytool remembers between two sessions: the last dossier, adapter and folder.

A small JSON file in the user's configuration directory (``platformdirs``: e.g.
``~/.config/linkytool/etat.json`` on Linux), written atomically with
:mod:`linkytool.fileio`. A missing file is a first run; an unreadable or corrupt one is
ignored with a French notice (never an error: it only saves a few keystrokes).
No Textual here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

FILE_NAME = "etat.json"


def default_path() -> Path:
    """The state file in the user's configuration directory (platform convention)."""
    from platformdirs import user_config_path

    return user_config_path("linkytool", appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class Remembered:
    """The remembered values (paths and port as typed; ``None`` when never set)."""

    last_dossier: str | None = None
    last_port: str | None = None
    last_folder: str | None = None


@dataclass
class UiState:
    """The state file and its current values."""

    path: Path
    values: Remembered = field(default_factory=Remembered)

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[UiState, str | None]:
        """Read the state file; return it and a French notice when it had to be ignored."""
        path = path if path is not None else default_path()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path), None
        except (OSError, UnicodeDecodeError) as error:
            return cls(path), _ignored(path, str(getattr(error, "strerror", "") or error))
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("pas un objet JSON")
            known = {f.name for f in fields(Remembered)}
            values = Remembered(
                **{k: str(v) for k, v in data.items() if k in known and isinstance(v, str)}
            )
        except ValueError:
            return cls(path), _ignored(path, "contenu illisible")
        return cls(path, values), None

    def update(self, **changes: str | None) -> None:
        """Change some values and save the file atomically (only when something changed)."""
        values = replace(self.values, **changes)
        if values == self.values and self.path.exists():
            return
        from linkytool.fileio import atomic_write_text

        self.values = values
        data = {k: v for k, v in asdict(values).items() if v is not None}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _ignored(path: Path, reason: str) -> str:
    return (
        f"Fichier de préférences ignoré ({reason}) : {path}. Le dernier dossier et le "
        "dernier adaptateur ne sont pas rouverts ; il sera réécrit à la prochaine ouverture."
    )
