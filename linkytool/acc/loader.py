"""Build an :class:`Operation` from the input files of the contract (acc-files.md).

The loader decides the time grid (period and ACC step), maps every series onto it
(aggregating finer meter steps exactly, refusing coarser ones), checks duplicates and
gaps against the perimeter windows, applies the gap policy and maps coefficients, the
perimeter and the time-of-use calendar. Everything it assumes or corrects is written in
``Operation.input_report`` for report.json.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from linkytool.acc.curves import CurveFile, Series, Timestamps, read_curve_file
from linkytool.acc.engine import window_mask
from linkytool.acc.errors import (
    AccInputError,
    CoefficientError,
    GapError,
    ImplausibleValueError,
    OptionRef,
)
from linkytool.acc.inputs import (
    CoefficientFile,
    CoefficientRow,
    PerimeterRow,
    classify_steps,
    read_calendar,
    read_coefficients,
    read_perimeter,
)
from linkytool.acc.labels import KEY_NAMES
from linkytool.acc.model import (
    BoolArray,
    FloatArray,
    GapPolicy,
    IntArray,
    KeyKind,
    Operation,
    StaticExcess,
    StaticSet,
)
from linkytool.acc.spool import CoefficientSpool
from linkytool.acc.store import CurveMatrix
from linkytool.acc.timegrid import (
    FIFTEEN_MINUTE_START,
    PARIS,
    TimeGrid,
    enedis_step_seconds,
    format_local,
    format_local_french,
    paris_midnight,
    true_runs,
)
from linkytool.textfmt import french_count, french_number

Progress = Callable[[int, int], None]

#: Meter steps linkytool can aggregate exactly to the ACC step [s].
METER_STEPS = (300, 600, 900, 1800, 3600)

#: Largest plausible mean power of one participant [W], by role, with the reason given to
#: the user. A value above is an error of unit or typing (1e300 W would overflow the
#: outputs and make every total meaningless), never a real site.
POWER_LIMITS_W: dict[str, tuple[float, str]] = {
    "consumer": (
        50e6,
        "aucun site raccordé au réseau de distribution ne soutire autant (le domaine HTA "
        "s'arrête à quelques dizaines de MW)",
    ),
    "producer": (
        50e6,
        "aucun producteur d'une opération d'autoconsommation collective n'injecte autant (la "
        "puissance cumulée des producteurs d'une opération est plafonnée à quelques MW)",
    ),
}


@dataclass(frozen=True)
class LoadOptions:
    """Options that change how inputs are read and the result computed."""

    key: KeyKind = KeyKind.DEFAULT
    static_excess: StaticExcess = StaticExcess.SURPLUS
    gaps: GapPolicy = GapPolicy.ERROR
    timestamps: Timestamps | None = None
    #: ACC step in minutes (15 or 30); None: Enedis's rule (15 since October 2024).
    step_minutes: int | None = None
    #: First and last local days (inclusive) to compute; None: the period of the data.
    period: tuple[date, date] | None = None

    def __post_init__(self) -> None:
        if self.period is not None and self.period[0] > self.period[1]:
            first, last = self.period
            raise AccInputError(
                f"la période demandée commence le {first:%d/%m/%Y}, après son dernier jour "
                f"({last:%d/%m/%Y}).",
                hint="Revoyez {0} : le premier jour d'abord, le dernier ensuite.",
                options=(OptionRef("period"),),
            )


@dataclass
class _Participant:
    prm: str
    role: str
    parts: list[tuple[CurveFile, Series]] = field(default_factory=list)


class _ReadingProgress:
    """Reports reading progress over several files, weighted by their sizes [bytes]."""

    def __init__(self, paths: Sequence[str | Path], callback: Progress | None) -> None:
        self.callback = callback
        self.sizes: dict[str, int] = {}
        for path in paths:
            try:
                self.sizes[str(path)] = max(1, os.path.getsize(path))
            except OSError:
                self.sizes[str(path)] = 1  # the reader reports the real problem
        self.total = sum(self.sizes.values())
        self.done = 0

    def file(self, path: str | Path) -> Progress | None:
        """The ``progress(lines_done, lines_total)`` callback of one file."""
        callback = self.callback
        if callback is None:
            return None
        base, size, total = self.done, self.sizes.get(str(path), 1), self.total
        self.done += size

        def report(lines_done: int, lines_total: int) -> None:
            callback(base + size * lines_done // max(lines_total, 1), total)

        return report


def _read_role(
    paths: Sequence[str | Path],
    role: str,
    timestamps: Timestamps | None,
    reading: _ReadingProgress,
) -> tuple[list[CurveFile], dict[str, _Participant]]:
    files = [read_curve_file(path, timestamps, reading.file(path)) for path in paths]
    participants: dict[str, _Participant] = {}
    for curve_file in files:
        if curve_file.kind:
            kind = curve_file.kind.lower()
            if role == "consumer" and kind.startswith("prod"):
                raise AccInputError(
                    "cet export est une courbe de production, donné comme consommateur.",
                    path=curve_file.path,
                    hint="Donnez-le avec {0}.",
                    options=(OptionRef("producers"),),
                )
            if role == "producer" and kind.startswith("conso"):
                raise AccInputError(
                    "cet export est une courbe de consommation, donné comme producteur.",
                    path=curve_file.path,
                    hint="Donnez-le avec {0}.",
                    options=(OptionRef("consumers"),),
                )
        for prm, series in curve_file.series.items():
            participants.setdefault(prm, _Participant(prm, role)).parts.append((curve_file, series))
    return files, participants


def _data_step(part: tuple[CurveFile, Series]) -> int | None:
    """Step of a series [s]: declared, else the smallest gap between its distinct starts."""
    series = part[1]
    return series.declared_step or series.summary.step or None


def _label(role: str) -> str:
    return "consommateur" if role == "consumer" else "producteur"


def _grid(everyone: list[_Participant], options: LoadOptions) -> tuple[TimeGrid, dict[str, Any]]:
    steps = [s for p in everyone for part in p.parts if (s := _data_step(part))]
    starts = [part[1].summary.first for p in everyone for part in p.parts if part[1].summary.count]
    if not starts:
        raise AccInputError(
            "aucune valeur dans les courbes fournies.",
            hint="Vérifiez {0} et {1}.",
            options=(OptionRef("consumers"), OptionRef("producers")),
        )
    coarsest = max(steps) if steps else 900
    if options.period is not None:
        first_day, last_day = options.period
        begin = paris_midnight(first_day)
        end = paris_midnight(last_day + timedelta(days=1))
    else:
        begin = min(starts)
        ends = [
            part[1].summary.last + (_data_step(part) or coarsest)
            for p in everyone
            for part in p.parts
            if part[1].summary.count
        ]
        end = max(ends)
    period_start = datetime.fromtimestamp(begin, PARIS)
    if options.step_minutes is not None:
        step = options.step_minutes * 60
    else:
        step = enedis_step_seconds(period_start)
        period_end = datetime.fromtimestamp(end - 1, PARIS)
        if step == 1800 and period_end >= FIFTEEN_MINUTE_START:
            raise AccInputError(
                "la période chevauche le passage au pas de 15 minutes d'Enedis "
                "(1er octobre 2024) : calculs au pas de 30 minutes avant, 15 après.",
                hint="Calculez séparément avant et après le 1er octobre 2024 ({0}), "
                "ou imposez {1}.",
                options=(OptionRef("period"), OptionRef("step")),
            )
    begin -= begin % step
    n_steps = -(-(end - begin) // step)
    info = {
        "step_minutes": step // 60,
        "step_rule": "imposé par l'utilisateur"
        if options.step_minutes
        else "règle Enedis : 15 min depuis le calcul d'octobre 2024, 30 min avant",
    }
    return TimeGrid(begin, step, n_steps), info


def _windows(
    participants: list[_Participant],
    perimeter: dict[tuple[str, str], PerimeterRow],
    grid: TimeGrid,
) -> IntArray | None:
    if not perimeter:
        return None
    windows = np.zeros((len(participants), 2), dtype=np.int64)
    for i, participant in enumerate(participants):
        row = perimeter[(participant.prm, participant.role)]
        windows[i, 0] = 0 if row.entry is None else grid.clamp_index(row.entry)
        windows[i, 1] = grid.n_steps if row.exit is None else grid.clamp_index(row.exit)
    return windows


def _locate(part: tuple[CurveFile, Series], index: int) -> str:
    curve_file, series = part
    return f"{curve_file.path}, ligne {int(series.lines[index])}"


def _place_series(
    participant: _Participant, grid: TimeGrid, report: dict[str, Any]
) -> tuple[FloatArray, BoolArray]:
    """Values on the grid [W] and a mask of the steps actually given."""
    step = grid.step_s
    total = np.zeros(grid.n_steps)
    seen = np.zeros(grid.n_steps, dtype=np.bool_)
    for part in participant.parts:
        curve_file, series = part
        data_step = _data_step(part) or step
        if data_step not in METER_STEPS or data_step > step or step % data_step:
            raise AccInputError(
                f"PRM {participant.prm} : pas de {data_step // 60} min, incompatible avec le "
                f"pas de calcul de {step // 60} min.",
                path=curve_file.path,
                hint="linkytool regroupe exactement des pas plus fins (5, 10 ou 15 min vers "
                "15 ou 30 min) mais ne peut pas découper un pas plus long : fournissez la "
                "courbe au pas de 15 minutes (ou 30 minutes avant octobre 2024).",
            )
        starts = np.asarray(series.starts, dtype=np.int64)
        values = np.asarray(series.values, dtype=np.float64)
        _refuse_implausible(participant, part, values)
        offset = starts - grid.start
        misaligned = np.flatnonzero(offset % data_step)
        if misaligned.size:
            i = int(misaligned[0])
            raise AccInputError(
                f"horodatage {format_local_french(int(starts[i]))} hors de la grille des pas de "
                f"{data_step // 60} min.",
                path=curve_file.path,
                line=int(series.lines[i]),
                hint="Chaque valeur doit commencer à un multiple du pas (00, 15, 30, 45 min).",
            )
        sub = offset // data_step
        factor = step // data_step
        n_sub = grid.n_steps * factor
        inside = (sub >= 0) & (sub < n_sub)
        if not inside.all():
            report["ignored_outside_period"] = report.get("ignored_outside_period", 0) + int(
                (~inside).sum()
            )
        if factor == 1 and inside.all() and (sub.size < 2 or (np.diff(sub) > 0).all()):
            # the common case (one value per step, in order): place directly; adding 0.0
            # turns -0.0 into 0.0 as the sums below do
            clash_at = np.flatnonzero(seen[sub])
            if clash_at.size:
                k = int(sub[clash_at[0]])
                raise AccInputError(
                    f"PRM {participant.prm} : le pas du "
                    f"{format_local_french(grid.start + k * step)} est donné par deux fichiers.",
                    path=curve_file.path,
                    hint="Ne passez chaque courbe qu'une fois.",
                )
            total[sub] = values + 0.0
            seen[sub] = True
            continue
        keep = np.flatnonzero(inside)
        order = keep[np.argsort(sub[keep], kind="stable")]
        sorted_sub = sub[order]
        same = np.flatnonzero(sorted_sub[1:] == sorted_sub[:-1])
        if same.size:
            a, b = order[same], order[same + 1]
            differ = values[a] != values[b]
            if differ.any():
                j = int(np.flatnonzero(differ)[0])
                raise AccInputError(
                    f"PRM {participant.prm} : le pas du {format_local_french(int(starts[a[j]]))} "
                    "figure deux fois avec des valeurs différentes "
                    f"({french_number(values[a[j]])} W et {french_number(values[b[j]])} W, "
                    f"{_locate(part, int(a[j]))}).",
                    path=curve_file.path,
                    line=int(series.lines[int(b[j])]),
                    hint="Supprimez le doublon erroné.",
                )
            report.setdefault("duplicates_dropped", []).append(
                {"file": curve_file.path, "prm": participant.prm, "count": int(same.size)}
            )
            drop = np.zeros(order.size, dtype=np.bool_)
            drop[same + 1] = True
            order = order[~drop]
            sorted_sub = sorted_sub[~drop]
        acc_index = sorted_sub // factor
        counts = np.bincount(acc_index, minlength=grid.n_steps)
        sums = np.bincount(acc_index, weights=values[order], minlength=grid.n_steps)
        complete = counts == factor
        partial = (counts > 0) & ~complete
        if factor > 1:
            report.setdefault("resampled", []).append(
                {
                    "file": curve_file.path,
                    "prm": participant.prm,
                    "from_minutes": data_step // 60,
                    "to_minutes": step // 60,
                    "incomplete_steps": int(partial.sum()),
                }
            )
        clash = complete & seen
        if clash.any():
            k = int(np.flatnonzero(clash)[0])
            raise AccInputError(
                f"PRM {participant.prm} : le pas du "
                f"{format_local_french(grid.start + k * step)} est donné par deux fichiers.",
                path=curve_file.path,
                hint="Ne passez chaque courbe qu'une fois.",
            )
        total[complete] = sums[complete] / factor
        seen |= complete
    return total, seen


def _refuse_implausible(
    participant: _Participant, part: tuple[CurveFile, Series], values: FloatArray
) -> None:
    """Raise :class:`ImplausibleValueError` at the first power above the role's limit."""
    limit, reason = POWER_LIMITS_W[participant.role]
    over = np.flatnonzero(values > limit)
    if over.size:
        i = int(over[0])
        raise ImplausibleValueError(
            f"PRM {participant.prm} : puissance de {french_number(values[i])} W pour un "
            f"{_label(participant.role)}, au-delà de {french_number(limit / 1e6)} MW : {reason}.",
            path=part[0].path,
            line=int(part[1].lines[i]),
            hint="Vérifiez l'unité de la colonne (des W, pas des mW ni des Wh) et la valeur "
            "à cette ligne.",
            prm=participant.prm,
        )


