"""Contradictions and nearest consistent estimates computed by hand (docs/reference/calibrate.md).

Ana's normalised weights are 1/2 and 1/2 (10 and 10 of a total 20); her values 0, 5, 10 on
dishes are 0, 1/2, 1, and 0, 8, 20 on rent are 0, 0.4, 1. So u(p1) = 0.5*0.5 + 0.5*0.4 = 0.45,
u(p3) = 0.25, u(p4) = 0.2.

* She accepted p1 with walk-away 0.5: short by 0.05.
* She prefers p4 over p3: short by 0.05.

Ways to close the judgement's gap (per utility point of gap, in the file's units): lowering
"shared" costs 10 / 0.5 = 20 (a value unit on a 0-10 scale moves utility by 0.5/10); raising
"mid" costs 20 / 0.5 = 40; moving weight to rent closes 0.9 per unit of normalised weight and
costs 2 * 20 = 40 per unit, 44.4 per point. Cheapest: "shared" from 5 to 4 (cost 1). Then
u(p1) = 0.4, and the acceptance is cheapest closed by the walk-away, 0.5 to 0.4 (cost 0.1;
any value raise costs at least 20 per point). Distance 1.1. Ben's record agrees: nothing moves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.calibrate import calibrate_scenario
from accord.calibrate.write import calibrated_scenario
from accord.cli import main
from accord.model import read_scenario, scenario_from_data

from .example import contradictory, flatmates


def test_contradictions_and_nearest_estimates_by_hand() -> None:
    result = calibrate_scenario(scenario_from_data(flatmates()).scenario)
    assert [(f.id, f.party, f.shortfall) for f in result.contradicted] == [
        ("p1", "ana", pytest.approx(0.05)),
        ("ana-p4", "ana", pytest.approx(0.05)),
    ]
    assert result.evidence == 4  # two responses, one judgement, one position
    ana, ben = result.parties
    assert ana.consistent and not ana.conflicts
    changes = {c.path[2:]: (c.was, c.now) for c in ana.changes}
    assert changes == {
        ("values", "dishes", "shared"): (5.0, pytest.approx(4.0)),
        ("reservation",): (0.5, pytest.approx(0.4)),
    }
    assert ana.distance == pytest.approx(1.1)
    assert ben.changes == () and ben.contradicted == 0


def test_what_cannot_all_hold_is_named_and_the_fewest_are_dropped() -> None:
    result = calibrate_scenario(scenario_from_data(contradictory()).scenario)
    ana = result.parties[0]
    assert not ana.consistent
    (conflict,) = ana.conflicts
    # dropping pw alone lets the rest hold; dropping pb alone would leave pw against pb2
    assert conflict.dropped.id == "pw"
    assert [f.id for f in conflict.cannot_all_hold] == ["pb2", "pw"]
    assert {c.path[2:]: c.now for c in ana.changes} == {("reservation",): pytest.approx(1.0)}


def test_a_walk_away_by_date_lets_november_and_january_both_hold() -> None:
    data = contradictory()
    data["preferences"]["ana"]["reservation_by_date"] = [
        {
            "valid_from": "2025-11-01",
            "valid_until": "2025-11-30",
            "reservation": 0.2,
            "rationale": "Before the new job.",
        }
    ]
    result = calibrate_scenario(scenario_from_data(data).scenario)
    ana = result.parties[0]
    assert ana.consistent
    assert {c.path[2:]: c.now for c in ana.changes} == {
        ("reservation",): pytest.approx(1.0),
        ("reservation_by_date", 0, "reservation"): pytest.approx(0.0),
    }


def test_the_calibrated_copy_agrees_with_every_piece() -> None:
    scenario = scenario_from_data(flatmates()).scenario
    result = calibrate_scenario(scenario)
    again = calibrate_scenario(calibrated_scenario(scenario, result.changes))
    assert again.contradicted == ()
    assert all(p.changes == () for p in again.parties)


def test_cli_json_names_the_evidence_and_write_saves_a_marked_copy(tmp_path: Path) -> None:
    source = tmp_path / "flatmates.yaml"
    import yaml

    source.write_text(yaml.safe_dump(flatmates(), sort_keys=False), encoding="utf-8")
    out = tmp_path / "calibrated.yaml"
    run = CliRunner().invoke(main, ["calibrate", str(source), "--json", "--write", str(out)])
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert [(c["id"], c["party"]) for c in data["contradicted"]] == [
        ("p1", "ana"),
        ("ana-p4", "ana"),
    ]
    text = out.read_text(encoding="utf-8")
    assert "shared: 4.0  # calibrated by accord calibrate; was 5" in text
    assert "reservation: 0.4  # calibrated by accord calibrate; was 0.5" in text
    copy = read_scenario(out).scenario
    assert copy.preferences["ana"].values["dishes"]["shared"].point == pytest.approx(4.0)  # type: ignore[index]
    assert source.read_text(encoding="utf-8") == yaml.safe_dump(flatmates(), sort_keys=False)
    bad = CliRunner().invoke(main, ["calibrate", str(source), "--write", str(tmp_path / "x.json")])
    assert bad.exit_code == 2 and ".yaml or .yml" in bad.output


def test_the_docs_worked_example_is_the_one_pinned_here() -> None:
    import re

    import yaml

    page = Path(__file__).resolve().parents[2] / "docs/reference/calibrate.md"
    blocks = re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    data = yaml.safe_load(blocks[0])
    assert scenario_from_data(data).scenario == scenario_from_data(flatmates()).scenario
