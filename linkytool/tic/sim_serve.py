"""Serve a :class:`~linkytool.tic.simulator.MeterSimulator` on a pty, a port URL or a stream.

:func:`serve_pty` starts a background thread writing the meter's frames to a new pty at
the mode's real byte rate (``pace`` times it: ``pace=4`` sends a frame in a quarter of
its real time, the simulated meter's clock unchanged; or as fast as the reader takes them
with ``fast=True``) and returns a :class:`SimulatorServer` whose
:attr:`~SimulatorServer.path` is what a reader opens. With ``link``, the pty is published
through a symlink, like udev's ``/dev/serial/by-id`` names:
:meth:`~SimulatorServer.unplug` closes the pty and removes the link (the reader sees the
adapter vanish), :meth:`~SimulatorServer.replug` creates a new pty behind the same link.

On a pty the simulator also reads back the speed the reader configured (the pty's termios)
and, when it differs from the meter's, delivers what a real UART would decode at that
speed (:class:`~linkytool.tic.sim_line.UartLine`): speed autodetection meets realistic
garbage, not a line that works at any speed. Like a real meter, the simulator does not
wait for a reader: bytes nobody reads are dropped (unless ``fast``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from linkytool.errors import OutputError, describe_os_error
from linkytool.tic.serial_errors import SerialPortError, io_failure_reason
from linkytool.tic.sim_line import UartLine
from linkytool.tic.simulator import MeterSimulator

#: Pacing granularity: bytes are written in slices of this duration [s].
SLICE_S = 0.05

#: Speeds the pty simulation recognises [baud].
PTY_BAUDS = (300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


class Sink(Protocol):
    """Where simulated bytes go."""

    def write(self, data: bytes, *, wait: bool) -> int:
        """Write what can be written; return the count (``wait``: block until all)."""
        ...

    def close(self) -> None: ...


class PtySink:
    """The master side of a new pty; :attr:`slave_path` is what readers open."""

    def __init__(self, tx_baud: int) -> None:
        import termios  # POSIX only, like ptys themselves
        import tty

        self._termios = termios
        #: termios speed constant -> baud
        self._bauds = {
            getattr(termios, f"B{rate}"): rate for rate in PTY_BAUDS if hasattr(termios, f"B{rate}")
        }
        self.master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing before a reader configures it
        self.slave_path = os.ttyname(self._slave)
        os.set_blocking(self.master, False)
        #: Set to make a write waiting for a reader give up (the server is stopping).
        self.give_up = threading.Event()
        self._line = UartLine(tx_baud)
        self.tx_baud = tx_baud

    def reader_baud(self) -> int:
        """Speed the reader set on the pty (shared termios), 0 when unknown."""
        try:
            speed = self._termios.tcgetattr(self.master)[5]
        except self._termios.error:
            return 0
        return self._bauds.get(int(speed), 0)

    def write(self, data: bytes, *, wait: bool) -> int:
        out = self._line.transfer(data, self.reader_baud())
        view = memoryview(out)
        while view:
            try:
                written = os.write(self.master, view)
            except BlockingIOError:
                if not wait or self.give_up.is_set():
                    return len(data)  # nobody reads: the meter does not wait
                select.select([], [self.master], [], 0.1)
                continue
            except OSError as error:
                if error.errno == errno.EIO:
                    return len(data)
                raise
            view = view[written:]
        return len(data)

    def close(self) -> None:
        for fd in (self.master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class PortSink:
    """A serial port URL (real adapter looped to a reader, ``socket://``, ...)."""

    def __init__(self, url: str, baud: int) -> None:
        from linkytool.tic.serialio import open_port

        self.url = url
        self._port: Any = open_port(url, baud)
        self._port.write_timeout = 1.0

    def write(self, data: bytes, *, wait: bool) -> int:
        try:
            written: int = self._port.write(data) or 0
        except Exception as error:  # SerialException, SerialTimeoutException, OSError
            raise SerialPortError(
                f"Écriture impossible sur le port {self.url} : {io_failure_reason(error)}.",
                hint="Vérifiez le branchement de l'adaptateur (ou que la passerelle réseau "
                "est joignable), puis relancez le simulateur.",
            ) from error
        return written

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._port.close()


class StreamSink:
    """A binary stream (stdout)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes, *, wait: bool) -> int:
        self._stream.write(data)
        self._stream.flush()
        return len(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stream.flush()


class SimulatorServer:
    """Runs a simulator in a background thread towards a sink (see module docstring)."""

    def __init__(
        self,
        simulator: MeterSimulator,
        sink_factory: Callable[[], Sink],
        *,
        fast: bool = False,
        pace: float = 1.0,
        link: str | os.PathLike[str] | None = None,
        max_frames: int | None = None,
        duration_s: float | None = None,
    ) -> None:
        if not pace > 0:
            raise ValueError(f"pace must be positive, not {pace!r}")
        self.simulator = simulator
        self.fast = fast
        #: Sending speed as a multiple of the line's real byte rate (without ``fast``).
        self.pace = pace
        self.link = Path(link) if link is not None else None
        self.max_frames = max_frames
        self.duration_s = duration_s
        self.frames_sent = 0
        self.bytes_sent = 0
        self.error: BaseException | None = None
        self._factory = sink_factory
        self._sink: Sink | None = None
        self._lock = threading.Lock()
        self._plugged = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tic-simulator", daemon=True)
        self._plug()

    # ----------------------------------------------------------------- control
    @property
    def slave_path(self) -> str | None:
        """Device path of the current pty (None when unplugged or not a pty)."""
        sink = self._sink
        return sink.slave_path if isinstance(sink, PtySink) else None

    @property
    def path(self) -> str:
        """What a reader should open: the link when there is one, else the pty."""
        if self.link is not None:
            return str(self.link)
        if self.slave_path is None:
            raise RuntimeError("no pty to open")
        return self.slave_path

    @property
    def plugged(self) -> bool:
        return self._plugged.is_set()

    def start(self) -> SimulatorServer:
        """Start writing in the background; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop writing, close the sink, remove the link (idempotent)."""
        self._stop.set()
        self._release_writer()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)
        self.unplug()

    def close(self) -> None:
        """Same as :meth:`stop`."""
        self.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the end (frame or duration limit); True when finished."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _release_writer(self) -> None:
        """A ``--fast`` writer blocked on a pty nobody reads holds the lock: let it go."""
        sink = self._sink
        if isinstance(sink, PtySink):
            sink.give_up.set()

    def unplug(self) -> None:
        """Simulate pulling the adapter out: close the pty, remove the link."""
        self._release_writer()
        with self._lock:
            self._plugged.clear()
            sink, self._sink = self._sink, None
            if self.link is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.link.unlink()
            if sink is not None:
                sink.close()

    def replug(self) -> None:
        """Plug the adapter back: a new pty behind the same link."""
        with self._lock:
            if self._sink is None:
                self._plug_locked()

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----------------------------------------------------------------- machinery
    def _plug(self) -> None:
        with self._lock:
            self._plug_locked()

    def _plug_locked(self) -> None:
        sink = self._factory()
        if self.link is not None and isinstance(sink, PtySink):
            if self.link.exists() and not self.link.is_symlink():
                sink.close()
                raise OutputError(
                    f"{self.link} existe et n'est pas un lien : il n'a pas été remplacé.",
                    hint="Choisissez pour --link un nom libre (par exemple /tmp/linky).",
                )
            temporary = self.link.with_name(f".{self.link.name}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            try:
                temporary.symlink_to(sink.slave_path)
                os.replace(temporary, self.link)  # atomic: readers never see a broken link
            except OSError as exc:
                sink.close()
                raise OutputError(
                    f"Impossible de créer le lien {self.link} : {describe_os_error(exc)}.",
                    hint="Choisissez pour --link un chemin dans un dossier existant où vous "
                    "pouvez écrire (par exemple /tmp/linky).",
                ) from exc
        self._sink = sink
        self._plugged.set()

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as error:  # reported to the owner; the thread just ends
            self.error = error
        finally:
            if self._sink is not None and not isinstance(self._sink, PtySink):
                self._sink.close()

    def _loop(self) -> None:
        simulator = self.simulator
        rate = simulator.byte_rate * self.pace
        chunk = max(1, int(rate * SLICE_S))
        started = time.monotonic()
        clock = started  # when the next slice is due
        while not self._stop.is_set():
            if self.max_frames is not None and self.frames_sent >= self.max_frames:
                return
            if self.duration_s is not None and time.monotonic() - started >= self.duration_s:
                return
            frame = simulator.next_frame()
            for offset in range(0, len(frame), chunk):
                piece = frame[offset : offset + chunk]
                if not self.fast:
                    delay = clock - time.monotonic()
                    if delay > 0 and self._stop.wait(delay):
                        return
                    clock = max(clock, time.monotonic() - 1.0) + len(piece) / rate
                elif not self._plugged.is_set() and self._stop.wait(0.01):
                    return
                with self._lock:
                    sink = self._sink
                    if sink is not None:
                        sink.write(piece, wait=self.fast)
                        self.bytes_sent += len(piece)
            self.frames_sent += 1


def serve_pty(
    simulator: MeterSimulator | None = None,
    *,
    link: str | os.PathLike[str] | None = None,
    fast: bool = False,
    pace: float = 1.0,
    max_frames: int | None = None,
    duration_s: float | None = None,
    **meter_options: Any,
) -> SimulatorServer:
    """Start a simulated meter on a new pty in a background thread; returns its server.

    ``simulator`` None builds ``MeterSimulator(**meter_options)`` (mode, profile, phases,
    prm, adsc, ...; the demo meter by default). Read ``server.path``; ``server.stop()``
    (or ``close()``) ends it; ``unplug()``/``replug()`` simulate the adapter. ``pace``
    sends that many times faster than the real line (tests that wait for frames).
    """
    if simulator is None:
        simulator = MeterSimulator(**meter_options)
    elif meter_options:
        raise TypeError("meter options given with a ready simulator")
    baud = simulator.baud
    limits = {"fast": fast, "pace": pace, "max_frames": max_frames, "duration_s": duration_s}
    return _serve(simulator, lambda: PtySink(baud), link=link, **limits)


def serve_port(
    simulator: MeterSimulator,
    url: str,
    *,
    fast: bool = False,
    pace: float = 1.0,
    max_frames: int | None = None,
    duration_s: float | None = None,
) -> SimulatorServer:
    """Start ``simulator`` writing to the serial port ``url`` (7E1 at the mode's speed)."""
    baud = simulator.baud
    limits = {"fast": fast, "pace": pace, "max_frames": max_frames, "duration_s": duration_s}
    return _serve(simulator, lambda: PortSink(url, baud), **limits)


def serve_stream(
    simulator: MeterSimulator,
    stream: BinaryIO | None = None,
    *,
    fast: bool = False,
    pace: float = 1.0,
    max_frames: int | None = None,
    duration_s: float | None = None,
) -> SimulatorServer:
    """Start ``simulator`` writing raw bytes to ``stream`` (default: stdout)."""
    target = stream if stream is not None else sys.stdout.buffer
    limits = {"fast": fast, "pace": pace, "max_frames": max_frames, "duration_s": duration_s}
    return _serve(simulator, lambda: StreamSink(target), **limits)


def _serve(
    simulator: MeterSimulator, factory: Callable[[], Sink], **options: Any
) -> SimulatorServer:
    """Build and start a :class:`SimulatorServer` (options: fast, pace, link, limits)."""
    return SimulatorServer(simulator, factory, **options).start()