def _release(participant: _Participant) -> None:
    """Drop a placed participant's raw values (a file's rows go with its last series)."""
    for curve_file, series in participant.parts:
        series.release()
        curve_file.series.pop(series.prm, None)


def _missing_message(
    participant: _Participant,
    missing: IntArray,
    seen: BoolArray,
    window: tuple[int, int],
    grid: TimeGrid,
) -> tuple[str, str, tuple[OptionRef, ...]]:
    """Message, hint template and the settings it names, for missing steps."""
    paths = ", ".join(sorted({part[0].path for part in participant.parts}))
    step = grid.step_s
    present = np.flatnonzero(seen[window[0] : window[1]]) + window[0]
    op_from = format_local_french(grid.start + window[0] * step)
    op_to = format_local_french(grid.start + window[1] * step)
    if present.size == 0:
        return (
            f"{paths} : aucune valeur pour le {_label(participant.role)} {participant.prm} "
            f"sur la période du {op_from} au {op_to}.",
            "Fournissez sa courbe, ou déclarez ses dates d'entrée et de sortie avec {0}.",
            (OptionRef("perimeter"),),
        )
    if present[0] > window[0] or present[-1] < window[1] - 1:
        got_from = format_local_french(grid.start + int(present[0]) * step)
        got_to = format_local_french(grid.start + (int(present[-1]) + 1) * step)
        return (
            f"{paths} : la courbe du {_label(participant.role)} {participant.prm} couvre du "
            f"{got_from} au {got_to}, mais l'opération va du {op_from} au {op_to} "
            f"({french_count(missing.size, 'pas manquant', 'pas manquants')}).",
            "Fournissez des courbes sur la même période, restreignez {0}, déclarez les "
            "entrées/sorties dans {1}, ou choisissez {2} ou {3}.",
            (
                OptionRef("period"),
                OptionRef("perimeter"),
                OptionRef("gaps", "zero"),
                OptionRef("gaps", "default-key"),
            ),
        )
    shown = ", ".join(format_local_french(grid.start + int(k) * step) for k in missing[:5])
    more = f" (et {french_count(missing.size - 5, 'autre', 'autres')})" if missing.size > 5 else ""
    before = int(missing[0]) - 1
    line_hint = ""
    if before >= 0:
        when = grid.start + before * step
        for curve_file, series in participant.parts:
            at = np.flatnonzero(series.starts == when)
            if at.size:  # the last file that has it, as before
                line_hint = f" (après la ligne {int(series.lines[at[0]])} de {curve_file.path})"
    return (
        f"{paths} : {french_count(missing.size, 'pas manquant', 'pas manquants')} pour le "
        f"{_label(participant.role)} "
        f"{participant.prm} : {shown}{more}{line_hint}.",
        "Complétez la courbe, ou choisissez {0} (valeurs manquantes à 0 W) ou {1} (clé "
        "par défaut sur ces pas).",
        (OptionRef("gaps", "zero"), OptionRef("gaps", "default-key")),
    )


