"""Low-level CSV reading shared by the ACC readers: encoding, separator, decimal comma,
numbers, PRMs and timestamps, each failure reported with file and line in French.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from linkytool.acc.errors import AccInputError
from linkytool.acc.timegrid import PARIS, paris_midnight
from linkytool.errors import describe_os_error

#: Lines between two progress reports while reading a file.
PROGRESS_LINES = 20_000

PRM_PATTERN = re.compile(r"^\d{14}$")


@dataclass
class CsvTable:
    """A CSV file with its detected dialect; data lines are parsed on demand (streamed)."""

    path: str
    text: str
    delimiter: str
    decimal_comma: bool
    #: ``progress(lines_done, lines_total)``, called every :data:`PROGRESS_LINES` lines.
    progress: Callable[[int, int], None] | None = None

    def all_lines(self) -> Iterator[tuple[int, list[str]]]:
        """Every non-blank line as ``(1-based line number, stripped fields)``."""
        reader = csv.reader(io.StringIO(self.text), delimiter=self.delimiter)
        try:
            for fields in reader:
                if any(field.strip() for field in fields):
                    yield reader.line_num, [field.strip() for field in fields]
        except csv.Error as exc:
            raise AccInputError(
                f"CSV illisible : {_csv_problem(exc)}.",
                path=self.path,
                line=reader.line_num,
                hint="Ouvrez le fichier dans un éditeur de texte à cette ligne, ou "
                "ré-exportez-le en CSV depuis le tableur.",
            ) from exc

    def header(self) -> tuple[int, list[str]]:
        """The first non-blank line."""
        for line in self.all_lines():
            return line
        raise AccInputError("le fichier est vide.", path=self.path)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The lines after the header (reporting progress when asked)."""
        lines = self.all_lines()
        next(lines, None)
        if self.progress is None:
            yield from lines
            return
        total = self.text.count("\n") + 1
        for count, item in enumerate(lines, start=1):
            if count % PROGRESS_LINES == 0:
                self.progress(item[0], total)
            yield item
        self.progress(total, total)


def _csv_problem(exc: csv.Error) -> str:
    """What the csv module's (English) error means, in French."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"un champ dépasse {csv.field_size_limit():_} caractères".replace("_", " ")
    if "new-line character seen in unquoted field" in text:
        return "retour chariot isolé au milieu d'un champ"
    if "NUL" in text:
        return "octet nul (fichier binaire ?)"
    return text


def read_text(path: str | Path) -> str:
    """File contents as text: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    "texte Unicode"), else Windows-1252; binary files (NUL bytes) are refused."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise AccInputError(
            "fichier introuvable.", path=name, hint="Vérifiez le chemin du fichier."
        ) from exc
    except OSError as exc:
        raise AccInputError(
            f"lecture impossible ({describe_os_error(exc)}).",
            path=name,
            hint="Vérifiez que c'est un fichier et que vous avez le droit de le lire.",
        ) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "texte Unicode" export
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw[:65536]:
        raise AccInputError(
            "ce n'est pas un fichier texte CSV (il contient des octets binaires).",
            path=name,
            hint="Enregistrez les données au format CSV depuis le tableur (un classeur "
            ".xlsx ou .ods n'est pas lu directement).",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def detect_delimiter(first_line: str) -> str:
    """``;`` (French spreadsheets), tab, or ``,``: decided from the header line."""
    if ";" in first_line:
        return ";"
    if "\t" in first_line:
        return "\t"
    return ","


def read_table(path: str | Path, progress: Callable[[int, int], None] | None = None) -> CsvTable:
    """Read a CSV file; the separator (and decimal comma with ``;``) comes from line 1."""
    text = read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = detect_delimiter(first)
    return CsvTable(str(path), text, delimiter, delimiter == ";", progress)


def normalise_header(fields: list[str]) -> list[str]:
    """Lower-case, trimmed header names."""
    return [field.strip().lower() for field in fields]


def parse_number(text: str, table: CsvTable, line: int, what: str) -> float:
    """A decimal number (``.``, or ``,`` in semicolon files); French error otherwise."""
    try:  # fast path: plain numbers, the vast majority
        number = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(number):
            return number
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if table.decimal_comma or (table.delimiter != "," and "," in value):
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise AccInputError(
            f"{what} « {text} » n'est pas un nombre.",
            path=table.path,
            line=line,
            hint="Utilisez un nombre décimal (point, ou virgule dans un fichier séparé "
            "par des points-virgules).",
        ) from None
    if not math.isfinite(number):
        raise AccInputError(
            f"{what} « {text} » n'est pas un nombre fini.", path=table.path, line=line
        )
    return number


def parse_prm(text: str, table: CsvTable, line: int) -> str:
    """A 14-digit PRM kept as text."""
    value = text.strip()
    if PRM_PATTERN.match(value):
        return value
    hint = "Un PRM compte 14 chiffres ; gardez la colonne au format texte."
    if re.match(r"^\d{1,13}$", value):
        hint = (
            "Un PRM compte 14 chiffres : un tableur a peut-être supprimé des zéros en tête. "
            "Formatez la colonne en texte avant d'enregistrer."
        )
    elif "e+" in value.lower():
        hint = (
            "Le tableur a écrit le PRM en notation scientifique : formatez la colonne en "
            "texte avant d'enregistrer."
        )
    raise AccInputError(f"PRM « {text} » invalide.", path=table.path, line=line, hint=hint)


_INSTANT_CACHE: dict[str, int] = {}


def parse_instant(text: str, table: CsvTable, line: int, *, naive_ok: bool = False) -> int:
    """ISO 8601 timestamp with its UTC offset -> epoch seconds.

    ``naive_ok`` accepts local Europe/Paris times without offset (ambiguous during the
    repeated fall-back hour: the first occurrence is taken).
    """
    key = text.strip()
    cached = _INSTANT_CACHE.get(key)
    if cached is not None:
        return cached
    try:
        moment = datetime.fromisoformat(key)
    except ValueError:
        raise AccInputError(
            f"horodatage « {text} » illisible.",
            path=table.path,
            line=line,
            hint="Attendu : ISO 8601 avec décalage, par exemple 2026-03-29T03:00:00+02:00.",
        ) from None
    if moment.tzinfo is None:
        if not naive_ok:
            raise AccInputError(
                f"horodatage « {text} » sans décalage horaire (+01:00 ou +02:00).",
                path=table.path,
                line=line,
                hint="Les jours de changement d'heure ne peuvent être lus sans le décalage : "
                "écrivez par exemple 2026-10-25T02:00:00+02:00 puis 2026-10-25T02:00:00+01:00.",
            )
        moment = moment.replace(tzinfo=PARIS)
    epoch = int(moment.timestamp())
    if len(_INSTANT_CACHE) < 500_000:
        _INSTANT_CACHE[key] = epoch
    return epoch


def parse_day_or_instant(text: str, table: CsvTable, line: int, what: str) -> int:
    """A date (``YYYY-MM-DD`` or ``DD/MM/YYYY``, 00:00 Europe/Paris) or an ISO instant."""
    value = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return paris_midnight(day)
    try:
        return parse_instant(value, table, line)
    except AccInputError:
        raise AccInputError(
            f"{what} « {text} » illisible.",
            path=table.path,
            line=line,
            hint="Écrivez une date AAAA-MM-JJ (00:00 heure de Paris) ou un horodatage ISO "
            "avec décalage.",
        ) from None


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` (or an ISO timestamp's date part); None if not."""
    value = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None
