"""click's own texts (usage lines, errors, built-in help) in French.

click marks every text it prints with ``gettext`` (``_()`` / ``ngettext()`` imported into
each of its modules) but ships no French catalogue. :func:`install` points those
module-level names at the tables below, so "Usage:", "Error:", "Show this message and
exit." and click's validation errors read in French like the rest of the command line.
It also names click's value types in French in usage lines (``TEXTE``, ``NOMBRE``,
``ENTIER``), describes ranges in French (``≥ 0,1``) and reads a decimal comma in a
number (``--delay 0,8``).
``tests/test_cli_french.py`` checks that every text click marks in the installed version
has an entry here (a click upgrade adding one fails the test instead of printing English).
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable
from typing import Any

import click

from linkytool.textfmt import french_number

#: click message id -> French text (placeholders kept as they are).
CLICK_FR: dict[str, str] = {
    # usage, help and headings
    "Usage:": "Utilisation :",
    # headings: click appends ":" itself, the trailing space makes French "Options :"
    "Options": "Options ",
    "Commands": "Commandes ",
    "Positional arguments": "Arguments ",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Confirm the action without prompting.": "Confirmer l'action sans la demander.",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "deprecated": "obsolète",
    # marked at run time (``_(extra["required"])``), so the source scan does not see it
    "required": "obligatoire",
    "(dynamic)": "(dynamique)",
    "Choice({choices})": "Choix({choices})",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    "Repeat for confirmation": "Répétez pour confirmer",
    "d": "d",
    # errors shown to the user
    "Error: {message}": "Erreur : {message}",
    "Aborted!": "Interrompu.",
    "Missing command.": "Commande manquante.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Could not open file {filename!r}: {message}": (
        "Impossible d'ouvrir le fichier {filename!r} : {message}"
    ),
    "unknown error": "erreur inconnue",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} prend {nargs} valeurs.",
    "Invalid start character for option ({option})": (
        "Caractère de début invalide pour une option ({option})"
    ),
    "Error: The two entered values do not match.": (
        "Erreur : les deux valeurs saisies ne correspondent pas."
    ),
    "Error: invalid input": "Erreur : saisie invalide",
    "directory": "dossier",
    "file": "fichier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} n'est pas exécutable.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas modifiable.",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}"
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    # {value} is the converted number (1.5 for a typed 1,5): the range says enough
    "{value} is not in the range {range}.": "valeur hors de l'intervalle {range}.",
    "Unknown color {colour!r}": "Couleur inconnue : {colour!r}",
    "Unknown standard stream '{name}'": "Flux standard inconnu : « {name} »",
    "Windows error: {error}": "Erreur Windows : {error}",
    "{editor}: Editing failed": "{editor} : échec de l'édition",
    "{editor}: Editing failed: {e}": "{editor} : échec de l'édition : {e}",
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Version de Bash inconnue : la complétion n'est pas disponible."
    ),
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "La complétion demande Bash 4.4 ou plus récent."
    ),
    # raised only for programming errors in command declarations (kept readable anyway)
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Un argument prend exactement une déclaration, {length} reçues : {decls}."
    ),
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "L'option booléenne {decl!r} ne peut pas utiliser le même drapeau pour vrai et faux."
    ),
    "Could not determine name for option with declarations {decls!r}": (
        "Nom d'option introuvable dans les déclarations {decls!r}"
    ),
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Avertissement : la commande {name!r} est obsolète.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Avertissement : le paramètre {name!r} ({param_type}) est obsolète.{extra_message}"
    ),
    "Name '{name}' defined twice": "Nom « {name} » défini deux fois",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Aucune option déclarée mais un nom a été donné ({name}). Vouliez-vous déclarer un "
        "argument, ou passer « --{name} » ?"
    ),
}

#: (singular id, plural id) -> (French singular, French plural).
CLICK_FR_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Prend {nargs} valeurs, 1 seule donnée.",
        "Prend {nargs} valeurs, {len} données.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de : {possibilities} ?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option {name!r} attend une valeur.",
        "L'option {name!r} attend {nargs} valeurs.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} valeurs sont attendues, {len_value} donnée.",
        "{len_type} valeurs sont attendues, {len_value} données.",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "{value!r} ne suit pas le format {format}.",
        "{value!r} ne suit aucun des formats {formats}.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas l'une des valeurs {choices}.",
    ),
}

#: Metavar of a group's sub-command in usage lines (click's default is English), and of
#: a group that also runs without one (``linkytool`` alone opens the UI).
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."
OPTIONAL_SUBCOMMAND_METAVAR = "[COMMANDE] [ARGUMENTS]..."

#: What usage lines and help call a value of click's built-in types (click prints the
#: type's ``name`` in capitals: ``--delay FLOAT RANGE`` becomes ``--delay NOMBRE``).
TYPE_NAMES: dict[type[click.ParamType[Any]], str] = {
    click.types.StringParamType: "texte",
    click.types.IntParamType: "entier",
    click.types.IntRange: "entier",
    click.types.FloatParamType: "nombre",
    click.types.FloatRange: "nombre",
    click.types.BoolParamType: "booléen",
    click.types.DateTime: "date",
}


def _french_number(value: float) -> str:
    return str(value) if isinstance(value, int) else french_number(value)


def describe_range(number_range: click.types._NumberRangeBase[Any, Any]) -> str:
    """A range as the help shows it: ``≥ 0,1``, ``< 5``, ``de 0 à 1`` (click: ``x>=0.1``)."""
    low, high = number_range.min, number_range.max
    if (
        low is not None
        and high is not None
        and not (number_range.min_open or number_range.max_open)
    ):
        return f"de {_french_number(low)} à {_french_number(high)}"
    parts = []
    if low is not None:
        parts.append(f"{'>' if number_range.min_open else '≥'} {_french_number(low)}")
    if high is not None:
        parts.append(f"{'<' if number_range.max_open else '≤'} {_french_number(high)}")
    return " et ".join(parts)


_float_convert = click.types.FloatParamType.convert
_help_extra = click.core.Option.get_help_extra


def _french_help_extra(self: click.core.Option, ctx: click.Context) -> Any:
    """click's ``[défaut : 5.0]`` with a decimal comma: ``[défaut : 5]``, ``0,05``."""
    extra = _help_extra(self, ctx)
    # a text the command gives (show_default="...") is shown as given
    if (
        "default" in extra
        and isinstance(self.default, float)
        and not isinstance(self.show_default, str)
    ):
        extra["default"] = _french_number(self.default)
    return extra


