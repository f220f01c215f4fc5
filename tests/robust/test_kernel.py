"""The vectorised per-sample kernel against a brute-force reference from the definitions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.robust.engine import indicator_matrix
from accord.robust.kernel import evaluate_profiles

from .helpers import all_packages, feature_lists
from .reference import analyze_sample


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    """Profiles on a grid of eighths: exact ties happen, near-ties within tol cannot."""
    n = draw(st.integers(2, 3))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    samples = draw(st.integers(1, 40))
    features = sum(sizes)
    grid = st.integers(0, 8)
    theta = (
        np.array(
            draw(st.lists(grid, min_size=n * samples * features, max_size=n * samples * features))
        ).reshape(n, samples, features)
        / 8
        / len(sizes)
    )
    reservation = (
        np.array(draw(st.lists(grid, min_size=samples * n, max_size=samples * n))).reshape(
            samples, n
        )
        / 8
    )
    packages = all_packages(sizes)
    # constraints: drop some packages (never all)
    keep = draw(st.lists(st.booleans(), min_size=len(packages), max_size=len(packages)))
    feasible = [p for p, k in zip(packages, keep, strict=True) if k] or packages[:1]
    proposals = draw(st.lists(st.sampled_from(packages), min_size=1, max_size=3))
    return {
        "theta": theta,
        "reservation": reservation,
        "sizes": sizes,
        "packages": feasible,
        "proposals": proposals,
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=60, deadline=None)
@given(case=cases(), tile=st.none() | st.integers(1, 7))
def test_kernel_matches_the_brute_force_reference(
    case: dict[str, object], tile: int | None, dtype: type[np.floating]
) -> None:
    theta = case["theta"]
    reservation = case["reservation"]
    sizes = case["sizes"]
    packages = np.array(case["packages"], dtype=np.intp)
    proposals = np.array(case["proposals"], dtype=np.intp)
    assert isinstance(theta, np.ndarray) and isinstance(reservation, np.ndarray)
    assert isinstance(sizes, list)
    out = evaluate_profiles(
        theta,
        reservation,
        indicator_matrix(sizes, packages),
        indicator_matrix(sizes, proposals),
        dtype=dtype,
        tile=tile,
    )
    pk = feature_lists(sizes, packages.tolist())
    pr = feature_lists(sizes, proposals.tolist())
    for s in range(theta.shape[1]):
        ref = analyze_sample(theta[:, s].tolist(), reservation[s].tolist(), pk, pr, 1e-5)
        assert out.in_zopa[s].tolist() == ref["in_zopa"]
        assert out.pareto_optimal[s].tolist() == ref["pareto_optimal"]
        assert out.winners[s].tolist() == ref["winners"]
        assert bool(out.empty_zopa[s]) == (ref["zopa_size"] == 0)
        assert out.prefers[:, s].tolist() == ref["prefers"]


def test_known_two_party_case() -> None:
    """Two issues with two options each, opposed preferences, reservation 0.3 each.

    Utilities (party 0, party 1) of packages 00, 01, 10, 11 are (1, 0), (.5, .5),
    (.5, .5), (0, 1): the ZOPA is {01, 10}; every solution is 01 (the tie with 10
    goes to the lower index); proposal 00 is Pareto-optimal but outside the ZOPA.
    """
    theta = np.array([[[0.5, 0.0, 0.5, 0.0]], [[0.0, 0.5, 0.0, 0.5]]])
    sizes = [2, 2]
    packages = np.array(all_packages(sizes), dtype=np.intp)
    out = evaluate_profiles(
        theta,
        np.array([[0.3, 0.3]]),
        indicator_matrix(sizes, packages),
        indicator_matrix(sizes, packages[[0, 1]]),
    )
    assert out.winners.tolist() == [[1, 1, 1, 1]]
    assert out.in_zopa.tolist() == [[False, True]]
    assert out.pareto_optimal.tolist() == [[True, True]]
    assert not out.empty_zopa[0]
    # party 0 prefers 00 to 01, party 1 the reverse
    assert out.prefers[:, 0].tolist() == [
        [[False, True], [False, False]],
        [[False, False], [True, False]],
    ]


def test_empty_zopa_gives_no_solution() -> None:
    theta = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])
    sizes = [2]
    packages = np.array(all_packages(sizes), dtype=np.intp)
    out = evaluate_profiles(
        theta,
        np.array([[0.6, 0.6]]),
        indicator_matrix(sizes, packages),
        indicator_matrix(sizes, packages),
    )
    assert out.empty_zopa.tolist() == [True]
    assert out.winners.tolist() == [[-1, -1, -1, -1]]
    assert out.in_zopa.tolist() == [[False, False]]


def _random_grid_case(rng: np.random.Generator) -> dict[str, object]:
    """Like :func:`cases`, from a seeded generator: values on a grid of eighths."""
    n = int(rng.integers(2, 4))
    sizes = [int(s) for s in rng.integers(1, 5, size=int(rng.integers(1, 4)))]
    samples = int(rng.integers(1, 41))
    theta = rng.integers(0, 9, size=(n, samples, sum(sizes))) / 8 / len(sizes)
    reservation = rng.integers(0, 9, size=(samples, n)) / 8
    packages = all_packages(sizes)
    keep = rng.random(len(packages)) < 0.7
    feasible = [p for p, k in zip(packages, keep, strict=True) if k] or packages[:1]
    picks = rng.integers(0, len(packages), size=int(rng.integers(1, 4)))
    return {
        "theta": theta,
        "reservation": reservation,
        "sizes": sizes,
        "packages": feasible,
        "proposals": [packages[i] for i in picks],
    }


def test_kernel_matches_the_reference_on_the_hard_cases() -> None:
    """300 seeded cases against the reference, with a check that they reach the cases
    where a fast path could go wrong: empty ZOPAs, ties within tol (the lowest index among
    the Pareto-optimal maximisers wins, also when a dominated maximiser comes first),
    Kalai-Smorodinsky parties indifferent across the ZOPA, dominated and undominated
    proposals, 2 and 3 negotiators, and tiles that do not divide the samples."""
    rng = np.random.default_rng(20261123)
    seen = dict.fromkeys(
        [
            "empty",
            "zopa",
            "tie",
            "dominated_first",
            "ks_inactive",
            "dominated",
            "pareto",
            "n2",
            "n3",
            "ragged",
        ],
        0,
    )
    for case_number in range(300):
        case = _random_grid_case(rng)
        theta = case["theta"]
        reservation = case["reservation"]
        sizes = case["sizes"]
        assert isinstance(theta, np.ndarray) and isinstance(reservation, np.ndarray)
        assert isinstance(sizes, list)
        packages = np.array(case["packages"], dtype=np.intp)
        proposals = np.array(case["proposals"], dtype=np.intp)
        tile = None if case_number % 5 == 0 else int(rng.integers(1, 8))
        dtype = np.float32 if case_number % 2 else np.float64
        out = evaluate_profiles(
            theta,
            reservation,
            indicator_matrix(sizes, packages),
            indicator_matrix(sizes, proposals),
            dtype=dtype,
            tile=tile,
        )
        pk = feature_lists(sizes, packages.tolist())
        pr = feature_lists(sizes, proposals.tolist())
        n, samples = theta.shape[:2]
        seen[f"n{n}"] += 1
        seen["ragged"] += tile is not None and samples > tile and samples % tile != 0
        for s in range(samples):
            ref = analyze_sample(theta[:, s].tolist(), reservation[s].tolist(), pk, pr, 1e-5)
            assert out.in_zopa[s].tolist() == ref["in_zopa"]
            assert out.pareto_optimal[s].tolist() == ref["pareto_optimal"]
            assert out.winners[s].tolist() == ref["winners"]
            assert bool(out.empty_zopa[s]) == (ref["zopa_size"] == 0)
            assert out.prefers[:, s].tolist() == ref["prefers"]
            pareto = [bool(p) for p in ref["pareto_optimal"]]  # type: ignore[attr-defined]
            ties = [int(t) for t in ref["ties"]]  # type: ignore[attr-defined]
            nonempty = bool(ref["zopa_size"])
            seen["empty" if not nonempty else "zopa"] += 1
            seen["tie"] += any(t > 1 for t in ties)
            seen["dominated_first"] += int(ref["dominated_first"])  # type: ignore[call-overload]
            seen["ks_inactive"] += nonempty and bool(ref["ks_inactive"])
            seen["pareto"] += sum(pareto)
            seen["dominated"] += len(pareto) - sum(pareto)
    assert all(count >= 20 for count in seen.values()), seen
