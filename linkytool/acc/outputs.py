"""Writers of the output files of ``linkytool acc run`` (acc-files.md), all atomic.

Values are rounded only here: curves to integer W, energies to 3 decimals of kWh, with
kWh computed from unrounded powers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from linkytool import __version__
from linkytool.acc.engine import AccResult, indicators
from linkytool.acc.errors import AccError
from linkytool.acc.labels import INDICATOR_LABELS, key_title
from linkytool.acc.model import BoolArray, KeyKind
from linkytool.acc.outset import OutputSet
from linkytool.acc.rounding import add_up
from linkytool.acc.timegrid import TimeGrid, format_local, true_runs
from linkytool.errors import OutputError
from linkytool.fileio import atomic_write_bytes, atomic_write_text
from linkytool.textfmt import dumps_json

DEFAULT_CONVENTION = "ACC00000000"

READINGS = {
    "surplus_split": "Clés mutualisées (défaut, statique, dynamique simple) : surplus réparti "
    "entre producteurs au prorata de leur injection à chaque pas ; full dynamique : surplus "
    "d'un producteur = son injection non affectée (acc.md).",
    "full_scaling": "Full dynamique : si la somme des parts d'un consommateur dépasse sa "
    "consommation, toutes ses parts sont réduites dans la même proportion (acc.md).",
    "static_excess": "Statique : l'annexe 7 de la convention Enedis-FOR-CF_01E n'étant pas "
    "publique, le sort de la part qu'un consommateur ne peut absorber est un choix "
    "(option static_excess) ; défaut « surplus » tant qu'aucun mois réel d'Enedis ne dit "
    "autrement.",
    "withdrawal": "Un consommateur sorti du périmètre ne reçoit plus rien : sa part va au "
    "surplus collectif, sans redistribution (note §4.1.2).",
    "missing_coefficients": "Pas sans coefficient de la PMO : clé par défaut d'Enedis "
    "(note annexe 3 §9.3.1).",
    "missing_consumer_coefficient": "Clés dynamiques : un consommateur sans coefficient à "
    "un pas où le fichier en donne d'autres reçoit 0 % (sa part va au surplus collectif) ; "
    "la note (annexe 3 §9.3.1) prévoit la clé par défaut quand la PMO ne communique pas "
    "ses coefficients, pas pour un PRM isolé d'un pas (acc.md). Ces pas sont listés dans "
    "inputs.consumers_without_coefficient_steps.",
    "missing_producer_coefficient": "Full dynamique : un producteur sans coefficient à un "
    "pas où le fichier en donne d'autres a 0 % pour chaque consommateur : toute sa "
    "production va au surplus collectif (note §3.5 : production « qui n'a pas été "
    "affectée » ; §4.2 ne borne que le total par producteur, ≤ 100 %). Ces pas sont "
    "listés dans inputs.producers_without_coefficient_steps.",
    "rounding": "Calcul en virgule flottante, arrondi à la sortie seulement (W entiers, kWh à "
    "3 décimales) ; Enedis peut différer de ±1 W par pas.",
}


def normalise_convention(text: str | None) -> str:
    """``ACC00000112``, ``00000112`` or ``112`` -> ``ACC00000112``."""
    if not text:
        return DEFAULT_CONVENTION
    match = re.fullmatch(r"(?i)(?:ACC)?(\d{1,8})", text.strip())
    if not match:
        raise AccError(
            f"numéro de convention « {text} » invalide.",
            hint="Format Enedis : ACC suivi de 8 chiffres, par exemple ACC00000112.",
        )
    return f"ACC{int(match.group(1)):08d}"


def participants_csv(result: AccResult) -> str:
    """participants.csv: one row per participant, energies over the period [kWh]; the
    complement (surplus) is the rounded consumption (injection) minus the rounded
    self-consumed (self-produced) part, so each row adds up as printed, and the
    self-consumed (self-produced) parts are the sums of allocations.csv's rows
    (:func:`~linkytool.acc.rounding.add_up_table`)."""
    lines = [
        "role,prm,consumption_kwh,self_consumed_kwh,complement_kwh,injection_kwh,"
        "self_produced_kwh,surplus_kwh"
    ]
    op = result.operation
    figures = result.published.participants
    used, own, complement = (
        wh / 1000 for wh in (figures.consumption, figures.self_consumed, figures.complement)
    )
    for i, prm in enumerate(op.consumers):
        lines.append(f"consumer,{prm},{used[i]:.3f},{own[i]:.3f},{complement[i]:.3f},,,")
    injected, shared, surplus = (
        wh / 1000 for wh in (figures.injection, figures.self_produced, figures.surplus)
    )
    for p, prm in enumerate(op.producers):
        lines.append(f"producer,{prm},,,,{injected[p]:.3f},{shared[p]:.3f},{surplus[p]:.3f}")
    return "\n".join(lines) + "\n"


def allocations_csv(result: AccResult) -> str:
    """allocations.csv: production of each producer self-consumed by each consumer [kWh],
    rounded so that a consumer's rows add up to its self-consumed figure and a producer's
    to its self-produced figure in participants.csv."""
    op = result.operation
    pairs = result.published.participants.pairs / 1000
    lines = ["producer,consumer,self_consumed_kwh"]
    for p, producer in enumerate(op.producers):
        for i, consumer in enumerate(op.consumers):
            lines.append(f"{producer},{consumer},{pairs[p, i]:.3f}")
    return "\n".join(lines) + "\n"


def curves_csv(result: AccResult) -> str:
    """curves.csv: ``timestamp,prm,quantity,w`` per step and participant, integer W (the
    operation's totals are in :func:`operation_csv`: ``prm`` is always a PRM)."""
    if not result.consumer_curves:
        raise AccError(
            "les courbes par participant n'ont pas été conservées (keep_curves=False).",
            hint="Relancez le calcul avec keep_curves=True.",
        )
    op = result.operation
    grid = op.grid
    stamps = [format_local(int(t)) for t in grid.instants()]
    cc = result.consumer_curves
    pc = result.producer_curves
    consumption, self_consumed, complement = (
        a.astype(np.int64) for a in add_up(cc["consumption"], cc["self_consumed"])
    )
    injection, self_produced, surplus = (
        a.astype(np.int64) for a in add_up(pc["injection"], pc["self_produced"])
    )
    out = io.StringIO()
    out.write("timestamp,prm,quantity,w\n")
    for t, stamp in enumerate(stamps):
        for i, prm in enumerate(op.consumers):
            out.write(
                f"{stamp},{prm},consumption,{consumption[t, i]}\n"
                f"{stamp},{prm},self_consumed,{self_consumed[t, i]}\n"
                f"{stamp},{prm},complement,{complement[t, i]}\n"
            )
        for p, prm in enumerate(op.producers):
            out.write(
                f"{stamp},{prm},injection,{injection[t, p]}\n"
                f"{stamp},{prm},self_produced,{self_produced[t, p]}\n"
                f"{stamp},{prm},surplus,{surplus[t, p]}\n"
            )
    return out.getvalue()


def operation_csv(result: AccResult) -> str:
    """operation.csv: ``timestamp,quantity,w``, the whole operation's six quantities per
    step, integer W (an extension of the contract, written with every run)."""
    grid = result.grid
    totals = result.operation_curves
    consumed = add_up(totals[:, 0], totals[:, 2])
    produced = add_up(totals[:, 1], totals[:, 1] - totals[:, 3])
    names = ("consumption", "self_consumed", "complement", "injection", "self_produced", "surplus")
    rows = {
        name: values.astype(np.int64)
        for name, values in zip(names, (*consumed, *produced), strict=True)
    }
    out = io.StringIO()
    out.write("timestamp,quantity,w\n")
    for t, instant in enumerate(grid.instants()):
        stamp = format_local(int(instant))
        for quantity, values in rows.items():
            out.write(f"{stamp},{quantity},{values[t]}\n")
    return out.getvalue()


ENEDIS_STYLE_QUANTITIES = {
    "consumption": "consumer",
    "self_consumed": "consumer",
    "complement": "consumer",
    "injection": "producer",
    "self_produced": "producer",
    "surplus": "producer",
}


def enedis_style_curves(result: AccResult) -> dict[str, str]:
    """Per quantity, ``prm,timestamp,w1,w2,w3,w4``: four quarter-hours per line [W].

    The layout linkytool reads as "Enedis style" (``timestamp`` = start of the hour, with
    its offset; empty = step outside the period). 15-minute steps only.
    """
    grid = result.grid
    if grid.step_s != 900 or not result.consumer_curves:
        return {}
    cc, pc = result.consumer_curves, result.producer_curves
    consumed = add_up(cc["consumption"], cc["self_consumed"])
    produced = add_up(pc["injection"], pc["self_produced"])
    arrays = dict(zip(ENEDIS_STYLE_QUANTITIES, (*consumed, *produced), strict=True))
    lead = (grid.start % 3600) // 900  # quarter-hours before the first step in its hour
    hour0 = grid.start - lead * 900
    n_hours = -(-(lead + grid.n_steps) // 4)
    stamps = [format_local(hour0 + 3600 * h) for h in range(n_hours)]
    files = {}
    for quantity, role in ENEDIS_STYLE_QUANTITIES.items():
        prms = result.operation.consumers if role == "consumer" else result.operation.producers
        padded = np.full((n_hours * 4, len(prms)), -1, dtype=np.int64)
        padded[lead : lead + grid.n_steps] = arrays[quantity].astype(np.int64)
        out = io.StringIO()
        out.write("prm,timestamp,w1,w2,w3,w4\n")
        for i, prm in enumerate(prms):
            column = padded[:, i].reshape(n_hours, 4)
            for h, stamp in enumerate(stamps):
                cells = ",".join("" if v < 0 else str(v) for v in column[h])
                out.write(f"{prm},{stamp},{cells}\n")
        files[quantity] = out.getvalue()
    return files


def workbook_name(convention: str, grid: TimeGrid, first: int, stop: int) -> str:
    """``ACC00000112_JJMMAAAA_JJMMAAAA.xlsx`` for steps ``first..stop`` (local days)."""
    first_day, last_day = grid.first_local_day(first, stop)
    return f"{convention}_{first_day:%d%m%Y}_{last_day:%d%m%Y}.xlsx"


SHEET_INDICATORS = "Indicateurs"
SHEET_PRODUCERS = "Producteurs"
SHEET_CONSUMERS = "Consommateurs"


def monthly_workbook(result: AccResult, month: int, convention: str) -> bytes:
    """The monthly summary workbook (annex 2 §9.2.1.4): three sheets, kWh."""
    import xlsxwriter

    op = result.operation
    _, first, stop = result.months[month]
    consumer = result.consumer_monthly_wh[month]  # (classes, consumers, 2)
    producer = result.producer_monthly_wh[month]  # (producers, 3)
    values = indicators(
        float(consumer[:, :, 0].sum()),
        float(producer[:, 0].sum()),
        float(consumer[:, :, 1].sum()),
        float(producer[:, 2].sum()),
    )
    figures = result.published.months[month]  # rounded once, as participants.csv
    published = figures.energies()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    kwh = book.add_format({"num_format": "0.000"})
    pct = book.add_format({"num_format": "0.00%"})
    first_day, last_day = op.grid.first_local_day(first, stop)
    sheet = book.add_worksheet(SHEET_INDICATORS)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 2, 16)
    sheet.write_row(0, 0, ["Indicateur", "Valeur", "Unité"], bold)
    rows = INDICATOR_LABELS
    for r, (key, label, unit) in enumerate(rows, start=1):
        sheet.write(r, 0, label)
        value = values[key]
        if value is None:
            sheet.write(r, 1, "")
        elif unit == "%":
            sheet.write_number(r, 1, round(value, 6), pct)
        else:
            sheet.write_number(r, 1, published[key], kwh)
        sheet.write(r, 2, unit)
    sheet.write(len(rows) + 2, 0, "Convention")
    sheet.write(len(rows) + 2, 1, convention)
    sheet.write(len(rows) + 3, 0, "Période")
    sheet.write(len(rows) + 3, 1, f"{first_day:%d/%m/%Y} – {last_day:%d/%m/%Y}")
    sheet.write(len(rows) + 4, 0, "Clé de répartition")
    sheet.write(len(rows) + 4, 1, key_title(op.key))
    sheet.write(
        len(rows) + 5, 0, "Calculé par linkytool (prévisualisation, pas un document Enedis)"
    )
    sheet = book.add_worksheet(SHEET_PRODUCERS)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 3, 30)
    sheet.write_row(
        0,
        0,
        [
            "PRM",
            "Production injectée sur le RPD (kWh)",
            "Électricité autoproduite (kWh)",
            "Surplus collectif réparti (kWh)",
        ],
        bold,
    )
    injected, shared, surplus = (
        wh / 1000 for wh in (figures.injection, figures.self_produced, figures.surplus)
    )
    for p, prm in enumerate(op.producers):
        sheet.write_string(p + 1, 0, prm)
        for q, values_kwh in enumerate((injected, shared, surplus), start=1):
            sheet.write_number(p + 1, q, float(values_kwh[p]), kwh)
    sheet = book.add_worksheet(SHEET_CONSUMERS)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 4, 30)
    sheet.write_row(
        0,
        0,
        [
            "PRM",
            "Poste horaire",
            "Consommation (kWh)",
            "Électricité autoconsommée (kWh)",
            "Électricité de complément (kWh)",
        ],
        bold,
    )
    used, own, complement = (
        wh / 1000 for wh in (figures.consumption, figures.self_consumed, figures.complement)
    )
    row = 1
    for i, prm in enumerate(op.consumers):
        for c, name in enumerate(op.tou_classes):
            sheet.write_string(row, 0, prm)
            sheet.write_string(row, 1, name)
            sheet.write_number(row, 2, float(used[c, i]), kwh)
            sheet.write_number(row, 3, float(own[c, i]), kwh)
            sheet.write_number(row, 4, float(complement[c, i]), kwh)
            row += 1
    book.close()
    return buffer.getvalue()


