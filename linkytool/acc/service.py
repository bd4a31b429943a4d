"""The user action "run an ACC preview", one function both front ends call.

:func:`run_preview` takes a typed :class:`PreviewRequest` (the files and every setting that
changes the result), loads the inputs, runs the engine, writes the output set when asked
(:mod:`linkytool.acc.outset`: all or nothing) and returns a :class:`PreviewResult`: the
computed :class:`~linkytool.acc.engine.AccResult`, the files written, the options as
recorded in report.json, and the :class:`Notice` s a user should read, as data (each front
end words them). It never prints and imports neither click nor Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from linkytool.acc.engine import AccResult, default_chunk_steps
from linkytool.acc.loader import LoadOptions, load_operation
from linkytool.acc.model import KeyKind, Operation
from linkytool.acc.timegrid import format_local_french, to_epoch

Progress = Callable[[int, int], None]

#: Above this many rows, curves.csv is skipped unless asked (:attr:`CurvesPolicy.ALWAYS`).
CURVES_ROW_LIMIT = 5_000_000


class CurvesPolicy(StrEnum):
    """Whether to write curves.csv (one row per step, participant and quantity)."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True)
class PreviewRequest:
    """Everything one preview needs: inputs, the settings that change the result, outputs."""

    consumers: tuple[Path, ...]
    producers: tuple[Path, ...]
    coefficients: Path | None = None
    perimeter: Path | None = None
    calendar: Path | None = None
    load: LoadOptions = field(default_factory=LoadOptions)
    #: Output folder; None: compute only (nothing written).
    outdir: Path | None = None
    convention: str | None = None
    chart: bool = True
    curves: CurvesPolicy = CurvesPolicy.AUTO
    enedis_curves: bool = False
    #: Above this many rows, curves.csv is skipped under :attr:`CurvesPolicy.AUTO`.
    curves_row_limit: int = CURVES_ROW_LIMIT
    #: About this many progress reports while computing (None: one per engine chunk).
    progress_reports: int | None = None
    #: Facts added to report.json's ``options`` (the demo's seed).
    extra_options: Mapping[str, Any] = field(default_factory=dict)


class NoticeKind(StrEnum):
    """What a user should know about a finished preview (see :class:`Notice`)."""

    CURVES_SKIPPED = "curves_skipped"  # data: rows, limit
    ENEDIS_CURVES_SKIPPED = "enedis_curves_skipped"  # data: step_minutes
    DEFAULT_KEY_STEPS = "default_key_steps"  # data: steps
    GAP_DEFAULT_STEPS = "gap_default_steps"  # data: steps
    #: data: prm, missing_steps, first, last (``02/03/2026 10:15``, Paris time)
    GAPS_FILLED = "gaps_filled"
    OUTSIDE_PERIMETER = "outside_perimeter"  # data: prm, steps
    WITHOUT_COEFFICIENT = "without_coefficient"  # data: prms
    #: dynamic keys, a consumer without a line at a step where the file gives others (0 %):
    #: data: consumers, steps (consumer-steps), prm and first (``02/03/2026 10:15``) of the
    #: earliest
    WITHOUT_COEFFICIENT_STEPS = "without_coefficient_steps"
    #: full dynamic, a producer without a line at a step where the file gives others (its
    #: whole output goes to the surplus): data: producers, steps (producer-steps), prm and
    #: first of the earliest
    PRODUCER_WITHOUT_COEFFICIENT_STEPS = "producer_without_coefficient_steps"
    NOTE = "note"  # data: text (a French sentence of the reader, no setting named)
    KEY_PERIODS = "key_periods"  # data: count


@dataclass(frozen=True)
class Notice:
    """One thing to tell the user, as data: each front end words it."""

    kind: NoticeKind
    data: Mapping[str, Any]


