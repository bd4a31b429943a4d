"""Dossier files: the French template, loading with validation, atomic comment-keeping saves.

The dossier is a human-edited TOML file. Loading uses :mod:`tomllib` and
:mod:`linkytool.mes.schema`; saving merges the model into the existing document with
``tomlkit`` so the French comments (the template's and the user's own) survive, then
writes through :func:`linkytool.fileio.atomic_write_text`: a crash leaves the previous
file intact.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Table

from linkytool.errors import InputFileError, describe_os_error
from linkytool.fileio import atomic_write_text, locked, read_regular_file
from linkytool.mes.errors import DossierError, DossierReadOnlyError
from linkytool.mes.model import Dossier
from linkytool.mes.schema import PARIS, dossier_from_data, dossier_to_data
from linkytool.textfmt import parse_french_date

#: Largest dossier file read [bytes] (a full dossier with its history is about 10 kB).
MAX_DOSSIER_BYTES = 5_000_000


def new_dossier_text() -> str:
    """The commented French template written by ``linkytool mes new``."""
    return resources.files("linkytool.mes").joinpath("template.toml").read_text(encoding="utf-8")


def parse_dossier_text(
    text: str, *, now: datetime | None = None, source: str = "dossier"
) -> Dossier:
    """Parse and validate dossier ``text``; raise :class:`DossierError` listing every issue."""
    try:
        data = tomllib.loads(text)
    except RecursionError as exc:
        raise DossierError(
            f"{source} n'est pas un dossier : structure imbriquée trop profondément.",
            hint="Repartez d'un dossier neuf (modèle commenté).",
            file=source,
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise DossierError(
            f"{source} n'est pas un fichier TOML valide : {toml_error_in_french(exc, text)}.",
            hint="Corrigez la ligne indiquée (guillemets, crochets, signe =), "
            "ou repartez d'un dossier neuf (modèle commenté).",
            file=source,
        ) from exc
    dossier, issues = dossier_from_data(data, now=now or datetime.now(PARIS))
    if issues:
        raise DossierError(
            f"{source} contient {len(issues)} erreur(s) :",
            issues=issues,
            hint="Corrigez ces champs puis relancez ; chaque ligne donne un exemple de valeur "
            "correcte.",
            file=source,
        )
    return dossier


#: tomllib's messages (English) -> French, by their fixed beginning.
_TOML_MESSAGES: tuple[tuple[str, str], ...] = (
    ("Expected '=' after a key", "signe = attendu après le nom du champ"),
    ("Expected ']' at the end of a table", "crochet ] attendu à la fin du nom de section"),
    ("Expected ']]' at the end of an array", "]] attendu à la fin du nom de liste de sections"),
    ("Expected newline or end of document", "retour à la ligne attendu après la valeur"),
    ("Unterminated string", "texte sans guillemet fermant"),
    ("Unclosed array", "liste sans crochet fermant"),
    ("Unclosed inline table", "table en ligne sans accolade fermante"),
    ("Invalid value", "valeur illisible (texte sans guillemets ?)"),
    ("Invalid date or datetime", "date ou heure invalide"),
    ("Invalid initial character for a key", "nom de champ commençant par un caractère interdit"),
    ("Invalid statement", "ligne illisible"),
    ("Cannot declare", "section déclarée deux fois"),
    ("Cannot overwrite a value", "champ donné deux fois"),
    ("Cannot redefine namespace", "section déclarée deux fois"),
    ("Duplicate inline table key", "champ donné deux fois"),
    ("Illegal character '\\n'", "guillemet fermant manquant avant la fin de la ligne"),
    ("Illegal character", "caractère interdit"),
    ("Found invalid character", "caractère interdit"),
    ("Unescaped '\\' in a string", "barre oblique inverse \\ à doubler dans un texte"),
)

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


#: A field line: its key and its value, up to an end-of-line comment.
_TOML_FIELD = re.compile(r"\s*(?P<key>[A-Za-z0-9_-]+)\s*=\s*(?P<value>[^#]*?)\s*(?:#.*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")


def _french_typo(key: str, value: str) -> str | None:
    """How to write ``value``, typed the French way without quotes (``36,01``,
    ``28/10/2026``), as TOML: the fix to suggest, or None."""
    if _DECIMAL_COMMA.fullmatch(value):
        return (
            f"un nombre s'écrit avec un point : {key} = {value.replace(',', '.')} "
            f'(ou entre guillemets : {key} = "{value}")'
        )
    typed = parse_french_date(value)
    if typed is not None:
        return (
            f"une date s'écrit AAAA-MM-JJ : {key} = {typed.isoformat()} "
            f'(ou entre guillemets : {key} = "{value}")'
        )
    return None


def toml_error_in_french(exc: tomllib.TOMLDecodeError, document: str | None = None) -> str:
    """tomllib's message in French, with its line and column; unknown ones kept as is.
    With the ``document``, a value typed the French way on that line (``36,01``,
    ``28/10/2026``) gets the right way to write it."""
    text = str(exc)
    position = _TOML_POSITION.search(text)
    where = ""
    typo = None
    if position is not None and position.group(1):
        where = f" (ligne {position.group(1)}, colonne {position.group(2)})"
        lines = (document or "").splitlines()
        number = int(position.group(1))
        field = _TOML_FIELD.fullmatch(lines[number - 1]) if 0 < number <= len(lines) else None
        if field is not None:
            typo = _french_typo(field["key"], field["value"])
    elif position is not None:
        where = " (en fin de fichier)"
    for english, french in _TOML_MESSAGES:
        if text.startswith(english):
            return french + where + (f" ; {typo}" if typo else "")
    return text


def load_dossier(path: str | Path, *, now: datetime | None = None) -> Dossier:
    """Read and validate the dossier at ``path``."""
    target = Path(path)
    try:
        raw = read_regular_file(target, limit=MAX_DOSSIER_BYTES, what="dossier")
    except InputFileError as exc:
        if not target.exists():
            raise DossierError(
                f"Dossier introuvable : {target}.",
                hint="Vérifiez le chemin, ou créez ce dossier.",
                file=str(target),
                missing=True,
            ) from exc
        raise DossierError(exc.message, file=str(target)) from exc  # device, FIFO, too big
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DossierError(
            f"{target} n'est pas un texte UTF-8 (octet {exc.start}).",
            hint="Enregistrez le fichier en UTF-8 depuis votre éditeur.",
            file=str(target),
        ) from exc
    return parse_dossier_text(text, now=now, source=str(target))


def render_dossier(dossier: Dossier, previous_text: str | None = None) -> str:
    """TOML of ``dossier`` merged into ``previous_text`` (or the template), keeping comments."""
    base = previous_text if previous_text is not None else new_dossier_text()
    try:
        document = tomlkit.parse(base)
    except (tomlkit.exceptions.ParseError, RecursionError):
        document = tomlkit.parse(new_dossier_text())
    return _render_into(document, dossier)


def _render_into(document: tomlkit.TOMLDocument, dossier: Dossier) -> str:
    """TOML of ``dossier`` merged into the parsed ``document`` (changed in place)."""
    _merge(document, dossier_to_data(dossier))
    return tomlkit.dumps(document)


def save_dossier(dossier: Dossier, path: str | Path) -> None:
    """Write ``dossier`` to ``path`` atomically, keeping the comments of the existing file.

    When the file on disk is no longer valid TOML (edited by hand meanwhile), it is first
    copied to ``NAME.invalide.toml`` so that those edits are not lost.
    """
    with locked(path) as target:
        _save_locked(dossier, target)


def update_dossier(path: str | Path, change: Callable[[Dossier], Dossier]) -> Dossier:
    """Read-modify-write of the dossier at ``path`` under its lock: ``change`` gets the
    dossier as it is on disk now and returns the one to save (concurrent updates, from
    other commands or the UI, are serialised, none is lost)."""
    with locked(path) as target:
        updated = change(load_dossier(target))
        _save_locked(updated, target)
        return updated


def refuse_write_protected(target: Path) -> None:
    """Raise :class:`DossierReadOnlyError` when the dossier file at ``target`` is
    write-protected. The atomic save renames a new file over it, which the folder's
    permission allows and which keeps the old mode: the protection would be ignored
    silently. Its mode bits are read, not ``os.access`` alone, which says yes to root."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return  # not there yet (a new dossier), or the save itself will report it
    if not mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise DossierReadOnlyError(str(target))


