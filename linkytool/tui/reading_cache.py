"""Photo readings kept between UI sessions: a photo already read is shown at once.

Reading a photo costs about a second of CPU (the OCR and tesseract), and the UI reads
the dossier's photos each time it opens it. The reader is a pure function of the
photo's bytes, its own code and tesseract (program and French data): an entry is keyed
by the SHA-256 of the photo's content and of a *reader identity* covering those three
(:func:`reader_identity`), so a reading is reused only where reading again would give
the same result. A changed photo, a new linkytool or another tesseract misses.

Entries are pickles of ``(PhotoReading, braille picture)`` in the user's cache folder
(``platformdirs``: ``~/.cache/linkytool/lectures`` on Linux), written atomically; at most
:data:`MAX_ENTRIES` are kept, least recently used out first. The cache only saves time:
an unreadable, corrupt or unwritable entry is a miss (removed when possible), never an
error. Only successful readings are kept (a refused photo is read again, its message
computed afresh). No Textual here; ``hashlib`` (OpenSSL, ~2 ms) is loaded on first use,
off the first screen's path.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

#: Folder of the entries inside the user's cache folder.
FOLDER = "lectures"
#: Entries kept (about 150 KB each: the crop's PNG and the picture).
MAX_ENTRIES = 64
#: Longest wait for ``tesseract --version`` / ``--list-langs`` [s].
TESSERACT_TIMEOUT_S = 10.0
#: The last tesseract probe, beside the entries (see :func:`_tesseract_stamp`).
PROBE_FILE = "tesseract.json"

#: The code a reading depends on, relative to the ``linkytool`` package: the reader, the
#: braille picture the worker draws beside it, the errors they raise.
READER_CODE = ("ocr", "tui/lcd_dots.py", "errors.py", "fileio.py")
#: The libraries that decode and compute a reading (a new JPEG decoder may move a pixel),
#: by import name.
READER_LIBRARIES = ("numpy", "PIL")


def default_folder() -> Path:
    """The entries' folder in the user's cache folder (platform convention)."""
    from platformdirs import user_cache_path

    return user_cache_path("linkytool", appauthor=False) / FOLDER


def _code_digest(package: Path | None = None) -> str:
    """SHA-256 of the reader's source files (their relative paths and bytes), of
    linkytool's version and of where and when the libraries it reads with were installed
    (an upgrade rewrites them; ``importlib.metadata`` would cost the UI 27 ms of imports)."""
    import hashlib
    from importlib.util import find_spec

    import linkytool

    if package is None:
        package = Path(linkytool.__file__).resolve().parent
    digest = hashlib.sha256(linkytool.__version__.encode())
    for library in READER_LIBRARIES:
        spec = find_spec(library)
        origin = spec.origin if spec is not None else None
        try:
            info = os.stat(origin) if origin else None
        except OSError:
            info = None
        stamp = f"{origin} {info.st_size} {info.st_mtime_ns}" if info else "absent"
        digest.update(f"{library} {stamp}\n".encode())
    for part in READER_CODE:
        root = package / part
        for source in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            if not source.is_file():
                continue
            digest.update(str(source.relative_to(package)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def _file_stamp(path: Path) -> str | None:
    """Path, size and modification time of a file (None when it cannot be read)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return f"{path} {info.st_size} {info.st_mtime_ns}"


