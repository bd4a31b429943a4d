"""What ``linkytool tic read`` shows while a :class:`~linkytool.tic.serialio.TicReader` runs.

:class:`LiveSession` consumes the reader's events and prints them: one JSON object or CSV
rows per frame as they arrive, or the meter summary (refreshed in place when stdout is a
terminal, printed once at the end otherwise). Status events (detection, unplug, replug)
go to stderr in French. The summary is built incrementally (TIC-core's ReadingBuilder)
and keeps no frame, so a reading of several days stays small in memory. Output goes
through the two callables given, so the class is testable without a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
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

    def finish(self) -> MeterReading:
        """Print the final summary (table on stdout, or stderr for jsonl/csv)."""
        if self.output_format == "table":
            if self.live_table:
                self.echo(CLEAR + self.summary_text())
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
                stamp = datetime.now(UTC).astimezone().strftime("%H:%M:%S")
                header = f"Lecture TIC en cours sur {self.port} ({stamp}) — Ctrl+C pour arrêter"
                footer = f"\n\n{self.status}" if self.status else ""
                self.echo(CLEAR + header + "\n\n" + self.summary_text() + footer)
