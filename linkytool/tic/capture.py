"""Read TIC captures: raw bytes, linkytool recordings, text dumps (CRLF/LF, tab-expanded).

The format is recognised from the content, not the file name: a recording starts with
its magic line (see :mod:`linkytool.tic.recorder`), raw captures hold STX/ETX or LF..CR
groups, anything else printable is read as a text dump.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Literal, overload

from linkytool.errors import describe_os_error
from linkytool.tic.decoder import TicDecoder
from linkytool.tic.errors import CaptureError
from linkytool.tic.labels import TicMode
from linkytool.tic.model import Event, Frame, RunEvent
from linkytool.tic.textdump import iter_text_dump

#: Read size when streaming a capture [bytes]: events of one chunk are pending at once, so
#: it bounds memory on hostile input (a frame of bad groups costs more than its bytes).
CHUNK = 1 << 16
_RECORDING_MAGIC = b"#LINKYTOOL-TIC-RECORDING "
#: Byte order mark an editor may put before a text dump saved as UTF-8.
_UTF8_BOM = b"\xef\xbb\xbf"


class CaptureKind(StrEnum):
    """What a capture file holds."""

    RAW = "raw"
    RECORDING = "recording"
    TEXT = "text"


def sniff(head: bytes) -> CaptureKind:
    """Kind of capture from its first bytes.

    STX/ETX mark a raw capture. Without them, CR alone is not enough: a text dump saved on
    Windows ends its lines with CR LF too. Only a CR not followed by LF (the end of a raw
    group whose next LF was lost) still says raw; CR LF content is read as text, which
    also decodes a raw capture stripped of STX/ETX (its groups are the dump's lines)."""
    if head.startswith(_RECORDING_MAGIC):
        return CaptureKind.RECORDING
    if any(byte in head for byte in (b"\x02", b"\x03", b"\x82")):
        return CaptureKind.RAW
    if b"\r" in head.replace(b"\r\n", b"\n").removesuffix(b"\r"):
        return CaptureKind.RAW
    return CaptureKind.TEXT


def _open_error(path: Path, exc: OSError) -> CaptureError:
    if isinstance(exc, FileNotFoundError):
        return CaptureError(
            f"Fichier de capture TIC introuvable : {path}.",
            hint="Vérifiez le chemin (un enregistrement de lecture en direct en crée un).",
            path=str(path),
        )
    if isinstance(exc, IsADirectoryError):
        return CaptureError(f"{path} est un dossier, pas une capture TIC.", path=str(path))
    if isinstance(exc, PermissionError):
        return CaptureError(
            f"Lecture de {path} refusée (permissions).",
            hint="Vérifiez les droits du fichier ou copiez-le ailleurs.",
            path=str(path),
        )
    return CaptureError(
        f"Impossible de lire la capture {path} : {describe_os_error(exc)}.", path=str(path)
    )


#: Bytes looked at to tell a capture's kind [bytes] (a recording header fits in it).
SNIFF = 4096


def _read_some(stream: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, without waiting for more than what is available when the
    stream allows it (a live pipe must not wait for a whole megabyte)."""
    read1 = getattr(stream, "read1", None)
    data = read1(size) if callable(read1) else stream.read(size)
    assert isinstance(data, bytes)
    return data


def _read_head(stream: BinaryIO) -> bytes:
    """Enough first bytes to tell the kind: SNIFF bytes, the end of the stream, or a
    raw-capture delimiter (STX, ETX, CR) outside a recording header."""
    head = b""
    while len(head) < SNIFF:
        chunk = _read_some(stream, CHUNK)
        if not chunk:
            break
        head += chunk
        if head.startswith(_RECORDING_MAGIC):
            if b"\n" in head:
                break
        elif sniff(head[:SNIFF]) is CaptureKind.RAW:
            break
    return head


#: Progress callback: (bytes read so far, total size [bytes] or None when unknown).
Progress = Callable[[int, int | None], None]


def _size_of(stream: BinaryIO) -> int | None:
    """Size of a regular file behind ``stream`` [bytes], None for pipes and terminals."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


#: Longest line of a text dump kept whole [characters]; a group is at most ~120. Longer
#: runs without a newline are cut in pieces of this size (they fail their checksums).
MAX_LINE = 4096
#: Three or more line ends in a row: as good as two (one blank line) for the dump reader.
_BLANK_RUN = re.compile(rb"\n(?:[ \t\r]*\n){2,}")


def _text_lines(head: bytes, stream: BinaryIO) -> Iterator[str]:
    """Lines of a text dump read in chunks (latin-1, so every byte survives), at most
    :data:`MAX_LINE` characters each: memory stays bounded whatever the input."""
    pending = head
    while True:
        pending = _BLANK_RUN.sub(b"\n\n", pending)
        cut = pending.rfind(b"\n") + 1
        # the whole chunk decoded and split at once (a line per call cost more than its
        # bytes for short lines)
        lines = pending[:cut].decode("latin-1").split("\n")
        lines.pop()  # what followed the last LF: pending
        pending = pending[cut:]
        if max(map(len, lines), default=0) <= MAX_LINE:
            yield from lines
        else:
            for line in lines:
                for start in range(0, max(len(line), 1), MAX_LINE):
                    yield line[start : start + MAX_LINE]
        while len(pending) > MAX_LINE:
            yield pending[:MAX_LINE].decode("latin-1")
            pending = pending[MAX_LINE:]
        chunk = _read_some(stream, CHUNK)
        if not chunk:
            break
        pending += chunk
    if pending:
        yield pending.decode("latin-1")


@overload
def iter_stream(
    stream: BinaryIO,
    mode: TicMode | None = None,
    *,
    progress: Progress | None = None,
    runs: Literal[False] = False,
) -> Iterator[Event]: ...
@overload
def iter_stream(
    stream: BinaryIO,
    mode: TicMode | None = None,
    *,
    progress: Progress | None = None,
    runs: Literal[True],
) -> Iterator[RunEvent]: ...
def iter_stream(
    stream: BinaryIO,
    mode: TicMode | None = None,
    *,
    progress: Progress | None = None,
    runs: bool = False,
) -> Iterator[RunEvent]:
    """Events of a capture read from a binary stream, decoded as they arrive (constant
    memory, live pipes work): raw bytes, recordings and text dumps alike.
    ``progress`` is called after each chunk read. ``runs``: runs of clean frames of raw
    bytes come as :class:`~linkytool.tic.model.FrameRun` (see ``TicDecoder``)."""
    total = _size_of(stream) if progress is not None else None
    head = _read_head(stream)
    done = len(head)
    kind = sniff(head[:SNIFF])
    if kind is CaptureKind.TEXT:
        yield from iter_text_dump(_text_lines(head.removeprefix(_UTF8_BOM), stream), mode)
        return
    if kind is CaptureKind.RECORDING:
        from linkytool.tic.recorder import parse_recording

        _, head = parse_recording(head)
    decoder = TicDecoder(mode, runs=runs)
    events = decoder.run_events
    chunk = head
    while True:
        if chunk:
            decoder.feed(chunk)
            if progress is not None:
                progress(done, total)
            yield from events()
        chunk = _read_some(stream, CHUNK)
        done += len(chunk)
        if not chunk:
            break
    decoder.close()
    yield from events()


@overload
def iter_capture(
    path: str | os.PathLike[str],
    mode: TicMode | None = None,
    *,
    progress: Progress | None = None,
    runs: Literal[False] = False,
) -> Iterator[Event]: ...
@overload
def iter_capture(
    path: str | os.PathLike[str],
    mode: TicMode | None = None,
    *,
    progress: Progress | None = None,
    runs: Literal[True],
) -> Iterator[RunEvent]: ...
def iter_capture(
    path: str | os.PathLike[str],
    mode: TicMode | None = None,
    *,
    progress: Progress | None = None,
    runs: bool = False,
) -> Iterator[RunEvent]:
    """Events of the capture file at ``path`` (raises :class:`CaptureError` if unreadable)."""
    file = Path(path)
    try:
        stream = file.open("rb")
    except OSError as exc:
        raise _open_error(file, exc) from exc
    with stream:
        try:
            yield from iter_stream(stream, mode, progress=progress, runs=runs)  # type: ignore[call-overload]
        except OSError as exc:
            raise _open_error(file, exc) from exc


@contextmanager
def rare_collections() -> Iterator[None]:
    """Run a long decode with the cyclic garbage collector rarely woken.

    Decoding allocates a few containers per group and frees them by reference counting
    (the decoder makes no reference cycles), yet each 700 allocations wake the collector,
    which then walks the memos: about 15 % of ``tic decode``'s time. Objects alive at the
    start are frozen (never walked) and the first generation collects every 100,000
    allocations; both are restored on exit."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def frames_or_error(events: Iterator[Event], name: str) -> list[Frame]:
    """The frames of ``events``; CaptureError when there is none."""
    frames = [event for event in events if isinstance(event, Frame)]
    if not frames:
        raise CaptureError(
            f"Aucune trame TIC trouvée dans {name}.",
            hint="Le fichier doit contenir des octets bruts de la TIC (STX ... ETX), un "
            "enregistrement linkytool ou un extrait texte (un groupe par ligne).",
        )
    return frames


def read_capture(path: str | os.PathLike[str], mode: TicMode | None = None) -> list[Frame]:
    """All frames of a capture file: raw ``.bin`` bytes, a linkytool recording, or a text
    dump. Raises :class:`CaptureError` (French message) for a missing or unreadable file
    or one holding no TIC frame."""
    return frames_or_error(iter_capture(path, mode), str(path))
