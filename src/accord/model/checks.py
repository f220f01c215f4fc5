"""Cross-reference checks: everything the schema alone cannot see.

Each check returns a list of :class:`~accord.model.problems.Problem`; none
stops at the first mistake.  A proposal that breaks a constraint is a warning,
not an error: real drafts can be inconsistent and users want to see it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from accord.model.problems import Path, Problem
from accord.model.schema import Issue, OptionValue, Role, Scenario

if TYPE_CHECKING:
    from accord.model.estimates import Estimate

__all__ = ["check_scenario", "resolve_option"]


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _choices(ids: Iterable[str], limit: int = 12) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:limit]) + (", ..." if len(ids) > limit else "")
    return shown or "(none defined)"


def resolve_option(issue: Issue, value: OptionValue) -> tuple[int | None, str]:
    """The option index a package value names on ``issue``, or None and what was expected."""
    if issue.range is not None:
        if isinstance(value, str):
            return None, f"a number on {issue.id!r}'s range"
        index = issue.range.index_of(float(value))
        if index is None:
            r = issue.range
            return None, (
                f"a number from {_fmt(r.min)} to {_fmt(r.max)} in steps of {_fmt(r.step)}"
                + (f" ({r.unit})" if r.unit else "")
            )
        return index, ""
    ids = issue.option_ids()
    if isinstance(value, str) and value in ids:
        return ids.index(value), ""
    return None, f"one of the options of {issue.id!r}: {_choices(ids)}"


def _duplicates(ids: Sequence[str], section: str) -> list[Problem]:
    counts = Counter(ids)
    seen: set[str] = set()
    out = []
    for k, x in enumerate(ids):
        if counts[x] > 1 and x in seen:
            out.append(Problem((section, k, "id"), "ids that are unique", f"a second {x!r}"))
        seen.add(x)
    return out


def _sources(path: Path, cited: Iterable[str], known: set[str]) -> list[Problem]:
    return [
        Problem(
            (*path, k), f"a source id defined in 'sources' ({_choices(sorted(known))})", repr(s)
        )
        for k, s in enumerate(cited)
        if s not in known
    ]


def _party_ref(path: Path, party: str, known: set[str]) -> list[Problem]:
    if party in known:
        return []
    return [
        Problem(path, f"a party id defined in 'parties' ({_choices(sorted(known))})", repr(party))
    ]


def check_scenario(s: Scenario) -> list[Problem]:
    """Every cross-reference problem in ``s`` (errors and warnings)."""
    out: list[Problem] = []
    source_ids = {src.id for src in s.sources}
    party_ids = {p.id for p in s.parties}
    issues = {i.id: i for i in s.issues}

    out += _duplicates([x.id for x in s.sources], "sources")
    out += _duplicates([x.id for x in s.parties], "parties")
    out += _duplicates([x.id for x in s.issues], "issues")
    out += _duplicates([x.id for x in s.proposals], "proposals")

    for k, p in enumerate(s.parties):
        out += _sources(("parties", k, "sources"), p.sources, source_ids)
        for r, rep in enumerate(p.representatives):
            out += _sources(
                ("parties", k, "representatives", r, "sources"), rep.sources, source_ids
            )
    for k, issue in enumerate(s.issues):
        out += _sources(("issues", k, "sources"), issue.sources, source_ids)
        if issue.options is not None:
            out += [
                Problem(
                    ("issues", k, "options", j, "id"),
                    "option ids unique within the issue",
                    f"a second {o.id!r}",
                )
                for j, o in enumerate(issue.options)
                if o.id in issue.option_ids()[:j]
            ]

    out += _check_positions(s, issues, party_ids, source_ids)
    out += _check_preferences(s, issues, source_ids)
    out += _check_constraints(s, issues, source_ids)
    out += _check_proposals(s, issues, party_ids, source_ids)
    for k, e in enumerate(s.events):
        out += _sources(("events", k, "sources"), e.sources, source_ids)
        for j, party in enumerate(e.parties):
            out += _party_ref(("events", k, "parties", j), party, party_ids)
    return out


def _check_positions(
    s: Scenario, issues: dict[str, Issue], party_ids: set[str], source_ids: set[str]
) -> list[Problem]:
    out: list[Problem] = []
    for k, pos in enumerate(s.positions):
        here: Path = ("positions", k)
        out += _party_ref((*here, "party"), pos.party, party_ids)
        out += _sources((*here, "sources"), pos.sources, source_ids)
        issue = issues.get(pos.issue)
        if issue is None:
            out.append(
                Problem((*here, "issue"), f"an issue id ({_choices(issues)})", repr(pos.issue))
            )
            continue
        if issue.range is None:
            if pos.min is not None or pos.max is not None:
                out.append(
                    Problem(
                        (*here, "min" if pos.min is not None else "max"),
                        "bounds only on a numeric issue",
                        f"a bound on {issue.id!r}, which has options",
                    )
                )
            for j, opt in enumerate(pos.options):
                if opt not in issue.option_ids():
                    out.append(
                        Problem(
                            (*here, "options", j),
                            f"an option of {issue.id!r} ({_choices(issue.option_ids())})",
                            repr(opt),
                        )
                    )
        else:
            if pos.options:
                out.append(
                    Problem(
                        (*here, "options"), "min/max bounds on a numeric issue", "a list of options"
                    )
                )
            r = issue.range
            for key, bound in (("min", pos.min), ("max", pos.max)):
                if bound is not None and not r.min <= bound <= r.max:
                    out.append(
                        Problem(
                            (*here, key),
                            f"a number from {_fmt(r.min)} to {_fmt(r.max)}",
                            _fmt(bound),
                        )
                    )
            if pos.min is not None and pos.max is not None and pos.min > pos.max:
                out.append(
                    Problem((*here, "max"), f"max at least min ({_fmt(pos.min)})", _fmt(pos.max))
                )
    return out


def _check_preferences(
    s: Scenario, issues: dict[str, Issue], source_ids: set[str]
) -> list[Problem]:
    out: list[Problem] = []
    roles = {p.id: p.role for p in s.parties}
    for party, pref in s.preferences.items():
        here: Path = ("preferences", party)
        role = roles.get(party)
        if role is None:
            out.append(
                Problem(
                    here,
                    f"a party id defined in 'parties' ({_choices(sorted(roles))})",
                    repr(party),
                )
            )
        elif role is not Role.negotiator:
            out.append(
                Problem(
                    here,
                    "preferences only for negotiators (mediators and stakeholders "
                    "never enter the utilities)",
                    f"a {role.value}",
                )
            )
        out += _sources((*here, "sources"), pref.sources, source_ids)
        for issue_id in pref.weights:
            if issue_id not in issues:
                out.append(
                    Problem(
                        (*here, "weights", issue_id),
                        f"an issue id ({_choices(issues)})",
                        repr(issue_id),
                    )
                )
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
                out.append(
                    Problem(
                        (*here, "values", issue_id),
                        f"an issue id ({_choices(issues)})",
                        repr(issue_id),
                    )
                )
                continue
            out += _check_value_table(
                (*here, "values", issue_id), issue, table, pref.weight(issue_id)
            )
        for issue_id in issues:
            if pref.weight(issue_id) > 0 and issue_id not in pref.values:
                out.append(
                    Problem(
                        (*here, "values"),
                        f"values for {issue_id!r}, which has a positive weight",
                        "none",
                    )
                )
    for negotiator in s.negotiators:
        if s.issues and negotiator.id not in s.preferences:
            out.append(
                Problem(
                    ("preferences",),
                    f"preferences for the negotiator {negotiator.id!r}",
                    "none (the agreement space cannot be computed without them)",
                    warning=True,
                )
            )
    return out


def _check_value_table(
    here: Path,
    issue: Issue,
    table: dict[str, Estimate] | tuple[tuple[float, Estimate], ...],
    weight: float,
) -> list[Problem]:
    out: list[Problem] = []
    if issue.range is None:
        if not isinstance(table, dict):
            return [
                Problem(here, f"a mapping option -> value for {issue.id!r}", "a list of points")
            ]
        ids = issue.option_ids()
        for opt in table:
            if opt not in ids:
                out.append(
                    Problem((*here, opt), f"an option of {issue.id!r} ({_choices(ids)})", repr(opt))
                )
        missing = [o for o in ids if o not in table]
        if missing:
            out.append(
                Problem(
                    here,
                    f"a value for every option of {issue.id!r}",
                    f"none for {_choices(missing)}",
                )
            )
        numbers = [table[o].point for o in ids if o in table]
    else:
        if isinstance(table, dict):
            return [
                Problem(
                    here,
                    f"a list of [x, value] points for the numeric issue {issue.id!r}",
                    "a mapping",
                )
            ]
        xs = [p[0] for p in table]
        r = issue.range
        if len(xs) < 1:
            return [Problem(here, "at least one [x, value] point", "an empty list")]
        for j in range(1, len(xs)):
            if xs[j] <= xs[j - 1]:
                out.append(
                    Problem((*here, j, 0), f"x increasing (above {_fmt(xs[j - 1])})", _fmt(xs[j]))
                )
        if xs[0] > r.min or xs[-1] < r.max:
            out.append(
                Problem(
                    here,
                    f"points spanning the whole range {_fmt(r.min)} to {_fmt(r.max)}",
                    f"points from {_fmt(xs[0])} to {_fmt(xs[-1])}",
                )
            )
        numbers = [p[1].point for p in table]
    if weight > 0 and numbers and max(numbers) == min(numbers) and not out:
        out.append(
            Problem(
                here,
                "values that differ between options (the issue has a positive "
                "weight, so the party must prefer something)",
                f"every value equal to {_fmt(numbers[0])}",
            )
        )
    return out


def _resolve_package_value(
    here: Path, issue: Issue, value: OptionValue
) -> tuple[int | None, list[Problem]]:
    index, expected = resolve_option(issue, value)
    if index is None:
        return None, [Problem(here, expected, _fmt(value))]
    return index, []


def _check_constraints(
    s: Scenario, issues: dict[str, Issue], source_ids: set[str]
) -> list[Problem]:
    out: list[Problem] = []
    for k, c in enumerate(s.constraints):
        here: Path = ("constraints", k)
        out += _sources((*here, "sources"), c.sources, source_ids)
        for issue_id, spec in c.forbid.items():
            issue = issues.get(issue_id)
            if issue is None:
                out.append(
                    Problem(
                        (*here, "forbid", issue_id),
                        f"an issue id ({_choices(issues)})",
                        repr(issue_id),
                    )
                )
                continue
            values = spec if isinstance(spec, tuple) else (spec,)
            for j, v in enumerate(values):
                path = (*here, "forbid", issue_id) + ((j,) if isinstance(spec, tuple) else ())
                out += _resolve_package_value(path, issue, v)[1]
    return out


def _check_proposals(
    s: Scenario, issues: dict[str, Issue], party_ids: set[str], source_ids: set[str]
) -> list[Problem]:
    out: list[Problem] = []
    for k, prop in enumerate(s.proposals):
        here: Path = ("proposals", k)
        out += _sources((*here, "sources"), prop.sources, source_ids)
        if isinstance(prop.by, str):
            out += _party_ref((*here, "by"), prop.by, party_ids)
        else:
            for j, party in enumerate(prop.by):
                out += _party_ref((*here, "by", j), party, party_ids)
        chosen: dict[str, int] = {}
        for issue_id, value in prop.package.items():
            issue = issues.get(issue_id)
            if issue is None:
                out.append(
                    Problem(
                        (*here, "package", issue_id),
                        f"an issue id ({_choices(issues)})",
                        repr(issue_id),
                    )
                )
                continue
            index, problems = _resolve_package_value((*here, "package", issue_id), issue, value)
            out += problems
            if index is not None:
                chosen[issue_id] = index
        missing = [i for i in issues if i not in prop.package]
        if missing:
            out.append(
                Problem(
                    (*here, "package"),
                    "a value for every issue (a package is complete; "
                    "mark the analyst's readings in 'assumed')",
                    f"none for {_choices(missing)}",
                )
            )
        for issue_id in prop.assumed:
            if issue_id not in issues:
                out.append(
                    Problem(
                        (*here, "assumed", issue_id),
                        f"an issue id ({_choices(issues)})",
                        repr(issue_id),
                    )
                )
        if len(chosen) == len(issues):
            out += _constraint_warnings(s, here, chosen)
    return out


def _constraint_warnings(s: Scenario, here: Path, chosen: dict[str, int]) -> list[Problem]:
    out: list[Problem] = []
    for k, c in enumerate(s.constraints):
        hit = True
        for issue_id, spec in c.forbid.items():
            issue = next((i for i in s.issues if i.id == issue_id), None)
            if issue is None:
                return out
            values = spec if isinstance(spec, tuple) else (spec,)
            indices = {resolve_option(issue, v)[0] for v in values}
            hit = hit and chosen[issue_id] in indices
        if hit:
            out.append(
                Problem(
                    (*here, "package"),
                    f"a package allowed by constraints[{k}] ({c.reason.strip()})",
                    "a combination that constraint forbids",
                    warning=True,
                )
            )
    return out
