"""Write the output files of one run as a set: all or nothing, swapped in at once.

Every file goes first into a fresh private folder (``mkdtemp``: unpredictable name, mode
0700) next to the output folder. Only when the whole set is written does it replace the
previous one:

- when the output folder is new or holds nothing but a previous set of ours, the staging
  folder takes its place in one step (``renameat2(RENAME_EXCHANGE)``, or a plain rename
  when there is nothing to replace) and the previous set is deleted afterwards;
- when the folder holds other files of the user (their inputs, the demo's ``inputs/``...),
  the staging folder is created inside it and the new files are moved in one by one (each
  rename is atomic), then the files of the previous set that the new one does not have are
  removed; Ctrl+C and SIGTERM are held back during those few renames.

On an error or Ctrl+C before that point the staging folder is deleted and the previous set
is untouched: no mix of old and new files is ever left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from linkytool.errors import OutputError, describe_os_error
from linkytool.fileio import current_umask, exchange_paths, fsync_directory

#: Names of the entries of an output set (acc-files.md).
OUTPUT_ENTRY = re.compile(
    r"(participants|allocations|curves|operation)\.csv|production\.png|report\.json"
    r"|ACC\d{8}_\d{8}_\d{8}\.xlsx|enedis"
)
#: Files of the ``enedis`` folder.
ENEDIS_ENTRY = re.compile(
    r"(consumption|self_consumed|complement|injection|self_produced|surplus)\.csv"
)
STAGING_PREFIX = ".acc-"


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM back (main thread only), then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous: dict[signal.Signals, Any] = {}
    for held in (signal.SIGINT, signal.SIGTERM):
        previous[held] = signal.signal(held, hold)
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        if caught:
            if caught[0] == signal.SIGINT:
                raise KeyboardInterrupt
            os.kill(os.getpid(), caught[0])


def check_target(directory: str | Path) -> None:
    """Refuse at once an output folder that cannot be one (a NUL byte in its name, an
    existing file), before any input is read."""
    if "\x00" in os.fspath(directory):
        raise OutputError(
            "Chemin de sortie invalide : il contient un octet nul.",
            hint="Vérifiez le nom du dossier de résultats.",
        )
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"{target} est un fichier : il faut un dossier pour les résultats.",
            hint="Donnez le nom d'un dossier (il sera créé s'il n'existe pas).",
        )


def is_ours(name: str) -> bool:
    """Whether a directory entry belongs to an output set (or is a staging leftover)."""
    return bool(OUTPUT_ENTRY.fullmatch(name)) or name.startswith(STAGING_PREFIX)


def _refuse_results_not_ours(target: Path, entries: list[str]) -> None:
    """Refuse a folder holding files named as results (``allocations.csv``...) without a
    ``report.json`` written by linkytool: they are the user's, and a run would replace
    them (a previous run of ours always ends with its report)."""
    named = sorted(
        name for name in entries if OUTPUT_ENTRY.fullmatch(name) and name != "report.json"
    )
    if not named:
        return
    with contextlib.suppress(OSError, ValueError):
        report = json.loads((target / "report.json").read_text(encoding="utf-8"))
        if isinstance(report, dict) and str(report.get("tool", "")).startswith("linkytool"):
            return
    shown = ", ".join(named[:4]) + (" …" if len(named) > 4 else "")
    raise OutputError(
        f"{target} contient des fichiers au nom de résultats ({shown}) qui ne viennent pas "
        "d'un calcul linkytool (pas de report.json de linkytool) : rien n'a été remplacé.",
        hint="Choisissez un autre dossier de résultats (-o), ou déplacez ces fichiers.",
    )


class OutputSet:
    """A set of output files written into a staging folder, then swapped in (see module).

    Use as a context manager: :meth:`path` gives where to write each file, :meth:`commit`
    swaps the set in; leaving the block without committing (an error, Ctrl+C) deletes the
    staging folder and leaves the previous set as it was. A symbolic link to a folder is
    followed: the set goes into the folder it points to, the link stays a link.
    """

    def __init__(self, directory: str | Path) -> None:
        target = Path(directory)
        with contextlib.suppress(OSError, ValueError):
            if target.is_symlink():
                target = target.resolve()
        self.target = target
        self.staging: Path | None = None
        self.whole = False
        self.committed = False

    def __enter__(self) -> OutputSet:
        target = self.target
        try:
            if target.exists() and not target.is_dir():
                raise OutputError(
                    f"{target} est un fichier : il faut un dossier pour les résultats.",
                    hint="Donnez le nom d'un dossier (il sera créé s'il n'existe pas).",
                )
            entries = [entry.name for entry in target.iterdir()] if target.exists() else []
            _refuse_results_not_ours(target, entries)
            self.whole = all(is_ours(name) for name in entries)
            if self.whole:
                parent = target.absolute().parent
                parent.mkdir(parents=True, exist_ok=True)
                self.staging = Path(
                    tempfile.mkdtemp(prefix=f".{target.name}{STAGING_PREFIX}", dir=parent)
                )
            else:
                self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
        except OSError as exc:
            reason = (
                "un élément du chemin est un fichier, pas un dossier"
                if isinstance(exc, FileExistsError | NotADirectoryError)
                else describe_os_error(exc)
            )
            raise OutputError(
                f"Impossible d'écrire dans le dossier {target} : {reason}.",
                hint="Vérifiez que le dossier est accessible en écriture et que le disque "
                "n'est pas plein.",
            ) from exc
        except ValueError as exc:  # NUL byte in the path
            raise OutputError(
                f"Chemin de sortie invalide ({exc}).", hint="Vérifiez le nom du dossier."
            ) from exc
        return self

    def path(self, name: str) -> Path:
        """Where to write ``name`` (relative, e.g. ``enedis/surplus.csv``) in the set."""
        assert self.staging is not None, "use OutputSet as a context manager"
        return self.staging / name

    def final_path(self, name: str) -> Path:
        """Where ``name`` will be once the set is committed."""
        return self.target / name

    def commit(self) -> None:
        """Swap the written set in place of the previous one (see the module doc)."""
        assert self.staging is not None
        staging = self.staging
        try:
            with _signals_held():
                if self.whole:
                    self._commit_whole(staging)
                else:
                    self._commit_files(staging)
                self.committed = True
                self._cleanup(staging)
        except OSError as exc:
            raise OutputError(
                f"Impossible de mettre les résultats en place dans {self.target} : "
                f"{describe_os_error(exc)}.",
                hint="Les résultats précédents sont intacts. Libérez de la place ou "
                "choisissez un autre dossier.",
            ) from exc

    def _commit_whole(self, staging: Path) -> None:
        target = self.target
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o777 & ~current_umask()
        os.chmod(staging, mode)
        if not target.exists():
            try:
                os.rename(staging, target)
            except OSError:
                pass  # created meanwhile: exchange below
            else:
                self.staging = None
                fsync_directory(target.absolute().parent)
                return
        if exchange_paths(staging, target):
            fsync_directory(target.absolute().parent)
            return  # the previous set is now in ``staging``: deleted by _cleanup
        self._commit_files(staging)

    def _commit_files(self, staging: Path) -> None:
        """Move the new entries in one by one; the previous set's leftovers go out."""
        target = self.target
        target.mkdir(parents=True, exist_ok=True)
        graveyard = staging / ".previous"
        graveyard.mkdir()
        new = {entry.name for entry in staging.iterdir() if entry.name != ".previous"}
        for name in sorted(new, key=lambda n: n == "report.json"):  # report.json last
            destination = target / name
            if (staging / name).is_dir() and destination.is_dir():
                self._replace_folder(staging / name, destination, graveyard)
            else:
                os.replace(staging / name, destination)
        for entry in list(target.iterdir()):
            if entry.name not in new and OUTPUT_ENTRY.fullmatch(entry.name):
                if entry.is_dir():
                    self._empty_folder(entry, graveyard)
                else:
                    os.replace(entry, graveyard / entry.name)
        fsync_directory(target)

    @staticmethod
    def _replace_folder(source: Path, destination: Path, graveyard: Path) -> None:
        """``enedis/``: our files replaced, the user's own files in it kept."""
        for entry in destination.iterdir():
            if ENEDIS_ENTRY.fullmatch(entry.name) and not (source / entry.name).exists():
                os.replace(entry, graveyard / f"enedis-{entry.name}")
        for entry in source.iterdir():
            os.replace(entry, destination / entry.name)

    @staticmethod
    def _empty_folder(folder: Path, graveyard: Path) -> None:
        for entry in folder.iterdir():
            if ENEDIS_ENTRY.fullmatch(entry.name):
                os.replace(entry, graveyard / f"{folder.name}-{entry.name}")
        with contextlib.suppress(OSError):
            folder.rmdir()

    def _cleanup(self, staging: Path | None) -> None:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        self.staging = None

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            self._cleanup(self.staging)
