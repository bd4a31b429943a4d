"""Live TIC from a serial adapter: open the port 7E1, find the speed, decode, survive unplugs.

:class:`TicReader` is the one way linkytool reads a live meter (``tic read``, the Textual
UI's worker thread, tests). It is a blocking iterator of typed events, meant to run in the
thread that consumes them; :meth:`TicReader.stop` may be called from any other thread and
takes effect within one read timeout (0.1 s by default).

Events: :class:`Connected`, :class:`ModeDetected`, :class:`FrameReceived`,
:class:`NoSignal` (no valid TIC at any speed yet, still trying), :class:`Disconnected`,
:class:`Reconnected`, :class:`ReaderError` (a non-fatal problem, e.g. permission denied
after a replug). Each has a French ``message`` for status lines.

Nothing received is lost: bytes read while detecting the speed are decoded and recorded
once the speed is known; an unplug cuts the frame in progress with an EOT (the TIC
"interrupted" character) so its valid groups are still delivered, and the recording gets
the same EOT so a replay shows what the live reader showed.

pyserial is imported here only (never by ``linkytool.tic`` itself). Ports are opened with
``serial.serial_for_url``, so device paths, ``/dev/serial/by-id/...``, ``rfc2217://``,
``socket://`` and ``loop://`` all work.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from linkytool import __version__
from linkytool.errors import LinkytoolError, OutputError
from linkytool.textfmt import french_number
from linkytool.tic.autodetect import DEFAULT_BAUDS, LISTEN_WINDOW_S, detect_speed
from linkytool.tic.decoder import DecoderStats, TicDecoder
from linkytool.tic.labels import BAUD, TicMode
from linkytool.tic.model import Frame
from linkytool.tic.ports import PortInfo, describe_ports, usb_adapters
from linkytool.tic.recorder import Recorder, RecordingMetadata
from linkytool.tic.serial_errors import (
    PortChoiceError,
    PortNotFoundError,
    SerialPortError,
    classify_open_error,
    io_failure_reason,
)

if TYPE_CHECKING:
    import serial

#: How long a reopening error other than "missing port" must last before it is reported
#: [s] (udev sets the device's group a few milliseconds after creating it).
RECONNECT_GRACE_S = 2.0
#: Bits per character on the TIC line (start + 7 data + even parity + stop).
BITS_PER_CHAR = 10
#: How long a read waits for bytes before checking for stop() [s].
READ_TIMEOUT_S = 0.1
#: Pause between two attempts to reopen an unplugged adapter [s].
RECONNECT_INTERVAL_S = 0.5
#: Silence after which the reader reports that the TIC stopped [s] (a meter never pauses
#: more than a fraction of a second between frames).
SILENCE_S = 5.0
#: Longest unfinished group held back before decoding anyway [bytes].
MAX_TAIL = 4096


def open_port(url: str, baud: int, *, timeout: float = READ_TIMEOUT_S) -> serial.Serial:
    """Open ``url`` at ``baud``, 7 data bits, even parity, 1 stop bit (TIC framing).

    Raises a :class:`SerialPortError` subclass with a French diagnosis (permission,
    missing port with the list of present ones, busy port).
    """
    import serial

    options: dict[str, Any] = {
        "baudrate": baud,
        "bytesize": serial.SEVENBITS,
        "parity": serial.PARITY_EVEN,
        "stopbits": serial.STOPBITS_ONE,
        "timeout": timeout,
    }
    if "://" not in url:
        options["exclusive"] = True  # two readers on one adapter garble each other
    refused: tuple[type[BaseException], ...] = (
        serial.SerialException,
        OSError,
        ValueError,
        *_termios_errors(),
        # pyserial's URL handlers fail on some mistyped URLs with these (loop://?x=1
        # raises a KeyError formatting its own message)
        *((KeyError, TypeError) if "://" in url else ()),
    )
    try:
        return serial.serial_for_url(url, **options)
    except refused as error:
        if _refused_by_pty(url, error):
            try:
                return _open_pty(url, options)
            except refused as retry_error:
                raise classify_open_error(url, retry_error, baud=baud) from retry_error
        raise classify_open_error(url, error, baud=baud) from error


#: Major device numbers of Unix98 pty slaves (/dev/pts/N) [Linux].
_PTY_MAJORS = range(136, 144)


def _refused_by_pty(url: str, error: BaseException) -> bool:
    """True when a pseudo-terminal refused its settings with EINVAL.

    A pty has no UART: Linux keeps it 8 bits without parity whatever is asked, and since
    6.x its tcsetattr fails with EINVAL when nothing it can apply changes. So once a
    first reader left a pty at the wanted speed, every later 7E1 open at that speed
    failed ("(22, 'Invalid argument')" on the simulator's second reader or a reconnect)."""
    if "://" in url or getattr(error, "args", (None,))[0] != errno.EINVAL:
        return False
    return _is_pty(url)


def _is_pty(path: str) -> bool:
    """True when ``path`` is (or leads to) a pseudo-terminal's slave."""
    try:
        return os.major(os.stat(path).st_rdev) in _PTY_MAJORS
    except OSError:
        return False


def names_a_pty(url: str) -> bool:
    """True when ``url`` is a pty's own name (``/dev/pts/N``), not a link to one.

    A pty never comes back under its name: once its owner closes it, the kernel gives its
    number to the next pty opened on the machine (someone's terminal, another
    simulator). A reader must not reopen such a name after losing it; a link (``tic
    simulate --link``, udev's by-id names) is removed with its device, so it can be.
    """
    return "://" not in url and not os.path.islink(url) and _is_pty(url)


def _open_pty(url: str, options: dict[str, Any]) -> serial.Serial:
    """Open a pty at another speed first, then switch: the speed change is what lets
    its tcsetattr succeed (the 7E1 framing is emulated by the other end, if at all)."""
    import serial

    wanted = options["baudrate"]
    port = serial.serial_for_url(
        url, **{**options, "baudrate": 38400 if wanted != 38400 else 19200}
    )
    try:
        port.baudrate = wanted
    except BaseException:
        port.close()
        raise
    return port


def _termios_errors() -> tuple[type[BaseException], ...]:
    """termios.error (not an OSError) is what pyserial lets through when a pty or a dying
    adapter refuses its settings (e.g. EINVAL on a pty whose master is gone)."""
    try:
        import termios
    except ImportError:  # pragma: no cover - Windows
        return ()
    return (termios.error,)


# ------------------------------------------------------------------------ events
@dataclass(frozen=True)
class Connected:
    """The port is open (first time)."""

    kind: ClassVar[str] = "connected"

    url: str
    baud: int

    @property
    def message(self) -> str:
        return f"Port {self.url} ouvert, recherche du signal TIC…"


@dataclass(frozen=True)
class ModeDetected:
    """The line speed is known: groups pass their checksums at ``baud``."""

    kind: ClassVar[str] = "mode"

    mode: TicMode | None
    baud: int
    elapsed_s: float
    """Time from opening the port to the decision [s]."""
    forced: bool = False

    @property
    def message(self) -> str:
        mode = f"mode {self.mode.value}" if self.mode else "mode inconnu"
        how = "imposé" if self.forced else f"détecté en {french_number(self.elapsed_s, '.1f')} s"
        return f"TIC {mode}, {self.baud} bauds ({how})."


@dataclass(frozen=True)
class FrameReceived:
    """One decoded frame and the host time its last byte was read."""

    kind: ClassVar[str] = "frame"

    frame: Frame
    received_at: datetime
    baud: int | None = None
    """Line speed the frame was read at [baud] (None when unknown)."""

    @property
    def message(self) -> str:
        state = "valide" if self.frame.valid else "avec erreurs"
        return f"Trame {state} reçue à {self.received_at:%H:%M:%S}."

    def sent_at(self, label: str) -> datetime:
        """Host time when the meter sent group ``label``: the frame's reception time
        minus the time its remaining bytes took on the wire (10 bits a character).

        A standard frame lasts ~0.9 s; without this correction the meter clock (DATE,
        third group) would look ~0.9 s late. Falls back to ``received_at``.
        """
        raw = self.frame.raw
        position = raw.find(b"\n" + label.encode("ascii"))
        if position < 0 or not self.baud:
            return self.received_at
        end = raw.find(b"\r", position)
        remaining = len(raw) - (end + 1 if end >= 0 else position)
        return self.received_at - timedelta(seconds=remaining * BITS_PER_CHAR / self.baud)


@dataclass(frozen=True)
class NoSignal:
    """No valid TIC at any speed tried yet; the reader keeps trying."""

    kind: ClassVar[str] = "no_signal"

    bauds_tried: tuple[int, ...]
    elapsed_s: float
    bytes_seen: int

    @property
    def message(self) -> str:
        speeds = " puis ".join(f"{baud} bauds" for baud in self.bauds_tried)
        if self.bytes_seen:
            what = f"{self.bytes_seen} octets reçus mais aucun groupe TIC valide"
        else:
            what = "aucun octet reçu"
        return (
            f"Pas de signal TIC ({what}, essayé à {speeds}, {self.elapsed_s:.0f} s). "
            "Vérifiez que l'adaptateur est relié aux bornes I1/I2 du compteur ; "
            "nouvel essai…"
        )


@dataclass(frozen=True)
class Silence:
    """The port is open but no byte arrived for a while (clip off the terminals?)."""

    kind: ClassVar[str] = "silence"

    url: str
    seconds: float

    @property
    def message(self) -> str:
        return (
            f"Plus aucune donnée TIC depuis {self.seconds:.0f} s sur {self.url}. Vérifiez "
            "que l'adaptateur est toujours relié aux bornes I1/I2 du compteur."
        )


@dataclass(frozen=True)
class Disconnected:
    """The adapter went away (unplugged, cable, USB reset)."""

    kind: ClassVar[str] = "unplugged"

    url: str
    reason: str

    @property
    def message(self) -> str:
        return (
            f"Adaptateur débranché ou muet ({self.url} : {self.reason}). Les données déjà "
            "reçues sont conservées ; rebranchez-le, la lecture reprendra seule."
        )


@dataclass(frozen=True)
class PortGone:
    """A pty opened by its own name went away: the reading ends (see
    :func:`names_a_pty`: its number may already be someone else's terminal)."""

    kind: ClassVar[str] = "gone"

    url: str
    reason: str

    @property
    def message(self) -> str:
        return (
            f"Le pseudo-terminal {self.url} a disparu ({self.reason}) : lecture arrêtée. "
            "Les données déjà reçues sont conservées. Ce numéro sera redonné au prochain "
            "terminal ouvert sur ce poste, il n'est donc pas rouvert : relancez la source "
            "(simulateur, socat…) puis la lecture, ou publiez-la par un lien (tic simulate "
            "--link), que la lecture suit."
        )


@dataclass(frozen=True)
class Reconnected:
    """The adapter is back; reading resumes."""

    kind: ClassVar[str] = "replugged"

    url: str
    downtime_s: float

    @property
    def message(self) -> str:
        return f"Adaptateur rebranché ({self.url}) après {self.downtime_s:.0f} s : reprise."


@dataclass(frozen=True)
class ReaderError:
    """A problem the reader reports without stopping (it keeps retrying)."""

    kind: ClassVar[str] = "error"

    error: LinkytoolError

    @property
    def message(self) -> str:
        return str(self.error)


ReaderEvent = (
    Connected
    | ModeDetected
    | FrameReceived
    | NoSignal
    | Silence
    | Disconnected
    | PortGone
    | Reconnected
    | ReaderError
)


@dataclass
class ReaderStats:
    """Running counts of a :class:`TicReader` (read them from any thread).

    Frame and group counts, and the checksum error rate, are the decoder's
    (:attr:`decoded`, TIC-core's ``DecoderStats``).
    """

    decoded: DecoderStats
    bytes_read: int = 0
    disconnects: int = 0
    detect_time_s: float | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))


