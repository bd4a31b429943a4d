"""Phone-photo intake: time from the start of an upload to the reading shown on the phone
page, median over the bundled demo photos (samples/photos/demo-*.jpg).

Three figures per photo, measured side by side in one run, round after round:
  page  - headless Chromium at phone size chooses the file; the page's own clock from the
          start of its upload to the reading displayed (``data-ms``) [ms]
  http  - the same upload from an aiohttp client, request to JSON answer [ms]
  core  - the adapter alone in-process (OCR read + dossier record), no HTTP [ms]
Each round uses a fresh copy of the sample dossier and a fresh server on 127.0.0.1.

    .venv/bin/python bench/intake_latency.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from linkytool.intake import SLOTS, IntakeServer, record_photo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "web"))  # the browser of the tests
from web_helpers import phone_browser  # noqa: E402

PHOTOS = {"prm": "demo-prm.jpg", "date": "demo-date.jpg", "index": "demo-index.jpg"}


def _visit(folder: Path) -> Path:
    folder.mkdir()
    dossier = folder / "dossier.toml"
    shutil.copyfile(ROOT / "samples" / "dossier" / "demo.toml", dossier)
    return dossier


def page_round(browser: Any, dossier: Path) -> list[float]:
    """Upload the three photos through the page; the page's upload-to-shown times [ms]."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    server = IntakeServer(dossier, bind="127.0.0.1")
    server.start()
    times = []
    try:
        browser.get(server.url)
        for slot, name in PHOTOS.items():
            browser.find_element(By.ID, f"file-{slot}").send_keys(
                str(ROOT / "samples/photos" / name)
            )
            card = browser.find_element(By.ID, f"card-{slot}")
            WebDriverWait(browser, 120, poll_frequency=0.05).until(
                lambda _, card=card: card.get_attribute("data-ms") is not None
            )
            if card.get_attribute("data-state") != "sur":
                raise SystemExit(f"{name}: {card.text}")
            times.append(float(card.get_attribute("data-ms")))
    finally:
        server.stop()
    return times


def http_round(dossier: Path) -> list[float]:
    """The same three uploads from an aiohttp client [ms]."""
    server = IntakeServer(dossier, bind="127.0.0.1")
    server.start()

    async def go() -> list[float]:
        times = []
        async with aiohttp.ClientSession() as client:
            for slot, name in PHOTOS.items():
                form = aiohttp.FormData()
                form.add_field("photo", (ROOT / "samples/photos" / name).read_bytes())
                started = time.perf_counter()
                async with client.post(server.url + f"photo/{slot}", data=form) as response:
                    answer = await response.json()
                times.append((time.perf_counter() - started) * 1000)
                if answer.get("status") != "sur":
                    raise SystemExit(f"{name}: {answer}")
        return times

    try:
        return asyncio.run(go())
    finally:
        server.stop()


def core_round(dossier: Path) -> list[float]:
    """The adapter alone: OCR read + dossier record, in-process [ms]."""
    times = []
    for slot in SLOTS:
        photo = dossier.parent / PHOTOS[slot.name]
        shutil.copyfile(ROOT / "samples/photos" / PHOTOS[slot.name], photo)
        started = time.perf_counter()
        outcome = record_photo(dossier, slot, photo)
        times.append((time.perf_counter() - started) * 1000)
        if not outcome.recorded:
            raise SystemExit(f"{photo.name}: {outcome.problem}")
    return times


def _summary(name: str, values: list[float]) -> str:
    median = statistics.median(values)
    return (
        f"{name:5} median {median:7.0f} ms   min {min(values):6.0f}   max {max(values):6.0f}"
        f"   n={len(values)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    figures: dict[str, list[float]] = {"page": [], "http": [], "core": []}
    with tempfile.TemporaryDirectory(prefix="linkytool-bench-intake-") as work:
        base = Path(work)
        browser: Any = phone_browser(str(base / "profile"))
        try:
            page_round(browser, _visit(base / "warm-up"))  # first OCR loads its tables
            for index in range(args.rounds):
                figures["page"] += page_round(browser, _visit(base / f"page-{index}"))
                figures["http"] += http_round(_visit(base / f"http-{index}"))
                figures["core"] += core_round(_visit(base / f"core-{index}"))
        finally:
            browser.quit()
    python = sys.version.split()[0]
    print(f"photos: {', '.join(PHOTOS.values())} x {args.rounds} rounds (Python {python})")
    for name, values in figures.items():
        print(_summary(name, values))
    page, core = statistics.median(figures["page"]), statistics.median(figures["core"])
    print(f"page - core (HTTP, storing, browser display): {page - core:.0f} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
