"""Hypothesis strategies for small random agreement spaces (shared by the analysis tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.space.compiled import CompiledIssue, CompiledSpace, ForbiddenCombination

MAX_PACKAGES = 120


@st.composite
def small_spaces(
    draw: st.DrawFn,
    *,
    negotiators: tuple[int, int] = (2, 4),
    max_issues: int = 5,
    max_options: int = 5,
    scale: int = 8,
    max_value: int = 4,
) -> CompiledSpace:
    """A CompiledSpace with small integer contributions (in 1/scale) so that ties are common."""
    d = draw(st.integers(*negotiators))
    n_issues = draw(st.integers(1, max_issues))
    sizes = [draw(st.integers(1, max_options)) for _ in range(n_issues)]
    while int(np.prod(sizes)) > MAX_PACKAGES:
        sizes[int(np.argmax(sizes))] -= 1
    issues = tuple(
        CompiledIssue(f"i{k}", f"Issue {k}", tuple(f"o{j}" for j in range(s)))
        for k, s in enumerate(sizes)
    )
    tables = tuple(
        np.array(
            draw(
                st.lists(
                    st.lists(st.integers(0, max_value), min_size=d, max_size=d),
                    min_size=s,
                    max_size=s,
                )
            ),
            dtype=np.float64,
        )
        / scale
        for s in sizes
    )
    top = max_value * n_issues
    reservation = (
        np.array(draw(st.lists(st.integers(0, top), min_size=d, max_size=d)), dtype=np.float64)
        / scale
    )
    rules = []
    for _ in range(draw(st.integers(0, 3))):
        named = sorted(draw(st.sets(st.integers(0, n_issues - 1), min_size=1, max_size=2)))
        options = []
        for i in named:
            chosen = draw(st.sets(st.integers(0, sizes[i] - 1), min_size=1, max_size=sizes[i]))
            options.append((i, tuple(sorted(chosen))))
        rules.append(ForbiddenCombination(tuple(options), "random rule"))
    proposals = tuple(
        (f"p{k}", tuple(draw(st.integers(0, s - 1)) for s in sizes))
        for k in range(draw(st.integers(0, 2)))
    )
    return CompiledSpace(
        tuple(f"n{j}" for j in range(d)), issues, tables, reservation, tuple(rules), proposals
    )


def worked_example() -> CompiledSpace:
    """The buyer-seller example of docs/explanation/agreement-space.md (in eighths)."""
    issues = (
        CompiledIssue("price", "Price", ("low", "mid", "high")),
        CompiledIssue("delivery", "Delivery", ("fast", "slow")),
    )
    price = np.array([[5, 0], [3, 1], [2, 4]], dtype=np.float64) / 8
    delivery = np.array([[3, 0], [1, 4]], dtype=np.float64) / 8
    return CompiledSpace(
        negotiators=("buyer", "seller"),
        issues=issues,
        contributions=(price, delivery),
        reservation=np.array([3, 3], dtype=np.float64) / 8,
        forbidden=(
            ForbiddenCombination(((0, (0,)), (1, (0,))), "no fast delivery at the low price"),
        ),
        proposals=(("buyer-offer", (1, 0)), ("seller-offer", (2, 0))),
    )
