"""The report's section "How far the estimates agree with the record" (issue 16, item 5)."""

from __future__ import annotations

import re
from typing import Any

from accord.model import scenario_from_data
from accord.report import build_report


def _section(html: str) -> str:
    match = re.search(r'<section class="report" id="record">(.*?)</section>', html, re.S)
    assert match is not None
    return match[1]


def test_cairo_shows_the_contradiction_the_calibration_and_the_positions(cairo_html: str) -> None:
    body = _section(cairo_html)
    assert "How far the estimates agree with the record" in body
    contradicted = re.search(r'<table id="record-contradicted">(.*?)</table>', body, re.S)
    assert contradicted is not None
    assert "hamas accepted nov-2023-truce" in contradicted[1] and "0.242" in contradicted[1]
    assert 'href="#source-aj-2024-02-13"' in contradicted[1]
    calibrated = re.search(r'<table id="record-calibrated">(.*?)</table>', body, re.S)
    assert calibrated is not None and "reservation" in calibrated[1]
    assert "a second, labelled set" in calibrated[1]
    positions = re.search(r'<table id="record-positions">(.*?)</table>', body, re.S)
    assert positions is not None
    assert re.search(r"<td>nash</td><td>5 of 10</td>", positions[1])
    assert re.search(r"<td>cairo-draft</td><td>3 of 10</td>", positions[1])


def test_a_scenario_without_a_record_says_why_the_section_is_missing(
    base: dict[str, Any],
) -> None:
    base["positions"] = []
    html = build_report(scenario_from_data(base).scenario, samples=200)
    assert 'id="record"' not in html
    assert "records no responses, judgements or stated positions" in html
