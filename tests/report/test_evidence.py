"""The report shows the evidence: each cited fact links to its source with its locators, the
count of statements with and without a locator, and the signals by day and party (issue 18
items 2 and 3)."""

from __future__ import annotations

import re

from markupsafe import Markup

from accord.model import load_scenario
from accord.model.citations import Citation
from accord.model.evidence import count_citations
from accord.report.citations import Citations


def test_a_citation_links_to_its_source_with_its_locators() -> None:
    cite = Citations(load_scenario("cairo-2024"))
    html = cite(
        [Citation("london-2024-02-13", "a < b"), Citation("aj-2024-02-13"), "aj-2024-02-13"]
    )
    assert html == Markup(
        '<span class="cite pinned">[<a href="#source-aj-2024-02-13" title="source aj-2024-02-13">'
        '1</a>, <a href="#source-london-2024-02-13" title="source london-2024-02-13">2</a> '
        '<q class="locator">…a &lt; b…</q>]</span>'
    )
    assert "pinned" not in cite(["aj-2024-02-13"])


def test_every_locator_of_the_scenario_is_shown(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    count = count_citations(scenario)
    shown = re.findall(r'<q class="locator">…(.*?)…</q>', cairo_html)
    assert count.locators > 100
    # every locator appears next to its link (a fact shown in several places shows it each time)
    from accord.model.evidence import statements

    shown_set = set(shown)
    missing = [
        (st.path, c.at)
        for st in statements(scenario)
        for c in st.pinned
        if c.at and c.at.replace("'", "&#39;") not in shown_set
    ]
    # the phased-deal items are not drawn in the report with their citations, and the conflict's
    # decision makers are shown only where the stability section needs them
    assert all(path[0] in ("items", "conflict") for path, _ in missing), missing
    assert len(missing) < count.locators // 10


def test_the_count_of_statements_with_and_without_a_locator(cairo_html: str, job_html: str) -> None:
    c = count_citations(load_scenario("cairo-2024"))
    assert re.search(
        rf"{c.with_locator} of {c.statements} sourced statements\s+carry a locator "
        rf"\({c.locators} in all\);\s+{c.without_locator} cite their sources without one",
        cairo_html,
    )
    j = count_citations(load_scenario("job-offer"))
    assert j.with_locator == 0
    assert re.search(rf"0 of {j.statements} sourced statements\s+carry a locator", job_html)


def test_the_signals_of_13_february_stand_side_by_side(cairo_html: str) -> None:
    rows = re.findall(r'<tr data-date="2024-02-13">(.*?)</tr>', cairo_html, re.S)
    israel = next(r for r in rows if "<td>Israel</td>" in r)
    assert 'class="positive"' in israel and 'class="negative"' in israel
    assert "Herzi Halevi" in israel and "David Barnea" in israel
    assert '<strong class="mixed">mixed</strong>' in rows[0]


def test_no_signals_table_without_signals(job_html: str) -> None:
    assert 'id="signals-table"' not in job_html


def test_the_signals_figure_has_a_lane_per_party_and_marks_mixed_days() -> None:
    from accord.model.signals import signal_days
    from accord.report.signals import signals_figure

    scenario = load_scenario("cairo-2024")
    figure = signals_figure(scenario)
    assert figure is not None and figure.id == "fig-signals"
    for label in ("Israel", "Hamas", "United States", "Egypt", "Qatar", "13 Feb 2024 (mixed)"):
        assert f">{label}<" in figure.svg
    # one mark per signal in its tone's colour (the legend adds the same to every colour)
    drawn = {c: figure.svg.count(f"stroke: {c}") for c in ("#009e73", "#d55e00", "#8a8f96")}
    tones = [s.stance.tone for s in scenario.signals]
    wanted = {"#009e73": "positive", "#d55e00": "negative", "#8a8f96": "neutral"}
    base = drawn["#8a8f96"] - tones.count("neutral")
    assert {c: n - base for c, n in drawn.items()} == {c: tones.count(t) for c, t in wanted.items()}
    assert signals_figure(load_scenario("job-offer")) is None
    assert signals_figure(scenario, signal_days(scenario)) == figure
