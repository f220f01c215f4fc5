"""Robustness of phased plans: the vectorised counts against a loop over evaluate_plan."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.model import dump_scenario, load_scenario
from accord.model.estimates import Estimate
from accord.phased import Exchange, StagedPlan, evaluate_plan
from accord.phased.exchange import exchange_from_scenario, plan_from_scenario
from accord.robust.parameters import BLOCK_SAMPLES, UncertainParameter
from accord.robust.plans import (
    ValuationModel,
    ValuationParameter,
    analyze_plans,
    margin_matrix,
    plan_block_generator,
    plan_timing,
    sample_valuations,
    sampled_fields,
    sampled_margins,
    simulate_plans,
    valuation_model,
)


def cairo() -> tuple[ValuationModel, list[StagedPlan]]:
    s = load_scenario()
    model = valuation_model(s)
    return model, [plan_from_scenario(s, p.id, model.exchange) for p in s.plans]


def hand() -> tuple[ValuationModel, list[StagedPlan]]:
    """A two-stage swap (A gives h, B gives p) with every valuation uncertain."""
    ex = Exchange(
        parties=("A", "B"),
        negotiators=("A", "B"),
        items=("h", "p"),
        flows=("truce",),
        holdings=np.array([[2.0, 0.0], [0.0, 2.0]]),
        integer=np.array([True, True]),
        receive=np.array([[0.0, 3.0], [5.0, 0.0]]),
        give=np.array([[-2.0, 0.0], [0.0, -1.0]]),
        flow_value=np.array([[1.0], [-0.1]]),
        outside_base=np.array([0.0, 0.0]),
        outside_per_item=np.array([[1.0, 0.0], [-3.0, 0.0]]),
        penalty=np.array([0.0, 6.0]),
        discount=np.array([0.5, 0.9]),
    )
    u = UncertainParameter
    params = (
        ValuationParameter("A: p received", "receive", (0, 1), u("x", "uniform", 3.0, 1.0, 5.0)),
        ValuationParameter(
            "A: h given", "give", (0, 0), u("x", "triangular", -2.0, -4.0, 0.0, -2.0)
        ),
        ValuationParameter(
            "A: truce", "flow_value", (0, 0), u("x", "normal", 1.0, -1.0, 3.0, 1.0, 1.0)
        ),
        ValuationParameter("A: base", "outside_base", (0,), u("x", "uniform", 0.0, -1.0, 1.0)),
        ValuationParameter(
            "A: per h", "outside_per_item", (0, 0), u("x", "uniform", 1.0, 0.0, 3.0)
        ),
        ValuationParameter("B: h received", "receive", (1, 0), u("x", "uniform", 5.0, 2.0, 8.0)),
        ValuationParameter("B: penalty", "penalty", (1,), u("x", "uniform", 6.0, 0.0, 12.0)),
    )
    plan = StagedPlan(
        id="two-stage",
        name="two-stage exchange",
        stage_ids=("one", "two"),
        days=np.array([2.0, 2.0]),
        transfer_stage=np.array([0, 0, 1, 1]),
        transfer_slot=np.array([0, 1, 0, 1]),
        transfer_from=np.array([0, 1, 0, 1]),
        transfer_to=np.array([1, 0, 1, 0]),
        transfer_item=np.array([0, 1, 0, 1]),
        transfer_amount=np.array([1.0, 1.0, 1.0, 1.0]),
        slot_parties=(("A", "B"), ("A", "B")),
        flow_rates=np.array([[1.0], [1.0]]),
        final_rates=np.array([1.0]),
        final_perpetual=True,
    )
    return ValuationModel(ex, params), [plan]


def with_discounts(model: ValuationModel, laws: list[UncertainParameter | None]) -> ValuationModel:
    """``model`` with negotiator ``j``'s discount factor sampled from ``laws[j]`` (None: fixed)."""
    extra = tuple(
        ValuationParameter(f"{party}: discount per day", "discount", (j,), law)
        for j, (party, law) in enumerate(zip(model.exchange.negotiators, laws, strict=True))
        if law is not None
    )
    return replace(model, parameters=(*model.parameters, *extra))


