"""Photos from the installer's phone, started from the Photos screen (issue 15): the QR
code and URL at 80×24, real HTTP uploads that update the slot live and land in the
dossier, and a server that stops when the panel closes, the screen or the app is left,
the three values are confirmed, or it stops by itself."""

from __future__ import annotations

import socket
import threading
import tomllib
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from textual.widgets import Button

from linkytool.intake import IntakeServer
from linkytool.intake.qr import qr_matrix
from linkytool.tui.app import LinkytoolApp, make_app
from linkytool.tui.messages import IntakeUpdated, PhotoRead, ReadingConfirmed, WorkFailed

from .conftest import CachedPhotoReader, MessageLog, frozen_clock, screen_text, wait_for
from .screens import copy_demo

PHOTOS = Path(__file__).resolve().parents[2] / "samples" / "photos"


def _app(
    dossier: Path, photo_reader: CachedPhotoReader, bind: str | None = "127.0.0.1", port: int = 0
) -> LinkytoolApp:
    return make_app(
        dossier,
        clock=frozen_clock,
        port_lister=list,
        photo_reader=photo_reader,
        intake_bind=bind,
        intake_port=port,
    )


def _intake_threads() -> list[str]:
    """The threads of the intake still alive (its server, a stop in flight)."""
    return [t.name for t in threading.enumerate() if t.name in ("linkytool-intake", "intake-stop")]


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _server(app: LinkytoolApp) -> IntakeServer | None:
    intake = getattr(app.panes.get("photos"), "intake", None)
    return None if intake is None else intake.server


async def _upload(url: str, slot: str, photo: str) -> tuple[int, Any]:
    """What the phone page does: the photo as the multipart field ``photo``."""
    async with aiohttp.ClientSession() as client:
        form = aiohttp.FormData()
        form.add_field("photo", (PHOTOS / photo).read_bytes(), filename="IMG_0042.JPG")
        async with client.post(url + f"photo/{slot}", data=form) as response:
            return response.status, await response.json(content_type=None)


async def _photos_screen(app: LinkytoolApp, pilot: Any, messages: MessageLog) -> None:
    """F3 once the dossier's photos are read: the first value has the focus."""
    await wait_for(pilot, lambda: len(messages.of(PhotoRead)) == 3, timeout=120)
    await pilot.press("f3")
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "value-prm")


async def _open_intake(app: LinkytoolApp, pilot: Any, messages: MessageLog) -> IntakeServer:
    """F3, Échap (out of the value field), then t."""
    await _photos_screen(app, pilot, messages)
    await pilot.press("escape", "t")
    await wait_for(pilot, lambda: not app.query_one("#intake-panel").has_class("hidden"), 30)
    server = _server(app)
    assert server is not None
    return server


def _decode(lines: list[str]) -> list[list[bool]]:
    """The QR modules (True = dark) drawn as half blocks, light on dark."""
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    matrix = []
    for line in lines:
        matrix.append([not top[c] for c in line])
        matrix.append([not bottom[c] for c in line])
    return matrix


