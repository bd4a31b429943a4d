"""Readers of the non-curve inputs: distribution coefficients, perimeter (entries and
exits of participants) and the time-of-use calendar. They return plain records; the loader
maps them onto the operation's time grid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from linkytool.acc.csvtext import (
    CsvTable,
    check_field_count,
    normalise_header,
    parse_day_or_instant,
    parse_instant,
    parse_number,
    parse_prm,
    read_table,
)
from linkytool.acc.errors import AccInputError, OptionRef
from linkytool.acc.labels import KEY_NAMES
from linkytool.acc.model import IntArray, KeyKind
from linkytool.acc.timegrid import TimeGrid, format_local_french

COEFFICIENT_HEADERS: dict[KeyKind, tuple[str, ...]] = {
    KeyKind.STATIC: ("prm", "coefficient"),
    KeyKind.DYNAMIC: ("timestamp", "prm", "coefficient"),
    KeyKind.FULL: ("timestamp", "producer", "consumer", "coefficient"),
}


@dataclass(frozen=True)
class CoefficientRow:
    """One coefficient line; ``coefficient`` as a fraction (0..1)."""

    line: int
    consumer: str
    coefficient: float
    start: int | None = None  # step start (dynamic keys) or validity start (static)
    producer: str | None = None


@dataclass
class CoefficientFile:
    path: str
    key: KeyKind
    #: Read lazily, once: a month of dynamic keys can have millions of lines.
    rows: Iterator[CoefficientRow]


def _columns(
    table: CsvTable, wanted: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, int]:
    line, fields = table.header()
    header = normalise_header(fields)
    missing = [name for name in wanted if name not in header]
    if missing:
        raise AccInputError(
            f"colonnes manquantes : {', '.join(missing)} (en-tête lu : {';'.join(fields)}).",
            path=table.path,
            line=line,
            hint=f"En-tête attendu : {','.join(wanted)}.",
        )
    return {name: header.index(name) for name in (*wanted, *optional) if name in header}


def _rows(
    table: CsvTable, columns: dict[str, int], required: tuple[str, ...]
) -> Iterator[tuple[int, list[str]]]:
    """The data lines of ``table``, each as many fields as its header: a line with more
    is refused (a decimal comma in a comma file splits a value: « 60,5 » would be read as
    60), one without a required column too; optional columns missing at the end of a
    line are empty."""
    width = len(table.header()[1])
    needed = max(columns[name] for name in required) + 1
    for line, fields in table.rows():
        check_field_count(fields, needed, width, table, line)
        yield line, fields + [""] * (width - len(fields))


def read_coefficients(
    path: str | Path, key: KeyKind, progress: Callable[[int, int], None] | None = None
) -> CoefficientFile:
    """Coefficients in percent for ``key`` (static, dynamic or full), as fractions.

    Static files may carry an optional ``from`` column (date or instant): each group of
    lines with the same ``from`` is a full set valid until the next one.
    """
    table = read_table(path, progress)
    wanted = COEFFICIENT_HEADERS[key]
    header = set(normalise_header(table.header()[1]))
    looks_like = next(
        (
            kind
            for kind in (KeyKind.FULL, KeyKind.DYNAMIC)
            if set(COEFFICIENT_HEADERS[kind]) <= header
        ),
        KeyKind.STATIC,
    )
    if looks_like is not key and set(COEFFICIENT_HEADERS[looks_like]) <= header:
        raise AccInputError(
            f"ce fichier contient des coefficients de {KEY_NAMES[looks_like]} (colonnes "
            f"{','.join(COEFFICIENT_HEADERS[looks_like])}), pas de {KEY_NAMES[key]}.",
            path=table.path,
            line=table.header()[0],
            hint=f"Choisissez {{0}}, ou donnez un fichier au format {','.join(wanted)}.",
            options=(OptionRef("key", looks_like.value),),
        )
    columns = _columns(table, wanted, ("from",))
    return CoefficientFile(table.path, key, _coefficient_rows(table, key, columns))


def _coefficient_rows(
    table: CsvTable, key: KeyKind, columns: dict[str, int]
) -> Iterator[CoefficientRow]:
    for line, fields in _rows(table, columns, COEFFICIENT_HEADERS[key]):
        written = fields[columns["coefficient"]].removesuffix("%").strip()  # "60 %" as typed
        percent = parse_number(written, table, line, "Le coefficient")
        if not 0 <= percent <= 100:
            raise AccInputError(
                f"coefficient {fields[columns['coefficient']]} % hors de 0–100 %.",
                path=table.path,
                line=line,
                hint="Les coefficients sont en pourcentage de la production (0 à 100).",
            )
        start: int | None = None
        producer: str | None = None
        if key is KeyKind.STATIC:
            consumer = parse_prm(fields[columns["prm"]], table, line)
            if "from" in columns and fields[columns["from"]]:
                start = parse_day_or_instant(
                    fields[columns["from"]], table, line, BOUND_NAMES["from"]
                )
        elif key is KeyKind.DYNAMIC:
            consumer = parse_prm(fields[columns["prm"]], table, line)
            start = parse_instant(fields[columns["timestamp"]], table, line)
        else:
            consumer = parse_prm(fields[columns["consumer"]], table, line)
            producer = parse_prm(fields[columns["producer"]], table, line)
            start = parse_instant(fields[columns["timestamp"]], table, line)
        yield CoefficientRow(line, consumer, percent / 100.0, start, producer)


@dataclass(frozen=True)
class PerimeterRow:
    """A participant's presence in the operation: ``[entry, exit)`` in epoch seconds."""

    line: int
    prm: str
    role: str  # "consumer" or "producer"
    entry: int | None
    exit: int | None


