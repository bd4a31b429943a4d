"""The error root and the process exit codes.

Every error linkytool raises on purpose derives from :class:`LinkytoolError`, with one
subclass per concern (declared in the subpackage that owns the concern, e.g.
``linkytool.tic.errors``). Each class carries the :class:`ExitCode` the CLI returns when
it escapes a command, and its message is French text meant for the end user: what is
wrong and what to do.
"""

from __future__ import annotations

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
    #: The serial adapter or port cannot be used (absent, busy, permission denied).
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


class OutputError(LinkytoolError):
    """An output file or directory could not be written."""

    exit_code = ExitCode.OUTPUT
