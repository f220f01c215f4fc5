"""The robustness kernel's point winners are the agreement space's solutions (issue 11, item 1).

`accord robust` (``point_package``), the report's "bargaining solutions, issue by issue"
table and `accord analyze` must name the same package for every concept.  The kernel
decides in floating point with a tolerance, the agreement space exactly; they must agree
whenever the tolerance cannot matter: distinct utilities, reservations and objective values
more than twice ``tol`` apart (checked exactly on each drawn scenario, and nearly always so
for the small decimals drawn).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import assume, given, settings

from accord.analysis import SOLUTION_NAMES, analyze_space
from accord.model import load_scenario, scenario_from_data
from accord.robust.engine import build_problem, feasible_packages, indicator_matrix
from accord.robust.from_scenario import preference_model
from accord.robust.kernel import CONCEPTS, DEFAULT_TOL, evaluate_profiles
from accord.space import CompiledSpace, compile_space

sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))
import itertools

from scenario_reference import exact_scenario
from scenario_strategies import tie_scenarios
from space_reference import Vector, gains

Package = tuple[int, ...]


def objectives(
    utility: dict[Package, Vector], zopa: list[Package], r: Vector
) -> dict[str, dict[Package, Fraction]]:
    g = {p: gains(utility[p], r) for p in zopa}
    ideal = [max((g[p][j] for p in zopa), default=Fraction(0)) for j in range(len(r))]
    active = [j for j, x in enumerate(ideal) if x > 0]
    out: dict[str, dict[Package, Fraction]] = {
        "nash": {},
        "kalai_smorodinsky": {},
        "egalitarian": {},
        "utilitarian": {},
    }
    for p in zopa:
        product = Fraction(1)
        for x in g[p]:
            product *= x
        out["nash"][p] = product
        out["kalai_smorodinsky"][p] = min((g[p][j] / ideal[j] for j in active), default=Fraction(0))
        out["egalitarian"][p] = min(g[p])
        out["utilitarian"][p] = sum(utility[p], Fraction(0))
    return out


def separated(data: dict[str, Any], gap: Fraction) -> bool:
    """No two distinct numbers that the tolerance could confuse: each negotiator's
    utilities against each other and its reservation, each concept's objective values."""
    ref = exact_scenario(data)
    r = ref.reservation
    for j, rj in enumerate(r):
        values = sorted({u[j] for u in ref.utility.values()} | {rj})
        if any(b - a <= gap for a, b in itertools.pairwise(values)):
            return False
    zopa = [p for p, u in ref.utility.items() if all(x >= y for x, y in zip(u, r, strict=True))]
    for scores in objectives(ref.utility, zopa, r).values():
        values = sorted(set(scores.values()))
        if any(b - a <= gap for a, b in itertools.pairwise(values)):
            return False
    return True


def analysed(space: CompiledSpace) -> dict[str, Package | None]:
    result = analyze_space(space)
    out: dict[str, Package | None] = {}
    for name, sol in result.solutions.items():
        out[name] = None
        if sol is not None:
            out[name] = tuple(
                issue.labels.index(v) if issue.numeric is None else issue.numeric.index(v)
                for issue, v in zip(space.issues, sol.package.values(), strict=True)
            )
    return out


def kernel_point(packages: np.ndarray, winners: np.ndarray) -> dict[str, Package | None]:
    return {
        name: None if w < 0 else tuple(int(k) for k in packages[w])
        for name, w in zip(CONCEPTS, winners, strict=True)
    }


def test_the_kernel_implements_the_registered_concepts_in_order() -> None:
    assert CONCEPTS == SOLUTION_NAMES


@settings(max_examples=150, deadline=None)
@given(tie_scenarios())
def test_robust_point_winners_are_the_analysis_solutions(data: dict[str, Any]) -> None:
    # As `accord robust` computes them: float32, tolerance 1e-5.
    assume(separated(data, Fraction(2 * DEFAULT_TOL)))
    scenario = scenario_from_data(data).scenario
    space = compile_space(scenario)
    problem = build_problem(space, preference_model(scenario))
    assert kernel_point(problem.packages, problem.point.winners[0]) == analysed(space)


@settings(max_examples=150, deadline=None)
@given(tie_scenarios())
def test_float64_kernel_with_the_analysis_tolerance_agrees(data: dict[str, Any]) -> None:
    # float64 and the analysis's own tolerance (1e-9): only near-ties below 2e-9 excluded.
    assume(separated(data, Fraction(2, 10**9)))
    scenario = scenario_from_data(data).scenario
    space = compile_space(scenario)
    point = preference_model(scenario).point_profiles()
    packages = feasible_packages(space)
    proposals = np.zeros((0, len(space.issues)), dtype=np.intp)
    out = evaluate_profiles(
        point.theta,
        point.reservation,
        indicator_matrix(space.shape, packages),
        indicator_matrix(space.shape, proposals),
        dtype=np.float64,
        tol=1e-9,
    )
    assert kernel_point(packages, out.winners[0]) == analysed(space)


def test_cairo_2024_gives_one_kalai_smorodinsky_package_everywhere() -> None:
    # Issue 11: the kernel broke the KS tie to the lowest index over the whole ZOPA and
    # named (…, return-displaced=gradual, guarantees=mediator-guarantee, …), which the
    # package analyze names dominates.
    scenario = load_scenario("cairo-2024")
    space = compile_space(scenario)
    problem = build_problem(space, preference_model(scenario))
    assert kernel_point(problem.packages, problem.point.winners[0]) == analysed(space)
