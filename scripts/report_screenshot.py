"""Make the README's screenshot of the seed article's report: docs/report.png.

    python scripts/report_screenshot.py [--out docs/report.png]

The brief is the one the browser tests draw: the seed article (examples/kursk.txt)
briefed with every model answer replayed from its recorded cassette, so no model runs and
the picture changes only when the cassette, the brief or the page does. The page is
opened from disk in headless Chromium (apt-get install chromium chromium-driver) at
1400 x 900; the script clicks a quote in the panel (the article scrolls to it and marks
it), shows the panel from its top, and hovers a figure in the quote's sentence, so the
note naming the figure and the event shows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's package, and the test helpers

import browser  # noqa: E402  (tests/browser.py)

from summarizer.report import render_page  # noqa: E402

CLICKED = "major provocation"  # a quote, in an event's sentence at the article's foot
HOVERED = "almost 200,000 people"  # a figure in the same sentence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    args = parser.parse_args()
    if (why := browser.missing()) is not None:
        sys.exit(f"report_screenshot: {why}")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    brief, text = browser.seed_brief()
    number = next(n for n, q in enumerate(brief.quotes, 1) if q.text == CLICKED)
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "kursk.html"
        page.write_text(render_page(brief, text, source="examples/kursk.txt"), encoding="utf-8")
        driver = browser.start(Path(work) / "profile", 1400, 900)
        try:
            driver.get(page.as_uri())
            driver.find_element(By.CSS_SELECTOR, f'#panel a[data-item="q{number}"]').click()
            time.sleep(2.5)  # the smooth scroll and the flash are over
            driver.execute_script("document.getElementById('panel').scrollTop = 0")
            (figure,) = [
                m
                for m in driver.find_elements(By.CSS_SELECTOR, "#article mark")
                if m.text == HOVERED
            ]
            ActionChains(driver).move_to_element(figure).perform()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
        finally:
            driver.quit()
    print(f"report_screenshot: wrote {args.out}")


if __name__ == "__main__":
    main()
