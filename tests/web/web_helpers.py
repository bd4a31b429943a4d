"""Helpers of the web front ends' tests."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


#: Chromium flags of the browser tests (a fresh profile is added per run).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def browser_missing() -> str | None:
    """Why the headless-browser tests cannot run here, or None."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("selenium") is None:
        return "selenium absent (pip install -e '.[test]')"
    for program in (CHROMIUM, CHROMEDRIVER):
        if shutil.which(program) is None:
            return f"{program} absent (./dev setup installe chromium et chromium-driver)"
    return None


def phone_browser(profile: str) -> object:
    """A headless Chromium sized and touch-enabled like a phone (Selenium WebDriver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--lang=fr-FR"):
        options.add_argument(flag)
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": True}},
    )
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
