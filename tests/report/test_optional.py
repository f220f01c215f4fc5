"""The one guarded place: an analysis missing from the build is absent from the page and listed;
any other import error is a bug and propagates."""

from __future__ import annotations

import sys
import types

import pytest

from accord.model import load_scenario
from accord.report import build_report, optional
from accord.report.citations import Citations

from .page_facts import page_facts


def test_a_missing_analysis_is_listed_and_not_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        optional,
        "OPTIONAL_SECTIONS",
        (("Imaginary analysis", "accord.imaginary", "accord.report.imaginary"),),
    )
    html = build_report(load_scenario("job-offer"))
    facts = page_facts(html)
    assert 'id="missing-analyses"' in html
    assert "Imaginary analysis — this build of accord does not include accord.imaginary." in (
        " ".join("".join(facts.text).split())
    )
    assert "imaginary" not in " ".join(facts.ids)


def _fake_module(monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> None:
    module = types.ModuleType(name)
    exec(source, module.__dict__)
    monkeypatch.setitem(sys.modules, name, module)


def test_a_present_analysis_gets_its_section(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_module(
        monkeypatch,
        "accord.report._fake_section",
        "from markupsafe import Markup\n"
        "from accord.report.page import Section\n"
        "def section(scenario, cite, options):\n"
        "    return Section('fake', 'Fake analysis', Markup('<p>drawn</p>'))\n",
    )
    monkeypatch.setattr(
        optional, "OPTIONAL_SECTIONS", (("Fake analysis", "accord", "accord.report._fake_section"),)
    )
    html = build_report(load_scenario("job-offer"))
    assert '<section class="report" id="fake">' in html
    assert 'id="missing-analyses"' not in html


def test_a_section_can_say_the_scenario_gives_it_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_module(
        monkeypatch,
        "accord.report._empty_section",
        "def section(scenario, cite, options):\n    return 'the scenario defines no such thing.'\n",
    )
    monkeypatch.setattr(
        optional,
        "OPTIONAL_SECTIONS",
        (("Empty analysis", "accord", "accord.report._empty_section"),),
    )
    scenario = load_scenario("job-offer")
    sections, missing = optional.optional_sections(scenario, Citations(scenario))
    assert sections == []
    assert missing == [optional.Missing("Empty analysis", "the scenario defines no such thing.")]


def test_an_unrelated_import_error_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        optional,
        "OPTIONAL_SECTIONS",
        (("Broken", "accord", "accord.report._broken_section_missing_dependency"),),
    )

    def broken(name: str) -> types.ModuleType:
        raise ModuleNotFoundError(
            "No module named 'not_a_real_dependency_xyz'", name="not_a_real_dependency_xyz"
        )

    scenario = load_scenario("job-offer")
    monkeypatch.setattr(optional.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="not_a_real_dependency_xyz"):
        optional.optional_sections(scenario, Citations(scenario))
