"""`accord import genius` / `accord export genius` (issue 17 item 1).

Known answers are computed here straight from GENIUS's evaluators (``genius.core.utility``:
discrete evaluation / the issue's largest; integer ``offset + slope * (x - lowerbound)``;
real ``parameter0 + parameter1 * x``; both clipped to [0, 1]) in exact fractions, and
compared with the utilities accord compiles from the imported scenario.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.interop import export_genius, import_genius
from accord.interop.genius_import import decimal_text
from accord.model import ScenarioError, load_scenario, scenario_from_text
from accord.space import compile_space
from accord.space.compile import exact_normalised_values

sys.path.insert(0, str(Path(__file__).parent))
from genius_files import (
    BUYER,
    LAPTOP,
    SELLER,
    domain_xml,
    laptop,
    profile_xml,
    write_folder,
)

Q = Fraction


def _clip(x: Fraction) -> Fraction:
    return min(Q(1), max(Q(0), x))


def genius_utility(profile: dict[str, Any], package: tuple[Any, ...]) -> Fraction:
    """GENIUS's additive utility of a package, from its evaluators' definitions."""
    total = Q(0)
    for issue, ev, w, x in zip(LAPTOP, profile["ev"], profile["w"], package, strict=True):
        if issue[1] == "discrete":
            e = Q(ev[x]) / max(Q(v) for v in ev.values())
        elif issue[1] == "integer":
            e = _clip(Q(ev[0]) + Q(ev[1]) * (Q(x) - issue[2]))
        else:
            e = _clip(Q(ev[0]) + Q(ev[1]) * Q(x))
        total += Q(w) * e
    return total


PROFILES = {
    "buyer": {
        "ev": [{"Dell": "4", "Macintosh": "8", "HP": "2"}, ("0.1", "0.15"), ("1.5", "-0.001")],
        "w": ["0.5", "0.3", "0.2"],
    },
    "seller": {
        "ev": [{"Dell": "10", "Macintosh": "3", "HP": "6"}, ("1", "-0.1"), ("-0.5", "0.001")],
        "w": ["0.2", "0.4", "0.4"],
    },
}


def _utilities(space: Any) -> dict[tuple[int, ...], tuple[float, ...]]:
    """Every package's utility vector (constraints ignored), from the compiled contributions."""
    out = {}
    for package in itertools.product(*(range(i.size) for i in space.issues)):
        vector = sum(t[k] for t, k in zip(space.contributions, package, strict=True))
        out[package] = tuple(float(v) for v in vector)
    return out


def test_laptop_utilities_are_genius_utilities_at_every_package(tmp_path: Path) -> None:
    result = import_genius([laptop(tmp_path / "laptop")])
    scenario = scenario_from_text(result.text, file="laptop.yaml").scenario
    space = compile_space(scenario)
    assert space.negotiators == ("buyer", "seller")
    prices = [500 + 100 * k for k in range(11)]  # the real issue's 11 default steps
    grids = [["Dell", "Macintosh", "HP"], list(range(2, 11)), prices]
    for package, vector in _utilities(space).items():
        values = tuple(g[k] for g, k in zip(grids, package, strict=True))
        for j, party in enumerate(space.negotiators):
            assert vector[j] == pytest.approx(
                float(genius_utility(PROFILES[party], values)), abs=1e-12
            )
    assert space.reservation.tolist() == [0.3, 0.25]
    buyer = scenario.preferences["buyer"]
    assert (buyer.normalize.value, buyer.discount) == ("max", 0.9)
    assert scenario.preferences["seller"].discount is None


def test_every_conversion_decision_is_a_comment_of_the_file(tmp_path: Path) -> None:
    text = import_genius([laptop(tmp_path / "laptop")]).text
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for decision in (
        "normalize: max",
        "divided by the issue's largest evaluation",
        "clip(offset + slope * (x - lowerbound), 0, 1)",
        "APPROXIMATED by 11",
        "GENIUS's default, 0",
        "discount is kept as data",
        "buyer.xml",
        "laptop_domain.xml",
    ):
        assert decision in comments


