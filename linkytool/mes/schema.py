"""Dossier validation and conversion: TOML data <-> :class:`~linkytool.mes.model.Dossier`.

One generic walk over the model's dataclasses, driven by their type hints and field
metadata (label, example, check), turns the parsed TOML mapping into a dossier and
collects every problem at once as :class:`ValidationIssue` (field path, what is wrong, an
example of a right value). The reverse walk gives plain TOML-ready data. Pure: the clock
is a parameter.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import math
import re
import types
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Union, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from linkytool.mes.errors import ValidationIssue
from linkytool.mes.identifiers import is_valid_prm, is_valid_siret, normalise_digits
from linkytool.mes.model import SCHEMA_VERSION, Dossier
from linkytool.textfmt import french_number, parse_french_date

#: Times in the dossier are local times at the meter.
PARIS = ZoneInfo("Europe/Paris")
#: Clock skew tolerated before a time counts as "in the future" (phone vs laptop clocks).
FUTURE_TOLERANCE = timedelta(minutes=10)
#: Longest text a dossier field may hold [characters]: a name, an address or an inverter
#: message never comes close, and the attestation's layout stays on its pages.
MAX_TEXT_CHARS = 500
#: A decimal number as people write it: ASCII digits, an optional sign, a point or a comma
#: (fullwidth digits, "1_000", "1e3", "inf" are refused, not silently converted).
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")

_INVALID = object()


def to_paris(moment: datetime) -> datetime:
    """``moment`` as an aware Europe/Paris datetime (naive values are taken as Paris time)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    return moment.astimezone(PARIS)


#: Letters typed for the digits they look like (« 3000234567890O »).
_DIGIT_LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1"}


def _prm_problem(digits: str, value: Any) -> str:
    """Why ``digits`` (``value`` without its spaces, dots and dashes) is no PRM, in French:
    a character that is not a digit (a letter O for a zero, named), else the count."""
    others = sorted({c for c in digits if not c.isdigit()})
    if others:
        shown = ", ".join(f"« {c} »" for c in others)
        lookalike = [
            f"la lettre {c} pour le chiffre {_DIGIT_LOOKALIKES[c]}"
            for c in others
            if c in _DIGIT_LOOKALIKES
        ]
        hint = f" ({', '.join(lookalike)} ?)" if lookalike else ""
        return f"un PRM ne compte que des chiffres, pas {shown}{hint} ({_show(value)})"
    return f"un PRM compte 14 chiffres, pas {len(digits)} ({_show(value)})"


