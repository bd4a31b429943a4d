"""Low-level CSV reading shared by the ACC readers: encoding, separator, decimal comma,
numbers, PRMs and timestamps, each failure reported with file and line in French.
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, TextIO

from linkytool.acc.errors import AccInputError
from linkytool.acc.timegrid import PARIS, paris_midnight
from linkytool.errors import describe_os_error
from linkytool.textfmt import (
    french_count,
    french_date,
    french_datetime,
    french_megabytes,
    french_number,
    parse_french_date,
)

#: Lines between two progress reports while reading a file.
PROGRESS_LINES = 20_000

#: A PRM: 14 ASCII digits (fullwidth or other Unicode digits are refused).
PRM_PATTERN = re.compile(r"[0-9]{14}")

#: Bytes read at a time when sniffing or validating a file.
BLOCK_BYTES = 1 << 20

#: Largest JSON document read (a year of 5-minute readings is about 8 MB) [bytes].
JSON_LIMIT_BYTES = 256 << 20

#: Instants accepted in inputs [epoch s]: 01/01/2000 to 01/01/2100 (Paris). Linky load
#: curves exist since 2015 and ACC since 2017; anything outside is a typing or export error.
PLAUSIBLE_INSTANTS = (946681200, 4102441200)

BINARY_HINT = (
    "Enregistrez les données au format CSV depuis le tableur (un classeur .xlsx ou .ods "
    "n'est pas lu directement)."
)


def check_input_path(path: str | Path) -> os.stat_result:
    """Stat ``path`` and refuse what cannot be read as a bounded file (French errors).

    A missing path, a folder, a NUL byte in the name, and special files (a FIFO, a device
    such as /dev/zero, a socket), whose reading could block or never end, are refused
    before any byte is read.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except ValueError:  # embedded NUL byte
        raise AccInputError(
            "chemin invalide (il contient un octet nul).",
            path=name.replace("\x00", "\\0"),
            hint="Vérifiez le nom du fichier.",
        ) from None
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
    if stat.S_ISDIR(info.st_mode):
        raise AccInputError(
            "c'est un dossier, pas un fichier.",
            path=name,
            hint="Donnez le chemin d'un fichier CSV de ce dossier.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise AccInputError(
            "ce n'est pas un fichier ordinaire (tube nommé, périphérique ou socket) : sa "
            "lecture pourrait ne jamais finir.",
            path=name,
            hint="Enregistrez d'abord les données dans un fichier CSV, puis donnez ce fichier.",
        )
    return info


def _open_binary(path: str | Path) -> BinaryIO:
    try:
        return Path(path).open("rb")
    except OSError as exc:
        raise AccInputError(
            f"lecture impossible ({describe_os_error(exc)}).",
            path=str(path),
            hint="Vérifiez que c'est un fichier et que vous avez le droit de le lire.",
        ) from exc


def _blocks(path: str | Path) -> Iterator[bytes]:
    with _open_binary(path) as handle:
        while block := handle.read(BLOCK_BYTES):
            yield block


