"""The photo intake over real HTTP: what is accepted, stored, read and recorded, and every
refusal (token, Host, Origin, size, type, file name, slot, after stop)."""

from __future__ import annotations

import asyncio
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from linkytool.intake import EventKind, IntakeEvent, IntakeServer, IntakeSettings

MB = 1024 * 1024


def _post(
    url: str,
    body: bytes | None = None,
    *,
    filename: str = "photo.jpg",
    headers: dict[str, str] | None = None,
    raw: Any = None,
) -> tuple[int, Any]:
    """POST ``body`` as the multipart field ``photo`` (or ``raw`` as the body)."""

    async def go() -> tuple[int, Any]:
        async with aiohttp.ClientSession() as client:
            if raw is not None:
                data: Any = raw
            else:
                data = aiohttp.FormData()
                data.add_field("photo", body or b"", filename=filename)
            async with client.post(url, data=data, headers=headers or {}) as response:
                try:
                    payload: Any = await response.json(content_type=None)
                except ValueError:
                    payload = await response.text()
                return response.status, payload

    return asyncio.run(go())


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    async def go() -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as client,
            client.get(url, headers=headers or {}) as response,
        ):
            return response.status, await response.text()

    return asyncio.run(go())


def _files(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def _events(server: IntakeServer) -> list[IntakeEvent]:
    events = []
    while not server.events.empty():
        events.append(server.events.get())
    return events


def _photos_table(dossier: Path) -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(dossier.read_text())["photos"]
    return table


Factory = Callable[..., IntakeServer]


def test_three_photos_are_stored_read_recorded_and_close_the_intake(
    intake_factory: Factory, dossier: Path, samples_dir: Path
) -> None:
    seen: list[IntakeEvent] = []
    server = intake_factory(on_event=seen.append)
    photos = {"prm": "demo-prm.jpg", "date": "demo-date.jpg", "index": "demo-index.jpg"}
    answers = {}
    for slot, name in photos.items():
        status, answers[slot] = _post(
            server.url + f"photo/{slot}", (samples_dir / "photos" / name).read_bytes()
        )
        assert status == 200, answers[slot]
    assert answers["prm"]["status"] == "sur" and answers["prm"]["value"] == "30002345678901"
    assert answers["date"]["display_value"] == "20/11/2026 14:32"
    assert answers["index"]["label"] == "sûr" and answers["index"]["done"] is True
    # original bytes (EXIF time kept) under the slots' fixed names, nothing half-written
    folder = dossier.parent
    assert (folder / "photo-numero-prm.jpg").read_bytes() == (
        samples_dir / "photos" / "demo-prm.jpg"
    ).read_bytes()
    assert not [name for name in _files(folder) if name.endswith(".tmp")]
    photos_table = _photos_table(dossier)
    assert photos_table["prm"] == "photo-numero-prm.jpg"
    assert photos_table["injection_index"] == "photo-index-injection.jpg"
    readings = tomllib.loads(dossier.read_text())["readings"]
    assert readings["prm"][-1]["value"] == "30002345678901"
    assert readings["prm"][-1]["source"] == "photo"
    kinds = [(e.kind, e.slot) for e in seen if e.slot == "prm"]
    assert kinds == [
        (EventKind.RECEIVED, "prm"),
        (EventKind.STORED, "prm"),
        (EventKind.READ, "prm"),
    ]
    assert server.wait_closed(10), "the intake must stop once the three readings are sure"
    assert seen[-1].kind is EventKind.CLOSED
    with pytest.raises(aiohttp.ClientConnectionError):
        _post(server.url + "photo/prm", b"\xff\xd8\xff")


def test_without_or_with_a_wrong_token_nothing_is_served_nor_stored(
    intake_factory: Factory, dossier: Path, samples_dir: Path
) -> None:
    server = intake_factory()
    jpeg = (samples_dir / "photos" / "demo-prm.jpg").read_bytes()
    before = _files(dossier.parent)
    base = f"http://127.0.0.1:{server.port}/"
    wrong = server.token[:-1] + ("A" if server.token[-1] != "A" else "B")
    for url in (base + "photo/prm", base + f"{wrong}/photo/prm", base + "/photo/prm"):
        status, _ = _post(url, jpeg)
        assert status == 401, url
    for url in (base, base + f"{wrong}/", base + "state"):
        assert _get(url)[0] == 401, url
    assert _files(dossier.parent) == before
    assert _events(server) == []


def test_a_foreign_host_or_origin_is_refused(intake_factory: Factory) -> None:
    server = intake_factory()
    assert _get(server.url)[0] == 200
    assert _get(server.url, {"Host": f"evil.example:{server.port}"})[0] == 403
    status, _ = _post(server.url + "photo/prm", b"x", headers={"Origin": "http://evil.example"})
    assert status == 403


def test_an_oversized_photo_is_refused_and_not_stored(
    intake_factory: Factory, dossier: Path
) -> None:
    server = intake_factory()
    before = _files(dossier.parent)
    big = b"\xff\xd8\xff\xe0" + bytes(25 * MB)
    status, answer = _post(server.url + "photo/prm", big)
    assert status == 413 and "trop lourde" in answer["message"]

    async def chunks() -> Any:  # no Content-Length: the limit holds while streaming
        yield b"\xff\xd8\xff\xe0"
        for _ in range(26):
            yield bytes(MB)

    status, answer = _post(server.url + "photo/prm", raw=chunks())
    assert status == 413
    assert _files(dossier.parent) == before


def test_the_visit_budget_is_enforced(
    intake_factory: Factory, dossier: Path, samples_dir: Path
) -> None:
    jpeg = (samples_dir / "photos" / "t18-not-linky.jpg").read_bytes()
    server = intake_factory(settings=IntakeSettings(max_visit_bytes=len(jpeg) + 10))
    assert _post(server.url + "photo/prm", jpeg)[0] == 200
    status, answer = _post(server.url + "photo/prm", jpeg)
    assert status == 413 and "visite" in answer["message"]


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(
    intake_factory: Factory, dossier: Path
) -> None:
    server = intake_factory()
    before = _files(dossier.parent)
    status, answer = _post(server.url + "photo/prm", b"#!/bin/sh\necho hi\n", filename="x.jpg")
    assert status == 415 and "pas une photo" in answer["message"]
    assert _files(dossier.parent) == before
    assert [e.kind for e in _events(server)] == [EventKind.REFUSED]


def test_a_path_like_file_name_never_reaches_the_file_system(
    intake_factory: Factory, dossier: Path, samples_dir: Path
) -> None:
    server = intake_factory()
    jpeg = (samples_dir / "photos" / "t18-not-linky.jpg").read_bytes()
    status, answer = _post(server.url + "photo/prm", jpeg, filename="../../evil.jpg")
    assert status == 200 and answer["status"] == "a_reprendre"
    assert (dossier.parent / "photo-numero-prm.jpg").read_bytes() == jpeg
    assert not list(dossier.parent.parent.rglob("evil*"))
    # a not-Linky photo is kept but never declared in the dossier
    assert _photos_table(dossier)["prm"] != "photo-numero-prm.jpg"
    # a retake never overwrites the previous photo
    assert _post(server.url + "photo/prm", jpeg)[0] == 200
    assert (dossier.parent / "photo-numero-prm-2.jpg").exists()


@pytest.mark.parametrize("slot", ["autre", "..%2F..%2Fdossier.toml", "PRM", "prm%00"])
def test_only_the_three_slots_exist(intake_factory: Factory, dossier: Path, slot: str) -> None:
    server = intake_factory()
    before = _files(dossier.parent)
    status, _ = _post(server.url + f"photo/{slot}", b"\xff\xd8\xff\xe0" + bytes(100))
    assert status == 404
    assert _files(dossier.parent) == before


def test_no_directory_listing_nor_other_path(intake_factory: Factory) -> None:
    server = intake_factory()
    for path in ("photo/", "photo/prm", "static/", "dossier.toml", "photo-numero-prm.jpg"):
        assert _get(server.url + path)[0] in (404, 405), path
    assert _get(server.url + "../dossier.toml")[0] == 401  # leaves the token's path


def test_a_heic_photo_is_accepted_by_its_content_and_stored_as_is(
    intake_factory: Factory, dossier: Path, samples_dir: Path
) -> None:
    server = intake_factory()
    heic = (samples_dir / "photos" / "t23-normal-index.heic").read_bytes()
    status, _ = _post(server.url + "photo/index", heic, filename="IMG_0001.JPG")
    assert status == 200
    assert (dossier.parent / "photo-index-injection.heic").read_bytes() == heic


def test_the_phone_page_is_french_self_contained_and_opens_the_camera(
    intake_factory: Factory,
) -> None:
    server = intake_factory()
    status, page = _get(server.url)
    assert status == 200
    assert '<html lang="fr">' in page
    assert page.count('accept="image/*" capture="environment"') == 3
    for label in ("Numéro de PRM", "Date courante", "Index Injection"):
        assert label in page
    assert "http" not in page.replace("http-equiv", "")  # no external asset, no CDN
    assert "//" not in page.replace("://", "")  # nor a protocol-relative one
    assert "statusText" not in page  # the browser's English « Forbidden » never shown
    assert server.token not in page


def test_the_installer_closes_the_intake_from_the_phone(intake_factory: Factory) -> None:
    server = intake_factory()
    assert _post(server.url + "close", raw=b"")[0] == 200
    assert server.wait_closed(5)
    assert "téléphone" in (server.closed_reason or "")


def test_the_intake_stops_after_its_idle_timeout(intake_factory: Factory) -> None:
    start = time.monotonic()
    server = intake_factory(settings=IntakeSettings(idle_timeout_s=0.5))
    assert server.wait_closed(10)
    assert time.monotonic() - start < 10
    # QA: « aucune photo depuis 0 min » for a delay under a minute
    assert "aucune photo depuis moins d'une minute" in (server.closed_reason or "")


def test_a_task_still_running_when_the_intake_closes_is_ended_not_dropped(
    dossier: Path, samples_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """QA: « Task was destroyed but it is pending! » on stderr at the end of `mes intake`:
    the server's loop was closed with tasks still pending (a connection accepted during the
    shutdown, here a task started by the event callback), each reported when collected."""
    import gc

    started: dict[str, asyncio.Task[None]] = {}

    def on_event(event: IntakeEvent) -> None:
        if event.kind is EventKind.RECEIVED:
            started["task"] = asyncio.get_running_loop().create_task(asyncio.sleep(3600))

    server = IntakeServer(dossier, bind="127.0.0.1", on_event=on_event)
    server.start()
    photo = (samples_dir / "photos" / "demo-prm.jpg").read_bytes()
    assert _post(server.url + "photo/prm", photo)[0] == 200
    with caplog.at_level("ERROR", logger="asyncio"):
        server.stop()
        task = started.pop("task")
        assert task.cancelled()
        del server, task
        gc.collect()
    assert not [r for r in caplog.records if "destroyed" in r.getMessage()]
