"""``linkytool serve``: textual-serve behind a token, a Host and an Origin check, and with
sessions that always end.

textual-serve's ``/ws`` checks neither Origin nor Host and asks for no token, so any web
page the user has open (browsers do not apply the same-origin rule to WebSockets) or any
local user could drive the UI and read the dossier. :class:`GuardedServer` serves every
route under ``/<token>/`` and refuses, before any route runs, a request without the token
(401, compared in constant time), with a Host other than this computer's loopback names
(403, DNS rebinding) or with an Origin other than the served one (403).

Sessions: textual-serve starts ``sh -c COMMAND`` and, when the tab closes, sends "quit"
and waits for the output to end; it stops reading the output as soon as the WebSocket is
gone, never waits for the process, and on Ctrl+C closes its loop with the children alive.
:class:`SessionService` starts the UI without a shell in its own process group, keeps
draining its output, and after "quit" gives it :data:`QUIT_GRACE_S`, then SIGTERM, then
SIGKILL to the group; the server stops every session on shutdown. The child's driver
(:mod:`linkytool.cli.serve_driver`) also ends it if the server dies first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Sequence
from typing import Any

from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from linkytool.cli.serve_page import render_serve_page
from linkytool.errors import ExitCode, LinkytoolError, describe_os_error
from linkytool.intake.security import LOOPBACK_HOSTS, Guard, is_loopback, url_host

#: After "quit": how long a session may take to exit before SIGTERM, then SIGKILL [s].
QUIT_GRACE_S = 6.0
TERM_GRACE_S = 2.0
#: The child's Textual driver.
SESSION_DRIVER = "linkytool.cli.serve_driver:SessionWebDriver"

log = logging.getLogger("linkytool.serve")


class SessionService(AppService):
    """One browser tab's UI process (see the module doc)."""

    def __init__(self, argv: Sequence[str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = list(argv)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment: dict[str, str] = super()._build_environment(width=width, height=height)
        environment["TEXTUAL_DRIVER"] = SESSION_DRIVER
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,  # its own process group: signalled as a whole
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        """The UI process id (None before start)."""
        return self._process.pid if self._process is not None else None

    async def on_data(self, payload: bytes) -> None:
        # A tab that went away must not stop the draining of the UI's output (a full pipe
        # would block the UI in the middle of its exit).
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.remote_write_bytes(payload)

    async def on_meta(self, data: bytes) -> None:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await super().on_meta(data)

    async def stop(self) -> None:
        """Ask the UI to quit, then make sure its process group is gone."""
        process = self._process
        if process is None:
            return
        if process.returncode is None:
            with contextlib.suppress(Exception):
                await self.send_meta({"type": "quit"})
            if not await _exited(process, QUIT_GRACE_S):
                _signal_group(process.pid, signal.SIGTERM)
                if not await _exited(process, TERM_GRACE_S):
                    _signal_group(process.pid, signal.SIGKILL)
                    await process.wait()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, TERM_GRACE_S)
            self._task = None


async def _exited(process: asyncio.subprocess.Process, timeout: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        return False
    return True


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


class GuardedServer(Server):
    """textual-serve's server with the guards and session handling of the module doc."""

    def __init__(self, argv: Sequence[str], *, host: str, port: int, token: str) -> None:
        self.argv = list(argv)
        self.token = token
        self.bind_host = host
        shown = "127.0.0.1" if host in ("localhost", "0.0.0.0", "::") else host
        super().__init__(
            " ".join(argv),
            host=host,
            port=port,
            title="linkytool",
            public_url=f"http://{url_host(shown)}:{port}",
        )
        names = {shown, host}
        if is_loopback(host) or host in ("0.0.0.0", "::"):
            names.update(LOOPBACK_HOSTS)
        self.guard = Guard.for_addresses(token, names, port)
        self.sessions: set[SessionService] = set()

    @property
    def url(self) -> str:
        """The page to open (with the token)."""
        return f"{self.public_url}/{self.token}/"

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.WARNING, format="%(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner in English on stdout: the CLI prints the URL."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every session (their processes included) before the server exits."""
        await asyncio.gather(*(session.stop() for session in list(self.sessions)))

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard.middleware()])
        prefix = f"/{self.token}"
        app.add_routes(
            [
                web.get(f"{prefix}/", self.handle_index, name="index"),
                web.get(f"{prefix}/ws", self.handle_websocket, name="websocket"),
                web.get(f"{prefix}/download/{{key}}", self.handle_download, name="download"),
                web.static(f"{prefix}/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        """Our own page (:mod:`linkytool.cli.serve_page`): French, nothing from the internet."""
        router = request.app.router
        static = f"{self.public_url}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
        websocket = "ws:" + f"{self.public_url}{router['websocket'].url_for()}".split(":", 1)[1]
        page = render_serve_page(
            title=self.title,
            static_url=static,
            websocket_url=websocket,
            font_size=to_int(request.query.get("fontsize", "16"), 16),
        )
        response = web.Response(text=page, content_type="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's handler with :class:`SessionService` as the app service."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: SessionService | None = None
        try:
            await websocket.prepare(request)
            service = SessionService(
                self.argv,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self.sessions.add(service)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's failure must not stop the server
            log.warning("Session interrompue : %s", error)
        finally:
            if service is not None:
                await service.stop()
                self.sessions.discard(service)
        return websocket

    def check_address(self) -> None:
        """Raise :class:`ServeAddressError` (French) when ``host:port`` cannot be listened
        on (a port taken by another program, an address not on this computer)."""
        try:
            infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
            for family, kind, proto, _, address in infos:
                with socket.socket(family, kind, proto) as probe:
                    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    probe.bind(address)
        except OSError as exc:
            raise ServeAddressError(
                f"Impossible d'écouter sur {self.host}:{self.port} : {describe_os_error(exc)}.",
                hint="Choisissez un autre port avec --port (par exemple --port 8001).",
            ) from exc

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM; no access log (URLs carry the token)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        with contextlib.suppress(GracefulExit):
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=None,
                access_log=None,
                shutdown_timeout=QUIT_GRACE_S + TERM_GRACE_S + 1,
            )


class ServeAddressError(LinkytoolError):
    """``linkytool serve`` cannot listen on the address and port asked for (a port taken,
    an address not on this computer): a port that cannot be used, exit 4."""

    exit_code = ExitCode.DEVICE


__all__ = [
    "QUIT_GRACE_S",
    "SESSION_DRIVER",
    "GuardedServer",
    "ServeAddressError",
    "SessionService",
]
