"""Robustness over the region the record allows (issue 16, item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from accord.calibrate.evidence import evidence_of, unknowns_of
from accord.calibrate.region import Chains, Region, deepest_point, region_of
from accord.calibrate.sampled import (
    GROUP_BLOCKS,
    calibrated_robustness,
    group_points,
    samplers_of,
)
from accord.cli import main
from accord.jsonable import to_jsonable
from accord.model import Scenario, scenario_from_data
from accord.robust.parameters import BLOCK_SAMPLES
from accord.run import Analysis, Options, RobustnessOptions

from .example import flatmates


def _only_reservation_uncertain() -> dict[str, object]:
    """Ana's weights and values fixed, her walk-away anywhere in [0, 1]; she accepted p1,
    worth 0.45 to her, so the record allows exactly the walk-aways in [0, 0.45]."""
    data = flatmates()
    data["judgements"] = []
    data["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.0, 1.0]}
    return data


def test_the_chains_are_uniform_on_the_walk_aways_the_record_allows() -> None:
    scenario = scenario_from_data(_only_reservation_uncertain()).scenario
    u = unknowns_of(scenario, "ana")
    pieces = [e for e in evidence_of(scenario, {"ana": u}) if e.party == "ana"]
    region = region_of(scenario, u, pieces)
    found = deepest_point(region)
    assert found is not None
    chains = Chains.start(region, found[0], 1024)
    assert chains.dimension == 1  # only the walk-away moves
    rng = np.random.default_rng(7)
    chains.walk(20, rng)
    r = np.concatenate([chains.walk(1, rng)[:, u.reservation_index] for _ in range(20)])
    assert r.min() >= -1e-12 and r.max() <= 0.45 + 1e-9
    # uniform on [0, 0.45]: mean 0.225, P(r <= 0.15) = 1/3 (seeded, so the test is exact)
    assert r.mean() == pytest.approx(0.225, abs=0.01)
    assert (r <= 0.15).mean() == pytest.approx(1 / 3, abs=0.02)


def test_every_sampled_point_agrees_with_the_record_and_the_ranges() -> None:
    data = flatmates()
    data["preferences"]["ana"]["values"]["dishes"]["shared"] = {"value": 5, "range": [2, 8]}
    data["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.2, 0.6]}
    scenario = scenario_from_data(data).scenario
    u = unknowns_of(scenario, "ana")
    pieces = [e for e in evidence_of(scenario, {"ana": u}) if e.party == "ana"]
    region = region_of(scenario, u, pieces)
    found = deepest_point(region)
    assert found is not None
    chains = Chains.start(region, found[0], 256)
    x = chains.walk(200, np.random.default_rng(1))
    for e in pieces:
        assert (x @ e.group.rows.T - e.group.bounds).max() <= 1e-9
    shared = x[:, u.unknowns.index(next(v for v in u.unknowns if v.option == "shared"))]
    w = x[:, 0]  # the dishes weight
    assert ((shared / w >= 0.2 - 1e-9) & (shared / w <= 0.8 + 1e-9)).all()
    assert np.allclose(x[:, : len(scenario.issues)].sum(axis=1), 1.0)


def test_what_the_record_says_holds_in_every_calibrated_profile() -> None:
    data = flatmates()
    data["judgements"] = []  # with Ana's values fixed, her judgement could not hold
    data["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.3, 0.6]}
    data["preferences"]["ben"]["reservation"] = {"value": 0.6, "range": [0.4, 0.8]}
    analysis = Analysis(
        scenario_from_data(data).scenario,
        Options(seed=3, robustness=RobustnessOptions(samples=1500)),
    )
    first = analysis.calibrated_robustness()
    shifts = {s.conclusion: s for s in first.conclusions}
    # both accepted p1: it is in the ZOPA in every profile that agrees with the record
    assert shifts["p1 is in the ZOPA"].calibrated == 1.0
    assert shifts["p1 is in the ZOPA"].uncalibrated < 1.0
    assert first.calibrated == ("ana", "ben")
    again = calibrated_robustness(
        analysis.scenario, analysis.space, analysis.preference_model, samples=1500, seed=3
    )
    assert again == first  # seeded: the same profiles, the same shares


def test_a_negotiator_whose_record_cannot_hold_within_its_ranges_is_said_so() -> None:
    data = flatmates()  # Ana's weights and values are fixed; her judgement needs them to move
    data["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.3, 0.6]}
    scenario = scenario_from_data(data).scenario
    analysis = Analysis(scenario, Options(robustness=RobustnessOptions(samples=1024)))
    result = analysis.calibrated_robustness()
    assert result.calibrated == ("ben",)
    assert "no profile within the estimates' plausible ranges" in result.not_calibrated["ana"]


def test_robust_calibrated_on_the_command_line(tmp_path: Path) -> None:
    import yaml

    data = flatmates()
    data["judgements"] = []
    data["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.3, 0.6]}
    path = tmp_path / "flatmates.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    run = CliRunner().invoke(
        main, ["robust", str(path), "--calibrated", "--samples", "1100", "--json"]
    )
    assert run.exit_code == 0, run.output
    result = json.loads(run.output)
    shift = next(s for s in result["conclusions"] if s["conclusion"] == "p1 is in the ZOPA")
    assert shift["calibrated"] == 1.0 and result["not_calibrated"] == {}
    text = CliRunner().invoke(main, ["robust", str(path), "--calibrated", "--samples", "1100"])
    assert text.exit_code == 0 and "How the conclusions change with the record" in text.output


def _ranged_flatmates() -> Scenario:
    data = flatmates()
    data["judgements"] = []
    data["preferences"]["ana"]["values"]["dishes"]["shared"] = {"value": 5, "range": [2, 8]}
    data["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.2, 0.6]}
    data["preferences"]["ben"]["reservation"] = {"value": 0.6, "range": [0.4, 0.8]}
    return scenario_from_data(data).scenario


def test_a_groups_points_do_not_depend_on_the_groups_it_walks_with() -> None:
    scenario = _ranged_flatmates()
    samplers, skipped = samplers_of(scenario, ("ana", "ben"))
    assert not skipped
    for s in samplers:
        together = np.stack(list(group_points(s, 5, [0, 1, 2], 2)))  # (blocks, groups, ...)
        alone = np.stack(list(group_points(s, 5, [1], 2)))
        assert together.shape == (2, 3, BLOCK_SAMPLES, s.start.size)
        assert np.array_equal(together[:, 1], alone[:, 0])  # bit for bit
        assert not np.array_equal(together[:, 0], together[:, 1])  # groups differ


def test_the_kept_slack_is_the_region_minus_the_points_after_long_walks() -> None:
    scenario = _ranged_flatmates()
    (ana, _), _ = samplers_of(scenario, ("ana", "ben"))
    chains = Chains.at(ana.moves, ana.start, 64)
    x = chains.walk(20_000, np.random.default_rng(2))
    slack = ana.moves.b[:, None] - ana.moves.a @ x.T
    assert np.abs(slack - chains.slack).max() <= 1e-12
    assert slack.min() >= -1e-12  # every point inside


def _dumps(value: object) -> bytes:
    return json.dumps(to_jsonable(value), sort_keys=True).encode()


def test_calibrated_bytes_do_not_depend_on_workers_or_chunks() -> None:
    scenario = _ranged_flatmates()
    analysis = Analysis(scenario)
    samples = GROUP_BLOCKS * BLOCK_SAMPLES + 2 * BLOCK_SAMPLES + 77  # two groups, the last cut
    runs = {
        (processes, chunk): _dumps(
            calibrated_robustness(
                scenario,
                analysis.space,
                analysis.preference_model,
                samples=samples,
                seed=11,
                processes=processes,
                chunk_samples=chunk,
            )
        )
        for processes, chunk in [
            (1, None),
            (2, None),
            (1, BLOCK_SAMPLES),
            (2, 3 * BLOCK_SAMPLES),  # chunks that begin inside a group
            (1, 4 * GROUP_BLOCKS * BLOCK_SAMPLES),
        ]
    }
    first = runs[(1, None)]
    assert all(dump == first for dump in runs.values())
    assert b'"calibrated": ["ana", "ben"]' in first


def test_robust_calibrated_on_a_dask_cluster_gives_the_local_output(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    import yaml

    data = flatmates()
    data["judgements"] = []
    data["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.3, 0.6]}
    path = tmp_path / "flatmates.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    args = ["robust", str(path), "--calibrated", "--samples", "9300", "--seed", "2", "--json"]
    local = CliRunner().invoke(main, args, catch_exceptions=False)
    remote = CliRunner().invoke(main, [*args, "--workers", "2"], catch_exceptions=False)
    assert local.exit_code == 0 and remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)
    assert json.loads(local.output)["samples"] == 9300


def test_the_chains_are_uniform_on_a_simplex_moving_along_the_equalitys_null_space() -> None:
    """Three weights summing to 1 (every move is a null-space direction of the equality):
    uniform on the triangle, w1 is Beta(1, 2) (mean 1/3, P(w1 <= 1/2) = 3/4), and
    P(w1 <= 1/2 and w2 <= 1/2) = 1/2 (the area of that part of the triangle)."""
    box = np.vstack([np.eye(3), -np.eye(3)])
    region = Region(box, np.r_[np.ones(3), np.zeros(3)], np.ones((1, 3)), np.ones(1))
    found = deepest_point(region)
    assert found is not None
    chains = Chains.start(region, found[0], 2048)
    assert chains.dimension == 2
    rng = np.random.default_rng(4)
    chains.walk(50, rng)
    w = np.vstack([chains.walk(5, rng) for _ in range(20)])
    assert np.allclose(w.sum(axis=1), 1.0) and w.min() >= -1e-12
    assert w[:, 0].mean() == pytest.approx(1 / 3, abs=0.01)
    assert (w[:, 0] <= 0.5).mean() == pytest.approx(0.75, abs=0.015)
    assert ((w[:, 0] <= 0.5) & (w[:, 1] <= 0.5)).mean() == pytest.approx(0.5, abs=0.015)
