"""Exact streamed counts against enumeration; sampled counts and their Wilson interval."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from space_reference import brute, units_of
from space_strategies import small_spaces

from accord.analysis import counting
from accord.analysis.counting import count_packages, feasible_count, wilson_interval
from accord.space.compiled import CompiledSpace
from accord.space.groups import independent_groups


def brute_counts(space: CompiledSpace, at_least: np.ndarray, equal: np.ndarray):
    ref = brute(space)
    units = {p: np.array(units_of(space, u)) for p, u in ref.utility.items()}
    ge = [sum(bool(np.all(u >= t)) for u in units.values()) for t in at_least]
    eq = [sum(bool(np.all(u == t)) for u in units.values()) for t in equal]
    return len(ref.utility), ge, eq


@st.composite
def space_and_thresholds(draw: st.DrawFn):
    space = draw(small_spaces())
    d = space.n_negotiators
    k = draw(st.integers(1, 4))
    # thresholds in the space's own units, up to 1.5 in utility
    top = [3 * s // 2 for s in space.units.scale]
    rows = [[draw(st.integers(0, top[j])) for j in range(d)] for _ in range(k)]
    return space, np.array(rows, dtype=np.int64).reshape(k, d)


@settings(max_examples=80, deadline=None)
@given(space_and_thresholds(), st.sampled_from([1, 2]))
def test_exact_counts_match_enumeration(case, workers: int) -> None:
    space, thresholds = case
    groups = independent_groups(space)
    ge, eq = count_packages(
        groups, space.n_negotiators, at_least=thresholds, equal=thresholds, workers=workers
    )
    total, ref_ge, ref_eq = brute_counts(space, thresholds, thresholds)
    assert feasible_count(groups) == total
    assert [c.value for c in ge] == ref_ge
    assert [c.value for c in eq] == ref_eq
    assert all(c.exact and c.interval is None for c in ge + eq)


@settings(max_examples=30, deadline=None)
@given(space_and_thresholds())
def test_streaming_with_tiny_blocks_matches(case) -> None:
    # Force many outer chunks and a tiny inner table: the chunk arithmetic must still be exact.
    space, thresholds = case
    groups = independent_groups(space)
    old = counting._INNER_MAX, counting._BLOCK
    counting._INNER_MAX, counting._BLOCK = 3, 4
    try:
        ge, eq = count_packages(groups, space.n_negotiators, at_least=thresholds, equal=thresholds)
    finally:
        counting._INNER_MAX, counting._BLOCK = old
    _, ref_ge, ref_eq = brute_counts(space, thresholds, thresholds)
    assert [c.value for c in ge] == ref_ge
    assert [c.value for c in eq] == ref_eq


@settings(max_examples=25, deadline=None)
@given(space_and_thresholds(), st.integers(0, 2**32 - 1))
def test_sampled_counts_cover_the_truth(case, seed: int) -> None:
    space, thresholds = case
    groups = independent_groups(space)
    ge, _ = count_packages(
        groups,
        space.n_negotiators,
        at_least=thresholds,
        exact_limit=0,
        samples=20_000,
        confidence=0.999999,
        seed=seed,
    )
    total, ref_ge, _ = brute_counts(space, thresholds, thresholds[:0])
    for count, truth in zip(ge, ref_ge, strict=True):
        if total == 0:
            assert count.exact and count.value == 0
            continue
        assert not count.exact and count.samples == 20_000
        lo, hi = count.interval
        assert lo <= truth <= hi


def test_sampling_is_reproducible_with_a_seed() -> None:
    from space_strategies import worked_example

    space = worked_example()
    groups = independent_groups(space)
    t = space.units.reservation[None, :]
    a, _ = count_packages(groups, 2, at_least=t, exact_limit=0, samples=5000, seed=11)
    b, _ = count_packages(groups, 2, at_least=t, exact_limit=0, samples=5000, seed=11)
    assert a == b


def test_wilson_interval_known_values() -> None:
    # Brown, Cai & DasGupta (2001), Statistical Science 16(2): the Wilson interval.
    # 0 of 10 at 95%: upper bound z^2 / (n + z^2) = 0.2775; 5 of 10: (0.2366, 0.7634).
    lo, hi = wilson_interval(0, 10, 0.95)
    assert lo == 0.0 and hi == pytest.approx(0.27753, abs=1e-5)
    lo, hi = wilson_interval(5, 10, 0.95)
    assert (lo, hi) == (pytest.approx(0.23659, abs=1e-5), pytest.approx(0.76341, abs=1e-5))
