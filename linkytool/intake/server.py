"""The photo intake server: a small aiohttp server for one site visit.

:class:`IntakeServer` runs in its own thread and event loop, so the CLI (blocking) and the
Textual UI (its own loop) drive it the same way: ``start()``, ``url``, ``qr_lines()``,
events on ``events`` (a queue) or through ``on_event`` (called from the server thread),
``wait_closed()``, ``stop()``. See docs/intake.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import secrets
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from linkytool.errors import ExitCode, LinkytoolError, OutputError, describe_os_error
from linkytool.fileio import atomic_write_bytes
from linkytool.intake.images import EXTENSIONS, sniff_image
from linkytool.intake.page import render_page
from linkytool.intake.qr import qr_lines
from linkytool.intake.recording import PhotoOutcome, record_photo
from linkytool.intake.security import LOOPBACK_HOSTS, Guard, is_loopback, new_token, url_host
from linkytool.intake.slots import SLOTS, SLOTS_BY_NAME, Slot
from linkytool.textfmt import french_duration, french_index, french_value

MIB = 1024 * 1024


class IntakeError(LinkytoolError):
    """The intake server cannot start (address not on this computer, port taken...): a
    port that cannot be used, exit 4 as for ``linkytool serve``."""

    exit_code = ExitCode.DEVICE


@dataclass(frozen=True)
class IntakeSettings:
    """Limits of one visit (defaults: what three phone photos and a few retakes need)."""

    max_file_bytes: int = 25 * MIB  # a 48 Mpx HEIC/JPEG from a recent phone is < 20 MB
    max_visit_bytes: int = 200 * MIB  # about eight full-size retakes per slot
    max_uploads: int = 30
    idle_timeout_s: float = 15 * 60  # stops after this long without an upload [s]
    close_delay_s: float = 1.0  # after the last photo: let the page receive its answer [s]


class EventKind(StrEnum):
    """What happened to the intake."""

    RECEIVED = "received"  # an image arrived (size and type checked)
    STORED = "stored"  # it is in the dossier's folder (atomically, original bytes)
    READ = "read"  # OCR read it; ``outcome`` says what and whether it was recorded
    REFUSED = "refused"  # an upload was refused (``message`` says why)
    FAILED = "failed"  # storing or recording failed (``message``)
    CLOSED = "closed"  # the server stopped (``message``: why)


@dataclass(frozen=True)
class IntakeEvent:
    """One event of the intake, for the UI and the CLI (French ``message``)."""

    kind: EventKind
    slot: str | None = None
    file: Path | None = None
    outcome: PhotoOutcome | None = None
    message: str = ""
    size_bytes: int = 0
    at: float = field(default_factory=time.monotonic)


#: Status of a slot on the phone page: key, French label.
STATUS_LABELS: dict[str, str] = {
    "sur": "sûr",
    "a_confirmer": "à confirmer",
    "a_reprendre": "à reprendre",
}

#: What record_photo does; replaceable in tests (same signature).
Recorder = Callable[[Path, Slot, Path], PhotoOutcome]


def display_value(slot: Slot, value: str | None) -> str | None:
    """A reading as the installer reads it: JJ/MM/AAAA HH:MM, « 12 345 kWh »."""
    if not value:
        return None
    if slot.name == "date":
        return french_value(value)
    if slot.name == "index":
        return french_index(value)
    return value


def slot_answer(slot: Slot, outcome: PhotoOutcome, done: bool) -> dict[str, Any]:
    """The JSON the phone page shows for ``outcome``."""
    if outcome.recorded:
        status = "sur" if outcome.confident else "a_confirmer"
        message = ""
        if not outcome.confident:
            message = outcome.advice or "vérifiez la valeur ou reprenez la photo"
    else:
        status, message = "a_reprendre", outcome.problem or "photo illisible"
    return {
        "slot": slot.name,
        "status": status,
        "label": STATUS_LABELS[status],
        "value": outcome.value,
        "display_value": display_value(slot, outcome.value) if outcome.recorded else None,
        "confidence": round(outcome.confidence, 3),
        "message": message,
        "done": done,
    }


class IntakeServer:
    """One visit's upload server for ``dossier`` (see the module doc)."""

    def __init__(
        self,
        dossier: Path,
        *,
        bind: str,
        port: int = 0,
        settings: IntakeSettings | None = None,
        on_event: Callable[[IntakeEvent], None] | None = None,
        recorder: Recorder = record_photo,
        token: str | None = None,
    ) -> None:
        self.dossier = Path(dossier).resolve()
        self.folder = self.dossier.parent
        self.bind = bind
        self.port = port
        self.settings = settings or IntakeSettings()
        self.token = token or new_token()
        self.events: queue.Queue[IntakeEvent] = queue.Queue()
        self.closed_reason: str | None = None
        self._on_event = on_event
        self._recorder = recorder
        self._answers: dict[str, dict[str, Any]] = {}
        self._visit_bytes = 0
        self._uploads = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._closed = threading.Event()
        self._start_error: LinkytoolError | None = None
        self._guard: Guard | None = None
        self._idle: asyncio.TimerHandle | None = None
        self._lock: asyncio.Lock | None = None
        # one photo read at a time: OCR takes both cores of a field laptop
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-ocr")

    # -- public API --------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The page's URL (with its token), valid once :meth:`start` returned."""
        host = self._advertised_host()
        return f"http://{url_host(host)}:{self.port}/{self.token}/"

    def qr_lines(self, max_lines: int = 21) -> list[str]:
        """The URL as a QR code in text lines (see :mod:`linkytool.intake.qr`)."""
        return qr_lines(self.url, max_lines=max_lines)

    def start(self) -> None:
        """Bind and serve in a background thread; raises :class:`IntakeError`."""
        # the loop exists before the thread: a stop() asked at once still reaches it
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="linkytool-intake", daemon=True)
        self._thread.start()
        self._started.wait()
        if self._start_error is not None:
            self._thread.join()
            raise self._start_error

    def stop(self, reason: str = "Réception fermée.") -> None:
        """Stop serving (idempotent); returns once the server is down."""
        loop = self._loop
        if loop is not None and not self._closed.is_set():
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(self._request_stop, reason)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Block until the server stopped by itself or was stopped; False on timeout."""
        return self._closed.wait(timeout)

    @property
    def answers(self) -> dict[str, dict[str, Any]]:
        """The last answer shown on the page for each slot (copies)."""
        return {name: dict(answer) for name, answer in self._answers.items()}

    # -- server thread -----------------------------------------------------------------

    def _advertised_host(self) -> str:
        if self.bind in ("0.0.0.0", "::"):
            from linkytool.intake.network import default_bind_address

            try:
                return default_bind_address()
            except LinkytoolError:
                return "127.0.0.1"
        return self.bind

    def _emit(self, event: IntakeEvent) -> None:
        self.events.put(event)
        if self._on_event is not None:
            with contextlib.suppress(Exception):  # a UI callback must not stop the server
                self._on_event(event)

    def _run(self) -> None:
        loop = self._loop
        assert loop is not None
        try:
            loop.run_until_complete(self._serve())
        finally:
            _close_loop(loop)
            self._pool.shutdown(wait=True)
            self._emit(IntakeEvent(EventKind.CLOSED, message=self.closed_reason or ""))
            self._closed.set()
            self._started.set()

    def _listen(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.bind else socket.AF_INET
        try:
            return socket.create_server((self.bind, self.port), family=family)
        except OSError as exc:
            raise IntakeError(
                f"Impossible d'écouter sur {self.bind}:{self.port} : {describe_os_error(exc)}.",
                hint="Choisissez l'adresse d'une interface de ce poste (celle du Wi-Fi) "
                "ou un autre port.",
            ) from exc

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        if self.closed_reason is not None:  # stop() came before the server was up
            self._stop.set()
        self._lock = asyncio.Lock()
        try:
            sock = self._listen()
        except IntakeError as exc:
            self._start_error = exc
            return
        self.port = sock.getsockname()[1]
        names = {self._advertised_host(), self.bind}
        if is_loopback(self.bind) or self.bind in ("0.0.0.0", "::"):
            names.update(LOOPBACK_HOSTS)
        self._guard = Guard.for_addresses(self.token, names, self.port)
        app = web.Application(
            middlewares=[self._guard.middleware(), _secure_headers],
            client_max_size=self.settings.max_file_bytes + MIB,
        )
        prefix = f"/{self.token}"
        app.add_routes(
            [
                web.get(f"{prefix}/", self._page),
                web.get(f"{prefix}/state", self._state),
                web.post(f"{prefix}/photo/{{slot}}", self._upload),
                web.post(f"{prefix}/close", self._close),
            ]
        )
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        site = web.SockSite(runner, sock)
        await site.start()
        self._touch()
        self._started.set()
        try:
            await self._stop.wait()
        finally:
            if self._idle is not None:
                self._idle.cancel()
            await runner.cleanup()

    def _request_stop(self, reason: str) -> None:
        if self.closed_reason is None:
            self.closed_reason = reason
        if self._stop is not None:
            self._stop.set()

    def _touch(self) -> None:
        """(Re)arm the idle timeout."""
        assert self._loop is not None
        if self._idle is not None:
            self._idle.cancel()
        delay = french_duration(self.settings.idle_timeout_s / 60)
        self._idle = self._loop.call_later(
            self.settings.idle_timeout_s,
            self._request_stop,
            f"Réception fermée : aucune photo depuis {delay}.",
        )

    # -- handlers ----------------------------------------------------------------------

    async def _page(self, request: web.Request) -> web.Response:
        nonce = secrets.token_urlsafe(12)
        response = web.Response(text=render_page(nonce), content_type="text/html")
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self' blob:; connect-src 'self'; "
            f"style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        return response

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response({slot.name: self._answers.get(slot.name) for slot in SLOTS})

    async def _close(self, request: web.Request) -> web.Response:
        assert self._loop is not None
        self._loop.call_later(0.2, self._request_stop, "Réception fermée depuis le téléphone.")
        return web.json_response({"closed": True})

    def _refuse(
        self, error: type[web.HTTPException], slot: str | None, message: str, **extra: int
    ) -> None:
        """Post a REFUSED event and answer with ``error`` and a French JSON message."""
        self._emit(IntakeEvent(EventKind.REFUSED, slot=slot, message=message))
        raise error(
            text=_json({"status": "erreur", "label": "Refusée", "message": message}),
            content_type="application/json",
            **extra,  # type: ignore[arg-type]
        )

    def _refuse_size(self, slot: str, message: str, size: int, limit: int) -> None:
        self._refuse(web.HTTPRequestEntityTooLarge, slot, message, max_size=limit, actual_size=size)

    async def _upload(self, request: web.Request) -> web.Response:
        name = request.match_info["slot"]
        slot = SLOTS_BY_NAME.get(name)
        if slot is None:
            self._refuse(web.HTTPNotFound, None, "emplacement inconnu")
        assert slot is not None
        limits = self.settings
        if self._uploads >= limits.max_uploads:
            self._refuse(web.HTTPTooManyRequests, name, "trop d'envois pour cette visite")
        declared = request.content_length
        if declared is not None and declared > limits.max_file_bytes + 64 * 1024:
            self._refuse_size(
                name, _too_big(limits.max_file_bytes), declared, limits.max_file_bytes
            )
        budget = min(limits.max_file_bytes, limits.max_visit_bytes - self._visit_bytes)
        data = await _read_photo(request, budget + 1)
        if data is None:
            self._refuse(web.HTTPBadRequest, name, "aucune photo dans l'envoi")
        assert data is not None
        if len(data) > budget:
            why = (
                _too_big(limits.max_file_bytes)
                if budget == limits.max_file_bytes
                else "volume total de la visite dépassé"
            )
            self._refuse_size(name, why, len(data), budget)
        kind = sniff_image(data[:32])
        if kind is None:
            self._refuse(
                web.HTTPUnsupportedMediaType, name, "ce n'est pas une photo (JPEG, PNG ou HEIC)"
            )
        assert kind is not None
        self._uploads += 1
        self._visit_bytes += len(data)
        self._touch()
        self._emit(IntakeEvent(EventKind.RECEIVED, slot=name, size_bytes=len(data)))
        assert self._lock is not None and self._loop is not None
        async with self._lock:
            try:
                path = await self._loop.run_in_executor(
                    self._pool, self._store, slot, EXTENSIONS[kind], data
                )
                self._emit(
                    IntakeEvent(EventKind.STORED, slot=name, file=path, size_bytes=len(data))
                )
                outcome = await self._loop.run_in_executor(
                    self._pool, self._recorder, self.dossier, slot, path
                )
            except LinkytoolError as exc:
                self._emit(IntakeEvent(EventKind.FAILED, slot=name, message=exc.message))
                raise web.HTTPInternalServerError(
                    text=_json({"status": "erreur", "label": "Erreur", "message": exc.message}),
                    content_type="application/json",
                ) from exc
            answer = slot_answer(slot, outcome, done=False)
            self._answers[name] = answer
            done = all(self._answers.get(s.name, {}).get("status") == "sur" for s in SLOTS)
            answer["done"] = done
            self._emit(IntakeEvent(EventKind.READ, slot=name, file=path, outcome=outcome))
        if done:
            self._loop.call_later(
                limits.close_delay_s, self._request_stop, "Les trois photos sont lues : fini."
            )
        return web.json_response(answer)

    def _store(self, slot: Slot, extension: str, data: bytes) -> Path:
        """Write ``data`` as is (EXIF kept) under the slot's fixed name, never over a file."""
        for attempt in range(1, 1000):
            suffix = "" if attempt == 1 else f"-{attempt}"
            path = self.folder / f"{slot.stem}{suffix}{extension}"
            if not path.exists():
                atomic_write_bytes(path, data)
                return path
        raise OutputError(f"Trop de photos {slot.stem} dans {self.folder}.")


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Close ``loop`` as :func:`asyncio.run` does: the tasks still running (a connection
    accepted or a handler cancelled during the shutdown) are cancelled and awaited first;
    closed with them pending, each printed « Task was destroyed but it is pending! » on
    stderr when collected."""
    try:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        loop.close()


@web.middleware
async def _secure_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """No caching, no referrer (the URL holds the token), no framing, no sniffing."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    if isinstance(response, web.HTTPException):
        raise response
    return response


async def _read_photo(request: web.Request, limit: int) -> bytes | None:
    """The uploaded bytes (multipart field ``photo`` or a raw body), at most ``limit``.

    The client's file name is ignored: slots map to fixed names.
    """
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if isinstance(part, BodyPartReader) and part.name == "photo":
                return await _read_limited(part.read_chunk, limit)
        return None
    data = await _read_limited(request.content.read, limit)
    return data or None


async def _read_limited(read: Callable[[int], Awaitable[bytes]], limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = await read(256 * 1024)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _too_big(limit: int) -> str:
    return f"photo trop lourde (plus de {limit // MIB} Mo)"


def _json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


__all__ = [
    "EventKind",
    "IntakeError",
    "IntakeEvent",
    "IntakeServer",
    "IntakeSettings",
    "display_value",
    "slot_answer",
]
