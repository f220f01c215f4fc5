"""A party's private preferences as the service asks for them, checked and turned into accord's.

The delegate spreads 100 points over the issues, rates every option from 0 to 100 (a range
issue at a few points, interpolated in between), and gives its walk-away: a value from 0 (the
worst package) to 100 (the best), or the worst package it would still sign. These become an
accord ``preferences`` entry: points are the weights, ratings the values (accord rescales each
issue's ratings to 0..1, so only their differences matter), and the walk-away is the
reservation value (for a package, its utility under these numbers).

One function, :func:`check_entry`, reads a submission from the form or the API and either
returns a clean :class:`PreferenceEntry` or raises :class:`SubmissionError` naming every field
that is wrong; nothing is saved from a submission with a mistake.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from accord.limits import SERVICE_TEXT_MAX_CHARS
from accord.model import Issue, Problem, Scenario
from accord.service import engine
from accord.service.errors import SubmissionError

__all__ = [
    "PreferenceEntry",
    "WalkAway",
    "check_entry",
    "check_package",
    "check_text",
    "rating_points",
    "to_accord",
]

RATED_POINTS = 5


class WalkAway(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["value", "package"]
    value: int | None = None
    package: dict[str, str | float] | None = None


class PreferenceEntry(BaseModel):
    """One version of a party's preferences, as stored (sealed) and as the API takes it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    points: dict[str, int]
    ratings: dict[str, dict[str, int]]
    walk_away: WalkAway
    notes: str = ""


def option_labels(issue: Issue) -> list[str]:
    return list(engine.option_labels(issue))


def rating_points(issue: Issue) -> list[str]:
    """The options a delegate rates: every option, or for a range up to five evenly spaced
    steps from its minimum to its maximum (ratings in between are interpolated)."""
    labels = option_labels(issue)
    if issue.range is None or len(labels) <= RATED_POINTS:
        return labels
    n = len(labels) - 1
    picks = sorted({round(k * n / (RATED_POINTS - 1)) for k in range(RATED_POINTS)})
    return [labels[k] for k in picks]


def mapping(value: Any) -> Mapping[str, Any]:
    """A submitted value that should be a mapping, or an empty one (its keys are then missing)."""
    return value if isinstance(value, Mapping) else {}


def _whole(
    value: Any, lo: int, hi: int, path: tuple[str, ...], problems: list[Problem]
) -> int | None:
    expected = f"a whole number from {lo} to {hi}"
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem(path, expected, "nothing"))
        return None
    if isinstance(value, bool):
        problems.append(Problem(path, expected, repr(value)))
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        problems.append(Problem(path, expected, repr(str(value)[:40])))
        return None
    if not lo <= number <= hi:
        problems.append(Problem(path, expected, str(number)))
        return None
    return number


def check_text(
    value: Any, path: tuple[str, ...], problems: list[Problem], *, required: bool = False
) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").strip()
    if required and not text:
        problems.append(Problem(path, "some text", "nothing"))
    if len(text) > SERVICE_TEXT_MAX_CHARS:
        problems.append(
            Problem(
                path,
                f"at most {SERVICE_TEXT_MAX_CHARS:,} characters (accord.limits."
                "SERVICE_TEXT_MAX_CHARS)",
                f"{len(text):,}",
            )
        )
    return text


