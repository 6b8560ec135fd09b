"""The HTML pages in a real browser (headless Chromium, Debian's `chromium`): a crate page and a
project page, and the hostile ones, at 1280 and 390 pixels wide. Nothing may overflow the
viewport sideways, every chart must be drawn and carry a text alternative, and the screenshots
land in out/screenshots/ (docs/ keeps two of them, for the README)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

import nerq
from browser import Browser, chromium_binary, png_size
from render_support import REPO_ROOT, missing

PAGES = {"crate": "crate-atty", "project": "demo", "hostile-crate": "hostile-report", "hostile-project": "hostile-assessment"}
WIDTHS = (1280, 390)

# Measured in the page: its width against the viewport's, and each chart's size and alternative.
MEASURE = """JSON.stringify({
  scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
  wide: Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && !e.closest('.scroll') && !e.closest('svg');
  }).slice(0, 5).map(e => e.tagName + '.' + e.className),
  charts: Array.from(document.querySelectorAll('svg')).map(s => ({
    width: s.getBoundingClientRect().width, height: s.getBoundingClientRect().height,
    role: s.getAttribute('role'),
    names: (s.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
             .map(id => (document.getElementById(id) || {}).textContent || '')
  }))
})"""


def browser_or_skip():
    binary = chromium_binary()
    if not binary:
        missing("headless Chromium is needed for the page tests (apt-get install chromium)")
    return binary


@pytest.fixture(scope="module")
def pages(all_pages_dir):
    return all_pages_dir


@pytest.fixture(scope="module")
def all_pages_dir(documents, hostile_documents):
    shots = REPO_ROOT / "out" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    docs = {**documents, **hostile_documents}
    for page, name in PAGES.items():
        (shots / f"{page}.html").write_text(nerq.render(docs[name], "html"), encoding="utf-8")
    return shots


@pytest.fixture(scope="module")
def measured(pages):
    """(page, width) -> the measurement; screenshots written beside the pages."""
    binary = browser_or_skip()
    results = {}
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(binary, Path(profile))
        try:
            for page in PAGES:
                for width in WIDTHS:
                    browser.open((pages / f"{page}.html").as_uri(), width, 900 if width > 500 else 844)
                    results[(page, width)] = json.loads(browser.evaluate(MEASURE))
                    browser.screenshot(pages / f"{page}-{width}.png", width, full_page=True)
                    browser.screenshot(pages / f"{page}-{width}-top.png", width, height=1700 if width > 500 else 1400)
        finally:
            browser.close()
    return results


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows_the_viewport(measured, page, width):
    m = measured[(page, width)]
    assert m["viewport"] == width
    assert m["scroll"] <= width, f"{page} at {width}px is {m['scroll']}px wide; too wide: {m['wide']}"
    assert not m["wide"], m["wide"]


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("width", WIDTHS)
def test_charts_are_drawn_and_named(measured, page, width):
    charts = measured[(page, width)]["charts"]
    assert len(charts) == (2 if "crate" in page else 3)
    for chart in charts:
        assert chart["role"] == "img" and chart["width"] > 100 and chart["height"] > 40, chart
        assert len(chart["names"]) == 2 and all(n.strip() for n in chart["names"]), chart  # <title> and <desc>
        assert chart["width"] <= width


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_taken(measured, pages, page, width):
    w, h = png_size(pages / f"{page}-{width}.png")
    assert w == width and h > 1000
    top = pages / f"{page}-{width}-top.png"
    assert png_size(top)[0] == width and top.stat().st_size > 20_000  # a page, not a blank