@dataclass(frozen=True)
class PreviewResult:
    """The outcome of :func:`run_preview`."""

    result: AccResult
    outdir: Path | None
    #: Files written (report.json last), empty when nothing was asked.
    written: tuple[Path, ...]
    #: The options as recorded in report.json.
    options: Mapping[str, Any]
    notices: tuple[Notice, ...]


def applied_options(request: PreviewRequest) -> dict[str, Any]:
    """report.json's ``options``: the settings that changed the result, as given."""
    from linkytool.acc.outputs import normalise_convention

    load = request.load
    return {
        "key": load.key.value,
        "static_excess": load.static_excess.value if load.key is KeyKind.STATIC else None,
        "gaps": load.gaps.value,
        "timestamps": load.timestamps,
        "step": "auto" if load.step_minutes is None else str(load.step_minutes),
        "from": None if load.period is None else load.period[0].isoformat(),
        "to": None if load.period is None else load.period[1].isoformat(),
        "coefficients": None if request.coefficients is None else str(request.coefficients),
        "perimeter": None if request.perimeter is None else str(request.perimeter),
        "calendar": None if request.calendar is None else str(request.calendar),
        "curves": request.curves.value,
        "convention": normalise_convention(request.convention),
        **request.extra_options,
    }


def _curve_rows(operation: Operation) -> int:
    return operation.grid.n_steps * (3 * len(operation.consumers) + 3 * len(operation.producers))


def run_preview(
    request: PreviewRequest,
    *,
    reading: Progress | None = None,
    computing: Progress | None = None,
) -> PreviewResult:
    """Load, allocate and (when ``request.outdir`` is set) write one ACC preview.

    ``reading(done, total)`` reports the reading of the inputs [bytes], ``computing(done,
    total)`` the allocation [steps]. Raises the errors of the loader, the engine and the
    writers (:class:`~linkytool.errors.LinkytoolError` subclasses, with fields).
    """
    if request.outdir is not None:
        from linkytool.acc.outset import check_target

        check_target(request.outdir)
    operation = load_operation(
        request.consumers,
        request.producers,
        coefficients=request.coefficients,
        perimeter=request.perimeter,
        calendar=request.calendar,
        options=request.load,
        progress=reading,
    )
    return run_loaded(operation, request, computing=computing)


