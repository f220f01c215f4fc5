"""Small negotiation spaces and parameter models built directly as arrays, for tests."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from accord.robust.parameters import NegotiatorUncertainty, PreferenceModel, UncertainParameter
from accord.space import CompiledIssue, CompiledSpace


def space_from_theta(
    theta: np.ndarray,
    sizes: Sequence[int],
    reservation: Sequence[float],
    proposals: Sequence[Sequence[int]] = (),
) -> CompiledSpace:
    """A compiled space whose contributions are the given (negotiators, features) theta."""
    n = theta.shape[0]
    issues = tuple(
        CompiledIssue(f"i{k}", f"issue {k}", tuple(f"o{o}" for o in range(s)))
        for k, s in enumerate(sizes)
    )
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    contributions = tuple(
        np.ascontiguousarray(theta[:, o : o + s].T) for o, s in zip(offsets, sizes, strict=True)
    )
    return CompiledSpace(
        negotiators=tuple(f"p{j}" for j in range(n)),
        issues=issues,
        contributions=contributions,
        reservation=np.asarray(reservation, dtype=float),
        proposals=tuple((f"q{k}", tuple(p)) for k, p in enumerate(proposals)),
    )


def fixed_model(
    weights: np.ndarray, values: Sequence[Sequence[np.ndarray]], reservation: Sequence[float]
) -> PreferenceModel:
    """A model with every parameter fixed: weights (n, issues), values[j][i] (options,)."""
    parties = []
    for j in range(weights.shape[0]):
        parties.append(
            NegotiatorUncertainty(
                party=f"p{j}",
                weights=tuple(
                    UncertainParameter.fixed(f"p{j}.w{i}", float(w))
                    for i, w in enumerate(weights[j])
                ),
                values=tuple(
                    tuple(
                        UncertainParameter.fixed(f"p{j}.v{i}.{o}", float(v))
                        for o, v in enumerate(vals)
                    )
                    for i, vals in enumerate(values[j])
                ),
                value_maps=tuple(np.eye(len(v)) for v in values[j]),
                reservation=UncertainParameter.fixed(f"p{j}.r", float(reservation[j])),
            )
        )
    return PreferenceModel(tuple(parties))


def all_packages(sizes: Sequence[int]) -> list[tuple[int, ...]]:
    return list(itertools.product(*(range(s) for s in sizes)))


def feature_lists(sizes: Sequence[int], packages: Sequence[Sequence[int]]) -> list[list[int]]:
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    return [[int(offsets[i] + o) for i, o in enumerate(p)] for p in packages]
