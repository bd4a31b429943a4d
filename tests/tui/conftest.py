"""Fixtures for the UI tests: a frozen clock, dossier copies, message capture, text screens."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from textual.app import App
from textual.message import Message

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PARIS = ZoneInfo("Europe/Paris")
#: The demo's commissioning moment (coherent with the demo photos' EXIF time).
FROZEN_NOW = datetime(2026, 11, 20, 14, 40, 0, tzinfo=PARIS)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests of this directory in a fresh event loop (no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


class ParsedCss:
    """Textual's CSS parsing, once per test process for each source and theme.

    Every new ``App`` parses ``app.tcss`` and the ``DEFAULT_CSS`` of each widget class it
    mounts again (``Stylesheet._parse_rules`` caches per stylesheet, so per app): a
    tenth of the CPU of a test that starts the app and shows one screen, for the same
    rules from the same text each time (issue 14). Parsing is a pure function of the
    text, its location, its flags and the theme's variables (all in the key); its rule
    sets are only read afterwards (``Stylesheet.apply``), as one app already shares them
    among its widgets. A source that fails to parse raises again each time (not kept).
    """

    def __init__(self) -> None:
        from textual.css.stylesheet import Stylesheet

        self.parse = Stylesheet._parse_rules
        self.rules: dict[tuple[Any, ...], list[Any]] = {}
        self.misses = 0

    def install(self, patch: pytest.MonkeyPatch) -> None:
        from textual.css.stylesheet import Stylesheet

        def parse_rules(stylesheet: Stylesheet, css: str, *place: Any, **flags: Any) -> Any:
            key = (tuple(stylesheet._variables.items()), css, place, tuple(flags.items()))
            rules = self.rules.get(key)
            if rules is None:
                self.misses += 1
                rules = self.rules[key] = self.parse(stylesheet, css, *place, **flags)
            return rules

        patch.setattr(Stylesheet, "_parse_rules", parse_rules)


@pytest.fixture(scope="session", autouse=True)
def _css_parsed_once() -> Iterator[ParsedCss]:
    parsed = ParsedCss()
    with pytest.MonkeyPatch.context() as patch:
        parsed.install(patch)
        yield parsed


def frozen_clock() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return frozen_clock


@pytest.fixture
def template_dossier(tmp_path: Path) -> Path:
    """A fresh dossier written from ``linkytool.mes``'s template."""
    from linkytool.mes.store import new_dossier_text

    path = tmp_path / "dossier.toml"
    path.write_text(new_dossier_text(), encoding="utf-8")
    return path


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled demo dossier and photos; returns the dossier path."""
    if not (SAMPLES / "dossier" / "demo.toml").is_file():
        pytest.skip("samples/dossier/demo.toml not available yet")
    for name in ("dossier", "photos"):
        if (SAMPLES / name).is_dir():
            shutil.copytree(SAMPLES / name, tmp_path / name)
    return tmp_path / "dossier" / "demo.toml"


class MessageLog:
    """Collects the messages the app processes (``run_test(message_hook=...)``)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._seen: set[int] = set()  # ids stay unique: the messages are kept alive

    def __call__(self, message: Message) -> None:
        # A bubbling message is seen once per node it passes: keep the first sighting.
        if id(message) not in self._seen:
            self._seen.add(id(message))
            self.messages.append(message)

    def of(self, kind: type[Any]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


@pytest.fixture
def messages() -> MessageLog:
    return MessageLog()


def screen_text(app: App[Any]) -> str:
    """The current screen as plain text lines (for assertions and text snapshots)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


#: Sleeps between two looks at a ``wait_for`` condition [s]: short first (most conditions
#: hold once the app has handled what is queued), then every 50 ms.
POLL_DELAYS_S = (0.002, 0.004, 0.008, 0.016, 0.032)
POLL_EVERY_S = 0.05


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds (workers report asynchronously).

    Returns as soon as it holds: the timeout only bounds a failure. 30 s, not 10: three
    test workers on two shared cores (tests/conftest.py) can starve a worker for seconds:
    ``test_edits_made_elsewhere_meanwhile_are_kept`` missed the 10 s deadline of its
    autosave in a starved run (nice 19 under a load of 4; issue 14).

    Between two looks the test only sleeps (the app runs meanwhile), a few ms at first;
    once the condition holds, ``pilot.pause(0)`` lets the app handle what is queued (and
    draws the screen) and the condition is looked at again: it returns, as it always
    did, on a condition that held after such a pause. It used to pause 50 ms between
    looks (each ``pause`` also waits for every widget of the screen, 30 ms of CPU on
    Prérequis): half the waiting of the Prérequis tests was these 50 ms steps, each
    condition met a few ms into one (issue 14)."""
    import asyncio
    import time

    if condition():
        return
    deadline = time.monotonic() + timeout
    delays = iter(POLL_DELAYS_S)
    while True:
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(next(delays, POLL_EVERY_S))
        if condition():
            await pilot.pause(0)  # the screen's queued messages handled, then drawn
            if condition():
                return


class CachedPhotoReader:
    """``linkytool.ocr.read_photo``, run once per photo content for the whole test session.

    Tests that are not about OCR inject it (``make_app(photo_reader=...)``): each reading is
    still real (computed by the OCR on first use), but a photo read by several tests costs
    its seconds of OCR once, for all the test workers (``store``: a ``SessionStore``; it
    was once per worker, issue 14). The demo end-to-end test keeps the real reader.
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self._readings: dict[str, Any] = {}
        self.calls = 0

    def __call__(self, path: Path) -> Any:
        import dataclasses
        import hashlib

        from linkytool.ocr import read_photo

        self.calls += 1
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if digest not in self._readings:
            self._readings[digest] = self._store.get(digest, lambda: read_photo(path))
        return dataclasses.replace(self._readings[digest], path=Path(path))


@pytest.fixture(scope="session")
def photo_reader(session_store: Callable[[str], Any]) -> CachedPhotoReader:
    return CachedPhotoReader(session_store("photo-readings"))


@pytest.fixture(scope="session")
def screen_captures(session_folder: Path) -> Any:
    """Every screen of ``screens.SCREENS`` drawn once per session (``screens.Captures``)."""
    from .screens import Captures

    return Captures(session_folder / "screens")


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's own state (drafts, last dossier) nor share
    photo readings kept by another test (a test of the workers would find its photo read)."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


class SVGImageExtension(SingleFileSnapshotExtension):
    """Textual's convention (pytest-textual-snapshot): one SVG screenshot per snapshot.

    That plugin pins syrupy 4.8, older than the project's; this is its comparison on
    the project's syrupy."""

    file_extension = "svg"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def svg_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(SVGImageExtension)


async def compteur_ready(app: Any, pilot: Any) -> None:
    """The Compteur's widgets are mounted (one frame after the first screen)."""
    await wait_for(pilot, lambda: app.panes["compteur"].body_ready)


def photos_app(dossier: Path, photo_reader: Any = None) -> Any:
    """The app on ``dossier`` as the photo tests run it: frozen clock, no serial port,
    ``photo_reader`` (None: the real OCR)."""
    from linkytool.tui.app import make_app

    return make_app(dossier, clock=frozen_clock, port_lister=list, photo_reader=photo_reader)


@contextlib.asynccontextmanager
async def on_screen(
    app: App[Any], key: str, *, size: tuple[int, int] = (80, 24), **options: Any
) -> AsyncIterator[Any]:
    """Run ``app`` at ``size`` with ``run_test``'s ``options`` (message_hook,
    notifications) and open the screen of ``key`` (``"f3"``: Photos); yields the pilot."""
    async with app.run_test(size=size, **options) as pilot:
        await pilot.press(key)
        await pilot.pause()
        yield pilot
