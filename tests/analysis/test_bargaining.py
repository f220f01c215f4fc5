"""Bargaining solutions: pinned cases.

The definitions, the invariances and the agreement with the brute-force reference are
the contract every registered concept gets in ``test_solution_contract.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.bargaining import (
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)


def test_egalitarian_returns_only_pareto_optimal_maximisers() -> None:
    # (1, 5) and (1, 3) both have the smallest gain 1; (1, 3) is dominated and is not returned.
    u = np.array([[1, 5], [1, 3], [0, 9]])
    assert egalitarian(u, np.array([0, 0])).tolist() == [0]


def test_degenerate_nash_product_keeps_pareto_optimal_ties() -> None:
    # Every product is zero (party 0 cannot gain): all Pareto-optimal candidates tie.
    u = np.array([[2, 5], [2, 3], [2, 9]])
    assert nash_bargaining(u, np.array([2, 0])).tolist() == [2]
    assert kalai_smorodinsky(u, np.array([2, 0])).tolist() == [2]


def test_float_inputs_are_decided_exactly() -> None:
    u = np.array([[0.5, 0.25], [0.25, 0.5], [0.375, 0.375]])
    assert nash_bargaining(u, np.zeros(2)).tolist() == [2]
    assert sorted(utilitarian(u, np.zeros(2)).tolist()) == [0, 1, 2]


def test_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError):
        nash_bargaining(np.zeros((3, 2)), np.zeros(3))


def test_egalitarian_and_utilitarian_compare_across_scales_exactly() -> None:
    # a's integers are thirds, b's halves: gains (2/3, 1/2) against (1/3, 1): the smallest
    # gains are 1/2 and 1/3, the sums 7/6 and 4/3.
    u = np.array([[2, 1], [1, 2]])
    assert egalitarian(u, np.zeros(2, dtype=np.int64), scale=(3, 2)).tolist() == [0]
    assert utilitarian(u, np.zeros(2, dtype=np.int64), scale=(3, 2)).tolist() == [1]
    # scales too large for one common integer scale: decided in rational arithmetic
    big = (2**61 - 1, 2**59 - 1)
    u = np.array([[2**60, 2**58], [2**59, 2**58 + 1]], dtype=np.int64)
    assert egalitarian(u, np.zeros(2, dtype=np.int64), scale=big).tolist() == [0]
    assert utilitarian(u, np.zeros(2, dtype=np.int64), scale=big).tolist() == [0]
