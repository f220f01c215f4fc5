"""The whole analysis: the hand-worked example pinned, and random spaces against brute force."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from space_reference import brute, dominates, feasible, reservation
from space_strategies import small_spaces, worked_example

from accord.analysis.agreement_space import analyze_space
from accord.jsonable import to_jsonable
from accord.space.compiled import CompiledIssue, CompiledSpace, ForbiddenCombination

KEYS = {"negotiators", "packages", "exact", "zopa", "pareto_size", "pareto", "solutions"}


def test_worked_example_of_the_explanation_page() -> None:
    # docs/explanation/agreement-space.md, section "A worked example": every number below
    # was computed by hand there.
    result = analyze_space(worked_example())
    assert result.packages == 5  # six combinations, (low, fast) forbidden
    assert result.zopa == 4 and result.exact  # (mid, fast) leaves the seller at 1/8 < 3/8
    assert result.pareto_size == 3 and result.zopa_pareto_size == 3
    assert [(p.package["price"], p.package["delivery"]) for p in result.pareto] == [
        ("low", "slow"),
        ("mid", "slow"),
        ("high", "slow"),
    ]
    assert [tuple(p.utility.values()) for p in result.pareto] == [
        (0.75, 0.5),
        (0.5, 0.625),
        (0.375, 1.0),
    ]
    sol = result.solutions
    assert sol["nash"].package == {"price": "low", "delivery": "slow"}  # 3/8 * 1/8 = 3/64
    assert sol["nash"].ties == 1
    assert sol["kalai_smorodinsky"].package == {"price": "mid", "delivery": "slow"}  # min = 1/3
    assert sol["kalai_smorodinsky"].ties == 1
    # smallest gain 1/8 at (low, slow), (mid, slow) and the dominated (high, fast): two ties
    assert sol["egalitarian"].package == {"price": "low", "delivery": "slow"}
    assert sol["egalitarian"].ties == 2
    assert sol["utilitarian"].package == {"price": "high", "delivery": "slow"}  # 11/8
    assert sol["utilitarian"].utility == {"buyer": 0.375, "seller": 1.0}
    assert sol["utilitarian"].gain == {"buyer": 0.0, "seller": 0.625}
    buyer, seller = result.proposals
    assert (buyer.id, buyer.in_zopa, buyer.pareto_optimal, buyer.dominated_by) == (
        "buyer-offer",
        False,
        False,
        1,
    )
    assert (seller.id, seller.in_zopa, seller.pareto_optimal, seller.dominated_by) == (
        "seller-offer",
        True,
        False,
        1,
    )
    assert result.explanation is None


def test_json_has_the_documented_keys() -> None:
    data = json.loads(json.dumps(to_jsonable(analyze_space(worked_example(), limit=2))))
    assert KEYS | {"proposals"} <= set(data)
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    assert set(data["solutions"]["nash"]) >= {"package", "utility", "ties"}
    assert set(data["pareto"][0]) == {"package", "utility"}
    assert set(data["proposals"][0]) >= {
        "id",
        "utility",
        "in_zopa",
        "pareto_optimal",
        "dominated_by",
    }
    assert len(data["pareto"]) == 2 and data["pareto_size"] == 3  # limit lists, counts stay whole
    # evenly spaced: the two ends of the frontier
    assert data["pareto"][0]["package"] == {"price": "low", "delivery": "slow"}
    assert data["pareto"][1]["package"] == {"price": "high", "delivery": "slow"}


def test_zopa_pareto_lists_only_packages_everyone_accepts() -> None:
    space = worked_example()
    raised = CompiledSpace(
        space.negotiators,
        space.issues,
        space.contributions,
        np.array([0.5, 0.375]),
        space.forbidden,
    )
    result = analyze_space(raised, zopa_pareto=True)
    assert result.pareto_size == 3 and result.zopa_pareto_size == 2
    assert [p.package["price"] for p in result.pareto] == ["low", "mid"]
    assert result.pareto_scope == "zopa"


@settings(max_examples=60, deadline=None)
@given(small_spaces())
def test_counts_and_proposals_match_brute_force(space: CompiledSpace) -> None:
    result = analyze_space(space, tol=0.0)
    ref = brute(space)
    r = reservation(space)
    assert result.packages == len(ref.utility)
    assert result.zopa == len(ref.zopa)
    assert result.pareto_size == len(ref.frontier)
    assert result.exact
    assert (result.explanation is None) == bool(ref.zopa)
    for got, (pid, package) in zip(result.proposals, space.proposals, strict=True):
        assert got.id == pid
        from space_reference import exact_utility

        u = exact_utility(space, package)
        is_feasible = feasible(space, package)
        assert got.feasible == is_feasible
        assert got.in_zopa == (is_feasible and all(x >= y for x, y in zip(u, r, strict=True)))
        assert got.dominated_by == sum(dominates(v, u) for v in ref.utility.values())
        assert got.pareto_optimal == (is_feasible and got.dominated_by == 0)


@settings(max_examples=25, deadline=None)
@given(small_spaces())
def test_estimated_counts_say_so(space: CompiledSpace) -> None:
    result = analyze_space(space, tol=0.0, exact_limit=0, samples=4000, confidence=0.999999)
    ref = brute(space)
    if not ref.utility:
        return
    assert not result.exact
    lo, hi = result.zopa_interval
    assert lo <= len(ref.zopa) <= hi
    for got in result.proposals:
        assert not got.dominated_by_exact
        if got.pareto_optimal:
            assert got.dominated_by == 0


def two_issue_space(reservation: list[float], forbid_all: bool = False) -> CompiledSpace:
    issues = (
        CompiledIssue("a", "A", ("x", "y")),
        CompiledIssue("b", "B", ("x", "y")),
    )
    tables = (
        np.array([[0.5, 0.0], [0.0, 0.5]]),
        np.array([[0.5, 0.0], [0.0, 0.5]]),
    )
    rules = (ForbiddenCombination(((0, (0, 1)),), "nothing allowed"),) if forbid_all else ()
    return CompiledSpace(("p", "q"), issues, tables, np.array(reservation), rules)


def test_empty_zopa_when_one_party_cannot_reach_its_reservation() -> None:
    result = analyze_space(two_issue_space([0.4, 1.5]))
    assert result.zopa == 0 and result.packages == 4
    assert all(v is None for v in result.solutions.values())
    assert "q can reach at most 1.000, below its reservation 1.500" in result.explanation


def test_empty_zopa_when_reservations_are_incompatible() -> None:
    result = analyze_space(two_issue_space([0.75, 0.75]))
    assert result.zopa == 0
    assert "no single package satisfies all of them at once" in result.explanation
    assert "shortfall" in result.explanation


def test_empty_zopa_when_nothing_is_feasible() -> None:
    result = analyze_space(two_issue_space([0.0, 0.0], forbid_all=True))
    assert result.packages == 0 and result.zopa == 0 and result.pareto_size == 0
    assert "constraints forbid every combination" in result.explanation


@settings(max_examples=30, deadline=None)
@given(small_spaces(), st.integers(0, 2**16))
def test_analysis_does_not_depend_on_the_order_of_issues_and_options(
    space: CompiledSpace, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    issue_perm = rng.permutation(len(space.issues))
    option_perms = [rng.permutation(issue.size) for issue in space.issues]
    inverse = [np.argsort(p) for p in option_perms]
    new_pos = {int(old): new for new, old in enumerate(issue_perm)}
    shuffled = CompiledSpace(
        space.negotiators,
        tuple(
            CompiledIssue(
                space.issues[i].id,
                space.issues[i].name,
                tuple(space.issues[i].labels[o] for o in option_perms[i]),
            )
            for i in issue_perm
        ),
        tuple(space.contributions[i][option_perms[i]] for i in issue_perm),
        space.reservation,
        tuple(
            ForbiddenCombination(
                tuple(
                    sorted(
                        (new_pos[i], tuple(sorted(int(inverse[i][o]) for o in opts)))
                        for i, opts in rule.options
                    )
                )
            )
            for rule in space.forbidden
        ),
    )
    a = analyze_space(space, tol=0.0)
    b = analyze_space(shuffled, tol=0.0)
    assert (a.packages, a.zopa, a.pareto_size, a.zopa_pareto_size) == (
        b.packages,
        b.zopa,
        b.pareto_size,
        b.zopa_pareto_size,
    )

    # The frontier is the same set of packages (by option labels).
    def labelled(points):
        return sorted(tuple(sorted(p.package.items())) for p in points)

    assert labelled(a.pareto) == labelled(b.pareto)
    for name, sol in a.solutions.items():
        other = b.solutions[name]
        assert (sol is None) == (other is None)
        if sol is None:
            continue
        # the optimum and its number of ties are the same; the tie-break may pick another
        assert sol.ties == other.ties
        gains_a, gains_b = list(sol.gain.values()), list(other.gain.values())
        if name == "utilitarian":
            assert sum(sol.utility.values()) == pytest.approx(sum(other.utility.values()))
        elif name == "nash":
            assert np.prod(np.maximum(gains_a, 0)) == pytest.approx(np.prod(np.maximum(gains_b, 0)))
        elif name == "egalitarian":
            assert min(max(g, 0) for g in gains_a) == pytest.approx(min(max(g, 0) for g in gains_b))
        if sol.ties == 1:
            assert sol.package == other.package
