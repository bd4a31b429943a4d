"""The bundled demo operation: one PV producer and ten consumers over March 2026.

Curves are synthetic but realistic and deterministic (seeded): a PV bell from the sun's
elevation at mid-France with cloudy days and passing clouds; residential profiles (morning
and evening peaks, electric heating on cold days, weekends) and two tertiary ones (a bakery,
a town-hall office). March 2026 contains the spring-forward day (29th, 92 quarter-hours).
One consumer leaves on the 20th, one joins on the 10th (perimeter file). The inputs are
written as the contract's CSV files, then read back like any user's files.
"""

from __future__ import annotations

import json
import math
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from linkytool.acc.errors import DemoOverwriteError
from linkytool.acc.loader import LoadOptions, load_operation
from linkytool.acc.model import FloatArray, KeyKind, Operation
from linkytool.acc.outset import OUTPUT_ENTRY
from linkytool.acc.timegrid import TimeGrid, format_local, paris_midnight
from linkytool.fileio import atomic_write_text

#: The demo producer is the demo installation of the MES feature (CONTRACTS.md).
DEMO_PRODUCER = "30002345678901"
DEMO_CONSUMERS = tuple(f"300023456790{n:02d}" for n in range(1, 11))
DEMO_PERIOD = (date(2026, 3, 1), date(2026, 3, 31))
DEMO_PEAK_W = 60_000.0
#: Static coefficients of the demo [%] (sum 100 %).
DEMO_STATIC = (12.0, 8.0, 10.0, 9.0, 11.0, 7.0, 8.0, 10.0, 15.0, 10.0)
DEMO_EXIT = (DEMO_CONSUMERS[3], date(2026, 3, 20))
DEMO_ENTRY = (DEMO_CONSUMERS[6], date(2026, 3, 10))
#: Day without dynamic coefficients (the default key stands in, as Enedis does).
DEMO_MISSING_COEFFICIENTS_DAY = date(2026, 3, 15)


@dataclass(frozen=True)
class DemoData:
    """Synthetic curves of the demo, ``(steps, n)`` [W]."""

    grid: TimeGrid
    consumption: FloatArray
    production: FloatArray


def _smooth_noise(rng: np.random.Generator, n: int, width: int) -> FloatArray:
    noise = rng.standard_normal(n + width)
    kernel = np.ones(width) / width
    result: FloatArray = np.convolve(noise, kernel, mode="valid")[:n] * math.sqrt(width)
    return result


