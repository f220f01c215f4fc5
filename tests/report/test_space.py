"""The agreement-space pictures against the definitions, on small spaces enumerated by hand."""

from __future__ import annotations

import re
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import UserInputError
from accord.model import load_scenario, scenario_from_data
from accord.report import build_report
from accord.report.comparison import comparison_picture
from accord.report.space import space_picture
from accord.run import Analysis
from accord.run.cloud import feasible_cloud
from accord.space import compile_space

from .page_facts import page_facts


def _all_feasible_exact(space: Any) -> list[tuple[Fraction, ...]]:
    """Every feasible package's utilities as exact rationals, by itertools.product.

    The contributions are the exact rationals the scenario's decimals define
    (``space.rationals``), summed in rational arithmetic: the exact utilities on
    which the analysis decides dominance and ties.
    """
    rows = np.array(list(product(*[range(s) for s in space.shape])), dtype=np.intp)
    rows = rows[space.is_feasible(rows)]
    return [_exact_utility(space, row) for row in rows]


def _exact_utility(space: Any, package: Any) -> tuple[Fraction, ...]:
    return tuple(
        sum((tables[i][int(k)] for i, k in enumerate(package)), Fraction(0))
        for tables, _ in space.rationals
    )


def _reservation(space: Any) -> tuple[Fraction, ...]:
    return tuple(r for _, r in space.rationals)


def _dominated_by_definition(points: list[tuple[Fraction, ...]], u: tuple[Fraction, ...]) -> int:
    return sum(
        1
        for p in points
        if all(a >= b for a, b in zip(p, u, strict=True))
        and any(a > b for a, b in zip(p, u, strict=True))
    )


def _picture(scenario: Any) -> tuple[Any, Any]:
    """The picture the report draws, from the results of one analysis."""
    analysis = Analysis(scenario)
    pic = space_picture(scenario, analysis.space_analysis(limit=0), analysis.core, analysis.cloud)
    return pic, analysis.space


@pytest.mark.parametrize("name", ["job-offer", "flatmates"])
def test_frontier_is_exactly_the_undominated_feasible_packages(
    name: str, base: dict[str, Any]
) -> None:
    scenario = load_scenario(name) if name != "flatmates" else scenario_from_data(base).scenario
    pic, space = _picture(scenario)
    points = _all_feasible_exact(space)
    reservation = _reservation(space)
    expected = {p for p in points if _dominated_by_definition(points, p) == 0}
    # the picture's floats are the exact utilities, correctly rounded
    assert {tuple(float(x) for x in p) for p in pic.frontier} == {
        tuple(float(x) for x in p) for p in expected
    }
    assert pic.feasible == len(points)
    assert pic.zopa == sum(all(a >= b for a, b in zip(p, reservation, strict=True)) for p in points)
    assert pic.zopa_exact and not pic.cloud_sampled
    assert pic.cloud.shape[0] == len(points)
    # Each solution sits on the frontier (its utilities are reported to 9 decimals), in the ZOPA.
    front = np.array(sorted(expected), dtype=float)
    for sol in pic.solutions.values():
        assert sol is not None
        assert np.min(np.abs(front - sol.utility).max(axis=1)) < 1e-8
        assert np.all(sol.utility >= space.reservation - 1e-8)


def test_proposals_are_placed_and_judged_by_the_definitions() -> None:
    scenario = load_scenario("job-offer")
    pic, space = _picture(scenario)
    points = _all_feasible_exact(space)
    reservation = _reservation(space)
    for point, (pid, chosen) in zip(pic.proposals, space.proposals, strict=True):
        u = _exact_utility(space, chosen)
        assert point.id == pid
        np.testing.assert_allclose(point.utility, space.utility(np.array([chosen]))[0])
        assert point.dominated_by == _dominated_by_definition(points, u)
        assert point.pareto_optimal == (point.feasible and point.dominated_by == 0)
        reaches = all(a >= b for a, b in zip(u, reservation, strict=True))
        assert point.in_zopa == (point.feasible and reaches)


def default_pair(scenario: Any) -> Any:
    return Analysis(scenario).default_pair


