"""Pinpoint citations: ``{source: id, at: "..."}`` wherever ``sources`` is, checked against the
source's text (issue 18 item 1)."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from accord.cli import main
from accord.model import ScenarioError, dump_scenario, read_scenario, scenario_from_data
from accord.model.citations import Citation, Citations, normalise
from accord.model.evidence import check_citations, closest_passage, statements
from accord.model.schema import Scenario

NOTES = """Interview notes, 5 January 2026.

Ana said she would pay “no more than half” of the rent — and that the
dishes were Ben’s job.
"""


def pinned(at: str, source: str = "notes") -> dict[str, str]:
    return {"source": source, "at": at}


def write(tmp_path: Path, data: dict[str, Any], text: str | None = NOTES) -> Path:
    import yaml

    if text is not None:
        (tmp_path / "notes.txt").write_text(text, encoding="utf-8")
        data["sources"][0]["text_file"] = "notes.txt"
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The line of ``path`` where ``needle`` first appears (1-based)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(k for k, line in enumerate(lines, start=1) if needle in line)


def test_a_pinned_citation_is_its_source_id_with_a_locator(base: dict[str, Any]) -> None:
    base["positions"][0]["sources"] = [pinned("no more than half"), "notes"]
    cites = scenario_from_data(base).scenario.positions[0].sources
    assert cites == ("notes", "notes")
    assert [c.at for c in cites] == ["no more than half", None]
    assert all(isinstance(c, Citation) for c in cites)


def test_every_sources_field_takes_a_citation() -> None:
    """One type for every ``sources`` field of the format (the top level's list of sources
    excepted): a section added later with ``tuple[Identifier, ...]`` fails here."""
    seen: set[type[BaseModel]] = set()
    fields = []

    def visit(tp: Any) -> None:
        for arg in typing.get_args(tp):
            visit(arg)
        if isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
            seen.add(tp)
            for name, info in tp.model_fields.items():
                if name == "sources" and tp is not Scenario:
                    fields.append((tp.__name__, info.annotation))
                visit(info.annotation)

    visit(Scenario)
    assert len(fields) >= 14
    assert all(annotation == Citations for _, annotation in fields), fields


def test_the_file_form_is_written_back(base: dict[str, Any], tmp_path: Path) -> None:
    base["events"][0]["sources"] = [pinned("Ana said"), "notes"]
    scenario = scenario_from_data(base).scenario
    dump_scenario(scenario, tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["events"][0]["sources"] == [pinned("Ana said"), "notes"]
    again = read_scenario(tmp_path / "s.json").scenario
    assert again.events[0].sources[0].at == "Ana said"


def test_a_locator_over_seven_words_is_refused_where_it_is(
    base: dict[str, Any], tmp_path: Path
) -> None:
    base["events"][0]["sources"] = [pinned("one two three four five six seven eight")]
    path = write(tmp_path, base)
    with pytest.raises(ScenarioError) as e:
        read_scenario(path)
    (p,) = [p for p in e.value.problems if p.path == ("events", 0, "sources", 0, "at")]
    assert "at most 7 words" in p.expected and p.line == line_of(path, "seven eight")


def test_a_locator_citing_an_unknown_source_is_refused(base: dict[str, Any]) -> None:
    base["events"][0]["sources"] = [pinned("Ana said", source="notse")]
    with pytest.raises(ScenarioError) as e:
        scenario_from_data(base)
    (p,) = e.value.problems
    assert p.path == ("events", 0, "sources", 0, "source")
    assert "did you mean 'notes'" in p.found


def test_a_locator_found_in_the_text(base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned("pay no more than half")]
    count, problems = check_citations(read_scenario(write(tmp_path, base)))
    assert problems == []
    assert (count.locators, count.found, count.missed, count.checked) == (1, 1, 0, True)
    assert (count.statements, count.with_locator, count.without_locator) == (4, 1, 3)


def test_a_locator_not_found_is_an_error_with_the_closest_passage(
    base: dict[str, Any], tmp_path: Path
) -> None:
    base["positions"][0]["sources"] = [pinned("pay no more than a third")]
    path = write(tmp_path, base)
    count, problems = check_citations(read_scenario(path))
    (p,) = problems
    assert not p.warning and count.missed == 1
    assert p.path == ("positions", 0, "sources", 0, "at")
    assert (p.file, p.line) == (str(path), line_of(path, "a third"))
    assert "'pay no more than a third'" in p.found
    assert "the closest passage is “…pay no more than half" in p.found


def test_a_locator_matches_whole_words_only(base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned("no more than hal")]
    _, problems = check_citations(read_scenario(write(tmp_path, base)))
    assert len(problems) == 1


def test_no_text_available_is_a_warning_at_the_source(base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned("pay no more than half")]
    path = write(tmp_path, base, text=None)
    count, problems = check_citations(read_scenario(path))
    (p,) = problems
    assert p.warning and p.found == "no text available"
    assert p.path == ("sources", 0) and (p.file, p.line) == (
        str(path),
        line_of(path, "- id: notes"),
    )
    assert "--sources DIR" in p.expected
    assert (count.checked, count.found, count.missed, count.unchecked) == (True, 0, 0, 1)


def test_a_folder_of_texts_by_source_id(base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned("pay no more than half")]
    path = write(tmp_path, base, text=None)
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "notes.txt").write_text(NOTES, encoding="utf-8")
    count, problems = check_citations(read_scenario(path), texts)
    assert problems == [] and count.found == 1


def test_an_embedded_scenario_without_texts_is_only_counted() -> None:
    count, problems = check_citations(read_scenario("job-offer"))
    assert problems == [] and not count.checked


@pytest.mark.parametrize(
    ("locator", "why"),
    [
        ('"no more than half"', "straight quotes where the text has curly ones"),
        ("NO MORE THAN HALF", "case"),
        ("half\u201d of the rent - and", "a hyphen for the text's em dash"),
        ("half” of the rent – and", "an en dash for the text's em dash"),
        ("rent — and that the dishes", "a line break in the text"),
        ("that the\n   dishes", "a line break in the locator"),
        ("were Ben's job", "a straight apostrophe for the text's curly one"),
    ],
)
def test_normalisation(locator: str, why: str, base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned(locator)]
    _, problems = check_citations(read_scenario(write(tmp_path, base)))
    assert problems == [], why


def test_normalise() -> None:
    assert normalise("  “Don’t”\n\tstop —\u00a0now ") == "don't stop - now"


def test_closest_passage_is_a_run_of_the_text() -> None:
    assert closest_passage("dishes were Bens", NOTES) == "dishes were ben's"


def test_statements_are_every_part_with_sources(base: dict[str, Any]) -> None:
    found = statements(scenario_from_data(base).scenario)
    assert [s.path for s in found] == [
        ("parties", 0),
        ("positions", 0),
        ("proposals", 0),
        ("events", 0),
    ]


def test_check_prints_the_count_and_fails_on_a_miss(base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned("pay no more than half")]
    base["events"][0]["sources"] = [pinned("Ana shouted")]
    path = write(tmp_path, base)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert (
        f"{path}:{line_of(path, 'Ana shouted')}:" in result.stderr
        and "'Ana shouted'" in result.stderr
    )
    base["events"][0]["sources"] = [pinned("Ana said")]
    path = write(tmp_path, base)
    result = CliRunner().invoke(main, ["check", str(path), "--json"])
    assert result.exit_code == 0
    citations = json.loads(result.stdout)["citations"]
    assert citations["with_locator"] == 2 and citations["found"] == 2
    result = CliRunner().invoke(main, ["check", str(path)])
    assert "2 of 4 sourced statements carry a locator (2 locators); 2 found" in result.stdout


def test_check_sources_must_be_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--sources", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_text_file_stays_inside_the_scenario_folder(base: dict[str, Any]) -> None:
    for bad in ("/etc/passwd", "../secret.txt", "a/../../b.txt"):
        base["sources"][0]["text_file"] = bad
        with pytest.raises(ScenarioError) as e:
            scenario_from_data(base)
        assert e.value.problems[0].path == ("sources", 0, "text_file")


def test_a_text_file_that_cannot_be_read_is_a_warning_that_says_why(
    base: dict[str, Any], tmp_path: Path
) -> None:
    base["positions"][0]["sources"] = [pinned("pay no more than half")]
    (tmp_path / "notes.txt").mkdir()  # a folder where the text should be
    base["sources"][0]["text_file"] = "notes.txt"
    path = write(tmp_path, base, text=None)
    _, problems = check_citations(read_scenario(path))
    (p,) = problems
    assert p.warning and p.path == ("sources", 0, "text_file")
    assert "a directory" in p.found


_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz’'-", min_size=1, max_size=8).filter(
        lambda w: any(c.isalpha() for c in w)
    ),
    min_size=8,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    words=_WORDS,
    start=st.integers(0, 39),
    size=st.integers(1, 7),
    upper=st.booleans(),
    gaps=st.sampled_from([" ", "\n", "  \t", "\n   "]),
)
def test_a_run_of_the_text_is_found_however_it_is_spaced_and_cased(
    words: list[str], start: int, size: int, upper: bool, gaps: str
) -> None:
    """Two views of one answer: a locator cut from the text is found, and the closest passage
    to it is itself (difflib ratio 1), however its case and spacing are changed."""
    from accord.model.evidence import _occurs

    start = start % len(words)
    run = words[start : start + size]
    text = " ".join(words)
    locator = gaps.join(run)
    locator = locator.upper() if upper else locator
    assert _occurs(normalise(locator), normalise(text))
    assert closest_passage(locator, text) == normalise(" ".join(run))
    assert normalise(normalise(text)) == normalise(text)


def test_a_locator_with_nothing_close_says_so(base: dict[str, Any], tmp_path: Path) -> None:
    base["positions"][0]["sources"] = [pinned("qqq zzz")]
    _, problems = check_citations(read_scenario(write(tmp_path, base)))
    (p,) = problems
    assert p.found == "'qqq zzz', not in it; no passage of the text shares a word with it"


def test_the_closest_passage_is_found_near_a_misspelt_word() -> None:
    assert closest_passage("Ana sayd", NOTES) == "ana said"


def test_a_citation_is_immutable_and_survives_pickling(base: dict[str, Any]) -> None:
    """Scenarios travel to worker processes (dask) and are copied: the locator goes with them."""
    import copy
    import pickle

    base["events"][0]["sources"] = [pinned("Ana said")]
    scenario = scenario_from_data(base).scenario
    for again in (pickle.loads(pickle.dumps(scenario)), copy.deepcopy(scenario)):
        assert again.events[0].sources[0].at == "Ana said"
    with pytest.raises(AttributeError):
        scenario.events[0].sources[0].at = "other words"  # type: ignore[misc]
