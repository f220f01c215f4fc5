"""End-to-end robustness runs: reproducibility, known answers, sensitivity, extension."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from accord.jsonable import to_jsonable
from accord.model import load_scenario
from accord.robust import (
    BLOCK_SAMPLES,
    Indicator,
    Profiles,
    analyze_robustness,
    build_problem,
    first_order_indices,
    run_chunks,
    wilson_interval,
)
from accord.robust.from_scenario import preference_model
from accord.space import compile_space

from .helpers import fixed_model, space_from_theta


def _flatmates(base: dict[str, Any], write_yaml: Any) -> tuple[Any, Any]:
    """The shared small scenario with Ana's reservation uniform on [0.2, 0.6].

    Proposal p1 (shared dishes, rent 50) gives Ana 0.25 * 0.5 + 0.75 * 0.5 = 0.5
    and Ben 0.5 (above his 0.3), so it is in the ZOPA exactly when Ana's
    reservation is at most 0.5: probability (0.5 - 0.2) / (0.6 - 0.2) = 3/4.
    """
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    scenario = load_scenario(str(write_yaml(base)))
    return compile_space(scenario), preference_model(scenario)


def test_wilson_interval_matches_newcombe_1998() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score)
    for (k, n), (lo, hi) in {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    }.items():
        got = wilson_interval(k, n)
        assert got == pytest.approx((lo, hi), abs=5e-5)


def test_analytic_probability_in_the_zopa(base: dict[str, Any], write_yaml: Any) -> None:
    space, model = _flatmates(base, write_yaml)
    report = analyze_robustness(space, model, samples=20_000, seed=0)
    p = report.proposals[0].in_zopa
    assert p.low <= 0.75 <= p.high
    assert p.count == 15_022  # pinned for seed 0 (docs/explanation/robustness.md)
    # Ana's reservation is the only uncertain estimate and decides everything
    ranking = next(s for s in report.sensitivity if s.conclusion == "p1 is in the ZOPA")
    assert ranking.ranking[0].parameter == "preferences.ana.reservation"
    assert ranking.ranking[0].index > 0.9


def test_same_seed_same_result_whatever_the_chunking(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ben"]["weights"]["dishes"] = {"dist": "normal", "mean": 1, "sd": 0.4}
    space, model = _flatmates(base, write_yaml)
    problem = build_problem(space, model)
    samples = 3 * BLOCK_SAMPLES + 17
    tallies = [
        run_chunks(problem, samples, 5, chunk_samples=c, processes=t)
        for c, t in [(BLOCK_SAMPLES, 1), (2 * BLOCK_SAMPLES, 2), (10 * BLOCK_SAMPLES, 1), (1, 3)]
    ]
    first = to_jsonable(tallies[0])
    assert first["samples"] == samples
    for other in tallies[1:]:
        assert to_jsonable(other) == first
    # a different seed gives different samples
    assert to_jsonable(run_chunks(problem, samples, 6)) != first


def test_degenerate_estimates_give_probabilities_one_or_zero() -> None:
    """With every estimate fixed at its point, each conclusion holds in all samples or none,
    and it is exactly the point conclusion."""
    rng = np.random.default_rng(11)
    sizes = [3, 2, 4]
    weights = rng.integers(1, 5, size=(2, 3)).astype(float)
    values = [[rng.permutation(s).astype(float) for s in sizes] for _ in range(2)]
    model = fixed_model(weights, values, [0.35, 0.3])
    point = model.point_profiles().theta[:, 0, :]
    space = space_from_theta(point, sizes, [0.35, 0.3], proposals=[(0, 0, 0), (2, 1, 3), (1, 0, 2)])
    report = analyze_robustness(space, model, samples=700, seed=1)
    for prop in report.proposals:
        assert prop.in_zopa.estimate == float(prop.point_in_zopa)
        assert prop.pareto_optimal.estimate == float(prop.point_pareto_optimal)
        for other in prop.preferred.values():
            assert all(p.estimate in (0.0, 1.0) for p in other.values())
    for sol in report.solutions.values():
        assert sol.same_as_point.estimate == 1.0
        assert sol.distinct_packages <= 1
        assert sol.point_package is not None
        for issue, option in sol.point_package.items():
            assert sol.by_issue[issue] == {str(option): sol.same_as_point}
    assert report.uncertain_estimates == 0
    assert all(not s.varies and s.ranking == () for s in report.sensitivity)


def test_first_order_index_of_a_step_function() -> None:
    """Y = [X1 < 0.5] with X1 uniform: E[Y|X1] = Y, so S_1 = 1; an unrelated X2 has S_2 ~ 0."""
    rng = np.random.default_rng(0)
    n, bins = 20_000, 20
    x = rng.random((n, 2))
    y = x[:, 0] < 0.5
    b = np.minimum((x * bins).astype(int), bins - 1)
    counts = np.stack([np.bincount(b[:, i], minlength=bins) for i in range(2)])
    hits = np.stack([np.bincount(b[y, i], minlength=bins) for i in range(2)])[None]
    index = first_order_indices(counts, hits)[0]
    assert index[0] == pytest.approx(1.0)
    assert index[1] < 5 * (bins - 1) / n


def ana_reservation_below_04(profiles: Profiles) -> NDArray[np.bool_]:
    """A further conclusion: a module-level function, so that it pickles (as it must)."""
    return profiles.reservation[:, 0] < 0.4


def test_an_indicator_extends_the_conclusions(base: dict[str, Any], write_yaml: Any) -> None:
    """The extension point: any yes/no conclusion per profile, in worker processes too."""
    space, model = _flatmates(base, write_yaml)
    low_bar = Indicator("ana's reservation is below 0.4", ana_reservation_below_04)
    report = analyze_robustness(
        space, model, samples=5000, seed=2, indicators=[low_bar], processes=2
    )
    p = report.extra["ana's reservation is below 0.4"]
    assert p.low <= 0.5 <= p.high  # uniform on [0.2, 0.6]
    ranking = next(s for s in report.sensitivity if s.conclusion == low_bar.name)
    assert ranking.ranking[0].parameter == "preferences.ana.reservation"


def test_cairo_report_is_complete() -> None:
    scenario = load_scenario()
    report = analyze_robustness(compile_space(scenario), preference_model(scenario), samples=300)
    assert [p.id for p in report.proposals] == [p.id for p in scenario.proposals]
    assert set(report.solutions) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    assert report.uncertain_estimates > 30
    data = to_jsonable(report)
    for sol in data["solutions"].values():
        shares = sum(o["probability"]["count"] for o in sol["top"])
        assert shares + sol["no_agreement"]["count"] <= 300
        for options in sol["by_issue"].values():
            total = sum(p["count"] for p in options.values())
            assert total + sol["no_agreement"]["count"] == 300


def test_sensitivity_counts_match_a_direct_count(base: dict[str, Any], write_yaml: Any) -> None:
    """The tally's per-bin counts (a 0/1 matrix product) against plain loops."""
    from accord.robust.engine import _tally
    from accord.robust.kernel import evaluate_profiles
    from accord.robust.parameters import block_generator, sample_block

    base["preferences"]["ben"]["values"]["dishes"]["shared"] = {"value": 5, "range": [1, 9]}
    space, model = _flatmates(base, write_yaml)
    problem = build_problem(space, model, bins=4)
    prof = sample_block(model, block_generator(3, 0), 300)
    out = evaluate_profiles(
        prof.theta, prof.reservation, problem.features, problem.proposal_features
    )
    tally = _tally(problem, out, prof)
    targets = np.concatenate(
        [
            out.in_zopa,
            out.pareto_optimal,
            out.winners == problem.point.winners[0][None, :],
            out.empty_zopa[:, None],
        ],
        axis=1,
    )
    assert len(problem.uncertain) == 2
    for p, col in enumerate(problem.uncertain):
        for s in range(300):
            b = min(int(prof.quantiles[s, col] * 4), 3)
            tally.bin_counts[p, b] -= 1
            for t in range(targets.shape[1]):
                tally.bin_hits[t, p, b] -= int(targets[s, t])
    assert not tally.bin_counts.any() and not tally.bin_hits.any()
