"""Trade-off questions that check a party's entered numbers against its own judgement.

A party spreads 100 points over the issues and rates every option; with additive utilities
(Keeney & Raiffa 1976, *Decisions with Multiple Objectives*, ch. 3) its numbers rank any two
packages. The most telling pairs are *trade-offs*: two packages equal on every issue but two,
one better on issue i and the other better on issue j, whose utilities are close. Asking the
party which it prefers tests the relative weight it gave i and j, the question used to assess
scaling constants (Keeney & Raiffa 1976, §3.7) and, in negotiation support, to verify a
party's ratings before they are used (Kersten & Noronha 1999, "WWW-based negotiation support:
design, implementation, and use", *Decision Support Systems* 25(2):135-154, the Inspire
system's consistency check).

:func:`tradeoff_pairs` picks, for the party's most important issues, the trade-off whose
utility difference is smallest while still at least ``min_margin`` (a difference the party's
answer can meaningfully confirm or contradict). Randomness only breaks ties, through ``rng``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

__all__ = ["TradeOff", "tradeoff_pairs"]


@dataclass(frozen=True)
class TradeOff:
    """Package X = (``better_i`` on issue i, ``worse_j`` on issue j), package Y = (``worse_i``,
    ``better_j``), every other issue equal. ``margin`` = U(X) - U(Y), never 0."""

    issue_i: int
    better_i: int
    worse_i: int
    issue_j: int
    better_j: int
    worse_j: int
    margin: float


def _gains(
    table: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    """Every positive utility gain on one issue: (gain, better option, worse option)."""
    diff = table[:, None] - table[None, :]
    better, worse = np.nonzero(diff > 0)
    return diff[better, worse], better, worse


def tradeoff_pairs(
    tables: Sequence[NDArray[np.float64]],
    *,
    count: int = 3,
    min_margin: float = 0.03,
    max_issues: int = 5,
    rng: np.random.Generator,
) -> list[TradeOff]:
    """Up to ``count`` trade-offs between different pairs of issues, closest calls first.

    Args:
        tables: one array per issue, the party's utility contribution of each option (its
            normalised weight times its normalised value).
        min_margin: the smallest utility difference a question may test.
        max_issues: only the most heavily weighted issues are paired.
        rng: breaks ties between equally close trade-offs.
    """
    spans = np.array([float(t.max() - t.min()) if t.size else 0.0 for t in tables])
    weighted = [int(i) for i in np.argsort(-spans, kind="stable") if spans[i] > 0][:max_issues]
    candidates: list[TradeOff] = []
    for i, j in combinations(sorted(weighted), 2):
        gi, bi, wi = _gains(tables[i])
        gj, bj, wj = _gains(tables[j])
        margin = gi[:, None] - gj[None, :]
        size = np.abs(margin)
        size[size < min_margin] = np.inf
        if not np.isfinite(size).any():
            continue
        # The closest call; among equally close ones, a random one.
        best = np.flatnonzero(size == size.min())
        k = int(rng.choice(best))
        a, b = divmod(k, size.shape[1])
        candidates.append(
            TradeOff(i, int(bi[a]), int(wi[a]), j, int(bj[b]), int(wj[b]), float(margin[a, b]))
        )
    order = rng.permutation(len(candidates))
    ranked = sorted((candidates[k] for k in order), key=lambda t: abs(t.margin))
    chosen: list[TradeOff] = []
    used: set[int] = set()
    for t in ranked:  # prefer pairs that test issues not yet tested
        if t.issue_i not in used or t.issue_j not in used:
            chosen.append(t)
            used |= {t.issue_i, t.issue_j}
        if len(chosen) == count:
            return chosen
    for t in ranked:
        if t not in chosen and len(chosen) < count:
            chosen.append(t)
    return chosen