def test_files_named_one_by_one_and_a_missing_reservation(tmp_path: Path) -> None:
    issues = [("Colour", "discrete", ["red", "blue"])]
    files = {
        "d.xml": domain_xml(issues),
        "a.xml": profile_xml(issues, [{"red": "1", "blue": "3"}], ["1"]),
        "b.xml": profile_xml(issues, [{"red": "2", "blue": "0"}], ["1.0"], reservation="0.5"),
    }
    folder = write_folder(tmp_path / "f", files)
    result = import_genius([folder / "d.xml", folder / "a.xml", folder / "b.xml"], title="Colours")
    scenario = scenario_from_text(result.text, file="x").scenario
    assert scenario.title == "Colours"
    space = compile_space(scenario)
    assert space.contributions[0].tolist() == [[1 / 3, 1.0], [1.0, 0.0]]
    assert space.reservation.tolist() == [0.0, 0.5]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(-5, 5),
    st.integers(0, 30),
    st.decimals(-2, 2, places=3, allow_nan=False, allow_infinity=False),
    st.decimals(-1, 1, places=3, allow_nan=False, allow_infinity=False),
)
def test_an_integer_evaluator_is_exact_at_every_step(
    lower: int, span: int, offset: Any, slope: Any
) -> None:
    """Value points at the ends and around each clip reproduce the clipped line exactly."""
    import tempfile

    issues = [("n", "integer", lower, lower + span), ("c", "discrete", ["a", "b"])]
    evals = [(str(offset), str(slope)), {"a": "1", "b": "2"}]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_folder(
            Path(tmp),
            {
                "d.xml": domain_xml(issues),
                "p.xml": profile_xml(issues, evals, ["0.5", "0.5"]),
                "q.xml": profile_xml(issues, [("1", "0"), {"a": "2", "b": "1"}], ["0.5", "0.5"]),
            },
        )
        scenario = scenario_from_text(import_genius([folder]).text, file="x").scenario
    pref = scenario.preferences["p"]
    got = exact_normalised_values(scenario.issues[0], pref)
    expected = tuple(_clip(Q(offset) + Q(slope) * k) for k in range(span + 1))
    assert got == expected


