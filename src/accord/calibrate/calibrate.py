"""Calibration: the evidence the estimates contradict, and the nearest estimates that agree.

For each negotiator with preferences (see :mod:`accord.calibrate.evidence` for the unknowns and
what each piece of evidence says): the evidence the file's estimates contradict, by how much;
whether any estimates agree with all of it; if not, a smallest set of evidence to drop and, for
each piece dropped, an irreducible infeasible subset that shows what it conflicts with; and the
estimates nearest the file's (weighted L1 distance in the file's units) that agree with the
evidence kept. The file's estimates are never changed: the calibrated numbers are a second,
labelled set (:class:`Change`).
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.calibrate.evidence import Evidence, Unknowns, evidence_of, unknowns_of
from accord.calibrate.solve import (
    Array,
    deletion_filter,
    fewest_to_drop,
    is_feasible,
    nearest,
    violation,
)
from accord.model.schema import Scenario

__all__ = [
    "REJECTED_MEANS",
    "Calibration",
    "Change",
    "Conflict",
    "Finding",
    "PartyCalibration",
    "calibrate_scenario",
]

REJECTED_MEANS = (
    "accepted: the package was at least as good as walking away (utility >= walk-away); "
    "rejected: it was worse than walking away (utility <= walk-away); a party that turned a "
    "draft down because it expected a better deal is recorded as 'countered' (with the "
    "counter-proposal, if any: it preferred that one), which says nothing about its walk-away"
)
"""How each response is read, said in the output and in ``docs/reference/calibrate.md``."""

_BIG_M = 2.0
"""Every evidence row is a difference of two utilities, or of a utility and a walk-away, or of
two contributions, each in [0, 1]: it is violated by at most 1 (plus the margin)."""


@dataclass(frozen=True)
class Finding:
    """A piece of evidence judged against the file's estimates.

    ``shortfall`` is how far the estimates are from agreeing with it, in utility points (the
    largest violation of its rows; 0 when they agree)."""

    id: str
    kind: str
    party: str
    says: str
    date: str | None
    sources: tuple[str, ...]
    shortfall: float


@dataclass(frozen=True)
class Conflict:
    """A piece of evidence dropped, and an irreducible infeasible subset through it: these
    pieces cannot all hold, and any one of them alone dropped lets the others hold."""

    dropped: Finding
    cannot_all_hold: tuple[Finding, ...]


@dataclass(frozen=True)
class Change:
    """One calibrated number: where the file writes it, what it was, what it becomes."""

    path: tuple[str | int, ...]
    was: float
    now: float


@dataclass(frozen=True)
class PartyCalibration:
    """One negotiator's calibration.

    ``consistent``: some estimates agree with all its evidence. ``distance``: the L1 distance
    of the calibrated numbers from the file's, in the file's units.
    """

    party: str
    evidence: int
    contradicted: int
    consistent: bool
    conflicts: tuple[Conflict, ...]
    changes: tuple[Change, ...]
    distance: float


@dataclass(frozen=True)
class Calibration:
    """What the record says of the estimates (``contradicted``: the evidence they contradict,
    each named by its id: the proposal's id for a response)."""

    scenario: str
    how_responses_are_read: str
    evidence: int
    contradicted: tuple[Finding, ...]
    agreeing: tuple[Finding, ...]
    parties: tuple[PartyCalibration, ...]

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for p in self.parties for c in p.changes)


def _finding(e: Evidence, start: Array) -> Finding:
    shortfall = round(violation(e.group, start), 9)
    return Finding(e.id, e.kind, e.party, e.says, e.date, e.sources, shortfall)


def _raw(u: Unknowns, x: Array, k: int) -> float:
    """Unknown ``k`` of ``x`` in the file's units."""
    what = u.unknowns[k]
    if what.kind == "weight":
        return float(x[k]) * u.total
    if what.kind == "reservation":
        return float(x[k])
    assert what.issue is not None
    w = _weight_index(u, what.issue)
    start = u.polytope.start
    share = float(x[k] / x[w]) if x[w] > 1e-12 else float(start[k] / start[w])
    low, high = u.low[what.issue], u.high[what.issue]
    return low + (high - low) * min(max(share, 0.0), 1.0)


def _changes(u: Unknowns, x: Array, tol: float) -> tuple[Change, ...]:
    out = []
    start = u.polytope.start
    for k, what in enumerate(u.unknowns):
        was, now = _raw(u, start, k), _raw(u, x, k)
        if what.kind == "value" and x[_weight_index(u, what.issue)] <= 1e-12:
            continue  # a weight calibrated to 0: the issue's values no longer matter
        if abs(now - was) > tol * max(1.0, abs(was)):
            out.append(Change(what.path, was, round(now, 6)))
    return tuple(out)


def _weight_index(u: Unknowns, issue: str | None) -> int:
    return next(k for k, v in enumerate(u.unknowns) if v.kind == "weight" and v.issue == issue)


def _party(u: Unknowns, pieces: list[Evidence], tol: float, margin: float) -> PartyCalibration:
    poly = u.polytope
    groups = [e.group for e in pieces]
    findings = [_finding(e, poly.start) for e in pieces]
    contradicted = sum(f.shortfall > tol for f in findings)
    conflicts: list[Conflict] = []
    kept = list(range(len(pieces)))
    consistent = is_feasible(poly, groups)
    if not consistent:
        dropped = fewest_to_drop(poly, groups, big_m=_BIG_M + 2 * margin)
        kept = [k for k in kept if k not in dropped]
        for d in dropped:
            subset = [*kept, d]
            iis = deletion_filter(poly, [groups[k] for k in subset], keep=len(subset) - 1)
            members = tuple(findings[subset[k]] for k in iis)
            conflicts.append(Conflict(findings[d], members))
    x = nearest(poly, [groups[k] for k in kept])
    if x is None:  # pragma: no cover - the kept evidence is feasible by construction
        raise RuntimeError(f"no estimates for {u.party} agree with the evidence kept")
    changes = _changes(u, x, tol)
    distance = sum((abs(c.now - c.was) for c in changes), 0.0)
    return PartyCalibration(
        u.party,
        len(pieces),
        contradicted,
        consistent,
        tuple(conflicts),
        changes,
        round(distance, 6),
    )


def calibrate_scenario(
    scenario: Scenario, *, margin: float = 0.0, tol: float = 1e-7
) -> Calibration:
    """Check the scenario's estimates against its record and calibrate them (see the module
    docstring). ``margin``: how far from the walk-away an accepted or rejected package must
    be, in utility points; ``tol``: a shortfall up to ``tol`` counts as agreement."""
    parties = [p.id for p in scenario.negotiators if p.id in scenario.preferences]
    known = {p: unknowns_of(scenario, p) for p in parties}
    pieces = evidence_of(scenario, known, margin=margin)
    results = [_party(known[p], [e for e in pieces if e.party == p], tol, margin) for p in parties]
    findings = [_finding(e, known[e.party].polytope.start) for e in pieces]
    return Calibration(
        scenario=scenario.title,
        how_responses_are_read=REJECTED_MEANS,
        evidence=len(pieces),
        contradicted=tuple(f for f in findings if f.shortfall > tol),
        agreeing=tuple(f for f in findings if f.shortfall <= tol),
        parties=tuple(results),
    )