def _matrix(
    participants: list[_Participant],
    grid: TimeGrid,
    *,
    windows: IntArray | None,
    options: LoadOptions,
    report: dict[str, Any],
    forced: BoolArray,
) -> CurveMatrix:
    values = CurveMatrix(grid.n_steps, len(participants))
    for i, participant in enumerate(participants):
        column, seen = _place_series(participant, grid, report)
        window = (0, grid.n_steps) if windows is None else (int(windows[i, 0]), int(windows[i, 1]))
        inside = np.zeros(grid.n_steps, dtype=np.bool_)
        inside[window[0] : window[1]] = True
        outside_values = seen & ~inside
        if outside_values.any():
            report.setdefault("outside_perimeter", []).append(
                {
                    "prm": participant.prm,
                    "role": participant.role,
                    "steps": int(outside_values.sum()),
                }
            )
        missing = np.flatnonzero(inside & ~seen)
        if missing.size:
            if options.gaps is GapPolicy.ERROR:
                message, hint, about = _missing_message(participant, missing, seen, window, grid)
                raise GapError(message, hint=hint, options=about, prm=participant.prm)
            report.setdefault("gaps", []).append(
                {
                    "prm": participant.prm,
                    "role": participant.role,
                    "missing_steps": int(missing.size),
                    "first": format_local(grid.start + int(missing[0]) * grid.step_s),
                    "last": format_local(grid.start + int(missing[-1]) * grid.step_s),
                    "filled_with": "0 W",
                }
            )
            if options.gaps is GapPolicy.DEFAULT_KEY:
                forced[missing] = True
        column[~inside] = 0.0
        values.set_column(i, column)
        _release(participant)
    values.finish()
    return values