def test_decimal_text_is_exact() -> None:
    for x in ("0", "1", "-0.5", "0.125", "123.456", "1e-7", "-2.50"):
        assert Q(decimal_text(Q(x))) == Q(x)
    with pytest.raises(ValueError, match="finite decimal"):
        decimal_text(Q(1, 3))


ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<utility_space type="linear"><objective index="0" name="x">&lol2;</objective></utility_space>
"""

HYPER = """<?xml version="1.0"?>
<utility_space number_of_issues="1">
<objective index="0" name="x">
<issue index="1" name="a" type="integer" lowerbound="0" upperbound="9"/>
<utility_function maxutility="100"><ufun type="PlainUfun" weight="1" aggregation="sum">
<hyperRectangle utility="12.0"><INCLUDES index="1" min="2" max="5"/></hyperRectangle>
</ufun></utility_function>
</objective>
</utility_space>
"""

MALFORMED: dict[str, tuple[dict[str, str | None], str, str]] = {
    "missing profile": ({"seller.xml": None}, "for each of two or more parties", "laptop"),
    "weights not summing to one": (
        {"seller.xml": SELLER.replace('value="0.2"/>', 'value="0.3"/>')},
        "weights summing to 1",
        "seller.xml",
    ),
    "an evaluation for an unknown value": (
        {"buyer.xml": BUYER.replace('value="HP"', 'value="Lenovo"')},
        "item 'Lenovo'",
        "buyer.xml",
    ),
    "an unparseable number": (
        {"buyer.xml": BUYER.replace('evaluation="8"', 'evaluation="eight"')},
        "@evaluation",
        "buyer.xml",
    ),
    "a value without an evaluation": (
        {"buyer.xml": BUYER.replace('<item index="3" value="HP" evaluation="2"/>', "")},
        "an evaluation for every item",
        "buyer.xml",
    ),
    "a hyper-rectangle profile (ANAC 2014)": ({"buyer.xml": HYPER}, "hyper-rectangle", "buyer.xml"),
    "entities (a billion laughs)": ({"buyer.xml": ENTITY_BOMB}, "without a DTD", "buyer.xml"),
    "XML that is not well-formed": ({"buyer.xml": BUYER[:-40]}, "well-formed XML", "buyer.xml"),
    "two domains": (
        {"other_domain.xml": domain_xml(LAPTOP)},
        "exactly one GENIUS domain",
        "laptop",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_input_is_named_exits_2_and_writes_nothing(tmp_path: Path, case: str) -> None:
    changes, expected, file = MALFORMED[case]
    folder = laptop(tmp_path / "laptop", **{k: v for k, v in changes.items() if v is not None})
    for name, text in changes.items():
        if text is None:
            (folder / name).unlink()
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["import", "genius", str(folder), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert file in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    folder = laptop(tmp_path / "laptop")
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(
        main, ["--max-file-size", "200", "import", "genius", str(folder), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "at most 200 bytes" in result.output
    assert not out.exists()


def test_cli_import_writes_a_scenario_that_check_accepts(tmp_path: Path) -> None:
    out = tmp_path / "laptop.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["import", "genius", str(laptop(tmp_path / "l")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["check", str(out)]).exit_code == 0
    steps = runner.invoke(
        main,
        ["import", "genius", str(tmp_path / "l"), "-o", str(out), "--real-steps", "3"],
    )
    assert steps.exit_code == 0
    assert "range: {min: 500, max: 1500, step: 500}" in out.read_text()


def _same_contributions(a: Any, b: Any) -> None:
    """Per negotiator (matched by id) and issue, the same utility contribution per option."""
    assert sorted(a.negotiators) == sorted(b.negotiators)
    for party in a.negotiators:
        ja, jb = a.negotiators.index(party), b.negotiators.index(party)
        for ta, tb in zip(a.contributions, b.contributions, strict=True):
            np.testing.assert_allclose(ta[:, ja], tb[:, jb], rtol=0, atol=1e-12)
        assert a.reservation[ja] == pytest.approx(b.reservation[jb], abs=1e-15)


def test_genius_to_accord_to_genius_to_accord_keeps_every_utility(tmp_path: Path) -> None:
    first = scenario_from_text(import_genius([laptop(tmp_path / "g")]).text, file="1").scenario
    exported = export_genius(first)
    folder = write_folder(tmp_path / "back", exported.files)
    second = scenario_from_text(import_genius([folder]).text, file="2").scenario
    _same_contributions(compile_space(first), compile_space(second))
    assert second.preferences["buyer"].discount == 0.9


@pytest.mark.parametrize("name", ["job-offer", "cairo-2024"])
def test_accord_to_genius_to_accord_keeps_every_utility(tmp_path: Path, name: str) -> None:
    original = load_scenario(name)
    exported = export_genius(original)
    assert any("constraint" in what for what in exported.left_out)  # said, not dropped silently
    folder = write_folder(tmp_path / name, exported.files)
    back = scenario_from_text(import_genius([folder]).text, file="back").scenario
    _same_contributions(compile_space(original), compile_space(back))


def test_an_integer_range_with_linear_values_exports_as_an_integer_issue(tmp_path: Path) -> None:
    issues = [("n", "integer", 0, 4), ("c", "discrete", ["a", "b"])]
    folder = write_folder(
        tmp_path / "g",
        {
            "d.xml": domain_xml(issues),
            "p.xml": profile_xml(issues, [("0.2", "0.1"), {"a": "1", "b": "2"}], ["0.5", "0.5"]),
            "q.xml": profile_xml(issues, [("1", "-0.25"), {"a": "2", "b": "1"}], ["0.5", "0.5"]),
        },
    )
    scenario = scenario_from_text(import_genius([folder]).text, file="x").scenario
    exported = export_genius(scenario)
    assert 'type="integer"' in exported.files["domain.xml"]
    assert '<evaluator ftype="linear" offset="0.2" slope="0.1"/>' in exported.files["p.xml"]


def test_export_refuses_a_scale_genius_cannot_hold() -> None:
    text = textwrap.dedent(
        """
        accord: 1
        title: Raw numbers
        parties:
          - {id: a, name: A, role: negotiator}
          - {id: b, name: B, role: negotiator}
        issues:
          - {id: x, name: X, options: [p, q]}
        preferences:
          a: {estimate: true, rationale: r, normalize: none, weights: {x: 1},
              values: {x: {p: 0.5, q: 0.25}}, reservation: 0}
          b: {estimate: true, rationale: r, weights: {x: 1},
              values: {x: {p: 0, q: 1}}, reservation: 0}
        """
    )
    scenario = scenario_from_text(text, file="raw.yaml").scenario
    with pytest.raises(Exception, match=r"preferences\.a\.values\.x.*largest of exactly 1"):
        export_genius(scenario)
    result = CliRunner().invoke(main, ["export", "genius", "-o", "/nonexistent/x", "job-offer"])
    assert result.exit_code == 2
    assert "no such directory" in result.output


def test_cli_export_writes_a_folder_and_lists_what_genius_cannot_hold(tmp_path: Path) -> None:
    out = tmp_path / "job"
    result = CliRunner().invoke(main, ["export", "genius", "job-offer", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["candidate.xml", "domain.xml", "employer.xml"]
    assert "not exported (GENIUS has no place for it): 1 constraint" in result.output
    again = CliRunner().invoke(main, ["export", "genius", "job-offer", "-o", str(out)])
    assert again.exit_code == 0  # an existing folder: each file replaced whole


def test_import_errors_are_scenario_errors_with_the_element_path(tmp_path: Path) -> None:
    folder = laptop(tmp_path / "l", **{"buyer.xml": BUYER.replace('value="0.3"/>', 'value="x"/>')})
    with pytest.raises(ScenarioError) as info:
        import_genius([folder])
    (problem,) = info.value.problems
    assert problem.file is not None and problem.file.endswith("buyer.xml")
    assert problem.path[-1] == "@value"


NEGMAS_SCRIPT = """
import json, sys
from negmas.inout import load_genius_domain_from_folder
d = load_genius_domain_from_folder(sys.argv[1])
outcomes = list(d.outcome_space.enumerate())
print(json.dumps({u.name.split("/")[-1].removesuffix(".xml"): [float(u(o)) for o in outcomes]
                  for u in d.ufuns}))
