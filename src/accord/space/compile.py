"""From a validated scenario to the arrays of its agreement space.

Normalisation (the scenario format's rule): each negotiator's weights are
divided by their sum, and its values on each issue are rescaled min-max over
that issue's options to [0, 1]; a numeric issue's value points are first
interpolated piecewise-linearly at every step of the range.  The utility of a
package is then the weighted sum of normalised values, a number in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model.checks import resolve_option
from accord.model.problems import Problem, ScenarioError
from accord.model.schema import Issue, Party, Preferences, Scenario
from accord.space.compiled import CompiledIssue, CompiledSpace, ForbiddenCombination

__all__ = ["compile_issue", "compile_space", "normalised_values"]


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

    Raises ValueError when every option has the same value (nothing to rescale).
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
    lo, hi = float(raw.min()), float(raw.max())
    if hi == lo:
        raise ValueError(f"every option of {issue.id!r} has the same value")
    normalised: NDArray[np.float64] = (raw - lo) / (hi - lo)
    return normalised


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
    contributions = []
    for issue in scenario.issues:
        table = np.zeros((issue.size, len(negotiators)))
        for j, party in enumerate(negotiators):
            pref = scenario.preferences[party.id]
            weight = pref.weight(issue.id) / pref.total_weight
            if weight > 0:
                values = normalised_values(issue, pref)
                if values is None:
                    raise ScenarioError(
                        [
                            Problem(
                                ("preferences", party.id, "values"),
                                f"values for {issue.id!r}",
                                "none",
                            )
                        ],
                        "agreement space",
                    )
                table[:, j] = weight * values
        table.flags.writeable = False
        contributions.append(table)

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
    )
