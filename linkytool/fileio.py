"""File I/O shared by every module that reads or saves user data.

- :func:`atomic_write_bytes` / :func:`atomic_write_text`: a file is written to a temporary
  file in the same directory, flushed and fsync'ed, then renamed over the target: a crash
  or a power cut leaves either the old file or the new one, never a truncated mix. A
  symbolic link is written through (its target is replaced, the link stays); an existing
  output that is not a regular file (a device such as ``/dev/full``, a FIFO, a socket) is
  refused rather than replaced.
- :func:`atomic_directory`: a whole output set (a pack, a results folder) is written into
  a fresh private folder next to the destination, then swapped in at once; on failure the
  previous set is intact and nothing partial remains.
- :func:`locked`: serialises read-modify-write cycles on one file between processes and
  threads (``flock`` on the file's directory, re-entrant within a process).
- :func:`read_regular_file`: bounded read of an input that must be a regular file (never
  blocks on a FIFO, never reads ``/dev/zero`` forever).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from linkytool.errors import InputFileError, OutputError, describe_os_error
from linkytool.textfmt import french_megabytes, french_number

#: How long :func:`locked` waits for another program to release a file [s].
LOCK_TIMEOUT_S = 30.0


def user_path(
    path: str | os.PathLike[str],
    *,
    base: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> str:
    """How every message names a file, so that the user can act on it from where they
    are: the file relative to the current folder (``cwd``, default the process's) when
    that is shorter than its absolute path and does not climb out of the current folder
    (nor starts from the root), otherwise its absolute path; normalised either way (no
    ``dossier/../``).

    A relative ``path`` is relative to ``base`` (the dossier's folder, as the dossier
    stores its files), or to the current folder without ``base``. A dossier in
    ``chantier/`` naming ``../s/tic/capture.txt`` shows as ``s/tic/capture.txt`` from the
    folder above it, and as ``/home/…/s/tic/capture.txt`` from another one.
    """
    here = os.path.abspath(os.fspath(cwd) if cwd is not None else os.getcwd())
    name = os.fspath(path)
    if base is not None:
        name = os.path.join(os.fspath(base), name)
    raw = os.path.join(here, name)
    target = os.path.normpath(raw)
    if target != raw and _other_file(raw, target):
        # « link/../x » is not « x » when link is a symbolic link: name the real file
        target = os.path.realpath(raw)
    relative = os.path.relpath(target, here)
    climbs = relative == os.pardir or relative.startswith(os.pardir + os.sep)
    at_root = os.path.dirname(here) == here  # from /, « /home/… » is the natural name
    return relative if not (climbs or at_root) and len(relative) < len(target) else target


def _other_file(raw: str, normalised: str) -> bool:
    """Whether the lexically normalised path names another file than ``raw`` (a symbolic
    link before a ``..``); False when either cannot be looked up."""
    try:
        return not os.path.samefile(raw, normalised)
    except ValueError:  # a NUL byte: nothing to look up
        return False
    except OSError:  # missing: compare where each leads
        try:
            return os.path.realpath(raw) != os.path.realpath(normalised)
        except (OSError, ValueError):
            return False


def real_target(path: str | os.PathLike[str]) -> Path:
    """``path`` with symbolic links resolved (the file actually written), made absolute."""
    return Path(os.path.realpath(os.fspath(path)))


def refuse_special_output(target: Path) -> None:
    """Raise :class:`OutputError` when ``target`` exists and is not a regular file."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        return  # the write itself reports an unusable path
    if stat.S_ISREG(mode):
        return
    kind = "un dossier" if stat.S_ISDIR(mode) else "un fichier spécial (périphérique, tube)"
    raise OutputError(
        f"{target} existe et c'est {kind}, pas un fichier ordinaire : il n'a pas été remplacé.",
        hint="Donnez le chemin d'un nouveau fichier ou d'un fichier ordinaire.",
    )


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename, dir fsync)."""
    target = real_target(path) if os.path.islink(os.fspath(path)) else Path(path)
    refuse_special_output(target)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except (OSError, ValueError) as exc:
        # mkdir(exist_ok=True) raises FileExistsError only for a file where a folder is due
        reason = (
            "un élément du chemin est un fichier, pas un dossier"
            if isinstance(exc, FileExistsError)
            else describe_os_error(exc)
            if isinstance(exc, OSError)
            else "nom de fichier invalide"
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
    fsync_directory(directory)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode(encoding))


def _mode_for(target: Path) -> int:
    """Keep an existing file's mode; give a new one the usual 0666 & ~umask (mkstemp's 0600
    would hide outputs from the user's group)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (os.umask() sets it
    process-wide for an instant, which other threads could observe)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def fsync_directory(directory: Path) -> None:
    """Persist the rename itself (POSIX); silently skipped where unsupported."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# -- whole output sets -------------------------------------------------------------------

#: renameat2(2) flag swapping two paths atomically (Linux ≥ 3.15).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_paths(first: Path, second: Path) -> bool:
    """Swap two existing paths in one system call (``renameat2(RENAME_EXCHANGE)``,
    Linux ≥ 3.15); False where the system or the file system cannot (then nothing
    happened)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


