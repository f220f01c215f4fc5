"""Fuzzing the loader and every command's input path: exit 0 or 2, never a traceback.

Hypothesis mutates valid scenarios (the embedded job offer with a GMCR conflict and a phased
plan added, and the chores scenario of ``tests/conftest.py``): a value replaced by one of many
awkward values, a key removed or renamed, an item repeated, the text cut or a character changed;
then it loads the file, and runs a command on it through the CLI with exceptions not caught, so
any traceback fails the test (issue 12, item 2: what ``check`` accepts every command accepts).

Two profiles: ``ci`` (the default: a few dozen files, the same ones on every run) and ``long``
(thousands, new ones each run), chosen by the environment variable ``ACCORD_FUZZ_PROFILE``;
``benchmarks/fuzz_inputs.py`` runs the long one.
"""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.model import ScenarioError, read_scenario
from accord.model.loader import read_yaml

settings.register_profile(  # the same files on every run, so CI is repeatable
    "ci", max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = settings.get_profile(os.environ.get("ACCORD_FUZZ_PROFILE", "ci"))

CONFLICT = {
    "decision_makers": [
        {
            "id": "cand",
            "party": "candidate",
            "options": ["accept"],
            "ranking": ["YN", "NN", "YY", "NY"],
        },
        {"id": "emp", "options": ["raise"], "prioritization": ["raise and not accept", "accept"]},
    ],
    "labels": {"NN": "talks go on"},
    "status_quo": "talks go on",
}
PLAN_SECTIONS = {
    "items": [
        {"id": "bonus", "name": "Signing bonus", "holdings": {"employer": 2}},
        {"id": "calm", "name": "Calm", "kind": "flow"},
    ],
    "valuations": {
        party: {
            "items": {"bonus": {"receive": 1, "give": -1}},
            "flows": {"calm": 0.1},
            "outside_option": {"base": 0, "per_item": {"bonus": 0.5}},
            "discount_per_day": {"value": 0.99, "range": [0.98, 0.995]},
            "estimate": True,
            "rationale": "r",
        }
        for party in ("candidate", "employer")
    },
    "plans": [
        {
            "id": "two-steps",
            "name": "Two steps",
            "stages": [
                {
                    "id": "s1",
                    "days": 10,
                    "transfers": [
                        {"from": "employer", "to": "candidate", "item": "bonus", "amount": 1}
                    ],
                    "flows": [{"party": "candidate", "item": "calm", "per_day": 1}],
                },
                {
                    "id": "s2",
                    "days": 5,
                    "transfers": [
                        {"from": "employer", "to": "candidate", "item": "bonus", "amount": 1}
                    ],
                },
            ],
        }
    ],
}


def _bases() -> list[dict[str, Any]]:
    from importlib import resources

    from conftest import BASE

    text = (resources.files("accord") / "scenarios" / "job-offer.yaml").read_text("utf-8")
    job = read_yaml(text, "job-offer.yaml")[0].data
    job = {**job, "conflict": CONFLICT, **PLAN_SECTIONS}
    return [job, copy.deepcopy(BASE)]


BASES = _bases()
AWKWARD: list[Any] = [
    None, True, False, 0, -1, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan, 10**400,
    "", " ", "no", "4e-1", "0.4", "javascript:alert(1)", "[/]", "\x1b]0;x\x07", "$x^$",
    "x" * 300, "ana", "ben", "candidate", "employer", "dishes", "salary", [], {}, [1, 2],
    {"dist": "normal", "mean": 0, "sd": 0}, {"value": 0.5, "range": [1, 0]},
    {"min": 0, "max": 10**15, "step": 1}, {"min": 10, "max": 20, "step": 1e300},
    [[0, 1], [0, 1]], ["NN", "NN"], "Y" * 30,
]  # fmt: skip


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            out += _paths(v, (*path, k))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: Any) -> tuple[str, str]:
    """A mutated scenario as (file text, suffix)."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        how = draw(st.sampled_from(["replace", "delete", "rename", "repeat", "nudge"]))
        if how == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(AWKWARD)))
        elif how == "delete":
            del parent[key]
        elif how == "rename" and isinstance(parent, dict):
            parent[str(key)[:-1] + "x"] = parent.pop(key)
        elif how == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
            parent[key] = parent[key] * draw(st.sampled_from([-1, 0.5, 1.0000001, 1e300]))
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    try:
        text = json.dumps(data) if suffix == ".json" else yaml.safe_dump(data, sort_keys=False)
    except ValueError:  # a number json cannot write
        text, suffix = yaml.safe_dump(data, sort_keys=False), ".yaml"
    if draw(st.booleans()) and text:
        at = draw(st.integers(0, len(text) - 1))
        edit = draw(st.sampled_from(["cut", "char", "drop"]))
        if edit == "cut":
            text = text[:at]
        elif edit == "char":
            text = text[:at] + draw(st.sampled_from(list("[]{}:,'\"&*!-# \t\n\\x"))) + text[at:]
        else:
            text = text[:at] + text[at + 1 :]
    return text, suffix


COMMANDS: list[list[str]] = [
    ["check"],
    ["check", "--json"],
    ["show"],
    ["analyze"],
    ["analyze", "--json"],
    ["compare", "LAST", "nash"],
    ["improve", "LAST"],
    ["phases"],
    ["phases", "--guarantee"],
    ["stability"],
    ["stability", "--status-quo"],
    ["robust", "--samples", "50"],
    ["report", "--samples", "20", "-o", "OUT"],
]


def _write(tmp: Path, text: str, suffix: str) -> Path:
    path = tmp / f"scenario{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


@PROFILE
@given(case=mutated())
def test_the_loader_answers_with_a_scenario_or_problems(
    case: tuple[str, str], tmp_path_factory: Any
) -> None:
    path = _write(tmp_path_factory.mktemp("fuzz"), *case)
    try:
        read_scenario(str(path))
    except ScenarioError as e:
        assert e.problems
        assert all(p.file for p in e.problems)
        str(e).encode("utf-8")  # printable


@PROFILE
@given(case=mutated(), command=st.sampled_from(COMMANDS))
def test_every_command_exits_0_or_2_without_a_traceback(
    case: tuple[str, str], command: list[str], tmp_path_factory: Any
) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    path = _write(tmp, *case)
    try:
        loaded = read_scenario(str(path)).scenario
        last = loaded.proposals[-1].id if loaded.proposals else "none"
    except ScenarioError:
        last = "none"
    args = [a.replace("LAST", last).replace("OUT", str(tmp / "r.html")) for a in command]
    args.insert(1, str(path))
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (0, 2), (args, result.output)
    assert "Traceback" not in result.output
