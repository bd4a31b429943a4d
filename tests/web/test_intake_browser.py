"""The phone page in a real headless browser (Debian's chromium + chromium-driver): open
the URL, choose a file for each slot, see the reading appear, then the end of the visit.
A screenshot of the page is saved to bench/out/intake-phone.png (git-ignored)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from web_helpers import browser_missing, phone_browser

from linkytool.intake import IntakeServer

SCREENSHOT = Path(__file__).resolve().parents[2] / "bench" / "out" / "intake-phone.png"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing())),
]


def test_choosing_a_photo_for_each_slot_shows_its_reading(
    intake_factory: Callable[..., IntakeServer], samples_dir: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    server = intake_factory()
    photos = {"prm": "demo-prm.jpg", "date": "demo-date.jpg", "index": "demo-index.jpg"}
    expected = {"prm": "30002345678901", "date": "20/11/2026 14:32", "index": "12 kWh"}
    with tempfile.TemporaryDirectory(prefix="linkytool-chromium-") as profile:
        browser: Any = phone_browser(profile)
        try:
            browser.get(server.url)
            assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Photos")
            for slot, name in photos.items():
                field = browser.find_element(By.ID, f"file-{slot}")
                field.send_keys(str(samples_dir / "photos" / name))
                card = browser.find_element(By.ID, f"card-{slot}")
                WebDriverWait(browser, 90, poll_frequency=0.1).until(
                    lambda _, card=card: card.get_attribute("data-ms") is not None
                )
                status = browser.find_element(By.ID, f"status-{slot}").text
                assert card.get_attribute("data-state") == "sur", status
                assert status == f"sûr : {expected[slot]}"
                preview = browser.find_element(By.ID, f"preview-{slot}")
                assert preview.is_displayed()
            WebDriverWait(browser, 10).until(
                lambda b: b.find_element(By.ID, "closed").is_displayed()
            )
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.execute_cdp_cmd(  # the whole page, at the phone's width
                "Emulation.setDeviceMetricsOverride",
                {"width": 390, "height": height, "deviceScaleFactor": 2, "mobile": True},
            )
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            browser.save_screenshot(str(SCREENSHOT))
        finally:
            browser.quit()
    assert server.wait_closed(10)
    assert SCREENSHOT.stat().st_size > 10_000