def test_default_pair_is_the_two_most_recent_proposals() -> None:
    assert default_pair(load_scenario("cairo-2024")) == ("israel-response", "cairo-draft")
    assert default_pair(load_scenario("job-offer")) == ("counter-offer", "recruiter-draft")


def test_default_pair_breaks_date_ties_by_file_order(base: dict[str, Any]) -> None:
    data = base
    second = dict(data["proposals"][0], id="p2", name="Second")
    data["proposals"].append(second)
    scenario = scenario_from_data(data).scenario
    assert default_pair(scenario) == ("p1", "p2")
    data["proposals"] = data["proposals"][:1]
    assert default_pair(scenario_from_data(data).scenario) is None


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_per_issue_changes_add_up_to_the_change_in_utility(data: st.DataObject) -> None:
    scenario = load_scenario("cairo-2024")
    space = compile_space(scenario)
    ids = [p.id for p in scenario.proposals]
    a = data.draw(st.sampled_from(ids))
    b = data.draw(st.sampled_from(ids))
    cmp = comparison_picture(scenario, Analysis(scenario).comparison(a, b))
    packages = dict(space.proposals)
    ua, ub = space.utility(np.array([packages[a], packages[b]]))
    np.testing.assert_allclose(cmp.before, ua)
    np.testing.assert_allclose(cmp.after, ub)
    np.testing.assert_allclose(sum(d.change for d in cmp.issues), ub - ua, atol=1e-12)
    for d, issue in zip(cmp.issues, scenario.issues, strict=True):
        same = scenario.proposal(a).package[issue.id] == scenario.proposal(b).package[issue.id]
        assert (d.before == d.after) == same
        if same:
            assert np.all(d.change == 0)


def test_comparison_of_unknown_proposal_names_the_known_ones() -> None:
    scenario = load_scenario("job-offer")
    with pytest.raises(UserInputError, match="first-offer"):
        build_report(scenario, compare=("first-offer", "nope"))


def test_large_spaces_are_sampled_reproducibly_and_only_feasible_packages_drawn() -> None:
    space = compile_space(load_scenario("cairo-2024"))
    whole, sampled = feasible_cloud(space)
    assert not sampled and whole.shape[0] == int(space.is_feasible(whole).sum())
    a, sampled_a = feasible_cloud(space, max_packages=1000, sample=500, seed=3)
    b, _ = feasible_cloud(space, max_packages=1000, sample=500, seed=3)
    c, _ = feasible_cloud(space, max_packages=1000, sample=500, seed=4)
    assert sampled_a and 0 < a.shape[0] <= 500
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert space.is_feasible(a).all()


def _three_negotiators(data: dict[str, Any]) -> dict[str, Any]:
    data["parties"].append({"id": "cleo", "name": "Cleo", "role": "negotiator"})
    data["preferences"]["cleo"] = {
        "weights": {"dishes": 2, "rent": 1},
        "values": {"dishes": {"ana": 5, "shared": 10, "ben": 0}, "rent": [[40, 1], [60, 0]]},
        "reservation": 0.2,
        "estimate": True,
        "rationale": "Invented for the test.",
    }
    return data


def test_three_negotiators_get_one_panel_per_pair(base: dict[str, Any]) -> None:
    html = build_report(scenario_from_data(_three_negotiators(base)).scenario)
    figure = html[html.index('id="fig-frontier"') :]
    figure = figure[: figure.index("</figure>")]
    panels = set(re.findall(r'id="fig-frontier-(axes_\d+)"', figure))
    assert len(panels) == 3
    assert "projected" in figure  # the frontier is drawn as points, and the page says so
    facts = page_facts(html)
    assert facts.unclosed == []


def test_an_empty_zopa_is_said_in_words(base: dict[str, Any]) -> None:
    data = base
    data["preferences"]["ana"]["reservation"] = 0.99
    data["preferences"]["ben"]["reservation"] = 0.99
    html = build_report(scenario_from_data(data).scenario)
    assert "The ZOPA is empty" in html


def test_text_from_the_file_is_escaped(base: dict[str, Any]) -> None:
    data = base
    data["title"] = "<script>alert(1)</script> & co"
    data["events"][0]["text"] = '<img src="http://example.org/x.png">'
    html = build_report(scenario_from_data(data).scenario)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert '<img src="http' not in html
