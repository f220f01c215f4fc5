"""`accord report`: writes the page where -o says, and a user's mistake is a message, not a
traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from accord.cli import main

from .page_facts import page_facts


def test_report_writes_a_page_for_a_scenario_file(tmp_path: Path, write_yaml, base) -> None:  # type: ignore[no-untyped-def]
    source = write_yaml(base)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    facts = page_facts(out.read_text(encoding="utf-8"))
    assert "fig-frontier" in facts.figures
    assert str(source) in out.read_text(encoding="utf-8")


def test_report_compares_the_chosen_pair(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", "job-offer", "-o", str(out), "--compare", "first-offer", "counter-offer"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "From “The employer&#39;s first offer” to “The candidate&#39;s counter-offer”" in html


def test_unknown_proposal_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", "job-offer", "-o", str(out), "--compare", "first-offer", "nope"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "no proposal 'nope'" in result.output
    assert "first-offer, counter-offer, recruiter-draft" in result.output
    assert not out.exists()


def test_bad_scenario_file_exits_2_with_its_problems(tmp_path: Path, write_yaml) -> None:  # type: ignore[no-untyped-def]
    source = write_yaml("accord: 1\ntitle: x\nparties: 3\n")
    result = CliRunner().invoke(main, ["report", str(source), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "parties" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_unwritable_output_is_a_message(tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "r.html"
    result = CliRunner().invoke(main, ["report", "job-offer", "-o", str(out)])
    assert result.exit_code != 0
    assert "Could not open file" in result.output
    assert isinstance(result.exception, SystemExit)
