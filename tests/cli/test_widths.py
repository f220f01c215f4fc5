"""At 80 and 120 columns no command cuts a value off (issue 11, item 10).

For every command the table output must hold no "…", no line wider than the terminal, and
every word of every value the same command's ``--json`` gives for the things its tables show
(ids, names, options, states, the text of positions and events): wrapped between words or
stacked, never hidden.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from accord.cli import main

Values = Callable[[Any], Iterator[Any]]


def _all(items: Any, *keys: str) -> Iterator[Any]:
    for item in items:
        for key in keys:
            yield item[key]


def _show(data: Any) -> Iterator[Any]:
    s = data["scenario"]
    yield s["title"]
    yield from _all(s["parties"], "id", "name")
    for party in s["parties"]:
        yield from _all(party.get("representatives", []), "name", "title")
    yield from _all(s["issues"], "id", "name")
    for issue in s["issues"]:
        yield from _all(issue.get("options") or [], "id")
    yield from _all(s["positions"], "party", "issue", "demand")
    for p in s["proposals"]:
        yield p["id"]
        yield from (v for v in p["package"].values() if isinstance(v, str))
        yield from ([p["by"]] if isinstance(p["by"], str) else p["by"])
    yield from _all(s["events"], "text")
    yield from _all(s["signals"], "who", "about", "stance", "text")
    yield from _all(s["sources"], "id", "outlet", "title")


def _signals(data: Any) -> Iterator[Any]:
    for day in data["days"]:
        yield day["date"]
        for party in day["parties"]:
            for tone in ("positive", "negative", "neutral"):
                for e in party[tone]:
                    yield from (e["representative"] if "representative" in e else e["party"],)
                    yield from (e["party"], e["about"], e["stance"], e["text"])
                    yield from (c if isinstance(c, str) else c["at"] for c in e["sources"])


def _analyze(data: Any) -> Iterator[Any]:
    yield from data["negotiators"]
    yield from _all(data["proposals"], "id")
    for sol in data["solutions"].values():
        if sol is not None:
            yield from sol["package"].values()
    for point in data["pareto"]:
        yield from (f"{k}={v}" for k, v in point["package"].items())


def _compare(data: Any) -> Iterator[Any]:
    yield data["a"]
    yield data["b"]
    yield from _all(data["issues"], "issue", "before", "after")
    yield from _all(data["negotiators"], "summary")


def _improve(data: Any) -> Iterator[Any]:
    yield data["start"]
    for imp in data["improvements"]:
        yield from _all(imp["changes"], "issue", "before", "after")


def _phases(data: Any) -> Iterator[Any]:
    for a in data["assessments"]:
        yield a["plan"]
        yield from a["negotiators"]
        yield from a["items"]
        yield from _all(a["points"], "stage")
        yield from a["weakest"]["point"]["after"]
        yield from _all(a["weakest"]["drivers"], "what")


def _guarantees(data: Any) -> Iterator[Any]:
    for g in data["guarantees"]:
        yield from g["negotiators"]
        yield from (b for b in g["binding"] if b)


def _stability(data: Any) -> Iterator[Any]:
    yield from data["states"][:200]
    for states in data["equilibria"].values():
        yield from states
    for path in data.get("status_quo", {}).get("paths", [])[:20]:
        yield path["target"]
        for step in path["steps"]:
            yield step["state"]
            yield "+".join(step["movers"])


def _robust(data: Any) -> Iterator[Any]:
    yield from data["negotiators"]
    yield from _all(data["proposals"], "id")
    yield from _all(data["sensitivity"], "conclusion")
    yield from _all(data["plans"], "id")


def _scenarios(data: Any) -> Iterator[Any]:
    yield from _all(data, "name", "title")


CASES: list[tuple[str, list[str], Values]] = [
    ("scenarios", ["scenarios"], _scenarios),
    ("show-cairo", ["show", "cairo-2024"], _show),
    ("show-job", ["show", "job-offer"], _show),
    ("signals", ["signals"], _signals),
    ("analyze-cairo", ["analyze", "cairo-2024", "--limit", "12"], _analyze),
    ("analyze-job", ["analyze", "job-offer", "--limit", "12"], _analyze),
    ("compare", ["compare", "paris-framework", "cairo-draft"], _compare),
    ("improve", ["improve", "cairo-draft"], _improve),
    ("phases", ["phases"], _phases),
    ("phases-guarantee", ["phases", "--guarantee"], _guarantees),
    ("stability", ["stability"], _stability),
    ("stability-sq", ["stability", "--status-quo"], _stability),
    ("robust", ["robust", "--samples", "300"], _robust),
]


def run(args: list[str], width: int) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(("name", "args", "values"), CASES, ids=[c[0] for c in CASES])
def test_no_value_is_cut_off(name: str, args: list[str], values: Values, width: int) -> None:
    text = run(args, width)
    assert "…" not in text
    wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert wide == []
    data = json.loads(run([*args, "--json"], width))
    shown = list(values(data))
    assert shown, "the case names no value to look for"
    words = set(text.split())
    missing = sorted({w for v in shown for w in str(v).split() if w not in words and w not in text})
    assert missing == [], f"{name} at {width} columns hides: {missing[:10]}"


def test_the_issue_s_examples_are_shown_whole() -> None:
    """`show` printed `150…` for 1,500 prisoners and `phases` `hosta…` at 80 columns."""
    show = run(["show"], 80)
    assert "1500" in show
    phases = run(["phases"], 80)
    assert "hostages-living" in phases and "[israel-most-first]" in phases
