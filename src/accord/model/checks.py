"""Cross-reference checks: everything the schema alone cannot see.

Each check takes the scenario and the ids it defines (:class:`~accord.model.refs.Known`) and
returns a list of :class:`~accord.model.problems.Problem`; none stops at the first mistake.
A proposal that breaks a constraint is a warning, not an error: real drafts can be
inconsistent and users want to see it. The preferences are checked in
:mod:`accord.model.preference_checks`.
"""

from __future__ import annotations

from accord.model.problems import Path, Problem
from accord.model.refs import Known, choices, duplicates, fmt
from accord.model.schema import Issue, OptionValue, Scenario

__all__ = ["check_scenario", "resolve_option"]


def resolve_option(issue: Issue, value: OptionValue) -> tuple[int | None, str]:
    """The option index a package value names on ``issue``, or None and what was expected."""
    if issue.range is not None:
        if isinstance(value, str):
            return None, f"a number on {issue.id!r}'s range"
        index = issue.range.index_of(float(value))
        if index is None:
            r = issue.range
            return None, (
                f"a number from {fmt(r.min)} to {fmt(r.max)} in steps of {fmt(r.step)}"
                + (f" ({r.unit})" if r.unit else "")
            )
        return index, ""
    ids = issue.option_ids()
    if isinstance(value, str) and value in ids:
        return ids.index(value), ""
    return None, f"one of the options of {issue.id!r}: {choices(ids)}"


def check_scenario(s: Scenario, known: Known) -> list[Problem]:
    """Every cross-reference problem of the foundation sections (errors and warnings)."""
    out: list[Problem] = []
    issues = {i.id: i for i in s.issues}
    for section in ("sources", "parties", "issues", "proposals"):
        out += duplicates((section,), [x.id for x in getattr(s, section)])
    for k, p in enumerate(s.parties):
        out += known.sources(("parties", k, "sources"), p.sources)
        for r, rep in enumerate(p.representatives):
            out += known.sources(("parties", k, "representatives", r, "sources"), rep.sources)
    for k, issue in enumerate(s.issues):
        out += known.sources(("issues", k, "sources"), issue.sources)
        ids = issue.option_ids()
        if len(set(ids)) < len(ids):
            out += [
                Problem(
                    ("issues", k, "options", j, "id"),
                    "option ids unique within the issue",
                    f"a second {o!r}",
                )
                for j, o in enumerate(ids)
                if o in ids[:j]
            ]
    out += _check_positions(s, issues, known)
    out += _check_constraints(s, issues, known)
    out += _check_proposals(s, issues, known)
    for k, e in enumerate(s.events):
        out += known.sources(("events", k, "sources"), e.sources)
        out += known.refs(("events", k, "parties"), "parties", e.parties, _PARTY)
    return out


_PARTY = "a party id defined in 'parties'"
_ISSUE = "an issue id"


def _check_positions(s: Scenario, issues: dict[str, Issue], known: Known) -> list[Problem]:
    out: list[Problem] = []
    for k, pos in enumerate(s.positions):
        here: Path = ("positions", k)
        out += known.ref((*here, "party"), "parties", pos.party, _PARTY)
        out += known.sources((*here, "sources"), pos.sources)
        issue = issues.get(pos.issue)
        if issue is None:
            out += known.ref((*here, "issue"), "issues", pos.issue, _ISSUE)
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
                            f"an option of {issue.id!r} ({choices(issue.option_ids())})",
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
                            f"a number from {fmt(r.min)} to {fmt(r.max)}",
                            fmt(bound),
                        )
                    )
            if pos.min is not None and pos.max is not None and pos.min > pos.max:
                out.append(
                    Problem((*here, "max"), f"max at least min ({fmt(pos.min)})", fmt(pos.max))
                )
    return out


def _resolve_package_value(
    here: Path, issue: Issue, value: OptionValue
) -> tuple[int | None, list[Problem]]:
    index, expected = resolve_option(issue, value)
    if index is None:
        return None, [Problem(here, expected, fmt(value))]
    return index, []


def _check_constraints(s: Scenario, issues: dict[str, Issue], known: Known) -> list[Problem]:
    out: list[Problem] = []
    for k, c in enumerate(s.constraints):
        here: Path = ("constraints", k)
        out += known.sources((*here, "sources"), c.sources)
        for issue_id, spec in c.forbid.items():
            issue = issues.get(issue_id)
            if issue is None:
                out += known.ref((*here, "forbid", issue_id), "issues", issue_id, _ISSUE)
                continue
            values = spec if isinstance(spec, tuple) else (spec,)
            for j, v in enumerate(values):
                path = (*here, "forbid", issue_id) + ((j,) if isinstance(spec, tuple) else ())
                out += _resolve_package_value(path, issue, v)[1]
    return out


def _check_proposals(s: Scenario, issues: dict[str, Issue], known: Known) -> list[Problem]:
    out: list[Problem] = []
    for k, prop in enumerate(s.proposals):
        here: Path = ("proposals", k)
        out += known.sources((*here, "sources"), prop.sources)
        if isinstance(prop.by, str):
            out += known.ref((*here, "by"), "parties", prop.by, _PARTY)
        else:
            out += known.refs((*here, "by"), "parties", prop.by, _PARTY)
        chosen: dict[str, int] = {}
        for issue_id, value in prop.package.items():
            issue = issues.get(issue_id)
            if issue is None:
                out += known.ref((*here, "package", issue_id), "issues", issue_id, _ISSUE)
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
                    f"none for {choices(missing)}",
                )
            )
        for issue_id in prop.assumed:
            out += known.ref((*here, "assumed", issue_id), "issues", issue_id, _ISSUE)
        if len(chosen) == len(issues):
            out += _constraint_warnings(s, issues, here, chosen)
    return out


def _constraint_warnings(
    s: Scenario, issues: dict[str, Issue], here: Path, chosen: dict[str, int]
) -> list[Problem]:
    out: list[Problem] = []
    for k, c in enumerate(s.constraints):
        hit = True
        for issue_id, spec in c.forbid.items():
            issue = issues.get(issue_id)
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
