"""Checks of the ``preferences`` section, and of the agreement space it defines.

A ``preferences`` section declares an agreement space: the packages of the issues, valued by
every negotiator. Everything that would stop that space from being computed is found here, with
the location of the part it concerns, not later by the analyses: fewer than two negotiators, a
negotiator without preferences, an issue with a positive weight whose options a party values all
the same (on a numeric issue: at every step of its range, after interpolation), values or
weights whose spread overflows. A negotiator without preferences is a warning that ``blocks``
the agreement space (the file holds a negotiation whose parties have not all said what they
value yet: a description, a GMCR conflict, phased deals, a case exported from ``accord serve``
with only the consenting parties' preferences); the analyses that need the space raise it, with
its location, as an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from itertools import pairwise

from accord.model.estimates import Estimate, Fixed
from accord.model.numbers import rational
from accord.model.problems import AGREEMENT_SPACE, Path, Problem
from accord.model.refs import Known, choices, fmt
from accord.model.schema import (
    Issue,
    Normalization,
    NumericRange,
    Preferences,
    Role,
    Scenario,
)

__all__ = ["check_estimates", "check_preferences", "grid_values_equal"]


def check_preferences(s: Scenario, known: Known) -> list[Problem]:
    """Every problem of the preferences and of the agreement space they define."""
    out: list[Problem] = []
    issues = {i.id: i for i in s.issues}
    roles: dict[str, Role] = {}
    for p in s.parties:
        roles.setdefault(p.id, p.role)  # a repeated id is reported as such, not here
    for party, pref in s.preferences.items():
        here: Path = ("preferences", party)
        role = roles.get(party)
        if role is None:
            out += known.ref(here, "parties", party, "a party id defined in 'parties'")
        elif role is not Role.negotiator:
            out.append(
                Problem(
                    here,
                    "preferences only for negotiators (mediators and stakeholders "
                    "never enter the utilities)",
                    f"a {role.value}",
                )
            )
        out += known.sources((*here, "sources"), pref.sources)
        out += _check_weights_and_values(here, pref, issues, known)
    out += _check_space(s, known)
    return out


def _check_weights_and_values(
    here: Path, pref: Preferences, issues: dict[str, Issue], known: Known
) -> list[Problem]:
    out: list[Problem] = []
    for issue_id in pref.weights:
        if issue_id not in issues:
            out += known.ref((*here, "weights", issue_id), "issues", issue_id, "an issue id")
    for issue_id in issues:
        if issue_id not in pref.weights:
            out.append(
                Problem(
                    (*here, "weights"),
                    f"a weight for every issue, {issue_id!r} "
                    "included (write 0 if the party does not care)",
                    "none",
                )
            )
    for issue_id, table in pref.values.items():
        issue = issues.get(issue_id)
        if issue is None:
            out += known.ref((*here, "values", issue_id), "issues", issue_id, "an issue id")
            continue
        at = (*here, "values", issue_id)
        scale = pref.scale(issue)
        # only min-max rescaling needs values that differ (weight 0 skips that check)
        weight = pref.weight(issue_id) if scale is Normalization.minmax else 0.0
        problems = _check_value_table(at, issue, table, weight)
        out += problems or _check_scale(at, pref.normalize, table)
    for issue_id in issues:
        if pref.weight(issue_id) > 0 and issue_id not in pref.values:
            out.append(
                Problem(
                    (*here, "values"),
                    f"values for {issue_id!r}, which has a positive weight",
                    "none",
                )
            )
    return out


def _check_space(s: Scenario, known: Known) -> list[Problem]:
    """What would stop the agreement space of the negotiators from being computed."""
    negotiators = [(k, p) for k, p in enumerate(s.parties) if p.role is Role.negotiator]
    if (
        not s.preferences
        and not known.unread.get("preferences")
        and "preferences" not in known.whole
    ):
        return [
            Problem(
                ("parties", k),
                f"preferences for the negotiator {p.id!r}",
                "none (the agreement space cannot be computed without them)",
                warning=True,
                blocks=AGREEMENT_SPACE,
            )
            for k, p in negotiators
            if s.issues
        ]
    out: list[Problem] = []
    if len(negotiators) < 2 and "parties" not in known.whole and not known.unread.get("parties"):
        out.append(
            Problem(
                ("parties",),
                "at least two parties with role 'negotiator' (the preferences define an "
                "agreement space between negotiators)",
                f"{len(negotiators)}",
            )
        )
    if not s.issues and "issues" not in known.whole and not known.unread.get("issues"):
        out.append(
            Problem(("issues",), "at least one issue (the preferences weigh issues)", "none")
        )
    for k, p in negotiators:
        if p.id not in s.preferences and known.judged("preferences", p.id):
            out.append(
                Problem(
                    ("parties", k),
                    f"preferences for the negotiator {p.id!r} (every negotiator values the "
                    "packages of the agreement space)",
                    "none in 'preferences'",
                    warning=True,
                    blocks=AGREEMENT_SPACE,
                )
            )
    return out


def _check_value_table(
    here: Path,
    issue: Issue,
    table: Mapping[str, Estimate] | Sequence[tuple[float, Estimate]],
    weight: float,
) -> list[Problem]:
    if issue.range is None:
        if not isinstance(table, Mapping):
            return [
                Problem(here, f"a mapping option -> value for {issue.id!r}", "a list of points")
            ]
        return _check_option_values(here, issue, table, weight)
    if isinstance(table, Mapping):
        return [
            Problem(
                here,
                f"a list of [x, value] points for the numeric issue {issue.id!r}",
                "a mapping",
            )
        ]
    return _check_points(here, issue.range, table, weight, issue.id)


def _check_scale(
    here: Path,
    scale: Normalization,
    table: Mapping[str, Estimate] | Sequence[tuple[float, Estimate]],
) -> list[Problem]:
    """Under ``normalize: max``: an option issue's values at least 0 with a positive largest
    (it divides them), a range issue's points in [0, 1] (GENIUS's evaluations)."""
    if scale is not Normalization.max:
        return []
    if isinstance(table, Mapping):
        numbers = [e.point for e in table.values()]
        expected = "values at least 0 with a positive largest (normalize: max divides by it)"
        bad = min(numbers) < 0 or max(numbers) <= 0
    else:
        numbers = [e.point for _, e in table]
        expected = "points' values in [0, 1] (normalize: max uses a range's values as written)"
        bad = min(numbers) < 0 or max(numbers) > 1
    if not bad:
        return []
    return [Problem(here, expected, f"values from {fmt(min(numbers))} to {fmt(max(numbers))}")]


def _spread_problem(here: Path, estimates: Sequence[Estimate]) -> list[Problem]:
    """Values whose largest minus smallest (over their ranges) overflows cannot be rescaled."""
    ends = [e.value if isinstance(e, Fixed) else e.point for e in estimates]
    ends += [x for e in estimates if not isinstance(e, Fixed) for x in e.support]
    ends = [x for x in ends if math.isfinite(x)]
    if ends and not math.isfinite(max(ends) - min(ends)):
        return [
            Problem(
                here,
                "values whose spread (largest minus smallest) is a finite number",
                f"values from {min(ends):g} to {max(ends):g}",
            )
        ]
    return []


def _all_equal(here: Path, weight: float, first: float) -> list[Problem]:
    if weight <= 0:
        return []
    return [
        Problem(
            here,
            "values that differ between options (the issue has a positive "
            "weight, so the party must prefer something)",
            f"every value equal to {fmt(first)}",
        )
    ]


def _check_option_values(
    here: Path, issue: Issue, table: Mapping[str, Estimate], weight: float
) -> list[Problem]:
    out: list[Problem] = []
    ids = issue.option_ids()
    for opt in table:
        if opt not in ids:
            out.append(
                Problem((*here, opt), f"an option of {issue.id!r} ({choices(ids)})", repr(opt))
            )
    missing = [o for o in ids if o not in table]
    if missing:
        out.append(
            Problem(
                here, f"a value for every option of {issue.id!r}", f"none for {choices(missing)}"
            )
        )
    out += _spread_problem(here, list(table.values()))
    numbers = [table[o].point for o in ids if o in table]
    if numbers and max(numbers) == min(numbers) and not out:
        out += _all_equal(here, weight, numbers[0])
    return out


def _check_points(
    here: Path,
    r: NumericRange,
    table: Sequence[tuple[float, Estimate]],
    weight: float,
    issue_id: str,
) -> list[Problem]:
    out: list[Problem] = []
    xs = [p[0] for p in table]
    if len(xs) < 1:
        return [Problem(here, "at least one [x, value] point", "an empty list")]
    for j in range(1, len(xs)):
        if xs[j] <= xs[j - 1]:
            out.append(Problem((*here, j, 0), f"x increasing (above {fmt(xs[j - 1])})", fmt(xs[j])))
    if xs[0] > r.min or xs[-1] < r.max:
        out.append(
            Problem(
                here,
                f"points spanning the whole range {fmt(r.min)} to {fmt(r.max)}",
                f"points from {fmt(xs[0])} to {fmt(xs[-1])}",
            )
        )
    out += _spread_problem(here, [p[1] for p in table])
    if not out and grid_values_equal(r, [(x, e.point) for x, e in table]):
        out += _all_equal(here, weight, _at(r.min, table))
    return out


def _at(x: float, table: Sequence[tuple[float, Estimate]]) -> float:
    points = [(rational(px), rational(e.point)) for px, e in table]
    return float(_interpolate(rational(x), points))


def _interpolate(x: Fraction, points: Sequence[tuple[Fraction, Fraction]]) -> Fraction:
    """The piecewise-linear value at ``x`` (constant beyond the end points), exactly."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, v0), (x1, v1) in pairwise(points):
        if x <= x1:
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def grid_values_equal(r: NumericRange, points: Sequence[tuple[float, float]]) -> bool:
    """Whether the points, interpolated at every step of the range, give one value everywhere.

    A piecewise-linear function takes its extremes over a grid at the grid steps next to its
    break points (or at the ends), so only those few steps are evaluated, exactly, however many
    steps the range has.
    """
    exact = [(rational(x), rational(v)) for x, v in points]
    low, step, last = rational(r.min), rational(r.step), r.count - 1
    candidates = {0, last}
    for x, _ in exact:
        k = (x - low) / step
        for index in (math.floor(k), math.ceil(k)):
            candidates.add(min(max(index, 0), last))
    values = {_interpolate(low + k * step, exact) for k in candidates}
    return len(values) == 1


def check_estimates(s: Scenario, known: Known) -> list[Problem]:
    """A weight that is 0 at its point estimate but may be positive needs values for its issue,
    or the robustness analysis could not value the issue when it matters."""
    out: list[Problem] = []
    for party, pref in s.preferences.items():
        for issue_id, w in pref.weights.items():
            may_matter = w.point == 0 and w.support[1] > 0
            if may_matter and issue_id not in pref.values:
                out.append(
                    Problem(
                        ("preferences", party, "values"),
                        f"values for {issue_id!r}, whose weight may be positive "
                        f"(its range reaches {w.support[1]:g})",
                        "none",
                    )
                )
    return out
