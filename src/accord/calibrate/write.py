"""The calibrated copy of a scenario: the file's estimates with the calibrated numbers put in,
each marked with what it was.

The copy is a second, labelled set of estimates: the file it came from is not touched. Each
changed number becomes the estimate's point (``value``); an estimate written with a range or a
distribution keeps its form, and a range that does not reach the calibrated number is widened
to it (the comment says so). In YAML every changed number carries a comment
``# calibrated by accord calibrate; was X``, and the file opens with a comment saying how many
numbers changed and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from accord.calibrate.calibrate import Change
from accord.model.loader import yaml_text
from accord.model.schema import Scenario
from accord.model.yaml_reader import read_yaml

__all__ = ["calibrated_data", "calibrated_scenario", "calibrated_yaml"]


def _set(estimate: Any, now: float) -> tuple[Any, str]:
    """The estimate as file data with its point set to ``now``, and what else changed."""
    if not isinstance(estimate, dict):
        return now, ""
    out = dict(estimate)
    out["value"] = now
    note = ""
    if "range" in out:
        lo, hi = out["range"]
        if not lo <= now <= hi:
            out["range"] = [min(lo, now), max(hi, now)]
            note = f"; range widened from [{lo:g}, {hi:g}]"
    for end, widen in (("low", min), ("high", max)):
        if end in out and widen(out[end], now) != out[end]:
            note += f"; {end} was {out[end]:g}"
            out[end] = now
    if out.get("dist") == "triangular" and "mode" not in out:
        out["mode"] = estimate.get("value")
    return out, note


def _node(data: Any, path: Sequence[str | int]) -> tuple[Any, str | int]:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


def calibrated_data(
    scenario: Scenario, changes: Sequence[Change]
) -> tuple[dict[str, Any], list[tuple[tuple[str | int, ...], str]]]:
    """The scenario as file data with the calibrated numbers in, and for each change the path
    of the number written and its comment."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"accord": scenario.accord, **data}
    marks = []
    for change in changes:
        parent, key = _node(data, change.path)
        value, note = _set(parent[key], change.now)
        parent[key] = value
        where = (*change.path, "value") if isinstance(value, dict) else tuple(change.path)
        marks.append((where, f"calibrated by accord calibrate; was {change.was:g}{note}"))
    return data, marks


def calibrated_scenario(scenario: Scenario, changes: Sequence[Change]) -> Scenario:
    """The scenario with the calibrated numbers in (validated like any scenario)."""
    return Scenario.model_validate(calibrated_data(scenario, changes)[0])


def calibrated_yaml(scenario: Scenario, changes: Sequence[Change], origin: str) -> str:
    """The calibrated copy as YAML text, every changed number commented with what it was."""
    data, marks = calibrated_data(scenario, changes)
    text = yaml_text(data)
    document = read_yaml(text, "calibrated copy")[0]
    lines = text.splitlines()
    for path, comment in marks:
        line, _ = document.locate(path)
        if line is not None:
            lines[line - 1] += f"  # {comment}"
    head = [
        f"# A calibrated copy of {origin}, written by accord calibrate on {dt.date.today()}.",
        f"# {len(changes)} estimate(s) changed to the nearest numbers that agree with the",
        "# recorded responses, judgements and positions; each is marked '# calibrated'.",
        "# The original file is unchanged; its numbers are the analyst's estimates.",
    ]
    return "\n".join(head + lines) + "\n"
