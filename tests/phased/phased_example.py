"""The two-stage exchange worked by hand in docs/explanation/phased-deals.md."""

from __future__ import annotations

import numpy as np

from accord.phased import Exchange, StagedPlan


def hand_exchange(penalty_b: float = 0.0) -> Exchange:
    """A holds 2 units of h, B holds 2 units of p; flow 'truce'.  Negotiators A and B.

    A: gives h at -2, receives p at +3, truce +1/day, outside 0 + 1 per h still held, delta 1/2.
    B: receives h at +5, gives p at -1, truce -1/day, outside 0 - 3 per h still held, delta 1.
    """
    return Exchange(
        parties=("A", "B"),
        negotiators=("A", "B"),
        items=("h", "p"),
        flows=("truce",),
        holdings=np.array([[2.0, 0.0], [0.0, 2.0]]),
        integer=np.array([True, True]),
        receive=np.array([[0.0, 3.0], [5.0, 0.0]]),
        give=np.array([[-2.0, 0.0], [0.0, -1.0]]),
        flow_value=np.array([[1.0], [-1.0]]),
        outside_base=np.array([0.0, 0.0]),
        outside_per_item=np.array([[1.0, 0.0], [-3.0, 0.0]]),
        penalty=np.array([0.0, penalty_b]),
        discount=np.array([0.5, 1.0]),
    )


def hand_plan(order: tuple[str, ...] = ("A", "B")) -> StagedPlan:
    """Two stages of 2 days: in each, A hands over 1 h and B 1 p (A first), truce 1/day."""
    first = {"A": 0, "B": 1} if order == ("A", "B") else {"A": 1, "B": 0}
    return StagedPlan(
        id="two-stage",
        name="two-stage exchange",
        stage_ids=("one", "two"),
        days=np.array([2.0, 2.0]),
        transfer_stage=np.array([0, 0, 1, 1]),
        transfer_slot=np.array([first["A"], first["B"], first["A"], first["B"]]),
        transfer_from=np.array([0, 1, 0, 1]),
        transfer_to=np.array([1, 0, 1, 0]),
        transfer_item=np.array([0, 1, 0, 1]),
        transfer_amount=np.array([1.0, 1.0, 1.0, 1.0]),
        slot_parties=(order, order),
        flow_rates=np.array([[1.0], [1.0]]),
        final_rates=np.array([0.0]),
    )
