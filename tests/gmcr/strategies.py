"""Hypothesis strategies for small random conflicts, shared by the GMCR tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.gmcr.graph import CompiledConflict


@st.composite
def option_conflicts(draw: st.DrawFn, max_options: int = 7, max_dms: int = 4) -> CompiledConflict:
    """Option-form conflicts: 2-4 DMs, up to ``max_options`` options, random
    infeasibility, irreversible options and tied preferences."""
    n_dm = draw(st.integers(2, max_dms))
    sizes = [draw(st.integers(1, 3)) for _ in range(n_dm)]
    while sum(sizes) > max_options:
        i = int(np.argmax(sizes))
        if sizes[i] == 1:
            sizes.pop()
        else:
            sizes[i] -= 1
    n_dm = len(sizes)
    if n_dm < 2:
        sizes = [1, 1]
        n_dm = 2
    n = sum(sizes)
    size = 1 << n
    feasible = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)))
    feasible[draw(st.integers(0, size - 1))] = True
    if draw(st.booleans()):
        feasible[:] = True
    levels = draw(st.integers(1, size))  # few levels -> many ties
    scores = np.array(
        draw(st.lists(st.integers(0, levels), min_size=n_dm * size, max_size=n_dm * size))
    ).reshape(n_dm, size)
    irreversible = draw(st.integers(0, (1 << n) - 1)) if draw(st.booleans()) else 0
    up_part = draw(st.integers(0, (1 << n) - 1))
    only_up, only_down = irreversible & up_part, irreversible & ~up_part
    return CompiledConflict.from_options(
        [f"d{i}" for i in range(n_dm)],
        sizes,
        scores,
        feasible,
        only_up=only_up,
        only_down=only_down,
    )


@st.composite
def graph_conflicts(draw: st.DrawFn, max_states: int = 8, max_dms: int = 4) -> CompiledConflict:
    """Explicit-graph conflicts with random arcs and tied preferences."""
    n_dm = draw(st.integers(2, max_dms))
    n = draw(st.integers(1, max_states))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    arcs = [draw(st.lists(pair, max_size=3 * n)) for _ in range(n_dm)]
    scores = np.array(
        draw(st.lists(st.integers(0, n), min_size=n_dm * n, max_size=n_dm * n))
    ).reshape(n_dm, n)
    return CompiledConflict.from_graph(
        [f"d{i}" for i in range(n_dm)], [f"s{i}" for i in range(n)], arcs, scores
    )


def permute_dms(
    conflict: CompiledConflict, order: list[int]
) -> tuple[CompiledConflict, np.ndarray]:
    """The same option-form conflict with its DMs (and their option blocks) reordered.

    Returns the new conflict and ``code_map`` with ``code_map[old_code] = new_code``.
    """
    moves = conflict.moves
    sizes = moves.block_sizes
    old_off = [sum(sizes[:j]) for j in range(len(sizes))]
    new_sizes = [sizes[j] for j in order]
    new_off = {}
    pos = 0
    for j in order:
        new_off[j] = pos
        pos += sizes[j]
    bit_map = {}
    for j in range(len(sizes)):
        for b in range(sizes[j]):
            bit_map[old_off[j] + b] = new_off[j] + b
    codes = np.arange(conflict.n_index)
    new_codes = np.zeros_like(codes)
    for old_bit, new_bit in bit_map.items():
        new_codes |= ((codes >> old_bit) & 1) << new_bit

    def remap_mask(mask: int) -> int:
        return sum(1 << bit_map[b] for b in bit_map if mask >> b & 1)

    feasible = np.zeros_like(conflict.feasible)
    feasible[new_codes] = conflict.feasible
    scores = np.zeros((len(order), conflict.n_index), dtype=np.int64)
    for new_i, old_i in enumerate(order):
        scores[new_i, new_codes] = conflict.scores[old_i]
    new = CompiledConflict.from_options(
        [conflict.decision_makers[j] for j in order],
        new_sizes,
        scores,
        feasible,
        only_up=remap_mask(moves.only_up),
        only_down=remap_mask(moves.only_down),
    )
    return new, new_codes


def relabel_graph(conflict: CompiledConflict, perm: list[int]) -> CompiledConflict:
    """The same explicit-graph conflict with state ``i`` renumbered ``perm[i]``."""
    n = conflict.n_index
    p = np.asarray(perm)
    scores = np.zeros_like(conflict.scores)
    scores[:, p] = conflict.scores
    names = [""] * n
    for i, name in enumerate(conflict.state_names):
        names[perm[i]] = name
    arcs = [[(int(p[a]), int(p[b])) for a, b in arcs] for arcs in conflict.moves.arcs]
    return CompiledConflict.from_graph(conflict.decision_makers, names, arcs, scores)
