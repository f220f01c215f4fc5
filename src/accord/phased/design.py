"""Designing a staged exchange: how much of each item in each stage, and how long each stage lasts.

Given the totals to exchange (for example 101 living hostages, 29 bodies and
1,500 prisoners), a number of stages ``K`` and bounds on each stage's length,
:func:`design_schedule` chooses the amount of every item delivered in every
stage and every stage's length so that the plan is self-enforcing for every
negotiator at every decision point (the timing model of
:mod:`accord.phased.evaluate`), and, among such schedules, the best for one
objective:

``front-load``
    the largest share of the focus items delivered in the first stage
    (sum over focus items of first-stage amount / total);
``shortest``
    the fewest days from the first delivery to the end of the last stage;
``even``
    the most even split of risk: minimise the largest share of its total
    delivery value that any delivering party hands over in a single stage
    (value of a unit = the giver's own cost of giving it, ``|give|``; when a
    giver puts no value on an item, its amount share).  With ``K`` stages the
    ideal is ``1/K``.

Why staging can make an exchange self-enforcing at all is the gradualism
result of Admati and Perry (1991, "Joint projects without commitment",
Review of Economic Studies 58(2)) and Compte and Jehiel (2004, "Gradualism in
bargaining and contribution games", Review of Economic Studies 71(4)): small
alternating contributions keep each side's stake in continuing above its gain
from stopping, which a single simultaneous exchange cannot do when the sides
cannot commit (Fearon 1995, International Organization 49(3)).

Formulation (a mixed-integer linear programme solved by HiGHS through
scipy.optimize.milp).  Discounting makes a delivery's value depend on *when*
its stage starts, which is not linear in the stage lengths; a time-indexed
formulation makes it exact.  For each stage boundary ``s = 0..K`` (``K`` is the
end) and each day ``t`` it could fall on, a binary ``z[s,t]`` says the boundary
falls on day ``t``.  Amounts ``x[s,d]`` of design item ``d`` in stage ``s``
(integers for whole-unit items) are split by day as ``w[s,t,d] = z[s,t] x[s,d]``
and what remains from stage ``s`` on as ``u[s,t,d] = z[s,t] R[s,d]``, both
linearised exactly with ``0 <= w <= N_d z`` and ``sum_t w[s,t,d] = x[s,d]``.
Then ``delta**start_s * x[s,d] = sum_t delta**t w[s,t,d]`` and every margin
(multiplied by ``delta**start`` of its point, which does not change its sign)
is linear.  The alternative ``binary`` formulation encodes each boundary's
day by its bits ``y[s,b]`` and builds ``delta**start_s x`` along them, one
exactly linearised product of a bit and a bounded variable per bit
(McCormick 1976, "Computability of global solutions to factorable nonconvex
programs", Mathematical Programming 10; exact when one factor is binary):
about 8 binaries per boundary instead of up to 168 on a daily grid.
The ``recursive`` formulation (the default) chooses each stage's *length*
(one binary per stage and possible length) and writes every margin in value
at its own decision point through each negotiator's continuation value,
``C[s] = val . x[s] + flows(L_s) + delta**L_s C[s+1]`` (the recursion of
Bellman 1957, "Dynamic Programming"): amounts enter linearly and the only
products, of a length choice and the next continuation value, are
linearised exactly by disaggregation
(Glover 1975, "Improved linear integer programming formulations of nonlinear
integer problems", Management Science 22(4)).  A fractional solution can
then blend stage lengths only for a negotiator's whole continuation value,
not item by item: on the Cairo totals at 6 stages its LP relaxation is much
tighter than the other two's, and at 6 and 12 daily stages its programme
is several times smaller (benchmarks/phases.py).
Infeasibility is explained by re-solving with one slack per
negotiator on its incentive constraints: an extra guarantor penalty, in
value at the moment of walking away (discounted like the amounts), so
the minimal slack is the smallest extra penalty that makes *some* schedule
self-enforcing; the relaxed schedule is re-priced with
:func:`accord.phased.guarantee.minimal_guarantees`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from accord.phased.evaluate import PlanAssessment, evaluate_plan
from accord.phased.exchange import Exchange, StagedPlan
from accord.phased.guarantee import minimal_guarantees

__all__ = [
    "FORMULATIONS",
    "OBJECTIVES",
    "DesignItem",
    "Formulation",
    "Infeasibility",
    "Objective",
    "ScheduleDesign",
    "ScheduleSpec",
    "design_schedule",
    "objective_value",
    "schedule_plan",
    "spec_from_plan",
]

Objective = Literal["front-load", "shortest", "even"]
OBJECTIVES: tuple[Objective, ...] = ("front-load", "shortest", "even")


@dataclass(frozen=True)
class DesignItem:
    """A total to deliver: ``total`` units of ``item`` from ``giver`` to ``receiver``."""

    item: str
    giver: str
    receiver: str
    total: float


@dataclass(frozen=True, eq=False)
class ScheduleSpec:
    """What a schedule must deliver and how its stages may be shaped.

    ``flow_rates[f]`` holds in every stage; ``final_rates`` after the end when
    ``final_perpetual`` (as in :class:`~accord.phased.exchange.StagedPlan`).
    ``order``: who delivers first inside every stage (None: simultaneous).
    ``focus``: the items ``front-load`` counts (None: all).
    """

    items: tuple[DesignItem, ...]
    stages: int
    min_days: int = 7
    max_days: int = 21
    day_step: int = 7
    flow_rates: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    final_rates: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    final_perpetual: bool = False
    order: tuple[str, ...] | None = None
    focus: tuple[str, ...] | None = None
    name: str = "designed schedule"


@dataclass(frozen=True)
class Infeasibility:
    """Why no schedule is self-enforcing, and what would relax it.

    The relaxation adds to every incentive constraint of negotiator ``j`` an
    extra guarantor penalty ``sigma_j`` (value at the point of walking away,
    on top of today's penalty).  ``shortfall[j]``: the extra penalties that
    minimise their sum; ``alone[j]``: the smallest extra penalty on ``j`` when
    no other negotiator is relaxed (None: relaxing ``j`` alone cannot help).
    ``penalties[j]``: the total penalties the guarantee programme finds for
    the jointly relaxed schedule (``relaxed_days``, ``relaxed_amounts``), a
    re-check of the relaxation.
    """

    explanation: str
    negotiators: tuple[str, ...]
    shortfall: tuple[float, ...]
    alone: tuple[float | None, ...]
    penalties: tuple[float, ...]
    relaxed_days: tuple[int, ...]
    relaxed_amounts: tuple[tuple[float, ...], ...]


@dataclass(frozen=True, eq=False)
class ScheduleDesign:
    """The result of :func:`design_schedule`.

    ``status`` is ``"optimal"``, ``"infeasible"`` or ``"time limit"``.  When a
    schedule was found: ``days[s]``, ``amounts[s, d]`` (per design item),
    ``plan`` (ready for the evaluator) and ``recheck`` (its independent
    evaluation, which must be self-enforcing).
    """

    status: str
    objective: Objective
    objective_value: float | None
    items: tuple[DesignItem, ...]
    days: NDArray[np.int64] | None
    amounts: NDArray[np.float64] | None
    plan: StagedPlan | None
    recheck: PlanAssessment | None
    infeasibility: Infeasibility | None
    message: str


def spec_from_plan(
    exchange: Exchange,
    plan: StagedPlan,
    stages: int,
    *,
    min_days: int = 7,
    max_days: int = 21,
    day_step: int = 7,
    focus: Sequence[str] | None = None,
) -> ScheduleSpec:
    """Totals, flows (time-weighted average rate), final and order of an existing plan."""
    keys: dict[tuple[int, int, int], float] = {}
    for i, a, b, amt in zip(
        plan.transfer_item, plan.transfer_from, plan.transfer_to, plan.transfer_amount, strict=True
    ):
        keys[(int(i), int(a), int(b))] = keys.get((int(i), int(a), int(b)), 0.0) + float(amt)
    items = tuple(
        DesignItem(exchange.items[i], exchange.parties[a], exchange.parties[b], total)
        for (i, a, b), total in keys.items()
        if total > 0
    )
    days = plan.days
    rates = (
        (days[:, None] * plan.flow_rates).sum(0) / days.sum()
        if days.sum() > 0
        else plan.flow_rates.mean(0)
    )
    orders = {p for p in plan.slot_parties}
    order = next(iter(orders)) if len(orders) == 1 and next(iter(orders)) else None
    return ScheduleSpec(
        items=items,
        stages=stages,
        min_days=min_days,
        max_days=max_days,
        day_step=day_step,
        flow_rates=np.asarray(rates, dtype=np.float64),
        final_rates=plan.final_rates.copy(),
        final_perpetual=plan.final_perpetual,
        order=order,
        focus=tuple(focus) if focus is not None else None,
        name=f"{stages}-stage design from {plan.id}",
    )


# --- the programme ------------------------------------------------------------------------------


class _Builder:
    """Sparse rows for scipy.optimize.milp, with named variable blocks."""

    def __init__(self) -> None:
        self.n = 0
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integral: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lb: list[float] = []
        self.row_ub: list[float] = []

    def var(self, lb: float, ub: float, integer: bool = False) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.integral.append(1 if integer else 0)
        self.n += 1
        return self.n - 1

    def row(self, terms: dict[int, float], lb: float, ub: float) -> int:
        r = len(self.row_lb)
        for col, val in terms.items():
            if val != 0.0:
                self.rows.append(r)
                self.cols.append(col)
                self.vals.append(val)
        self.row_lb.append(lb)
        self.row_ub.append(ub)
        return r


def _add(terms: dict[int, float], col: int, val: float) -> None:
    terms[col] = terms.get(col, 0.0) + val


Expr = tuple[dict[int, float], float]
"""A linear expression: (column -> coefficient, constant)."""


def _scaled(e: Expr, k: float) -> Expr:
    return {c: k * v for c, v in e[0].items()}, k * e[1]


def _accumulate(terms: dict[int, float], e: Expr, k: float) -> float:
    """Add ``k * e`` to ``terms``; return the constant ``k * e``'s constant."""
    for c, v in e[0].items():
        _add(terms, c, k * v)
    return k * e[1]


def _tail(delta: float, t: float) -> float:
    """G(t) with flows from day a to day b (exclusive) worth G(a) - G(b) per unit rate."""
    return delta**t / (1.0 - delta) if delta < 1.0 else -float(t)


class _TimeIndexedClock:
    """Boundary ``s`` falls on day ``t`` iff binary ``z[s][t]`` = 1 (one per possible day)."""

    def __init__(self, b: _Builder, spec: ScheduleSpec) -> None:
        self.b = b
        step, lo, hi = spec.day_step, spec.min_days, spec.max_days
        top = lo + ((hi - lo) // step) * step
        windows = [range(s * lo, s * top + 1, step) for s in range(spec.stages + 1)]
        self.z: list[dict[int, int]] = []
        for s in range(spec.stages + 1):
            self.z.append({t: b.var(0.0, 1.0, integer=True) for t in windows[s]})
            b.row({c: 1.0 for c in self.z[s].values()}, 1.0, 1.0)
        for s in range(spec.stages):
            terms: dict[int, float] = {}
            const = _accumulate(terms, self.start(s + 1), 1.0)
            const += _accumulate(terms, self.start(s), -1.0)
            b.row(terms, float(lo) - const, float(hi) - const)
            # the same, day by day (a tighter LP): boundary s+1 on day t needs boundary s on a
            # day from t - max_days to t - min_days
            for t, c in self.z[s + 1].items():
                prev = {self.z[s][u]: -1.0 for u in range(t - hi, t - lo + 1) if u in self.z[s]}
                b.row({c: 1.0, **prev}, -np.inf, 0.0)
        self._split: dict[tuple[int, int], dict[int, int]] = {}

    def start(self, s: int) -> Expr:
        return {c: float(t) for t, c in self.z[s].items()}, 0.0

    def disc(self, s: int, col: int, bound: float, delta: float) -> Expr:
        """``delta**start_s * x[col]`` as ``sum_t delta**t w[t]`` with ``w[t] = z[s][t] x``."""
        key = (s, col)
        if key not in self._split:
            w = {t: self.b.var(0.0, bound) for t in self.z[s]}
            for t, zc in self.z[s].items():
                self.b.row({w[t]: 1.0, zc: -bound}, -np.inf, 0.0)
            self.b.row({**{c: 1.0 for c in w.values()}, col: -1.0}, 0.0, 0.0)
            self._split[key] = w
        return {c: delta**t for t, c in self._split[key].items()}, 0.0

    def disc_one(self, s: int, delta: float) -> Expr:
        return {c: delta**t for t, c in self.z[s].items()}, 0.0

    def tail(self, s: int, delta: float) -> Expr:
        return {c: _tail(delta, t) for t, c in self.z[s].items()}, 0.0

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        return [max(zs, key=lambda t: sol[zs[t]]) for zs in self.z]


class _BinaryClock:
    """Boundary ``s`` falls on day ``s*min_days + day_step * sum_b 2**b y[s][b]`` (binary bits).

    ``delta**start_s * x`` is built along the bits: ``v_0 = delta**(s*min_days) x``,
    ``v_{b+1} = v_b - (1 - delta**(day_step 2**b)) y_b v_b``, each product ``y_b v_b`` of a
    binary and a bounded variable linearised exactly (McCormick 1976, exact for binaries).
    """

    def __init__(self, b: _Builder, spec: ScheduleSpec) -> None:
        self.b = b
        self.spec = spec
        step, lo, hi = spec.day_step, spec.min_days, spec.max_days
        self.steps = (hi - lo) // step
        self.y: list[list[int]] = []
        for s in range(spec.stages + 1):
            n_bits = (s * self.steps).bit_length()
            self.y.append([b.var(0.0, 1.0, integer=True) for _ in range(n_bits)])
            if n_bits:
                b.row({c: float(2**k) for k, c in enumerate(self.y[s])}, 0.0, s * self.steps)
        for s in range(spec.stages):
            terms: dict[int, float] = {}
            const = _accumulate(terms, self.start(s + 1), 1.0)
            const += _accumulate(terms, self.start(s), -1.0)
            b.row(terms, float(lo) - const, float(lo + self.steps * step) - const)
        self._cache: dict[tuple[int, int | None, float], Expr] = {}

    def start(self, s: int) -> Expr:
        step = self.spec.day_step
        return {c: float(step * 2**k) for k, c in enumerate(self.y[s])}, float(
            s * self.spec.min_days
        )

    def _chain(self, s: int, v: Expr, bound: float, delta: float) -> Expr:
        b = self.b
        for k, yk in enumerate(self.y[s]):
            f = delta ** (self.spec.day_step * 2**k)
            if f == 1.0:
                continue
            p = b.var(0.0, bound)
            b.row({p: 1.0, yk: -bound}, -np.inf, 0.0)  # p <= bound y
            terms = {p: 1.0}
            const = _accumulate(terms, v, -1.0)
            b.row(terms, -np.inf, -const)  # p <= v
            terms = {p: 1.0, yk: -bound}
            const = _accumulate(terms, v, -1.0)
            b.row(terms, -bound - const, np.inf)  # p >= v - bound (1 - y)
            nxt = b.var(0.0, bound)
            terms = {nxt: 1.0, p: 1.0 - f}
            const = _accumulate(terms, v, -1.0)
            b.row(terms, -const, -const)  # next = v - (1 - f) p
            v = ({nxt: 1.0}, 0.0)
        return _scaled(v, delta ** (s * self.spec.min_days))

    def disc(self, s: int, col: int, bound: float, delta: float) -> Expr:
        key = (s, col, delta)
        if key not in self._cache:
            self._cache[key] = self._chain(s, ({col: 1.0}, 0.0), bound, delta)
        return self._cache[key]

    def disc_one(self, s: int, delta: float) -> Expr:
        key = (s, None, delta)
        if key not in self._cache:
            self._cache[key] = self._chain(s, ({}, 1.0), 1.0, delta)
        return self._cache[key]

    def tail(self, s: int, delta: float) -> Expr:
        if delta < 1.0:
            return _scaled(self.disc_one(s, delta), 1.0 / (1.0 - delta))
        return _scaled(self.start(s), -1.0)

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        step = self.spec.day_step
        return [
            s * self.spec.min_days + step * sum(2**k * round(sol[c]) for k, c in enumerate(ys))
            for s, ys in enumerate(self.y)
        ]


class _LengthClock:
    """Stage ``s`` lasts ``L`` days iff binary ``a[s][L]`` = 1 (one per possible length).

    Used by the ``recursive`` formulation, whose margins are written in value at their own
    decision point through each negotiator's continuation value (see :func:`_recursive_margins`),
    so only lengths, never absolute days, enter the discounting.
    """

    def __init__(self, b: _Builder, spec: ScheduleSpec) -> None:
        step, lo, hi = spec.day_step, spec.min_days, spec.max_days
        self.lengths = list(range(lo, hi + 1, step))
        self.a: list[dict[int, int]] = []
        for _ in range(spec.stages):
            self.a.append({L: b.var(0.0, 1.0, integer=True) for L in self.lengths})
            b.row({c: 1.0 for c in self.a[-1].values()}, 1.0, 1.0)

    def start(self, s: int) -> Expr:
        terms: dict[int, float] = {}
        for row in self.a[:s]:
            for L, c in row.items():
                _add(terms, c, float(L))
        return terms, 0.0

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        bounds = [0]
        for row in self.a:
            bounds.append(bounds[-1] + max(row, key=lambda L: sol[row[L]]))
        return bounds


Formulation = Literal["auto", "time-indexed", "binary", "recursive"]
FORMULATIONS: tuple[Formulation, ...] = ("auto", "time-indexed", "binary", "recursive")


def _pick(formulation: Formulation, spec: ScheduleSpec) -> Formulation:
    """``auto``: the recursive formulation, on every grid.

    From benchmarks/phases.py: its LP relaxation is the tightest of the three (daily grid,
    6 stages, front-load: 96.9 hostages in stage one against 98.2 time-indexed and 99.5
    binary, optimum 96) with the fewest binaries (one per stage and length), and it solved
    every row of the table as fast as the best other formulation or faster.  ``spec`` is kept
    so that a future rule can depend on the grid.
    """
    del spec
    if formulation != "auto":
        return formulation
    return "recursive"


@dataclass(frozen=True)
class _Model:
    b: _Builder
    clock: _TimeIndexedClock | _BinaryClock | _LengthClock
    x: list[list[int]]
    objective: NDArray[np.float64]


def _build(
    exchange: Exchange,
    spec: ScheduleSpec,
    objective: Objective,
    slack: Sequence[bool] | None = None,
    formulation: Formulation = "auto",
) -> tuple[_Model, list[int]]:
    K, m = spec.stages, len(spec.items)
    J = len(exchange.negotiators)
    b = _Builder()
    item_idx = [exchange.items.index(d.item) for d in spec.items]
    giver = [exchange.parties.index(d.giver) for d in spec.items]
    receiver = [exchange.parties.index(d.receiver) for d in spec.items]
    totals = np.array([d.total for d in spec.items], dtype=np.float64)
    integer = [bool(exchange.integer[i]) for i in item_idx]
    order = tuple(dict.fromkeys(spec.order)) if spec.order else ()
    slot = [order.index(d.giver) if order else 0 for d in spec.items]
    n_slots = max(1, len(order))

    clock: _TimeIndexedClock | _BinaryClock | _LengthClock
    formulation = _pick(formulation, spec)
    if formulation == "time-indexed":
        clock = _TimeIndexedClock(b, spec)
    elif formulation == "binary":
        clock = _BinaryClock(b, spec)
    elif formulation == "recursive":
        clock = _LengthClock(b, spec)
    else:
        raise ValueError(
            f"formulation must be one of {', '.join(FORMULATIONS)}; got {formulation!r}"
        )
    # amounts x[s][d] and what remains from stage s on, R[s][d]
    x = [[b.var(0.0, float(totals[d]), integer=integer[d]) for d in range(m)] for s in range(K)]
    for d in range(m):
        b.row({x[s][d]: 1.0 for s in range(K)}, float(totals[d]), float(totals[d]))
    remaining = [[b.var(0.0, float(totals[d])) for d in range(m)] for s in range(K)]
    for s in range(K):
        for d in range(m):
            terms: dict[int, float] = {remaining[s][d]: 1.0}
            for s2 in range(s, K):
                _add(terms, x[s2][d], -1.0)
            b.row(terms, 0.0, 0.0)

    # incentive constraints, in present value (day-0 value) for each negotiator and point
    neg = exchange.negotiator_index
    first_holders = exchange.holdings > 0
    out0 = np.where(first_holders, exchange.holdings, 0.0).sum(axis=0)
    coef = np.array(
        [
            float(first_holders[receiver[d], item_idx[d]])
            - float(first_holders[giver[d], item_idx[d]])
            for d in range(m)
        ]
    )
    flows = spec.flow_rates if spec.flow_rates.size else np.zeros(len(exchange.flows))
    final = spec.final_rates if spec.final_rates.size else np.zeros(len(exchange.flows))
    slack_cols: list[int] = []
    for j in range(J):
        delta = float(exchange.discount[j])
        val = np.array(
            [
                exchange.receive[j, item_idx[d]] * (receiver[d] == neg[j])
                + exchange.give[j, item_idx[d]] * (giver[d] == neg[j])
                for d in range(m)
            ]
        )
        beta = exchange.outside_per_item[j, item_idx] * coef
        end_outside = float(
            exchange.outside_base[j] + exchange.outside_per_item[j] @ out0 + beta @ totals
        )
        rate = float(flows @ exchange.flow_value[j])
        if spec.final_perpetual:
            f = float(final @ exchange.flow_value[j])
            if f != 0.0 and delta >= 1.0:
                raise ValueError(
                    f"{exchange.negotiators[j]} values the plan's indefinite final flows but "
                    "does not discount (discount_per_day = 1): their value is infinite"
                )
            end_value = f / (1.0 - delta) if f != 0.0 else 0.0
        else:
            end_value = end_outside
        walk_const = end_outside - float(exchange.penalty[j])
        # slack: an extra guarantor penalty sigma_j, in value at the point of walking away,
        # entered as delta**start * sigma_j (linearised like the amounts)
        sj = b.var(0.0, np.inf) if slack is not None and slack[j] else None
        big = 10.0 * (
            float(np.abs(val) @ totals + np.abs(beta) @ totals)
            + abs(rate) * (K * spec.max_days + (1.0 / (1.0 - delta) if delta < 1 else 0.0))
            + abs(end_value)
            + abs(walk_const)
            + 1.0
        )
        if sj is not None:
            slack_cols.append(sj)
            # the recursive form adds sigma_j as it is, so it needs no bound
            b.ub[sj] = np.inf if isinstance(clock, _LengthClock) else big
        if isinstance(clock, _LengthClock):
            _recursive_margins(
                b,
                clock,
                spec,
                _Margins(val, beta, rate, delta, end_value, walk_const),
                x,
                remaining,
                slot,
                n_slots,
                sj,
            )
            continue
        for s in range(K):
            for q in range(n_slots):
                terms = {}
                const = 0.0
                for d in range(m):
                    # deliveries still to come
                    for s2 in range(s, K):
                        if not (s2 == s and slot[d] < q):
                            e = clock.disc(s2, x[s2][d], float(totals[d]), delta)
                            const += _accumulate(terms, e, float(val[d]))
                    # walking away keeps the undelivered amounts outstanding
                    e = clock.disc(s, remaining[s][d], float(totals[d]), delta)
                    const += _accumulate(terms, e, float(beta[d]))
                    if slot[d] < q:
                        e = clock.disc(s, x[s][d], float(totals[d]), delta)
                        const += _accumulate(terms, e, -float(beta[d]))
                # flows from this stage to the end, the end itself, the walk-away base
                const += _accumulate(terms, clock.tail(s, delta), rate)
                const += _accumulate(terms, clock.disc_one(s, delta), -walk_const)
                const += _accumulate(terms, clock.tail(K, delta), -rate)
                const += _accumulate(terms, clock.disc_one(K, delta), end_value)
                if sj is not None:
                    const += _accumulate(terms, clock.disc(s, sj, big, delta), 1.0)
                b.row(terms, -const, np.inf)

    # objective
    if objective == "even":
        e_col = b.var(0.0, 1.0)
        for a in sorted(set(giver)):
            mine = [d for d in range(m) if giver[d] == a]
            weight = _even_weights(exchange, spec, mine, a, item_idx)
            total_value = float(sum(weight[d] * totals[d] for d in mine))
            for s in range(K):
                terms = {x[s][d]: weight[d] / total_value for d in mine}
                terms[e_col] = -1.0
                b.row(terms, -np.inf, 0.0)
    cost = np.zeros(b.n)
    if slack is not None:
        cost[slack_cols] = 1.0
    elif objective == "front-load":
        focus = set(spec.focus) if spec.focus else {d.item for d in spec.items}
        for d in range(m):
            if spec.items[d].item in focus:
                cost[x[0][d]] = -1.0 / totals[d]
    elif objective == "shortest":
        for col, v in clock.start(K)[0].items():
            cost[col] = v
    elif objective == "even":
        cost[e_col] = 1.0
    else:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    return _Model(b, clock, x, cost), slack_cols


@dataclass(frozen=True)
class _Margins:
    """One negotiator's terms: value per unit of each design item (``val``), per unit still
    outstanding on walking away (``beta``), per day of the flows (``rate``), its daily discount,
    the value of the end (``end_value``) and the constant part of walking away (``walk``)."""

    val: NDArray[np.float64]
    beta: NDArray[np.float64]
    rate: float
    delta: float
    end_value: float
    walk: float


def _flows_value(rate: float, delta: float, days: float) -> float:
    """Flows at ``rate`` per day for ``days`` days, in value at their first day."""
    return rate * ((1.0 - delta**days) / (1.0 - delta) if delta < 1.0 else days)


def _recursive_margins(
    b: _Builder,
    clock: _LengthClock,
    spec: ScheduleSpec,
    terms_j: _Margins,
    x: list[list[int]],
    remaining: list[list[int]],
    slot: list[int],
    n_slots: int,
    sj: int | None,
) -> None:
    """One negotiator's incentive constraints, each in value at its own decision point.

    ``C[s]``, the value at the start of stage ``s`` of carrying on to the end, obeys the
    Bellman recursion ``C[s] = val . x[s] + rate g(L_s) + delta**L_s C[s+1]`` with
    ``C[K] = end_value`` and ``g(L) = (1 - delta**L) / (1 - delta)``.  Only the product of the
    length choice ``a[s][L]`` and ``C[s+1]`` is non-linear; it is linearised exactly by
    disaggregating ``C[s+1] = sum_L c[s][L]`` with ``lo a[s][L] <= c[s][L] <= hi a[s][L]``
    for valid bounds ``lo <= C[s+1] <= hi`` (Glover 1975, "Improved linear integer programming
    formulations of nonlinear integer problems", Management Science 22(4); the convex hull of
    each product for a binary choice).  The margin at stage ``s``, slot ``q`` is then
    ``C[s] - (val + beta) . (stage-s deliveries before slot q) + beta . R[s] - walk``, plus the
    slack ``sigma_j`` when relaxed: in value at the point itself, so no linearisation.
    """
    K, m = spec.stages, len(spec.items)
    v, beta, rate, delta = terms_j.val, terms_j.beta, terms_j.rate, terms_j.delta
    totals = np.array([d.total for d in spec.items], dtype=np.float64)
    shortest, longest = clock.lengths[0], clock.lengths[-1]
    amount_lo = float(np.minimum(v, 0.0) @ totals)
    amount_hi = float(np.maximum(v, 0.0) @ totals)

    def bounds(s: int) -> tuple[float, float]:
        """Valid bounds on ``C[s]``: future amounts lie between none and all of each total
        (discounting only shrinks them), flows and the end are monotone in the days left."""
        ends = [(K - s) * shortest, (K - s) * longest]
        flow = [_flows_value(rate, delta, t) for t in ends]
        end = [terms_j.end_value * delta**t for t in ends]
        lo = amount_lo + min(flow) + min(end)
        hi = amount_hi + max(flow) + max(end)
        pad = 1e-9 * (1.0 + abs(lo) + abs(hi))
        return lo - pad, hi + pad

    C = [b.var(*bounds(s)) for s in range(K)]
    for s in range(K):
        terms: dict[int, float] = {C[s]: 1.0}
        for d in range(m):
            _add(terms, x[s][d], -float(v[d]))
        for L, c in clock.a[s].items():
            _add(terms, c, -_flows_value(rate, delta, L))
            if s == K - 1:
                _add(terms, c, -terms_j.end_value * delta**L)
        if s < K - 1:
            lo, hi = bounds(s + 1)
            split: dict[int, float] = {C[s + 1]: -1.0}
            for L, c in clock.a[s].items():
                part = b.var(min(lo, 0.0), max(hi, 0.0))
                b.row({part: 1.0, c: -lo}, 0.0, np.inf)  # lo a <= c
                b.row({part: 1.0, c: -hi}, -np.inf, 0.0)  # c <= hi a
                split[part] = 1.0
                _add(terms, part, -(delta**L))
            b.row(split, 0.0, 0.0)
        b.row(terms, 0.0, 0.0)
        for q in range(n_slots):
            row: dict[int, float] = {C[s]: 1.0}
            for d in range(m):
                _add(row, remaining[s][d], float(beta[d]))
                if slot[d] < q:
                    _add(row, x[s][d], -float(v[d] + beta[d]))
            if sj is not None:
                _add(row, sj, 1.0)
            b.row(row, terms_j.walk, np.inf)


def _even_weights(
    exchange: Exchange, spec: ScheduleSpec, mine: list[int], giver: int, item_idx: list[int]
) -> dict[int, float]:
    party = exchange.parties[giver]
    weight: dict[int, float] = {}
    for d in mine:
        v = 0.0
        if party in exchange.negotiators:
            v = abs(float(exchange.give[exchange.negotiators.index(party), item_idx[d]]))
        weight[d] = v if v > 0 else 1.0 / spec.items[d].total
    return weight


def _solve(model: _Model, time_limit: float, gap: float, *, presolve: bool = True):  # type: ignore[no-untyped-def]
    """Solve with HiGHS; ``presolve=False`` for the slack relaxations (see :func:`_explain`).

    A solver failure (status 4) is not a verdict on the schedule: HiGHS's presolve can break
    down on these programmes, so the same programme is then solved again without it.
    """
    b = model.b
    a = coo_array((b.vals, (b.rows, b.cols)), shape=(len(b.row_lb), b.n)).tocsr()
    options = {"time_limit": time_limit, "mip_rel_gap": gap, "disp": False}
    res = None
    for pre in (True, False) if presolve else (False,):
        res = milp(
            c=model.objective,
            integrality=np.array(b.integral),
            bounds=Bounds(np.array(b.lb), np.array(b.ub)),
            constraints=LinearConstraint(a, np.array(b.row_lb), np.array(b.row_ub)),
            options={**options, "presolve": pre},
        )
        if res.status != 4:
            break
    return res


def _read(
    model: _Model, sol: NDArray[np.float64], spec: ScheduleSpec, exchange: Exchange
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    bounds = model.clock.days(sol)
    days = np.array([b - a for a, b in pairwise(bounds)], dtype=np.int64)
    amounts = np.array([[sol[c] for c in row] for row in model.x], dtype=np.float64)
    for d, item in enumerate(spec.items):
        if exchange.integer[exchange.items.index(item.item)]:
            amounts[:, d] = np.round(amounts[:, d])
    amounts = np.where(np.abs(amounts) < 1e-9, 0.0, amounts)
    return days, amounts


def schedule_plan(
    exchange: Exchange,
    spec: ScheduleSpec,
    days: Sequence[int] | NDArray[np.int64],
    amounts: NDArray[np.float64],
) -> StagedPlan:
    """A :class:`StagedPlan` delivering ``amounts[s, d]`` of design item ``d`` in stage ``s``."""
    order = tuple(dict.fromkeys(spec.order)) if spec.order else ()
    stage_, slot_, from_, to_, item_, amt_ = [], [], [], [], [], []
    for s in range(spec.stages):
        for d, it in enumerate(spec.items):
            if amounts[s, d] > 0:
                stage_.append(s)
                slot_.append(order.index(it.giver) if order else 0)
                from_.append(exchange.parties.index(it.giver))
                to_.append(exchange.parties.index(it.receiver))
                item_.append(exchange.items.index(it.item))
                amt_.append(float(amounts[s, d]))
    n_f = len(exchange.flows)
    rates = spec.flow_rates if spec.flow_rates.size else np.zeros(n_f)
    return StagedPlan(
        id="designed",
        name=spec.name,
        stage_ids=tuple(f"stage-{s + 1}" for s in range(spec.stages)),
        days=np.asarray(days, dtype=np.float64),
        transfer_stage=np.array(stage_, dtype=np.intp),
        transfer_slot=np.array(slot_, dtype=np.intp),
        transfer_from=np.array(from_, dtype=np.intp),
        transfer_to=np.array(to_, dtype=np.intp),
        transfer_item=np.array(item_, dtype=np.intp),
        transfer_amount=np.array(amt_, dtype=np.float64),
        slot_parties=tuple(order for _ in range(spec.stages)),
        flow_rates=np.tile(rates, (spec.stages, 1)),
        final_rates=spec.final_rates if spec.final_rates.size else np.zeros(n_f),
        final_perpetual=spec.final_perpetual,
    )


def objective_value(
    spec: ScheduleSpec,
    objective: Objective,
    days: Sequence[int] | NDArray[np.int64],
    amounts: NDArray[np.float64],
    exchange: Exchange,
) -> float:
    """The objective of a schedule, as :func:`design_schedule` defines it (larger is better for
    ``front-load``; smaller is better for ``shortest`` and ``even``)."""
    totals = np.array([d.total for d in spec.items])
    if objective == "front-load":
        focus = set(spec.focus) if spec.focus else {d.item for d in spec.items}
        mask = np.array([d.item in focus for d in spec.items])
        return float((amounts[0, mask] / totals[mask]).sum())
    if objective == "shortest":
        return float(np.sum(days))
    item_idx = [exchange.items.index(d.item) for d in spec.items]
    worst = 0.0
    for a in sorted({d.giver for d in spec.items}):
        mine = [d for d, it in enumerate(spec.items) if it.giver == a]
        weight = _even_weights(exchange, spec, mine, exchange.parties.index(a), item_idx)
        total_value = sum(weight[d] * totals[d] for d in mine)
        shares = sum(weight[d] * amounts[:, d] for d in mine) / total_value
        worst = max(worst, float(np.max(shares)))
    return worst


def _scale(exchange: Exchange, spec: ScheduleSpec) -> float:
    totals = np.array([d.total for d in spec.items])
    idx = [exchange.items.index(d.item) for d in spec.items]
    size = np.abs(exchange.receive[:, idx]) + np.abs(exchange.give[:, idx])
    size = size + np.abs(exchange.outside_per_item[:, idx])
    return float(1.0 + (size @ totals).max() + np.abs(exchange.outside_base).max())


def design_schedule(
    exchange: Exchange,
    spec: ScheduleSpec,
    objective: Objective = "front-load",
    *,
    time_limit: float = 60.0,
    gap: float = 1e-4,
    tol: float = 1e-9,
    shortest_ties: bool = True,
    formulation: Formulation = "auto",
) -> ScheduleDesign:
    """The best self-enforcing schedule for ``objective`` (module docstring), or why none is.

    Solved exactly (up to the relative MIP gap ``gap``) as a mixed-integer
    linear programme with HiGHS (scipy.optimize.milp).  With
    ``shortest_ties``, a second solve picks, among schedules whose objective
    is within the gap of the optimum, one with the fewest days.
    ``formulation`` chooses how stage timing is encoded (all exact): one
    binary per possible day of each boundary (``"time-indexed"``), the bits of
    each boundary's day (``"binary"``), one binary per possible length of each
    stage with margins built along the continuation values
    (``"recursive"``), or ``"auto"`` (the recursive one, the fastest on every
    grid measured); see the module docstring.  A schedule found is
    re-checked with the independent evaluator
    (:func:`~accord.phased.evaluate.evaluate_plan`) at tolerance ``tol`` plus
    the solver's feasibility tolerance on the scale of the valuations.
    Sources: Admati and Perry (1991); Compte and Jehiel (2004); Fearon (1995).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    if spec.stages < 1:
        raise ValueError(f"a schedule needs at least one stage; got {spec.stages}")
    if not 0 <= spec.min_days <= spec.max_days:
        raise ValueError(
            f"stage lengths need 0 <= min_days <= max_days; got {spec.min_days} and {spec.max_days}"
        )
    if spec.day_step < 1:
        raise ValueError(f"day_step must be a whole number of days >= 1; got {spec.day_step}")
    for it in spec.items:
        if it.item not in exchange.items:
            raise ValueError(f"unknown item {it.item!r}; the items are {', '.join(exchange.items)}")
        for who in (it.giver, it.receiver):
            if who not in exchange.parties:
                raise ValueError(f"unknown party {who!r}")
        if it.total <= 0:
            raise ValueError(f"the total of {it.item!r} must be > 0; got {it.total:g}")
    model, _ = _build(exchange, spec, objective, formulation=formulation)
    res = _solve(model, time_limit, gap)
    check_tol = max(tol, 1e-6 * _scale(exchange, spec))
    if shortest_ties and objective != "shortest" and res.status == 0 and res.x is not None:
        # among schedules within the MIP gap of the optimum, the one with the fewest days
        tied, _ = _build(exchange, spec, objective, formulation=formulation)
        best = float(res.fun)
        slack = max(abs(best) * gap, 1e-9) + 1e-9
        cols = np.flatnonzero(tied.objective)
        tied.b.row({int(c): float(tied.objective[c]) for c in cols}, -np.inf, best + slack)
        days_only = np.zeros(tied.b.n)
        for col, v in tied.clock.start(spec.stages)[0].items():
            days_only[col] = v
        again = _solve(replace(tied, objective=days_only), time_limit, gap)
        if again.status == 0 and again.x is not None:
            model, res = tied, again
    if res.x is not None and res.status in (0, 1):
        days, amounts = _read(model, res.x, spec, exchange)
        plan = schedule_plan(exchange, spec, days, amounts)
        recheck = evaluate_plan(exchange, plan, tol=check_tol)
        status = "optimal" if res.status == 0 else "time limit"
        return ScheduleDesign(
            status=status,
            objective=objective,
            objective_value=objective_value(spec, objective, days, amounts, exchange),
            items=spec.items,
            days=days,
            amounts=amounts,
            plan=plan,
            recheck=recheck,
            infeasibility=None,
            message=(
                "optimal schedule found"
                if status == "optimal"
                else f"time limit of {time_limit:g} s reached; best schedule found so far"
            ),
        )
    if res.status == 1:
        return ScheduleDesign(
            "time limit",
            objective,
            None,
            spec.items,
            None,
            None,
            None,
            None,
            None,
            f"no schedule found within the time limit of {time_limit:g} s",
        )
    if res.status != 2:
        raise RuntimeError(f"the schedule programme failed: {res.message}")
    why = _explain(exchange, spec, time_limit, gap, check_tol, formulation)
    return ScheduleDesign(
        "infeasible", objective, None, spec.items, None, None, None, None, why, why.explanation
    )


def _solve_relaxed(  # type: ignore[no-untyped-def]
    exchange: Exchange,
    spec: ScheduleSpec,
    slack: list[bool],
    time_limit: float,
    gap: float,
    formulation: Formulation,
):
    """The slack relaxation in ``formulation``, without presolve (see :func:`_explain`).

    Without presolve HiGHS has also failed outright (status 4, "Solve error") on some
    relaxations, for example the binary formulation on a 2-stage case pinned in the tests.  A
    failure is not a verdict, and every formulation is exact, so the same relaxation is then
    solved in the other formulations in turn; the first answer (optimal, infeasible or time
    limit) is returned with the model it came from.
    """
    first = _pick(formulation, spec)
    model, res = None, None
    for form in (first, *(f for f in FORMULATIONS[1:] if f != first)):
        model, _ = _build(exchange, spec, "shortest", slack=slack, formulation=form)
        res = _solve(model, time_limit, gap, presolve=False)
        if res.status != 4:
            break
    return model, res


def _explain(
    exchange: Exchange,
    spec: ScheduleSpec,
    time_limit: float,
    gap: float,
    tol: float,
    formulation: Formulation,
) -> Infeasibility:
    """Relax each negotiator's incentive constraints by an extra guarantor penalty, minimised.

    The relaxations are solved without HiGHS's presolve: on them it has returned a wrong
    optimum (an extra penalty of 6 where a schedule needing 5 exists, with the time-indexed
    formulation), failed outright (status 4, binary formulation), and stopped a feasibility
    tolerance (1e-6) short of the penalty really needed, so the two formulations disagreed.
    The penalties reported are then re-derived exactly from the chosen schedule's margins
    (:func:`_exact_extra`).  ``alone[j]`` is None only when relaxing ``j`` alone is proven
    infeasible (or the time limit ran out with nothing found), never on a solver failure.
    """
    J = len(exchange.negotiators)
    names = exchange.negotiators
    model, res = _solve_relaxed(exchange, spec, [True] * J, time_limit, gap, formulation)
    if res.x is None:  # pragma: no cover - the relaxation is always feasible
        raise RuntimeError(f"the relaxed schedule programme failed: {res.message}")
    days, amounts, plan, needed = _exact_extra(exchange, spec, model, res.x, tol)
    extra = tuple(float(e) for e in needed)
    penalties = minimal_guarantees(exchange, plan, tol=tol).required
    alone: list[float | None] = []
    for j in range(J):
        only_j = [k == j for k in range(J)]
        mj, rj = _solve_relaxed(exchange, spec, only_j, time_limit, gap, formulation)
        if rj.x is not None and rj.status in (0, 1):
            alone.append(float(_exact_extra(exchange, spec, mj, rj.x, tol)[3][j]))
        elif rj.status in (1, 2):  # proven infeasible (or nothing found in the time limit)
            alone.append(None)
        else:
            raise RuntimeError(f"the relaxed schedule programme failed: {rj.message}")
    lengths = f"{spec.min_days} to {spec.max_days} days" + (
        f" in steps of {spec.day_step}" if spec.day_step > 1 else ""
    )
    lines = [
        f"No {spec.stages}-stage schedule with stages of {lengths} keeps every negotiator's "
        "margin of carrying on over walking away non-negative at every point."
    ]
    short = [j for j in range(J) if extra[j] > tol]
    for j in range(J):
        if alone[j] is None:
            lines.append(
                f"No guarantor penalty on {names[j]} alone can fix it: the other side's "
                "constraints fail too."
            )
        else:
            lines.append(
                f"A guarantor penalty on {names[j]} alone of {alone[j]:.4g} more than today's "
                f"{exchange.penalty[j]:.4g} would make some schedule self-enforcing."
            )
    if len(short) > 1 or all(a is None for a in alone):
        lines.append(
            "Together, the smallest extra penalties are "
            + ", ".join(f"{names[j]} {extra[j]:.4g}" for j in range(J))
            + "."
        )
    lines.append(
        "Other ways to relax it: more stages, other stage lengths, or terms that change what "
        "walking away is worth."
    )
    return Infeasibility(
        explanation=" ".join(lines),
        negotiators=names,
        shortfall=extra,
        alone=tuple(alone),
        penalties=tuple(float(p) for p in penalties),
        relaxed_days=tuple(int(d) for d in days),
        relaxed_amounts=tuple(tuple(float(a) for a in row) for row in amounts),
    )


def _exact_extra(
    exchange: Exchange,
    spec: ScheduleSpec,
    model: _Model,
    sol: NDArray[np.float64],
    tol: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64], StagedPlan, NDArray[np.float64]]:
    """The schedule a slack solve chose, and the exact extra penalty it needs per negotiator.

    The slack columns themselves are only as exact as HiGHS's feasibility tolerances (about 1e-6
    absolute, and presolve uses them): they can fall that far short of the penalty the schedule
    really needs, differently in the two formulations.  The schedule (whole days, rounded whole
    units) is exact, so the extra penalty is taken from its margins instead: the smallest
    ``sigma_j`` with ``margin_j(p) + sigma_j >= 0`` at every point is ``max(0, -min_p margin_j)``
    (the closed form of :mod:`accord.phased.guarantee`, on top of today's penalties).
    """
    days, amounts = _read(model, sol, spec, exchange)
    plan = schedule_plan(exchange, spec, days, amounts)
    margin = evaluate_plan(exchange, plan, tol=tol).margin
    needed = np.maximum(0.0, -margin.min(axis=1, initial=np.inf)) + 0.0  # no -0.0
    return days, amounts, plan, needed