def run_loaded(
    operation: Operation, request: PreviewRequest, *, computing: Progress | None = None
) -> PreviewResult:
    """The part of :func:`run_preview` after loading the inputs."""
    from linkytool.acc import run_operation  # through the package: tests interrupt it
    from linkytool.acc.outputs import key_periods, write_outputs

    notices: list[Notice] = []
    rows = _curve_rows(operation)
    policy = request.curves
    keep = request.outdir is not None and (
        policy is CurvesPolicy.ALWAYS
        or (policy is CurvesPolicy.AUTO and rows <= request.curves_row_limit)
    )
    if request.outdir is not None and policy is CurvesPolicy.AUTO and not keep:
        notices.append(
            Notice(NoticeKind.CURVES_SKIPPED, {"rows": rows, "limit": request.curves_row_limit})
        )
    chunk = None
    if request.progress_reports:
        steps = operation.grid.n_steps
        chunk = min(default_chunk_steps(operation), max(96, steps // request.progress_reports))
    result = run_operation(operation, progress=computing, keep_curves=keep, chunk_steps=chunk)
    if request.enedis_curves and operation.grid.step_s != 900:
        notices.append(
            Notice(NoticeKind.ENEDIS_CURVES_SKIPPED, {"step_minutes": operation.grid.step_s // 60})
        )
    options = applied_options(request)
    written: list[Path] = []
    if request.outdir is not None:
        written = write_outputs(
            result,
            request.outdir,
            convention=request.convention,
            options=options,
            chart=request.chart,
            enedis_style=request.enedis_curves,
        )
    notices.extend(_notices(result))
    periods = key_periods(result)
    if len(periods) > 1:
        notices.append(Notice(NoticeKind.KEY_PERIODS, {"count": len(periods)}))
    return PreviewResult(result, request.outdir, tuple(written), options, tuple(notices))


def _notices(result: AccResult) -> list[Notice]:
    report = result.operation.input_report
    notices: list[Notice] = []
    if result.default_key_steps.size:
        notices.append(
            Notice(NoticeKind.DEFAULT_KEY_STEPS, {"steps": int(result.default_key_steps.size)})
        )
    if result.gap_default_steps.size:
        notices.append(
            Notice(NoticeKind.GAP_DEFAULT_STEPS, {"steps": int(result.gap_default_steps.size)})
        )
    for gap in report.get("gaps", []):
        data = dict(gap)
        for end in ("first", "last"):  # report.json's ISO instants, as users read them
            data[end] = format_local_french(to_epoch(datetime.fromisoformat(gap[end])))
        notices.append(Notice(NoticeKind.GAPS_FILLED, data))
    for outside in report.get("outside_perimeter", []):
        notices.append(Notice(NoticeKind.OUTSIDE_PERIMETER, dict(outside)))
    missing = sorted(set(report.get("consumers_without_coefficient", [])))
    if missing:
        notices.append(Notice(NoticeKind.WITHOUT_COEFFICIENT, {"prms": missing}))
    for entry, kind, who in (
        ("consumers_without_coefficient_steps", NoticeKind.WITHOUT_COEFFICIENT_STEPS, "consumers"),
        (
            "producers_without_coefficient_steps",
            NoticeKind.PRODUCER_WITHOUT_COEFFICIENT_STEPS,
            "producers",
        ),
    ):
        missing_steps = report.get(entry, [])
        if missing_steps:
            earliest = missing_steps[0]  # sorted by first step
            first = datetime.fromisoformat(earliest["ranges"][0]["from"])
            data = {
                who: len(missing_steps),
                "steps": sum(int(item["steps"]) for item in missing_steps),
                "prm": earliest["prm"],
                "first": format_local_french(to_epoch(first)),
            }
            notices.append(Notice(kind, data))
    for note in report.get("notes", []):
        notices.append(Notice(NoticeKind.NOTE, {"text": note}))
    return notices


def run_demo(
    outdir: Path,
    key: KeyKind = KeyKind.STATIC,
    seed: int = 2026,
    *,
    replace: bool = False,
    computing: Progress | None = None,
) -> PreviewResult:
    """The bundled demo operation: its inputs are written to ``outdir/inputs`` (see
    :mod:`linkytool.acc.demo`), then read back and run like any user's files.

    Files of the user are never replaced unless ``replace``: when ``outdir/inputs`` holds
    files the demo would rewrite with other bytes, or ``outdir`` results that are not
    this demo's, :class:`~linkytool.acc.errors.DemoOverwriteError` lists them before
    anything is written.
    """
    from linkytool.acc import demo
    from linkytool.acc.errors import DemoOverwriteError
    from linkytool.acc.outset import check_target

    check_target(outdir)
    texts = demo.demo_input_texts(key, seed)
    if not replace:
        conflicts = demo.differing_inputs(outdir / "inputs", texts)
        conflicts += demo.differing_results(outdir, key, seed)
        if conflicts:
            raise DemoOverwriteError(outdir, conflicts)
    paths = demo.write_demo_texts(outdir / "inputs", texts)
    request = PreviewRequest(
        consumers=(paths["consumers"],),
        producers=(paths["producers"],),
        coefficients=paths.get("coefficients"),
        perimeter=paths["perimeter"],
        calendar=paths["calendar"],
        load=LoadOptions(key=key),
        outdir=outdir,
        extra_options={"demo_seed": seed},
    )
    return run_preview(request, computing=computing)


__all__ = [
    "CURVES_ROW_LIMIT",
    "CurvesPolicy",
    "Notice",
    "NoticeKind",
    "PreviewRequest",
    "PreviewResult",
    "applied_options",
    "run_demo",
    "run_loaded",
    "run_preview",
]
