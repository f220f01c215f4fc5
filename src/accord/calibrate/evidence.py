"""From a scenario to linear programmes: each negotiator's unknowns and each piece of evidence
as linear rows over them.

**The unknowns.** A negotiator's utility for a package is ``sum_i w_i * v_i(option)`` with
normalised weights ``w`` (summing to 1) and values ``v`` rescaled to [0, 1] per issue. It is
bilinear in weights and values, so the unknowns are each issue's weight ``w_i`` and each
option's *contribution* ``c_ij = w_i * v_ij`` (``0 <= c_ij <= w_i``), in which every utility is
linear. The option the estimates value most on an issue keeps contribution ``w_i`` and the one
valued least ``0``: the ends of each value scale anchor the normalisation and stay fixed. On a
numeric issue (values interpolated between points) and on an issue whose estimated weight is 0,
the shape of the values is kept and only the weight moves. Walk-aways (the reservation, and one
per ``reservation_by_date`` period) are unknowns of their own.

**The distance** is in the units the file writes: a weight moves ``total * |dw|`` (the raw
weights keep their sum), a value ``(high - low) * |dv|`` on its issue's scale, a walk-away
``|dr|``. A value's change is measured as ``|c_ij - v0_ij * w_i|`` (the contribution's move
beyond what the weight's own move explains) divided by the estimated weight: exact when the
weight stays, first-order otherwise.

**The evidence** (see ``docs/reference/calibrate.md``):

* ``accepted`` — the package was at least as good as walking away: ``u(P) >= r``;
* ``rejected`` — it was worse than walking away: ``u(P) <= r`` (a party that turned a draft down
  because it expected a better deal records ``countered``, not ``rejected``);
* ``countered`` with ``counter: Q`` — the party preferred its counter: ``u(Q) >= u(P)``;
  ``countered`` alone constrains nothing;
* a judgement *prefers A over B* — ``u(A) >= u(B)``;
* a stated position — each option it names is at least as good as each option it leaves out
  (on a numeric issue, each value within its ``min``/``max`` against each value outside).

A response's walk-away is the ``reservation_by_date`` period holding on its date (the response's
own date, else the proposal's), else the block's ``reservation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.calibrate.solve import Array, Group, Polytope
from accord.errors import LimitExceeded
from accord.jsonable import NOT_SERIALISED
from accord.limits import MAX_CALIBRATION_CELLS
from accord.model.checks import resolve_option
from accord.model.schema import Issue, Preferences, Scenario, Verdict
from accord.space.compile import normalised_values

__all__ = ["Evidence", "Unknown", "Unknowns", "check_size", "evidence_of", "unknowns_of"]


def _ids(citations: Sequence[str]) -> tuple[str, ...]:
    """The sources a piece of evidence cites, each once (a citation is its source's id, with
    perhaps a locator: several locators in one source name it once here)."""
    return tuple(dict.fromkeys(str(c) for c in citations))


@dataclass(frozen=True)
class Unknown:
    """One calibrated number: where the file writes it and how it maps to the unknowns."""

    path: tuple[str | int, ...]
    kind: str  # "weight" | "value" | "reservation"
    issue: str | None = None
    option: str | None = None


@dataclass(frozen=True)
class Unknowns:
    """A negotiator's unknowns (:class:`Polytope`), what each is, and how to read utilities.

    ``term[issue][j]`` is the row vector giving option ``j``'s contribution on ``issue``;
    ``low``/``high`` each categorical issue's value scale in the file's units; ``total`` the raw
    weights' sum.
    """

    party: str
    polytope: Polytope
    unknowns: tuple[Unknown, ...]
    term: dict[str, Array] = field(metadata=NOT_SERIALISED)
    reservation_of: tuple[tuple[dt.date, dt.date, int], ...]
    reservation_index: int
    low: dict[str, float]
    high: dict[str, float]
    total: float

    def utility_row(self, choice: dict[str, int]) -> Array:
        """The row ``a`` with ``a @ x`` the utility of the package (issue -> option index)."""
        return sum((self.term[i][j] for i, j in choice.items()), np.zeros(self.polytope.size))

    def walk_away(self, day: dt.date | None) -> int:
        """The index of the walk-away holding on ``day``."""
        for start, end, index in self.reservation_of:
            if day is not None and start <= day <= end:
                return index
        return self.reservation_index


def _issue_unknowns(
    issue: Issue, pref: Preferences, names: list[Unknown], party: str
) -> tuple[Array | None, list[tuple[int, int, float]], float, float]:
    """The estimated normalised values (or None), the free options as (option index, unknown
    index, estimated value), and the issue's value scale (low, high) in the file's units."""
    try:
        values = normalised_values(issue, pref)
    except ValueError:  # every value equal on an issue of weight 0: it cannot matter
        values = None
    if values is None:
        return None, [], 0.0, 1.0
    table = pref.values[issue.id]
    if issue.range is not None or pref.weight(issue.id) == 0 or not isinstance(table, dict):
        return values, [], 0.0, 1.0
    raw = [table[o].point for o in issue.option_ids()]
    best, worst = int(np.argmax(values)), int(np.argmin(values))
    free = []
    for j, option in enumerate(issue.option_ids()):
        if j not in (best, worst):
            free.append((j, len(names), float(values[j])))
            names.append(
                Unknown(
                    ("preferences", party, "values", issue.id, option), "value", issue.id, option
                )
            )
    return values, free, min(raw), max(raw)


def check_size(scenario: Scenario, party: str) -> None:
    """Raise :class:`LimitExceeded` when ``party``'s calibration would build arrays of more
    than ``MAX_CALIBRATION_CELLS`` entries (checked before any is built)."""
    pref = scenario.preferences[party]
    issues = {i.id: i for i in scenario.issues}
    unknowns = len(issues) + 1 + len(pref.reservation_by_date)
    unknowns += sum(i.size for i in issues.values() if i.range is None and pref.weight(i.id) > 0)
    rows = sum(i.size for i in issues.values()) + len(scenario.judgements)
    rows += sum(len(p.responses) for p in scenario.proposals)
    for pos in scenario.positions:
        if pos.party == party and pos.issue in issues:
            size = issues[pos.issue].size
            rows += (size // 2) * (size - size // 2)  # stated x others, at most
    if rows * unknowns > MAX_CALIBRATION_CELLS:
        raise LimitExceeded(
            f"calibrating {party!r} needs arrays of about {rows * unknowns:,} entries "
            f"({rows:,} rows x {unknowns:,} unknowns); the limit is "
            f"{MAX_CALIBRATION_CELLS:,} (accord.limits.MAX_CALIBRATION_CELLS)"
        )


def unknowns_of(scenario: Scenario, party: str) -> Unknowns:
    """The unknowns of ``party``'s preferences and the structure they obey (long-ish only in
    bookkeeping: one pass over the issues, then the arrays)."""
    check_size(scenario, party)
    pref = scenario.preferences[party]
    total = pref.total_weight
    issues = scenario.issues
    names = [Unknown(("preferences", party, "weights", i.id), "weight", i.id) for i in issues]
    shapes = [_issue_unknowns(i, pref, names, party) for i in issues]
    r_index = len(names)
    names.append(Unknown(("preferences", party, "reservation"), "reservation"))
    periods = []
    for k, period in enumerate(pref.reservation_by_date):
        periods.append((period.valid_from, period.valid_until, len(names)))
        names.append(
            Unknown(("preferences", party, "reservation_by_date", k, "reservation"), "reservation")
        )
    n = len(names)
    start, lower, upper = np.zeros(n), np.zeros(n), np.ones(n)
    term: dict[str, Array] = {}
    cap_rows, dev_rows, cost = [], [], []
    for k, (issue, (values, free, low, high)) in enumerate(zip(issues, shapes, strict=True)):
        start[k] = pref.weight(issue.id) / total
        dev_rows.append(np.eye(n)[k])
        cost.append(total)
        rows = np.zeros((issue.size, n))
        if values is None:
            upper[k] = 0.0  # no values: the issue cannot start to matter
        else:
            rows[:, k] = values
            for j, index, v0 in free:
                rows[j] = 0.0
                rows[j, index] = 1.0
                start[index] = v0 * start[k]
                cap = np.zeros(n)
                cap[index], cap[k] = 1.0, -1.0
                cap_rows.append(cap)
                dev = np.zeros(n)
                dev[index], dev[k] = 1.0, -v0
                dev_rows.append(dev)
                cost.append((high - low) / start[k])
        term[issue.id] = rows
    start[r_index] = pref.reservation.point
    for (_, _, index), period in zip(periods, pref.reservation_by_date, strict=True):
        start[index] = period.reservation.point
    for index in [r_index] + [p[2] for p in periods]:
        dev_rows.append(np.eye(n)[index])
        cost.append(1.0)
    a_eq = np.zeros((1, n))
    a_eq[0, : len(issues)] = 1.0
    polytope = Polytope(
        start=start,
        lower=lower,
        upper=upper,
        a_eq=a_eq,
        b_eq=np.ones(1),
        a_ub=np.array(cap_rows).reshape(-1, n),
        b_ub=np.zeros(len(cap_rows)),
        deviation=np.array(dev_rows),
        cost=np.array(cost),
    )
    return Unknowns(
        party=party,
        polytope=polytope,
        unknowns=tuple(names),
        term=term,
        reservation_of=tuple(periods),
        reservation_index=r_index,
        low={i.id: s[2] for i, s in zip(issues, shapes, strict=True)},
        high={i.id: s[3] for i, s in zip(issues, shapes, strict=True)},
        total=total,
    )


@dataclass(frozen=True)
class Evidence:
    """One piece of the record, as words and as rows ``A x <= b`` over its party's unknowns.

    ``id`` names it: the proposal's id for a response, the judgement's id (or
    ``judgements[k]``), ``positions[k]`` for a stated position.
    """

    id: str
    kind: str  # "response" | "judgement" | "position"
    party: str
    says: str
    date: str | None
    sources: tuple[str, ...]
    group: Group = field(metadata=NOT_SERIALISED)


def _choice(scenario: Scenario, proposal_id: str) -> dict[str, int]:
    package = scenario.proposal(proposal_id).package
    out = {}
    for issue in scenario.issues:
        index = resolve_option(issue, package[issue.id])[0]
        assert index is not None  # the loader's checks guarantee it
        out[issue.id] = index
    return out


def _group(rows: list[Array], n: int, bound: float = 0.0) -> Group:
    matrix = np.array(rows).reshape(-1, n)
    return Group(matrix, np.full(matrix.shape[0], bound))


def _responses(scenario: Scenario, known: dict[str, Unknowns], margin: float) -> list[Evidence]:
    out = []
    for prop in scenario.proposals:
        for party, response in prop.responses.items():
            if party not in known:
                continue
            u = known[party]
            n = u.polytope.size
            day = response.date or prop.date
            utility = u.utility_row(_choice(scenario, prop.id))
            walk = np.eye(n)[u.walk_away(day)]
            verdict = response.response
            head = f"{party} {verdict.value} {prop.id}"
            if verdict is Verdict.accepted:
                says = f"{head}: its utility is at least the walk-away"
                group = _group([walk - utility], n, -margin)
            elif verdict is Verdict.rejected:
                says = f"{head}: its utility is at most the walk-away"
                group = _group([utility - walk], n, -margin)
            elif response.counter is not None:
                counter = u.utility_row(_choice(scenario, response.counter))
                says = f"{head} with {response.counter}: prefers {response.counter}"
                group = _group([utility - counter], n)
            else:
                says = f"{head} (no counter named): no constraint"
                group = _group([], n)
            out.append(
                Evidence(
                    prop.id,
                    "response",
                    party,
                    says,
                    str(day),
                    _ids(response.sources or prop.sources),
                    group,
                )
            )
    return out


def _judgements(scenario: Scenario, known: dict[str, Unknowns]) -> list[Evidence]:
    out = []
    for k, j in enumerate(scenario.judgements):
        if j.party not in known:
            continue
        u = known[j.party]
        better = u.utility_row(_choice(scenario, j.prefers))
        worse = u.utility_row(_choice(scenario, j.over))
        out.append(
            Evidence(
                j.id or f"judgements[{k}]",
                "judgement",
                j.party,
                f"{j.party} prefers {j.prefers} over {j.over}",
                str(j.date) if j.date else None,
                _ids(j.sources),
                _group([worse - better], u.polytope.size),
            )
        )
    return out


def _stated(
    issue: Issue, options: tuple[str, ...], low: float | None, high: float | None
) -> list[int]:
    if issue.range is None:
        return [j for j, o in enumerate(issue.option_ids()) if o in options]
    values = issue.range.values()
    lo = -np.inf if low is None else low
    hi = np.inf if high is None else high
    return [j for j, x in enumerate(values) if lo <= x <= hi]


def _positions(scenario: Scenario, known: dict[str, Unknowns]) -> list[Evidence]:
    out = []
    issues = {i.id: i for i in scenario.issues}
    for k, pos in enumerate(scenario.positions):
        if pos.party not in known or pos.issue not in issues:
            continue
        u = known[pos.party]
        issue = issues[pos.issue]
        stated = _stated(issue, pos.options, pos.min, pos.max)
        others = [j for j in range(issue.size) if j not in stated]
        term = u.term[issue.id]
        rows = [term[o] - term[s] for s in stated for o in others] if stated else []
        out.append(
            Evidence(
                f"positions[{k}]",
                "position",
                pos.party,
                f"{pos.party}'s position on {pos.issue}: what it asks for is worth at least "
                "the rest",
                None,
                _ids(pos.sources),
                _group(rows, u.polytope.size),
            )
        )
    return out


def evidence_of(
    scenario: Scenario, known: dict[str, Unknowns], *, margin: float = 0.0
) -> list[Evidence]:
    """Every piece of evidence about the negotiators in ``known``: responses, judgements,
    stated positions, in that order (``margin``: how far below or above the walk-away a
    rejected or accepted package must be, in utility points)."""
    return (
        _responses(scenario, known, margin)
        + _judgements(scenario, known)
        + _positions(scenario, known)
    )
