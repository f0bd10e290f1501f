"""The report in a real browser: headless Chromium opens the pages from disk.

One Chromium serves the module. On a machine without it these tests skip; CI sets
SUMMARIZER_REQUIRE_BROWSER=1, and there a missing browser fails them, so a broken
install cannot pass as a skip. Screenshots and the printed PDF are left in each test's
tmp_path, as artifacts to look at.
"""

from __future__ import annotations

import base64
import io
import os
import time
import unicodedata

import browser
import pytest
from briefs import HOSTILE, HOSTILE_ARTICLE, hostile_brief

from summarizer.report import render_page
from summarizer.report.folder import INDEX, ReportFolder, page_name

try:
    from pypdf import PdfReader
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.print_page_options import PrintOptions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # the driver fixture skips the tests, or fails them in CI, saying why
    pass

# Selenium talks to chromedriver over 127.0.0.1; the page itself loads nothing.
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "::1"])

QUOTE = "major provocation"  # the seed's last quote, at the foot of the article
NESTED = "almost 200,000 people"  # a figure inside an event's sentence


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    why = browser.missing()
    if why is not None:
        if os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SUMMARIZER_REQUIRE_BROWSER=1, but {why}")
        pytest.skip(why)
    chromium = browser.start(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.quit()


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory):
    """The seed article's page, from its brief replayed off the recorded cassette."""
    brief, text = browser.seed_brief()
    path = tmp_path_factory.mktemp("seed") / "kursk.html"
    path.write_text(render_page(brief, text, source="examples/kursk.txt"), encoding="utf-8")
    return path, brief, text


@pytest.fixture
def page(driver):
    """Open a file in the browser, its console emptied first; the viewport reset after."""

    def open_file(path):
        driver.get_log("browser")
        driver.get(path.as_uri())
        return driver

    yield open_file
    browser.viewport(driver, 1280, 800)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def rect(driver, element) -> dict:
    return driver.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, left: r.left, width: r.width,"
        " height: window.innerHeight, viewport: window.innerWidth};",
        element,
    )


def in_view(driver, element) -> bool:
    box = rect(driver, element)
    return 0 <= box["top"] and box["bottom"] <= box["height"]


def errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_clicking_a_quote_scrolls_to_its_span_and_flashes_it(page, seed_page, tmp_path):
    path, brief, _ = seed_page
    driver = page(path)
    number = next(n for n, q in enumerate(brief.quotes, 1) if q.text == QUOTE)
    (mark,) = driver.find_elements(By.CSS_SELECTOR, f'#article mark[data-items~="q{number}"]')
    assert mark.text == QUOTE
    assert not in_view(driver, mark)  # at the foot of the article, out of sight

    link = driver.find_element(By.CSS_SELECTOR, f'#panel a[data-item="q{number}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    WebDriverWait(driver, 5).until(lambda d: in_view(d, mark))
    classes = mark.get_attribute("class").split()
    assert {"hl", "k-quote", "selected", "flash"} <= set(classes)
    assert mark.value_of_css_property("outline-style") == "solid"
    entry = driver.find_element(By.CSS_SELECTOR, f'#panel [data-entry="q{number}"]')
    assert "current" in entry.get_attribute("class").split()
    assert driver.save_screenshot(str(tmp_path / "seed-quote-clicked.png"))
    assert errors(driver) == []


def test_hovering_a_highlight_names_all_its_items(page, seed_page):
    path, brief, _ = seed_page
    driver = page(path)
    (mark,) = [
        m for m in driver.find_elements(By.CSS_SELECTOR, "#article mark") if m.text == NESTED
    ]
    assert {"k-event", "k-figure"} <= set(mark.get_attribute("class").split())
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(driver).move_to_element(mark).perform()
    tip = driver.find_element(By.ID, "tip")
    assert tip.is_displayed()
    lines = [line.text for line in tip.find_elements(By.CLASS_NAME, "tip-line")]
    assert [line.split(" ", 1)[0] for line in lines] == ["Event", "Figure"]
    assert "200,000 people" in lines[1]
    hot = driver.find_elements(By.CSS_SELECTOR, "#panel .entry.hot")
    assert sorted(e.get_attribute("data-entry")[0] for e in hot) == ["e", "f"]


def test_a_hostile_article_runs_no_script(page, tmp_path):
    report = ReportFolder(tmp_path, ["hostile <x>"], source="<script>alert(0)</script>")
    made = hostile_brief()
    report.add({"id": "hostile <x>", "brief": made.model_dump(mode="json")}, HOSTILE_ARTICLE)
    driver = page(tmp_path / INDEX)
    driver.find_element(By.CSS_SELECTOR, "tr[data-id] a").click()
    assert driver.current_url.endswith(page_name("hostile <x>"))

    def unharmed() -> None:
        with pytest.raises(NoAlertPresentException):
            driver.switch_to.alert.text  # noqa: B018
        assert driver.execute_script("return typeof window.pwned") == "undefined"
        for tag in ("img", "svg", "iframe", "textarea"):
            assert driver.find_elements(By.TAG_NAME, tag) == [], tag

    unharmed()
    article = driver.find_element(By.ID, "article")
    assert driver.execute_script("return arguments[0].textContent", article) == HOSTILE_ARTICLE
    quote = driver.find_element(By.CSS_SELECTOR, '#article mark[data-items~="q1"]')
    ActionChains(driver).move_to_element(quote).perform()
    tip = driver.find_element(By.ID, "tip")
    assert HOSTILE in tip.text  # the speaker's role, shown as text
    link = driver.find_element(By.CSS_SELECTOR, '#panel a[data-item="q1"]')
    link.click()  # the script still works over hostile data
    assert "selected" in quote.get_attribute("class").split()
    unharmed()
    driver.save_screenshot(str(tmp_path / "hostile.png"))
    assert errors(driver) == []


def test_at_phone_width_the_panel_stacks_above_the_article(page, seed_page, tmp_path):
    driver = page(seed_page[0])
    browser.viewport(driver, 390, 844, mobile=True)
    panel, article = (driver.find_element(By.ID, name) for name in ("panel", "article"))
    assert panel.value_of_css_property("position") == "static"
    box, text = rect(driver, panel), rect(driver, article)
    assert box["width"] == box["viewport"] == 390 and box["bottom"] <= text["top"]
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390
    driver.save_screenshot(str(tmp_path / "phone.png"))


def test_print_keeps_the_article_and_the_panel_and_cuts_no_highlight(page, seed_page, tmp_path):
    path, brief, text = seed_page
    driver = page(path)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    panel = driver.find_element(By.ID, "panel")
    assert panel.value_of_css_property("position") == "static"  # nothing sticks over the text
    assert panel.value_of_css_property("overflow-y") == "visible"
    mark = driver.find_element(By.CSS_SELECTOR, "#article mark")
    style = driver.execute_script(
        "var s = getComputedStyle(arguments[0]);"
        "return [s.boxDecorationBreak || s.webkitBoxDecorationBreak, s.printColorAdjust,"
        " getComputedStyle(arguments[0].parentNode).breakInside];",
        mark,
    )
    assert style == ["clone", "exact", "avoid"]  # each line of a span whole, colours printed

    started = time.monotonic()
    options = PrintOptions()
    options.background = True
    pdf = base64.b64decode(driver.print_page(options))
    (tmp_path / "kursk.pdf").write_bytes(pdf)
    pages = PdfReader(io.BytesIO(pdf)).pages
    printed = " ".join(unicodedata.normalize("NFKC", p.extract_text()) for p in pages)
    printed = " ".join(printed.split())  # (NFKC: the PDF writes "ff" as one ligature)
    assert time.monotonic() - started < 30
    for words in (brief.title, brief.quotes[0].speaker, brief.meta.warnings[0]):
        assert words in printed  # the panel, the checks' notes included
    for sentence in (text.split("\n\n")[3], text.strip().split("\n\n")[-1]):
        assert " ".join(sentence.split()[:8]) in printed  # the article, first to last