def _decodes(path: str | Path, encoding: str) -> bool:
    """Whether the whole file decodes with ``encoding`` (streamed, bounded memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for block in _blocks(path):
            if encoding.startswith("utf-8") and block.isascii():
                continue  # ASCII is valid UTF-8 and cannot end inside a character
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: str | Path) -> str:
    """Encoding of a text file: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
    "texte Unicode"), else Windows-1252; binary files (NUL bytes) are refused.

    The file is streamed: its size does not matter.
    """
    check_input_path(path)
    with _open_binary(path) as handle:
        head = handle.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and _decodes(path, "utf-16"):
        return "utf-16"
    if b"\x00" in head:
        raise AccInputError(
            "ce n'est pas un fichier texte CSV (il contient des octets binaires).",
            path=str(path),
            hint=BINARY_HINT,
        )
    return "utf-8-sig" if _decodes(path, "utf-8") else "cp1252"


def open_text(path: str | Path, encoding: str) -> TextIO:
    """The file as text; lines end at ``\\n`` only (a lone carriage return stays in its
    line, where the CSV reader reports it), nothing is translated."""
    errors = "replace" if encoding == "cp1252" else "strict"
    try:
        return Path(path).open(encoding=encoding, errors=errors, newline="\n")
    except OSError as exc:
        raise AccInputError(
            f"lecture impossible ({describe_os_error(exc)}).", path=str(path)
        ) from exc


@dataclass
class CsvTable:
    """A CSV file with its detected dialect; lines are streamed from the file on demand."""

    path: str
    delimiter: str
    decimal_comma: bool
    #: Decided by :func:`detect_encoding` on first use (None: not yet; the start of the
    #: file is ASCII, so the header and separator did not need it).
    known_encoding: str | None = "utf-8-sig"
    #: ``progress(lines_done, lines_total)``, called every :data:`PROGRESS_LINES` lines
    #: (here in bytes read over the file size: the line count is not known in advance).
    progress: Callable[[int, int], None] | None = None

    @property
    def encoding(self) -> str:
        """The file's encoding (a full pass over the file the first time, if needed)."""
        if self.known_encoding is None:
            self.known_encoding = detect_encoding(self.path)
        return self.known_encoding

    def all_lines(self, *, report: bool = False) -> Iterator[tuple[int, list[str]]]:
        """Every non-blank line as ``(1-based line number, stripped fields)``.

        With ``report``, :attr:`progress` is called every :data:`PROGRESS_LINES` lines with
        the bytes read so far and the file size.
        """
        progress = self.progress if report else None
        total = max(1, os.path.getsize(self.path)) if progress is not None else 1
        with open_text(self.path, self.encoding) as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                for fields in reader:
                    if progress is not None and reader.line_num % PROGRESS_LINES == 0:
                        progress(min(total, handle.buffer.tell()), total)
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
            except UnicodeDecodeError as exc:  # the file changed since its encoding was read
                raise AccInputError(
                    f"caractère illisible en {self.encoding} : le fichier a changé pendant "
                    "la lecture ?",
                    path=self.path,
                    line=reader.line_num + 1,
                ) from exc
        if progress is not None:
            progress(total, total)

    def header(self) -> tuple[int, list[str]]:
        """The first non-blank line."""
        for line in self.all_lines():
            return line
        raise AccInputError("le fichier est vide.", path=self.path)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The lines after the header (reporting progress when asked)."""
        lines = self.all_lines(report=True)
        next(lines, None)
        yield from lines


def _csv_problem(exc: csv.Error) -> str:
    """What the csv module's (English) error means, in French."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"un champ dépasse {french_number(csv.field_size_limit(), ',d')} caractères"
    if "new-line character seen in unquoted field" in text:
        return "retour chariot isolé au milieu d'un champ"
    if "NUL" in text:
        return "octet nul (fichier binaire ?)"
    return text


def read_json_text(path: str | Path, encoding: str) -> str:
    """A whole (JSON) file as text, refused above :data:`JSON_LIMIT_BYTES`."""
    size = check_input_path(path).st_size
    if size > JSON_LIMIT_BYTES:
        raise AccInputError(
            f"fichier JSON de {french_megabytes(size, 0)}, au-delà de la limite de "
            f"{french_megabytes(JSON_LIMIT_BYTES, 0)}.",
            path=str(path),
            hint="Découpez la courbe Data Connect par périodes (une réponse d'API par mois).",
        )
    with open_text(path, encoding) as handle:
        return handle.read()


def first_text(path: str | Path, encoding: str, limit: int = 1 << 20) -> str:
    """The start of the file as text (at most ``limit`` characters), for format sniffing."""
    with _open_binary(path) as handle:
        head = handle.read(limit * (4 if encoding.startswith("utf") else 1))
    text = head.decode(encoding, errors="ignore")
    return text.removeprefix("\ufeff")[:limit]


def detect_delimiter(first_line: str) -> str:
    """``;`` (French spreadsheets), tab, or ``,``: decided from the header line."""
    if ";" in first_line:
        return ";"
    if "\t" in first_line:
        return "\t"
    return ","


