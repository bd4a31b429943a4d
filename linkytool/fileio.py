"""Atomic file writes shared by every module that saves user data.

A dossier, a recording's metadata or an output file is written to a temporary file in the
same directory, flushed and fsync'ed, then renamed over the target: a crash or a power cut
leaves either the old file or the new one, never a truncated mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from linkytool.errors import OutputError, describe_os_error


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename, dir fsync)."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        # mkdir(exist_ok=True) raises FileExistsError only for a file where a folder is due
        reason = (
            "un élément du chemin est un fichier, pas un dossier"
            if isinstance(exc, FileExistsError)
            else describe_os_error(exc)
        )
        raise OutputError(
            f"Impossible d'écrire dans le dossier {directory} : {reason}.",
            hint="Vérifiez que le dossier existe, qu'il est accessible en écriture "
            "et que le disque n'est pas plein.",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise OutputError(
            f"Impossible d'enregistrer {target} : {describe_os_error(exc)}.",
            hint="Le fichier précédent est intact. Libérez de la place ou choisissez "
            "un autre emplacement.",
        ) from exc
    _fsync_directory(directory)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode(encoding))


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; give a new one the usual 0666 & ~umask (mkstemp's 0600
    would hide outputs from the user's group)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_current_umask()


def _current_umask() -> int:
    """The process umask, read without changing it where Linux allows (os.umask() sets it
    process-wide for an instant, which other threads could observe)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _fsync_directory(directory: Path) -> None:
    """Persist the rename itself (POSIX); silently skipped where unsupported."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