ROLES = {
    "consumer": "consumer",
    "consommateur": "consumer",
    "producer": "producer",
    "producteur": "producer",
}


#: The dates of the inputs as a message names them.
BOUND_NAMES = {
    "from": "la date de début de validité (colonne from)",
    "entry": "la date d'entrée (colonne entry)",
    "exit": "la date de sortie (colonne exit)",
}


def _refuse_window(entry: int, exit_: int, table: CsvTable, line: int) -> None:
    """An exit on or before the entry: the participant would be in for no step at all
    (``exit`` is the first day out, so a one-day participation ends the next day)."""
    shown = f"entrée {format_local_french(entry)}, sortie {format_local_french(exit_)}"
    if exit_ == entry:
        raise AccInputError(
            f"la sortie est le jour même de l'entrée ({shown}) : le participant ne serait "
            "dans l'opération à aucun pas (la sortie est le premier jour hors de l'opération).",
            path=table.path,
            line=line,
            hint="Pour une participation d'un jour, la sortie est le lendemain de l'entrée ; "
            "un PRM qui n'a jamais participé n'a pas sa place dans le périmètre (retirez sa "
            "ligne et sa courbe).",
        )
    raise AccInputError(
        f"la sortie précède l'entrée ({shown}).",
        path=table.path,
        line=line,
        hint="Vérifiez l'ordre des colonnes entry (premier jour dans l'opération) et exit "
        "(premier jour hors de l'opération).",
    )