def read_table(path: str | Path, progress: Callable[[int, int], None] | None = None) -> CsvTable:
    """Open a CSV file; the separator (and decimal comma with ``;``) comes from line 1.

    When the first 64 KiB are plain ASCII, the encoding is decided only if a reader needs
    it (the native reader checks its blocks itself), sparing a pass over a large file.
    """
    check_input_path(path)
    with _open_binary(path) as handle:
        head = handle.read(65536)
    encoding: str | None = None
    if not head.isascii() or b"\x00" in head or not head:
        encoding = detect_encoding(path)
    start = first_text(path, encoding or "ascii")
    first = next((line for line in start.splitlines() if line.strip()), "")
    delimiter = detect_delimiter(first)
    return CsvTable(str(path), delimiter, delimiter == ";", encoding, progress)


def normalise_header(fields: list[str]) -> list[str]:
    """Lower-case, trimmed header names."""
    return [field.strip().lower() for field in fields]


NUMBER_HINT = (
    "Utilisez un nombre décimal (point, ou virgule dans un fichier séparé par des points-virgules)."
)


def _refuse_odd_number(text: str, value: str, table: CsvTable, line: int, what: str) -> None:
    """Python's float() also takes ``1_000`` and non-ASCII digits (``５００``): refused."""
    if "_" in value:
        raise AccInputError(
            f"{what} « {text} » contient « _ » : ce n'est pas un séparateur accepté.",
            path=table.path,
            line=line,
            hint="Écrivez le nombre sans séparateur de milliers (1000, pas 1_000).",
        )
    raise AccInputError(
        f"{what} « {text} » contient des caractères non ASCII (chiffres pleine largeur ou "
        "d'un autre alphabet ?).",
        path=table.path,
        line=line,
        hint="Écrivez le nombre avec les chiffres 0 à 9 ; un tableur en saisie asiatique "
        "peut produire des chiffres pleine largeur.",
    )


def parse_number(text: str, table: CsvTable, line: int, what: str) -> float:
    """A decimal number (``.``, or ``,`` in semicolon files); French error otherwise."""
    try:  # fast path: plain numbers, the vast majority
        number = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(number) and text.isascii() and "_" not in text:
            return number
    value = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if table.decimal_comma or (table.delimiter != "," and "," in value):
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise AccInputError(
            f"{what} « {text} » n'est pas un nombre.",
            path=table.path,
            line=line,
            hint=NUMBER_HINT,
        ) from None
    if not value.isascii() or "_" in value:
        _refuse_odd_number(text, value, table, line, what)
    if not math.isfinite(number):
        raise AccInputError(
            f"{what} « {text} » n'est pas un nombre fini.", path=table.path, line=line
        )
    return number


def parse_prm(text: str, table: CsvTable, line: int) -> str:
    """A 14-digit PRM kept as text."""
    value = text.strip()
    if PRM_PATTERN.fullmatch(value):
        return value
    hint = "Un PRM compte 14 chiffres ; gardez la colonne au format texte."
    if not value.isascii():
        hint = (
            "Un PRM s'écrit avec les chiffres 0 à 9 : ce champ contient d'autres caractères "
            "(chiffres pleine largeur ?). Retapez-le ou copiez-le depuis la facture."
        )
    elif re.fullmatch(r"[0-9]{1,13}", value):
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


