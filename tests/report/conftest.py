"""Reports built once per test session: the embedded cairo-2024 and job-offer scenarios."""

from __future__ import annotations

import pytest

from accord.model import load_scenario
from accord.report import build_report


@pytest.fixture(scope="session")
def cairo_html() -> str:
    return build_report(load_scenario("cairo-2024"), origin="cairo-2024 (embedded)")


@pytest.fixture(scope="session")
def job_html() -> str:
    return build_report(load_scenario("job-offer"), origin="job-offer (embedded)")