def _save_locked(dossier: Dossier, target: Path) -> None:
    refuse_write_protected(target)
    previous: str | None = None
    try:
        previous = target.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, UnicodeDecodeError):
        previous = None
    except OSError as exc:
        raise DossierError(
            f"Impossible de relire {target} avant l'enregistrement : {describe_os_error(exc)}."
        ) from exc
    document: tomlkit.TOMLDocument | None = None
    if previous is not None:
        try:
            document = tomlkit.parse(previous)  # parsed once: the merge below reuses it
        except (tomlkit.exceptions.ParseError, RecursionError):
            atomic_write_text(target.with_name(f"{target.stem}.invalide{target.suffix}"), previous)
    if document is None:
        document = tomlkit.parse(new_dossier_text())
    text = _render_into(document, dossier)
    _refuse_unreadable(text, target)
    atomic_write_text(target, text)


def validate_dossier(dossier: Dossier, path: str | Path) -> None:
    """Raise :class:`DossierError` when ``dossier`` would not load back once saved."""
    _refuse_unreadable(render_dossier(dossier), Path(path))


def _refuse_unreadable(text: str, target: Path) -> None:
    """Raise :class:`DossierError` when ``text`` would not load back: a change that breaks
    the schema (a negative power, NaN...) is refused and the file on disk stays as it was."""
    try:
        parse_dossier_text(text, source=str(target))
    except DossierError as exc:
        raise DossierError(
            f"Modification refusée, {target} n'a pas été modifié : le dossier "
            f"deviendrait invalide ({len(exc.issues) or 1} erreur(s)) :",
            issues=exc.issues,
            hint="Corrigez la valeur donnée puis relancez ; chaque ligne donne un exemple "
            "de valeur correcte.",
        ) from exc


def _merge(container: Container | Table, data: dict[str, Any]) -> None:
    """Write ``data`` into a tomlkit container, touching only the values that changed."""
    for key, value in data.items():
        if isinstance(value, dict):
            existing = container.get(key)
            if not isinstance(existing, Table):
                container[key] = tomlkit.table()
                existing = container[key]
            _merge(existing, value)
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            if not value and key not in container:
                continue
            existing = container.get(key)
            if isinstance(existing, AoT) and [item.unwrap() for item in existing] == value:
                continue
            array = tomlkit.aot()
            for position, item in enumerate(value, start=1):
                table = tomlkit.table()
                for sub_key, sub_value in item.items():
                    table[sub_key] = sub_value
                if position == len(value):  # tomlkit separates the others itself
                    table.add(tomlkit.nl())
                array.append(table)
            container[key] = array
        elif key not in container or _unwrap(container[key]) != value:
            container[key] = value


def _unwrap(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item
