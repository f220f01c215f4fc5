"""A brute-force evaluator written straight from the timing model's definitions, loop by loop.

It walks the plan day by day and delivery by delivery, keeping holdings in a
dictionary; it shares no code with accord.phased.evaluate and serves as the
reference the fast, vectorised evaluator is checked against.
"""

from __future__ import annotations

from accord.phased import Exchange, StagedPlan


def events(plan: StagedPlan) -> list[tuple[int, int, int, int, int, float]]:
    """(stage, slot, from, to, item, amount) in delivery order."""
    out = []
    for s in range(plan.n_stages):
        slots = max(1, len(plan.slot_parties[s]))
        for q in range(slots):
            for e in range(plan.transfer_stage.size):
                if plan.transfer_stage[e] == s and plan.transfer_slot[e] == q:
                    out.append(
                        (
                            s,
                            q,
                            int(plan.transfer_from[e]),
                            int(plan.transfer_to[e]),
                            int(plan.transfer_item[e]),
                            float(plan.transfer_amount[e]),
                        )
                    )
    return out


def reference_margins(ex: Exchange, plan: StagedPlan) -> list[list[float]]:
    """margins[j][p] for every negotiator j and decision point p, from the definitions."""
    points = []  # (stage, slot, day)
    day = 0.0
    starts = []
    for s in range(plan.n_stages):
        starts.append(day)
        for q in range(max(1, len(plan.slot_parties[s]))):
            points.append((s, q, day))
        day += float(plan.days[s])
    end = day
    evs = events(plan)
    first_holders = {
        (a, i)
        for a in range(len(ex.parties))
        for i in range(len(ex.items))
        if ex.holdings[a, i] > 0
    }
    result = []
    for j, name in enumerate(ex.negotiators):
        me = ex.parties.index(name)
        d = float(ex.discount[j])
        row = []
        for s0, q0, t0 in points:
            # holdings just before this point
            held = {
                (a, i): float(ex.holdings[a, i])
                for a in range(len(ex.parties))
                for i in range(len(ex.items))
            }
            future_value = 0.0
            for s, q, a, b, i, amount in evs:
                if (s, q) < (s0, q0):
                    held[(a, i)] -= amount
                    held[(b, i)] += amount
                    continue
                t = starts[s]
                v = 0.0
                if b == me:
                    v += ex.receive[j, i] * amount
                if a == me:
                    v += ex.give[j, i] * amount
                future_value += d ** (t - t0) * v
            for s in range(s0, plan.n_stages):
                for k in range(int(plan.days[s])):
                    t = starts[s] + k
                    future_value += d ** (t - t0) * float(plan.flow_rates[s] @ ex.flow_value[j])
            # end of the plan
            held_end = {
                (a, i): float(ex.holdings[a, i])
                for a in range(len(ex.parties))
                for i in range(len(ex.items))
            }
            for _, _, a, b, i, amount in evs:
                held_end[(a, i)] -= amount
                held_end[(b, i)] += amount

            def outside(h: dict[tuple[int, int], float], jj: int = j) -> float:
                value = float(ex.outside_base[jj])
                for i in range(len(ex.items)):
                    still = sum(
                        h[(a, i)] for a in range(len(ex.parties)) if (a, i) in first_holders
                    )
                    value += float(ex.outside_per_item[jj, i]) * still
                return value

            if plan.final_perpetual:
                per_day = float(plan.final_rates @ ex.flow_value[j])
                end_value = per_day / (1 - d) if per_day != 0 else 0.0
            else:
                end_value = outside(held_end)
            carry_on = future_value + d ** (end - t0) * end_value
            walk = outside(held) - float(ex.penalty[j])
            row.append(carry_on - walk)
        result.append(row)
    return result
