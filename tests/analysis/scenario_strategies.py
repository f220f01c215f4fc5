"""Hypothesis strategies for small scenarios written as a user writes them, with many exact ties.

Weights, option values, range bounds, steps, value points and reservations are
integers or short decimals; numeric issues interpolate value points that fall
between the range's steps.  Small value sets, zero weights and "twin" options
(worth the same to everyone) make equal utilities common, and decimals such as
0.1 or 0.3 (not binary fractions) are what rounding used to get wrong.  About a
third of the drawn scenarios have packages with equal utility vectors, and two
thirds equal utilities for some negotiator.  The data is a plain dict, as
:func:`accord.model.scenario_from_data` takes it.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

MAX_PACKAGES = 60

NUMBERS = st.one_of(
    st.integers(0, 4),
    st.sampled_from([0.1, 0.25, 0.3, 0.5, 0.7, 1.5, 2.5]),
)
WEIGHTS = st.one_of(st.integers(0, 3), st.sampled_from([0, 0.1, 0.2, 0.3, 0.5, 1.5]))
RESERVATIONS = st.sampled_from([0, 0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6])
STARTS = st.sampled_from([0, 1, 0.5, 10])
STEPS = st.sampled_from([1, 2, 0.5, 0.1, 2.5])


def _distinct(draw: st.DrawFn, count: int) -> list[Any]:
    """``count`` values from NUMBERS, not all equal."""
    values = [draw(NUMBERS) for _ in range(count)]
    if len(set(values)) == 1:
        values[0] = values[0] + 1
    return values


@st.composite
def _issue(draw: st.DrawFn, k: int, room: int) -> dict[str, Any]:
    if draw(st.booleans()):
        size = draw(st.integers(2, min(4, room)))
        return {"id": f"i{k}", "name": f"Issue {k}", "options": [f"o{j}" for j in range(size)]}
    size = draw(st.integers(2, min(5, room)))
    start, step = draw(STARTS), draw(STEPS)
    top = Fraction(str(start)) + (size - 1) * Fraction(str(step))
    return {
        "id": f"i{k}",
        "name": f"Issue {k}",
        "range": {
            "min": start,
            "max": float(top) if top.denominator > 1 else int(top),
            "step": step,
        },
    }


def _range_points(draw: st.DrawFn, issue: dict[str, Any]) -> list[list[Any]]:
    """Value points spanning the range, some between its steps (interpolated)."""
    r = issue["range"]
    lo, hi = Fraction(str(r["min"])), Fraction(str(r["max"]))
    half = Fraction(str(r["step"])) / 2
    inner = [lo + j * half for j in range(1, int((hi - lo) / half))]
    chosen = sorted(draw(st.sets(st.sampled_from(inner), max_size=2))) if inner else []
    xs = [lo, *chosen, hi]
    values = _distinct(draw, len(xs))
    if values[0] == values[-1]:  # the range's two ends always differ: never a flat issue
        values[-1] = values[-1] + 1
    return [[float(x) if x.denominator > 1 else int(x), v] for x, v in zip(xs, values, strict=True)]


def _option_value(issue: dict[str, Any], index: int) -> Any:
    if "options" in issue:
        return issue["options"][index]
    r = issue["range"]
    x = Fraction(str(r["min"])) + index * Fraction(str(r["step"]))
    return float(x) if x.denominator > 1 else int(x)


def issue_size(issue: dict[str, Any]) -> int:
    if "options" in issue:
        return len(issue["options"])
    r = issue["range"]
    span = Fraction(str(r["max"])) - Fraction(str(r["min"]))
    return int(span / Fraction(str(r["step"]))) + 1


@st.composite
def tie_scenarios(draw: st.DrawFn, *, negotiators: tuple[int, int] = (2, 3)) -> dict[str, Any]:
    """A valid scenario (as data) of 2-3 negotiators, 1-3 issues, at most 60 packages."""
    n = draw(st.integers(*negotiators))
    issues: list[dict[str, Any]] = []
    packages = 1
    for k in range(draw(st.integers(1, 3))):
        room = MAX_PACKAGES // packages
        if room < 2:
            break
        issue = draw(_issue(k, room))
        issues.append(issue)
        packages *= issue_size(issue)
    parties = [{"id": f"n{j}", "name": f"N{j}", "role": "negotiator"} for j in range(n)]
    # a categorical issue of three or more options may have a twin: its last option worth
    # exactly what its first is, to every negotiator (packages with equal utility vectors)
    twins = {i["id"] for i in issues if len(i.get("options", ())) >= 3 and draw(st.booleans())}
    preferences = {}
    for party in parties:
        weights = {i["id"]: draw(WEIGHTS) for i in issues}
        if not any(weights.values()):
            weights[issues[0]["id"]] = 1
        values: dict[str, Any] = {}
        for issue in issues:
            if "options" in issue:
                chosen = _distinct(draw, len(issue["options"]))
                if issue["id"] in twins:
                    chosen[-1] = chosen[0]
                    if len(set(chosen)) == 1:
                        chosen[1] = chosen[1] + 1
                values[issue["id"]] = dict(zip(issue["options"], chosen, strict=True))
            else:
                values[issue["id"]] = _range_points(draw, issue)
        preferences[party["id"]] = {
            "weights": weights,
            "values": values,
            "reservation": draw(RESERVATIONS),
            "estimate": True,
            "rationale": "Drawn by hypothesis.",
        }
    proposals = []
    for p in range(draw(st.integers(0, 2))):
        chosen = {
            i["id"]: _option_value(i, draw(st.integers(0, issue_size(i) - 1))) for i in issues
        }
        proposals.append(
            {
                "id": f"p{p}",
                "name": f"P{p}",
                "date": "2026-01-05",
                "by": "n0",
                "package": chosen,
                "sources": ["s"],
            }
        )
    constraints = []
    if len(issues) > 1 and draw(st.booleans()):
        a, b = issues[0], issues[1]
        constraints.append(
            {
                "forbid": {
                    a["id"]: _option_value(a, draw(st.integers(0, issue_size(a) - 1))),
                    b["id"]: _option_value(b, draw(st.integers(0, issue_size(b) - 1))),
                },
                "reason": "Drawn by hypothesis.",
            }
        )
    return {
        "accord": 1,
        "title": "Drawn by hypothesis",
        "date": "2026-01-05",
        "sources": [{"id": "s", "outlet": "o", "title": "t", "date": "2026-01-05"}],
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
        "constraints": constraints,
        "proposals": proposals,
    }


NORMALIZE_MODES = ("minmax", "max", "none")


def decimal(x: Fraction) -> float | int:
    return int(x) if x.denominator == 1 else float(x)


def _q(x: Any) -> Fraction:
    return Fraction(str(x))


def set_normalize(data: dict[str, Any], party: str, mode: str) -> None:
    """Give ``party`` the block ``normalize: mode``; under ``max`` its range points are
    divided by 5 so they lie in [0, 1] (the drawn values are at most 5)."""
    pref = data["preferences"][party]
    pref["normalize"] = mode
    if mode != "max":
        return
    for issue in data["issues"]:
        if "range" in issue:
            pref["values"][issue["id"]] = [
                [x, decimal(_q(v) / 5)] for x, v in pref["values"][issue["id"]]
            ]


@st.composite
def normalized_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(draw(tie_scenarios()))
    for party in data["preferences"]:
        set_normalize(data, party, draw(st.sampled_from(NORMALIZE_MODES)))
    return data
