"""Errors of the synthetic photo generator."""

from __future__ import annotations

from linkytool.errors import ExitCode, LinkytoolError


class EncoderUnavailableError(LinkytoolError):
    """A photo format needs an optional plugin that is not installed (HEIC: pillow-heif)."""

    exit_code = ExitCode.MISSING_DEPENDENCY
