"""The tally's per-bin counts against a direct count, for any conclusions and cells."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.robust.engine import _bin_hits


@st.composite
def tallies(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    samples = draw(st.integers(1, 60))
    conclusions = draw(st.integers(0, 5))
    parameters = draw(st.integers(1, 4))
    bins = draw(st.integers(1, 5))
    # each conclusion: always, never, or per sample (so both rarer sides occur)
    kinds = draw(
        st.lists(
            st.sampled_from(["always", "never", "mixed"]),
            min_size=conclusions,
            max_size=conclusions,
        )
    )
    columns = []
    for kind in kinds:
        if kind == "mixed":
            columns.append(draw(st.lists(st.booleans(), min_size=samples, max_size=samples)))
        else:
            columns.append([kind == "always"] * samples)
    targets = np.array(columns, dtype=bool).T.reshape(samples, conclusions)
    b = np.array(
        draw(
            st.lists(
                st.integers(0, bins - 1),
                min_size=samples * parameters,
                max_size=samples * parameters,
            )
        ),
        dtype=np.intp,
    ).reshape(samples, parameters)
    cells = b + np.arange(parameters, dtype=np.intp) * bins
    return targets, cells, parameters * bins


@settings(max_examples=200, deadline=None)
@given(case=tallies())
def test_bin_hits_match_a_direct_count(case: tuple[np.ndarray, np.ndarray, int]) -> None:
    targets, cells, n_cells = case
    counts, hits = _bin_hits(targets, cells, n_cells)
    want_counts = [0] * n_cells
    want_hits = [[0] * n_cells for _ in range(targets.shape[1])]
    for s in range(targets.shape[0]):
        for c in cells[s]:
            want_counts[c] += 1
            for t in range(targets.shape[1]):
                want_hits[t][c] += int(targets[s, t])
    assert counts.dtype == np.int64 and hits.dtype == np.int64
    assert counts.tolist() == want_counts
    assert hits.tolist() == want_hits
