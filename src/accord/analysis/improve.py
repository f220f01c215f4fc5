"""Packages that leave every negotiator at least as well off as a given one.

This is the mediator's "post-settlement settlement" (Raiffa 1985, "Post-settlement
settlements", Negotiation Journal 1(1), 9-12) and the improvement step of the
single negotiating text (Fisher & Ury 1981, *Getting to Yes*, ch. 4; Raiffa 1982,
*The Art and Science of Negotiation*, ch. 14): start from the text on the table
and look for changes everyone accepts.  Improvements are ranked by how few issues
they change (smaller moves are easier to agree on), then by Nash product over the
reservation values (largest first), then by option indices.

The search changes k issues at a time, k = 1, 2, ...: for a set S of k issues it
enumerates only the packages that differ from P on exactly S (vectorised), after
skipping sets whose best possible change still leaves some negotiator worse off.
Levels are searched completely until ``limit`` improvements are found or the next
level would exceed ``budget`` candidate packages; then the Pareto-optimal
improvements (from the frontier) that change more issues are added, and the
result says the ranking beyond the searched level is no longer complete.

Dominance and the ranking are decided on the exact integer utilities of
:mod:`accord.space.exact` (Nash products as exact integer products: equal
products tie, and the option indices decide).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.agreement_space import DEFAULT_TOL, SpaceCore, prepare_space
from accord.analysis.counting import count_packages
from accord.analysis.dominance import dominators_mask
from accord.space.compiled import CompiledSpace
from accord.space.groups import cartesian

__all__ = ["Improvement", "ImprovementSearch", "OptionChange", "improve_package"]

_DECIMALS = 9


@dataclass(frozen=True)
class OptionChange:
    """One issue that an improvement changes."""

    issue: str
    before: str | float
    after: str | float


@dataclass(frozen=True)
class Improvement:
    """A package that Pareto-dominates the starting one."""

    package: dict[str, str | float]
    utility: dict[str, float]
    gain: dict[str, float]
    changes: tuple[OptionChange, ...]
    issues_changed: int
    nash_product: float
    in_zopa: bool
    pareto_optimal: bool


@dataclass(frozen=True)
class ImprovementSearch:
    """The improvements of one package.

    Attributes:
        start: the name of the starting package (a proposal id or solution name).
        package, utility: the starting package and its utilities.
        dominated_by: the number of feasible packages that dominate it (an
            estimate when ``exact`` is False; see ``interval``).
        pareto_optimal: True when nothing dominates it (no improvement exists).
        improvements: the best ones, ranked (fewest issues changed, then Nash product).
        searched_up_to: every package changing at most this many issues was examined.
        complete: whether the ranking of the listed improvements is exact; when
            False, improvements changing more than ``searched_up_to`` issues are
            Pareto-optimal ones taken from the frontier.
        warnings: as :attr:`accord.analysis.SpaceAnalysis.warnings`.
    """

    start: str
    package: dict[str, str | float]
    utility: dict[str, float]
    dominated_by: int
    exact: bool
    interval: tuple[int, int] | None
    pareto_optimal: bool
    improvements: tuple[Improvement, ...]
    searched_up_to: int
    complete: bool
    warnings: tuple[str, ...] = ()


def _level_size(sizes: list[int], k: int) -> int:
    return sum(
        int(np.prod([sizes[i] - 1 for i in subset], dtype=object))
        for subset in itertools.combinations(range(len(sizes)), k)
    )


def _search_level(core: SpaceCore, start: NDArray[np.intp], k: int) -> NDArray[np.intp]:
    """Feasible packages differing from ``start`` on exactly k issues that dominate it."""
    tables = core.tables
    n = len(tables)
    deltas = [t - t[start[i]] for i, t in enumerate(tables)]
    single = {i for i, dl in enumerate(deltas) if dl.shape[0] <= 1}
    # each issue's best possible change for every negotiator, over the options P does not use
    best_of = {
        i: np.max(np.delete(dl, start[i], axis=0), axis=0)
        for i, dl in enumerate(deltas)
        if i not in single
    }
    found: list[NDArray[np.intp]] = []
    for subset in itertools.combinations(range(n), k):
        if any(i in single for i in subset):
            continue  # an issue with one option cannot change
        if np.any(np.sum([best_of[i] for i in subset], axis=0) < 0):
            continue  # some negotiator loses whatever the changes on these issues
        alternatives = [np.delete(np.arange(tables[i].shape[0]), start[i]) for i in subset]
        combos = cartesian([a.size for a in alternatives])
        change = np.zeros((combos.shape[0], core.space.n_negotiators), dtype=np.int64)
        for c, i in enumerate(subset):
            change += deltas[i][alternatives[c][combos[:, c]]]
        hit = np.all(change >= 0, axis=1) & np.any(change > 0, axis=1)
        if not np.any(hit):
            continue
        packages = np.repeat(start[None, :], int(np.count_nonzero(hit)), axis=0)
        for c, i in enumerate(subset):
            packages[:, i] = alternatives[c][combos[hit, c]]
        found.append(packages[core.space.is_feasible(packages)])
    if not found:
        return np.zeros((0, n), dtype=np.intp)
    return np.concatenate(found)


def _ranked(
    candidates: NDArray[np.intp],
    changed: NDArray[np.intp],
    gains: NDArray[np.int64],
    nash: NDArray[np.float64],
    limit: int,
) -> list[int]:
    """The first ``limit`` rows by (issues changed, Nash product descending, option indices).

    ``nash`` (floats) orders every row; the rows that could tie with the cut or
    with each other are then ranked by the exact integer product of ``gains``
    (each negotiator's scale is a common factor of every product, so integers
    rank as the utilities do).
    """
    if candidates.shape[0] == 0 or limit <= 0:
        return []
    keys = [candidates[:, i] for i in range(candidates.shape[1] - 1, -1, -1)]
    order = np.lexsort((*keys, -nash, changed))
    last = order[min(limit, order.size) - 1]
    near = nash >= nash[last] * (1 - 1e-9) - 1e-300
    pool = np.flatnonzero((changed < changed[last]) | ((changed == changed[last]) & near))

    def key(k: int) -> tuple[int, int, tuple[int, ...]]:
        product = 1
        for g in gains[k].tolist():
            product *= g
        return int(changed[k]), -product, tuple(candidates[k].tolist())

    return sorted((int(k) for k in pool), key=key)[:limit]


def _candidates(
    core: SpaceCore, start: NDArray[np.intp], total: int, limit: int, budget: int
) -> tuple[NDArray[np.intp], int, bool]:
    """Dominating packages found level by level (k = 1, 2, ... issues changed), then, if the
    budget stopped the search, the frontier's dominators that change more issues.

    Returns (candidates, the last level searched completely, whether the search is complete).
    """
    sizes = [t.shape[0] for t in core.tables]
    found: list[NDArray[np.intp]] = []
    n_found = searched = 0
    complete = True
    for k in range(1, len(sizes) + 1):
        if _level_size(sizes, k) > budget:
            complete = False
            break
        level = _search_level(core, start, k)
        found.append(level)
        n_found += level.shape[0]
        searched = k
        if n_found >= limit or n_found >= total:
            break
    candidates = np.concatenate(found) if found else np.zeros((0, len(sizes)), dtype=np.intp)
    if not complete:
        extra = core.frontier.packages[
            dominators_mask(core.frontier.utility, core.utility_units(start)[0])
        ]
        changed = np.count_nonzero(extra != start, axis=1)
        candidates = np.concatenate([candidates, extra[changed > searched]])
    return candidates, searched, complete


def _improvements(
    core: SpaceCore, start: NDArray[np.intp], candidates: NDArray[np.intp], limit: int
) -> tuple[Improvement, ...]:
    """The best ``limit`` candidates, ranked (see :func:`_ranked`), as results."""
    space = core.space
    utility = core.utility_units(candidates)
    changed = np.count_nonzero(candidates != start, axis=1)
    gains = np.maximum(utility - core.reservation, 0)
    nash = np.prod(core.units.to_float(gains), axis=1)
    start_values = core.float_utility(start[None, :])[0]
    out = []
    for k in _ranked(candidates, changed, gains, nash, limit):
        row, u = candidates[k], utility[k]
        values = core.float_utility(row[None, :])[0]
        out.append(
            Improvement(
                package=space.package_dict(row),
                utility=core.utility_dict(values),
                gain=core.utility_dict(values - start_values),
                changes=tuple(
                    OptionChange(issue.id, issue.value_of(int(a)), issue.value_of(int(b)))
                    for issue, a, b in zip(space.issues, start, row, strict=True)
                    if a != b
                ),
                issues_changed=int(changed[k]),
                nash_product=round(float(nash[k]), _DECIMALS),
                in_zopa=bool(np.all(u >= core.threshold)),
                pareto_optimal=not bool(np.any(dominators_mask(core.frontier.utility, u))),
            )
        )
    return tuple(out)


def improve_package(
    space: CompiledSpace,
    package: tuple[int, ...],
    *,
    label: str = "P",
    limit: int = 10,
    budget: int = 5_000_000,
    tol: float = DEFAULT_TOL,
    exact_limit: int = 10**9,
    seed: int | None = 0,
    core: SpaceCore | None = None,
) -> ImprovementSearch:
    """The packages that Pareto-dominate ``package``, best first (see the module docstring)."""
    core = core or prepare_space(space, tol=tol)
    start = np.asarray(package, dtype=np.intp)
    u0 = core.utility_units(start)[0]
    (ge,), (eq,) = count_packages(
        core.groups,
        space.n_negotiators,
        at_least=u0[None, :],
        equal=u0[None, :],
        exact_limit=exact_limit,
        seed=seed,
    )
    total = ge.value - eq.value
    interval = None
    if not ge.exact:
        interval = (
            max(0, ge.interval[0] - eq.interval[1]),  # type: ignore[index]
            ge.interval[1] - eq.interval[0],  # type: ignore[index]
        )
    optimal = not bool(np.any(dominators_mask(core.frontier.utility, u0)))
    candidates, searched, complete = np.zeros((0, len(space.issues)), dtype=np.intp), 0, True
    if optimal:
        total, interval = 0, (None if ge.exact else (0, 0))
    else:
        total = max(total, 1)
        candidates, searched, complete = _candidates(core, start, total, limit, budget)
    return ImprovementSearch(
        start=label,
        package=space.package_dict(start),
        utility=core.utility_dict(core.float_utility(start[None, :])[0]),
        dominated_by=int(total),
        exact=ge.exact,
        interval=interval,
        pareto_optimal=optimal,
        improvements=_improvements(core, start, candidates, limit),
        searched_up_to=searched,
        complete=complete,
        warnings=core.units.warnings,
    )
