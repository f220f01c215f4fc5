"""The feasible packages a figure of the agreement space draws.

Drawing every package of a large space would make the page huge and tell the reader
nothing more than a uniform sample does, so a space of more than ``max_packages``
packages is drawn as a seeded uniform sample of its feasible packages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.space import CompiledSpace

__all__ = ["PackageCloud", "feasible_cloud", "package_cloud"]


@dataclass(frozen=True)
class PackageCloud:
    """Feasible packages to draw and their utilities.

    Attributes:
        packages: (m, issues) option indices.
        utility: (m, negotiators) each negotiator's utility for each package.
        sampled: whether ``packages`` is a uniform sample (drawn with ``seed``) rather than
            every feasible package.
        seed: the seed of the sample.
    """

    packages: NDArray[np.intp]
    utility: NDArray[np.float64]
    sampled: bool
    seed: int


def feasible_cloud(
    space: CompiledSpace,
    *,
    max_packages: int = 250_000,
    sample: int = 20_000,
    seed: int = 0,
) -> tuple[NDArray[np.intp], bool]:
    """The feasible packages to draw: all of them when the space has at most ``max_packages``
    packages, else a uniform random sample of ``sample`` packages (with ``seed``) kept if
    feasible.  Returns the (m, n_issues) option indices and whether they are a sample."""
    shape = space.shape
    if space.n_packages_unconstrained <= max_packages:
        packages = np.indices(shape, dtype=np.intp).reshape(len(shape), -1).T
        sampled = False
    else:
        rng = np.random.default_rng(seed)
        packages = np.column_stack([rng.integers(0, s, size=sample) for s in shape]).astype(np.intp)
        sampled = True
    return packages[space.is_feasible(packages)], sampled


def package_cloud(space: CompiledSpace, *, seed: int = 0) -> PackageCloud:
    """:func:`feasible_cloud` with each package's utilities."""
    packages, sampled = feasible_cloud(space, seed=seed)
    utility = space.utility(packages) if packages.size else np.zeros((0, space.n_negotiators))
    return PackageCloud(packages, utility, sampled, seed)
