"""The same seed gives the same result locally and on a 2-worker local Dask cluster.

Needs the `dask` extra (`pip install '.[test,dask]'`); skipped without it.
The cluster listens on the loopback interface only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from accord.cli import main
from accord.jsonable import to_jsonable
from accord.model import load_scenario
from accord.phased import plan_from_scenario
from accord.robust import analyze_plans, analyze_robustness
from accord.robust.cluster import dask_client
from accord.robust.from_scenario import preference_model
from accord.robust.plans import valuation_model
from accord.space import compile_space


def test_local_run_and_two_worker_cluster_agree_exactly(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    base["preferences"]["ben"]["values"]["dishes"]["shared"] = {"value": 5, "range": [2, 8]}
    scenario = load_scenario(str(write_yaml(base)))
    space, model = compile_space(scenario), preference_model(scenario)
    kwargs = {"samples": 5000, "seed": 4, "chunk_samples": 1024}
    local = to_jsonable(analyze_robustness(space, model, **kwargs))
    with dask_client(workers=2) as client:
        remote = to_jsonable(analyze_robustness(space, model, client=client, **kwargs))
    assert remote == local


def test_cli_workers_gives_the_local_output() -> None:
    args = ["robust", "job-offer", "--samples", "2000", "--seed", "1", "--json"]
    local = CliRunner().invoke(main, args, catch_exceptions=False)
    remote = CliRunner().invoke(main, [*args, "--workers", "2"], catch_exceptions=False)
    assert local.exit_code == 0 and remote.exit_code == 0
    assert json.loads(remote.output) == json.loads(local.output)


def test_plan_results_are_the_same_locally_and_on_a_two_worker_cluster() -> None:
    """Cairo's plans, once with its fixed discount factors (the matrix path) and once with
    uncertain ones (the per-sample timing path): the same seed, the same counts."""
    scenario = load_scenario()
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["valuations"]["israel"]["discount_per_day"] = {"value": 0.995, "range": [0.99, 0.998]}
    data["valuations"]["hamas"]["discount_per_day"] = {
        "dist": "triangular",
        "low": 0.98,
        "mode": 0.99,
        "high": 0.995,
    }
    discounted = type(scenario).model_validate(data)
    kwargs = {"samples": 4 * 1024 + 300, "seed": 6, "chunk_samples": 1024}
    runs = []
    for s in (scenario, discounted):
        model = valuation_model(s)
        plans = [plan_from_scenario(s, p.id, model.exchange) for p in s.plans]
        runs.append((model, plans))
    local = [analyze_plans(m, p, processes=1, **kwargs) for m, p in runs]
    with dask_client(workers=2) as client:
        remote = [analyze_plans(m, p, client=client, **kwargs) for m, p in runs]
    assert remote == local
    assert local[0] != local[1]  # the discounts' uncertainty changes the answer


def test_cli_workers_gives_the_local_plan_output() -> None:
    args = ["robust", "cairo-2024", "--samples", "300", "--seed", "2", "--json"]
    local = CliRunner().invoke(main, args, catch_exceptions=False)
    remote = CliRunner().invoke(main, [*args, "--workers", "2"], catch_exceptions=False)
    assert local.exit_code == 0 and remote.exit_code == 0
    plans = json.loads(local.output)["plans"]
    assert {p["id"] for p in plans} == {"israel-most-first", "hamas-even-permanent", "cairo-draft"}
    assert json.loads(remote.output) == json.loads(local.output)
