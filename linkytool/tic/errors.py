"""Errors of the TIC feature (French messages for the end user)."""

from __future__ import annotations

from linkytool.errors import ExitCode, LinkytoolError


class TicError(LinkytoolError):
    """Root of the TIC feature's errors.

    Besides the French message, the error carries its facts as data, so that each front
    end words its own hint: ``path`` (the file or port concerned) and ``option`` (the
    setting the user can change to fix it: "port", "mode", "max_error_rate"...). Core
    hints never name a command-line flag; the CLI adds the flag for ``option``."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: str | None = None,
        option: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.option = option


class CaptureError(TicError):
    """A TIC capture file or stream is missing, unreadable or holds no TIC data."""

    exit_code = ExitCode.BAD_INPUT


class ChecksumRateError(TicError):
    """Too many groups failed their checksum (the answer is "no": exit code 1)."""

    exit_code = ExitCode.NOT_SATISFIED
