"""``production.png``: production, self-consumption and consumption of an operation, drawn
with Pillow.

Pure rendering (arrays in, PNG bytes out). Pillow draws in a few tens of milliseconds what
matplotlib took about a second to import and draw, which was a third of a month's
``acc run``. Text is French: decimal commas, non-breaking thousands separators, ``JJ/MM``
dates in Europe/Paris time. The font is reportlab's bundled Bitstream Vera (accents,
« », —), the one the attestation PDF uses, so the image is the same on every machine.

The picture is drawn at :data:`SUPERSAMPLE` times its size, then reduced: lines and text
come out smooth without anti-aliased drawing primitives.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from linkytool.acc.model import FloatArray, IntArray
from linkytool.acc.timegrid import PARIS, TimeGrid, paris_midnight
from linkytool.textfmt import THOUSANDS_SPACE, french_number

#: Size of the PNG [px] (the matplotlib chart's: 11 x 4.5 in at 100 dpi).
WIDTH, HEIGHT = 1100, 450
#: Drawing scale before the reduction to :data:`WIDTH` x :data:`HEIGHT`.
SUPERSAMPLE = 2
#: Plot area inside the picture: left, top, right, bottom margins [px].
MARGINS = (78, 34, 16, 62)

WHITE = (255, 255, 255)
TEXT = (34, 34, 34)
AXIS = (90, 90, 90)
GRID = (226, 226, 226)
#: Series colours (opaque; self-consumption is drawn over production, never above it).
PRODUCTION = (245, 210, 128)
SELF_CONSUMED = (60, 141, 90)
CONSUMPTION = (43, 89, 195)

#: Legend entries, top to bottom: label, colour, drawn as a filled box (else a line).
LEGEND: tuple[tuple[str, tuple[int, int, int], bool], ...] = (
    ("Production", PRODUCTION, True),
    ("Autoconsommation", SELF_CONSUMED, True),
    ("Consommation", CONSUMPTION, False),
)
LEGEND_ROW = 20  # [px]
LEGEND_SWATCH = (24, 12)  # width, height [px]
LEGEND_WIDTH = 176  # [px]

#: Space inside numbers and before units (Vera has no narrow no-break space; an image
#: never wraps a line, so a plain space is as good).
NBSP = " "


@dataclass(frozen=True)
class Box:
    """A rectangle of the final picture [px], ``right``/``bottom`` exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def centre(self) -> tuple[int, int]:
        return ((self.left + self.right) // 2, (self.top + self.bottom) // 2)


def plot_box() -> Box:
    """Where the curves are drawn in the final picture."""
    left, top, right, bottom = MARGINS
    return Box(left, top, WIDTH - right, HEIGHT - bottom)


def legend_swatches() -> dict[str, Box]:
    """The legend's colour sample of each series in the final picture (for checks)."""
    plot = plot_box()
    left = plot.right - LEGEND_WIDTH + 10
    boxes = {}
    for row, (label, _, _) in enumerate(LEGEND):
        top = plot.top + 10 + row * LEGEND_ROW + (LEGEND_ROW - LEGEND_SWATCH[1]) // 2
        boxes[label] = Box(left, top, left + LEGEND_SWATCH[0], top + LEGEND_SWATCH[1])
    return boxes


def chart_number(value: float, decimals: int) -> str:
    """``12 500,5`` for the chart: :func:`linkytool.textfmt.french_number` with a plain
    no-break space between thousands (the chart's font has no narrow one)."""
    return french_number(value, f",.{decimals}f").replace(THOUSANDS_SPACE, NBSP)


def nice_ticks(top: float, most: int = 7) -> tuple[list[float], int]:
    """Round tick values from 0 to at least ``top`` (at most ``most`` intervals) and the
    decimals their labels need."""
    if not math.isfinite(top) or top <= 0:
        top = 1.0
    raw = top / most
    exponent = math.floor(math.log10(raw))
    mantissa, exponent = next(
        (m, exponent) if m < 10 else (1.0, exponent + 1)
        for m in (1.0, 2.0, 2.5, 5.0, 10.0)
        if m * 10.0**exponent >= raw * (1 - 1e-9)
    )
    step = mantissa * 10.0**exponent
    count = math.ceil(top / step - 1e-9)
    decimals = max(0, -exponent + (1 if mantissa == 2.5 else 0))
    return [step * k for k in range(count + 1)], decimals


#: Spacing candidates of the time axis: (kind, count), kind "h", "d" or "m".
TIME_SPACINGS: tuple[tuple[str, int], ...] = (
    ("h", 1), ("h", 2), ("h", 3), ("h", 6), ("h", 12),
    ("d", 1), ("d", 2), ("d", 4), ("d", 7), ("d", 14),
    ("m", 1), ("m", 2), ("m", 3), ("m", 6), ("m", 12),
)  # fmt: skip


def time_ticks(start: int, end: int, most: int = 12) -> list[tuple[int, str]]:
    """Ticks of the time axis between two instants [epoch s]: ``(instant, label)``.

    Local Europe/Paris hours (``HH:MM``, ``JJ/MM`` at midnight), days or first days of a
    month (``JJ/MM``), spaced so that there are at most ``most`` of them.
    """
    for kind, count in TIME_SPACINGS:
        ticks = _ticks(kind, count, start, end)
        if len(ticks) <= most:
            return ticks
    years = (end - start) // (365 * 86400)
    return _ticks("m", 12 * (1 + years // most), start, end)


def _ticks(kind: str, count: int, start: int, end: int) -> list[tuple[int, str]]:
    first_day = datetime.fromtimestamp(start, PARIS).date()
    last_day = datetime.fromtimestamp(end, PARIS).date()
    ticks: list[tuple[int, str]] = []
    if kind == "h":
        day = first_day
        while day <= last_day:
            midnight = paris_midnight(day)
            for hour in range(0, 24, count):
                moment = int(datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).timestamp())
                if datetime.fromtimestamp(moment, PARIS).hour != hour:
                    continue  # 02:00 does not exist on the spring-forward day
                if start <= moment <= end:
                    label = f"{day:%d/%m}" if moment == midnight else f"{hour:02d}:00"
                    ticks.append((moment, label))
            day += timedelta(days=1)
        return ticks
    if kind == "d":
        day, number = first_day, 0
        while day <= last_day:
            moment = paris_midnight(day)
            if start <= moment <= end:
                if number % count == 0:
                    ticks.append((moment, f"{day:%d/%m}"))
                number += 1
            day += timedelta(days=1)
        return ticks
    month = first_day.year * 12 + first_day.month - 1
    while True:
        day = date(month // 12, month % 12 + 1, 1)
        if day > last_day:
            return ticks
        moment = paris_midnight(day)
        if start <= moment <= end and (month % 12) % count == 0:
            ticks.append((moment, f"{day:%d/%m}"))
        month += 1


@cache
def _font_path() -> Path:
    spec = find_spec("reportlab")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("reportlab (its Vera font draws the chart's text)")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / "Vera.ttf"


@cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(_font_path()), size * SUPERSAMPLE)


def _step_outline(x: FloatArray, y: FloatArray, base: float) -> list[float]:
    """Flat ``x0, y0, x1, y1...`` outline of a step-post area from ``base`` [px]; ``x``
    holds the ``n + 1`` edges of the ``n`` values of ``y``."""
    n = y.size
    points = np.empty((2 * n + 2, 2))
    points[0] = (x[0], base)
    points[1 : 2 * n + 1 : 2, 0] = x[:-1]
    points[2 : 2 * n + 2 : 2, 0] = x[1:]
    points[1 : 2 * n + 1, 1] = np.repeat(y, 2)
    points[-1] = (x[-1], base)
    flat: list[float] = points.ravel().tolist()
    return flat


def averaging(grid: TimeGrid, width_px: int) -> tuple[IntArray, str]:
    """Boundaries (step indices, ``n + 1`` of them) of the periods drawn, and their name.

    Each step while they fit the plot's width in pixels, else hourly means, else means per
    local day: a year of quarter-hours drawn step by step is a solid block of colour.
    """
    steps = np.arange(grid.n_steps + 1, dtype=np.int64)
    if grid.n_steps <= width_px:
        return steps, f"pas de {grid.step_s // 60}{NBSP}min"
    for keys, name in (
        (grid.instants() // 3600, "moyennes horaires"),  # Paris offsets are whole hours
        (grid.local_days, "moyennes journalières"),
    ):
        cuts = np.flatnonzero(np.diff(keys)) + 1
        if cuts.size + 1 <= width_px or name.endswith("journalières"):
            return np.concatenate(([0], cuts, [grid.n_steps])).astype(np.int64), name
    raise AssertionError("unreachable")


def render(
    grid: TimeGrid,
    consumption_w: FloatArray,
    production_w: FloatArray,
    self_consumed_w: FloatArray,
    self_consumption_rate: float | None,
) -> bytes:
    """The PNG of the operation's three curves (per step, [W]) over ``grid``."""
    from PIL import Image, ImageDraw

    s = SUPERSAMPLE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), WHITE)
    draw = ImageDraw.Draw(image)
    small, normal = _font(12), _font(13)
    plot = plot_box()
    edges, averaged = averaging(grid, plot.right - plot.left)
    means = []
    for curve in (consumption_w, production_w, self_consumed_w):
        kw = np.nan_to_num(np.asarray(curve, dtype=np.float64)) / 1000.0
        if grid.n_steps and edges.size - 1 < grid.n_steps:
            kw = np.add.reduceat(kw, edges[:-1]) / np.diff(edges)
        means.append(kw)
    highest = max((float(m.max()) for m in means if m.size), default=0.0)
    values, decimals = nice_ticks(highest * 1.04)
    labels = [chart_number(value, decimals) for value in values]
    widest = max(small.getbbox(label)[2] for label in labels) // s
    left = max(plot.left, widest + 42) * s  # room for the value labels and the axis name
    top, right, bottom = plot.top * s, plot.right * s, plot.bottom * s

    def y_of(kw: FloatArray) -> FloatArray:
        scaled: FloatArray = bottom - np.clip(kw / values[-1], 0.0, 1.0) * (bottom - top)
        return scaled

    for value, label in zip(values, labels, strict=True):  # horizontal grid, value labels
        y = float(y_of(np.array([value]))[0])
        draw.line([(left, y), (right, y)], fill=GRID, width=s)
        draw.text((left - 6 * s, y), label, font=small, fill=TEXT, anchor="rm")
    span = max(grid.end - grid.start, 1)
    for moment, label in time_ticks(grid.start, grid.end):  # vertical grid, time labels
        x = left + (moment - grid.start) / span * (right - left)
        draw.line([(x, top), (x, bottom)], fill=GRID, width=s)
        draw.line([(x, bottom), (x, bottom + 5 * s)], fill=AXIS, width=s)
        draw.text((x, bottom + 8 * s), label, font=small, fill=TEXT, anchor="mt")
    if grid.n_steps:
        x = left + edges * grid.step_s / span * (right - left)
        consumption, production, self_consumed = means
        draw.polygon(_step_outline(x, y_of(production), bottom), fill=PRODUCTION)
        draw.polygon(_step_outline(x, y_of(self_consumed), bottom), fill=SELF_CONSUMED)
        outline = _step_outline(x, y_of(consumption), bottom)[2:-2]
        draw.line(outline, fill=CONSUMPTION, width=3 * s // 2)  # 1.5 px: one pixel always solid
    draw.rectangle([left, top, right, bottom], outline=AXIS, width=s)
    title = "Production et autoconsommation collective"
    if self_consumption_rate is not None:
        rate = chart_number(self_consumption_rate * 100, 1)
        title += f" — taux d'autoconsommation {rate}{NBSP}%"
    draw.text(((left + right) / 2, 10 * s), title, font=_font(15), fill=TEXT, anchor="mt")
    first = datetime.fromtimestamp(grid.start, PARIS).date()
    last = datetime.fromtimestamp(max(grid.end - 1, grid.start), PARIS).date()
    period = f"Le {first:%d/%m/%Y}" if first == last else f"Du {first:%d/%m/%Y} au {last:%d/%m/%Y}"
    caption = f"{period}, {averaged}, heure de Paris"
    draw.text(((left + right) / 2, (HEIGHT - 8) * s), caption, font=small, fill=AXIS,
              anchor="md")  # fmt: skip
    _y_label(image, "Puissance moyenne (kW)", normal, 14 * s, (top + bottom) / 2)
    _legend(draw, normal)
    final = image.reduce(s)
    buffer = io.BytesIO()
    final.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def _y_label(image: Any, text: str, font: Any, x: float, y: float) -> None:
    """Vertical label centred on ``(x, y)`` (supersampled px)."""
    from PIL import Image, ImageDraw

    box = font.getbbox(text)
    label = Image.new("RGB", (box[2] + 4, box[3] + 4), WHITE)
    ImageDraw.Draw(label).text((2, 2), text, font=font, fill=TEXT)
    turned = label.rotate(90, expand=True)
    image.paste(turned, (int(x - turned.width / 2), int(y - turned.height / 2)))


def _legend(draw: Any, font: Any) -> None:
    s = SUPERSAMPLE
    plot = plot_box()
    swatches = legend_swatches()
    frame = (
        (plot.right - LEGEND_WIDTH) * s,
        (plot.top + 6) * s,
        (plot.right - 6) * s,
        (plot.top + 14 + len(LEGEND) * LEGEND_ROW) * s,
    )
    draw.rectangle(frame, fill=WHITE, outline=GRID, width=s)
    for label, colour, filled in LEGEND:
        box = swatches[label]
        corners = (box.left * s, box.top * s, box.right * s - 1, box.bottom * s - 1)
        if filled:
            draw.rectangle(corners, fill=colour)
        else:
            middle = (box.top + box.bottom) / 2 * s
            draw.rectangle((corners[0], middle - s, corners[2], middle + s - 1), fill=colour)
        draw.text(
            ((box.right + 8) * s, (box.top + box.bottom) / 2 * s),
            label,
            font=font,
            fill=TEXT,
            anchor="lm",
        )


def render_result(curves: FloatArray, grid: TimeGrid, rate: float | None) -> bytes:
    """:func:`render` from the engine's ``operation_curves`` (consumption, production,
    self-consumed, surplus per step [W])."""
    return render(grid, curves[:, 0], curves[:, 1], curves[:, 2], rate)


__all__: Sequence[str] = (
    "HEIGHT",
    "LEGEND",
    "WIDTH",
    "Box",
    "chart_number",
    "legend_swatches",
    "nice_ticks",
    "plot_box",
    "render",
    "render_result",
    "time_ticks",
)