def pv_curve(grid: TimeGrid, peak_w: float, rng: np.random.Generator) -> FloatArray:
    """PV injection [W]: clear-sky bell from solar elevation, times cloud cover."""
    instants = grid.instants() + grid.step_s // 2
    day_of_year = (instants // 86400 - 4) % 365 + 1  # approximate, enough for a demo
    declination = math.radians(23.44) * np.sin(2 * np.pi * (284 + day_of_year) / 365)
    latitude, longitude = math.radians(46.5), 2.35
    solar_hours = (instants % 86400) / 3600 + longitude / 15
    hour_angle = np.radians(15 * (solar_hours - 12))
    elevation = np.sin(latitude) * np.sin(declination) + np.cos(latitude) * np.cos(
        declination
    ) * np.cos(hour_angle)
    clear = np.clip(elevation, 0, None) ** 1.3
    days = grid.local_days - grid.local_days[0]
    daily_sky = np.clip(rng.beta(2.2, 1.4, size=int(days.max()) + 1), 0.08, 1.0)
    passing = np.clip(1 - 0.35 * np.abs(_smooth_noise(rng, grid.n_steps, 6)), 0.15, 1.0)
    cloud = daily_sky[days] * np.where(daily_sky[days] > 0.85, 1.0, passing)
    result: FloatArray = np.round(peak_w * 0.82 * clear * cloud)
    return result


def _shape(hours: FloatArray, peaks: list[tuple[float, float, float]]) -> FloatArray:
    """Sum of Gaussian bumps ``(centre h, width h, height W)`` over the hour of the day."""
    result = np.zeros_like(hours)
    for centre, width, height in peaks:
        result += height * np.exp(-0.5 * ((hours - centre) / width) ** 2)
    return result


def consumer_curves(grid: TimeGrid, rng: np.random.Generator) -> FloatArray:
    """Ten consumers [W]: eight homes, a bakery, a town-hall office."""
    hours = (grid.minute_of_day() / 60.0).astype(np.float64)
    weekday = grid.weekday()
    weekend = weekday >= 5
    days = grid.local_days - grid.local_days[0]
    cold = np.clip(rng.normal(0.5, 0.25, size=int(days.max()) + 1), 0, 1)[days]
    columns = []
    for n in range(8):
        base = rng.uniform(150, 400)
        heating = rng.choice([0.0, 0.0, 1.0]) * rng.uniform(800, 2000)
        morning = rng.uniform(600, 1500)
        evening = rng.uniform(900, 2500)
        at_home = np.where(weekend, 1.0, 0.55 if n % 3 else 0.9)
        profile = (
            base
            + _shape(hours, [(7.3, 0.8, morning), (19.5, 1.6, evening)])
            + _shape(hours, [(12.8, 1.0, 500.0)]) * at_home
            + heating * cold * (0.6 + 0.4 * (hours < 7) + 0.4 * (hours > 18))
        )
        noise = np.clip(1 + 0.25 * _smooth_noise(rng, grid.n_steps, 3), 0.3, 2.0)
        columns.append(profile * noise)
    bakery = np.where(
        weekday == 0, 250.0, 400 + _shape(hours, [(5.5, 1.5, 6000), (10.5, 2.0, 3500)])
    )
    office_open = (~weekend) & (hours >= 8) & (hours < 18.5)
    office = 600 + np.where(office_open, 3500 + _shape(hours, [(11, 2.5, 1500)]), 0.0)
    for tertiary in (bakery, office):
        columns.append(tertiary * np.clip(1 + 0.1 * rng.standard_normal(grid.n_steps), 0.6, 1.4))
    result: FloatArray = np.round(np.column_stack(columns))
    return result


def build_demo_data(seed: int = 2026) -> DemoData:
    """The demo curves over March 2026 at 15 minutes (deterministic for a given seed)."""
    start = paris_midnight(DEMO_PERIOD[0])
    end = paris_midnight(date(2026, 4, 1))
    grid = TimeGrid(start, 900, (end - start) // 900)
    rng = np.random.default_rng(seed)
    production = pv_curve(grid, DEMO_PEAK_W, rng)[:, None]
    consumption = consumer_curves(grid, rng)
    return DemoData(grid, consumption, production)


def _long_csv(grid: TimeGrid, prms: tuple[str, ...], values: FloatArray) -> str:
    stamps = [format_local(int(t)) for t in grid.instants()]
    lines = ["prm,timestamp,w"]
    for i, prm in enumerate(prms):
        lines.extend(
            f"{prm},{stamp},{int(v)}" for stamp, v in zip(stamps, values[:, i], strict=True)
        )
    return "\n".join(lines) + "\n"


#: The demo's input files, by role (the roles are the keys of :func:`write_demo_inputs`).
DEMO_INPUT_NAMES: dict[str, str] = {
    "consumers": "consumers.csv",
    "producers": "producers.csv",
    "perimeter": "perimeter.csv",
    "calendar": "calendar.csv",
    "coefficients": "coefficients.csv",
}


def demo_input_texts(key: KeyKind = KeyKind.STATIC, seed: int = 2026) -> dict[str, str]:
    """The text of each demo input file, by role (``coefficients`` for keys that take
    them): what :func:`write_demo_inputs` writes, byte for byte once UTF-8 encoded."""
    data = build_demo_data(seed)
    grid = data.grid
    exit_step = grid.clamp_index(paris_midnight(DEMO_EXIT[1]))
    entry_step = grid.clamp_index(paris_midnight(DEMO_ENTRY[1]))
    perimeter = ["prm,role,entry,exit", f"{DEMO_PRODUCER},producer,,"]
    for prm in DEMO_CONSUMERS:
        entry = DEMO_ENTRY[1].isoformat() if prm == DEMO_ENTRY[0] else ""
        leave = DEMO_EXIT[1].isoformat() if prm == DEMO_EXIT[0] else ""
        perimeter.append(f"{prm},consumer,{entry},{leave}")
    texts = {
        # like real meter exports, every curve covers the whole month: the perimeter file
        # says when each consumer takes part (values outside are ignored and reported)
        "consumers": _long_csv(grid, DEMO_CONSUMERS, data.consumption),
        "producers": _long_csv(grid, (DEMO_PRODUCER,), data.production),
        "perimeter": "\n".join(perimeter) + "\n",
        "calendar": "class,days,start,end\nHC,all,22:00,06:00\nHP,all,06:00,22:00\n",
    }
    if key is KeyKind.STATIC:
        rows = ["prm,coefficient"] + [
            f"{prm},{k:g}" for prm, k in zip(DEMO_CONSUMERS, DEMO_STATIC, strict=True)
        ]
        texts["coefficients"] = "\n".join(rows) + "\n"
    elif key in (KeyKind.DYNAMIC, KeyKind.FULL):
        texts["coefficients"] = _dynamic_csv(data, key, entry_step, exit_step)
    return texts


def _differs(path: Path, data: bytes) -> bool:
    """Whether writing ``data`` at ``path`` would replace something else (a missing file
    does not; a folder or special file is left to the writer, which refuses it)."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if info.st_size != len(data):
        return True
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def differing_inputs(directory: str | Path, texts: Mapping[str, str]) -> list[Path]:
    """The files of ``directory`` the demo inputs ``texts`` would replace by other bytes."""
    folder = Path(directory)
    return [
        folder / DEMO_INPUT_NAMES[role]
        for role, text in texts.items()
        if _differs(folder / DEMO_INPUT_NAMES[role], text.encode("utf-8"))
    ]


def _demo_report(report: Path, key: KeyKind, seed: int) -> bool:
    """Whether ``report`` is the report.json of a demo run of this key and seed."""
    try:
        options = json.loads(report.read_text(encoding="utf-8")).get("options", {})
    except (OSError, ValueError, AttributeError):
        return False
    return (
        isinstance(options, dict)
        and options.get("demo_seed") == seed
        and options.get("key") == key.value
    )


def differing_results(directory: str | Path, key: KeyKind, seed: int) -> list[Path]:
    """The result files of ``directory`` a demo run would replace by different ones:
    none when they are the results of the same demo (its report.json says so: they
    differ only by the computing time), else every entry of the output set there."""
    folder = Path(directory)
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return []  # missing (created), or not a folder (the writer says so)
    entries = [folder / name for name in names if OUTPUT_ENTRY.fullmatch(name)]
    if not entries or _demo_report(folder / "report.json", key, seed):
        return []
    return entries


def write_demo_inputs(
    directory: str | Path,
    key: KeyKind = KeyKind.STATIC,
    seed: int = 2026,
    *,
    replace: bool = False,
) -> dict[str, Path]:
    """Write the demo's input files; returns ``{"consumers":…, "producers":…, …}``.

    A file of ``directory`` that the demo would replace by different bytes (the user's
    own ``consumers.csv``, a demo input edited by hand or of another key or seed) is
    never overwritten unless ``replace``: :class:`DemoOverwriteError` is raised before
    anything is written. Rewriting a file identical to the demo's is fine.
    """
    folder = Path(directory)
    texts = demo_input_texts(key, seed)
    if not replace:
        conflicts = differing_inputs(folder, texts)
        if conflicts:
            raise DemoOverwriteError(folder, conflicts)
    return write_demo_texts(folder, texts)


def write_demo_texts(directory: str | Path, texts: Mapping[str, str]) -> dict[str, Path]:
    """Write :func:`demo_input_texts` into ``directory`` (each file atomically), without
    any check; returns the path of each role."""
    paths: dict[str, Path] = {}
    for role, text in texts.items():
        paths[role] = Path(directory) / DEMO_INPUT_NAMES[role]
        atomic_write_text(paths[role], text)
    return paths


def _dynamic_csv(data: DemoData, key: KeyKind, entry_step: int, exit_step: int) -> str:
    """PMO-style dynamic keys: shares of yesterday's consumption at the same step."""
    grid = data.grid
    per_day = 96
    previous = np.roll(data.consumption, per_day, axis=0)
    previous[:per_day] = data.consumption[:per_day]
    entering = DEMO_CONSUMERS.index(DEMO_ENTRY[0])
    exiting = DEMO_CONSUMERS.index(DEMO_EXIT[0])
    previous[:entry_step, entering] = 0
    previous[exit_step:, exiting] = 0
    shares = previous / np.maximum(previous.sum(axis=1, keepdims=True), 1.0) * 100
    shares = np.floor(shares * 1000) / 1000  # three decimals, never above 100 % in total
    skip_from = grid.clamp_index(paris_midnight(DEMO_MISSING_COEFFICIENTS_DAY))
    skip_to = grid.clamp_index(paris_midnight(date(2026, 3, 16)))
    stamps = [format_local(int(t)) for t in grid.instants()]
    lines = (
        ["timestamp,prm,coefficient"]
        if key is KeyKind.DYNAMIC
        else ["timestamp,producer,consumer,coefficient"]
    )
    for t, stamp in enumerate(stamps):
        if skip_from <= t < skip_to:
            continue
        for i, prm in enumerate(DEMO_CONSUMERS):
            if key is KeyKind.DYNAMIC:
                lines.append(f"{stamp},{prm},{shares[t, i]:g}")
            else:
                lines.append(f"{stamp},{DEMO_PRODUCER},{prm},{shares[t, i]:g}")
    return "\n".join(lines) + "\n"


def build_demo_operation(
    directory: str | Path, key: KeyKind = KeyKind.STATIC, seed: int = 2026
) -> Operation:
    """Write the demo inputs into ``directory`` and load them as an Operation."""
    paths = write_demo_inputs(directory, key, seed)
    return load_operation(
        [paths["consumers"]],
        [paths["producers"]],
        coefficients=paths.get("coefficients"),
        perimeter=paths["perimeter"],
        calendar=paths["calendar"],
        options=LoadOptions(key=key),
    )
