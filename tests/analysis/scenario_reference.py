"""The exact utilities of a scenario given as data, straight from the format's definitions.

Every number is read as the decimal it is written as (``Fraction(str(x))``); weights
are normalised to sum to one, values min-max over an issue's options (or as the block's
``normalize`` says), a numeric
issue's value points interpolated piecewise-linearly at each step (constant beyond
the outermost points).  Nothing here uses accord: it checks ``compile_space`` and
every analysis built on it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from space_reference import Package, Vector


def q(x: Any) -> Fraction:
    return Fraction(str(x))


def _grid(issue: dict[str, Any]) -> list[Fraction]:
    if "options" in issue:
        return []
    r = issue["range"]
    lo, hi, step = q(r["min"]), q(r["max"]), q(r["step"])
    return [lo + k * step for k in range(int((hi - lo) / step) + 1)]


def _interpolate(points: list[tuple[Fraction, Fraction]], x: Fraction) -> Fraction:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, v0), (x1, v1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _raw_values(issue: dict[str, Any], table: Any) -> list[Fraction]:
    if "options" in issue:
        return [q(table[o]) for o in issue["options"]]
    points = [(q(x), q(v)) for x, v in table]
    return [_interpolate(points, x) for x in _grid(issue)]


def _size(issue: dict[str, Any]) -> int:
    return len(issue["options"]) if "options" in issue else len(_grid(issue))


def _index(issue: dict[str, Any], value: Any) -> int:
    if "options" in issue:
        return int(issue["options"].index(value))
    return _grid(issue).index(q(value))


def _ends(normalize: str, issue: dict[str, Any], raw: list[Fraction]) -> tuple[Fraction, Fraction]:
    """The raw values that become 0 and 1: min-max; GENIUS's `max` (an option issue divided
    by its largest value, a range's evaluations as written); or `none`."""
    if normalize == "none" or (normalize == "max" and "range" in issue):
        return Fraction(0), Fraction(1)
    if normalize == "max":
        return Fraction(0), max(raw)
    return min(raw), max(raw)


@dataclass
class ExactScenario:
    negotiators: list[str]
    utility: dict[Package, Vector]  # feasible packages only, in lexicographic order
    reservation: Vector
    proposals: list[tuple[str, Package]]


def exact_scenario(data: dict[str, Any]) -> ExactScenario:
    issues = data["issues"]
    negotiators = [p["id"] for p in data["parties"] if p["role"] == "negotiator"]
    tables: list[list[list[Fraction]]] = []  # negotiator -> issue -> option
    reservation = []
    for n in negotiators:
        pref = data["preferences"][n]
        weights = {k: q(v) for k, v in pref["weights"].items()}
        total = sum(weights.values(), Fraction(0))
        per_issue = []
        for issue in issues:
            w = weights.get(issue["id"], Fraction(0)) / total
            if w == 0:
                per_issue.append([Fraction(0)] * _size(issue))
                continue
            raw = _raw_values(issue, pref["values"][issue["id"]])
            lo, hi = _ends(pref.get("normalize", "minmax"), issue, raw)
            per_issue.append([w * (v - lo) / (hi - lo) for v in raw])
        tables.append(per_issue)
        reservation.append(q(pref["reservation"]))
    forbidden = []
    for rule in data.get("constraints", []):
        parts = []
        for issue_id, spec in rule["forbid"].items():
            k = [i["id"] for i in issues].index(issue_id)
            listed = spec if isinstance(spec, list) else [spec]
            parts.append((k, {_index(issues[k], v) for v in listed}))
        forbidden.append(parts)
    utility = {}
    for p in itertools.product(*(range(_size(i)) for i in issues)):
        if any(all(p[k] in allowed for k, allowed in parts) for parts in forbidden):
            continue
        utility[p] = tuple(
            sum((t[i][p[i]] for i in range(len(issues))), Fraction(0)) for t in tables
        )
    proposals = [
        (prop["id"], tuple(_index(i, prop["package"][i["id"]]) for i in issues))
        for prop in data.get("proposals", [])
    ]
    return ExactScenario(negotiators, utility, tuple(reservation), proposals)


def exact_package_utility(
    data: dict[str, Any], scenario: ExactScenario, package: Package
) -> Vector:
    """The exact utility of any package (feasible or not)."""
    if package in scenario.utility:
        return scenario.utility[package]
    # recompute through a one-off scenario without constraints
    free = dict(data, constraints=[])
    return exact_scenario(free).utility[package]
