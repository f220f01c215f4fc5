"""The report computes each analysis once, through the orchestration layer (issue 13, item 1).

Every analysis entry point is wrapped wherever accord binds it (its own module, its package,
and every module that imported it by name), and each call is counted by the module that
made it.  Building the cairo-2024 report must call each from ``accord.run`` exactly once (once
per plan for the per-plan ones) and never from ``accord.report``: sections only render.  The
counting runs in one process (``processes=1``; a worker process would not count, and the
wrappers do not pickle); that the report computed ahead in worker processes is the same page,
byte for byte, is tested below.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import accord
from accord.model import load_scenario
from accord.report import build_report, render_report
from accord.run import Analysis, Options, RobustnessOptions

# (module, name): the analyses a report needs
ANALYSES = [
    ("accord.space.compile", "compile_space"),
    ("accord.analysis.agreement_space", "prepare_space"),
    ("accord.analysis.agreement_space", "analyze_space"),
    ("accord.analysis.compare", "compare_packages"),
    ("accord.run.cloud", "package_cloud"),
    ("accord.phased.exchange", "exchange_from_scenario"),
    ("accord.phased.exchange", "plan_from_scenario"),
    ("accord.phased.evaluate", "evaluate_plan"),
    ("accord.gmcr.compile", "compile_conflict"),
    ("accord.gmcr.stability", "analyze_stability"),
    ("accord.gmcr.evolution", "status_quo_analysis"),
    ("accord.robust.from_scenario", "preference_model"),
    ("accord.robust.plans", "valuation_model"),
    ("accord.robust.engine", "start_robustness"),
    ("accord.robust.plans", "start_plans"),
    ("accord.calibrate.calibrate", "calibrate_scenario"),
]
PER_PLAN = {"plan_from_scenario", "evaluate_plan"}


def _all_accord_modules() -> Iterator[str]:
    for info in pkgutil.walk_packages(accord.__path__, "accord."):
        # __main__ runs the CLI; the service is a Django project, imported by its own tests
        if not info.name.endswith("__main__") and ".service" not in info.name:
            yield info.name


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """(function, caller's layer) -> calls, for every function of ANALYSES."""
    for name in _all_accord_modules():
        importlib.import_module(name)
    counted: Counter[tuple[str, str]] = Counter()

    def spy(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1).f_globals.get("__name__", "?")
            counted[(name, ".".join(caller.split(".")[:2]))] += 1
            return original(*args, **kwargs)

        return wrapper

    for module_name, name in ANALYSES:
        original = getattr(sys.modules[module_name], name)
        wrapper = spy(name, original)
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("accord"):
                for attr, value in list(vars(module).items()):
                    if value is original:
                        monkeypatch.setattr(module, attr, wrapper)
    return counted


def _in_one_process(samples: int) -> Options:
    return Options(robustness=RobustnessOptions(samples=samples, processes=1))


def test_the_cairo_report_computes_each_analysis_once(calls: Counter[tuple[str, str]]) -> None:
    scenario = load_scenario("cairo-2024")
    html = render_report(Analysis(scenario, _in_one_process(400)))
    assert 'id="robustness"' in html and 'id="stability"' in html and 'id="phased"' in html
    plans = len(scenario.plans)
    for _, name in ANALYSES:
        assert calls[(name, "accord.report")] == 0, f"a report section called {name}"
        expected = plans if name in PER_PLAN else 1
        assert calls[(name, "accord.run")] == expected, (name, calls[(name, "accord.run")])


def test_the_report_computed_ahead_in_worker_processes_is_the_same_page() -> None:
    """The calibration and the samples computed by local workers while this process draws
    (two processes share the chunks) give the page of the run that computes all of it here."""
    scenario = load_scenario("cairo-2024")
    shared = Options(robustness=RobustnessOptions(samples=3000, processes=2))
    analysis = Analysis(scenario, shared, origin="cairo-2024")
    ahead = render_report(analysis)
    assert "robustness" in analysis.computed() and "plan_robustness" in analysis.computed()
    here = render_report(Analysis(scenario, _in_one_process(3000), origin="cairo-2024"))
    assert ahead == here
    assert ahead == build_report(scenario, samples=3000, origin="cairo-2024")


def test_asking_twice_computes_once(calls: Counter[tuple[str, str]]) -> None:
    analysis = accord.analyze("cairo-2024")
    first = analysis.space_analysis(limit=5)
    assert analysis.space_analysis(limit=5) is first
    assert analysis.comparison("paris-framework", "cairo-draft") is analysis.comparison(
        "paris-framework", "cairo-draft"
    )
    assert analysis.space_analysis(limit=6) is not first  # another question, another answer
    assert calls[("compile_space", "accord.run")] == 1
    assert calls[("prepare_space", "accord.run")] == 1
    assert calls[("analyze_space", "accord.run")] == 2
    assert calls[("compare_packages", "accord.run")] == 1
    # the side-by-side comparison evaluates every plan; single assessments reuse it
    compared = analysis.plan_comparison()
    assert (
        analysis.assessment("cairo-draft")
        is compared.assessments[compared.plans.index("cairo-draft")]
    )


def test_only_what_is_asked_for_is_computed() -> None:
    analysis = accord.analyze("cairo-2024")
    analysis.space_analysis()
    assert set(analysis.computed()) == {"space", "core", ("space_analysis", None, False)}


def test_threads_sharing_an_analysis_compute_once(calls: Counter[tuple[str, str]]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    analysis = accord.analyze("job-offer")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: analysis.space_analysis(limit=2), range(8)))
    assert all(r is results[0] for r in results)
    assert calls[("analyze_space", "accord.run")] == 1
    assert calls[("compile_space", "accord.run")] == 1
