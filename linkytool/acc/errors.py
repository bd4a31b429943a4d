"""Errors of the ACC allocation feature (French messages: what is wrong, what to do)."""

from __future__ import annotations

from linkytool.errors import ExitCode, LinkytoolError


class AccError(LinkytoolError):
    """Root of the ACC errors."""

    exit_code = ExitCode.BAD_INPUT


class AccInputError(AccError):
    """An input file (curves, coefficients, perimeter, calendar) is unreadable or wrong.

    ``path`` and ``line`` (1-based, when known) locate the problem.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if path is not None:
            where = f"{path}, ligne {line} : " if line is not None else f"{path} : "
        super().__init__(where + message, hint=hint)
        self.path = path
        self.line = line


class CoefficientError(AccError):
    """Distribution coefficients break a rule (sum over 100 %, unknown PRM...)."""


class GapError(AccInputError):
    """Steps are missing in a load curve and the gap policy is ``error``."""
