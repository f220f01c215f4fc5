"""The public API (``accord.load``, ``accord.analyze``, ...) and what starting up imports.

``import accord`` and ``accord --version`` load nothing heavy; the everyday commands load
neither scipy nor matplotlib, jinja2 or dask (issue 11, item 9: those are imported where
used).  Timings are measured by ``benchmarks/startup.py``, never here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import accord

HEAVY = ("numpy", "scipy", "matplotlib", "pydantic", "rich", "jinja2", "dask", "yaml")


def imported_after(code: str) -> set[str]:
    """The top-level packages imported by running ``code`` in a fresh interpreter."""
    report = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport sys, json\n{report}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_accord_loads_nothing_heavy() -> None:
    assert imported_after("import accord").isdisjoint(HEAVY)


def test_the_command_line_starts_without_analysis_libraries() -> None:
    loaded = imported_after("from accord.cli import main")
    assert loaded.isdisjoint(HEAVY)


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "job-offer"],
        ["compare", "job-offer", "first-offer", "counter-offer"],
        ["improve", "job-offer", "first-offer"],
        ["phases", "cairo-2024"],
        ["stability", "cairo-2024"],
    ],
)
def test_everyday_commands_import_only_what_they_use(args: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from accord.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({args!r}, standalone_mode=False)"
    )
    assert imported_after(code).isdisjoint({"scipy", "matplotlib", "jinja2", "dask"})


def test_every_public_name_resolves() -> None:
    for name in accord.__all__:
        assert getattr(accord, name) is not None, name
    assert set(accord.__all__) <= set(dir(accord))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = accord.nothing  # type: ignore[attr-defined]


def test_load_analyze_and_serialise() -> None:
    scenario = accord.load("job-offer")
    analysis = accord.analyze(scenario)
    assert isinstance(analysis, accord.Analysis)
    result = analysis.space_analysis(limit=3)
    data = accord.to_jsonable(result)
    assert data["negotiators"] == ["candidate", "employer"]
    assert len(data["pareto"]) == 3
    # a file or an embedded scenario's name works too, with its origin
    assert accord.analyze("job-offer").origin == "job-offer (embedded)"
    with pytest.raises(accord.ScenarioError):
        accord.load("no-such-scenario.yaml")
    with pytest.raises(accord.UserInputError, match="no proposal"):
        analysis.proposal_id("nowhere")


def test_options_are_checked_where_they_are_made() -> None:
    with pytest.raises(accord.UserInputError, match="--samples"):
        accord.RobustnessOptions(samples=0)
    with pytest.raises(accord.LimitExceeded, match="MAX_SAMPLES"):
        accord.RobustnessOptions(samples=10**12)
    with pytest.raises(accord.UserInputError, match="--tol"):
        accord.Options(tol=-1.0)
