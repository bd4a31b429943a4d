"""What ``linkytool tic read`` shows while a :class:`~linkytool.tic.serialio.TicReader` runs.

:class:`LiveSession` consumes the reader's events and prints them: one JSON object or CSV
rows per frame as they arrive, or the meter summary (refreshed in place when stdout is a
terminal, printed once at the end otherwise). Status events (detection, unplug, replug)
go to stderr in French. The summary is built incrementally (TIC-core's ReadingBuilder)
and keeps no frame, so a reading of several days stays small in memory. Output goes
through the two callables given, so the class is testable without a terminal.
"""

from __future__ import annotations

import re
import shutil
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from linkytool.textfmt import render_table
from linkytool.tic.export import FrameWriter
from linkytool.tic.report import describe_reading, reading_notes
from linkytool.tic.serialio import FrameReceived, NoSignal, ReaderEvent
from linkytool.tic.summary import MeterReading, ReadingBuilder

#: Minimum time between two refreshes of the live table [s].
REFRESH_S = 1.0
#: Minimum time between two "no signal" messages [s].
NO_SIGNAL_REPEAT_S = 15.0
#: ANSI: cursor home + clear screen (the live table redraws in place).
CLEAR = "\x1b[H\x1b[2J"
#: Narrowest value column of the live view: below it, labels wrap instead [characters].
MIN_VALUE_WIDTH = 24
#: Last line of a live view cut to the terminal's height.
CUT_MARK = "… (agrandissez la fenêtre pour voir la suite)"


def terminal_size() -> tuple[int, int]:
    """(columns, lines) of the terminal, ``COLUMNS``/``LINES`` when set (as ``shutil``)."""
    size = shutil.get_terminal_size()
    return size.columns, size.lines


#: A space after a digit: a number and its unit (``0,0 %``, ``60 A``) stay together.
_AFTER_DIGIT = re.compile(r"(?<=\d) ")
#: Stands for such a space while text is wrapped (not a space to textwrap).
_GLUE = "\x00"


def shorten(text: str, width: int) -> str:
    """``text`` on at most ``width`` characters: cut at the last space that fits, ``…``
    after it. A number keeps its unit; narrow no-break spaces (``8 254 321 Wh``) never
    split a number."""
    if len(text) <= width:
        return text
    cut = _AFTER_DIGIT.sub(_GLUE, text[: max(width - 1, 0)])
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.replace(_GLUE, " ").rstrip(" ,;:(/") + "…"


def wrap(text: str, width: int) -> list[str]:
    """``text`` wrapped at word boundaries: spaces only, never inside a grouped number
    nor between a number and its unit."""
    glued = _AFTER_DIGIT.sub(_GLUE, text)
    lines = textwrap.wrap(glued, max(width, 1), break_on_hyphens=False) or [""]
    return [line.replace(_GLUE, " ") for line in lines]


def layout_rows(rows: Sequence[tuple[str, str]], width: int, *, full: bool) -> list[str]:
    """Label/value rows on ``width`` columns: labels aligned, each value on one line
    shortened with ``…`` (``full`` False: the live view) or wrapped at word boundaries
    under itself (``full``: the final summary). Labels too long for a narrow terminal
    wrap too."""
    label_width = min(
        max((len(label) for label, _ in rows), default=0),
        max(width - 2 - MIN_VALUE_WIDTH, 8),
    )
    value_width = max(width - label_width - 2, 1)
    lines = []
    for label, value in rows:
        labels = wrap(label, label_width)
        values = wrap(value, value_width) if full else [shorten(value, value_width)]
        for index in range(max(len(labels), len(values))):
            left = labels[index] if index < len(labels) else ""
            right = values[index] if index < len(values) else ""
            lines.append(f"{left.ljust(label_width)}  {right}".rstrip())
    return lines


