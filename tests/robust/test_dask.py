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
from accord.robust import analyse_robustness
from accord.robust.cluster import dask_client
from accord.robust.from_scenario import preference_model
from accord.space import compile_space


def test_local_run_and_two_worker_cluster_agree_exactly(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    base["preferences"]["ben"]["values"]["dishes"]["shared"] = {"value": 5, "range": [2, 8]}
    scenario = load_scenario(str(write_yaml(base)))
    space, model = compile_space(scenario), preference_model(scenario)
    kwargs = {"samples": 5000, "seed": 4, "chunk_samples": 1024}
    local = to_jsonable(analyse_robustness(space, model, **kwargs))
    with dask_client(workers=2) as client:
        remote = to_jsonable(analyse_robustness(space, model, client=client, **kwargs))
    assert remote == local


def test_cli_workers_gives_the_local_output() -> None:
    args = ["robust", "job-offer", "--samples", "2000", "--seed", "1", "--json"]
    local = CliRunner().invoke(main, args, catch_exceptions=False)
    remote = CliRunner().invoke(main, [*args, "--workers", "2"], catch_exceptions=False)
    assert local.exit_code == 0 and remote.exit_code == 0
    assert json.loads(remote.output) == json.loads(local.output)