def hand_discounted() -> tuple[ValuationModel, list[StagedPlan]]:
    """The two-stage swap with both discount factors uncertain too, ending perpetual or not."""
    model, (plan,) = hand()
    u = UncertainParameter
    model = with_discounts(
        model, [u("x", "uniform", 0.5, 0.3, 0.7), u("x", "triangular", 0.9, 0.8, 0.97, 0.9)]
    )
    return model, [plan, replace(plan, id="ends-in-outside-options", final_perpetual=False)]


def cairo_discounted() -> tuple[ValuationModel, list[StagedPlan]]:
    """Cairo with Israel's discount a truncated normal and Hamas's a uniform range."""
    model, plans = cairo()
    u = UncertainParameter
    laws = {
        "israel": u("x", "normal", 0.995, 0.98, 0.999, 0.995, 0.004),
        "hamas": u("x", "uniform", 0.99, 0.97, 0.998),
    }
    return with_discounts(model, [laws[n] for n in model.exchange.negotiators]), plans


def brute_force(
    model: ValuationModel, plans: list[StagedPlan], samples: int, seed: int
) -> tuple[list[int], list[list[int]]]:
    """Counts by calling evaluate_plan on every sampled valuation, block by block."""
    holds = [0] * len(plans)
    by_neg = [[0] * len(model.exchange.negotiators) for _ in plans]
    for block in range(-(-samples // BLOCK_SAMPLES)):
        size = min(BLOCK_SAMPLES, samples - block * BLOCK_SAMPLES)
        x, _ = sample_valuations(model, plan_block_generator(seed, block), size)
        for row in x:
            ex = model.exchange_at(row)
            for p, plan in enumerate(plans):
                a = evaluate_plan(ex, plan)
                holds[p] += a.self_enforcing
                for j in range(len(ex.negotiators)):
                    by_neg[p][j] += bool(np.all(a.margin[j] >= -a.tol))
    return holds, by_neg


@pytest.mark.parametrize(
    "build",
    [cairo, hand, cairo_discounted, hand_discounted],
    ids=["cairo", "hand", "cairo-discounts", "hand-discounts"],
)
@pytest.mark.parametrize("seed", [0, 7])
def test_vectorised_counts_equal_a_loop_over_evaluate_plan(build, seed: int) -> None:  # type: ignore[no-untyped-def]
    model, plans = build()
    samples = 150
    results = analyze_plans(model, plans, samples=samples, seed=seed)
    holds, by_neg = brute_force(model, plans, samples, seed)
    for r, h, b in zip(results, holds, by_neg, strict=True):
        assert r.self_enforcing.count == h and r.self_enforcing.samples == samples
        assert [r.by_negotiator[n].count for n in model.exchange.negotiators] == b


def test_the_hand_example_is_uncertain_either_way() -> None:
    model, plans = hand()
    (r,) = analyze_plans(model, plans, samples=2000, seed=3)
    assert 0 < r.self_enforcing.count < 2000
    assert r.self_enforcing.low < r.self_enforcing.estimate < r.self_enforcing.high
    assert r.sensitivity and all(0 <= e.index <= 1 for e in r.sensitivity)


def test_the_margin_matrix_reproduces_the_evaluator_at_the_point() -> None:
    model, plans = cairo()
    for plan in plans:
        a, b = margin_matrix(model, plan)
        expected = evaluate_plan(model.exchange, plan).margin.ravel()
        np.testing.assert_allclose(a @ model.point + b, expected, rtol=1e-12, atol=1e-9)


def test_a_non_affine_evaluator_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.robust.plan_margins as plans_module  # margin_matrix's module

    model, plans = hand()

    def squared(ex: Exchange, plan: StagedPlan) -> object:
        a = evaluate_plan(ex, plan)
        return replace(a, margin=a.margin**2)

    monkeypatch.setattr(plans_module, "evaluate_plan", squared)
    with pytest.raises(AssertionError, match="not affine"):
        margin_matrix(model, plans[0])


def test_only_valuation_fields_can_be_uncertain() -> None:
    with pytest.raises(ValueError, match="unknown valuation field"):
        ValuationParameter("A: holdings", "holdings", (0, 0), UncertainParameter.fixed("x", 2.0))


@pytest.mark.parametrize("width", [0.0, None])
def test_degenerate_estimates_give_exactly_0_or_1(width: float | None) -> None:
    s = load_scenario()
    ex = exchange_from_scenario(s)
    if width is None:  # no uncertain valuation at all
        model = ValuationModel(ex, ())
    else:  # zero-width ranges are fixed numbers
        model = valuation_model(s)
        model = replace(
            model,
            parameters=tuple(
                replace(p, parameter=UncertainParameter.fixed(p.name, p.parameter.point))
                for p in model.parameters
            ),
        )
    plans = [plan_from_scenario(s, p.id, ex) for p in s.plans]
    for r, plan in zip(analyze_plans(model, plans, samples=1500, seed=1), plans, strict=True):
        point = evaluate_plan(ex, plan).self_enforcing
        assert r.self_enforcing.estimate == (1.0 if point else 0.0)
        assert r.point_self_enforcing == point
        assert r.sensitivity == ()


def test_results_do_not_depend_on_chunking() -> None:
    model, plans = cairo()
    samples = 3 * BLOCK_SAMPLES + 100
    runs = [
        analyze_plans(model, plans, samples=samples, seed=5, chunk_samples=c)
        for c in (BLOCK_SAMPLES, 2 * BLOCK_SAMPLES, None)
    ]
    assert runs[0] == runs[1] == runs[2]
    matrices = [margin_matrix(model, p) for p in plans]
    whole = simulate_plans(model, matrices, 5, samples, 0, 4)
    parts = simulate_plans(model, matrices, 5, samples, 2, 2) + simulate_plans(
        model, matrices, 5, samples, 0, 2
    )
    assert whole.samples == parts.samples == samples
    for f in ("holds", "by_negotiator", "bin_counts", "bin_hits"):
        assert np.array_equal(getattr(whole, f), getattr(parts, f))


def test_the_embedded_valuations_are_ranges_around_unchanged_points(tmp_path: Path) -> None:
    s = load_scenario()
    israel = s.valuations["israel"]
    assert israel.items["hostages-living"].receive == Estimate.model_validate(
        {"value": 10, "range": [7, 14]}
    )
    ex = exchange_from_scenario(s)
    assert ex.receive[ex.negotiators.index("israel"), ex.items.index("hostages-living")] == 10
    assert ex.outside_base[ex.negotiators.index("hamas")] == -800
    assert len(valuation_model(s).parameters) > 10
    dump_scenario(s, tmp_path / "again.yaml")
    assert load_scenario(tmp_path / "again.yaml") == s


@settings(max_examples=25, deadline=None)
@given(
    widths=st.lists(
        st.floats(min_value=0.0, max_value=6.0, allow_nan=False), min_size=7, max_size=7
    ),
    discount_widths=st.tuples(
        st.floats(min_value=0.0, max_value=0.45), st.floats(min_value=0.0, max_value=0.09)
    ),
    perpetual=st.booleans(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_any_uniform_ranges_count_like_the_loop(
    widths: list[float], discount_widths: tuple[float, float], perpetual: bool, seed: int
) -> None:
    """Uniform ranges on any valuations and on the discount factors (A's 0.5, B's 0.9;
    below 1 when the final flows are perpetual), counted as the loop counts."""
    model, (plan,) = hand()
    plans = [replace(plan, final_perpetual=perpetual)]
    model = with_discounts(
        model,
        [
            UncertainParameter("x", "uniform", d, d - w, d + w) if w > 0 else None
            for d, w in zip((0.5, 0.9), discount_widths, strict=True)
        ],
    )
    widths = [*widths, *(w for w in discount_widths if w > 0)]
    params = tuple(
        replace(
            p,
            parameter=UncertainParameter(
                p.name, "uniform", p.parameter.point, p.parameter.point - w, p.parameter.point + w
            )
            if w > 0
            else UncertainParameter.fixed(p.name, p.parameter.point),
        )
        for p, w in zip(model.parameters, widths, strict=True)
    )
    model = replace(model, parameters=params)
    (r,) = analyze_plans(model, plans, samples=40, seed=seed)
    holds, by_neg = brute_force(model, plans, 40, seed)
    assert r.self_enforcing.count == holds[0]
    assert [r.by_negotiator[n].count for n in model.exchange.negotiators] == by_neg[0]


discount_laws = st.one_of(
    st.builds(
        lambda lo, w: UncertainParameter("x", "uniform", lo + w / 2, lo, lo + w),
        st.floats(0.05, 0.6),
        st.floats(0.01, 0.39),
    ),
    st.builds(
        lambda lo, w, m: UncertainParameter("x", "triangular", lo + m * w, lo, lo + w, lo + m * w),
        st.floats(0.05, 0.6),
        st.floats(0.01, 0.39),
        st.floats(0.0, 1.0),
    ),
    st.builds(
        lambda mean, sd: UncertainParameter("x", "normal", mean, 0.0, 0.99, mean, sd),
        st.floats(0.1, 0.95),
        st.floats(0.01, 0.5),
    ),
)


@settings(max_examples=30, deadline=None)
@given(
    laws=st.tuples(discount_laws, discount_laws),
    perpetual=st.booleans(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_sampled_margins_are_the_evaluators_for_any_discount_law(
    laws: tuple[UncertainParameter, UncertainParameter], perpetual: bool, seed: int
) -> None:
    """Every margin of every sample, with uniform, triangular or truncated-normal discount
    factors (a normal truncated to (0, 0.99]), equals evaluate_plan's for that sample."""
    model, (plan,) = hand()
    plan = replace(plan, final_perpetual=perpetual)
    model = with_discounts(model, list(laws))
    x, _ = sample_valuations(model, np.random.default_rng(seed), 60)
    got = sampled_margins(plan_timing(model.exchange, plan), sampled_fields(model, x))
    expected = np.stack([evaluate_plan(model.exchange_at(row), plan).margin for row in x])
    assert got.shape == expected.shape == (60, 2, 4)  # two stages, two ordered deliveries
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("build", [cairo, hand], ids=["cairo", "hand"])
def test_the_two_fast_paths_agree_when_discounts_are_fixed(build) -> None:  # type: ignore[no-untyped-def]
    """The margin matrix (linear in the values) and the per-sample timing path give the
    same margins for the same samples."""
    model, plans = build()
    x, _ = sample_valuations(model, np.random.default_rng(11), 200)
    fields = sampled_fields(model, x)
    for plan in plans:
        a, b = margin_matrix(model, plan)
        by_matrix = (x @ a.T + b).reshape(200, len(model.exchange.negotiators), -1)
        by_timing = sampled_margins(plan_timing(model.exchange, plan), fields)
        np.testing.assert_allclose(by_timing, by_matrix, rtol=1e-9, atol=1e-9)


def test_an_uncertain_discount_has_no_margin_matrix() -> None:
    model, plans = hand_discounted()
    with pytest.raises(ValueError, match="not linear in an uncertain discount"):
        margin_matrix(model, plans[0])


def test_an_uncertain_discount_alone_gives_the_share_of_its_range_where_the_plan_holds() -> None:
    """Only B's discount varies, uniform on [0.9, 0.99]: B values the perpetual truce at
    -0.1 a day, so a patient B walks away and an impatient one does not.  The known
    answer is the share of the range where evaluate_plan finds the plan self-enforcing,
    by quadrature on a fine grid (no sampling); the sampled estimate's interval holds it,
    and the index ranks the discount as the whole story."""
    model, plans = hand()
    fixed = tuple(
        replace(p, parameter=UncertainParameter.fixed(p.name, p.parameter.point))
        for p in model.parameters
    )
    model = with_discounts(
        replace(model, parameters=fixed),
        [None, UncertainParameter("x", "uniform", 0.95, 0.9, 0.99)],
    )
    grid = 0.9 + 0.09 * (np.arange(20_000) + 0.5) / 20_000
    ex = model.exchange
    holds = [
        evaluate_plan(replace(ex, discount=np.array([0.5, d])), plans[0]).self_enforcing
        for d in grid
    ]
    truth = float(np.mean(holds))
    assert 0.3 < truth < 0.9  # the plan is uncertain either way
    (r,) = analyze_plans(model, plans, samples=4000, seed=2, processes=1)
    assert r.self_enforcing.low <= truth <= r.self_enforcing.high
    assert r.by_negotiator["A"].count == 4000
    assert [e.estimate for e in r.sensitivity] == ["B: discount per day"]
    assert r.sensitivity[0].index > 0.8


@pytest.mark.parametrize("build", [cairo, cairo_discounted], ids=["fixed", "discounts"])
def test_results_do_not_depend_on_local_processes(build) -> None:  # type: ignore[no-untyped-def]
    model, plans = build()
    samples = 5 * BLOCK_SAMPLES + 17
    runs = [
        analyze_plans(model, plans, samples=samples, seed=9, processes=p, chunk_samples=c)
        for p, c in ((1, None), (2, BLOCK_SAMPLES), (2, None))
    ]
    assert runs[0] == runs[1] == runs[2]


def test_discount_estimates_are_read_from_the_scenario(tmp_path: Path) -> None:
    """A discount written as an estimate: the exchange holds its point, the model samples it
    within (0, 1], a normal without bounds truncated there."""
    s = load_scenario()
    data = s.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["valuations"]["israel"]["discount_per_day"] = {"value": 0.995, "range": [0.99, 0.998]}
    data["valuations"]["hamas"]["discount_per_day"] = {"dist": "normal", "mean": 0.99, "sd": 0.1}
    from accord.model import Scenario

    scenario = Scenario.model_validate(data)
    model = valuation_model(scenario)
    ex = model.exchange
    assert list(ex.discount) == [{"israel": 0.995, "hamas": 0.99}[n] for n in ex.negotiators]
    laws = {p.name: p.parameter for p in model.parameters if p.field == "discount"}
    assert laws["israel: discount per day"].low == 0.99
    normal = laws["hamas: discount per day"]
    assert (normal.distribution, normal.low, normal.high) == ("normal", 0.0, 1.0)
    x, _ = sample_valuations(model, np.random.default_rng(0), 5000)
    col = [p.name for p in model.parameters].index("hamas: discount per day")
    assert x[:, col].min() >= 0.0 and x[:, col].max() <= 1.0


class RecordingClient:
    """A stand-in for a dask.distributed.Client: runs each submitted chunk when gathered,
    in reverse order, after a pickle round trip (what a worker receives)."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int, int, int]] = []

    def scatter(self, data: object, broadcast: bool = False) -> object:
        import pickle

        assert broadcast
        return pickle.loads(pickle.dumps(data))

    def submit(self, func, *args, pure: bool = True):  # type: ignore[no-untyped-def]
        assert pure is False
        problem, seed, first, count, samples = args
        self.calls.append((seed, first, count, samples))
        return lambda: func(problem, seed, first, count, samples)

    def gather(self, futures):  # type: ignore[no-untyped-def]
        return [f() for f in reversed(futures)][::-1]


def test_a_client_gets_one_seeded_task_per_chunk() -> None:
    model, plans = cairo_discounted()
    samples = 3 * BLOCK_SAMPLES + 5
    client = RecordingClient()
    remote = analyze_plans(
        model, plans, samples=samples, seed=4, client=client, chunk_samples=BLOCK_SAMPLES
    )
    local = analyze_plans(model, plans, samples=samples, seed=4, processes=1)
    assert remote == local
    assert client.calls == [
        (4, 0, 1, samples),
        (4, 1, 1, samples),
        (4, 2, 1, samples),
        (4, 3, 1, samples),
    ]
