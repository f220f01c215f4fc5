"""The report opened in a real browser: headless Chromium (Debian's package) driven by
Playwright's Python client.  No console error; the frontier figure is present and visible;
a screenshot is kept as a test artifact.

In CI (CI=true) a missing Chromium or Playwright is a failure, not a skip: .ci/run installs
Chromium.  Elsewhere the test skips and says why.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI; see .ci/run)")
    pytest.skip(reason)


def _artifact(path: Path) -> None:
    """Copy into $ACCORD_TEST_ARTIFACTS when it names an existing directory; else nowhere."""
    target = os.environ.get("ACCORD_TEST_ARTIFACTS")
    if target and Path(target).is_dir():
        shutil.copy2(path, Path(target) / path.name)


def test_report_renders_in_chromium_with_the_frontier_visible(
    tmp_path: Path, cairo_html: str
) -> None:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed (pip install '.[test]')")

    page_file = tmp_path / "report-cairo-2024.html"
    page_file.write_text(cairo_html, encoding="utf-8")
    shot = tmp_path / "report-cairo-2024.png"
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri(), wait_until="load")

            figure = page.locator("#fig-frontier")
            assert figure.count() == 1
            figure.scroll_into_view_if_needed()
            svg = figure.locator("svg")
            assert svg.count() == 1
            assert svg.is_visible()
            box = svg.bounding_box()
            assert box is not None and box["width"] > 400 and box["height"] > 400
            # The rasterised cloud of packages and the frontier line are drawn.
            assert figure.locator("image").count() >= 1
            assert "Pareto frontier" in figure.locator("figcaption").inner_text()
            assert "how to read this" in figure.locator("aside").inner_text().lower()
            for fid in ("fig-weights", "fig-timeline", "fig-compare"):
                assert page.locator(f"#{fid} svg").is_visible(), fid
            figure.screenshot(path=str(tmp_path / "frontier.png"))
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    # Nothing but the page itself (and the data: images inside it) was loaded.
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert shot.stat().st_size > 10_000
    assert (tmp_path / "frontier.png").stat().st_size > 10_000
    _artifact(shot)
    _artifact(tmp_path / "frontier.png")
