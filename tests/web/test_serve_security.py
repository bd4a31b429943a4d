"""`linkytool serve`: nothing is served without the token, nor to a foreign Host or Origin
(issue 16: any web page could drive the UI over the WebSocket and read the dossier)."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable

import aiohttp
from aiohttp.test_utils import TestServer
from web_helpers import free_port

from linkytool.cli.serve_app import GuardedServer

#: A stand-in for the UI process: textual-serve's prelude, one data packet, then it waits
#: for the server's "quit" (or the end of its stdin) and exits. It reads the server's
#: packets (type, 4-byte length, payload) as the real UI does: a stand-in that ignored
#: "quit" held every test that opens a session for the server's 6 s grace, then SIGTERM.
FAKE_UI = r"""
import json, sys
out = sys.stdout.buffer
out.write(b"__GANGLION__\n")
payload = b"ECRAN-PRM 30002345678901"
out.write(b"D" + len(payload).to_bytes(4, "big") + payload)
out.flush()
while True:
    head = sys.stdin.buffer.read(5)
    if len(head) < 5:
        break
    body = sys.stdin.buffer.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"M" and json.loads(body).get("type") == "quit":
        break
"""

TOKEN = "jeton-de-test-0123456789"


Check = Callable[[GuardedServer, str], Awaitable[None]]


def served(check: Check) -> Callable[[], None]:
    """Run ``check(server, base_url)`` against a real guarded server on 127.0.0.1."""

    def test() -> None:
        async def scenario() -> None:
            port = free_port()
            server = GuardedServer(
                [sys.executable, "-c", FAKE_UI], host="127.0.0.1", port=port, token=TOKEN
            )
            test_server = TestServer(await server._make_app(), host="127.0.0.1", port=port)
            await test_server.start_server()
            try:
                await check(server, f"http://127.0.0.1:{port}")
            finally:
                await test_server.close()

        asyncio.run(scenario())

    test.__name__ = check.__name__
    test.__doc__ = check.__doc__
    return test


async def _ws_first_bytes(url: str, headers: dict[str, str] | None = None) -> bytes:
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(url, headers=headers or {}) as ws,
    ):
        message = await asyncio.wait_for(ws.receive(), 20)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        data: bytes = message.data
        return data


async def _handshake_status(url: str, headers: dict[str, str] | None = None) -> int:
    try:
        await _ws_first_bytes(url, headers)
    except aiohttp.WSServerHandshakeError as error:
        return error.status
    return 101


@served
async def test_the_websocket_opens_with_the_token_and_the_served_origin(
    server: GuardedServer, base: str
) -> None:
    origin = {"Origin": base}
    data = await _ws_first_bytes(f"{base}/{TOKEN}/ws?width=80&height=24", origin)
    assert b"30002345678901" in data
    assert server.url == f"{base}/{TOKEN}/"


@served
async def test_the_websocket_is_refused_without_token(_: GuardedServer, base: str) -> None:
    assert await _handshake_status(f"{base}/ws", {"Origin": base}) == 401


@served
async def test_the_websocket_is_refused_with_a_wrong_token(_: GuardedServer, base: str) -> None:
    wrong = TOKEN[:-1] + "X"
    assert await _handshake_status(f"{base}/{wrong}/ws", {"Origin": base}) == 401


@served
async def test_a_page_of_another_site_cannot_open_the_websocket(
    _: GuardedServer, base: str
) -> None:
    # the attack of issue 16: ws_connect(..., headers={"Origin": "http://evil.example"})
    url = f"{base}/{TOKEN}/ws"
    assert await _handshake_status(url, {"Origin": "http://evil.example"}) == 403
    assert await _handshake_status(url, {"Origin": "http://127.0.0.1:1"}) == 403


@served
async def test_a_rebound_host_name_is_refused(server: GuardedServer, base: str) -> None:
    # DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends its own Host
    port = base.rsplit(":", 1)[1]
    headers = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    assert await _handshake_status(f"{base}/{TOKEN}/ws", headers) == 403
    async with (
        aiohttp.ClientSession() as client,
        client.get(server.url, headers={"Host": f"evil.example:{port}"}) as page,
    ):
        assert page.status == 403


@served
async def test_the_page_and_its_files_need_the_token(server: GuardedServer, base: str) -> None:
    async with aiohttp.ClientSession() as client:
        for path in ("/", "/static/js/textual.js", f"/{TOKEN[:-1]}/", "/download/x"):
            async with client.get(base + path) as response:
                assert response.status == 401, path
        async with client.get(server.url) as page:
            assert page.status == 200
            assert f'data-session-websocket-url="ws://127.0.0.1:{base.rsplit(":", 1)[1]}/' in (
                await page.text()
            )
        async with client.get(server.url + "static/js/textual.js") as script:
            assert script.status == 200
        async with client.get(server.url + "static/") as listing:
            assert listing.status in (403, 404)  # no directory listing


#: Every absolute address in a page (http, https, ws, wss; and protocol-relative ones).
ADDRESS = re.compile(r"""(?:https?:|wss?:)?//[^"'\s)<>]+""")


@served
async def test_the_page_is_french_and_needs_nothing_from_the_internet(
    server: GuardedServer, base: str
) -> None:
    """QA: the page had textual-serve's English (« Start », « Session ended. »,
    « Restart ») and loaded its font from fonts.googleapis.com (a field laptop next to a
    meter is often offline)."""
    async with aiohttp.ClientSession() as client:
        async with client.get(server.url) as response:
            page = await response.text()
        assert '<html lang="fr">' in page
        for french in ("Démarrer", "Session terminée", "Relancer"):
            assert french in page
        for english in ("Start<", "Restart", "Session ended", "Textual Application"):
            assert english not in page
        port = base.rsplit(":", 1)[1]
        here = (f"http://127.0.0.1:{port}/{TOKEN}/", f"ws://127.0.0.1:{port}/{TOKEN}/")
        addresses = ADDRESS.findall(page)
        assert addresses and all(address.startswith(here) for address in addresses), addresses
        assert "fonts/RobotoMono-VariableFont_wght.ttf" in page  # the font, served here
        for address in addresses:  # everything the page refers to is served here
            if address.startswith("http"):
                async with client.get(address) as asset:
                    assert asset.status == 200, address


def test_a_port_taken_is_said_in_french_before_any_address_is_printed() -> None:
    """QA: `serve --port P` with P taken printed its secret address, then an English
    traceback (« OSError: [Errno 98] … address already in use »)."""
    import socket

    from click.testing import CliRunner

    from linkytool.cli import cli

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--host", "127.0.0.1", "--port", str(port)])
    assert result.exit_code == 4, result.output  # a port that cannot be used (README)
    assert "ce port est déjà utilisé par un autre programme" in result.stderr
    assert "Interface disponible" not in result.stderr and "Traceback" not in result.output