def production_chart(result: AccResult) -> bytes:
    """PNG chart of production, self-consumption and consumption over the period."""
    from linkytool.acc.chart import render_result

    rate = result.indicators()["self_consumption_rate"]
    return render_result(result.operation_curves, result.grid, rate)


def _ranges(mask: BoolArray, grid: TimeGrid) -> list[dict[str, str | int]]:
    """Contiguous runs of ``True`` steps as local ``from``/``to`` (exclusive) times."""
    return grid.ranges(true_runs(mask))


def key_periods(result: AccResult) -> list[dict[str, str]]:
    """The key applied per period: runs of steps with the same key (or the default)."""
    op = result.operation
    grid = op.grid
    labels = np.zeros(grid.n_steps, dtype=np.int64)
    names = [op.key.value]
    if op.key is KeyKind.STATIC:
        names = ["default"]
        labels[:] = 0
        for number, static_set in enumerate(op.static_sets, start=1):
            labels[static_set.first_step :] = number
            names.append(f"static {static_set.label}".strip())
    fallback = np.zeros(grid.n_steps, dtype=np.bool_)
    fallback[result.default_key_steps] = True
    fallback[result.gap_default_steps] = True
    default_label = len(names)
    names.append("default")
    labels[fallback] = default_label
    cuts = np.flatnonzero(np.diff(labels)) + 1
    starts = np.concatenate(([0], cuts))
    stops = np.concatenate((cuts, [grid.n_steps]))
    return [
        {
            "key": names[int(labels[a])],
            "from": format_local(grid.start + int(a) * grid.step_s),
            "to": format_local(grid.start + int(b) * grid.step_s),
        }
        for a, b in zip(starts, stops, strict=True)
    ]