def _convert_french_float(
    self: click.types.FloatParamType, value: Any, param: Any, ctx: Any
) -> Any:
    """A decimal comma is a decimal point (``--delay 0,8``); nan and inf are refused."""
    typed = value
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = _float_convert(self, value, param, ctx)
    except click.BadParameter:
        # click's message would quote the value with its comma made a point (« 1.2.5 »)
        self.fail(f"« {typed} » n'est pas un nombre (exemple : 0,8).", param, ctx)
    if not math.isfinite(number):
        self.fail(f"« {typed} » n'est pas un nombre fini.", param, ctx)
    return number


#: click's own wrapping, which :func:`wrap_french` calls.
_CLICK_WRAP_TEXT = click.formatting.wrap_text
#: A space French typography glues to its neighbour: before « : ; ? ! » » and after « « ».
_GLUED_SPACE = re.compile(r" (?=[:;?!»])|(?<=«) ")
#: Stands for a glued space while the text is wrapped (not a space to ``textwrap``).
_NO_BREAK = "\u00a0"


def wrap_french(text: str, *args: Any, **kwargs: Any) -> str:
    """click's ``wrap_text`` that never breaks a line at a space French glues to the
    punctuation after it or the quote before it: no help line starts with « : » or « ; »
    (« [défaut : 0] » split as « [défaut » / « : 0] » at 80 columns). The output keeps
    plain spaces."""
    glued = _GLUED_SPACE.sub(_NO_BREAK, text)
    return str(_CLICK_WRAP_TEXT(glued, *args, **kwargs)).replace(_NO_BREAK, " ")


#: click's modules that import ``gettext`` / ``ngettext`` under these names.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click.shell_completion",
    "click._termui_impl",
)


def gettext_fr(message: str) -> str:
    """French text for a click message id (the id itself when unknown)."""
    return CLICK_FR.get(message, message)


def ngettext_fr(singular: str, plural: str, count: int) -> str:
    """French singular or plural for a click message id pair."""
    french = CLICK_FR_PLURAL.get((singular, plural))
    if french is None:
        return singular if count == 1 else plural
    return french[0] if count == 1 else french[1]


def install() -> None:
    """Make click print French (idempotent; called when ``linkytool.cli`` is imported)."""
    replacements: dict[str, Callable[..., str]] = {"_": gettext_fr, "ngettext": ngettext_fr}
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        for attribute, function in replacements.items():
            if hasattr(module, attribute):
                setattr(module, attribute, function)
    for param_type, french_name in TYPE_NAMES.items():
        param_type.name = french_name
    click.types._NumberRangeBase._describe_range = describe_range  # type: ignore[method-assign,assignment]
    click.types.FloatParamType.convert = _convert_french_float  # type: ignore[method-assign,assignment]
    click.core.Option.get_help_extra = _french_help_extra  # type: ignore[method-assign]
    click.formatting.wrap_text = wrap_french
