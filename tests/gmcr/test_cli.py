"""`accord stability`: output keys, the other analyses, and exit status 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from accord.cli import main

ELMIRA = str(Path(__file__).parent / "data" / "elmira.yaml")
ALL_ELMIRA = ",".join(str(s) for s in range(1, 10))  # 9! = 362,880 rankings


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["stability", *args], catch_exceptions=False)


def test_json_keys_are_exactly_those_of_the_issue_and_consistent() -> None:
    out = run("--json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"states", "stable", "equilibria"}
    assert set(data["stable"]) == {"israel", "hamas", "united-states"}
    for dm, by_concept in data["stable"].items():
        assert set(by_concept) == {"nash", "gmr", "smr", "seq"}, dm
    assert set(data["equilibria"]) == {"nash", "gmr", "smr", "seq"}
    for concept, states in data["equilibria"].items():
        common = set(data["states"])
        for by_concept in data["stable"].values():
            common &= set(by_concept[concept])
        assert set(states) == common
    assert "war goes on, US presses (13 Feb)" in data["states"]


def test_elmira_file_gives_the_published_equilibria() -> None:
    data = json.loads(run(ELMIRA, "--json").stdout)
    assert data["equilibria"] == {
        "nash": ["5", "8", "UR abandons"],
        "gmr": ["status quo", "4", "5", "8", "UR abandons"],
        "smr": ["status quo", "4", "5", "8", "UR abandons"],
        "seq": ["5", "8", "UR abandons"],
    }


def test_status_quo_coalition_inverse_and_explain_in_json() -> None:
    out = run(
        ELMIRA,
        "--json",
        "--status-quo",
        "--coalition",
        "MoE,UR",
        "--inverse",
        "LG",
        "--target",
        "8",
        "--vary",
        "8,4",
        "--explain",
        "status quo",
    )
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    paths = {p["target"]: p["steps"] for p in data["status_quo"]["paths"]}
    assert paths["8"] == [
        {"movers": ["LG"], "state": "5"},
        {"movers": ["MoE", "UR"], "state": "8"},
    ]
    assert data["coalition"]["survives"]["nash"] == {"5": False, "8": True, "UR abandons": True}
    assert data["inverse"]["total"] == 2 and data["inverse"]["counts"]["nash"] == 1
    lg_seq = next(
        c for c in data["explain"]["concepts"] if c["dm"] == "LG" and c["concept"] == "seq"
    )
    assert lg_seq["stable"] is False
    assert lg_seq["improvements"] == [{"improvement": "5", "sanction": None, "escape": None}]


def test_tables_print_without_json() -> None:
    out = run(ELMIRA, "--status-quo", "--coalition", "MoE,UR", "--explain", "5")
    assert out.exit_code == 0
    for text in ("Stability", "SEQ equilibria", "Status quo", "Coalition MoE+UR", "Why 5"):
        assert text in out.stdout


def test_user_mistakes_exit_2_with_a_message(tmp_path: Path) -> None:
    cases = [
        (["--explain", "NNXN"], "not a feasible state"),
        (["--inverse", "israel"], "go together"),
        (["--coalition", "israel,nobody"], "unknown decision maker 'nobody'"),
        (["--inverse", "nobody", "--target", "NNNNNNY"], "unknown decision maker"),
        (["job-offer"], "no conflict: section"),
        ([ELMIRA, "--inverse", "LG", "--target", "8", "--vary", ALL_ELMIRA], "more than 40,320"),
        (["--inverse", "israel", "--target", "NNNNNNY", "--vary", "NNNNNNY,XYZ"], "--vary"),
    ]
    for args, message in cases:
        out = run(*args)
        assert out.exit_code == 2, args
        assert message in out.stderr, (args, out.stderr)
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(ELMIRA).read_text().replace('"9", "3", "7"', '"9", "3", "3"'))
    out = run(str(bad))
    assert out.exit_code == 2
    assert "conflict.decision_makers[1].ranking[6]" in out.stderr
    assert "2 missing" not in out.stderr and "1 missing: 7" in out.stderr


def test_help_names_every_option() -> None:
    out = run("--help")
    for flag in ("--json", "--status-quo", "--coalition", "--inverse", "--target", "--explain"):
        assert flag in out.stdout


def test_status_quo_can_start_elsewhere() -> None:
    data = json.loads(run(ELMIRA, "--json", "--status-quo", "--start", "5").stdout)
    assert data["status_quo"]["status_quo"] == "5"
    paths = {p["target"]: p["steps"] for p in data["status_quo"]["paths"]}
    assert paths["8"] == [{"movers": ["MoE", "UR"], "state": "8"}]
    out = run(ELMIRA, "--start", "5")
    assert out.exit_code == 2 and "goes with --status-quo" in out.stderr
