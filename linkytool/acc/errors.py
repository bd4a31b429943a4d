"""Errors of the ACC allocation feature (French messages: what is wrong, what to do).

The core never names a command-line flag or a screen field: a hint that points at a
setting carries it as data (:class:`OptionRef`) in a template (``{0}``, ``{1}``…), and each
front end words it (``--gaps zero`` in the CLI, the field and value in the UI) with
:meth:`AccError.render_hint`. ``hint`` itself holds a neutral wording, so that an error
shown by generic code still reads well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from linkytool.acc.labels import KEY_NAMES
from linkytool.errors import ExitCode, LinkytoolError
from linkytool.textfmt import french_agree, french_count


@dataclass(frozen=True)
class OptionRef:
    """A setting of a run, named as data: ``name`` (see :data:`OPTION_WORDS`) and the
    value to choose, if any."""

    name: str
    value: str | None = None


#: Neutral French wording of each setting (what a front end shows when it has nothing
#: more precise).
OPTION_WORDS: dict[str, str] = {
    "consumers": "les courbes des consommateurs",
    "producers": "les courbes des producteurs",
    "coefficients": "le fichier de coefficients",
    "perimeter": "le fichier de périmètre (entrées et sorties des participants)",
    "calendar": "le calendrier des postes horaires",
    "key": "la clé de répartition",
    "gaps": "le traitement des pas manquants",
    "timestamps": "l'horodatage des exports (début ou fin du pas)",
    "period": "la période calculée (premier et dernier jour)",
    "step": "le pas de calcul",
    "replace": "l'option de remplacement",
}


#: Neutral French wording of a setting with a value.
OPTION_VALUE_WORDS: dict[tuple[str, str], str] = {
    ("timestamps", "start"): "l'horodatage au début du pas",
    ("timestamps", "end"): "l'horodatage à la fin du pas",
    ("gaps", "zero"): "les pas manquants comptés à 0 W",
    ("gaps", "default-key"): "les pas manquants à 0 W avec la clé par défaut",
    ("key", "default"): "la clé par défaut",
}


def neutral_word(option: OptionRef) -> str:
    """The core's own wording of a setting (no flag, no field name)."""
    if option.value is None:
        return OPTION_WORDS.get(option.name, option.name)
    word = OPTION_VALUE_WORDS.get((option.name, option.value))
    if word is not None:
        return word
    if option.name == "key" and option.value in KEY_NAMES:
        return f"la {KEY_NAMES[option.value]}"
    return f"{OPTION_WORDS.get(option.name, option.name)} « {option.value} »"


class AccError(LinkytoolError):
    """Root of the ACC errors.

    ``hint`` may be a template whose ``{0}``, ``{1}``… are the settings in ``options``.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        options: tuple[OptionRef, ...] = (),
    ) -> None:
        self.hint_template = hint
        self.options = options
        super().__init__(message, hint=self._render(neutral_word))

    def _render(self, word: Callable[[OptionRef], str]) -> str | None:
        if self.hint_template is None:
            return None
        if not self.options:
            return self.hint_template
        return self.hint_template.format(*(word(option) for option in self.options))

    def render_hint(self, word: Callable[[OptionRef], str]) -> str | None:
        """The hint with each setting worded by a front end."""
        return self._render(word)


class AccInputError(AccError):
    """An input file (curves, coefficients, perimeter, calendar) is unreadable or wrong.

    ``path`` and ``line`` (1-based, when known) locate the problem, before ``message``
    (« courbes.csv, ligne 12 : valeur illisible. »); ``prm`` names the participant
    concerned, when there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        options: tuple[OptionRef, ...] = (),
        prm: str | None = None,
    ) -> None:
        if path is not None:
            where = f"{path}, ligne {line} : " if line is not None else f"{path} : "
            message = where + message
        else:  # the message opens the sentence
            message = message[:1].upper() + message[1:]
        super().__init__(message, hint=hint, options=options)
        self.path = path
        self.line = line
        self.prm = prm


class CoefficientError(AccInputError):
    """Distribution coefficients break a rule (sum over 100 %, unknown PRM...); like every
    error about a file of the user's, it names the file (``path``) and the line."""


class GapError(AccInputError):
    """Steps are missing in a load curve and the gap policy is ``error``."""


class ImplausibleValueError(AccInputError):
    """A value is beyond what any real participant can produce or draw."""


#: At most this many files are named in a :class:`DemoOverwriteError`.
LISTED_FILES = 5


class DemoOverwriteError(AccError):
    """The demo would replace files of ``folder`` (``paths``) by different ones: nothing
    is written unless the user asks for the replacement (the ``replace`` setting)."""

    exit_code = ExitCode.OUTPUT

    def __init__(self, folder: Path, paths: Sequence[Path]) -> None:
        names = [_relative(path, folder) for path in paths]
        listed = ", ".join(names[:LISTED_FILES])
        if len(names) > LISTED_FILES:
            listed += f"… ({french_count(len(names) - LISTED_FILES, 'autre', 'autres')})"
        super().__init__(
            f"{folder} contient déjà {french_count(len(names), 'fichier', 'fichiers')} que "
            f"la démonstration remplacerait par les siens : {listed}. Rien n'a été écrit.",
            hint="Choisissez un autre dossier, ou "
            + french_agree(len(names), "remplacez-le", "remplacez-les")
            + " avec {0}.",
            options=(OptionRef("replace"),),
        )
        self.folder = folder
        self.paths = tuple(paths)


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
