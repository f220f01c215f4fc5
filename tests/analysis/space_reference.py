"""Brute-force references written straight from the definitions (slow, exact, tiny spaces only).

Utilities are exact rationals (``Fraction`` of the stored floats), every package
is enumerated, dominance is checked pairwise: nothing here shares code with the
fast paths under test.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from accord.space.compiled import CompiledSpace

Vector = tuple[Fraction, ...]
Package = tuple[int, ...]


def exact_utility(space: CompiledSpace, package: Package) -> Vector:
    n = space.n_negotiators
    return tuple(
        sum(
            (Fraction(float(t[k, j])) for t, k in zip(space.contributions, package, strict=True)),
            Fraction(0),
        )
        for j in range(n)
    )


def units_of(space: CompiledSpace, vector: Vector) -> list[int]:
    """An exact utility vector in the space's integer units (it must be representable)."""
    out = []
    for x, scale in zip(vector, space.units.scale, strict=True):
        scaled = x * scale
        assert scaled.denominator == 1, f"{x} is not a whole number of 1/{scale}"
        out.append(int(scaled))
    return out


def feasible(space: CompiledSpace, package: Package) -> bool:
    for rule in space.forbidden:
        if all(package[i] in allowed for i, allowed in rule.options):
            return False
    return True


def packages(space: CompiledSpace) -> list[Package]:
    """Every feasible package, in lexicographic order."""
    return [
        p for p in itertools.product(*(range(i.size) for i in space.issues)) if feasible(space, p)
    ]


def dominates(a: Vector, b: Vector) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and any(
        x > y for x, y in zip(a, b, strict=True)
    )


def reservation(space: CompiledSpace) -> Vector:
    return tuple(Fraction(float(r)) for r in space.reservation)


def in_zopa(u: Vector, r: Vector) -> bool:
    return all(x >= y for x, y in zip(u, r, strict=True))


@dataclass
class Brute:
    utility: dict[Package, Vector]
    frontier: list[Package]
    zopa: list[Package]


def brute_from(utility: dict[Package, Vector], r: Vector, tol: Fraction = Fraction(0)) -> Brute:
    """Frontier (pairwise) and ZOPA (every utility >= reservation - tol) of exact utilities."""
    frontier = [p for p, u in utility.items() if not any(dominates(v, u) for v in utility.values())]
    zopa = [p for p, u in utility.items() if in_zopa(u, tuple(x - tol for x in r))]
    return Brute(utility, frontier, zopa)


def brute(space: CompiledSpace) -> Brute:
    return brute_from({p: exact_utility(space, p) for p in packages(space)}, reservation(space))


def gains(u: Vector, r: Vector) -> Vector:
    return tuple(max(x - y, Fraction(0)) for x, y in zip(u, r, strict=True))


def _product(v: Vector) -> Fraction:
    out = Fraction(1)
    for x in v:
        out *= x
    return out


def criterion(name: str, utility: list[Vector], r: Vector) -> list[Fraction]:
    """Each candidate's score under the named concept, from its definition.

    Kalai-Smorodinsky's ideal point is each party's best gain over the candidates.
    """
    g = [gains(u, r) for u in utility]
    if name == "nash":
        return [_product(x) for x in g]
    if name == "egalitarian":
        return [min(x, default=Fraction(0)) for x in g]
    if name == "utilitarian":
        return [sum(u, Fraction(0)) for u in utility]
    if name == "kalai_smorodinsky":
        ideal = [max((x[j] for x in g), default=Fraction(0)) for j in range(len(r))]
        active = [j for j in range(len(r)) if ideal[j] > 0]
        return [min((x[j] / ideal[j] for j in active), default=Fraction(0)) for x in g]
    raise ValueError(name)


def _scores(b: Brute, r: Vector, name: str) -> dict[Package, Fraction]:
    """Each ZOPA package's score under the named concept."""
    return dict(zip(b.zopa, criterion(name, [b.utility[p] for p in b.zopa], r), strict=True))


REFERENCE_CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
"""The concepts this reference defines (a registered concept must be one of them)."""


def solution_from(b: Brute, r: Vector, name: str) -> tuple[Package, int] | None:
    """(chosen package, number of ties): the Pareto-optimal maximisers in the ZOPA, the
    lexicographically smallest first."""
    if not b.zopa:
        return None
    score = _scores(b, r, name)
    best = max(score.values())
    optimal = [p for p in b.zopa if score[p] == best and p in b.frontier]
    return min(optimal), len(optimal)


def solution(space: CompiledSpace, name: str) -> tuple[Package, int] | None:
    """The solution over the ZOPA, from its definition: (chosen package, number of ties)."""
    return solution_from(brute(space), reservation(space), name)
