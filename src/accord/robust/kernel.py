"""The per-sample analysis of a batch of preference profiles, vectorised.

For a batch of ``S`` sampled profiles and ``K`` feasible packages the utilities
of every package under every profile are one matrix product per negotiator,
``theta (S, F) @ X (F, K)``, where ``X`` holds each package's one-hot option
indicators.  The product runs in BLAS on tiles of samples small enough for the
tile's (S_t, K) arrays to stay in cache, so memory is bounded whatever ``S``.

On each tile, with gains ``g_j = u_j - r_j`` over the reservation values:

* a package is in the zone of possible agreement (ZOPA) when ``min_j g_j >= 0``;
* the four bargaining solutions are chosen among the ZOPA's packages:
  Nash (1950, "The bargaining problem", *Econometrica* 18) maximises
  ``prod_j g_j``; Kalai and Smorodinsky (1975, "Other solutions to Nash's
  bargaining problem", *Econometrica* 43) maximise ``min_j g_j / G_j`` where
  ``G_j`` is party ``j``'s best gain within the ZOPA (parties with ``G_j <= tol``
  are indifferent across the ZOPA and left out; if all are, every ZOPA package
  ties); egalitarian (Kalai 1977,
  *Econometrica* 45) maximises ``min_j g_j``; utilitarian maximises
  ``sum_j u_j``.  The concepts, their order and their definition are those of
  the registry :mod:`accord.analysis.solutions`, the one ``accord analyze``
  uses: among the maximisers (objective within ``tol`` of the best), the
  Pareto-optimal ones (no other maximiser better by more than ``tol`` for one
  negotiator and worse by no more than ``tol`` for any), and of those the lowest
  package index, which is the lexicographically smallest option indices since
  packages come in lexicographic order.  A dominator of an exact maximiser is
  itself a maximiser, so on exact utilities this is exactly the Pareto-optimal
  maximisers over the whole ZOPA; if the tolerance ever leaves every maximiser
  dominated (a cycle of near-ties, possible with three or more negotiators), the
  lowest-index maximiser is chosen;
* a proposal is Pareto-optimal when no feasible package dominates it: is at
  least as good for every negotiator and better for one (Pareto 1906,
  *Manuale di economia politica*; the definition used throughout accord);
* each negotiator's strict preference between each ordered pair of proposals.

Every comparison uses the tolerance ``tol``: ``a >= b`` means ``a >= b - tol``
and ``a > b`` means ``a > b + tol``.  The utilities are computed in float32 by
default: the profiles are estimates whose uncertainty is of order 1e-2, float32
resolves utilities in [0, 1] to about 1e-7 (sums of a few terms to about 1e-6),
and it halves memory traffic and doubles BLAS throughput over float64.  The
default tolerance 1e-5 absorbs float32 rounding, so results do not depend on
how BLAS orders the sums.  On the point estimates the winners therefore equal
the exact solutions of :func:`accord.analysis.analyze_space` whenever distinct
utilities and objective values are more than ``tol`` apart (the ZOPA tolerance
differs too: ``tol`` here, 1e-9 there), which
``tests/robust/test_kernel_solutions.py`` checks on random scenarios with many ties.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.solutions import SOLUTION_NAMES

__all__ = [
    "CONCEPTS",
    "DEFAULT_TOL",
    "Outcomes",
    "evaluate_profiles",
    "gain_coefficients",
    "package_gains",
    "tile_rows",
]

CONCEPTS = SOLUTION_NAMES
"""The solution concepts, in the registry's order: the columns of :attr:`Outcomes.winners`."""
_IMPLEMENTED = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
if sorted(CONCEPTS) != sorted(_IMPLEMENTED):  # a concept registered without a vectorised form
    raise RuntimeError(
        f"the robustness kernel implements {_IMPLEMENTED}, the registry lists {CONCEPTS}: "
        "add the new concept's per-sample form to accord.robust.kernel"
    )
_NASH, _KS, _EGALITARIAN, _UTILITARIAN = (CONCEPTS.index(c) for c in _IMPLEMENTED)
DEFAULT_TOL = 1e-5
_TILE_BYTES = 1280 * 1024
_BIG = 1e30  # the penalty outside the ZOPA: far below any objective, finite in float32