class _Walker:
    """Collects issues while converting one TOML document."""

    def __init__(self, now: datetime) -> None:
        self.now = to_paris(now)
        self.issues: list[ValidationIssue] = []

    def issue(self, path: str, problem: str, example: str | None = None) -> None:
        self.issues.append(ValidationIssue(path, problem, example))

    # -- structure ---------------------------------------------------------------------
    def dataclass_from(self, cls: type[Any], raw: Any, path: str) -> Any:
        if not isinstance(raw, Mapping):
            self.issue(path or "(fichier)", f"doit être une section [{path}], pas {_kind(raw)}")
            return cls()
        hints = get_type_hints(cls)
        known = {f.name: f for f in dataclasses.fields(cls)}
        for key in raw:
            if key not in known:
                absent = [name for name in known if name not in raw]
                close = difflib.get_close_matches(str(key), absent, n=1) or (
                    difflib.get_close_matches(str(key), list(known), n=1)
                )
                hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                self.issue(_join(path, str(key)), f"clé inconnue{hint}")
        values: dict[str, Any] = {}
        for name, field in known.items():
            meta = field.metadata
            where = _join(path, name)
            if name not in raw:
                if meta.get("optional"):
                    continue
                if dataclasses.is_dataclass(hints[name]):
                    self.issue(where, f"section [{where}] manquante ({meta.get('label')})")
                else:
                    self.issue(where, f"champ manquant ({meta.get('label')})", _example(meta))
                continue
            value = self.value(hints[name], raw[name], where, meta)
            if value is not _INVALID:
                values[name] = value
        return cls(**values)

    def value(self, tp: Any, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            inner = next(arg for arg in get_args(tp) if arg is not type(None))
            if raw == "":
                return None
            return self.value(inner, raw, path, meta)
        if origin is list:
            (item_type,) = get_args(tp)
            if not isinstance(raw, list):
                self.issue(path, f"doit être une liste de sections [[{path}]], pas {_kind(raw)}")
                return _INVALID
            return [
                self.dataclass_from(item_type, item, f"{path}[{index}]")
                for index, item in enumerate(raw, start=1)
            ]
        if dataclasses.is_dataclass(tp):
            return self.dataclass_from(tp, raw, path)  # type: ignore[arg-type]
        converter = _CONVERTERS.get(tp)
        if converter is None and isinstance(tp, type) and issubclass(tp, StrEnum):
            return self.enum(tp, raw, path, meta)
        if converter is None:  # pragma: no cover - a model field of an unsupported type
            raise TypeError(f"unsupported dossier field type {tp!r} at {path}")
        value = converter(self, raw, path, meta)
        if value is _INVALID:
            return _INVALID
        return self.check(value, path, meta)

    def enum(self, tp: type[StrEnum], raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
        choices = [member.value for member in tp]
        if isinstance(raw, str) and raw.strip() in choices:
            return tp(raw.strip())
        self.issue(
            path,
            f"valeur {_show(raw)} non reconnue ; valeurs possibles : "
            + ", ".join(f'"{c}"' for c in choices),
            _example(meta),
        )
        return _INVALID

    # -- checks ------------------------------------------------------------------------
    def check(self, value: Any, path: str, meta: Mapping[str, Any]) -> Any:
        check = meta.get("check")
        if check is None or value == "":
            return value
        example = _example(meta)
        if check == "prm":
            digits = normalise_digits(value)
            if not is_valid_prm(digits):
                self.issue(path, _prm_problem(digits, value), example)
                return _INVALID
            return digits
        if check == "siret":
            digits = normalise_digits(value)
            if not re.fullmatch(r"[0-9]{14}", digits):
                self.issue(path, f"un SIRET compte 14 chiffres ({_show(value)})", example)
                return _INVALID
            if not is_valid_siret(digits):
                self.issue(
                    path,
                    f"SIRET {digits} invalide : sa clé de contrôle (Luhn) ne correspond pas ; "
                    "vérifiez-le sur l'avis de situation INSEE ou "
                    "annuaire-entreprises.data.gouv.fr",
                    example,
                )
                return _INVALID
            return digits
        if check == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            self.issue(path, f"adresse de courriel invalide ({_show(value)})", example)
            return _INVALID
        if check == "positive" and value <= 0:
            self.issue(path, f"doit être strictement positif ({_show(value)})", example)
            return _INVALID
        if check == "non_negative" and value < 0:
            self.issue(path, f"ne peut pas être négatif ({_show(value)})", example)
            return _INVALID
        if check == "fraction" and not 0 <= value <= 1:
            self.issue(path, f"doit être compris entre 0 et 1 ({_show(value)})", example)
            return _INVALID
        if check == "sha256" and not re.fullmatch(r"[0-9a-f]{64}", value):
            self.issue(path, "empreinte SHA-256 attendue (64 caractères hexadécimaux)")
            return _INVALID
        if check == "past":
            return self.past(value, path, example)
        return value

    def past(self, value: date, path: str, example: str | None) -> Any:
        if isinstance(value, datetime):
            if value > self.now + FUTURE_TOLERANCE:
                self.issue(
                    path,
                    f"{value:%d/%m/%Y %H:%M} est dans le futur (maintenant : "
                    f"{self.now:%d/%m/%Y %H:%M}) ; vérifiez la date et l'horloge de l'appareil",
                    example,
                )
                return _INVALID
        elif value > self.now.date():
            self.issue(
                path,
                f"{value:%d/%m/%Y} est dans le futur (aujourd'hui : {self.now:%d/%m/%Y})",
                example,
            )
            return _INVALID
        return value


def _convert_str(walker: _Walker, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > MAX_TEXT_CHARS:
            walker.issue(
                path,
                f"texte trop long ({len(text)} caractères, {MAX_TEXT_CHARS} au plus)",
                _example(meta),
            )
            return _INVALID
        if "\x00" in text:
            walker.issue(path, "caractère nul interdit dans un texte", _example(meta))
            return _INVALID
        return text
    if (
        isinstance(raw, int | float)
        and not isinstance(raw, bool)
        and meta.get("check")
        in (
            "prm",
            "siret",
        )
    ):
        walker.issue(
            path,
            "doit être écrit entre guillemets (le zéro initial serait perdu)",
            _example(meta),
        )
        return _INVALID
    walker.issue(path, f"texte attendu entre guillemets, pas {_kind(raw)}", _example(meta))
    return _INVALID


def _convert_bool(walker: _Walker, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
    if isinstance(raw, bool):
        return raw
    walker.issue(path, f"true ou false attendu (sans guillemets), pas {_show(raw)}", "true")
    return _INVALID


def _convert_int(walker: _Walker, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    walker.issue(path, f"nombre entier attendu, pas {_show(raw)}", _example(meta))
    return _INVALID


def _convert_float(walker: _Walker, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
    number: float | None = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = float(raw)
    elif isinstance(raw, str) and _NUMBER_TEXT.fullmatch(raw.strip()):
        number = float(raw.strip().replace(",", "."))
    if number is not None and math.isfinite(number):
        return number
    walker.issue(
        path, f"nombre attendu (virgule décimale, sans unité), pas {_show(raw)}", _example(meta)
    )
    return _INVALID


def _convert_date(walker: _Walker, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(raw.strip())
        typed = parse_french_date(raw)
        if typed is not None and not isinstance(typed, datetime):
            return typed
    walker.issue(path, f"date JJ/MM/AAAA attendue, pas {_show(raw)}", _example(meta))
    return _INVALID


def _convert_datetime(walker: _Walker, raw: Any, path: str, meta: Mapping[str, Any]) -> Any:
    if isinstance(raw, str):
        text = raw
        with contextlib.suppress(ValueError):
            raw = datetime.fromisoformat(text.strip())
        if raw is text:
            raw = parse_french_date(text) or text
    if isinstance(raw, datetime):
        return to_paris(raw)
    if isinstance(raw, date):
        walker.issue(path, "l'heure manque (JJ/MM/AAAA HH:MM, heure locale)", _example(meta))
        return _INVALID
    walker.issue(
        path, f"date et heure JJ/MM/AAAA HH:MM attendues, pas {_show(raw)}", _example(meta)
    )
    return _INVALID


_Converter = Callable[[_Walker, Any, str, Mapping[str, Any]], Any]
_CONVERTERS: dict[Any, _Converter] = {
    str: _convert_str,
    bool: _convert_bool,
    int: _convert_int,
    float: _convert_float,
    date: _convert_date,
    datetime: _convert_datetime,
}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _example(meta: Mapping[str, Any]) -> str | None:
    """The field's example, a TOML literal (``ValidationIssue`` shows it as a file line
    or as a form's text)."""
    example = meta.get("example")
    return None if example is None else str(example)


def _show(raw: Any) -> str:
    """A value as a message quotes it: « text », a French number (``-0,5``), true/false."""
    if isinstance(raw, str):
        return f"« {raw} »"
    if isinstance(raw, bool):
        return str(raw).lower()
    if isinstance(raw, float):
        return french_number(raw)
    return repr(raw)


def _kind(raw: Any) -> str:
    names = {
        bool: "un booléen",
        int: "un nombre",
        float: "un nombre",
        str: "un texte",
        list: "une liste",
        dict: "une section",
    }
    for tp, name in names.items():
        if isinstance(raw, tp):
            return name
    if isinstance(raw, date):
        return "une date"
    return type(raw).__name__


def dossier_from_data(
    data: Mapping[str, Any], *, now: datetime
) -> tuple[Dossier, list[ValidationIssue]]:
    """Convert parsed TOML ``data`` into a dossier and the list of problems found.

    ``now`` (aware or Paris-naive) decides what "in the future" means. Fields with a
    problem keep their default value in the returned dossier.
    """
    walker = _Walker(now)
    version = data.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
        # an unknown format is refused before its content is interpreted with our rules
        newer = "plus récent que" if version > SCHEMA_VERSION else "inconnu de"
        walker.issue(
            "schema",
            f"format {version} {newer} cette version de linkytool (format {SCHEMA_VERSION}) : "
            "dossier refusé",
            f"schema = {SCHEMA_VERSION}",
        )
        return Dossier(), walker.issues
    dossier = walker.dataclass_from(Dossier, data, "")
    return dossier, walker.issues


def dossier_to_data(value: Any, *, in_list: bool = False) -> Any:
    """Plain TOML-ready data for a dossier (or part of it).

    Times become naive Paris local times (the file is read by people on site), ``None``
    becomes an empty string, and inside arrays of tables empty optional keys are dropped.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if in_list and field.metadata.get("optional") and (item in ("", None) or item is False):
                continue
            result[field.name] = dossier_to_data(item)
        return result
    if isinstance(value, list):
        return [dossier_to_data(item, in_list=True) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return to_paris(value).replace(tzinfo=None)
    if value is None:
        return ""
    return value
