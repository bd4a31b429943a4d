"""Readers of load-curve files: linkytool long and wide CSV, the Enedis style with four
quarter-hour values per line, and the Enedis customer portal export ("Mes données").

Each reader returns a :class:`CurveFile`: per PRM, the step starts [epoch s], mean powers
[W] and source lines, unsorted and unchecked for gaps (the loader does that, knowing the
whole operation). Negative or unreadable values are refused here, with file and line.
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np

from linkytool.acc.csvtext import (
    PRM_PATTERN,
    CsvTable,
    LocalTimes,
    check_field_count,
    first_text,
    normalise_header,
    parse_date,
    parse_instant,
    parse_number,
    parse_prm,
    read_json_text,
    read_table,
    refuse_extra_fields,
)
from linkytool.acc.errors import AccInputError, OptionRef
from linkytool.acc.model import FloatArray, IntArray
from linkytool.acc.spool import RowSpool, SeriesSummary, summarise
from linkytool.acc.timegrid import format_local_french, paris_midnight
from linkytool.textfmt import french_agree, french_count, french_number

Timestamps = Literal["start", "end"]

PRM_NAMES = ("prm", "identifiant prm", "id prm", "point", "prm_id")
TIME_NAMES = ("timestamp", "horodate", "date", "datetime", "horodatage")
VALUE_NAMES = ("w", "valeur", "value", "puissance", "puissance_w", "power_w")


class Series:
    """Values of one PRM in one file: step starts [epoch s], powers [W], source lines, in
    the order of the file.

    Held in memory (the per-line readers), or rows of a :class:`~linkytool.acc.spool.RowSpool`
    fetched when asked (a large long file: one bucket of PRMs at a time).
    """

    __slots__ = ("_arrays", "_index", "_spool", "_summary", "declared_step", "prm")

    def __init__(
        self,
        prm: str,
        starts: IntArray | None = None,
        values: FloatArray | None = None,
        lines: IntArray | None = None,
        declared_step: int | None = None,
        *,
        spool: RowSpool | None = None,
        index: int = 0,
        summary: SeriesSummary | None = None,
    ) -> None:
        self.prm = prm
        #: Step declared by the file [s] (portal "Pas en minutes"), else None (inferred).
        self.declared_step = declared_step
        self._arrays: tuple[IntArray, FloatArray, IntArray] | None = None
        if starts is not None and values is not None and lines is not None:
            self._arrays = (starts, values, lines)
        elif spool is None:
            raise ValueError("a series needs its arrays or its spool")
        self._spool = spool
        self._index = index
        self._summary = summary

    def arrays(self) -> tuple[IntArray, FloatArray, IntArray]:
        """Starts, values and lines."""
        if self._arrays is not None:
            return self._arrays
        assert self._spool is not None
        return self._spool.rows(self._index)

    @property
    def starts(self) -> IntArray:
        return self.arrays()[0]

    @property
    def values(self) -> FloatArray:
        return self.arrays()[1]

    @property
    def lines(self) -> IntArray:
        return self.arrays()[2]

    @property
    def summary(self) -> SeriesSummary:
        """Row count, first and last starts and the step the data shows (cached)."""
        if self._summary is None:
            self._summary = summarise(self.starts)
        return self._summary

    def release(self) -> None:
        """Drop the values (once placed); the spool goes with its last series."""
        self._summary = self.summary
        self._arrays = _EMPTY
        if self._spool is not None:
            self._spool.release_one()
            self._spool = None


_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64))


@dataclass
class SeriesBuilder:
    """A :class:`Series` filled value by value (the exact, per-line readers)."""

    prm: str
    starts: array[int] = field(default_factory=lambda: array("q"))
    values: array[float] = field(default_factory=lambda: array("d"))
    lines: array[int] = field(default_factory=lambda: array("q"))
    declared_step: int | None = None

    def add(self, start: int, value: float, line: int) -> None:
        self.starts.append(start)
        self.values.append(value)
        self.lines.append(line)

    def build(self) -> Series:
        return Series(
            self.prm,
            np.frombuffer(self.starts, dtype=np.int64).copy(),
            np.frombuffer(self.values, dtype=np.float64).copy(),
            np.frombuffer(self.lines, dtype=np.int64).copy(),
            self.declared_step,
        )


def _built(builders: dict[str, SeriesBuilder]) -> dict[str, Series]:
    return {prm: builder.build() for prm, builder in builders.items()}


@dataclass
class CurveFile:
    """One curve file read: its format and its series by PRM."""

    path: str
    format: str
    series: dict[str, Series]
    notes: list[str] = field(default_factory=list)
    #: Grandeur métier of a portal export ("Consommation"/"Production"), when stated.
    kind: str | None = None


def _power(text: str, table: CsvTable, line: int) -> float:
    value = parse_number(text, table, line, "La puissance")
    if value < 0:
        raise AccInputError(
            f"puissance négative ({text} W).",
            path=table.path,
            line=line,
            hint="Les courbes sont des puissances moyennes soutirées ou injectées, jamais "
            "négatives : séparez consommation et production dans deux fichiers.",
        )
    return value


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    for index, name in enumerate(header):
        if name in names:
            return index
    return None


def _series(result: dict[str, SeriesBuilder], prm: str) -> SeriesBuilder:
    series = result.get(prm)
    if series is None:
        series = result[prm] = SeriesBuilder(prm)
    return series


def _long_columns(header: list[str]) -> tuple[int, int, int]:
    i_prm, i_time, i_value = (
        _find(header, PRM_NAMES),
        _find(header, TIME_NAMES),
        _find(header, VALUE_NAMES),
    )
    assert i_prm is not None and i_time is not None and i_value is not None
    return i_prm, i_time, i_value


def read_long(table: CsvTable) -> CurveFile:
    """``prm,timestamp,w``: one value per line (the contract's format).

    Read by the native reader (:mod:`linkytool.acc.fastcsv`) when it can take the file,
    else line by line (:func:`read_long_exact`), which gives the same values or the exact
    message.
    """
    from linkytool.acc.fastcsv import FastPathRejected, fast_reader_available

    header_line, fields = table.header()
    if header_line == 1 and fast_reader_available():
        try:
            return _read_long_fast(table, normalise_header(fields))
        except FastPathRejected:
            pass
    return read_long_exact(table)


def _read_long_fast(table: CsvTable, header: list[str]) -> CurveFile:
    from linkytool.acc.fastcsv import LongReader

    reader = LongReader(table, header, _long_columns(header))
    spool = RowSpool()
    for block in reader.blocks():  # each block goes to the spool, then is dropped
        spool.add(block.codes, block.starts, block.values, block.lines)
    return CurveFile(table.path, "long", _spooled(spool, reader.prms))


def _spooled(spool: RowSpool, prms: list[str]) -> dict[str, Series]:
    """The series of a finished spool, by PRM in order of first appearance."""
    indexes = spool.finish(prms)
    return {
        prm: Series(prm, spool=spool, index=index, summary=summary)
        for prm, (index, summary) in zip(prms, indexes, strict=True)
    }


#: Rows the exact long reader gathers before handing them to its spool.
EXACT_BATCH_ROWS = 1 << 16


def read_long_exact(table: CsvTable) -> CurveFile:
    """``prm,timestamp,w`` read line by line with Python's csv module (exact messages)."""
    header = normalise_header(table.header()[1])
    i_prm, i_time, i_value = _long_columns(header)
    width = max(i_prm, i_time, i_value) + 1
    codes: dict[str, int] = {}
    prms: list[str] = []
    spool = RowSpool()
    batch: tuple[array[int], array[int], array[float], array[int]] = (
        array("q"), array("q"), array("d"), array("q")
    )  # fmt: skip
    add_code, add_start, add_value, add_line = (
        batch[0].append,
        batch[1].append,
        batch[2].append,
        batch[3].append,
    )
    for line, fields in table.rows():
        check_field_count(fields, width, len(header), table, line)
        if not fields[i_value]:
            continue  # an empty value is a missing step
        code = codes.get(fields[i_prm])
        if code is None:  # first line of this PRM: check it once
            prm = parse_prm(fields[i_prm], table, line)
            code = codes.get(prm)
            if code is None:
                code = codes[prm] = len(prms)
                prms.append(prm)
        add_code(code)
        add_start(parse_instant(fields[i_time], table, line))
        add_value(_power(fields[i_value], table, line))
        add_line(line)
        if len(batch[0]) >= EXACT_BATCH_ROWS:
            _hand_over(spool, batch)
    _hand_over(spool, batch)
    return CurveFile(table.path, "long", _spooled(spool, prms))


def _hand_over(
    spool: RowSpool, batch: tuple[array[int], array[int], array[float], array[int]]
) -> None:
    """Give the gathered rows to the spool and empty the batch."""
    if not batch[0]:
        return
    spool.add(
        np.frombuffer(batch[0], dtype=np.int64).copy(),
        np.frombuffer(batch[1], dtype=np.int64).copy(),
        np.frombuffer(batch[2], dtype=np.float64).copy(),
        np.frombuffer(batch[3], dtype=np.int64).copy(),
    )
    for column in batch:
        del column[:]


def read_wide(table: CsvTable) -> CurveFile:
    """``timestamp,<PRM>,<PRM>...``: one column per PRM, one line per step."""
    header_line, header_fields = table.header()
    prms = [parse_prm(name, table, header_line) for name in header_fields[1:]]
    result: dict[str, SeriesBuilder] = {prm: SeriesBuilder(prm) for prm in prms}
    for line, fields in table.rows():
        refuse_extra_fields(fields, len(header_fields), table, line)
        start = parse_instant(fields[0], table, line)
        for prm, text in zip(prms, fields[1:], strict=False):
            if text:
                result[prm].add(start, _power(text, table, line), line)
    return CurveFile(table.path, "wide", _built(result))


def read_quarter_hours(table: CsvTable) -> CurveFile:
    """Enedis style: ``prm,timestamp,w1,w2,w3,w4``, four quarter-hour values per line.

    ``timestamp`` is the start of the first quarter-hour, with its offset, or in Europe/Paris
    local time read by :class:`~linkytool.acc.csvtext.LocalTimes`: a time the clocks skip
    is refused; within the repeated fall-back hour a PRM's first line at a local time is the
    ``+02:00`` one and its second the ``+01:00`` one (lines in chronological order), a time
    shown only once is refused.
    """
    header = normalise_header(table.header()[1])
    i_prm, i_time = _find(header, PRM_NAMES), _find(header, TIME_NAMES)
    assert i_prm is not None and i_time is not None
    value_columns = [i for i in range(len(header)) if i not in (i_prm, i_time)]
    result: dict[str, SeriesBuilder] = {}
    local = LocalTimes(table.path)
    for line, fields in table.rows():
        refuse_extra_fields(fields, len(header), table, line)
        prm = parse_prm(fields[i_prm], table, line)
        start = local.instant(fields[i_time], prm, line)
        series = _series(result, prm)
        for offset, column in enumerate(value_columns):
            if column < len(fields) and fields[column]:
                series.add(start + 900 * offset, _power(fields[column], table, line), line)
        series.declared_step = 900
    local.finish()
    return CurveFile(table.path, "quarter-hour", _built(result), _repeated_note(table.path, local))


def _repeated_note(path: str, local: LocalTimes, *, readings: bool = False) -> list[str]:
    """The note saying how many lines (Data Connect: ``readings``) of the repeated
    fall-back hour the file's order settled (none: no note)."""
    n = local.repeated
    if not n:
        return []
    counted = (
        french_count(n, "relevé", "relevés") if readings else french_count(n, "ligne", "lignes")
    )
    read = french_agree(n, "lu", "lus") if readings else french_agree(n, "lue", "lues")
    return [
        f"{Path(path).name} : {counted} dans l'heure répétée du passage à l'heure d'hiver "
        f"(heure sans décalage), {read} comme la seconde (+01:00) d'après l'ordre du fichier."
    ]


PORTAL_FIRST = "identifiant prm"


def infer_convention(
    path: str,
    first_stamp: int,
    step: int,
    first_day: date | None,
    timestamps: Timestamps | None,
    *,
    what: str,
) -> tuple[Timestamps, list[str]]:
    """Whether an export's timestamps mark the start or the end of each step.

    Decided from the export's first day: first stamp at 00:00 -> start, at 00:00 plus one
    step -> end; otherwise ``timestamps`` must say it. Returns the convention and a note.
    """
    if timestamps is not None:
        return timestamps, []
    hint = "Précisez {0} ou {1}."
    about = (OptionRef("timestamps", "start"), OptionRef("timestamps", "end"))
    if first_day is None:
        raise AccInputError(
            f"date de début absente : impossible de savoir si {what} marque le début ou la "
            "fin du pas.",
            path=path,
            hint=hint,
            options=about,
        )
    midnight = paris_midnight(first_day)
    if first_stamp == midnight + step:
        convention: Timestamps = "end"
    elif first_stamp == midnight:
        convention = "start"
    else:
        raise AccInputError(
            f"la première valeur ({format_local_french(first_stamp)}) ne tombe ni au début du "
            f"{first_day:%d/%m/%Y} ni un pas plus tard : impossible de savoir si {what} "
            "marque le début ou la fin du pas.",
            path=path,
            hint=hint,
            options=about,
        )
    note = (
        f"{Path(path).name} : {what} lu comme {'la fin' if convention == 'end' else 'le début'}"
        " du pas (déduit de la date de début de l'export)."
    )
    return convention, [note]


def read_portal(table: CsvTable, timestamps: Timestamps | None) -> CurveFile:
    """Enedis customer portal export ("Mes données", load curve), semicolon separated.

    Preamble line, one description line, then ``Horodate;Valeur`` rows. The portal's
    ``Horodate`` is read as the *end* of the step when the first row is ``Date de debut``
    plus one step, as the start when it is ``Date de debut`` 00:00; anything else needs
    ``timestamps``. Values are moved to the step start.
    """
    path = table.path
    lines = list(table.all_lines())
    preamble = normalise_header(lines[0][1])
    if len(lines) < 3:
        raise AccInputError("export du portail Enedis incomplet.", path=path)
    line_desc, desc = lines[1]
    info = dict(zip(preamble, desc, strict=False))
    prm = parse_prm(info.get("identifiant prm", ""), table, line_desc)
    data_type = info.get("type de donnees", info.get("type de données", ""))
    if data_type and "courbe" not in data_type.lower():
        raise AccInputError(
            f"cet export contient « {data_type} », pas une courbe de charge.",
            path=path,
            hint="Sur le portail Enedis, exportez la « Courbe de charge » (puissance en W "
            "par pas), pas les index quotidiens.",
        )
    unit = info.get("unite", info.get("unité", "W")).strip()
    if unit and unit.upper() != "W":
        raise AccInputError(f"unité « {unit} » : linkytool attend des puissances en W.", path=path)
    step_text = info.get("pas en minutes", "").strip()
    declared = int(float(step_text)) * 60 if step_text else None
    header_at = next(
        (i for i, (_, fields) in enumerate(lines) if fields[0].lower() == "horodate"),
        None,
    )
    if header_at is None:
        raise AccInputError("ligne d'en-tête « Horodate;Valeur » introuvable.", path=path)
    header = normalise_header(lines[header_at][1])
    if len(header) > 2 and any("releve" in name or "relevé" in name for name in header):
        raise AccInputError(
            "cet export contient des index (Type de relevé, EAS F1...), pas une courbe de charge.",
            path=path,
            hint="Exportez la « Courbe de charge » depuis le portail Enedis.",
        )
    rows: list[tuple[int, int, str]] = []
    for line, fields in lines[header_at + 1 :]:
        rows.append(
            (line, parse_instant(fields[0], table, line), fields[1] if len(fields) > 1 else "")
        )
    if not rows:
        raise AccInputError("aucune valeur dans l'export.", path=path)
    starts = sorted(r[1] for r in rows)
    diffs = [b - a for a, b in itertools.pairwise(starts) if b > a]
    step = declared or (min(diffs) if diffs else 1800)
    first_day = parse_date(info.get("date de debut", info.get("date de début", "")))
    convention, notes = infer_convention(
        path, starts[0], step, first_day, timestamps, what="« Horodate »"
    )
    shift = step if convention == "end" else 0
    series = SeriesBuilder(prm, declared_step=declared)
    for line, start, text in rows:
        if text:
            series.add(start - shift, _power(text, table, line), line)
    kind = info.get("grandeur metier", info.get("grandeur métier"))
    return CurveFile(path, "portal", {prm: series.build()}, notes, kind=kind)


def _reading_value(raw: object) -> float:
    """A Data Connect ``value`` (W, as text or number); ``1_000`` and non-ASCII digits,
    which float() would take, are refused."""
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise TypeError("value")
    text = str(raw)
    if not text.isascii() or "_" in text:
        raise ValueError(text)
    return float(text)


DATA_CONNECT_STEPS = {"PT5M": 300, "PT10M": 600, "PT15M": 900, "PT30M": 1800, "PT60M": 3600}


def read_data_connect(path: str, text: str, timestamps: Timestamps | None) -> CurveFile:
    """Enedis Data Connect load curve (JSON): ``meter_reading.interval_reading[]``.

    Each reading has ``value`` (W, as text), ``date`` (local Europe/Paris time without
    offset) and ``interval_length`` (``PT30M``...). Whether ``date`` is the start or the end
    of the step is inferred from ``meter_reading.start`` as for portal exports. Within the
    repeated fall-back hour a local time seen a second time is the ``+01:00`` one; those
    readings are counted in the notes. "ligne N" in messages means reading number N.
    """
    import json

    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AccInputError(f"JSON illisible ({exc.msg}).", path=path, line=exc.lineno) from exc
    except RecursionError:
        raise AccInputError(
            "JSON imbriqué trop profondément : ce n'est pas une courbe Data Connect.",
            path=path,
            hint="Fournissez la réponse de l'API « consumption_load_curve » ou "
            "« production_load_curve » telle quelle.",
        ) from None
    reading = document.get("meter_reading", document) if isinstance(document, dict) else None
    items = reading.get("interval_reading") if isinstance(reading, dict) else None
    if not isinstance(reading, dict) or not isinstance(items, list):
        raise AccInputError(
            "JSON sans « meter_reading.interval_reading » : ce n'est pas une courbe Data Connect.",
            path=path,
            hint="Fournissez la réponse de l'API « consumption_load_curve » ou "
            "« production_load_curve », ou un CSV.",
        )
    prm = str(reading.get("usage_point_id", ""))
    if not PRM_PATTERN.fullmatch(prm):
        raise AccInputError(f"usage_point_id « {prm} » n'est pas un PRM.", path=path)
    unit = str((reading.get("reading_type") or {}).get("unit", "W"))
    if unit.upper() != "W":
        raise AccInputError(f"unité « {unit} » : linkytool attend des puissances en W.", path=path)
    local = LocalTimes(path, "date", feminine=True)
    stamps: list[tuple[int, int, float]] = []  # (reading number, instant, value)
    steps: set[int] = set()
    for number, item in enumerate(items, start=1):
        try:
            date_text = str(item["date"])
            datetime.fromisoformat(date_text)
            step = DATA_CONNECT_STEPS[str(item.get("interval_length", "PT30M"))]
            value = _reading_value(item["value"])
        except (KeyError, ValueError, TypeError, AttributeError):
            raise AccInputError(
                f"relevé illisible : {item!r}.",
                path=path,
                line=number,
                hint="Chaque relevé doit avoir value (W), date et interval_length (PT30M...).",
            ) from None
        if value < 0 or not math.isfinite(value):
            raise AccInputError(
                f"puissance {french_number(value)} W invalide.", path=path, line=number
            )
        instant = local.instant(date_text, prm, number)
        steps.add(step)
        stamps.append((number, instant, value))
    if not stamps:
        raise AccInputError("aucun relevé dans la courbe Data Connect.", path=path)
    local.finish()
    if len(steps) > 1:
        raise AccInputError(
            "le pas change en cours de fichier ("
            + ", ".join(f"{s // 60} min" for s in sorted(steps))
            + ").",
            path=path,
            hint="Demandez la courbe par périodes de pas constant.",
        )
    step = steps.pop()
    first_day = parse_date(str(reading.get("start", "")))
    convention, notes = infer_convention(
        path, min(s[1] for s in stamps), step, first_day, timestamps, what="« date »"
    )
    notes.extend(_repeated_note(path, local, readings=True))
    shift = step if convention == "end" else 0
    series = SeriesBuilder(prm, declared_step=step)
    for number, instant, value in stamps:
        series.add(instant - shift, value, number)
    return CurveFile(path, "data-connect", {prm: series.build()}, notes)


def read_curve_file(
    path: str | Path,
    timestamps: Timestamps | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CurveFile:
    """Read a load-curve file in any supported format (detected from its header).

    ``progress(lines_done, lines_total)`` is called while long files are read.
    """
    table = read_table(path, progress)
    sniff = table.known_encoding or "ascii"
    if first_text(table.path, sniff, 4096).lstrip().startswith(("{", "[")):
        text = read_json_text(table.path, table.encoding)
        return read_data_connect(table.path, text, timestamps)
    _, first = table.header()
    header = normalise_header(first)
    if header[0] == PORTAL_FIRST:
        return read_portal(table, timestamps)
    has_prm = _find(header, PRM_NAMES) is not None
    has_time = _find(header, TIME_NAMES) is not None
    if has_prm and has_time and _find(header, VALUE_NAMES) is not None:
        return read_long(table)  # extra columns (quality flags...) are ignored
    if has_prm and has_time and len(header) == 6:
        return read_quarter_hours(table)
    if header[0] in TIME_NAMES and len(header) > 1 and all(name.isdigit() for name in header[1:]):
        return read_wide(table)
    raise AccInputError(
        f"format de courbe non reconnu (en-tête : {';'.join(first)}).",
        path=str(path),
        line=table.header()[0],
        hint="Formats acceptés : « prm,timestamp,w » (une valeur par ligne), « timestamp,"
        "<PRM>,<PRM>… » (une colonne par PRM), « prm,timestamp,w1,w2,w3,w4 » (4 quarts "
        "d'heure par ligne) ou l'export « Courbe de charge » du portail Enedis.",
    )
