"""Errors of the auto-MES dossier feature, one class per concern (French messages)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linkytool.errors import ExitCode, LinkytoolError


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a dossier file: where, what, and an example of a right value."""

    path: str
    problem: str
    example: str | None = None

    def __str__(self) -> str:
        text = f"{self.path} : {self.problem}"
        if self.example:
            text += f" (exemple : {self.example})"
        return text


class MesError(LinkytoolError):
    """Root of the auto-MES feature's errors."""


class DossierError(MesError):
    """A dossier file is missing, unreadable or invalid; ``issues`` lists every problem."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self, message: str, *, issues: Sequence[ValidationIssue] = (), hint: str | None = None
    ) -> None:
        self.issues = tuple(issues)
        if self.issues:
            message += "\n" + "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(message, hint=hint)


class PrerequisitesError(MesError):
    """An attestation or a pack was requested while a prerequisite is not satisfied."""

    exit_code = ExitCode.NOT_SATISFIED

    def __init__(self, reasons: Sequence[str], *, what: str) -> None:
        self.reasons = tuple(reasons)
        message = (
            f"{what} impossible : des prérequis de l'auto-MES ne sont pas remplis.\n"
            + "\n".join(f"  - {reason}" for reason in self.reasons)
        )
        super().__init__(
            message,
            hint="Complétez le dossier (linkytool mes check DOSSIER détaille chaque point) "
            "ou produisez un brouillon avec --draft.",
        )


class DossierPhotoError(MesError):
    """A dossier photo is missing, unreadable, too large or shows the wrong screen."""

    exit_code = ExitCode.BAD_INPUT


class SigningError(MesError):
    """The PKCS#12 key cannot be used to sign the attestation."""

    exit_code = ExitCode.BAD_INPUT


class VerificationError(MesError):
    """A signed attestation does not verify (altered PDF, photo hash mismatch)."""

    exit_code = ExitCode.NOT_SATISFIED


class VerifyInputError(VerificationError):
    """A file given to verify (the attestation, a photo) cannot be read or is not a PDF:
    bad input (exit 3), not a signature that does not verify (exit 1)."""

    exit_code = ExitCode.BAD_INPUT
