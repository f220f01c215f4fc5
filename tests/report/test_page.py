"""The report page: it parses, every figure is there, citations resolve, nothing is fetched."""

from __future__ import annotations

import re

import pytest

from accord.model import load_scenario
from accord.report.build import PHASED, ROBUSTNESS, STABILITY

from .page_facts import page_facts

SCENARIO_FIGURES = ("fig-weights", "fig-timeline")
SPACE_FIGURES = ("fig-frontier", "fig-compare")


@pytest.fixture(params=["cairo", "job"])
def page(request: pytest.FixtureRequest, cairo_html: str, job_html: str) -> tuple[str, str]:
    name = request.param
    return ("cairo-2024" if name == "cairo" else "job-offer"), (
        cairo_html if name == "cairo" else job_html
    )


def test_page_parses_with_balanced_tags(page: tuple[str, str]) -> None:
    _, html = page
    assert html.startswith("<!DOCTYPE html>")
    facts = page_facts(html)
    assert facts.unclosed == []


def test_every_figure_is_present_with_its_caption_and_svg(page: tuple[str, str]) -> None:
    _, html = page
    facts = page_facts(html)
    expected = SCENARIO_FIGURES + SPACE_FIGURES
    # These always; the optional analyses' figures come on top (their own tests check them).
    assert set(expected) <= set(facts.figures)
    assert len(set(facts.figures)) == len(facts.figures)
    assert facts.svgs == len(facts.figures)
    for fid in facts.figures:
        assert facts.captions[fid].strip(), fid
    # Every figure has a "how to read this" note beside it.
    assert html.count('<aside class="how"') == len(facts.figures)
    assert "Pareto frontier" in facts.captions["fig-frontier"]


def test_ids_are_unique(page: tuple[str, str]) -> None:
    facts = page_facts(page[1])
    dupes = {i for i in facts.ids if facts.ids.count(i) > 1}
    assert dupes == set()


def test_every_internal_link_points_to_an_existing_anchor(page: tuple[str, str]) -> None:
    facts = page_facts(page[1])
    ids = set(facts.ids)
    internal = [v for _, v in facts.links if v.startswith("#")]
    assert internal
    assert [v for v in internal if v[1:] not in ids] == []


def test_every_citation_links_to_a_source_entry(page: tuple[str, str]) -> None:
    name, html = page
    scenario = load_scenario(name)
    facts = page_facts(html)
    anchors = {f"#source-{s.id}" for s in scenario.sources}
    assert facts.cite_targets
    assert set(facts.cite_targets) <= anchors
    # Every position's sources are cited next to it: at least one citation per position.
    assert len(facts.cite_targets) >= sum(len(p.sources) for p in scenario.positions)


def test_no_external_resource_and_no_script(page: tuple[str, str]) -> None:
    facts = page_facts(page[1])
    assert facts.scripts == 0
    external = [(t, v) for t, v in facts.links if re.match(r"(?i)^(https?:)?//", v)]
    # Only the bibliography may link out (source URLs), and only with <a href>.
    assert all(t == "a" for t, _ in external)
    assert {v for _, v in external} <= set(facts.sources_hrefs)
    # Images inside the SVGs are embedded as data URIs.
    for tag, value in facts.links:
        if tag == "image":
            assert value.startswith("data:image/png;base64,")
    assert "@import" not in page[1]


def test_estimates_are_labelled(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    facts = page_facts(cairo_html)
    assert 'id="estimates-notice"' in cairo_html
    # A badge on each negotiator's heading, reservation, weight and value columns at least.
    assert facts.badges.get("estimate", 0) >= 4 * len(scenario.negotiators)
    assert (
        "(estimate)" in facts.captions["fig-weights"] or "estimate" in facts.captions["fig-weights"]
    )


def test_every_assumed_value_is_marked(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    facts = page_facts(cairo_html)
    assumed = sum(len(p.assumed) for p in scenario.proposals)
    assert assumed > 0
    # One badge per assumed value, plus the one in the proposals section's introduction and the
    # one in the estimates notice.
    assert facts.badges["assumed"] == assumed + 2
    for p in scenario.proposals:
        for reason in p.assumed.values():
            assert " ".join(reason.split()) in " ".join("".join(facts.text).split())


def test_every_party_representative_event_and_proposal_appears(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    text = " ".join("".join(page_facts(cairo_html).text).split())
    for party in scenario.parties:
        assert party.name in text
        for r in party.representatives:
            assert r.name in text
    for e in scenario.events:
        assert " ".join(e.text.split()) in text
    for p in scenario.proposals:
        assert p.name in text


def test_absent_analyses_are_listed_not_drawn(cairo_html: str, job_html: str) -> None:
    """cairo-2024 has plans, a conflict and ranged estimates: nothing is missing.  job-offer
    has none of them: each part is listed with the reason, and none is drawn."""
    assert 'id="missing-analyses"' not in cairo_html
    assert {"phased", "stability", "robustness"} <= set(page_facts(cairo_html).ids)
    text = " ".join("".join(page_facts(job_html).text).split())
    assert 'id="missing-analyses"' in job_html
    for title in (PHASED, STABILITY, ROBUSTNESS):
        assert title + " — " in text
    assert {"phased", "stability", "robustness"}.isdisjoint(page_facts(job_html).ids)


def test_print_rules_and_inline_css(cairo_html: str) -> None:
    assert "@media print" in cairo_html
    assert "<link" not in cairo_html
