"""What every figure of the report promises (accord.report.figures): scenario text drawn as
written, the same bytes for the same input, and a recorded width at which its text is legible."""

from __future__ import annotations

import html
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
import yaml
from markupsafe import Markup

from accord.model import load_scenario
from accord.report import build_report
from accord.report.figures import (
    LEGIBLE_TEXT_PX,
    Figure,
    legible_width,
    number_marker,
    svg_markup,
)

from .conftest import RIVER_BASIN

# Names a scenario may well contain: dollar signs (matplotlib's mathtext delimiters; 'x^' alone
# is a mathtext syntax error), a leading underscore (matplotlib's mark for "leave out of the
# legend"), and markup characters.
DOLLAR_NAME = "Salary $x^$"
UNDERSCORE_NAME = "_Upland"
MARKUP_NAME = "Lowland <b>&amp;</b>"
FUND = "Joint dam fund ($ millions, $ per year)"


FIGURE = re.compile(r'<figure class="chart[^"]*" id="([^"]+)"(.*?)</figure>', re.S)
TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def figure_texts(page: str) -> dict[str, list[str]]:
    """Figure id -> the text of every <text> element of its SVG, unescaped."""
    return {
        fid: [html.unescape(t) for t in TEXT.findall(body)] for fid, body in FIGURE.findall(page)
    }


@pytest.fixture(scope="module")
def awkward_names_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    data = yaml.safe_load(RIVER_BASIN.read_text(encoding="utf-8"))
    names = {"upland": UNDERSCORE_NAME, "midland": DOLLAR_NAME, "lowland": MARKUP_NAME}
    for party in data["parties"]:
        party["name"] = names.get(party["id"], party["name"])
    for dm in data["conflict"]["decision_makers"]:
        dm["name"] = names[dm["id"]]
    data["plans"][0]["name"] = "Plan $2 then $3"
    path = tmp_path_factory.mktemp("awkward") / "awkward.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return build_report(load_scenario(path), samples=200)


def test_names_with_dollar_signs_underscores_and_markup_are_drawn_as_written(
    awkward_names_page: str,
) -> None:
    texts = figure_texts(awkward_names_page)
    assert FUND in texts["fig-weights"]  # an issue's name, as a tick label
    assert any(FUND in t for t in texts["fig-compare"])
    for fid in ("fig-weights", "fig-compare"):  # legends of the negotiators
        for name in (UNDERSCORE_NAME, DOLLAR_NAME, MARKUP_NAME):
            assert name in texts[fid], (fid, name)
    assert f"utility to {DOLLAR_NAME} (estimate)" in texts["fig-frontier"]
    assert f"{DOLLAR_NAME} moves" in texts["fig-evolution"]
    assert any(DOLLAR_NAME in t for t in texts["fig-phased-1"])
    assert any("Plan $2 then $3" in t for t in texts["fig-plan-robustness"])
    # No text was set as mathematics (mathtext would split it and italicise the letters).
    assert "font-style: italic" not in awkward_names_page
    # The markup characters reach the page escaped, so the SVG holds no element they would make.
    assert "<b>" not in awkward_names_page


def test_a_figure_built_outside_the_report_style_is_drawn_literally_too() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("Salary $x^$ and ($ millions, $ per year)")
    ax.set_xlabel("_Upland")
    svg = svg_markup(fig, "fig-test")  # with math parsing on, 'x^' would raise here
    texts = [html.unescape(t) for t in TEXT.findall(svg)]
    assert "Salary $x^$ and ($ millions, $ per year)" in texts
    assert "_Upland" in texts


def test_proposal_numbers_are_digit_outlines_centred_on_the_point() -> None:
    for number in (1, 7, 12):
        marker = number_marker(number)
        box = marker.get_extents()
        assert len(marker.vertices) > 4
        assert (box.x0 + box.x1) / 2 == pytest.approx(0, abs=1e-9)
        assert (box.y0 + box.y1) / 2 == pytest.approx(0, abs=1e-9)
    assert number_marker(12).get_extents().width > number_marker(1).get_extents().width


def test_legible_width_is_where_the_smallest_text_reaches_the_legible_size() -> None:
    assert LEGIBLE_TEXT_PX >= 9
    svg = (
        '<svg width="576pt" height="200pt" viewBox="0 0 576 200">'
        '<text style="font-size: 10px">a</text><text style="font: 8px \'DejaVu Sans\'">b</text>'
        "</svg>"
    )
    # Shown w px wide, a text of size 8 (viewBox units) is 8 * w / 576 px: 9 px at w = 648, and
    # the width kept is the next whole pixel, so that no rounding draws it under 9 px.
    assert legible_width(svg) == 649
    assert legible_width(svg.replace("576", "580")) == math.floor(9 * 580 / 8) + 1
    assert legible_width('<svg viewBox="0 0 576 200"></svg>') == 0
    figure = Figure(
        "fig-x",
        "caption",
        "how",
        Markup(svg.replace("<svg ", '<svg style="--legible-width: 648px" ', 1)),
    )
    assert figure.legible_width == 648


def test_every_figure_records_its_legible_width(river_html: str) -> None:
    """The width each figure's SVG records is the one its declared text sizes imply."""
    for fid, body in FIGURE.findall(river_html):
        recorded = re.search(r"--legible-width: (\d+)px", body)
        assert recorded, fid
        assert int(recorded.group(1)) == legible_width(body) > 0, fid


BUILD = """
import sys
from accord.model import load_scenario
from accord.report import build_report
page = build_report(load_scenario(sys.argv[1]), seed=3, samples=300, origin="river")
open(sys.argv[2], "w", encoding="utf-8", newline="").write(page)
"""


def test_same_scenario_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    """Twice in this process and once in a fresh one (another hash seed): identical pages;
    matplotlib's global settings untouched."""
    before = dict(matplotlib.rcParams)
    scenario = load_scenario(RIVER_BASIN)
    first = build_report(scenario, seed=3, samples=300, origin="river")
    second = build_report(scenario, seed=3, samples=300, origin="river")
    assert first == second
    assert dict(matplotlib.rcParams) == before
    out = tmp_path / "fresh.html"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", BUILD, str(RIVER_BASIN), str(out)], check=True, env=env, timeout=600
    )
    assert out.read_bytes() == first.encode("utf-8")
    # The check can fail: another seed draws other samples and says so on the page.
    assert build_report(scenario, seed=4, samples=300, origin="river") != first