#: A static set summing to at most this share [fraction] was probably typed as fractions.
FRACTION_SUSPECT = 0.01


#: What a coefficient row's PRM should have been, by the option that lists those curves.
PARTICIPANT_ROLES = {"consumers": "consommateur", "producers": "producteur"}


def not_a_participant(
    coefficients: CoefficientFile, row: CoefficientRow, option: str
) -> CoefficientError:
    """The error for a coefficient row naming a PRM that has no curve among ``option``'s."""
    prm = row.consumer if option == "consumers" else row.producer
    return CoefficientError(
        f"le PRM {prm} n'est pas un {PARTICIPANT_ROLES[option]} de l'opération.",
        path=coefficients.path,
        line=row.line,
        hint="Vérifiez le PRM, ou ajoutez sa courbe avec {0}.",
        options=(OptionRef(option),),
    )


def _static_sets(
    coefficients: CoefficientFile, consumers: list[str], grid: TimeGrid, report: dict[str, Any]
) -> tuple[StaticSet, ...]:
    index = {prm: i for i, prm in enumerate(consumers)}
    groups: dict[int, dict[str, tuple[float, int]]] = {}
    for row in coefficients.rows:
        if row.consumer not in index:
            raise not_a_participant(coefficients, row, "consumers")
        start = grid.start if row.start is None else row.start
        group = groups.setdefault(start, {})
        if row.consumer in group:
            raise CoefficientError(
                f"coefficient du PRM {row.consumer} déjà donné ligne {group[row.consumer][1]}.",
                path=coefficients.path,
                line=row.line,
                hint="Un seul coefficient par consommateur (et par date « from »).",
            )
        group[row.consumer] = (row.coefficient, row.line)
    sets: list[StaticSet] = []
    for start in sorted(groups):
        first_step = grid.clamp_index(start)
        if first_step >= grid.n_steps:
            continue
        vector = np.zeros(len(consumers))
        for prm, (value, _) in groups[start].items():
            vector[index[prm]] = value
        if sets and sets[-1].first_step == first_step:
            sets.pop()
        label = f"(valables à partir du {format_local_french(max(start, grid.start))})"
        sets.append(StaticSet(first_step, vector, label))
        if 0 < vector.sum() <= FRACTION_SUSPECT:
            report.setdefault("notes", []).append(
                f"Attention : les coefficients statiques {label} totalisent "
                f"{french_number(vector.sum() * 100, '.4g')} % de la production : ils "
                "s'écrivent en pourcentage (60 pour 60 %), pas en fraction (0,6). Vérifiez le "
                "fichier de coefficients."
            )
        unlisted = [prm for prm in consumers if prm not in groups[start]]
        if unlisted:
            report.setdefault("consumers_without_coefficient", []).extend(unlisted)
    return tuple(sets)


