"""Hypothesis strategies for random small exchanges and plans (shared by the phased-deal tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.phased import Exchange, StagedPlan

values = st.integers(-6, 6).map(float)
discounts = st.sampled_from([1.0, 0.5, 0.9, 0.75])


@st.composite
def exchanges(draw: st.DrawFn, perpetual_ok: bool = False) -> Exchange:
    """Two negotiators A and B and a third party C; items h (held by A), p (held by B), g (C)."""
    n_items, n_flows = 3, 2
    holdings = np.zeros((3, n_items))
    holdings[0, 0] = draw(st.integers(1, 4))
    holdings[1, 1] = draw(st.integers(1, 4))
    holdings[2, 2] = draw(st.integers(0, 3))
    arr = lambda shape: np.array(  # noqa: E731
        draw(st.lists(values, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    ).reshape(shape)
    delta = [draw(discounts), draw(discounts)]
    if perpetual_ok:
        delta = [min(d, 0.9) for d in delta]
    return Exchange(
        parties=("A", "B", "C"),
        negotiators=("A", "B"),
        items=("h", "p", "g"),
        flows=("truce", "aid"),
        holdings=holdings,
        integer=np.array([True, True, False]),
        receive=arr((2, n_items)),
        give=arr((2, n_items)),
        flow_value=arr((2, n_flows)),
        outside_base=arr((2,)),
        outside_per_item=arr((2, n_items)),
        penalty=np.array([draw(st.integers(0, 4)), draw(st.integers(0, 4))], dtype=float),
        discount=np.array(delta),
    )


@st.composite
def plans(draw: st.DrawFn, exchange: Exchange, perpetual: bool | None = None) -> StagedPlan:
    """Random stages whose transfers never exceed what the giver holds at that point."""
    n_stages = draw(st.integers(1, 3))
    held = exchange.holdings.copy()
    stage_, slot_, from_, to_, item_, amt_ = [], [], [], [], [], []
    slot_parties = []
    for s in range(n_stages):
        ordered = draw(st.booleans())
        order = tuple(draw(st.permutations(["A", "B", "C"]))) if ordered else ()
        slot_parties.append(order)
        groups = [[p] for p in order] if ordered else [["A", "B", "C"]]
        for g, group in enumerate(groups):
            moved = held.copy()
            for party in group:
                a = exchange.parties.index(party)
                for i in range(len(exchange.items)):
                    if held[a, i] <= 0 or not draw(st.booleans()):
                        continue
                    amount = float(draw(st.integers(0, int(held[a, i]))))
                    if amount == 0:
                        continue
                    b = draw(st.sampled_from([x for x in range(3) if x != a]))
                    stage_.append(s)
                    slot_.append(g)
                    from_.append(a)
                    to_.append(b)
                    item_.append(i)
                    amt_.append(amount)
                    moved[a, i] -= amount
                    moved[b, i] += amount
            held = moved
    final_perpetual = draw(st.booleans()) if perpetual is None else perpetual
    if final_perpetual and np.any(exchange.discount >= 1.0):
        final_perpetual = False
    return StagedPlan(
        id="random",
        name="random plan",
        stage_ids=tuple(f"s{s}" for s in range(n_stages)),
        days=np.array([draw(st.integers(0, 4)) for _ in range(n_stages)], dtype=float),
        transfer_stage=np.array(stage_, dtype=np.intp),
        transfer_slot=np.array(slot_, dtype=np.intp),
        transfer_from=np.array(from_, dtype=np.intp),
        transfer_to=np.array(to_, dtype=np.intp),
        transfer_item=np.array(item_, dtype=np.intp),
        transfer_amount=np.array(amt_, dtype=float),
        slot_parties=tuple(slot_parties),
        flow_rates=np.array(
            [[draw(st.integers(0, 2)) for _ in exchange.flows] for _ in range(n_stages)],
            dtype=float,
        ).reshape(n_stages, len(exchange.flows)),
        final_rates=np.array([draw(st.integers(0, 2)) for _ in exchange.flows], dtype=float),
        final_perpetual=final_perpetual,
    )


@st.composite
def exchange_and_plan(draw: st.DrawFn) -> tuple[Exchange, StagedPlan]:
    ex = draw(exchanges())
    return ex, draw(plans(ex))
