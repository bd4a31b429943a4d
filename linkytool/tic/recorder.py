"""Recording format of ``tic read --record FILE``: one JSON header line, then the raw bytes.

Layout (format version 1)::

    #LINKYTOOL-TIC-RECORDING 1 {"mode": "standard", "baud": 9600, "start": "...", ...}\\n
    <raw bytes exactly as read from the port, 7E1 (bit 7 clear)>

* The header is one line of ASCII JSON (no LF inside); the payload starts right after its
  LF. The payload is the byte stream the reader fed its decoder, so decoding it again
  yields the same frames.
* Each disconnection of the adapter is written as one EOT byte (0x04), the TIC character
  meaning "frame interrupted": a replay cuts the frame in progress exactly where the live
  reader did.
* The magic line starts with ``#``, which a TIC stream never contains before its first STX
  in a position that matters: a decoder that ignores the header still decodes the payload
  (the header is garbage before the first frame).

Writes are flushed to the OS after every chunk and ``fsync``'ed at most every second, so a
crash loses nothing and a power cut at most the last second. :func:`parse_recording` is
pure (bytes in, metadata and payload out): ``linkytool.tic.read_capture`` uses it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from linkytool.errors import ExitCode, LinkytoolError, OutputError, describe_os_error

#: First bytes of every recording (followed by the format version and the JSON header).
RECORDING_MAGIC = b"#LINKYTOOL-TIC-RECORDING "
#: Current format version written in the header.
FORMAT_VERSION = 1
#: Byte written at each disconnection (TIC "end of transmission": frame interrupted).
DISCONNECT_MARK = b"\x04"
#: Longest accepted header line [bytes].
MAX_HEADER = 4096
#: Maximum time between two fsync calls [s].
FSYNC_INTERVAL = 1.0


class RecordingError(LinkytoolError):
    """A recording file is malformed (bad header) or cannot be read."""

    exit_code = ExitCode.BAD_INPUT


@dataclass(frozen=True)
class RecordingMetadata:
    """What a replay needs to know about how the bytes were captured."""

    mode: str | None
    """TIC mode detected when recording started: "standard", "historique" or None."""
    baud: int | None
    """Serial speed the bytes were read at [baud] (7E1)."""
    start: datetime
    """Host time (timezone-aware) when the first recorded byte was read."""
    port: str | None = None
    """Port URL or device path read."""
    software: str = ""
    """linkytool version that wrote the file."""
    version: int = FORMAT_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Unknown header keys, kept so a newer file round-trips."""

    def to_json(self) -> dict[str, Any]:
        """Header JSON object."""
        return {
            **self.extra,
            "mode": self.mode,
            "baud": self.baud,
            "start": self.start.isoformat(),
            "port": self.port,
            "software": self.software,
            "framing": "7E1",
        }

    @classmethod
    def from_json(cls, version: int, data: Mapping[str, Any]) -> RecordingMetadata:
        """Parse a header object (raises :class:`RecordingError`)."""
        try:
            start = datetime.fromisoformat(str(data["start"]))
            baud = data.get("baud")
            mode = data.get("mode")
            if baud is not None and not isinstance(baud, int):
                raise TypeError("baud")
            if mode is not None and not isinstance(mode, str):
                raise TypeError("mode")
        except (KeyError, ValueError, TypeError) as exc:
            raise RecordingError(
                f"En-tête d'enregistrement TIC invalide (champ {exc}).",
                hint="Le fichier a été modifié ou tronqué ; les octets bruts restent "
                "lisibles avec linkytool tic decode.",
            ) from exc
        known = {"mode", "baud", "start", "port", "software", "framing"}
        return cls(
            mode=mode,
            baud=baud,
            start=start,
            port=data.get("port"),
            software=str(data.get("software", "")),
            version=version,
            extra={key: value for key, value in data.items() if key not in known},
        )


def encode_header(metadata: RecordingMetadata) -> bytes:
    """The header line (magic, version, compact ASCII JSON, LF)."""
    payload = json.dumps(metadata.to_json(), ensure_ascii=True, separators=(", ", ": "))
    return RECORDING_MAGIC + f"{metadata.version} {payload}\n".encode("ascii")