def _dynamic(
    coefficients: CoefficientFile,
    consumers: list[str],
    producers: list[str],
    grid: TimeGrid,
    report: dict[str, Any],
) -> CoefficientSpool:
    c_index = {prm: i for i, prm in enumerate(consumers)}
    p_index = {prm: i for i, prm in enumerate(producers)}
    full = coefficients.key is KeyKind.FULL
    n_consumers = len(consumers)
    store = CoefficientSpool(
        grid.n_steps, (len(producers), n_consumers) if full else (n_consumers,)
    )
    ignored = 0
    for row in coefficients.rows:
        assert row.start is not None
        offset = row.start - grid.start
        if offset % grid.step_s:
            raise AccInputError(
                f"horodatage {format_local_french(row.start)} hors de la grille des pas de "
                f"{grid.step_s // 60} min.",
                path=coefficients.path,
                line=row.line,
                hint="Un coefficient par pas de calcul, horodaté au début du pas.",
            )
        step = offset // grid.step_s
        if not 0 <= step < grid.n_steps:
            ignored += 1
            continue
        if row.consumer not in c_index:
            raise not_a_participant(coefficients, row, "consumers")
        position = c_index[row.consumer]
        if full:
            if row.producer not in p_index:
                raise not_a_participant(coefficients, row, "producers")
            position += p_index[row.producer or ""] * n_consumers
        if not store.add(step, position, row.coefficient):
            raise CoefficientError(
                f"coefficient en double pour ce pas ({format_local_french(row.start)}) et ce PRM.",
                path=coefficients.path,
                line=row.line,
                hint="Un seul coefficient par pas et par PRM.",
            )
    if ignored:
        report["coefficients_outside_period"] = ignored
    store.finish()
    return store


