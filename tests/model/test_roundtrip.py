"""Round trips: model -> file -> model gives the same model (hypothesis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.model import dump_scenario, load_scenario, scenario_from_data

ident = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    n_parties = draw(st.integers(2, 4))
    party_ids = draw(st.lists(ident, min_size=n_parties, max_size=n_parties, unique=True))
    issue_ids = draw(st.lists(ident, min_size=1, max_size=4, unique=True))
    issues, values_for = [], {}
    for iid in issue_ids:
        if draw(st.booleans()):
            lo = draw(st.integers(-50, 50))
            step = draw(st.sampled_from([1, 2, 5, 0.5]))
            count = draw(st.integers(1, 6))
            issues.append(
                {
                    "id": iid,
                    "name": draw(words),
                    "range": {"min": lo, "max": lo + step * (count - 1), "step": step},
                }
            )
            values_for[iid] = lambda d, lo=lo, hi=lo + step * (count - 1): [
                [lo, d(st.floats(-5, 5))],
                [hi + 1, d(st.floats(6, 10))],
            ]
        else:
            opts = draw(st.lists(ident, min_size=1, max_size=4, unique=True))
            issues.append({"id": iid, "name": draw(words), "options": opts})
            values_for[iid] = lambda d, opts=opts: {
                o: float(k) + d(st.floats(0, 0.5)) for k, o in enumerate(opts)
            }
    parties = [
        {
            "id": pid,
            "name": draw(words),
            "role": "negotiator" if k < 2 else draw(st.sampled_from(["mediator", "stakeholder"])),
        }
        for k, pid in enumerate(party_ids)
    ]
    prefs = {}
    for pid in party_ids[:2]:
        weights = {iid: draw(st.floats(0.1, 5)) for iid in issue_ids}
        values = {iid: values_for[iid](draw) for iid in issue_ids}
        for iid, table in values.items():
            issue = next(i for i in issues if i["id"] == iid)
            one_value = (
                len(issue["options"]) == 1
                if "options" in issue
                else issue["range"]["min"] == issue["range"]["max"]
            )
            if one_value:  # nothing to prefer on an issue with one value
                weights[iid] = 0.0
                values[iid] = table
        if sum(weights.values()) == 0:
            prefs = {}  # every negotiator has preferences, or none has: no agreement space
            break
        prefs[pid] = {
            "weights": weights,
            "values": values,
            "reservation": draw(st.floats(0, 1)),
            "estimate": draw(st.booleans()),
            "rationale": draw(words),
        }
    return {
        "accord": 1,
        "title": draw(words),
        "date": draw(dates).isoformat(),
        "sources": [
            {
                "id": "s",
                "outlet": draw(words),
                "title": draw(words),
                "date": draw(dates).isoformat(),
            }
        ],
        "parties": parties,
        "issues": issues,
        "preferences": prefs,
        "events": [{"date": draw(dates).isoformat(), "text": draw(words), "sources": ["s"]}],
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=scenarios(), suffix=st.sampled_from([".yaml", ".json"]))
def test_model_file_model_round_trip(data: dict[str, Any], suffix: str, tmp_path: Path) -> None:
    first = scenario_from_data(data).scenario
    path = tmp_path / f"round{suffix}"
    dump_scenario(first, path)
    assert load_scenario(path) == first


def test_embedded_cairo_round_trips(tmp_path: Path) -> None:
    for suffix in (".yaml", ".json"):
        original = load_scenario("cairo-2024")
        dump_scenario(original, tmp_path / f"cairo{suffix}")
        assert load_scenario(tmp_path / f"cairo{suffix}") == original
