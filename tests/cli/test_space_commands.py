"""`accord analyze`, `compare`, `improve` on the embedded scenarios and on files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from accord.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_analyze_json_on_cairo_has_the_documented_keys_and_consistent_counts() -> None:
    out = run("analyze", "--json", "--limit", "5")
    assert out.exit_code == 0
    data = json.loads(out.output)
    for key in (
        "negotiators",
        "packages",
        "exact",
        "zopa",
        "pareto_size",
        "pareto",
        "solutions",
        "proposals",
    ):
        assert key in data
    assert data["negotiators"] == ["israel", "hamas"]
    assert data["exact"] is True and 0 < data["zopa"] <= data["packages"]
    assert len(data["pareto"]) == 5 and data["pareto_size"] >= 5
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    for sol in data["solutions"].values():
        assert sol["ties"] >= 1
        assert all(
            u >= r - 1e-9
            for u, r in zip(sol["utility"].values(), data["reservation"].values(), strict=True)
        )
    ids = [p["id"] for p in data["proposals"]]
    assert "cairo-draft" in ids and "paris-framework" in ids
    for p in data["proposals"]:
        assert p["pareto_optimal"] == (p["dominated_by"] == 0)


def test_analyze_tables_name_the_solutions_and_proposals() -> None:
    out = run("analyze")
    assert out.exit_code == 0
    for text in (
        "zone of possible agreement",
        "Nash",
        "egalitarian",
        "utilitarian",
        "cairo-draft",
        "Pareto frontier",
    ):
        assert text in out.output
    # issue 17: the distinct utility vectors on the frontier, as in --json's pareto_vectors
    assert "frontier utility vectors    192 distinct" in out.output


def test_zopa_pareto_lists_only_acceptable_frontier_points() -> None:
    data = json.loads(run("analyze", "--json", "--zopa-pareto").output)
    assert len(data["pareto"]) == data["zopa_pareto_size"] <= data["pareto_size"]
    for point in data["pareto"]:
        for n, u in point["utility"].items():
            assert u >= data["reservation"][n] - 1e-9


def test_compare_with_and_without_file() -> None:
    two = json.loads(run("compare", "paris-framework", "cairo-draft", "--json").output)
    three = json.loads(
        run("compare", "cairo-2024", "paris-framework", "cairo-draft", "--json").output
    )
    assert two == three
    changed = [i["issue"] for i in two["issues"] if i["changed"]]
    assert changed and two["issues_changed"] == len(changed)
    for person in two["negotiators"]:
        assert person["verdict"] in {"gains", "loses", "indifferent"}
    table = run("compare", "paris-framework", "nash")
    assert table.exit_code == 0 and "moving from paris-framework to nash" in table.output


def test_compare_and_improve_reject_unknown_names_without_traceback() -> None:
    out = CliRunner().invoke(main, ["compare", "nash", "nowhere"])
    assert out.exit_code == 2 and "unknown proposal or solution 'nowhere'" in out.output
    out = CliRunner().invoke(main, ["compare", "nash"])
    assert out.exit_code == 2 and "expected [FILE] A B" in out.output
    out = CliRunner().invoke(main, ["improve"])
    assert out.exit_code == 2 and "expected [FILE] P" in out.output


def test_improve_cairo_draft_lists_dominating_packages() -> None:
    data = json.loads(run("improve", "cairo-draft", "--json", "--limit", "3").output)
    assert data["pareto_optimal"] is False and data["dominated_by"] >= 1
    assert 1 <= len(data["improvements"]) <= 3
    ranks = [imp["issues_changed"] for imp in data["improvements"]]
    assert ranks == sorted(ranks)
    for imp in data["improvements"]:
        assert all(g >= -1e-9 for g in imp["gain"].values())
        assert any(g > 0 for g in imp["gain"].values())
    assert "what changes" in run("improve", "cairo-draft").output


def test_improve_a_solution_is_pareto_optimal() -> None:
    out = run("improve", "nash")
    assert out.exit_code == 0 and "Pareto-optimal" in out.output


def test_commands_work_on_a_file_with_an_empty_zopa(tmp_path: Path) -> None:
    doc = {
        "accord": 1,
        "title": "Two neighbours and a fence",
        "date": "2026-01-05",
        "sources": [{"id": "n", "outlet": "Notes", "title": "Fence", "date": "2026-01-05"}],
        "parties": [
            {"id": "ann", "name": "Ann", "role": "negotiator"},
            {"id": "bo", "name": "Bo", "role": "negotiator"},
        ],
        "issues": [
            {"id": "height", "name": "Height", "options": ["low", "high"]},
            {"id": "cost", "name": "Who pays", "options": ["ann", "bo"]},
        ],
        "preferences": {
            "ann": {
                "weights": {"height": 1, "cost": 1},
                "values": {"height": {"low": 0, "high": 1}, "cost": {"ann": 0, "bo": 1}},
                "reservation": 0.8,
                "estimate": True,
                "rationale": "test",
            },
            "bo": {
                "weights": {"height": 1, "cost": 1},
                "values": {"height": {"low": 1, "high": 0}, "cost": {"ann": 1, "bo": 0}},
                "reservation": 0.8,
                "estimate": True,
                "rationale": "test",
            },
        },
    }
    path = tmp_path / "fence.yaml"
    path.write_text(yaml.safe_dump(doc))
    out = run("analyze", str(path), "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["zopa"] == 0 and data["packages"] == 4
    assert all(v is None for v in data["solutions"].values())
    assert "no single package satisfies all of them" in data["explanation"]
    table = run("analyze", str(path))
    assert "no single package satisfies all of them" in " ".join(table.output.split())
    out = CliRunner().invoke(main, ["compare", str(path), "nash", "utilitarian"])
    assert out.exit_code == 2 and "zone of possible agreement is empty" in out.output


def test_help_of_each_command() -> None:
    for cmd in ("analyze", "compare", "improve"):
        out = run(cmd, "--help")
        assert out.exit_code == 0 and "--json" in out.output
    assert "--limit" in run("analyze", "--help").output