#: Steps x consumers examined at once when looking for missing dynamic coefficients.
_MISSING_BLOCK_VALUES = 4_000_000


def _missing_dynamic(
    store: CoefficientSpool,
    prms: list[str],
    windows: IntArray | None,
    forced: BoolArray,
    grid: TimeGrid,
    *,
    producers: bool = False,
) -> list[dict[str, Any]]:
    """Consumers (``producers``: producers, full dynamic only) left without a coefficient
    at steps where the file gives others (0 %: their share, or the producer's whole
    output, goes to the collective surplus).

    Only steps where it matters count: steps the file covers (the default key stands in at
    the others), inside the participant's participation, not forced to the default key by
    gaps. Full dynamic: a consumer is missing when no producer gives it a line, a producer
    when it gives none. Returns, per participant concerned, its PRM, the number of steps
    and their runs (report.json).
    """
    runs: dict[int, list[tuple[int, int]]] = {}
    block = max(1, _MISSING_BLOCK_VALUES // max(1, store.width))
    for first in range(0, grid.n_steps, block):
        stop = min(grid.n_steps, first + block)
        given: BoolArray = store.given(first, stop)
        if given.ndim == 3:  # full dynamic: (steps, producers, consumers)
            given = np.any(given, axis=2 if producers else 1)
        missing = ~given & (store.covered[first:stop] & ~forced[first:stop])[:, None]
        inside = window_mask(windows, first, stop)
        if inside is not None:
            missing &= inside
        for i in np.flatnonzero(missing.any(axis=0)).tolist():
            mine = runs.setdefault(i, [])
            for a, b in true_runs(missing[:, i], first):
                if mine and mine[-1][1] == a:  # continues across blocks
                    mine[-1] = (mine[-1][0], b)
                else:
                    mine.append((a, b))
    return [
        {
            "prm": prms[i],
            "steps": sum(b - a for a, b in runs[i]),
            "ranges": grid.ranges(runs[i]),
        }
        for i in sorted(runs, key=lambda i: (runs[i][0][0], prms[i]))
    ]


def load_operation(
    consumers: Sequence[str | Path],
    producers: Sequence[str | Path],
    *,
    coefficients: str | Path | None = None,
    perimeter: str | Path | None = None,
    calendar: str | Path | None = None,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
) -> Operation:
    """Read and check every input and build the :class:`Operation` to run.

    ``progress(done, total)`` reports the reading of the curve and coefficient files, in
    bytes (the slow part of a large operation).
    """
    options = options or LoadOptions()
    reading = _ReadingProgress(
        [*consumers, *producers, *([coefficients] if coefficients is not None else [])],
        progress,
    )
    if not consumers or not producers:
        raise AccInputError(
            "il faut au moins un fichier de consommateurs et un de producteurs.",
            hint="Donnez {0} et {1}.",
            options=(OptionRef("consumers"), OptionRef("producers")),
        )
    both = {Path(f).resolve() for f in consumers} & {Path(f).resolve() for f in producers}
    if both:
        raise AccInputError(
            "le même fichier est donné comme consommateurs et comme producteurs : "
            + ", ".join(sorted(str(f) for f in both))
            + ".",
            hint="Une courbe est soit une consommation ({0}), soit une injection ({1}) ; "
            "un site qui consomme et produit a deux courbes.",
            options=(OptionRef("consumers"), OptionRef("producers")),
        )
    if options.key is not KeyKind.DEFAULT and coefficients is None:
        raise CoefficientError(
            f"la {KEY_NAMES[options.key]} demande un fichier de coefficients.",
            hint="Donnez {0}, ou choisissez {1} (clé d'Enedis au prorata des consommations).",
            options=(OptionRef("coefficients"), OptionRef("key", "default")),
        )
    c_files, c_parts = _read_role(consumers, "consumer", options.timestamps, reading)
    p_files, p_parts = _read_role(producers, "producer", options.timestamps, reading)
    for parts, files, what in (
        (c_parts, consumers, "consommateur"),
        (p_parts, producers, "producteur"),
    ):
        if not parts:
            one = str(files[0]) if len(files) == 1 else None
            raise AccInputError(
                f"aucune valeur de {what}"
                + ("." if one else f" dans {', '.join(str(f) for f in files)}."),
                path=one,
                hint="Vérifiez que le fichier contient des lignes de données sous l'en-tête.",
            )
    report: dict[str, Any] = {
        "files": [
            {"path": f.path, "role": role, "format": f.format, "prms": sorted(f.series)}
            for role, files in (("consumer", c_files), ("producer", p_files))
            for f in files
        ],
        "notes": [note for f in (*c_files, *p_files) for note in f.notes],
    }
    perimeter_rows: dict[tuple[str, str], PerimeterRow] = {}
    if perimeter is not None:
        for row in read_perimeter(perimeter):
            perimeter_rows[(row.prm, row.role)] = row
        for parts in (c_parts, p_parts):
            for participant in parts.values():
                if (participant.prm, participant.role) not in perimeter_rows:
                    raise AccInputError(
                        f"le {_label(participant.role)} {participant.prm} a une courbe mais "
                        "ne figure pas dans le périmètre.",
                        path=str(perimeter),
                        hint="Ajoutez-le au fichier de périmètre, ou retirez sa courbe.",
                    )
        for (prm, role), row in perimeter_rows.items():
            if prm not in (c_parts if role == "consumer" else p_parts):
                raise AccInputError(
                    f"le {_label(role)} {prm} du périmètre n'a pas de courbe.",
                    path=str(perimeter),
                    line=row.line,
                    hint="Ajoutez sa courbe avec {0}, ou retirez-le du périmètre.",
                    options=(OptionRef(f"{role}s"),),
                )
        report["perimeter"] = [
            {
                "prm": row.prm,
                "role": row.role,
                "entry": None if row.entry is None else format_local(row.entry),
                "exit": None if row.exit is None else format_local(row.exit),
            }
            for row in perimeter_rows.values()
        ]
    c_list = sorted(c_parts.values(), key=lambda p: p.prm)
    p_list = sorted(p_parts.values(), key=lambda p: p.prm)
    grid, grid_info = _grid([*c_list, *p_list], options)
    report.update(grid_info)
    c_windows = _windows(c_list, perimeter_rows, grid)
    p_windows = _windows(p_list, perimeter_rows, grid)
    forced = np.zeros(grid.n_steps, dtype=np.bool_)
    consumption = _matrix(
        c_list, grid, windows=c_windows, options=options, report=report, forced=forced
    )
    production = _matrix(
        p_list, grid, windows=p_windows, options=options, report=report, forced=forced
    )
    consumer_prms = [p.prm for p in c_list]
    producer_prms = [p.prm for p in p_list]
    static_sets: tuple[StaticSet, ...] = ()
    dynamic: CoefficientSpool | None = None
    if coefficients is not None and options.key is not KeyKind.DEFAULT:
        coefficient_file = read_coefficients(coefficients, options.key, reading.file(coefficients))
        if options.key is KeyKind.STATIC:
            static_sets = _static_sets(coefficient_file, consumer_prms, grid, report)
        else:
            dynamic = _dynamic(coefficient_file, consumer_prms, producer_prms, grid, report)
            missing = _missing_dynamic(dynamic, consumer_prms, c_windows, forced, grid)
            if missing:
                report["consumers_without_coefficient_steps"] = missing
            if options.key is KeyKind.FULL:
                missing = _missing_dynamic(
                    dynamic, producer_prms, p_windows, forced, grid, producers=True
                )
                if missing:
                    report["producers_without_coefficient_steps"] = missing
    elif coefficients is not None:
        report["notes"].append("Clé par défaut : le fichier de coefficients est ignoré.")
    tou_classes: tuple[str, ...] = ("BASE",)
    tou_index: IntArray | None = None
    if calendar is not None:
        tou_classes, tou_index = classify_steps(read_calendar(calendar), grid, str(calendar))
    return Operation(
        grid=grid,
        consumers=tuple(consumer_prms),
        producers=tuple(producer_prms),
        consumption=consumption,
        production=production,
        key=options.key,
        static_sets=static_sets,
        coefficients=dynamic,
        coefficients_path=None if coefficients is None else str(coefficients),
        static_excess=options.static_excess,
        consumer_windows=c_windows,
        producer_windows=p_windows,
        forced_default=forced if forced.any() else None,
        tou_classes=tou_classes,
        tou_index=tou_index,
        input_report=report,
    )
