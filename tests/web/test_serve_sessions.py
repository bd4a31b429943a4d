"""`linkytool serve` leaves no process behind (issue 12 item 6): a tab closed while the UI
is still starting (what headless Chromium with a virtual-time budget does) used to leave a
`linkytool tui` child at ~100 % CPU that survived Ctrl+C on the server."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from web_helpers import free_port

pytestmark = pytest.mark.slow


def _sessions_of(dossier: Path) -> list[int]:
    """Pids of the UI processes serving ``dossier`` (its path is on their command line)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"tui" in argv and str(dossier).encode() in argv:
            pids.append(int(entry.name))
    return pids


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime [clock ticks]


def _wait_until(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def serving(dossier: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "linkytool", "serve", str(dossier), "--port", str(port)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"(http://\S+/)", line)
    assert match, line
    url = match.group(1)
    assert _wait_until(lambda: _can_connect(url), 20)
    try:
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        for pid in _sessions_of(dossier):  # never leave one behind, even on failure
            os.kill(pid, signal.SIGKILL)


def _can_connect(url: str) -> bool:
    async def go() -> bool:
        try:
            async with aiohttp.ClientSession() as client, client.get(url) as response:
                return response.status == 200
        except aiohttp.ClientError:
            return False

    return asyncio.run(go())


async def _open_tab(url: str, hold_s: float | None, drawn: asyncio.Event | None = None) -> None:
    """What a browser tab does: connect, give its size, then close after ``hold_s``
    [s] (None: read until the server closes the connection; ``drawn`` is set once the
    UI's first screen, with its title, has arrived)."""
    origin = "/".join(url.split("/", 3)[:3])
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(
            url.replace("http://", "ws://") + "ws?width=142&height=34",
            headers={"Origin": origin},
        ) as ws,
    ):
        await ws.send_str(json.dumps(["resize", {"width": 142, "height": 42}]))
        if hold_s is not None:
            await asyncio.sleep(hold_s)
        else:
            received = b""
            async for message in ws:
                if drawn is not None and not drawn.is_set():
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += message.data
                    if b"linkytool" in received:
                        drawn.set()


def test_a_tab_closed_while_the_ui_starts_leaves_no_process(
    serving: tuple[subprocess.Popen[str], str], dossier: Path
) -> None:
    process, url = serving
    asyncio.run(_open_tab(url, hold_s=0.3))
    assert _wait_until(lambda: not _sessions_of(dossier), 20), "UI process left behind"
    before = _cpu_ticks(process.pid)
    time.sleep(1.0)
    assert _cpu_ticks(process.pid) - before < 30  # the server idles (< 30 % of a core)


def test_ctrl_c_on_the_server_ends_the_open_sessions(
    serving: tuple[subprocess.Popen[str], str], dossier: Path
) -> None:
    process, url = serving

    async def hold_then_interrupt() -> None:
        drawn = asyncio.Event()
        tab = asyncio.create_task(_open_tab(url, hold_s=None, drawn=drawn))
        while not _sessions_of(dossier):
            await asyncio.sleep(0.2)
        await asyncio.wait_for(drawn.wait(), 30)  # the UI is up and drawing
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(tab, 30)  # the server closes the tab's connection

    asyncio.run(hold_then_interrupt())
    assert process.wait(20) == 0
    assert _wait_until(lambda: not _sessions_of(dossier), 5), "UI process left behind"


def _packet(meta: dict[str, object]) -> bytes:
    payload = json.dumps(meta).encode()
    return b"M" + len(payload).to_bytes(4, "big") + payload


@pytest.mark.parametrize("ending", ["quit while starting", "server gone"])
def test_the_ui_process_ends_by_itself(dossier: Path, ending: str) -> None:
    """Without the server's help: an early quit (which hangs Textual's shutdown) or the
    end of stdin (the server was killed) ends the UI process."""
    from linkytool.cli.serve_app import SESSION_DRIVER

    env = dict(os.environ, TEXTUAL_DRIVER=SESSION_DRIVER, COLUMNS="142", ROWS="34")
    child = subprocess.Popen(
        [sys.executable, "-m", "linkytool", "tui", str(dossier)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert child.stdin is not None
    try:
        child.stdin.write(_packet({"type": "resize", "width": 142, "height": 34}))
        child.stdin.flush()
        time.sleep(0.2)
        child.stdin.write(_packet({"type": "resize", "width": 142, "height": 42}))
        if ending == "quit while starting":
            child.stdin.write(_packet({"type": "quit"}))
            child.stdin.flush()
        else:
            child.stdin.close()
        child.wait(20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
            pytest.fail("the UI process did not end")
