"""A small bar chart on a zero baseline, with an optional part drawn inside each bar.

Textual's Sparkline scales each series between its own minimum and maximum, which makes a
253-278 VA wobble look like a full swing and two series impossible to compare. This chart
starts at zero and draws ``part`` (e.g. self-consumed) inside ``total`` (production) on
one shared scale, with eighth-block resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"


def resample(values: Sequence[float], width: int) -> list[float]:
    """``values`` averaged into ``width`` buckets, or each repeated to fill ``width``."""
    if not values:
        return []
    if len(values) <= width:
        repeat = width // len(values)
        return [value for value in values for _ in range(repeat)]
    result = []
    for index in range(width):
        start = index * len(values) // width
        stop = max(start + 1, (index + 1) * len(values) // width)
        chunk = values[start:stop]
        result.append(sum(chunk) / len(chunk))
    return result


def cell_char(level: float, row: int) -> tuple[str, bool]:
    """Block character for a bar of ``level`` rows at ``row`` (0 = bottom); full or not."""
    filled = level - row
    if filled >= 1:
        return BLOCKS[8], True
    if filled <= 0:
        return " ", False
    return BLOCKS[max(1, round(filled * 8))], False


class BarChart(Widget):
    """Bars of ``total`` (colour ``total_style``) with ``part`` inside (``part_style``)."""

    DEFAULT_CSS = "BarChart { height: 4; width: 1fr; }"

    def __init__(
        self,
        *,
        total_style: str = "yellow",
        part_style: str = "green",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.total: list[float] = []
        self.part: list[float] | None = None
        self.total_style = Style.parse(total_style)
        self.part_style = Style.parse(part_style)

    def set_series(self, total: Sequence[float], part: Sequence[float] | None = None) -> None:
        """Show ``total`` and, inside it, ``part`` (same length, same unit)."""
        self.total = [max(0.0, float(v)) for v in total]
        self.part = [max(0.0, float(v)) for v in part] if part is not None else None
        self.refresh()

    def render(self) -> Text:
        width, height = max(1, self.size.width), max(1, self.size.height)
        total = resample(self.total, width)
        part = resample(self.part, width) if self.part is not None else None
        top = max(total, default=0.0)
        text = Text(no_wrap=True)
        if top <= 0:
            return Text("─" * min(width, max(1, len(total))), style="dim")
        scale = height / top
        for row in range(height - 1, -1, -1):
            for index, value in enumerate(total):
                level = value * scale
                inner = min(level, part[index] * scale) if part is not None else 0.0
                inner_char, inner_full = cell_char(inner, row)
                if inner_full:
                    text.append(inner_char, self.part_style)
                elif inner_char != " ":
                    # the part ends in this cell: part colour over the total's colour
                    background = self.total_style.color if level >= row + 1 else None
                    text.append(inner_char, Style(color=self.part_style.color, bgcolor=background))
                else:
                    char, _ = cell_char(level, row)
                    text.append(char, self.total_style)
            if row:
                text.append("\n")
        return text