"""


@pytest.mark.skipif(
    not os.environ.get("ACCORD_NEGMAS_PYTHON"),
    reason="NegMAS is not installed here (set ACCORD_NEGMAS_PYTHON to a Python that has it)",
)
def test_negmas_reads_the_export_with_accords_utilities(tmp_path: Path) -> None:
    """NegMAS (AGPL, run as a separate program) loads the exported folder; its utility of
    every outcome (issues in order, values in order: the same enumeration) is accord's."""
    original = load_scenario("job-offer")
    folder = write_folder(tmp_path / "job", export_genius(original).files)
    done = subprocess.run(
        [os.environ["ACCORD_NEGMAS_PYTHON"], "-c", NEGMAS_SCRIPT, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    space = compile_space(original)
    ours = _utilities(space)
    for j, party in enumerate(space.negotiators):
        mine = [v[j] for v in ours.values()]
        assert theirs[party] == pytest.approx(mine, abs=1e-9)


def test_the_report_shows_genius_weights_and_scale(tmp_path: Path) -> None:
    """The report's preference table honours normalize: weights as written, values as
    GENIUS evaluates them (Dell 4/8 = 0.50 for the buyer), the scale named."""
    from accord.report.citations import Citations
    from accord.report.scenario import preferences_section

    text = import_genius([laptop(tmp_path / "l")]).text
    scenario = scenario_from_text(text, file="x").scenario
    section = preferences_section(scenario, compile_space(scenario), Citations(scenario))
    html = str(section.body)
    assert "normalize: max" in html
    assert "Dell: 0.50, Macintosh: 1.00, HP: 0.25" in html
    assert ">0.50<" in html and ">0.30<" in html  # the buyer's weights on Brand and Memory


def test_rounded_weights_as_anac_writes_them_are_read_and_said(tmp_path: Path) -> None:
    """ANAC 2011's Laptop profiles sum to 1.0000518: within 0.001 they are read, and the file
    says that accord's utilities are GENIUS's divided by that sum."""
    rounded = BUYER.replace('value="0.5"/>', 'value="0.50005"/>')
    text = import_genius([laptop(tmp_path / "l", **{"buyer.xml": rounded})]).text
    assert "buyer.xml's weights sum to 1.00005, not 1" in text
    scenario = scenario_from_text(text, file="x").scenario
    assert scenario.preferences["buyer"].weights["Brand"].point == 0.50005
