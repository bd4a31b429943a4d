"""Errors of the auto-MES dossier feature, one class per concern (French messages)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from linkytool.errors import ExitCode, LinkytoolError, OutputError
from linkytool.textfmt import form_value


@dataclass(frozen=True)
class ValidationIssue:
    """One problem found in a dossier file: where, what, and an example of a right value
    (``example``: a TOML literal, ``"30002345678901"``, ``2026-10-02``)."""

    path: str
    problem: str
    example: str | None = None

    @property
    def key(self) -> str:
        """The field's name in its TOML table: ``case.prm`` -> ``prm``,
        ``installation.inverters[1].make`` -> ``make``."""
        return re.sub(r"\[\d+\]$", "", self.path.rsplit(".", 1)[-1])

    @property
    def explanation(self) -> str:
        """The problem and its example as a form shows it under the field itself
        (``20/11/2026``, ``6,5``, no quotes), without the path: ``case.prm`` would mean
        nothing to the installer."""
        if self.example is None:
            return self.problem
        return f"{self.problem} (exemple : {example_as_typed(self.example)})"

    def __str__(self) -> str:
        """The issue as a line of the dossier file's report: the path and a TOML example."""
        if self.example is None:
            return f"{self.path} : {self.problem}"
        return f"{self.path} : {self.problem} (exemple : {self.key} = {self.example})"


def example_as_typed(literal: str) -> str:
    """A field's example (a TOML literal: ``"30002345678901"``, ``2026-11-20T14:32:00``,
    ``6.0``) as the installer types it in a form (``30002345678901``,
    ``20/11/2026 14:32``, ``6``); a text that is no literal is shown as it is."""
    try:
        value: Any = tomllib.loads(f"value = {literal}")["value"]
    except tomllib.TOMLDecodeError:
        value = literal
    return form_value(value)


class MesError(LinkytoolError):
    """Root of the auto-MES feature's errors."""


class DossierError(MesError):
    """A dossier file is missing, unreadable or invalid; ``issues`` lists every problem.

    ``file`` is the dossier concerned (when known); ``missing`` is True when it does not
    exist (a front end may then say how to create it).
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        issues: Sequence[ValidationIssue] = (),
        hint: str | None = None,
        file: str | None = None,
        missing: bool = False,
    ) -> None:
        self.file = file
        self.missing = missing
        self.issues = tuple(issues)
        if self.issues:
            message += "\n" + "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(message, hint=hint)


class PrerequisitesError(MesError):
    """An attestation or a pack was requested while a prerequisite is not satisfied, or
    (``signing_date``) while the attestation's signing date is wrong: not a
    prerequisite, so the message does not call it one."""

    exit_code = ExitCode.NOT_SATISFIED

    def __init__(
        self, reasons: Sequence[str], *, what: str, signing_date: Sequence[str] = ()
    ) -> None:
        self.reasons = (*reasons, *signing_date)
        #: Refused for the signing date alone (every prerequisite is satisfied).
        self.signing_date_only = not reasons
        self.step = what
        if reasons and signing_date:
            why = (
                "des prérequis de l'auto-MES ne sont pas remplis et la date de signature est "
                "à corriger"
            )
        elif reasons:
            why = "des prérequis de l'auto-MES ne sont pas remplis"
        else:
            why = "les prérequis sont remplis, mais la date de signature est à corriger"
        #: Why, in French, without the step's name (« des prérequis … ne sont pas remplis »).
        self.why = why
        message = f"{what} impossible : {why}.\n" + "\n".join(
            f"  - {reason}" for reason in self.reasons
        )
        hint = (
            "Complétez le dossier (la vérification des prérequis détaille chaque point) "
            "ou produisez un brouillon."
            if reasons
            else "Corrigez la date de signature (signatures.signed_on) dans le dossier "
            "ou produisez un brouillon."
        )
        super().__init__(message, hint=hint)


class DossierPhotoError(MesError):
    """A dossier photo is missing, unreadable, too large or shows the wrong screen.

    ``file`` names the photo and ``role`` its screen (``ReadingField`` value) when known.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        file: str | None = None,
        role: str | None = None,
        screen: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = file
        self.role = role
        self.screen = screen