@dataclass(frozen=True)
class Outcomes:
    """The conclusions of every sample in a batch.

    Attributes:
        in_zopa: (S, Q) each proposal acceptable to every negotiator.
        pareto_optimal: (S, Q) no feasible package dominates the proposal.
        prefers: (negotiators, S, Q, Q) ``prefers[j, s, a, b]``: negotiator ``j``
            strictly prefers proposal ``a`` to proposal ``b`` in sample ``s``.
        winners: (S, concepts) the index of each concept's package, in
            ``CONCEPTS`` order, or -1 when the ZOPA is empty.
        empty_zopa: (S,) no feasible package is acceptable to every negotiator.
    """

    in_zopa: NDArray[np.bool_]
    pareto_optimal: NDArray[np.bool_]
    prefers: NDArray[np.bool_]
    winners: NDArray[np.int64]
    empty_zopa: NDArray[np.bool_]


def tile_rows(n_packages: int, n_negotiators: int, itemsize: int = 4) -> int:
    """Samples per tile so that the tile's working arrays stay in a core's cache.

    One (tile, packages) array is kept near 1.25 MiB (32 rows of 10^4 float32
    packages); at least 16 rows keep the matrix product efficient.  Measured
    with ``benchmarks/robust.py`` on 10^4 packages: 24 to 64 rows cost the same
    per package-sample, 16 rows 4% more, 96 rows 6% more (more cache misses),
    8 rows 40% more (interpreter overhead per tile).
    """
    rows = _TILE_BYTES // max(1, n_packages * itemsize)
    return int(max(16, min(1024, rows)))


_PIVOTS = 8  # near-maximisers with the largest sums of gains, tried first as dominators


def _knock_out(
    g: NDArray[np.floating], open_: NDArray[np.bool_], at: NDArray[np.intp], tol: float
) -> None:
    """Clear in ``open_`` (r, K) every entry that the entry ``at`` (r,) of its row dominates."""
    pivot = g[:, np.arange(g.shape[1]), at][:, :, None]  # (n, r, 1)
    weak = np.all(pivot >= g - tol, axis=0)
    weak &= np.any(pivot > g + tol, axis=0)
    open_ &= ~weak


def _undominated(g: NDArray[np.floating], near: NDArray[np.bool_], tol: float) -> NDArray[np.int64]:
    """Per row of ``near`` (r, K; at least two entries each): the lowest index among the
    near-maximisers that no other near-maximiser dominates within ``tol`` (gains ``g``
    (n, r, K)); the lowest near-maximiser when every one is dominated.

    A few strong near-maximisers (the largest sums of gains, each party's best) first
    knock out the entries they dominate, which settles most ties (say, a Nash product
    that is zero across the ZOPA) at once, as in the pre-pass of
    :func:`accord.analysis.dominance.nondominated_mask`; the entries left are then tried
    in index order, one per row and step, all rows at once.
    """
    n, _, k = g.shape
    chosen: NDArray[np.int64] = np.argmax(near, axis=1).astype(np.int64)
    open_ = near.copy()
    total = np.where(near, g.sum(axis=0), -np.inf)
    tops = np.argpartition(-total, min(_PIVOTS, k) - 1, axis=1)[:, :_PIVOTS]
    for column in tops.T:
        _knock_out(g, open_, column, tol)
    for j in range(n):
        _knock_out(g, open_, np.argmax(np.where(near, g[j], -np.inf), axis=1), tol)
    pending = np.flatnonzero(open_.any(axis=1))
    while pending.size:
        sub = open_[pending]
        candidate = np.argmax(sub, axis=1)
        gs = g[:, pending]
        a = gs[:, np.arange(pending.size), candidate][:, :, None]  # (n, p, 1)
        dominated = near[pending] & np.all(gs >= a - tol, axis=0)
        dominated &= np.any(gs > a + tol, axis=0)
        hit = dominated.any(axis=1)
        chosen[pending[~hit]] = candidate[~hit]
        sub[hit, candidate[hit]] = False
        open_[pending] = sub
        pending = pending[hit & sub.any(axis=1)]
    return chosen