def check_package(
    scenario: Scenario, raw: Any, path: tuple[str, ...], problems: list[Problem]
) -> dict[str, str | float]:
    """A package naming one option of every issue; numbers on a range given as text are read."""
    if not isinstance(raw, Mapping):
        problems.append(Problem(path, "an option for every issue", type(raw).__name__))
        return {}
    package: dict[str, str | float] = {}
    for issue in scenario.issues:
        value = raw.get(issue.id)
        if value is None or value == "":
            problems.append(Problem((*path, issue.id), "an option", "nothing"))
            continue
        if issue.range is not None and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = float(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if engine.option_index(scenario, issue.id, value) is None:
            labels = ", ".join(option_labels(issue))
            problems.append(Problem((*path, issue.id), f"one of {labels}", repr(value)))
            continue
        package[issue.id] = value
    for key in raw:
        if key not in package and all(key != i.id for i in scenario.issues):
            problems.append(Problem((*path, str(key)), "only the case's issues", repr(key)))
    return package


def _ratings(
    scenario: Scenario, raw: Any, points: Mapping[str, int], problems: list[Problem]
) -> dict[str, dict[str, int]]:
    raw = mapping(raw)
    ratings: dict[str, dict[str, int]] = {}
    for issue in scenario.issues:
        given = mapping(raw.get(issue.id))
        labels = option_labels(issue)
        wanted = labels if issue.range is None else (list(given) or rating_points(issue))
        table: dict[str, int] = {}
        for label in wanted:
            path = ("ratings", issue.id, str(label))
            if str(label) not in labels:
                problems.append(Problem(path, f"one of the steps {', '.join(labels)}", repr(label)))
                continue
            value = given.get(label)
            if value in (None, "") and not points.get(issue.id):
                continue  # an issue worth no points needs no ratings
            number = _whole(value, 0, 100, path, problems)
            if number is not None:
                table[str(label)] = number
        if points.get(issue.id):
            if issue.range is not None and len(table) < 2 and len(wanted) >= 2:
                pass  # the missing ratings are already reported
            elif len(table) == len(wanted) and len(set(table.values())) < 2:
                problems.append(
                    Problem(
                        ("ratings", issue.id),
                        "at least two options rated differently (or 0 points for the issue)",
                        f"every option rated {next(iter(table.values()))}",
                    )
                )
        if table:
            ratings[issue.id] = dict(sorted(table.items(), key=lambda kv: labels.index(kv[0])))
    return ratings


def check_entry(scenario: Scenario, raw: Mapping[str, Any]) -> PreferenceEntry:
    """A submission (form or API) as a clean entry, or SubmissionError naming each mistake."""
    problems: list[Problem] = []
    given_points = mapping(raw.get("points"))
    points: dict[str, int] = {}
    for issue in scenario.issues:
        number = _whole(given_points.get(issue.id), 0, 100, ("points", issue.id), problems)
        if number is not None:
            points[issue.id] = number
    for key in given_points:
        if all(key != i.id for i in scenario.issues):
            problems.append(Problem(("points", str(key)), "only the case's issues", repr(key)))
    if len(points) == len(scenario.issues) and sum(points.values()) != 100:
        problems.append(
            Problem(("points",), "points that add up to 100", f"a total of {sum(points.values())}")
        )
    ratings = _ratings(scenario, raw.get("ratings"), points, problems)
    walk = mapping(raw.get("walk_away"))
    kind = walk.get("kind")
    walk_away: WalkAway | None = None
    if kind == "value":
        value = _whole(walk.get("value"), 0, 100, ("walk_away", "value"), problems)
        walk_away = WalkAway(kind="value", value=value)
    elif kind == "package":
        package = check_package(scenario, walk.get("package"), ("walk_away", "package"), problems)
        walk_away = WalkAway(kind="package", package=package)
    else:
        problems.append(
            Problem(
                ("walk_away", "kind"), "'value' or 'package'", repr(kind) if kind else "nothing"
            )
        )
    notes = check_text(raw.get("notes"), ("notes",), problems)
    if problems or walk_away is None:
        raise SubmissionError(problems)
    return PreferenceEntry(points=points, ratings=ratings, walk_away=walk_away, notes=notes)


def _values(scenario: Scenario, entry: PreferenceEntry) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for issue in scenario.issues:
        if not entry.points.get(issue.id):
            continue
        table = entry.ratings[issue.id]
        if issue.range is None:
            values[issue.id] = dict(table)
        else:
            values[issue.id] = sorted([float(x), r] for x, r in table.items())
    return values


def to_accord(
    shared: Mapping[str, Any],
    scenario: Scenario,
    party_id: str,
    entry: PreferenceEntry,
    *,
    rationale: str,
) -> dict[str, Any]:
    """The entry as an accord scenario's ``preferences`` entry (reservation computed)."""
    data: dict[str, Any] = {
        "weights": {i: p for i, p in entry.points.items()},
        "values": _values(scenario, entry),
        "reservation": 0.0,
        "estimate": False,
        "rationale": entry.notes or rationale,
    }
    if entry.walk_away.kind == "value":
        data["reservation"] = (entry.walk_away.value or 0) / 100
    else:
        package = entry.walk_away.package or {}
        (data["reservation"],) = engine.own_utilities(shared, party_id, data, [package])
    return data