async def test_a_photo_sent_from_the_phone_updates_its_slot_and_the_dossier(
    tmp_path: Path,
    messages: MessageLog,
    photo_reader: CachedPhotoReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linkytool.mes import service

    recorded: list[tuple[str, Path]] = []
    record = service.record_photo

    def spy(dossier: Path, field: Any, photo: Path, reading: Any) -> Any:
        recorded.append((str(field.value), photo))
        return record(dossier, field, photo, reading)

    monkeypatch.setattr(service, "record_photo", spy)  # the CLI's and the UI's one route
    dossier = copy_demo(tmp_path)
    app = _app(dossier, photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        server = await _open_intake(app, pilot, messages)

        # the QR code, whole and lossless, and the URL, on the 80×24 screen
        def qr_drawn() -> list[str]:
            screen = screen_text(app).splitlines()
            return [line[1:38] for line in screen if line[1:3] == "██" or line[1:3] == "▀▀"]

        await wait_for(pilot, lambda: bool(qr_drawn()))  # drawn on the next frame
        screen = screen_text(app).splitlines()
        drawn = qr_drawn()
        expected = qr_matrix(server.url, border=2)
        assert len(drawn) == (len(expected) + 1) // 2 <= 24 - 4
        assert _decode(drawn)[: len(expected)] == expected
        assert server.url in "".join(line[39:].strip() for line in screen)
        assert app.focused is app.query_one("#intake-close", Button)

        status, answer = await _upload(server.url, "date", "t06-normal-date.jpg")
        assert status == 200 and answer["status"] in ("sur", "a_confirmer")
        stored = dossier.parent / "photo-date-courante.jpg"
        slot = app.panes["photos"].slot("date")  # type: ignore[attr-defined]
        # the slot shows the photo from the phone with its reading, as for a picked one
        await wait_for(pilot, lambda: slot.path == stored and slot.reading is not None, 60)
        assert slot.reading.value == answer["value"]
        await wait_for(
            pilot, lambda: "Date courante : " + answer["display_value"] in (screen_text(app))
        )
        kinds = [str(m.event.kind) for m in messages.of(IntakeUpdated)]
        assert kinds[:3] == ["received", "stored", "read"]
        assert recorded == [("date", stored)]
        data = tomllib.loads(dossier.read_text(encoding="utf-8"))
        assert data["photos"]["date"] == "photo-date-courante.jpg"
        assert data["readings"]["date"][-1]["file"] == "photo-date-courante.jpg"
        # the app's dossier follows (the checklist, the cross-checks)
        assert app.store.dossier.photos.date == "photo-date-courante.jpg"

        await pilot.press("escape")  # closes the panel, stops the server
        await wait_for(pilot, lambda: server.wait_closed(0), 20)
        assert app.query_one("#intake-panel").has_class("hidden")
        assert _server(app) is None
        # the summary line, hidden under the QR code, is back with the phone's date
        await wait_for(pilot, lambda: "Date " in screen_text(app).splitlines()[3])
        with pytest.raises(aiohttp.ClientConnectionError):
            await _upload(server.url, "prm", "demo-prm.jpg")


async def test_leaving_the_photos_screen_stops_the_intake(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = _app(copy_demo(tmp_path), photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        server = await _open_intake(app, pilot, messages)
        await pilot.press("f4")
        await wait_for(pilot, lambda: server.wait_closed(0), 20)
        assert "écran Photos quitté" in (server.closed_reason or "")


async def test_quitting_the_app_stops_the_intake(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = _app(copy_demo(tmp_path), photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        server = await _open_intake(app, pilot, messages)
        assert _port_open(server.port) and "linkytool-intake" in _intake_threads()
    # the app's exit waited for it: no thread left, nothing listens any more
    assert server.wait_closed(0)
    assert _intake_threads() == []
    assert not _port_open(server.port)


async def _refusal(app: LinkytoolApp, pilot: Any, messages: MessageLog, *, click: bool) -> str:
    """Start the intake (the button, or Échap then t) where it cannot start: the screen
    stays as it was (no panel, the button usable, no server); returns the notification."""
    await _photos_screen(app, pilot, messages)
    if click:
        await pilot.click("#intake-start")
    else:
        await pilot.press("escape", "t")
    await wait_for(pilot, lambda: bool(messages.of(WorkFailed)), 30)
    await wait_for(pilot, lambda: bool(app._notifications))
    assert app.query_one("#intake-panel").has_class("hidden")
    assert not app.query_one("#intake-start", Button).disabled
    assert _server(app) is None
    # nothing else: a server that never started says nothing more (no "fermée")
    assert [n.title for n in app._notifications] == ["Photos depuis le téléphone"]
    return " ".join(n.message for n in app._notifications)


async def test_a_busy_port_is_refused_in_french(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        app = _app(copy_demo(tmp_path), photo_reader, port=port)
        async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
            text = await _refusal(app, pilot, messages, click=False)
            assert (
                f"Impossible de recevoir les photos sur 127.0.0.1:{port} : port déjà utilisé."
                in text
            )
            assert "--intake-port" in text
        assert not app.caught_errors
        assert _intake_threads() == []


async def test_no_network_is_said_in_french_with_what_to_do(
    tmp_path: Path,
    messages: MessageLog,
    photo_reader: CachedPhotoReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("linkytool.intake.network.default_route_interface", lambda: None)
    app = _app(copy_demo(tmp_path), photo_reader, bind=None)  # the default route's address
    async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
        text = await _refusal(app, pilot, messages, click=False)
        assert "Aucun réseau actif" in text and "Wi-Fi" in text and "--intake-bind" in text
    assert not app.caught_errors


async def test_the_intake_stops_once_the_three_values_are_confirmed(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = _app(copy_demo(tmp_path), photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        server = await _open_intake(app, pilot, messages)
        await pilot.press("escape")  # the panel closes: the server too
        await wait_for(pilot, lambda: server.wait_closed(0), 20)
        server = await _open_intake(app, pilot, messages)  # open again
        for slot in ("prm", "date", "injection_index"):
            app.query_one(f"#value-{slot}").focus()
            await pilot.press("enter")
        await wait_for(pilot, lambda: len(messages.of(ReadingConfirmed)) == 3)
        await wait_for(pilot, lambda: server.wait_closed(0), 20)
        assert "confirmées" in (server.closed_reason or "")


async def test_three_sure_photos_close_the_intake_by_itself(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    dossier = copy_demo(tmp_path)
    app = _app(dossier, photo_reader)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        server = await _open_intake(app, pilot, messages)
        for slot, photo in (
            ("prm", "demo-prm.jpg"),
            ("date", "demo-date.jpg"),
            ("index", "demo-index.jpg"),
        ):
            status, answer = await _upload(server.url, slot, photo)
            assert status == 200 and answer["status"] == "sur", answer
        await wait_for(pilot, lambda: app.query_one("#intake-panel").has_class("hidden"), 20)
        assert server.wait_closed(0) and "trois photos" in (server.closed_reason or "")
        # focus follows the work: the first value to confirm, from the phone's photo
        assert app.focused is not None and app.focused.id == "value-prm"
        assert app.panes["photos"].slot("prm").path == dossier.parent / "photo-numero-prm.jpg"  # type: ignore[attr-defined]


async def test_an_address_not_on_this_computer_is_refused_in_french(
    tmp_path: Path, messages: MessageLog, photo_reader: CachedPhotoReader
) -> None:
    app = _app(copy_demo(tmp_path), photo_reader, bind="192.0.2.250")  # TEST-NET-1
    async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
        text = await _refusal(app, pilot, messages, click=True)
        assert "Impossible de recevoir les photos sur 192.0.2.250 : cette adresse n'est pas" in text
        assert "--intake-bind" in text
    assert not app.caught_errors
