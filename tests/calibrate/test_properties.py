"""Properties of the calibration (issue 16): the calibrated estimates satisfy every constraint
kept; with consistent evidence nothing moves; what is dropped is as small as can be, and every
set named as unable to hold together is irreducible."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.calibrate import calibrate_scenario
from accord.calibrate.evidence import evidence_of, unknowns_of
from accord.calibrate.solve import is_feasible, violation
from accord.calibrate.write import calibrated_scenario
from accord.model import Scenario, scenario_from_data

NOTES = ["notes"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def scenarios(draw: st.DrawFn, consistent: bool = False) -> Scenario:
    n_issues = draw(st.integers(1, 3))
    issues = [
        {"id": f"i{k}", "name": f"Issue {k}", "options": [f"o{j}" for j in range(size)]}
        for k, size in enumerate(
            draw(st.lists(st.integers(2, 4), min_size=n_issues, max_size=n_issues))
        )
    ]
    prefs = {}
    for party in ("a", "b"):
        values = {}
        for issue in issues:
            options = issue["options"]
            raw = draw(
                st.lists(st.integers(0, 10), min_size=len(options), max_size=len(options)).filter(
                    lambda xs: len(set(xs)) > 1
                )
            )
            values[issue["id"]] = dict(zip(options, raw, strict=True))
        weights = {i["id"]: draw(st.integers(1, 5)) for i in issues}
        prefs[party] = {
            "weights": weights,
            "values": values,
            "reservation": draw(st.sampled_from([0.2, 0.4, 0.5, 0.7])),
            "estimate": True,
            "rationale": "r",
        }
    packages = draw(
        st.lists(
            st.tuples(*(st.integers(0, len(i["options"]) - 1) for i in issues)),
            min_size=2,
            max_size=4,
        )
    )
    proposals = []
    for k, chosen in enumerate(packages):
        package = {i["id"]: i["options"][j] for i, j in zip(issues, chosen, strict=True)}
        responses = {
            p: draw(st.sampled_from(["accepted", "rejected"]))
            for p in draw(st.lists(st.sampled_from(["a", "b"]), unique=True, max_size=2))
        }
        proposals.append(
            {
                "id": f"p{k}",
                "name": f"P{k}",
                "date": "2026-01-05",
                "by": "a",
                "package": package,
                "responses": responses,
                "sources": NOTES,
            }
        )
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b"]),
                st.integers(0, len(packages) - 1),
                st.integers(0, len(packages) - 1),
            ).filter(lambda t: t[1] != t[2]),
            max_size=3,
        )
    )
    judgements = [
        {"party": party, "prefers": f"p{x}", "over": f"p{y}", "sources": NOTES}
        for party, x, y in pairs
    ]
    data: dict[str, Any] = {
        "accord": 1,
        "title": "generated",
        "sources": [{"id": "notes", "outlet": "o", "title": "t", "date": "2026-01-05"}],
        "parties": [{"id": p, "name": p, "role": "negotiator"} for p in ("a", "b")],
        "issues": issues,
        "preferences": prefs,
        "proposals": proposals,
        "judgements": judgements,
    }
    scenario = scenario_from_data(data).scenario
    return _agreeing(scenario) if consistent else scenario


def _agreeing(scenario: Scenario) -> Scenario:
    """The same scenario with every response and judgement set to what the estimates say."""
    known = {p: unknowns_of(scenario, p) for p in scenario.preferences}
    data = scenario.model_dump(mode="json", exclude_none=True)
    for proposal in data["proposals"]:
        for party in proposal["responses"]:
            u = known[party]
            utility = float(u.utility_row(_choice(scenario, proposal["id"])) @ u.polytope.start)
            reservation = u.polytope.start[u.reservation_index]
            proposal["responses"][party]["response"] = (
                "accepted" if utility >= reservation else "rejected"
            )
    for judgement in data["judgements"]:
        u = known[judgement["party"]]
        a = float(u.utility_row(_choice(scenario, judgement["prefers"])) @ u.polytope.start)
        b = float(u.utility_row(_choice(scenario, judgement["over"])) @ u.polytope.start)
        if a < b:
            judgement["prefers"], judgement["over"] = judgement["over"], judgement["prefers"]
    return Scenario.model_validate(data)


def _choice(scenario: Scenario, proposal_id: str) -> dict[str, int]:
    package = scenario.proposal(proposal_id).package
    return {i.id: i.option_ids().index(str(package[i.id])) for i in scenario.issues}


@SETTINGS
@given(scenarios(), st.sampled_from([0.0, 0.05]))
def test_calibrated_estimates_satisfy_every_piece_kept(scenario: Scenario, margin: float) -> None:
    result = calibrate_scenario(scenario, margin=margin)
    dropped = {
        (c.dropped.id, c.dropped.party, c.dropped.says) for p in result.parties for c in p.conflicts
    }
    calibrated = calibrated_scenario(scenario, result.changes)
    known = {p: unknowns_of(calibrated, p) for p in calibrated.preferences}
    for e in evidence_of(calibrated, known, margin=margin):
        if (e.id, e.party, e.says) not in dropped:
            # the calibrated numbers are written to 6 decimals
            assert violation(e.group, known[e.party].polytope.start) <= 1e-5, e.says


@SETTINGS
@given(scenarios(consistent=True))
def test_with_consistent_evidence_nothing_moves(scenario: Scenario) -> None:
    result = calibrate_scenario(scenario)
    assert result.contradicted == ()
    assert all(p.consistent and p.changes == () and p.distance == 0 for p in result.parties)


@SETTINGS
@given(scenarios(), st.sampled_from([0.05, 0.1]))
def test_the_fewest_are_dropped_and_each_conflict_is_irreducible(
    scenario: Scenario, margin: float
) -> None:
    result = calibrate_scenario(scenario, margin=margin)
    known = {p: unknowns_of(scenario, p) for p in scenario.preferences}
    pieces = evidence_of(scenario, known, margin=margin)
    for party in result.parties:
        poly = known[party.party].polytope
        mine = [e for e in pieces if e.party == party.party]
        key = {(e.id, e.says): e.group for e in mine}
        groups = [e.group for e in mine]
        fewest = next(
            size
            for size in range(len(groups) + 1)
            if any(
                is_feasible(poly, [g for k, g in enumerate(groups) if k not in drop])
                for drop in itertools.combinations(range(len(groups)), size)
            )
        )
        assert len(party.conflicts) == fewest
        assert party.consistent == (fewest == 0)
        for conflict in party.conflicts:
            members = [key[(f.id, f.says)] for f in conflict.cannot_all_hold]
            assert not is_feasible(poly, members)
            for k in range(len(members)):
                assert is_feasible(poly, members[:k] + members[k + 1 :])