def read_perimeter(path: str | Path) -> list[PerimeterRow]:
    """``prm,role,entry,exit``: dates (00:00 Paris) or instants; empty = open bound.

    ``exit`` is the effective date of the withdrawal: the first day out of the perimeter.
    """
    table = read_table(path)
    columns = _columns(table, ("prm", "role"), ("entry", "exit"))
    rows: list[PerimeterRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, fields in _rows(table, columns, ("prm", "role")):
        prm = parse_prm(fields[columns["prm"]], table, line)
        role = ROLES.get(fields[columns["role"]].strip().lower())
        if role is None:
            raise AccInputError(
                f"rôle « {fields[columns['role']]} » inconnu.",
                path=table.path,
                line=line,
                hint="Écrivez consumer ou producer.",
            )
        if (prm, role) in seen:
            raise AccInputError(
                f"le PRM {prm} ({role}) figure déjà ligne {seen[(prm, role)]}.",
                path=table.path,
                line=line,
                hint="Une ligne par participant : une seule entrée et une seule sortie.",
            )
        seen[(prm, role)] = line

        def bound(name: str, line: int = line, fields: list[str] = fields) -> int | None:
            if name not in columns or not fields[columns[name]]:
                return None
            return parse_day_or_instant(fields[columns[name]], table, line, BOUND_NAMES[name])

        entry, exit_ = bound("entry"), bound("exit")
        if entry is not None and exit_ is not None and exit_ <= entry:
            _refuse_window(entry, exit_, table, line)
        rows.append(PerimeterRow(line, prm, role, entry, exit_))
    return rows


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_ALIASES = {
    "lun": "mon", "mar": "tue", "mer": "wed", "jeu": "thu", "ven": "fri", "sam": "sat",
    "dim": "sun",
}  # fmt: skip


@dataclass(frozen=True)
class CalendarRule:
    """``name`` applies on ``days`` (weekday set), months, from ``start`` to ``end`` [min]."""

    line: int
    name: str
    days: frozenset[int]
    months: frozenset[int]
    start: int
    end: int


def _parse_days(text: str, table: CsvTable, line: int) -> frozenset[int]:
    value = text.strip().lower()
    if value in ("", "all", "tous"):
        return frozenset(range(7))
    result: set[int] = set()
    for part in re.split(r"[|+ ]+", value):
        bounds = [DAY_ALIASES.get(p, p) for p in part.split("-")]
        if any(b not in DAY_NAMES for b in bounds) or len(bounds) > 2:
            raise AccInputError(
                f"jours « {text} » illisibles.",
                path=table.path,
                line=line,
                hint="Exemples : all, mon-fri, sat-sun, sun.",
            )
        a, b = DAY_NAMES.index(bounds[0]), DAY_NAMES.index(bounds[-1])
        result.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(result)


def _parse_months(text: str, table: CsvTable, line: int) -> frozenset[int]:
    value = text.strip().lower()
    if value in ("", "all", "tous"):
        return frozenset(range(1, 13))
    match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", value)
    if not match:
        raise AccInputError(
            f"mois « {text} » illisibles.", path=table.path, line=line,
            hint="Exemples : all, 11-3 (novembre à mars), 4-10.",
        )  # fmt: skip
    a = int(match.group(1))
    b = int(match.group(2) or a)
    if not (1 <= a <= 12 and 1 <= b <= 12):
        raise AccInputError(f"mois « {text} » hors de 1–12.", path=table.path, line=line)
    return frozenset(range(a, b + 1) if a <= b else [*range(a, 13), *range(1, b + 1)])


def _parse_clock(text: str, table: CsvTable, line: int) -> int:
    match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", text.strip())
    if not match or int(match.group(1)) > 24 or int(match.group(2)) > 59:
        raise AccInputError(
            f"heure « {text} » illisible.", path=table.path, line=line, hint="Format HH:MM."
        )
    return int(match.group(1)) * 60 + int(match.group(2))


#: Most time-of-use classes in a calendar: supplier offers have a handful (HP/HC, four
#: seasonal posts, Tempo's six); the workbook has one row per consumer and class.
MAX_CLASSES = 64


def read_calendar(path: str | Path) -> list[CalendarRule]:
    """Time-of-use calendar: ``class,days,start,end[,months]``; first matching line wins."""
    table = read_table(path)
    required = ("class", "days", "start", "end")
    columns = _columns(table, required, ("months",))
    rules = []
    classes: set[str] = set()
    for line, fields in _rows(table, columns, required):
        classes.add(fields[columns["class"]])
        if len(classes) > MAX_CLASSES:
            raise AccInputError(
                f"plus de {MAX_CLASSES} postes horaires différents dans le calendrier.",
                path=table.path,
                line=line,
                hint="Une offre de fournisseur compte quelques postes (HP/HC, saisons, "
                "Tempo) : vérifiez la colonne « class ».",
            )
        rules.append(
            CalendarRule(
                line,
                fields[columns["class"]],
                _parse_days(fields[columns["days"]], table, line),
                _parse_months(
                    fields[columns["months"]] if "months" in columns else "", table, line
                ),
                _parse_clock(fields[columns["start"]], table, line),
                _parse_clock(fields[columns["end"]], table, line),
            )
        )
    if not rules:
        raise AccInputError("calendrier vide.", path=table.path)
    return rules


def classify_steps(
    rules: list[CalendarRule], grid: TimeGrid, path: str
) -> tuple[tuple[str, ...], IntArray]:
    """Time-of-use class of every step (local wall time of the step start).

    Rules are matched on the distinct (month, weekday, minute) of the steps, at most
    12 x 7 x 1440, and stop as soon as all are matched: the cost is linear in the rules.
    """
    position: dict[str, int] = {}
    for rule in rules:
        position.setdefault(rule.name, len(position))
    names = list(position)
    minute = grid.minute_of_day()
    weekday = grid.weekday()
    month = grid.month_number()
    keys, inverse = np.unique((month * 7 + weekday) * 1440 + minute, return_inverse=True)
    k_minute, k_weekday, k_month = keys % 1440, (keys // 1440) % 7, keys // (1440 * 7)
    result = np.full(keys.size, -1, dtype=np.int64)
    open_keys = np.arange(keys.size)
    for rule in rules:
        if open_keys.size == 0:
            break
        m, w, k = k_minute[open_keys], k_weekday[open_keys], k_month[open_keys]
        if rule.start <= rule.end:
            in_hours = (m >= rule.start) & (m < rule.end)
        else:
            in_hours = (m >= rule.start) | (m < rule.end)
        day_mask = np.zeros(7, dtype=np.bool_)
        day_mask[list(rule.days)] = True
        month_mask = np.zeros(13, dtype=np.bool_)
        month_mask[list(rule.months)] = True
        match = in_hours & day_mask[w] & month_mask[k]
        result[open_keys[match]] = position[rule.name]
        open_keys = open_keys[~match]
    index: IntArray = result[inverse.reshape(-1)]
    if (index < 0).any():
        first = int(np.flatnonzero(index < 0)[0])
        raise AccInputError(
            "aucune ligne du calendrier ne couvre le pas du "
            f"{format_local_french(grid.start + first * grid.step_s)}.",
            path=path,
            hint="Le calendrier doit couvrir toutes les heures de tous les jours "
            "(ajoutez une dernière ligne par défaut, avec sa classe : « HP,all,00:00,24:00 »).",
        )
    return tuple(names), index
