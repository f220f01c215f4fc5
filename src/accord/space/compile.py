"""From a validated scenario to the arrays of its agreement space.

Normalisation (the scenario format's rule): each negotiator's weights are
divided by their sum, and its values on each issue are rescaled as its ``normalize``
says (:class:`accord.model.schema.Normalization`): by default min-max over
that issue's options to [0, 1]; under ``max`` an option issue's values are divided by
their largest (GENIUS's discrete evaluator) and a range's are used as written; under
``none`` every value is used as written.  A numeric issue's value points are first
interpolated piecewise-linearly at every step of the range.  The utility of a
package is then the weighted sum of normalised values (in [0, 1] under ``minmax``).

Every number is also computed exactly, as a rational (:mod:`accord.space.exact`):
each weight, value, range bound and step, range point and reservation is read
as the decimal the user wrote, so the normalised contributions are exact
rationals, and the analyses decide on them.  The float contributions are kept
for display.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from accord.model.checks import resolve_option
from accord.model.problems import Problem, ScenarioError
from accord.model.schema import Issue, Normalization, Party, Preferences, Scenario
from accord.space.compiled import (
    CompiledIssue,
    CompiledSpace,
    ForbiddenCombination,
    NegotiatorRationals,
)
from accord.space.exact import rational

__all__ = ["compile_issue", "compile_space", "exact_normalised_values", "normalised_values"]


def _label(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def compile_issue(issue: Issue) -> CompiledIssue:
    """The option labels (and numbers, for a numeric issue) of one issue."""
    if issue.range is not None:
        grid = issue.range.values()
        return CompiledIssue(
            issue.id, issue.name, tuple(_label(x) for x in grid), grid, issue.range.unit or None
        )
    return CompiledIssue(issue.id, issue.name, issue.option_ids())


def normalised_values(issue: Issue, pref: Preferences) -> NDArray[np.float64] | None:
    """The party's value of each option of ``issue`` rescaled to [0, 1]; None if none given.

    Raises ValueError when every option has the same value (nothing to rescale) under
    ``normalize: minmax``, or when the largest is not positive under ``max``.
    """
    table = pref.values.get(issue.id)
    if table is None:
        return None
    if issue.range is not None:
        assert not isinstance(table, dict)
        xs = np.array([p[0] for p in table], dtype=float)
        vs = np.array([p[1].point for p in table], dtype=float)
        raw = np.interp(np.array(issue.range.values()), xs, vs)
    else:
        assert isinstance(table, dict)
        raw = np.array([table[o].point for o in issue.option_ids()], dtype=float)
    lo, hi = map(float, _scale_ends(issue, pref, Fraction(raw.min()), Fraction(raw.max())))
    normalised: NDArray[np.float64] = (raw - lo) / (hi - lo)
    return normalised


def _scale_ends(
    issue: Issue, pref: Preferences, lo: Fraction, hi: Fraction
) -> tuple[Fraction, Fraction]:
    """The values that become 0 and 1 on the party's scale for ``issue``, given its lowest
    and highest raw values (:class:`Normalization`); exact, so both paths divide alike."""
    scale = pref.scale(issue)
    if scale is Normalization.none:
        return Fraction(0), Fraction(1)
    if scale is Normalization.max:
        if hi <= 0:
            raise ValueError(f"the largest value of {issue.id!r} is not positive")
        return Fraction(0), hi
    if hi == lo:
        raise ValueError(f"every option of {issue.id!r} has the same value")
    return lo, hi


def _pieces(
    points: list[tuple[Fraction, Fraction]], start: Fraction, step: Fraction, count: int
) -> list[tuple[int, int, Fraction, Fraction]]:
    """The value at each step ``start + k * step`` (k < count) of a piecewise-linear function
    through ``points`` (x increasing, constant beyond the ends: :func:`numpy.interp`'s rule),
    as pieces (first k, end k, a, b) on which the value is exactly ``a + b * k``."""
    firsts = [min(count, max(0, math.ceil((x - start) / step))) for x, _ in points]
    pieces = [(0, firsts[0], points[0][1], Fraction(0))]
    for (x0, v0), (x1, v1), k0, k1 in zip(points, points[1:], firsts, firsts[1:], strict=False):
        slope = (v1 - v0) / (x1 - x0)
        pieces.append((k0, k1, v0 + slope * (start - x0), slope * step))
    pieces.append((firsts[-1], count, points[-1][1], Fraction(0)))
    return [p for p in pieces if p[1] > p[0]]


def _affine_values(pieces: list[tuple[int, int, Fraction, Fraction]]) -> list[Fraction]:
    """Every ``a + b * k`` of the pieces, in integers over each piece's common denominator."""
    out: list[Fraction] = []
    for k0, k1, a, b in pieces:
        q = math.lcm(a.denominator, b.denominator)
        na, nb = a.numerator * (q // a.denominator), b.numerator * (q // b.denominator)
        out.extend(Fraction(na + nb * k, q) for k in range(k0, k1))
    return out


def exact_normalised_values(
    issue: Issue, pref: Preferences, share: Fraction = Fraction(1)
) -> tuple[Fraction, ...] | None:
    """:func:`normalised_values` in exact rational arithmetic, times ``share``; None if no
    values are given.

    A range's steps are evaluated piece by piece (the value is affine in the step's index
    between two value points), so a range of 10**4 steps costs milliseconds.

    Raises ValueError when every option has the same value.
    """
    table = pref.values.get(issue.id)
    if table is None:
        return None
    if issue.range is None:
        assert isinstance(table, dict)
        raw = [rational(table[o].point) for o in issue.option_ids()]
        lo, hi = _scale_ends(issue, pref, min(raw), max(raw))
        return tuple(share * (v - lo) / (hi - lo) for v in raw)
    assert not isinstance(table, dict)
    points = [(rational(x), rational(v.point)) for x, v in table]
    start, step = rational(issue.range.min), rational(issue.range.step)
    pieces = _pieces(points, start, step, issue.range.count)
    ends = [a + b * k for k0, k1, a, b in pieces for k in (k0, k1 - 1)]  # extremes of each piece
    lo, hi = _scale_ends(issue, pref, min(ends), max(ends))
    scale = share / (hi - lo)
    return tuple(_affine_values([(k0, k1, (a - lo) * scale, b * scale) for k0, k1, a, b in pieces]))


def _exact_preferences(scenario: Scenario, party: str) -> NegotiatorRationals:
    """One negotiator's exact contributions per issue and option, and its exact reservation."""
    pref = scenario.preferences[party]
    weights = {i: rational(w.point) for i, w in pref.weights.items()}
    total = sum(weights.values(), Fraction(0))
    tables = []
    for issue in scenario.issues:
        share = weights.get(issue.id, Fraction(0)) / total
        values = exact_normalised_values(issue, pref, share) if share > 0 else None
        tables.append((Fraction(0),) * issue.size if values is None else values)
    return tuple(tables), rational(pref.reservation.point)


def _contribution_table(
    scenario: Scenario, issue: Issue, negotiators: tuple[Party, ...]
) -> NDArray[np.float64]:
    """(options, negotiators): each negotiator's normalised weight times normalised value.

    Raises :class:`ScenarioError` when a negotiator weighs the issue but gives no
    values for it, or when its value points give every step of a range the same
    value (nothing to rescale).
    """
    table = np.zeros((issue.size, len(negotiators)))
    for j, party in enumerate(negotiators):
        pref = scenario.preferences[party.id]
        weight = pref.weight(issue.id) / pref.total_weight
        if weight <= 0:
            continue
        here = ("preferences", party.id, "values")
        try:
            values = normalised_values(issue, pref)
        except ValueError as e:
            raise ScenarioError(
                [Problem((*here, issue.id), "values that can be rescaled", str(e))],
                "agreement space",
            ) from None
        if values is None:
            raise ScenarioError(
                [Problem(here, f"values for {issue.id!r}", "none")], "agreement space"
            )
        table[:, j] = weight * values
    table.flags.writeable = False
    return table


def _named_negotiators(
    negotiators: tuple[Party, ...], ids: Sequence[str], problems: list[Problem]
) -> tuple[Party, ...]:
    """The negotiators ``ids`` names, in that order; a problem for each id that names none."""
    by_id = {p.id: p for p in negotiators}
    if not ids:
        problems.append(Problem(("parties",), "at least one negotiator", "none named"))
    for k, pid in enumerate(ids):
        if pid not in by_id or pid in ids[:k]:
            expected = f"a negotiator named once (one of {', '.join(by_id) or 'none'})"
            problems.append(Problem(("parties",), expected, repr(pid)))
    return tuple(by_id[pid] for pid in dict.fromkeys(ids) if pid in by_id)


def compile_space(
    scenario: Scenario, *, negotiator_ids: Sequence[str] | None = None
) -> CompiledSpace:
    """The agreement space of the scenario's negotiators as arrays.

    ``negotiator_ids`` compiles the utilities of those negotiators only, in that order (one
    is enough): what a caller allowed to use some parties' numbers and not the others' may
    compute, for example one party's own utility of a package.  Each party's columns are the
    same as in the whole space, since each is normalised on its own.

    Raises :class:`ScenarioError` when the scenario cannot define one: fewer
    than two negotiators (or a named one that is not a negotiator), no issues,
    or a negotiator without preferences.
    """
    problems: list[Problem] = []
    negotiators = scenario.negotiators
    if negotiator_ids is not None:
        negotiators = _named_negotiators(negotiators, negotiator_ids, problems)
    elif len(negotiators) < 2:
        problems.append(
            Problem(
                ("parties",), "at least two parties with role 'negotiator'", f"{len(negotiators)}"
            )
        )
    if not scenario.issues:
        problems.append(Problem(("issues",), "at least one issue", "none"))
    for party in negotiators:
        if party.id not in scenario.preferences:
            problems.append(
                Problem(("preferences",), f"preferences for the negotiator {party.id!r}", "none")
            )
    if problems:
        raise ScenarioError(problems, "agreement space")

    issues = tuple(compile_issue(i) for i in scenario.issues)
    contributions = [_contribution_table(scenario, issue, negotiators) for issue in scenario.issues]
    reservation = np.array([scenario.preferences[p.id].reservation.point for p in negotiators])
    reservation.flags.writeable = False
    by_id = {i.id: (k, i) for k, i in enumerate(scenario.issues)}
    forbidden = []
    for c in scenario.constraints:
        parts = []
        for issue_id, spec in c.forbid.items():
            k, issue = by_id[issue_id]
            listed = spec if isinstance(spec, tuple) else (spec,)
            indices = sorted(
                {idx for v in listed if (idx := resolve_option(issue, v)[0]) is not None}
            )
            parts.append((k, tuple(indices)))
        forbidden.append(ForbiddenCombination(tuple(sorted(parts)), c.reason.strip()))
    proposals = []
    for prop in scenario.proposals:
        chosen = []
        for issue in scenario.issues:
            index = resolve_option(issue, prop.package[issue.id])[0]
            assert index is not None  # the loader's checks guarantee it
            chosen.append(index)
        proposals.append((prop.id, tuple(chosen)))
    return CompiledSpace(
        negotiators=tuple(p.id for p in negotiators),
        issues=issues,
        contributions=tuple(contributions),
        reservation=reservation,
        forbidden=tuple(forbidden),
        proposals=tuple(proposals),
        rationals=tuple(_exact_preferences(scenario, p.id) for p in negotiators),
    )