class _PortLostError(Exception):
    """Internal: the open port failed while reading."""


class TicReader:
    """Reads a live TIC line and yields :data:`ReaderEvent` values (see module docstring).

    ``mode``: "auto" (default) finds the speed (9600 then 1200 baud); "standard" or
    "historique" impose the mode and its speed. ``baud`` overrides the speed. ``record``
    writes the raw bytes to a new recording file (:mod:`linkytool.tic.recorder`).
    ``reconnect`` False ends the iteration at the first disconnection instead of waiting
    for the adapter to come back.
    """

    def __init__(
        self,
        url: str,
        *,
        mode: str = "auto",
        baud: int | None = None,
        record: str | Path | None = None,
        reconnect: bool = True,
        read_timeout: float = READ_TIMEOUT_S,
        reconnect_interval: float = RECONNECT_INTERVAL_S,
        listen_windows: dict[int, float] | None = None,
        silence_s: float = SILENCE_S,
        reconnect_grace_s: float = RECONNECT_GRACE_S,
        opener: Callable[..., Any] = open_port,
    ) -> None:
        if mode not in ("auto", "standard", "historique"):
            raise ValueError(f"unknown mode {mode!r}")
        self.url = url
        self.mode = mode
        self.forced_mode = None if mode == "auto" else TicMode(mode)
        self.baud = baud
        self.record_path = Path(record) if record is not None else None
        self.reconnect = reconnect
        self.read_timeout = read_timeout
        self.reconnect_interval = reconnect_interval
        self.listen_windows = listen_windows or LISTEN_WINDOW_S
        self.silence_s = silence_s
        self.reconnect_grace_s = reconnect_grace_s
        if self.record_path is not None:
            _check_recording_path(self.record_path)
        self.recorder: Recorder | None = None
        self.detected_mode: TicMode | None = None
        self.detected_baud: int | None = None
        self._opener = opener
        self._stop = threading.Event()
        self._decoder = TicDecoder(self.forced_mode)
        self.stats = ReaderStats(self._decoder.stats)
        self._port: Any = None
        self._synced = False
        self._tail = b""
        self._needs_detection = False
        self._downtime = 0.0
        self._reopenable = True

    # ----------------------------------------------------------------- control
    def stop(self) -> None:
        """Ask the reader to finish (thread-safe; effective within one read timeout)."""
        self._stop.set()

    def close(self) -> None:
        """Same as :meth:`stop` (the port is closed by the reading thread)."""
        self.stop()

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stop.is_set()

    def __iter__(self) -> Iterator[ReaderEvent]:
        return self.events()

    def run(self, on_event: Callable[[ReaderEvent], None]) -> None:
        """Call ``on_event`` for every event until stopped (for a worker thread).

        A failure to open the port at start is delivered as a :class:`ReaderError`
        event instead of being raised.
        """
        try:
            for event in self.events():
                on_event(event)
        except SerialPortError as error:
            on_event(ReaderError(error))

    # ----------------------------------------------------------------- main loop
    def candidate_bauds(self) -> tuple[int, ...]:
        """Speeds to try, the last one that worked first."""
        if self.baud is not None:
            return (self.baud,)
        if self.forced_mode is not None:
            return (BAUD[self.forced_mode],)
        if self.detected_baud is not None:
            return (self.detected_baud, *(b for b in DEFAULT_BAUDS if b != self.detected_baud))
        return DEFAULT_BAUDS

    def events(self) -> Iterator[ReaderEvent]:
        """Blocking iterator of events until :meth:`stop` (or the first disconnection
        when ``reconnect`` is False or the port is a pty named by itself, see
        :class:`PortGone`). Raises :class:`SerialPortError` when the port cannot be
        opened at start."""
        bauds = self.candidate_bauds()
        self._reopenable = not names_a_pty(self.url)
        self._port = self._opener(self.url, bauds[0], timeout=self.read_timeout)
        completed = False
        try:
            yield Connected(self.url, bauds[0])
            while not self._stop.is_set():
                try:
                    yield from self._session()
                except _PortLostError as lost:
                    yield from self._after_loss(str(lost))
                    if self._port is None:
                        break
                    yield Reconnected(self.url, self._downtime)
            completed = True
        finally:
            self._close_port()
            if not completed:  # consumer left early or an error escaped: no more yields
                self._close_recorder()
        # End of reading: deliver the frame cut in progress, then close the recording.
        self._resync()
        self._decoder.close()
        last = list(self._drain())
        self._close_recorder()
        yield from last

    def _session(self) -> Iterator[ReaderEvent]:
        """Detect the speed (if needed) then decode until stopped or the port fails."""
        opened = time.monotonic()
        while self.detected_baud is None or self._needs_detection:
            if self._stop.is_set():
                return
            yield from self._detect(opened)
        last_data = time.monotonic()
        silent = False
        while not self._stop.is_set():
            data = self._read()
            now = time.monotonic()
            if data:
                last_data, silent = now, False
                yield from self._consume(data)
            elif not silent and now - last_data >= self.silence_s:
                silent = True
                yield Silence(self.url, now - last_data)

    def _detect(self, opened: float) -> Iterator[ReaderEvent]:
        bauds = self.candidate_bauds()
        forced = self.baud is not None or self.forced_mode is not None
        try:
            detection = detect_speed(
                self._port,
                bauds,
                windows={b: self.listen_windows.get(b, 2.0) for b in bauds},
                should_stop=self._stop.is_set,
            )
        except Exception as error:  # pyserial raises SerialException/OSError
            raise _PortLostError(io_failure_reason(error)) from error
        if detection.baud is None:
            if self._stop.is_set():
                return
            seen = sum(score.bytes_seen for score in detection.scores.values())
            if not forced:
                yield NoSignal(detection.tried, time.monotonic() - opened, seen)
                return
            # Imposed speed: decode what came anyway, the user asked for it.
        baud = detection.baud or bauds[0]
        changed = baud != self.detected_baud
        first = self.detected_baud is None
        self.detected_baud = baud
        self.detected_mode = self.forced_mode or detection.mode
        self._needs_detection = False
        if changed:
            elapsed = time.monotonic() - opened
            if first:
                self.stats.detect_time_s = elapsed
            yield ModeDetected(self.detected_mode, baud, elapsed, forced=forced)
        self._start_recording()
        yield from self._consume(detection.data)

    def _read(self) -> bytes:
        try:
            waiting = self._port.in_waiting
            data: bytes = self._port.read(max(1, min(waiting, 4096)))
        except Exception as error:  # SerialException, OSError, TypeError on a dead fd
            raise _PortLostError(io_failure_reason(error)) from error
        return data

    def _consume(self, data: bytes) -> Iterator[ReaderEvent]:
        """Record and decode ``data``, whole groups only (see :meth:`_whole_groups`)."""
        if not data:
            return
        self.stats.bytes_read += len(data)
        ready = self._whole_groups(data)
        if not ready:
            return
        if self.recorder is not None:
            self.recorder.write(ready)
        self._decoder.feed(ready)
        yield from self._drain()

    def _whole_groups(self, data: bytes) -> bytes:
        """The bytes of ``data`` that can be decoded now.

        Reading starts mid-stream and stops (or is unplugged) mid-group: the fragment
        before the first LF/STX of a session and the fragment after the last delimiter
        when it ends can never pass a checksum, so they are neither decoded nor recorded
        (they would count as checksum errors). Everything else is kept.
        """
        if not self._synced:
            starts = [i for i in (data.find(b"\n"), data.find(b"\x02")) if i >= 0]
            if not starts:
                return b""
            data = data[min(starts) :]
            self._synced = True
        data = self._tail + data
        cut = max(data.rfind(delimiter) for delimiter in (b"\r", b"\x02", b"\x03", b"\x04"))
        if cut < 0 and len(data) < MAX_TAIL:
            self._tail = data
            return b""
        cut = len(data) if cut < 0 else cut + 1
        self._tail = data[cut:]
        return data[:cut]

    def _resync(self) -> None:
        """Forget the unfinished group: the next bytes come from a new session."""
        self._tail = b""
        self._synced = False

    def _drain(self) -> Iterator[ReaderEvent]:
        now = datetime.now(UTC).astimezone()
        for frame in self._decoder.frames():
            yield FrameReceived(frame, now, self.detected_baud)

    def _after_loss(self, reason: str) -> Iterator[ReaderEvent]:
        """Deliver what was cut, say so, then wait for the adapter to come back."""
        lost_at = time.monotonic()
        self.stats.disconnects += 1
        self._close_port()
        self._resync()
        self._decoder.feed(b"\x04")  # EOT: the frame in progress was interrupted
        yield from self._drain()
        if self.recorder is not None:
            self.recorder.mark_disconnect()
        if not self._reopenable:
            yield PortGone(self.url, reason)
            return
        yield Disconnected(self.url, reason)
        if not self.reconnect:
            return
        reported: type[BaseException] | None = None
        failing_since: dict[type[BaseException], float] = {}
        baud = self.detected_baud or self.candidate_bauds()[0]
        while not self._stop.wait(self.reconnect_interval):
            try:
                self._port = self._opener(self.url, baud, timeout=self.read_timeout)
            except SerialPortError as error:
                # Missing port: normal while unplugged. Anything else (permission, busy):
                # udev applies the group a moment after the device appears, so say it
                # once, and only when it lasts.
                kind = type(error)
                since = failing_since.setdefault(kind, time.monotonic())
                lasting = time.monotonic() - since >= self.reconnect_grace_s
                if not isinstance(error, PortNotFoundError) and lasting and kind is not reported:
                    reported = kind
                    yield ReaderError(error)
                continue
            self._downtime = time.monotonic() - lost_at
            self._needs_detection = self.forced_mode is None and self.baud is None
            return

    def start_recording(self, path: str | Path) -> None:
        """Record the raw bytes from now on to the new file ``path`` (never overwritten).

        Call it before iterating or from the thread that iterates, between two events; a
        recording already running is closed first. Raises :class:`OutputError` when the
        file cannot be created.
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        _check_recording_path(target)
        self.stop_recording()
        self.record_path = target
        if self.detected_baud is not None or self.forced_mode is not None:
            self._start_recording()

    def stop_recording(self) -> Path | None:
        """Close the running recording (same thread rules); return its path, if any."""
        path = self.record_path if self.recorder is not None else None
        self._close_recorder()
        self.recorder = None
        self.record_path = None
        return path

    def _start_recording(self) -> None:
        if self.record_path is None or self.recorder is not None:
            return
        metadata = RecordingMetadata(
            mode=self.detected_mode.value if self.detected_mode else None,
            baud=self.detected_baud,
            start=datetime.now(UTC).astimezone(),
            port=self.url,
            software=f"linkytool {__version__}",
        )
        self.recorder = Recorder(self.record_path, metadata)

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(Exception):  # closing a dead port may fail
                port.close()

    def _close_recorder(self) -> None:
        if self.recorder is not None:
            self.recorder.close()


def _check_recording_path(path: Path) -> None:
    """Refuse at once a recording that could not be created (before opening the port)."""
    if path.exists():
        raise OutputError(
            f"Le fichier d'enregistrement {path} existe déjà.",
            hint="Choisissez un autre nom : un enregistrement existant n'est jamais écrasé.",
        )
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir() or not os.access(directory, os.W_OK):
        raise OutputError(
            f"Impossible de créer l'enregistrement {path} : le dossier {directory} "
            "n'existe pas ou n'est pas accessible en écriture.",
            hint="Créez le dossier ou choisissez un autre emplacement.",
        )


def choose_port(
    say: Callable[[str], None],
    *,
    list_ports: Callable[[], Sequence[PortInfo]] | None = None,
) -> str:
    """The port to read when none was given: the only USB adapter present.

    Raises :class:`PortChoiceError` (French, listing the ports) when there is none or
    several. ``say`` receives the French note naming the adapter chosen.
    """
    if list_ports is None:
        from linkytool.tic.ports import list_ports as list_ports_default

        list_ports = list_ports_default
    present = list(list_ports())
    adapters = usb_adapters(present)
    if len(adapters) == 1:
        chosen = adapters[0]
        say(f"Adaptateur détecté : {chosen.path} ({chosen.description}).")
        return chosen.path
    if not adapters:
        return _raise_choice(
            "Aucun adaptateur USB détecté.",
            present,
            "Branchez l'adaptateur TIC ou indiquez le port à lire.",
        )
    return _raise_choice(
        f"{len(adapters)} adaptateurs USB détectés : lequel lire ?",
        adapters,
        "Indiquez le port à lire (le chemin /dev/serial/by-id/... reste valable après un "
        "débranchement).",
    )


def _raise_choice(message: str, ports: Sequence[PortInfo], hint: str) -> str:
    listed = f"\nPorts série présents :\n{describe_ports(ports)}" if ports else ""
    raise PortChoiceError(message + listed, hint=hint, option="port")


def read_frames(
    url: str,
    *,
    count: int,
    mode: str = "auto",
    baud: int | None = None,
    timeout: float | None = None,
) -> list[Frame]:
    """Convenience: the first ``count`` frames from ``url`` (stops at ``timeout`` [s])."""
    reader = TicReader(url, mode=mode, baud=baud)
    timer = threading.Timer(timeout, reader.stop) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    frames: list[Frame] = []
    try:
        for event in reader:
            if isinstance(event, FrameReceived):
                frames.append(event.frame)
                if len(frames) >= count:
                    reader.stop()
    finally:
        if timer:
            timer.cancel()
    return frames


__all__: Sequence[str] = (
    "Connected",
    "Disconnected",
    "FrameReceived",
    "ModeDetected",
    "NoSignal",
    "ReaderError",
    "ReaderEvent",
    "ReaderStats",
    "Reconnected",
    "Silence",
    "TicReader",
    "choose_port",
    "open_port",
    "read_frames",
)