def live_screen(
    header: str,
    status: str,
    rows: Sequence[tuple[str, str]],
    notes: Sequence[str],
    size: tuple[int, int],
) -> str:
    """The live view of ``tic read`` for a terminal of ``size`` (columns, lines): header
    and last status, the summary rows (one line each, the essential ones first), then
    the notes wrapped at word boundaries; what does not fit the height is cut at the
    bottom, so the top rows never scroll away."""
    width, height = size
    lines = wrap(header, width)
    if status:
        lines += wrap(status, width)
    lines += ["", *layout_rows(rows, width, full=False)]
    for note in notes:
        lines += ["", *wrap(note, width)]
    usable = max(height - 1, 2)  # the line after the last one must not scroll the screen
    if len(lines) > usable:
        lines = [*lines[: usable - 1], shorten(CUT_MARK, width)]
    return "\n".join(lines)


@dataclass
class LiveSession:
    """Accumulates frames and renders ``tic read`` output (see module docstring)."""

    output_format: str
    echo: Callable[[str], None]
    warn: Callable[[str], None]
    live_table: bool = False
    port: str = ""
    #: Last status message (shown under the live table, which clears the screen).
    status: str = ""
    #: (columns, lines) of the terminal the live table must fit, asked at each refresh.
    screen_size: Callable[[], tuple[int, int]] = terminal_size
    builder: ReadingBuilder = field(default_factory=ReadingBuilder)
    #: Host time the meter sent the last DATE read (for the clock drift).
    date_received_at: datetime | None = None
    _last_refresh: float = 0.0
    _last_no_signal: float = -NO_SIGNAL_REPEAT_S
    _writer: FrameWriter | None = None

    def handle(self, event: ReaderEvent) -> None:
        """Print what ``event`` means for the user."""
        if isinstance(event, FrameReceived):
            self._frame(event)
            return
        if isinstance(event, NoSignal):
            now = time.monotonic()
            if now - self._last_no_signal < NO_SIGNAL_REPEAT_S:
                return
            self._last_no_signal = now
        self.status = event.message
        self.warn(event.message)

    @property
    def frames(self) -> int:
        """Frames received so far."""
        return self.builder.frames

    def reading(self) -> MeterReading:
        """Summary of everything received so far."""
        return self.builder.result()

    def summary_text(self) -> str:
        """The summary table and the notes the user must read, as French text."""
        reading = self.reading()
        rows = describe_reading(reading, self.date_received_at, date.today())
        table = render_table([{"k": k, "v": v} for k, v in rows], (("k", "Compteur"), ("v", "")))
        notes = reading_notes(reading)
        return "\n\n".join([table, *notes])

    def live_text(self) -> str:
        """The live view (see :func:`live_screen`) at the terminal's current size."""
        reading = self.reading()
        stamp = datetime.now(UTC).astimezone().strftime("%H:%M:%S")
        return live_screen(
            f"Lecture TIC en cours sur {self.port} ({stamp}) — Ctrl+C pour arrêter",
            self.status,
            describe_reading(reading, self.date_received_at, date.today()),
            reading_notes(reading),
            self.screen_size(),
        )

    def final_text(self, width: int) -> str:
        """The final summary for a terminal ``width`` columns wide: every value in full,
        wrapped at word boundaries."""
        reading = self.reading()
        rows = describe_reading(reading, self.date_received_at, date.today())
        lines = layout_rows(rows, width, full=True)
        for note in reading_notes(reading):
            lines += ["", *wrap(note, width)]
        return "\n".join(lines)

    def finish(self) -> MeterReading:
        """Print the final summary (table on stdout, or stderr for jsonl/csv)."""
        if self.output_format == "table":
            if self.live_table:
                self.echo(CLEAR + self.final_text(self.screen_size()[0]))
            else:
                self.echo(self.summary_text())
        else:
            reading = self.reading()
            for label, value in describe_reading(reading, self.date_received_at, date.today()):
                self.warn(f"{label} : {value}")
            for note in reading_notes(reading):
                self.warn(note)
        return self.reading()

    def _frame(self, event: FrameReceived) -> None:
        frame = event.frame
        self.builder.add(frame)
        if frame.meter_time is not None:
            self.date_received_at = event.sent_at("DATE")
        if self.output_format in ("jsonl", "csv"):
            if self._writer is None:
                self._writer = FrameWriter(self.output_format)
            text = self._writer.text(frame, self.frames, event.received_at)
            self.echo(text.rstrip("\n"))
        elif self.live_table:
            now = time.monotonic()
            if now - self._last_refresh >= REFRESH_S:
                self._last_refresh = now
                self.echo(CLEAR + self.live_text())