def _choose(
    g: NDArray[np.floating], near: NDArray[np.bool_], empty: NDArray[np.bool_], tol: float
) -> NDArray[np.int64]:
    """Per row: the concept's package among the near-maximisers ``near`` (m, K) (see the
    module docstring), or -1 for the rows whose ZOPA is ``empty``.

    The first near-maximiser of each row, then whether there is a second: hide the first
    and look again (argmax over booleans stops at the first True, some twenty times faster
    than counting the Trues of a row).  Called right after ``near`` is written, while it is
    still in cache.  Only tied rows need :func:`_undominated`.
    """
    rows = np.arange(near.shape[0])
    first = np.argmax(near, axis=1)
    was = near[rows, first]
    near[rows, first] = False
    tied = np.flatnonzero(near[rows, np.argmax(near, axis=1)] & ~empty)
    near[rows, first] = was
    chosen: NDArray[np.int64] = first.astype(np.int64)
    if tied.size:
        chosen[tied] = _undominated(g[:, tied], near[tied], tol)
    chosen[empty] = -1
    return chosen


def _best(
    objective: NDArray[np.floating],
    tol: float,
    empty: NDArray[np.bool_],
    flags: NDArray[np.bool_],
    g: NDArray[np.floating],
) -> NDArray[np.int64]:
    """Per row: the concept's package among the entries within ``tol`` of the row's best
    objective (outside the ZOPA every entry carries a penalty that keeps it out), -1 on an
    ``empty`` ZOPA.  ``flags`` is scratch of the objective's shape."""
    best = objective.max(axis=1)
    np.greater_equal(objective, (best - tol)[:, None], out=flags)
    return _choose(g, flags, empty, tol)


