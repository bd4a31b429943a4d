"""production.png read back: size, curves drawn where the data is, legend colours, French
labels (decimal commas, JJ/MM dates)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from acc_helpers import PARIS, make_operation
from PIL import Image

from linkytool.acc import run_operation, write_outputs
from linkytool.acc.chart import (
    CONSUMPTION,
    HEIGHT,
    LEGEND,
    PRODUCTION,
    SELF_CONSUMED,
    WIDTH,
    averaging,
    chart_number,
    legend_swatches,
    nice_ticks,
    plot_box,
    render,
    time_ticks,
)
from linkytool.acc.timegrid import TimeGrid, paris_midnight


def _read(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _day_curves(days: int) -> tuple[TimeGrid, np.ndarray, np.ndarray, np.ndarray]:
    grid = TimeGrid(paris_midnight(date(2026, 3, 1)), 900, days * 96)
    hours = (np.arange(grid.n_steps) % 96) / 4
    production = np.clip(np.sin((hours - 6.5) / 13 * np.pi), 0, None) * 30_000
    consumption = 10_000 + 4_000 * np.cos(hours / 24 * 2 * np.pi)
    return grid, consumption, production, np.minimum(consumption, production)


def _colour_columns(image: Image.Image, colour: tuple[int, int, int]) -> np.ndarray:
    """x of the plot-area columns holding at least one pixel of exactly ``colour``."""
    plot = plot_box()
    pixels = np.asarray(image)[plot.top + 2 : plot.bottom - 2, : plot.right - 2]
    hit = (pixels == np.array(colour, dtype=np.uint8)).all(axis=2).any(axis=0)
    return np.flatnonzero(hit)


def test_chart_size_legend_and_curves() -> None:
    grid, consumption, production, self_consumed = _day_curves(31)
    image = _read(render(grid, consumption, production, self_consumed, 0.438))
    assert image.size == (WIDTH, HEIGHT)
    assert len(image.getcolors(maxcolors=1 << 16) or ()) > 50  # not blank: text, fills, grid
    for (label, colour, _), (name, box) in zip(LEGEND, legend_swatches().items(), strict=True):
        assert label == name
        assert image.getpixel(box.centre) == colour, label
    for colour in (PRODUCTION, SELF_CONSUMED):  # the fills span the whole period
        columns = _colour_columns(image, colour)
        assert columns.size > 200
        assert columns.min() < plot_box().left + 40
    line = _colour_columns(image, CONSUMPTION)  # the consumption line crosses the plot
    assert line.size > 0.95 * (legend_swatches()["Production"].left - plot_box().left)


def test_production_is_drawn_where_it_was_produced() -> None:
    """Sun only in the second half of the period: no yellow in the first half."""
    grid, consumption, production, _ = _day_curves(10)
    production[: grid.n_steps // 2] = 0.0
    image = _read(render(grid, consumption, production, np.zeros(grid.n_steps), None))
    plot = plot_box()
    middle = plot.left + (plot.right - plot.left) // 2
    columns = _colour_columns(image, PRODUCTION)
    legend_left = min(box.left for box in legend_swatches().values()) - 20
    data_columns = columns[columns < legend_left]
    assert data_columns.size > 100
    assert data_columns.min() >= middle - 3
    green = _colour_columns(image, SELF_CONSUMED)
    assert not (green < legend_left).any()  # nothing self-consumed: green only in the legend


def test_chart_without_production_or_steps() -> None:
    grid, consumption, _, _ = _day_curves(1)
    zero = np.zeros(grid.n_steps)
    assert _read(render(grid, consumption, zero, zero, None)).size == (WIDTH, HEIGHT)
    empty = TimeGrid(grid.start, 900, 0)
    none = np.zeros(0)
    assert _read(render(empty, none, none, none, None)).size == (WIDTH, HEIGHT)


def test_french_numbers_and_value_ticks() -> None:
    assert chart_number(12500.5, 1) == "12 500,5"
    assert chart_number(0.25, 2) == "0,25"
    values, decimals = nice_ticks(3.2)
    assert [chart_number(v, decimals) for v in values] == [
        "0,0", "0,5", "1,0", "1,5", "2,0", "2,5", "3,0", "3,5"
    ]  # fmt: skip
    values, decimals = nice_ticks(0.3)
    assert chart_number(values[1], decimals) == "0,05"
    values, decimals = nice_ticks(8000)
    assert [chart_number(v, decimals) for v in values][-1] == "8 000"


def test_time_ticks_are_day_month() -> None:
    month = time_ticks(paris_midnight(date(2026, 3, 1)), paris_midnight(date(2026, 4, 1)))
    assert [label for _, label in month][:3] == ["01/03", "05/03", "09/03"]
    assert all(datetime.fromtimestamp(t, PARIS).hour == 0 for t, _ in month)
    year = time_ticks(paris_midnight(date(2026, 1, 1)), paris_midnight(date(2027, 1, 1)))
    assert [label for _, label in year] == [
        "01/01", "01/03", "01/05", "01/07", "01/09", "01/11", "01/01"
    ]  # fmt: skip
    day = time_ticks(paris_midnight(date(2026, 3, 29)), paris_midnight(date(2026, 3, 30)))
    hours = [f"{h:02d}:00" for h in range(4, 24, 2)]  # 02:00 does not exist that day
    assert [label for _, label in day] == ["29/03", *hours, "30/03"]
    for moment, label in day[1:-1]:
        assert datetime.fromtimestamp(moment, PARIS).strftime("%H:%M") == label
    spring = TimeGrid(paris_midnight(date(2026, 3, 29)), 900, 12)  # 00:00 to 04:00, 23 h day
    ticks = time_ticks(spring.start, spring.end)
    assert [label for _, label in ticks] == ["29/03", "01:00", "03:00", "04:00"]  # no 02:00


def test_long_periods_are_drawn_as_means() -> None:
    quarter_hours = TimeGrid(paris_midnight(date(2026, 3, 1)), 900, 31 * 96 - 4)
    edges, name = averaging(quarter_hours, 1000)
    assert name == "moyennes horaires" and edges.size - 1 == 31 * 24 - 1
    year = TimeGrid(paris_midnight(date(2026, 1, 1)), 900, 35_040)
    edges, name = averaging(year, 1000)
    assert name == "moyennes journalières" and edges.size - 1 == 365
    assert set(np.diff(edges)) == {92, 96, 100}  # the two DST days
    day = TimeGrid(paris_midnight(date(2026, 3, 1)), 900, 96)
    assert averaging(day, 1000)[1] == "pas de 15 min"


def test_written_chart_is_the_operation(tmp_path: Path) -> None:
    operation = make_operation([[500.0], [300.0], [0.0], [800.0]], [[600.0], [0], [1000], [100]])
    result = run_operation(operation)
    write_outputs(result, tmp_path / "out")
    image = _read((tmp_path / "out" / "production.png").read_bytes())
    assert image.size == (WIDTH, HEIGHT)
    assert image.getpixel(legend_swatches()["Production"].centre) == PRODUCTION


@pytest.mark.parametrize("days", [1, 31, 365])
def test_chart_renders_quickly_enough_to_be_drawn_every_run(days: int) -> None:
    """Not a timing test: the year's 35,040 steps draw without error, as means."""
    grid, consumption, production, self_consumed = _day_curves(days)
    assert _read(render(grid, consumption, production, self_consumed, 0.5)).size == (WIDTH, HEIGHT)