def _probe_tesseract(program: str) -> tuple[str, Path | None]:
    """Run tesseract twice: its version lines and where its French data is."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        version, languages = (
            subprocess.run(
                [program, flag],
                capture_output=True,
                text=True,
                timeout=TESSERACT_TIMEOUT_S,
                env=env,
                check=False,
            )
            for flag in ("--version", "--list-langs")
        )
    except (OSError, subprocess.SubprocessError):
        return "absent", None
    stamp = [version.stdout.strip(), version.stderr.strip()]
    # 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):'
    found = re.search(r'"([^"]+)"', languages.stdout + languages.stderr)
    data = Path(found.group(1)) / "fra.traineddata" if found else None
    data_stamp = _file_stamp(data) if data is not None else None
    if data_stamp is not None:
        stamp.append(data_stamp)
    return "\n".join(stamp), data if data_stamp is not None else None


def _tesseract_stamp(folder: Path | None = None) -> str:
    """What identifies the tesseract the reader uses: its version lines (program and
    libraries) and the size and date of its French data. ``"absent"`` without one (a
    reading then fails, and failures are not kept).

    The answer is kept in ``folder`` (:data:`PROBE_FILE`) and reused while the program
    file, its French data file and ``TESSDATA_PREFIX`` are unchanged: the two tesseract
    runs (~50 ms, on the cores the first screen and the workers' start-up need) happen
    once per installation, not at every opening.
    """
    import json

    program = shutil.which("tesseract")
    if program is None:
        return "absent"
    probe = {"program": _file_stamp(Path(program)), "prefix": os.environ.get("TESSDATA_PREFIX")}
    saved_file = folder / PROBE_FILE if folder is not None else None
    if saved_file is not None:
        try:
            saved = json.loads(saved_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            saved = None
        if (
            isinstance(saved, dict)
            and all(saved.get(key) == value for key, value in probe.items())
            and isinstance(saved.get("data"), str)
            and _file_stamp(Path(saved["data"])) == saved.get("data_stamp")
            and isinstance(saved.get("stamp"), str)
        ):
            return str(saved["stamp"])
    stamp, data = _probe_tesseract(program)
    if saved_file is not None and data is not None:
        from linkytool.errors import LinkytoolError
        from linkytool.fileio import atomic_write_text

        record = {**probe, "data": str(data), "data_stamp": _file_stamp(data), "stamp": stamp}
        with contextlib.suppress(LinkytoolError, OSError):
            atomic_write_text(saved_file, json.dumps(record, ensure_ascii=False, indent=1))
    return stamp


def reader_identity(folder: Path | None = None) -> str:
    """The reader's identity: linkytool's version, the reader's code and tesseract's
    (two short tesseract runs, ~50 ms, unless ``folder`` keeps their answer; call it off
    the UI thread)."""
    import hashlib

    digest = hashlib.sha256(_code_digest().encode())
    digest.update(_tesseract_stamp(folder).encode())
    return digest.hexdigest()


class ReadingCache:
    """The readings of one reader, in ``folder`` (the user's cache folder by default).

    The folder and the reader's identity are found on first use (the identity runs
    tesseract twice): build it anywhere, use it from a background thread.
    """

    def __init__(
        self,
        folder: Path | None = None,
        identity: str | None = None,
        *,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._folder = folder
        self._identity = identity
        self.max_entries = max_entries

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = default_folder()
        return self._folder

    @property
    def identity(self) -> str:
        if self._identity is None:
            self._identity = reader_identity(self.folder)
        return self._identity

    def key(self, path: Path) -> str:
        """The entry name of ``path``'s current content under this identity (raises
        ``OSError`` when the photo cannot be read)."""
        import hashlib

        from linkytool.fileio import sha256_file

        return hashlib.sha256(f"{self.identity}\n{sha256_file(path)}".encode()).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str, path: Path) -> tuple[Any, Any] | None:
        """``(reading, picture)`` kept under ``key``, the reading's path set to ``path``;
        ``None`` when there is none or it cannot be read (then it is removed)."""
        entry = self._entry(key)
        try:
            data = entry.read_bytes()
        except OSError:
            return None
        try:
            # The user's own cache folder: trusted as the user's own files are.
            reading, picture = pickle.loads(data)
            reading = replace(reading, path=path)
        except Exception:
            with contextlib.suppress(OSError):
                entry.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # least recently used goes first
        return reading, picture

    def put(self, key: str, reading: Any, picture: Any) -> bool:
        """Keep ``(reading, picture)`` under ``key``; return whether it was written."""
        from linkytool.errors import LinkytoolError
        from linkytool.fileio import atomic_write_bytes

        try:
            data = pickle.dumps((reading, picture), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write_bytes(self._entry(key), data)
        except (LinkytoolError, OSError, pickle.PicklingError, TypeError, AttributeError):
            return False
        self._prune()
        return True

    def _prune(self) -> None:
        """Remove the least recently used entries beyond :attr:`max_entries`."""
        with contextlib.suppress(OSError):
            entries = []
            for entry in self.folder.glob("*.pickle"):
                with contextlib.suppress(OSError):
                    entries.append((entry.stat().st_mtime_ns, entry))
            entries.sort(reverse=True)
            for _, old in entries[self.max_entries :]:
                with contextlib.suppress(OSError):
                    old.unlink()


__all__ = [
    "MAX_ENTRIES",
    "ReadingCache",
    "default_folder",
    "reader_identity",
]
