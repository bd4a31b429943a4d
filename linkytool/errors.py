"""The error root and the process exit codes.

Every error linkytool raises on purpose derives from :class:`LinkytoolError`, with one
subclass per concern (declared in the subpackage that owns the concern, e.g.
``linkytool.tic.errors``). Each class carries the :class:`ExitCode` the CLI returns when
it escapes a command, and its message is French text meant for the end user: what is
wrong and what to do.
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of every headless command (see README, "Exit codes")."""

    OK = 0
    #: The command ran but its answer is "no": a prerequisite not satisfied, an OCR value
    #: to confirm, a signature that does not verify, checksum errors above the threshold.
    NOT_SATISFIED = 1
    #: Bad command line (click's own code).
    USAGE = 2
    #: An input file or stream is missing, unreadable or malformed.
    BAD_INPUT = 3
    #: The serial adapter or port, or the network port or address a server listens on
    #: (``serve``, ``mes intake``), cannot be used (absent, busy, permission denied).
    DEVICE = 4
    #: An external program or resource the command needs is missing (tesseract, fonts...).
    MISSING_DEPENDENCY = 5
    #: An output could not be written (disk full, permission denied).
    OUTPUT = 6
    #: Interrupted by the user (Ctrl+C).
    INTERRUPTED = 130


class LinkytoolError(Exception):
    """Root of every error linkytool raises on purpose.

    ``message`` is French text for the end user; ``hint`` (optional) says what to do.
    """

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n→ {self.hint}"
        return self.message


def error_line(error: LinkytoolError) -> str:
    """How a command reports ``error`` on stderr: "Erreur : " then the message and hint."""
    return f"Erreur : {error}"


class InputFileError(LinkytoolError):
    """An input file named on the command line is missing, a directory or unreadable."""

    exit_code = ExitCode.BAD_INPUT


class OutputError(LinkytoolError):
    """An output file or directory could not be written."""

    exit_code = ExitCode.OUTPUT


#: French wording of the operating-system errors users meet with files (errno -> text).
_OS_REASONS: dict[int, str] = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "support en lecture seule",
    errno.ENAMETOOLONG: "nom trop long",
    errno.EIO: "erreur d'entrée-sortie du support",
    errno.EADDRINUSE: "ce port est déjà utilisé par un autre programme",
    errno.EADDRNOTAVAIL: "cette adresse n'est pas celle d'une interface de ce poste",
}


def describe_os_error(exc: OSError) -> str:
    """The reason of ``exc`` in French for the common cases, else the system's text."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return exc.strerror or str(exc)
