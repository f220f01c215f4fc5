"""`accord scenarios`, `check`, `show`, `schema`: output, JSON, and exit status 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from accord.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_lists_every_command() -> None:
    out = run("--help")
    assert out.exit_code == 0
    for cmd in ("scenarios", "check", "show", "schema"):
        assert cmd in out.output
    for cmd in ("scenarios", "check", "show", "schema"):
        sub = run(cmd, "--help")
        assert sub.exit_code == 0 and "--json" in sub.output


def test_scenarios_lists_both_embedded() -> None:
    data = json.loads(run("scenarios", "--json").output)
    assert {d["name"] for d in data} >= {"cairo-2024", "job-offer"}


def test_check_default_is_cairo_and_ok() -> None:
    out = run("check")
    assert out.exit_code == 0 and "Cairo" in out.output
    data = json.loads(run("check", "--json").output)
    assert data["ok"] is True and data["counts"]["negotiators"] == 2 and data["errors"] == []


def test_show_prints_positions_with_sources_and_the_timeline() -> None:
    out = run("show", "cairo-2024")
    assert out.exit_code == 0
    assert "[london-2024-02-13]" in out.output  # citations are printed, not eaten as markup
    assert "Timeline" in out.output and "Positions" in out.output
    data = json.loads(run("show", "job-offer", "--json").output)
    assert data["scenario"]["title"].startswith("A job offer")


def test_bad_file_exits_2_with_every_problem_and_no_traceback(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["parties"][1]["role"] = "observer"
    base["preferences"]["ana"]["reservation"] = 3
    path = write_yaml(base)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "2 problems found" in result.output
    assert f"{path}:" in result.output and "parties[1].role" in result.output
    as_json = CliRunner().invoke(main, ["check", str(path), "--json"])
    assert as_json.exit_code == 2
    payload = json.loads(as_json.stdout)
    assert payload["ok"] is False and len(payload["errors"]) == 2
    assert {e["path"][0] for e in payload["errors"]} == {"parties", "preferences"}


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["show", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_schema_is_json_schema_with_the_top_level_keys() -> None:
    data = json.loads(run("schema").output)
    assert set(data["properties"]) >= {
        "accord",
        "title",
        "description",
        "date",
        "sources",
        "parties",
        "issues",
        "positions",
        "preferences",
        "constraints",
        "proposals",
        "events",
    }
