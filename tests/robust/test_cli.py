"""`accord robust`: output, JSON, reproducibility, and clear errors."""

from __future__ import annotations

import importlib.util
import json
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main

HAS_DASK = importlib.util.find_spec("distributed") is not None


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_names_every_option() -> None:
    out = run("robust", "--help")
    assert out.exit_code == 0
    for option in ("--samples", "--seed", "--workers", "--cluster", "--json"):
        assert option in out.output


def test_robust_on_cairo_reads_like_a_mediator_s_answer() -> None:
    out = run("robust", "--samples", "500", "--seed", "3")
    assert out.exit_code == 0, out.output
    assert "cairo-draft is in the ZOPA in" in out.output
    assert "the estimate that matters most is" in out.output
    assert "The ZOPA is empty in" in out.output


def test_json_is_reproducible_and_complete(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    path = str(write_yaml(base))
    a = run("robust", path, "--samples", "1500", "--seed", "9", "--json")
    b = run("robust", path, "--samples", "1500", "--seed", "9", "--json")
    assert a.exit_code == 0, a.output
    assert a.output == b.output
    data = json.loads(a.output)
    assert data["samples"] == 1500 and data["seed"] == 9
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    prop = data["proposals"][0]
    assert prop["id"] == "p1"
    assert 0 <= prop["in_zopa"]["low"] <= prop["in_zopa"]["estimate"] <= prop["in_zopa"]["high"]
    assert "Wilson" in data["interval_method"] and "Sobol" in data["sensitivity_method"]
    assert data["empty_zopa"]["samples"] == 1500
    other = run("robust", path, "--samples", "1500", "--seed", "10", "--json")
    assert json.loads(other.output)["proposals"] != data["proposals"]


def test_a_bad_file_exits_2_listing_the_problem(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["reservation"] = {"dist": "normal", "mean": 0.3, "sd": 0}
    out = CliRunner().invoke(main, ["robust", str(write_yaml(base))])
    assert out.exit_code == 2
    assert "preferences.ana.reservation" in out.output and "sd greater than 0" in out.output


def test_workers_and_cluster_together_are_a_usage_error() -> None:
    out = CliRunner().invoke(main, ["robust", "--workers", "2", "--cluster", "tcp://x:1"])
    assert out.exit_code == 2 and "not both" in out.output


@pytest.mark.skipif(HAS_DASK, reason="dask is installed here")
def test_without_dask_the_command_says_how_to_install_it() -> None:
    out = CliRunner().invoke(main, ["robust", "--samples", "10", "--workers", "2"])
    assert out.exit_code == 2
    assert "pip install 'accord[dask]'" in out.output
