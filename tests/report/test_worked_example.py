"""The worked example of docs/explanation/report.md, recomputed by hand from the scenario's
weights and values (Keeney & Raiffa 1976, ch. 3: additive value, so per-issue changes add up)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.model import load_scenario
from accord.report.comparison import comparison_picture
from accord.run import Analysis

# Israel, Hamas: weight x (value in the Cairo draft - value in Israel's response), by hand.
HAND = {
    "Length and nature of the truce": (0.0, 0.0),
    "Pace of the hostage releases": (0.25 * (0.45 - 1.0), 0.15 * (0.8 - 0.0)),
    "Palestinian prisoners released from Israeli jails": (
        0.10 * (0.6 - (1 - 0.4 * 1000 / 1500)),
        0.10 * (1500 / 3000 - 1000 / 3000),
    ),
    "Israeli withdrawal from Gaza": (0.15 * (0.8 - 1.0), 0.15 * (0.3 - 0.0)),
    "Return of the displaced and freedom of movement": (0.10 * (0.4 - 0.8), 0.15 * (0.7 - 0.3)),
    "Guarantees of continued negotiations": (0.15 * (0.5 - 1.0), 0.15 * (0.7 - 0.0)),
    "Humanitarian aid into Gaza": (0.0, 0.0),
}


def test_the_documented_comparison() -> None:
    scenario = load_scenario("cairo-2024")
    analysis = Analysis(scenario)
    pair = analysis.default_pair
    assert pair == ("israel-response", "cairo-draft")
    cmp = comparison_picture(scenario, analysis.comparison(*pair))
    assert [d.issue for d in cmp.issues] == list(HAND)
    for d in cmp.issues:
        np.testing.assert_allclose(d.change, HAND[d.issue], atol=1e-12)
    # Israel's response: 0.2*0.9 + 0.25 + 0.1*0.7333 + 0.15 + 0.1*0.8 + 0.15 + 0.05*0.5.
    israel_response = 0.18 + 0.25 + 0.1 * (1 - 0.4 * 1000 / 1500) + 0.15 + 0.08 + 0.15 + 0.025
    assert cmp.before[0] == pytest.approx(israel_response)
    assert np.round(cmp.before, 4).tolist() == [0.9083, 0.1833]
    assert np.round(cmp.after, 4).tolist() == [0.6125, 0.5300]
    assert np.round(cmp.total, 4).tolist() == [-0.2958, 0.3467]
    reservation = np.array([0.35, 0.40])
    assert not np.all(cmp.before >= reservation) and np.all(cmp.after >= reservation)


def test_the_documented_numbers_are_in_the_doc() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs/explanation/report.md").read_text(encoding="utf-8")
    for text in ("−0.1375", "+0.1200", "−0.2958", "+0.3467", "0.9083 → 0.6125", "0.1833 → 0.5300"):
        assert text in doc