def gain_coefficients(
    theta: NDArray[np.floating],
    reservation: NDArray[np.floating],
    features: NDArray[np.floating],
    dtype: type[np.floating] = np.float32,
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    """The two operands of the kernel's matrix product.

    One extra feature, always 1, carries minus the reservation, so that
    ``coeffs[j] @ x`` gives party ``j``'s gains over its reservation directly.
    Returns ``coeffs`` (negotiators, S, F + 1) and ``x`` (F + 1, K), contiguous.
    """
    n, size, n_features = theta.shape
    x = np.ascontiguousarray(np.vstack([features, np.ones((1, features.shape[1]))]), dtype=dtype)
    coeffs = np.empty((n, size, n_features + 1), dtype=dtype)
    coeffs[:, :, :n_features] = theta
    coeffs[:, :, n_features] = -np.asarray(reservation).T
    return coeffs, x


def package_gains(
    coeffs: NDArray[np.floating], x: NDArray[np.floating], rows: int, out: NDArray[np.floating]
) -> None:
    """The kernel's matrix products alone, tile by tile, into ``out`` (n, rows, K).

    This is exactly the BLAS work :func:`evaluate_profiles` does (it calls the
    same products on the same tiles); ``benchmarks/robust.py`` times it against
    one plain product of the whole shape.
    """
    n, size, _ = coeffs.shape
    for s0 in range(0, size, rows):
        s1 = min(size, s0 + rows)
        for j in range(n):
            np.matmul(coeffs[j, s0:s1], x, out=out[j, : s1 - s0])


def _dominated(
    g: NDArray[np.floating],
    a: NDArray[np.floating],
    tol: float,
    hit: NDArray[np.bool_],
    scratch: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Per row of the gains ``g`` (n, m, K): does some package dominate the point ``a``
    (n, m)?  Some package is better for one party by more than ``tol`` and no worse
    (within ``tol``) for the others."""
    n = g.shape[0]
    dominated = np.zeros(g.shape[1], dtype=bool)
    for j in range(n):
        np.greater(g[j], (a[j] + tol)[:, None], out=hit)
        for k in range(n):
            if k != j:
                np.greater_equal(g[k], (a[k] - tol)[:, None], out=scratch)
                hit &= scratch
        dominated |= hit.any(axis=1)
    return dominated


@dataclass(frozen=True)
class _Scratch:
    """The working arrays of a tile, (rows, K) each, allocated once per batch."""

    low: NDArray[np.floating]
    penalty: NDArray[np.floating]
    work: NDArray[np.floating]
    objective: NDArray[np.floating]
    mask: NDArray[np.bool_]
    hit: NDArray[np.bool_]

    @classmethod
    def allocate(cls, rows: int, n_packages: int, dtype: type[np.floating]) -> _Scratch:
        shape = (rows, n_packages)
        return cls(
            low=np.empty(shape, dtype=dtype),
            penalty=np.empty(shape, dtype=dtype),
            work=np.empty(shape, dtype=dtype),
            objective=np.empty(shape, dtype=dtype),
            mask=np.empty(shape, dtype=bool),
            hit=np.empty(shape, dtype=bool),
        )

    def first(self, m: int) -> _Scratch:
        """Views of the first ``m`` rows (the last tile may be short)."""
        return _Scratch(
            self.low[:m],
            self.penalty[:m],
            self.work[:m],
            self.objective[:m],
            self.mask[:m],
            self.hit[:m],
        )


def _kalai_smorodinsky(
    g: NDArray[np.floating], tol: float, empty: NDArray[np.bool_], sc: _Scratch
) -> NDArray[np.int64]:
    """The package that maximises the smallest gain relative to the party's best in the ZOPA.

    The ratio is taken of the penalised gain: inside the ZOPA it is g_j * scale
    exactly (the penalty there is 0), outside it stays far below any ratio inside.
    """
    n, m, _ = g.shape
    ob, wk = sc.objective, sc.work
    active_any = np.zeros(m, dtype=bool)
    for j in range(n):
        ratio = ob if j == 0 else wk
        np.add(g[j], sc.penalty, out=ratio)
        best = np.maximum(ratio.max(axis=1), 0)  # an empty ZOPA gives 0: inactive
        active = best > tol
        active_any |= active
        scale = np.where(active, 1.0 / np.where(active, best, 1.0), 0.0).astype(ob.dtype)
        ratio *= scale[:, None]
        if not active.all():  # whole rows: a party indifferent across the ZOPA is left out
            ratio[~active] = _BIG / 10
        if j > 0:
            np.minimum(ob, wk, out=ob)
    ks = _best(ob, tol, empty, sc.hit, g)
    if not active_any.all():
        # every party indifferent across the ZOPA: every ZOPA package ties
        idle = np.flatnonzero(~active_any)
        ks[idle] = _choose(g[:, idle], sc.low[idle] >= -tol, empty[idle], tol)
    return ks


def _solve_tile(
    g: NDArray[np.floating],
    tol: float,
    sc: _Scratch,
    winners: NDArray[np.int64],
    empty: NDArray[np.bool_],
) -> None:
    """Each concept's package for every sample of a tile, into ``winners`` (m, concepts),
    and whether its ZOPA is ``empty`` (m,)."""
    n = g.shape[0]
    lo, pen, ob, mk = sc.low, sc.penalty, sc.objective, sc.mask
    # ZOPA: the smallest gain is >= -tol.  Outside it every objective gets a
    # penalty of -_BIG (arithmetic rather than masked assignment: branch-free).
    np.minimum(g[0], g[1], out=lo)
    for j in range(2, n):
        np.minimum(lo, g[j], out=lo)

    # egalitarian: the smallest gain; ZOPA packages are exactly those with lo >= -tol
    best = lo.max(axis=1)
    np.less(best, -tol, out=empty)
    np.greater_equal(lo, np.maximum(best - tol, -tol)[:, None], out=sc.hit)
    winners[:, _EGALITARIAN] = _choose(g, sc.hit, empty, tol)

    np.less(lo, -tol, out=mk)
    np.multiply(mk, np.asarray(-_BIG, dtype=pen.dtype), out=pen)

    # utilitarian: the sum of utilities (= the sum of gains + a constant per sample)
    np.add(g[0], g[1], out=ob)
    for j in range(2, n):
        ob += g[j]
    ob += pen
    winners[:, _UTILITARIAN] = _best(ob, tol, empty, sc.hit, g)

    # Nash: the product of gains (all >= -tol inside the ZOPA)
    np.multiply(g[0], g[1], out=ob)
    for j in range(2, n):
        ob *= g[j]
    ob += pen
    winners[:, _NASH] = _best(ob, tol, empty, sc.hit, g)
    winners[:, _KS] = _kalai_smorodinsky(g, tol, empty, sc)


def _dominated_proposals(
    g: NDArray[np.floating],
    gp: NDArray[np.floating],
    winners: NDArray[np.int64],
    tol: float,
    sc: _Scratch,
) -> NDArray[np.bool_]:
    """(m, Q): does some feasible package dominate each proposal (gains ``gp`` (n, m, Q))?

    A cheap sufficient test first: does one of the solutions (``winners``) dominate the
    proposal?  Only the samples it leaves open need the scan over every package.
    """
    n, m, _ = g.shape
    at = np.broadcast_to(np.maximum(winners, 0)[None], (n, m, winners.shape[1]))
    g_win = np.take_along_axis(g, at, axis=2)[:, :, :, None]  # (n, m, concepts, 1)
    a = gp[:, :, None, :]  # (n, m, 1, Q)
    dominated: NDArray[np.bool_] = np.any(
        (g_win >= a - tol).all(axis=0) & (g_win > a + tol).any(axis=0) & (winners >= 0)[:, :, None],
        axis=1,
    )  # (m, Q)
    for q in range(gp.shape[2]):
        rest = np.flatnonzero(~dominated[:, q])
        if rest.size > m // 2:  # most samples open: scan the tile in place
            dominated[:, q] |= _dominated(g, gp[:, :, q], tol, sc.hit, sc.mask)
        elif rest.size:
            dominated[rest, q] = _dominated(
                g[:, rest], gp[:, rest, q], tol, sc.hit[: rest.size], sc.mask[: rest.size]
            )
    return dominated


def evaluate_profiles(
    theta: NDArray[np.floating],
    reservation: NDArray[np.floating],
    features: NDArray[np.floating],
    proposal_features: NDArray[np.floating],
    *,
    tol: float = DEFAULT_TOL,
    dtype: type[np.floating] = np.float32,
    tile: int | None = None,
) -> Outcomes:
    """Analyse every sampled profile over every feasible package and proposal.

    Args:
        theta: (negotiators, S, F) utility coefficients per sample.
        reservation: (S, negotiators).
        features: (F, K) one-hot indicators of the feasible packages.
        proposal_features: (F, Q) one-hot indicators of the proposals.
        tol: the comparison tolerance (see the module docstring).
        dtype: float32 (default) or float64 for the utilities.
        tile: samples per tile (default: :func:`tile_rows`).

    Returns:
        The :class:`Outcomes` of every sample.
    """
    n, size, n_features = theta.shape
    n_packages = features.shape[1]
    n_proposals = proposal_features.shape[1]
    if features.shape[0] != n_features or proposal_features.shape[0] != n_features:
        raise ValueError("theta and the indicator matrices disagree on the features")
    if reservation.shape != (size, n):
        raise ValueError(f"reservation has shape {reservation.shape}, expected {(size, n)}")
    if n_packages == 0:
        raise ValueError("there is no feasible package")
    coeffs, x_packages = gain_coefficients(theta, reservation, features, dtype)
    x_proposals = np.ascontiguousarray(
        np.vstack([proposal_features, np.ones((1, n_proposals))]), dtype=dtype
    )
    rows = tile or tile_rows(n_packages, n, np.dtype(dtype).itemsize)

    pareto = np.empty((size, n_proposals), dtype=bool)
    winners = np.empty((size, len(CONCEPTS)), dtype=np.int64)
    empty = np.empty(size, dtype=bool)
    # the proposals' gains, for the whole batch at once: (n, S, Q)
    gp_all = np.matmul(coeffs, x_proposals)
    gains = np.empty((n, rows, n_packages), dtype=dtype)
    scratch = _Scratch.allocate(rows, n_packages, dtype)
    for s0 in range(0, size, rows):
        s1 = min(size, s0 + rows)
        g = gains[:, : s1 - s0]
        package_gains(coeffs[:, s0:s1], x_packages, rows, g)
        sc = scratch.first(s1 - s0)
        _solve_tile(g, tol, sc, winners[s0:s1], empty[s0:s1])
        dominated = _dominated_proposals(g, gp_all[:, s0:s1], winners[s0:s1], tol, sc)
        np.logical_not(dominated, out=pareto[s0:s1])

    # acceptability and pairwise preferences of the proposals, for the whole batch
    in_zopa = np.all(gp_all >= -tol, axis=0)
    prefers = gp_all[:, :, :, None] > gp_all[:, :, None, :] + tol

    return Outcomes(
        in_zopa=in_zopa,
        pareto_optimal=pareto,
        prefers=prefers,
        winners=winners,
        empty_zopa=empty,
    )
