"""Reading the service's HTML forms into the plain submissions the views check.

The pages and the API hand the same plain dictionaries to the per-role views, so one check
decides for both; these functions only gather a form's fields into that shape.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

from accord.model import Problem, Scenario
from accord.service.cases.preferences import rating_points
from accord.service.errors import SubmissionError

__all__ = ["case_document_from_form", "package_from_form", "preferences_from_form"]


def package_from_form(post: QueryDict, scenario: Scenario, prefix: str) -> dict[str, str]:
    return {i.id: post.get(f"{prefix}:{i.id}", "") for i in scenario.issues}


def preferences_from_form(post: QueryDict, scenario: Scenario) -> dict[str, Any]:
    """Fields ``points:ISSUE``, ``ratings:ISSUE:OPTION``, ``walk_away:kind``,
    ``walk_away:value``, ``walk_away:package:ISSUE`` and ``notes``."""
    ratings: dict[str, dict[str, str]] = {}
    for issue in scenario.issues:
        labels = (
            rating_points(issue) if issue.range is not None else [o.id for o in issue.options or ()]
        )
        ratings[issue.id] = {label: post.get(f"ratings:{issue.id}:{label}", "") for label in labels}
    return {
        "points": {i.id: post.get(f"points:{i.id}", "") for i in scenario.issues},
        "ratings": ratings,
        "walk_away": {
            "kind": post.get("walk_away:kind", ""),
            "value": post.get("walk_away:value", ""),
            "package": package_from_form(post, scenario, "walk_away:package"),
        },
        "notes": post.get("notes", ""),
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


_RANGE = re.compile(
    r"^\s*(-?\d+(?:\.\d+)?)\s*(?:to|\.\.|-)\s*(-?\d+(?:\.\d+)?)\s+step\s+(\d+(?:\.\d+)?)\s*(.*)$"
)


def _issue(line: str, n: int, problems: list[Problem]) -> dict[str, Any] | None:
    name, sep, rest = line.partition(":")
    if not sep or not name.strip() or not rest.strip():
        problems.append(
            Problem(
                ("issues_text",),
                f"line {n}: 'Issue name: option; option; ...' or "
                "'Issue name: 0 to 100 step 10 unit'",
                repr(line[:80]),
            )
        )
        return None
    issue: dict[str, Any] = {"id": _slug(name), "name": name.strip()}
    numeric = _RANGE.match(rest)
    if numeric:
        lo, hi, step, unit = numeric.groups()
        issue["range"] = {"min": float(lo), "max": float(hi), "step": float(step)}
        if unit.strip():
            issue["range"]["unit"] = unit.strip()
        return issue
    options = [o.strip() for o in rest.split(";") if o.strip()]
    if len(options) < 2:
        problems.append(
            Problem(
                ("issues_text",),
                f"line {n}: at least two options separated by ';'",
                repr(rest.strip()[:80]),
            )
        )
        return None
    issue["options"] = [{"id": _slug(o), "name": o} for o in options]
    return issue


def case_document_from_form(post: QueryDict) -> dict[str, Any]:
    """A scenario document from the 'describe the negotiation' form (title, parties, issues).

    Parties: one negotiating party a line. Issues: one a line, ``Name: option; option`` or
    ``Name: 0 to 3000 step 250 unit``. Every line that cannot be read is reported.
    """
    problems: list[Problem] = []
    title = post.get("title", "").strip()
    if not title:
        problems.append(Problem(("title",), "a title", "nothing"))
    parties = []
    for line in post.get("parties_text", "").splitlines():
        if line.strip():
            parties.append({"id": _slug(line), "name": line.strip(), "role": "negotiator"})
    if len(parties) < 2:
        problems.append(
            Problem(
                ("parties_text",), "at least two negotiating parties, one a line", str(len(parties))
            )
        )
    issues = []
    for n, line in enumerate(post.get("issues_text", "").splitlines(), start=1):
        if line.strip():
            issue = _issue(line, n, problems)
            if issue is not None:
                issues.append(issue)
    if not issues and not any(p.path == ("issues_text",) for p in problems):
        problems.append(Problem(("issues_text",), "at least one issue, one a line", "none"))
    if problems:
        raise SubmissionError(problems)
    document: dict[str, Any] = {"accord": 1, "title": title, "parties": parties, "issues": issues}
    description = post.get("description", "").strip()
    if description:
        document["description"] = description
    return document
