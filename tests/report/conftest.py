"""Reports built once per test session: the embedded cairo-2024 and job-offer scenarios, and the
invented three-negotiator river-basin scenario of tests/report/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.model import load_scenario
from accord.report import build_report

RIVER_BASIN = Path(__file__).parent / "data" / "river-basin.yaml"


@pytest.fixture(scope="session")
def cairo_html() -> str:
    return build_report(load_scenario("cairo-2024"), origin="cairo-2024 (embedded)")


@pytest.fixture(scope="session")
def job_html() -> str:
    return build_report(load_scenario("job-offer"), origin="job-offer (embedded)")


@pytest.fixture(scope="session")
def river_html() -> str:
    return build_report(load_scenario(RIVER_BASIN), origin="river-basin.yaml")