def report_dict(
    result: AccResult,
    *,
    convention: str,
    options: Mapping[str, Any] | None = None,
    outputs: Sequence[str] = (),
) -> dict[str, Any]:
    """Content of report.json."""
    op = result.operation
    grid = op.grid
    unusual = {
        day.isoformat(): count
        for day, count in grid.steps_per_local_day().items()
        if count != 86400 // grid.step_s
    }
    default_mask = np.zeros(grid.n_steps, dtype=np.bool_)
    default_mask[result.default_key_steps] = True
    gap_mask = np.zeros(grid.n_steps, dtype=np.bool_)
    gap_mask[result.gap_default_steps] = True
    readings = dict(READINGS)
    if op.key is not KeyKind.FULL:
        readings.pop("full_scaling")
        readings.pop("missing_producer_coefficient")
    if op.key is not KeyKind.STATIC:
        readings.pop("static_excess")
    if op.key not in (KeyKind.DYNAMIC, KeyKind.FULL):
        readings.pop("missing_consumer_coefficient")
    return {
        "tool": f"linkytool {__version__}",
        "convention": convention,
        "period": {
            "from": format_local(grid.start),
            "to": format_local(grid.end),
            "step_minutes": grid.step_s // 60,
            "steps": grid.n_steps,
            "days_with_unusual_step_count": unusual,
        },
        "key": {
            "kind": op.key.value,
            "static_excess": op.static_excess.value if op.key is KeyKind.STATIC else None,
            "periods": key_periods(result),
            "default_key_for_missing_coefficients": {
                "steps": int(result.default_key_steps.size),
                "ranges": _ranges(default_mask, grid),
            },
            "default_key_for_gaps": {
                "steps": int(result.gap_default_steps.size),
                "ranges": _ranges(gap_mask, grid),
            },
        },
        "indicators": result.indicators(),
        "participants": {"consumers": len(op.consumers), "producers": len(op.producers)},
        "time_of_use_classes": list(op.tou_classes),
        "readings": readings,
        "options": dict(options or {}),
        "inputs": dict(op.input_report),
        "outputs": list(outputs),
        "elapsed_s": round(result.elapsed_s, 3),
    }