def is_recording(data: bytes) -> bool:
    """True when ``data`` (or its first bytes) starts like a linkytool recording."""
    return data.startswith(RECORDING_MAGIC)


def parse_recording(data: bytes) -> tuple[RecordingMetadata, bytes]:
    """Split a recording into its metadata and raw payload (pure; raises RecordingError)."""
    if not is_recording(data):
        raise RecordingError("Ce fichier n'est pas un enregistrement TIC de linkytool.")
    end = data.find(b"\n", 0, MAX_HEADER)
    if end < 0:
        raise RecordingError(
            "En-tête d'enregistrement TIC incomplet (fin de ligne absente).",
            hint="Le fichier est probablement tronqué au tout début de l'enregistrement.",
        )
    line = data[len(RECORDING_MAGIC) : end].decode("ascii", errors="replace")
    version_text, _, payload = line.partition(" ")
    try:
        version = int(version_text)
        header = json.loads(payload)
    except ValueError as exc:
        raise RecordingError(f"En-tête d'enregistrement TIC illisible : {exc}.") from exc
    if version > FORMAT_VERSION:
        raise RecordingError(
            f"Enregistrement au format {version}, plus récent que ce linkytool "
            f"(format {FORMAT_VERSION}).",
            hint="Mettez linkytool à jour pour relire ce fichier.",
        )
    if not isinstance(header, dict):
        raise RecordingError("En-tête d'enregistrement TIC illisible (objet JSON attendu).")
    return RecordingMetadata.from_json(version, header), data[end + 1 :]


def load_recording(path: str | os.PathLike[str]) -> tuple[RecordingMetadata, bytes]:
    """Read a recording file: its metadata and raw bytes (raises RecordingError)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RecordingError(
            f"Impossible de lire l'enregistrement {path} : {describe_os_error(exc)}."
        ) from exc
    return parse_recording(data)


class Recorder:
    """Appends raw TIC bytes to a new recording file, crash-safe (see module docstring).

    The file is created exclusively: an existing recording is never overwritten.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        metadata: RecordingMetadata,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.metadata = metadata
        self.bytes_written = 0
        self._monotonic = monotonic
        self._handle: BinaryIO | None = None
        try:
            self._handle = self.path.open("xb")
        except FileExistsError as exc:
            raise OutputError(
                f"Le fichier d'enregistrement {self.path} existe déjà.",
                hint="Choisissez un autre nom : un enregistrement existant n'est jamais écrasé.",
            ) from exc
        except OSError as exc:
            raise OutputError(
                f"Impossible de créer l'enregistrement {self.path} : {describe_os_error(exc)}.",
                hint="Vérifiez que le dossier existe et qu'il est accessible en écriture.",
            ) from exc
        self._write(encode_header(metadata))
        self._sync()

    def write(self, data: bytes) -> None:
        """Append raw bytes (flushed now, fsync'ed at most every second)."""
        if not data:
            return
        self._write(data)
        self.bytes_written += len(data)
        if self._monotonic() - self._last_sync >= FSYNC_INTERVAL:
            self._sync()

    def mark_disconnect(self) -> None:
        """Record a disconnection of the adapter (one EOT byte, synced immediately)."""
        self._write(DISCONNECT_MARK)
        self.bytes_written += len(DISCONNECT_MARK)
        self._sync()

    def close(self) -> None:
        """Flush, fsync and close (idempotent)."""
        if self._handle is None:
            return
        try:
            self._sync()
        finally:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, data: bytes) -> None:
        if self._handle is None:
            raise OutputError(f"L'enregistrement {self.path} est déjà fermé.")
        try:
            self._handle.write(data)
            self._handle.flush()
        except OSError as exc:
            raise OutputError(
                f"Écriture impossible dans l'enregistrement {self.path} : "
                f"{describe_os_error(exc)}.",
                hint="Les octets déjà écrits sont conservés. Libérez de la place ou "
                "enregistrez ailleurs.",
            ) from exc

    def _sync(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):  # fsync unsupported (pipes, some FS)
                os.fsync(self._handle.fileno())
        self._last_sync = self._monotonic()
