"""A headless Chromium for the report's browser tests and the README's screenshot, and the
seed article's brief replayed from its recorded cassette, for both.

The browser is the system's (Debian: `apt-get install chromium chromium-driver`), driven
by Selenium through the system's chromedriver: nothing is downloaded at test time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openai
from conftest import CASSETTES, RECORDED_MODEL, SEED
from replay_server import ReplayServer

import summarizer

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SEED_CASSETTE = CASSETTES / "test_api" / "test_seed_end_to_end.yaml"


def missing() -> str | None:
    """Why the browser cannot run here (what to install), or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    if _binary() is None or shutil.which("chromedriver") is None:
        return "no chromium and chromedriver on PATH: apt-get install chromium chromium-driver"
    return None


def _binary() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def start(profile: Path, width: int = 1280, height: int = 800):
    """Headless Chromium with a fresh profile in `profile`, its console log kept, its
    viewport `width` x `height` CSS pixels."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _binary() or "chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    viewport(driver, width, height)
    return driver


def viewport(driver, width: int, height: int, mobile: bool = False) -> None:
    """The page's viewport, exactly (a headless window's size includes its frame)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
    )


def seed_brief() -> tuple[summarizer.Brief, str]:
    """The seed article's brief, every answer replayed from test_api's recorded cassette
    by a local server (as the model answered it), and the article's text."""
    text = SEED.read_text(encoding="utf-8")
    with ReplayServer(SEED_CASSETTE) as server:
        client = openai.OpenAI(base_url=server.url, api_key="sk-test-placeholder", max_retries=0)
        brief = summarizer.summarize(text, client=client, model=RECORDED_MODEL)
        assert server.unmatched == 0, "a request the cassette does not hold"
    return brief, text