#: Fixed names of the output files (the workbooks' names start with ACC, enedis/ is a folder).
OUTPUT_NAMES = frozenset(
    {
        "participants.csv",
        "allocations.csv",
        "curves.csv",
        "operation.csv",
        "production.png",
        "report.json",
    }
)


def _refuse_overwriting_inputs(
    result: AccResult, directory: Path, options: Mapping[str, Any]
) -> None:
    """Raise :class:`OutputError` before writing anything when an output would replace one
    of the input files (curves given as ``-o .``/``curves.csv``, for instance)."""
    given = [str(f["path"]) for f in result.operation.input_report.get("files", [])]
    given += [str(options[k]) for k in ("coefficients", "perimeter", "calendar") if options.get(k)]
    target = directory.resolve()
    for name in given:
        path = Path(name).resolve()
        if (path.parent == target and path.name in OUTPUT_NAMES) or path.parent == (
            target / "enedis"
        ):
            raise OutputError(
                f"{name} est un fichier d'entrée : l'écrire comme résultat dans {directory} "
                "l'écraserait. Aucun fichier n'a été écrit.",
                hint="Choisissez un autre dossier de résultats, par exemple "
                f"-o {directory / 'resultats'}.",
            )


def write_outputs(
    result: AccResult,
    outdir: str | Path,
    *,
    convention: str | None = None,
    options: Mapping[str, Any] | None = None,
    chart: bool = True,
    enedis_style: bool = False,
) -> list[Path]:
    """Write every output file of the contract into ``outdir``; returns their paths.

    ``enedis_style`` also writes ``enedis/<quantity>.csv`` (four quarter-hours per line).
    """
    directory = Path(outdir)
    number = normalise_convention(convention)
    _refuse_overwriting_inputs(result, directory, options or {})
    names: list[str] = []
    with OutputSet(directory) as output:

        def save(name: str, data: str | bytes) -> None:
            path = output.path(name)
            if isinstance(data, str):
                atomic_write_text(path, data)
            else:
                atomic_write_bytes(path, data)
            names.append(name)

        save("participants.csv", participants_csv(result))
        save("allocations.csv", allocations_csv(result))
        if result.consumer_curves:
            save("curves.csv", curves_csv(result))
        save("operation.csv", operation_csv(result))
        if enedis_style:
            for quantity, text in enedis_style_curves(result).items():
                save(f"enedis/{quantity}.csv", text)
        for month, (_, first, stop) in enumerate(result.months):
            save(
                workbook_name(number, result.grid, first, stop),
                monthly_workbook(result, month, number),
            )
        if chart:
            save("production.png", production_chart(result))
        report = report_dict(
            result, convention=number, options=options, outputs=[*names, "report.json"]
        )
        save("report.json", dumps_json(report) + "\n")
        output.commit()
    return [directory / name for name in names]