class OcrUnavailableError(MesError):
    """Reading photos needs the OCR feature, which is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class TicCaptureEmptyError(MesError):
    """A TIC capture holds neither a PRM nor a meter date (``file``)."""

    def __init__(self, file: str) -> None:
        super().__init__(
            f"La capture {file} ne contient ni PRM ni date (trames valides, mais sans ces "
            "étiquettes) : rien n'a été ajouté.",
            hint="Le PRM et la date ne sont transmis qu'en TIC standard : vérifiez le mode du "
            "compteur.",
        )
        self.file = file


class TicForeignCaptureError(MesError):
    """A TIC capture comes from another delivery point than the dossier's (``file``)."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, file: str, *, prm: str, dossier_prm: str) -> None:
        super().__init__(
            f"La capture {file} vient du compteur du PRM {prm}, le dossier est celui du PRM "
            f"{dossier_prm} : rien n'a été ajouté.",
            hint="Vérifiez que la capture a été prise sur ce compteur, et le PRM du dossier "
            "(case.prm, celui de l'affaire Enedis-Connect).",
        )
        self.file = file


class DossierExistsError(MesError):
    """A new dossier was asked for at a path that already holds a file (``file``)."""

    def __init__(self, file: str) -> None:
        super().__init__(f"{file} existe déjà : il n'a pas été modifié.")
        self.file = file


class TestOverwriteError(MesError):
    """Recording would change a decoupling test already finished; ``fields`` are the
    fields that would change. Front ends ask the user before retrying with overwrite."""

    exit_code = ExitCode.NOT_SATISFIED
    __test__ = False  # not a pytest test class

    def __init__(self, fields: Sequence[str]) -> None:
        self.fields = tuple(fields)
        #: What a front end says before asking whether to replace (nothing is done yet).
        self.question = (
            "Un essai de découplage terminé est déjà consigné dans le dossier ; il serait "
            "modifié (" + ", ".join(self.fields) + ")."
        )
        super().__init__(self.question + " Rien n'a été modifié.")


class UnsignedAttestationError(MesError):
    """A final attestation was asked for without any way to sign it; ``missing`` names
    the signature images that are absent."""

    exit_code = ExitCode.NOT_SATISFIED

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            "Attestation non produite : elle ne serait pas signée ("
            + ", ".join(self.missing)
            + "). La procédure demande une attestation « dûment complétée et signée ».",
            hint="Donnez les images des deux signatures, une clé PKCS#12, ou demandez "
            "explicitement une attestation à imprimer et signer à la main.",
        )


class AttestationError(MesError):
    """The attestation to pack is absent, or no longer matches the dossier: ``file`` is
    the PDF concerned (None when none was produced), ``problems`` says what differs."""

    exit_code = ExitCode.NOT_SATISFIED

    def __init__(self, message: str, *, file: str | None, problems: Sequence[str] = ()) -> None:
        self.file = file
        self.problems = tuple(problems)
        if self.problems:
            message += "\n" + "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            message, hint="Produisez à nouveau l'attestation à partir du dossier actuel."
        )


class DossierFileOutputError(OutputError):
    """An output would replace (or be swapped over) a file of the dossier (``file``)."""

    def __init__(self, output: str, file: str, *, inside: bool = False) -> None:
        # as the user would type them (the dossier's folder joined with a stored
        # ``../photos/x.jpg`` would show ``dossier/../photos/x.jpg``)
        output, file = os.path.normpath(output), os.path.normpath(file)
        what = (
            f"contient un fichier du dossier ({file}), qui serait supprimé"
            if inside
            else f"est un fichier du dossier ({file}) : il serait remplacé"
        )
        super().__init__(
            f"{output} {what}. Rien n'a été écrit.",
            hint="Choisissez une sortie hors des fichiers du dossier (par exemple un "
            "nouveau dossier « envoi »).",
        )
        self.output = output
        self.file = file


class DossierReadOnlyError(OutputError):
    """The dossier file is write-protected (no write permission for its owner, e.g.
    ``chmod 444``): it is never replaced behind that protection."""

    def __init__(self, file: str) -> None:
        super().__init__(
            f"{file} est en lecture seule : le dossier n'a pas été modifié.",
            hint=f"Rendez-le modifiable (chmod u+w {file}) ou travaillez sur une copie.",
        )
        self.file = file


class SigningError(MesError):
    """The PKCS#12 key cannot be used to sign the attestation; ``bad_password`` is True
    when the key could not be opened (wrong or missing password, or a corrupt file)."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, hint: str | None = None, bad_password: bool = False):
        super().__init__(message, hint=hint)
        self.bad_password = bad_password


class VerificationError(MesError):
    """A signed attestation does not verify (altered PDF, photo hash mismatch)."""

    exit_code = ExitCode.NOT_SATISFIED


class VerifyInputError(VerificationError):
    """A file given to verify (the attestation, a photo) cannot be read or is not a PDF:
    bad input (exit 3), not a signature that does not verify (exit 1)."""

    exit_code = ExitCode.BAD_INPUT
