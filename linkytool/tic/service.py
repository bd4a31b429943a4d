"""The TIC user actions, one function each, returning typed results the front ends render.

``decode_capture`` (a file or stream), ``read_live`` (a serial port), ``list_ports`` and
``start_simulator``. The CLI (``linkytool tic ...``) and the UI call these and only parse
input and render what comes back; frames go to the caller one by one (``on_frame`` /
``on_event``), so a month of capture never sits in memory. Errors are
:class:`~linkytool.tic.errors.TicError` subclasses carrying their facts as fields
(``path``, ``option``); their hints never name a command-line flag. Nothing here imports
click or a front end.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from linkytool.tic import capture
from linkytool.tic.capture import Progress, rare_collections
from linkytool.tic.errors import CaptureError
from linkytool.tic.labels import TicMode
from linkytool.tic.model import Frame, FrameRun
from linkytool.tic.summary import MeterReading, ReadingBuilder

if TYPE_CHECKING:
    from linkytool.tic.ports import PortInfo
    from linkytool.tic.serialio import ReaderEvent
    from linkytool.tic.sim_serve import SimulatorServer
    from linkytool.tic.simulator import MeterSimulator


class NoValidGroupError(CaptureError):
    """Frames were found but none of their groups passed its checksum."""

    def __init__(self, message: str, *, groups_bad: int, forced_mode: TicMode | None) -> None:
        super().__init__(message, option="mode" if forced_mode is not None else None)
        self.groups_bad = groups_bad
        self.forced_mode = forced_mode


# -- decode a capture ----------------------------------------------------------------


@dataclass(frozen=True)
class DecodeResult:
    """What decoding a capture found."""

    reading: MeterReading
    #: Frames decoded (complete or not).
    frames: int
    #: Bytes outside any frame, skipped [bytes].
    skipped_bytes: int


def decode_capture(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    mode: TicMode | None = None,
    on_frame: Callable[[Frame, int], None] | None = None,
    on_run: Callable[[FrameRun, int], None] | None = None,
    progress: Progress | None = None,
    name: str | None = None,
) -> DecodeResult:
    """Decode a capture file (path) or stream; ``on_frame(frame, index)`` sees each frame
    as it is decoded (index from 1). With ``on_run``, runs of clean, valid, complete
    frames go to ``on_run(run, index of its first frame)`` instead, in bulk (exporters
    render them faster than frame by frame), the other frames to ``on_frame``. Raises
    :class:`CaptureError` when the source cannot be read or holds no frame,
    :class:`NoValidGroupError` when no group is valid."""
    runs = on_run is not None
    if isinstance(source, str | os.PathLike):
        events = capture.iter_capture(source, mode, progress=progress, runs=runs)  # type: ignore[call-overload]
        name = name or str(source)
    else:
        events = capture.iter_stream(source, mode, progress=progress, runs=runs)  # type: ignore[call-overload]
        name = name or "l'entrée standard"
    builder = ReadingBuilder()
    skipped = 0
    with rare_collections():
        for event in events:
            if isinstance(event, FrameRun):
                first = builder.frames + 1
                builder.add_run(event)
                on_run(event, first)  # type: ignore[misc]
                continue
            if not isinstance(event, Frame):
                skipped += len(event.data)
                continue
            builder.add(event)
            if on_frame is not None:
                on_frame(event, builder.frames)
    if not builder.frames:
        raise CaptureError(
            f"Aucune trame TIC trouvée dans {name}.",
            hint="Il faut des octets bruts de la TIC (STX ... ETX), un enregistrement "
            "linkytool ou un extrait texte (un groupe par ligne).",
            path=name,
        )
    reading = builder.result()
    if not reading.groups_ok:
        raise NoValidGroupError(
            f"Aucun groupe valide dans {name} : les {reading.groups_bad} groupe(s) lu(s) ont "
            "un checksum faux ; ce n'est pas une capture TIC lisible.",
            groups_bad=reading.groups_bad,
            forced_mode=mode,
        )
    return DecodeResult(reading, builder.frames, skipped)


# -- read a serial port --------------------------------------------------------------


@dataclass(frozen=True)
class LiveResult:
    """What a live reading received."""

    port: str
    #: Summary of every frame received (None when none arrived).
    reading: MeterReading | None
    #: Complete frames received (the first, caught mid-way, is not complete).
    complete_frames: int
    #: True when the user interrupted the reading (Ctrl+C).
    interrupted: bool
    #: The recording written (None without one) and its size [bytes].
    recording: Path | None
    recorded_bytes: int


def read_live(
    port: str | None,
    *,
    on_event: Callable[[ReaderEvent], None],
    say: Callable[[str], None],
    mode: str = "auto",
    baud: int | None = None,
    record: Path | None = None,
    max_frames: int | None = None,
    timeout_s: float | None = None,
) -> LiveResult:
    """Read TIC from ``port`` (None: the only USB adapter) until ``max_frames`` complete
    frames, ``timeout_s`` seconds or Ctrl+C; every reader event goes to ``on_event``.
    ``say`` receives French notes (the adapter chosen). Raises a ``SerialPortError`` when
    the port cannot be opened at all."""
    from linkytool.tic.serialio import FrameReceived, TicReader, choose_port

    url = port or choose_port(say)
    reader = TicReader(url, mode=mode, baud=baud, record=record)
    builder = ReadingBuilder()
    timer = threading.Timer(timeout_s, reader.stop) if timeout_s else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    complete = 0
    interrupted = False
    try:
        for event in reader:
            if isinstance(event, FrameReceived):
                builder.add(event.frame)
                complete += event.frame.complete
                if max_frames is not None and complete >= max_frames:
                    reader.stop()
            on_event(event)
    except KeyboardInterrupt:
        interrupted = True
        reader.stop()
    finally:
        if timer is not None:
            timer.cancel()
    recorder = reader.recorder
    return LiveResult(
        port=url,
        reading=builder.result() if builder.frames else None,
        complete_frames=complete,
        interrupted=interrupted,
        recording=Path(recorder.path) if recorder is not None else None,
        recorded_bytes=recorder.bytes_written if recorder is not None else 0,
    )


# -- list ports ----------------------------------------------------------------------


def list_ports() -> tuple[PortInfo, ...]:
    """The serial ports of this machine, USB adapters first."""
    from linkytool.tic.ports import list_ports as enumerate_ports

    return tuple(enumerate_ports())


# -- simulate a meter ----------------------------------------------------------------


class SimulatorOptionError(CaptureError):
    """A simulator option is invalid (``option`` names it)."""

    exit_code = CaptureError.exit_code


@dataclass(frozen=True)
class SimulatorRequest:
    """What ``start_simulator`` builds: the meter and where it sends its TIC."""

    mode: str = "standard"
    profile: str = "consumer"
    phases: int = 1
    tariff: str = "base"
    prm: str = "30002345678901"
    adsc: str | None = None
    start: datetime | None = None
    drift_s: float = 0.0
    error_rate: float = 0.0
    garbage_rate: float = 0.0
    seed: int | None = None
    #: Where to write: a pyserial URL, stdout (raw bytes), else a new pty (``link``).
    port_url: str | None = None
    to_stdout: bool = False
    link: str | os.PathLike[str] | None = None
    fast: bool = False
    max_frames: int | None = None
    duration_s: float | None = None


def start_simulator(request: SimulatorRequest) -> tuple[MeterSimulator, SimulatorServer]:
    """Check ``request``, build the simulated meter and start serving it (background
    thread). Raises :class:`SimulatorOptionError` with ``option`` set."""
    from linkytool.tic.horodate import PARIS
    from linkytool.tic.sim_serve import serve_port, serve_pty, serve_stream
    from linkytool.tic.simulator import MeterSimulator

    if request.port_url and request.to_stdout:
        raise SimulatorOptionError(
            "Deux sorties demandées à la fois : un port et la sortie standard.",
            option="stdout",
        )
    if not (len(request.prm) == 14 and request.prm.isdigit()):
        raise SimulatorOptionError("Le PRM compte 14 chiffres.", option="prm")
    if request.adsc is not None and not (len(request.adsc) == 12 and request.adsc.isdigit()):
        raise SimulatorOptionError("L'adresse du compteur compte 12 chiffres.", option="adsc")
    start = request.start
    if start is not None and start.tzinfo is None:
        start = start.replace(tzinfo=PARIS)
    simulator = MeterSimulator(
        request.mode,
        request.profile,
        request.phases,
        prm=request.prm,
        adsc=request.adsc,
        tariff=request.tariff,
        start=start,
        clock_drift_s=request.drift_s,
        error_rate=request.error_rate,
        garbage_rate=request.garbage_rate,
        seed=request.seed,
    )
    limits = {
        "fast": request.fast,
        "max_frames": request.max_frames,
        "duration_s": request.duration_s,
    }
    server: SimulatorServer
    if request.to_stdout:
        server = serve_stream(simulator, **limits)  # type: ignore[arg-type]
    elif request.port_url:
        server = serve_port(simulator, request.port_url, **limits)  # type: ignore[arg-type]
    else:
        server = serve_pty(simulator, link=request.link, **limits)  # type: ignore[arg-type]
    return simulator, server
