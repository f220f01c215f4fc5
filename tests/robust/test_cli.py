"""`accord robust`: output, JSON, reproducibility, and clear errors."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main


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


def test_without_dask_the_command_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hide dask even where it is installed: a None entry makes its import fail.
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    out = CliRunner().invoke(main, ["robust", "--samples", "10", "--workers", "2"])
    assert out.exit_code == 2
    assert "pip install 'accord[dask]'" in out.output


def test_a_space_too_large_to_enumerate_is_a_clear_error(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["issues"][1]["range"] = {"min": 0, "max": 1_000_000, "step": 1, "unit": "EUR"}
    base["preferences"]["ana"]["values"]["rent"] = [[0, 1], [1_000_000, 0]]
    base["preferences"]["ben"]["values"]["rent"] = [[0, 0], [1_000_000, 1]]
    base["constraints"] = []
    base["proposals"][0]["package"]["rent"] = 50
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.4]}
    out = CliRunner().invoke(main, ["robust", str(write_yaml(base)), "--samples", "10"])
    assert out.exit_code == 2
    assert "limited to 2,000,000" in out.output


def test_an_empty_zopa_is_reported_not_an_error(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.95, "range": [0.94, 0.96]}
    base["preferences"]["ben"]["reservation"] = 0.95
    out = run("robust", str(write_yaml(base)), "--samples", "50", "--json")
    data = json.loads(out.output)
    assert data["empty_zopa"]["estimate"] == 1.0
    assert all(s["no_agreement"]["estimate"] == 1.0 for s in data["solutions"].values())
    assert all(s["point_package"] is None for s in data["solutions"].values())


def test_phased_plans_get_a_table_on_cairo() -> None:
    out = run("robust", "--samples", "2000", "--seed", "3")
    assert out.exit_code == 0, out.output
    assert "Phased plans" in out.output
    for plan in ("israel-most-first", "hamas-even-permanent", "cairo-draft"):
        assert plan in out.output


def test_json_has_each_plan_s_probabilities_and_sensitivity() -> None:
    a = run("robust", "--samples", "1200", "--seed", "4", "--json")
    b = run("robust", "--samples", "1200", "--seed", "4", "--json")
    assert a.exit_code == 0, a.output
    assert a.output == b.output
    plans = {p["id"]: p for p in json.loads(a.output)["plans"]}
    assert set(plans) == {"israel-most-first", "hamas-even-permanent", "cairo-draft"}
    draft = plans["cairo-draft"]
    se = draft["self_enforcing"]
    low, high = se["interval"]
    assert 0 <= low <= se["probability"] <= high <= 1 and se["samples"] == 1200
    assert se["point"] is True
    assert set(draft["by_negotiator"]) == {"israel", "hamas"}
    assert draft["sensitivity"][0]["estimate"].startswith(("israel: ", "hamas: "))
    assert plans["israel-most-first"]["self_enforcing"]["point"] is False
    assert json.loads(a.output)["plan_uncertain_valuations"] > 10


def test_an_uncertain_discount_is_sampled_and_can_matter(tmp_path: Any) -> None:
    """Cairo with only Israel's discount uncertain ([0.97, 0.998] around 0.995) and every
    other valuation at its point.  At the point, Hamas's plan fails Israel's margins (a
    permanent ceasefire before the last hostages weighs too much for a patient Israel);
    an Israel that discounts at 0.98 a day or less would carry on (evaluate_plan: margin
    +35 at 0.98, -215 at 0.99).  So Hamas's plan holds in some samples, the discount is the
    only estimate named, and the other plans do not move."""
    import yaml

    from accord.model import dump_scenario, load_scenario

    path = tmp_path / "cairo.yaml"
    dump_scenario(load_scenario(), path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    def points(node: Any) -> Any:
        if isinstance(node, dict) and "value" in node and "range" in node:
            return node["value"]
        if isinstance(node, dict):
            return {k: points(v) for k, v in node.items()}
        return node

    data["valuations"] = points(data["valuations"])
    data["valuations"]["israel"]["discount_per_day"] = {"value": 0.995, "range": [0.97, 0.998]}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    out = run("robust", str(path), "--samples", "2000", "--seed", "1", "--json")
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["plan_uncertain_valuations"] == 1
    plans = {p["id"]: p for p in result["plans"]}
    hamas_plan = plans["hamas-even-permanent"]["self_enforcing"]
    assert hamas_plan["point"] is False and 0 < hamas_plan["count"] < 2000
    assert [e["estimate"] for e in plans["hamas-even-permanent"]["sensitivity"]] == [
        "israel: discount per day"
    ]
    assert plans["israel-most-first"]["self_enforcing"]["count"] == 0
    assert plans["cairo-draft"]["self_enforcing"]["count"] == 2000


def test_a_scenario_without_plans_has_no_plan_table(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.4]}
    path = str(write_yaml(base))
    assert "Phased plans" not in run("robust", path, "--samples", "200").output
    assert json.loads(run("robust", path, "--samples", "200", "--json").output)["plans"] == []


def test_nothing_to_sample_says_what_to_add_and_exits_0(
    base: dict[str, Any], write_yaml: Any
) -> None:
    """Without a range on any estimate every sampled profile is the point estimate: the
    command says so, names the keys to add, and samples nothing (issue 11, item 5)."""
    path = str(write_yaml(base))
    out = run("robust", path)
    assert out.exit_code == 0
    text = " ".join(out.output.split())
    assert "nothing to sample" in text and "range" in text and "dist" in text
    assert "%" not in text  # no probability computed from identical profiles
    data = json.loads(run("robust", path, "--json").output)
    assert data["samples"] == 0 and data["uncertain_estimates"] == 0
    assert "nothing to sample" in data["message"]


def test_one_uncertain_estimate_is_enough_to_sample(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ben"]["weights"] = {
        k: ({"value": v, "range": [v * 0.5, v * 1.5]} if i == 0 else v)
        for i, (k, v) in enumerate(base["preferences"]["ben"]["weights"].items())
    }
    data = json.loads(run("robust", str(write_yaml(base)), "--samples", "100", "--json").output)
    assert data["samples"] == 100 and data["uncertain_estimates"] == 1