@dataclass
class StagedDirectory:
    """A fresh private folder next to ``destination`` being filled (see
    :func:`atomic_directory`)."""

    destination: Path
    path: Path
    names: list[str] = field(default_factory=list)

    def write(self, name: str, data: bytes) -> Path:
        """Write one file of the set (a plain name, no folder)."""
        if not name or "/" in name or name in (".", ".."):
            raise ValueError(f"bad file name in an output set: {name!r}")
        target = self.path / name
        with open(target, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(target, 0o666 & ~current_umask())
        self.names.append(name)
        return target


@contextlib.contextmanager
def atomic_directory(destination: str | os.PathLike[str]) -> Iterator[StagedDirectory]:
    """Fill a fresh private staging folder, then swap it in place of ``destination``.

    The staging folder is created by :func:`tempfile.mkdtemp` next to the destination
    (unpredictable name, mode 0700, never a pre-existing path or link). On normal exit the
    staged set replaces the destination in one step (``renameat2(RENAME_EXCHANGE)``, or
    two renames where that is unavailable), then the previous set is removed. On any
    error the staging folder is removed and the destination is left as it was. A
    destination that is a symbolic link is written through to its target.
    """
    requested = Path(destination)
    target = real_target(requested) if requested.is_symlink() else requested.absolute()
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"{requested} est un fichier, pas un dossier : l'ensemble de fichiers ne peut pas "
            "y être écrit.",
            hint="Donnez le nom d'un dossier (créé au besoin).",
        )
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partiel", dir=parent))
    except (OSError, ValueError) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else "nom invalide"
        raise OutputError(
            f"Impossible d'écrire dans {parent} : {reason}. Rien n'a été écrit.",
            hint="Vérifiez que le dossier est accessible en écriture et que le disque n'est "
            "pas plein.",
        ) from exc
    staged = StagedDirectory(target, staging)
    try:
        yield staged
        os.chmod(staging, 0o777 & ~current_umask())
        fsync_directory(staging)
        _swap_in(staging, target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(
                f"Impossible d'écrire {requested} : {describe_os_error(exc)}. "
                + (
                    "Le contenu précédent est intact ; rien de partiel n'a été laissé."
                    if target.exists()
                    else "Rien n'a été écrit."
                ),
                hint="Libérez de la place ou choisissez un autre emplacement.",
            ) from exc
        raise
    fsync_directory(parent)


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; the previous ``target`` (if any) is removed after."""
    if not target.exists():
        os.rename(staging, target)
        return
    if exchange_paths(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous set
        return
    previous = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".ancien", dir=target.parent)
    )
    os.rmdir(previous)
    os.rename(target, previous)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(previous, target)
        raise
    shutil.rmtree(previous, ignore_errors=True)


# -- locks -------------------------------------------------------------------------------


@dataclass
class _DirectoryLock:
    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    fd: int | None = None


_LOCKS: dict[str, _DirectoryLock] = {}
_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], *, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[Path]:
    """Hold an exclusive lock for a read-modify-write of ``path``; yields the real path.

    The lock is an ``flock`` on the directory of the real file (symbolic links resolved):
    that inode never changes, unlike the file's own, which every atomic save replaces.
    Re-entrant within a process (threads wait on each other); another process waits up to
    ``timeout_s`` then gets an :class:`OutputError`.
    """
    target = real_target(path)
    directory = target.parent
    key = str(directory)
    with _LOCKS_GUARD:
        entry = _LOCKS.setdefault(key, _DirectoryLock())
    with entry.guard:
        if entry.depth == 0:
            entry.fd = _acquire(directory, timeout_s, target)
        entry.depth += 1
        try:
            yield target
        finally:
            entry.depth -= 1
            if entry.depth == 0 and entry.fd is not None:
                with contextlib.suppress(OSError):
                    fcntl.flock(entry.fd, fcntl.LOCK_UN)
                os.close(entry.fd)
                entry.fd = None


def _acquire(directory: Path, timeout_s: float, target: Path) -> int:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except (OSError, ValueError) as exc:
        reason = (
            "un élément du chemin est un fichier, pas un dossier"
            if isinstance(exc, FileExistsError | NotADirectoryError)
            else describe_os_error(exc)
            if isinstance(exc, OSError)
            else "nom invalide"
        )
        raise OutputError(f"Impossible d'écrire dans le dossier {directory} : {reason}.") from exc
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise OutputError(
                    f"{target} est en cours de modification par un autre programme depuis "
                    f"plus de {french_number(timeout_s)} s : rien n'a été modifié.",
                    hint="Attendez la fin de l'autre commande (ou fermez l'interface) puis "
                    "recommencez.",
                ) from None
            time.sleep(0.02)
        except OSError:  # flock unsupported (some network file systems): go unlocked
            return fd


# -- bounded reads -----------------------------------------------------------------------


def read_regular_file(path: str | os.PathLike[str], *, limit: int, what: str = "fichier") -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    Opened without blocking (a FIFO with no writer does not hang), checked with ``fstat``
    before reading (a device, a FIFO or a folder is refused), read at most ``limit + 1``
    bytes. Errors are :class:`InputFileError` in French naming ``what``.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except ValueError as exc:  # a NUL byte in the path
        raise InputFileError(
            f"Chemin de {what} invalide (caractère nul) : {name!r}.",
            hint="Vérifiez le chemin saisi.",
        ) from exc
    except FileNotFoundError as exc:
        raise InputFileError(f"{what.capitalize()} introuvable : {name}.") from exc
    except OSError as exc:
        raise InputFileError(
            f"{what.capitalize()} illisible : {name} ({describe_os_error(exc)})."
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "un dossier" if stat.S_ISDIR(info.st_mode) else "un fichier spécial"
            raise InputFileError(
                f"{name} est {kind}, pas un fichier ordinaire ({what} attendu).",
                hint="Donnez le chemin d'un fichier.",
            )
        if info.st_size > limit:
            raise InputFileError(
                f"{name} est trop volumineux : {french_megabytes(info.st_size)} "
                f"({french_megabytes(limit)} au plus pour un(e) {what})."
            )
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise InputFileError(
                f"{name} est trop volumineux : plus de {french_megabytes(limit)} pour un(e) {what}."
            )
        return b"".join(chunks)
    except OSError as exc:
        raise InputFileError(
            f"{what.capitalize()} illisible : {name} ({describe_os_error(exc)})."
        ) from exc
    finally:
        os.close(fd)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a regular file's bytes, read by blocks of 1 MiB (``OSError`` for
    anything else: a FIFO or a device is never read, so a hash never hangs). The one
    file hash of linkytool: dossier photos and captures, the UI's reading cache."""
    import hashlib

    fd = os.open(os.fspath(path), os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(21, "pas un fichier ordinaire", os.fspath(path))
        os.set_blocking(fd, True)
        digest = hashlib.sha256()
        while block := os.read(fd, 1 << 20):
            digest.update(block)
        return digest.hexdigest()
    finally:
        os.close(fd)