def parse_moment(text: str, table: CsvTable | str, line: int) -> datetime:
    """An ISO 8601 timestamp, with or without offset (``table``: the file or its path)."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise AccInputError(
            f"horodatage « {text} » illisible.",
            path=table if isinstance(table, str) else table.path,
            line=line,
            hint="Attendu : ISO 8601 avec décalage, par exemple 2026-03-29T03:00:00+02:00.",
        ) from None


def parse_instant(text: str, table: CsvTable, line: int) -> int:
    """ISO 8601 timestamp with its UTC offset -> epoch seconds (a local time without
    offset is refused: the files that allow one read it with :class:`LocalTimes`)."""
    key = text.strip()
    cached = _INSTANT_CACHE.get(key)
    if cached is not None:
        return cached
    moment = parse_moment(text, table, line)
    if moment.tzinfo is None:
        raise AccInputError(
            f"horodatage « {text} » sans décalage horaire (+01:00 ou +02:00).",
            path=table.path,
            line=line,
            hint="Les jours de changement d'heure ne peuvent être lus sans le décalage : "
            "écrivez par exemple 2026-10-25T02:00:00+02:00 puis 2026-10-25T02:00:00+01:00.",
        )
    epoch = int(moment.timestamp())
    check_plausible(epoch, text, table.path, line)
    if len(_INSTANT_CACHE) < 500_000:
        _INSTANT_CACHE[key] = epoch
    return epoch


def check_plausible(epoch: int, text: str, path: str, line: int) -> None:
    """Refuse an instant outside the years 2000 to 2099."""
    if not PLAUSIBLE_INSTANTS[0] <= epoch < PLAUSIBLE_INSTANTS[1]:
        raise AccInputError(
            f"horodatage « {text} » hors des années 2000 à 2099.",
            path=path,
            line=line,
            hint="Une courbe de charge Linky date au plus tôt de 2015 : vérifiez l'année "
            "(une date comme 9999-12-31 vient souvent d'une cellule vide du tableur).",
        )


@dataclass(frozen=True)
class WallTime:
    """A Paris wall time without offset: ``instants`` it designates (one; two on the
    repeated hour of a fall-back day, summer then winter; none when the clocks skip it:
    then ``gap`` is ``(from, to)``, the wall times the clocks jump between)."""

    instants: tuple[int, ...]
    gap: tuple[datetime, datetime] | None = None


def wall_time(moment: datetime) -> WallTime:
    """What a naive ``moment`` means in Europe/Paris (see :class:`WallTime`)."""
    before = moment.replace(tzinfo=PARIS, fold=0)
    after = moment.replace(tzinfo=PARIS, fold=1)
    if before.utcoffset() == after.utcoffset():
        return WallTime((int(before.timestamp()),))
    earlier, later = sorted((int(before.timestamp()), int(after.timestamp())))
    if datetime.fromtimestamp(earlier, PARIS).replace(tzinfo=None) == moment:
        return WallTime((earlier, later))  # shown twice: fall-back day
    offsets = sorted(m.utcoffset() or timedelta(0) for m in (before, after))
    jump = later  # the time read after the jump, back to the first minute of summer time
    while datetime.fromtimestamp(jump - 60, PARIS).utcoffset() == offsets[1]:
        jump -= 60
    gap_to = datetime.fromtimestamp(jump, PARIS)
    return WallTime((), (gap_to.replace(tzinfo=None) - (offsets[1] - offsets[0]), gap_to))


def skipped_time_error(
    moment: datetime, text: str, *, path: str, line: int, what: str, gap: tuple[datetime, datetime]
) -> AccInputError:
    """« … n'existe pas »: ``moment`` falls in the hour the clocks skip; the hint says to
    write the offset or UTC (curve files)."""
    gap_from, gap_to = gap
    return AccInputError(
        f"{what} « {text} » n'existe pas : le {french_date(moment)}, les horloges passent de "
        f"{gap_from:%H:%M} à {gap_to:%H:%M} (heure d'été), {moment:%H:%M} n'a pas lieu.",
        path=path,
        line=line,
        hint="Une heure locale qui n'a pas lieu ne désigne aucun pas : écrivez les "
        f"horodatages avec leur décalage, comme linkytool les écrit ({gap_to.isoformat()} est "
        f"le premier pas de l'heure d'été), ou en UTC ({_utc(gap_to)}).",
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _repeated_hint(times: WallTime) -> str:
    """« le décalage : … ou … » of the two instants of a repeated wall time (after
    « écrivez »)."""
    summer, winter = (datetime.fromtimestamp(t, PARIS) for t in times.instants)
    return (
        f"le décalage : {summer.isoformat()} (la première, heure d'été) ou "
        f"{winter.isoformat()} (la seconde, heure d'hiver), ou l'heure UTC "
        f"({_utc(summer)} ou {_utc(winter)})."
    )


def _repeated_fact(moment: datetime) -> str:
    return (
        f"le {french_date(moment)}, {moment:%H:%M} existe deux fois (les horloges reculent de "
        "03:00 à 02:00)"
    )


class LocalTimes:
    """Europe/Paris wall times without offset in one curve file (the Enedis-style files
    with four quarter-hours per line, Data Connect), read in the file's order.

    - A time the clocks skip (02:00 to 02:59 on a spring-forward day) designates no step:
      refused, with the file, the line and the offset or UTC time to write instead.
    - A time of the repeated hour of a fall-back day is settled by the file's order, per
      PRM: its first line is the summer one (+02:00), its second the winter one (+01:00),
      provided that PRM's lines run in chronological order around them. A time that shows
      only once for its PRM (which of the two is it?), a third time, or in lines out of
      order is refused with the offsets to write.

    Call :meth:`instant` for every line of the file (lines with an offset too: they keep
    the order check honest), then :meth:`finish`.
    """

    def __init__(self, path: str, what: str = "horodatage", *, feminine: bool = False) -> None:
        self.path = path
        #: How messages name the value (« horodatage », « date » in Data Connect: feminine).
        self.what = what
        self._ambiguous = "ambiguë" if feminine else "ambigu"
        #: Readings of the repeated hour settled by the order of the file.
        self.repeated = 0
        self._times: dict[str, tuple[datetime, WallTime]] = {}
        #: (PRM, summer instant) of a repeated wall time -> its text and lines so far.
        self._seen: dict[tuple[str, int], tuple[str, list[int]]] = {}
        self._last: dict[str, tuple[int, bool, int]] = {}  # PRM -> (instant, repeated, line)

    def instant(self, text: str, prm: str, line: int) -> int:
        """Epoch seconds of ``text`` (with or without offset) on ``line`` of ``prm``."""
        what = self.what
        known = self._times.get(text)
        if known is None:
            moment = parse_moment(text, self.path, line)
            if moment.tzinfo is not None:
                times = WallTime((int(moment.timestamp()),))
            else:
                times = wall_time(moment)
            for epoch in times.instants:
                check_plausible(epoch, text, self.path, line)
            known = self._times[text] = (moment, times)
        moment, times = known
        if not times.instants:
            assert times.gap is not None
            raise skipped_time_error(
                moment, text, path=self.path, line=line, what=what, gap=times.gap
            )
        if len(times.instants) == 1:
            epoch = times.instants[0]
            self._follow(prm, epoch, line, text, None)
            return epoch
        key = (prm, times.instants[0])
        _, lines = self._seen.setdefault(key, (text, []))
        count = len(lines)
        if count >= 2:
            raise AccInputError(
                f"{what} « {text} » : {_repeated_fact(moment)}, et le PRM {prm} en a déjà "
                f"deux lignes (lignes {lines[0]} et {lines[1]}).",
                path=self.path,
                line=line,
                hint="Retirez la ligne en trop, ou écrivez " + _repeated_hint(times),
            )
        lines.append(line)
        if count:
            self.repeated += 1
        epoch = times.instants[count]
        self._follow(prm, epoch, line, text, (moment, times))
        return epoch

    def _follow(
        self, prm: str, epoch: int, line: int, text: str, repeated: tuple[datetime, WallTime] | None
    ) -> None:
        """Check the chronological order next to a line of the repeated hour (``repeated``:
        this line's wall time when it is one)."""
        last = self._last.get(prm)
        self._last[prm] = (epoch, repeated is not None, line)
        if last is None or not (repeated is not None or last[1]) or epoch > last[0]:
            return
        if repeated is None:  # the previous line was the one of the repeated hour
            previous = datetime.fromtimestamp(last[0], PARIS).replace(tzinfo=None)
            repeated = (previous, wall_time(previous))
        repeated_moment, repeated_times = repeated
        raise AccInputError(
            f"{self.what} « {text} » : {_repeated_fact(repeated_moment)} et seul l'ordre du "
            f"fichier peut dire laquelle, mais les lignes du PRM {prm} ne sont pas dans "
            f"l'ordre chronologique à cet endroit (ligne {last[2]} puis ligne {line}).",
            path=self.path,
            line=line,
            hint="Triez les lignes de chaque PRM par date et heure, ou écrivez "
            + _repeated_hint(repeated_times),
        )

    def finish(self) -> None:
        """Refuse a time of the repeated hour that showed only once for its PRM."""
        for (prm, _), (text, lines) in self._seen.items():
            if len(lines) == 1:
                moment, times = self._times[text]
                line = lines[0]
                raise AccInputError(
                    f"{self.what} « {text} » {self._ambiguous} : {_repeated_fact(moment)}, et "
                    f"le PRM {prm} n'en a qu'une ligne : rien ne dit si c'est l'heure d'été "
                    "ou l'heure d'hiver.",
                    path=self.path,
                    line=line,
                    hint="Écrivez " + _repeated_hint(times),
                )


def check_field_count(
    fields: list[str], needed: int, expected: int, table: CsvTable, line: int
) -> None:
    """A line is refused when it has fewer than ``needed`` fields (a column the reader
    uses is missing) or more than ``expected`` (the header's count, see
    :func:`refuse_extra_fields`)."""
    if len(fields) < needed:
        raise AccInputError(
            f"{french_count(len(fields), 'colonne', 'colonnes')} au lieu de {expected}.",
            path=table.path,
            line=line,
        )
    refuse_extra_fields(fields, expected, table, line)


def refuse_extra_fields(fields: list[str], expected: int, table: CsvTable, line: int) -> None:
    """A line with more fields than the header is refused, never read in part: in a file
    separated by commas, a decimal comma (« 1020,7 ») splits a value in two, and the part
    after it would be dropped without a word."""
    if len(fields) <= expected:
        return
    comma = table.delimiter == ","
    raise AccInputError(
        f"{french_count(len(fields), 'champ', 'champs')} au lieu de {expected}.",
        path=table.path,
        line=line,
        hint=(
            "Une virgule décimale ? Dans un fichier séparé par des virgules, écrivez 1020.7, "
            "ou séparez les colonnes par des points-virgules (;)."
            if comma
            else "Retirez les champs en trop (autant de champs que de colonnes dans l'en-tête)."
        ),
    )


def _local_instant(moment: datetime, text: str, table: CsvTable, line: int, what: str) -> int:
    """A Paris wall time without offset -> epoch seconds; a time the clocks skip (02:30 on
    a spring-forward day) or show twice (on a fall-back day) is refused with what to type."""
    times = wall_time(moment)
    day = french_date(moment)
    if len(times.instants) == 1:
        return parse_instant(
            datetime.fromtimestamp(times.instants[0], PARIS).isoformat(), table, line
        )
    if times.instants:  # shown twice: fall-back day
        summer, winter = (datetime.fromtimestamp(t, PARIS) for t in times.instants)
        raise AccInputError(
            f"{what} « {text} » est ambiguë : le {day}, {moment:%H:%M} existe deux fois (les "
            f"horloges reculent de 03:00 à 02:00).",
            path=table.path,
            line=line,
            hint=f"Écrivez le décalage : {summer.isoformat()} (la première, heure d'été) ou "
            f"{winter.isoformat()} (la seconde, heure d'hiver).",
        )
    assert times.gap is not None
    gap_from, gap_to = times.gap
    raise AccInputError(
        f"{what} « {text} » n'existe pas : le {day}, les horloges passent de "
        f"{gap_from:%H:%M} à {gap_to:%H:%M} (heure d'été), {moment:%H:%M} n'a pas lieu.",
        path=table.path,
        line=line,
        hint=f"Écrivez {french_datetime(gap_to.replace(tzinfo=None))} (l'heure qui suit le "
        f"changement d'heure) ou un horodatage avec décalage : {gap_to.isoformat()}.",
    )


def parse_day_or_instant(text: str, table: CsvTable, line: int, what: str) -> int:
    """A date (``YYYY-MM-DD`` or ``JJ/MM/AAAA``, 00:00 Europe/Paris), a Paris wall time
    (``JJ/MM/AAAA HH:MM``, ISO without offset) or an ISO instant with its offset.

    ``what`` names the value in a message (« la date d'entrée (colonne entry) »).
    """
    value = text.strip()
    typed: date | datetime | None = parse_french_date(value)
    if typed is None:
        try:
            typed = (
                date.fromisoformat(value)
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                else datetime.fromisoformat(value)
            )
        except ValueError:
            typed = None
    if isinstance(typed, datetime):
        if typed.tzinfo is not None:
            return parse_instant(value, table, line)
        return _local_instant(typed, text, table, line, what)
    if typed is not None:
        return paris_midnight(typed)
    raise AccInputError(
        f"{what} « {text} » est illisible.",
        path=table.path,
        line=line,
        hint="Écrivez une date JJ/MM/AAAA ou AAAA-MM-JJ (00:00 heure de Paris), ou un "
        "horodatage ISO avec décalage (2026-03-29T03:00:00+02:00).",
    )


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
