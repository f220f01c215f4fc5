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


def brute(space: CompiledSpace) -> Brute:
    utility = {p: exact_utility(space, p) for p in packages(space)}
    frontier = [p for p, u in utility.items() if not any(dominates(v, u) for v in utility.values())]
    r = reservation(space)
    zopa = [p for p, u in utility.items() if in_zopa(u, r)]
    return Brute(utility, frontier, zopa)


def gains(u: Vector, r: Vector) -> Vector:
    return tuple(max(x - y, Fraction(0)) for x, y in zip(u, r, strict=True))


def _product(v: Vector) -> Fraction:
    out = Fraction(1)
    for x in v:
        out *= x
    return out


def solution(space: CompiledSpace, name: str) -> tuple[Package, int] | None:
    """The solution over the ZOPA, from its definition: (chosen package, number of ties)."""
    b = brute(space)
    r = reservation(space)
    if not b.zopa:
        return None
    g = {p: gains(b.utility[p], r) for p in b.zopa}
    if name == "nash":
        score = {p: _product(g[p]) for p in b.zopa}
    elif name == "egalitarian":
        score = {p: min(g[p]) for p in b.zopa}
    elif name == "utilitarian":
        score = {p: sum(b.utility[p], Fraction(0)) for p in b.zopa}
    elif name == "kalai_smorodinsky":
        ideal = [max(g[p][j] for p in b.zopa) for j in range(space.n_negotiators)]
        active = [j for j in range(space.n_negotiators) if ideal[j] > 0]
        score = {
            p: (min(g[p][j] / ideal[j] for j in active) if active else Fraction(0)) for p in b.zopa
        }
    else:
        raise ValueError(name)
    best = max(score.values())
    maximisers = [p for p in b.zopa if score[p] == best]
    optimal = [p for p in maximisers if p in b.frontier]
    return min(optimal), len(optimal)
