"""Errors of the TIC feature (French messages for the end user)."""

from __future__ import annotations

from linkytool.errors import ExitCode, LinkytoolError


class TicError(LinkytoolError):
    """Root of the TIC feature's errors."""

    exit_code = ExitCode.BAD_INPUT


class CaptureError(TicError):
    """A TIC capture file or stream is missing, unreadable or holds no TIC data."""

    exit_code = ExitCode.BAD_INPUT


class ChecksumRateError(TicError):
    """Too many groups failed their checksum (the answer is "no": exit code 1)."""

    exit_code = ExitCode.NOT_SATISFIED
