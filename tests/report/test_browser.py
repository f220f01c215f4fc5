"""The report opened in a real browser: headless Chromium (Debian's package) driven by
Playwright's Python client, on the embedded cairo-2024 and job-offer scenarios and on the invented
three-negotiator river-basin scenario (tests/report/data/).

- Desktop (1280 px): no console error, nothing fetched, the frontier figure present and visible.
- Phone (390 px): the page never scrolls sideways (a wide table or figure scrolls inside its own
  frame) and every figure's text is drawn at 9 CSS px or more.  SVG text scales with its figure,
  so the size is measured as the browser draws it: the computed font size times the scale of the
  text's transformation to the screen (``getScreenCTM``), and, independently, as the figure's
  drawn width over its viewBox width times the font size the SVG declares.
- Print (A4): laid out at the width of the A4 text block (from the ``@page`` rule of the style
  sheet), no table, figure or image reaches past it and nothing is left hidden in a scrolling
  frame; the page is printed to PDF as well.

Screenshots (desktop, phone, print layout) and the PDFs are kept under $ACCORD_TEST_ARTIFACTS
(.ci/run sets it; otherwise a temporary directory).  In CI (CI=true) a missing Chromium or
Playwright is a failure, not a skip: .ci/run installs Chromium.  Elsewhere the test skips and says
why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.report.figures import LEGIBLE_TEXT_PX

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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # an iPhone 12-15's CSS viewport
STYLE_CSS = Path(__file__).parents[2] / "src" / "accord" / "report" / "templates" / "style.css"
CSS_PX_PER_MM = 96 / 25.4
A4_WIDTH_MM = 210


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI; see .ci/run)")
    pytest.skip(reason)


def a4_text_block_px() -> float:
    """The width of the A4 text block in CSS px: the page less the ``@page`` side margins."""
    css = STYLE_CSS.read_text(encoding="utf-8")
    rule = re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*([\d.]+)mm\s+([\d.]+)mm\s*;", css)
    assert rule, "style.css must give @page { size: A4; margin: <top>mm <sides>mm; }"
    return (A4_WIDTH_MM - 2 * float(rule.group(2))) * CSS_PX_PER_MM


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """$ACCORD_TEST_ARTIFACTS when set (created if missing), else a temporary directory."""
    target = os.environ.get("ACCORD_TEST_ARTIFACTS")
    if not target:
        return tmp_path_factory.mktemp("artifacts")
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed (pip install '.[test]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(params=["cairo-2024", "job-offer", "river-basin"])
def report(
    request: pytest.FixtureRequest, tmp_path: Path, cairo_html: str, job_html: str, river_html: str
) -> tuple[str, Path]:
    """(scenario name, the report written to a file)."""
    name = request.param
    html = {"cairo-2024": cairo_html, "job-offer": job_html, "river-basin": river_html}[name]
    page_file = tmp_path / f"report-{name}.html"
    page_file.write_text(html, encoding="utf-8")
    return name, page_file


class Opened:
    """A page opened at a viewport, recording console errors and every request it makes."""

    def __init__(self, browser: Any, page_file: Path, viewport: dict[str, int]) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport=viewport)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(page_file.as_uri(), wait_until="load")

    def check_clean(self) -> None:
        assert self.errors == []
        # Nothing but the page itself (and the data: images inside it) was loaded.
        assert [u for u in self.requests if not u.startswith(("file:", "data:"))] == []

    def close(self) -> None:
        self.page.close()


# Every text of every figure: [figure id, text, size drawn (computed font size x the scale of
# its screen transformation), size declared in the SVG x the figure's drawn width / its viewBox
# width].  The two sizes are two measurements of one quantity.
FIGURE_TEXT_JS = """() => [...document.querySelectorAll('figure.chart svg text')].map(t => {
  const m = t.getScreenCTM();
  const svg = t.ownerSVGElement;
  const declared = parseFloat(t.style.fontSize || getComputedStyle(t).fontSize);
  return [t.closest('figure').id, t.textContent,
          parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)),
          declared * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width];
})"""

# Tables, figures, SVGs and images reaching outside [0, limit] horizontally.
OUTSIDE_JS = """(limit) => [...document.querySelectorAll('table, figure, svg, img')]
  .map(e => [e.tagName.toLowerCase(), e.id || e.closest('[id]')?.id,
             e.getBoundingClientRect().left, e.getBoundingClientRect().right])
  .filter(([, , left, right]) => left < -0.5 || right > limit + 0.5)"""

# Frames that hold content wider than themselves: on paper that content would be cut off.
HIDDEN_JS = """() => [...document.querySelectorAll('div.scroll, figure.chart .plot')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.querySelector('[id]') || e.closest('[id]'))?.id)"""

# Every table sits in a frame that scrolls sideways on its own.
UNFRAMED_JS = """() => [...document.querySelectorAll('table')]
  .filter(t => !(t.parentElement.matches('div.scroll')
                 && getComputedStyle(t.parentElement).overflowX === 'auto'))
  .map(t => t.id)"""


def test_report_renders_in_chromium_with_the_frontier_visible(
    browser: Any, artifacts: Path, report: tuple[str, Path]
) -> None:
    name, page_file = report
    opened = Opened(browser, page_file, DESKTOP)
    page = opened.page
    try:
        figure = page.locator("#fig-frontier")
        assert figure.count() == 1
        figure.scroll_into_view_if_needed()
        svg = figure.locator("svg")
        assert svg.count() == 1
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box is not None and box["width"] > 400 and box["height"] > 400
        # The rasterised cloud of packages and the frontier are drawn.
        assert figure.locator("image").count() >= 1
        assert "Pareto frontier" in figure.locator("figcaption").inner_text()
        assert "how to read this" in figure.locator("aside").inner_text().lower()
        for fid in ("fig-weights", "fig-timeline", "fig-compare"):
            assert page.locator(f"#{fid} svg").is_visible(), fid
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        figure.screenshot(path=str(artifacts / f"report-{name}-frontier.png"))
        page.screenshot(path=str(artifacts / f"report-{name}-desktop.png"), full_page=True)
        opened.check_clean()
    finally:
        opened.close()
    assert (artifacts / f"report-{name}-desktop.png").stat().st_size > 10_000
    assert (artifacts / f"report-{name}-frontier.png").stat().st_size > 10_000


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_page_never_scrolls_sideways_and_figure_text_stays_legible(
    browser: Any, artifacts: Path, report: tuple[str, Path], viewport: dict[str, int]
) -> None:
    name, page_file = report
    opened = Opened(browser, page_file, viewport)
    page = opened.page
    try:
        width = viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.evaluate("window.scrollTo(500, 0)")
        assert page.evaluate("window.scrollX") == 0
        assert page.evaluate(UNFRAMED_JS) == []
        texts = page.evaluate(FIGURE_TEXT_JS)
        figures = page.locator("figure.chart").count()
        assert figures >= 4
        assert len({fid for fid, *_ in texts}) == figures  # every figure has text to measure
        too_small = [(fid, text, round(drawn, 2)) for fid, text, drawn, _ in texts if drawn < 9]
        assert too_small == [], f"figure text under 9 CSS px at {width} px"
        assert LEGIBLE_TEXT_PX >= 9
        for fid, text, drawn, declared in texts:
            assert drawn == pytest.approx(declared, rel=1e-3), (fid, text)
        # The SVGs say how wide they must stay; the browser keeps them at least that wide.
        widths = page.evaluate(
            """() => [...document.querySelectorAll('figure.chart svg')].map(s =>
                [s.closest('figure').id, s.getBoundingClientRect().width,
                 parseFloat(getComputedStyle(s).getPropertyValue('--legible-width'))])"""
        )
        assert all(drawn >= legible - 0.5 for _, drawn, legible in widths), widths
        if viewport is PHONE:
            page.screenshot(path=str(artifacts / f"report-{name}-phone.png"), full_page=True)
        opened.check_clean()
    finally:
        opened.close()


def test_print_layout_fits_the_a4_text_block(
    browser: Any, artifacts: Path, report: tuple[str, Path]
) -> None:
    name, page_file = report
    block = a4_text_block_px()
    assert block == pytest.approx(703.0, abs=1)  # 186 mm: A4 less 12 mm each side
    opened = Opened(browser, page_file, {"width": round(block), "height": 1100})
    page = opened.page
    try:
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth") <= round(block)
        assert page.evaluate(OUTSIDE_JS, round(block)) == []
        assert page.evaluate(HIDDEN_JS) == []
        # Figures scale down to the block: none keeps its screen minimum width on paper.
        assert page.evaluate(
            """() => [...document.querySelectorAll('figure.chart svg')]
                 .every(s => getComputedStyle(s).minWidth === '0px')"""
        )
        page.screenshot(path=str(artifacts / f"report-{name}-print.png"), full_page=True)
        pdf = artifacts / f"report-{name}-A4.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
        opened.check_clean()
    finally:
        opened.close()
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 50_000


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_signals_of_13_february_stand_side_by_side(
    browser: Any, artifacts: Path, cairo_html: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    """The timeline's signals table (issue 18): on 13 February Israel's row holds a positive
    signal (Barnea arriving with Bar) and, beside it on the same row, negative ones (Halevi's
    "long way to go", the Rafah preparations); other parties' positive signals are there too,
    and each signal shows its locators."""
    page_file = tmp_path / "report-cairo-2024.html"
    page_file.write_text(cairo_html, encoding="utf-8")
    opened = Opened(browser, page_file, viewport)
    page = opened.page
    try:
        table = page.locator("#signals-table")
        table.scroll_into_view_if_needed()
        assert table.is_visible()
        day = page.locator('#signals-table tr[data-date="2024-02-13"]')
        assert day.count() >= 3
        assert day.locator("td.positive").count() >= 3
        assert day.locator("td.negative").count() >= 1
        israel = day.filter(has=page.locator("td", has_text="Israel"))
        positive = israel.locator("td.positive").bounding_box()
        negative = israel.locator("td.negative").bounding_box()
        assert positive is not None and negative is not None
        assert positive["x"] + positive["width"] <= negative["x"] + 1  # side by side
        assert abs(positive["y"] - negative["y"]) < 1  # on the same row
        assert page.locator("#fig-signals svg").is_visible()
        shown = table.inner_text()
        assert "Herzi Halevi" in shown and "David Barnea" in shown and "mixed" in shown
        assert "…relatively significant progress…" in shown
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        kind = "desktop" if viewport is DESKTOP else "phone"
        table.screenshot(path=str(artifacts / f"report-cairo-2024-signals-{kind}.png"))
        opened.check_clean()
    finally:
        opened.close()
    assert (artifacts / f"report-cairo-2024-signals-{kind}.png").stat().st_size > 10_000
