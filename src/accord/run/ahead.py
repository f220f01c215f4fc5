"""The long computations of an :class:`~accord.run.Analysis`, set going as runs to gather later.

Each ``start_*`` function starts one computation of an analysis and returns its
:class:`~accord.processes.Started` handle: the robustness samples and the plans' valuations
on local worker processes (or a Dask client), shared with this process at the result; the
calibration in a worker of its own when it is started ahead, here otherwise.
:func:`start_ahead` starts every one a report needs, for
:meth:`Analysis.computing_ahead <accord.run.Analysis.computing_ahead>`.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import partial
from typing import TYPE_CHECKING, Any

from accord.processes import Started, call_in_worker, sharing_processes

if TYPE_CHECKING:
    from accord.calibrate import Calibration
    from accord.robust import PlanRobustness, RobustnessReport
    from accord.run.analysis import Analysis

__all__ = ["start_ahead", "start_calibration", "start_plan_robustness", "start_robustness"]


def start_robustness(analysis: Analysis, client: Any = None) -> Started[RobustnessReport]:
    """The preference profiles' samples of :meth:`Analysis.robustness`, set going."""
    from accord.robust import start_robustness as start

    o = analysis.options.robustness
    return start(
        analysis.space,
        analysis.preference_model,
        samples=o.samples,
        seed=analysis.options.seed,
        top=o.top,
        bins=o.bins,
        client=client,
        processes=o.processes,
    )


def start_plan_robustness(
    analysis: Analysis, client: Any = None
) -> Started[tuple[PlanRobustness, ...]]:
    """The plans' valuation samples of :meth:`Analysis.plan_robustness`, set going."""
    from accord.robust import start_plans

    model = analysis.valuation_model
    assert model is not None, "a scenario with phased plans"
    o = analysis.options.robustness
    return start_plans(
        model,
        [analysis.staged(p.id) for p in analysis.scenario.plans],
        samples=o.samples,
        seed=analysis.options.seed,
        bins=o.bins,
        top=o.top,
        client=client,
        processes=o.processes,
    )


def start_calibration(
    analysis: Analysis, margin: float = 0.0, *, in_worker: bool = False
) -> Started[Calibration]:
    """:meth:`Analysis.calibration`: in a worker process of its own from now (``in_worker``),
    or here, at the result; an error in the worker is raised as this process raises it."""
    from accord.calibrate import calibrate_scenario

    def here() -> Calibration:
        return calibrate_scenario(analysis.scenario, margin=margin)

    if not in_worker:
        return Started(here, lambda: None)
    ahead = call_in_worker(partial(calibrate_scenario, margin=margin), analysis.scenario)

    def gathered() -> Calibration:
        try:
            return ahead.result()
        except Exception:
            # computed again here, to fail as it would have without the worker (an error's
            # exact type and arguments do not all survive the way back from a process)
            return here()

    return Started(gathered, ahead.cancel)


def start_ahead(
    analysis: Analysis, *, robustness: bool, done: set[Hashable]
) -> dict[Hashable, Started[Any]]:
    """Every computation a report needs and ``done`` does not hold, started on local worker
    processes, by the key :class:`Analysis` keeps its result under; none on one process."""
    if sharing_processes(analysis.options.robustness.processes) <= 1:
        return {}
    started: dict[Hashable, Started[Any]] = {}
    try:
        if robustness and "robustness" not in done:
            analysis.check_robustness_size()
            started["robustness"] = start_robustness(analysis)
        if robustness and analysis.valuation_model is not None and "plan_robustness" not in done:
            started["plan_robustness"] = start_plan_robustness(analysis)
        if ("calibration", 0.0) not in done:
            started[("calibration", 0.0)] = start_calibration(analysis, 0.0, in_worker=True)
    except BaseException:
        for run in started.values():
            run.cancel()
        raise
    return started
