"""One scenario's analyses, each computed when first asked for and then kept.

:class:`Analysis` is the orchestration layer between the pure analyses (:mod:`accord.space`,
:mod:`accord.analysis`, :mod:`accord.phased`, :mod:`accord.gmcr`, :mod:`accord.robust`) and
the views (the CLI, the report, the service).  A view builds one ``Analysis`` from a scenario
and :class:`~accord.run.options.Options`, asks it for the results it shows, and renders them;
it never calls an analysis itself.  Each result is computed at most once, however many views
or sections read it (a parametrised result once per distinct question), and only when first
asked for, so a command pays only for what it prints.

The analysis packages are imported where first used: ``accord analyze`` never loads the
schedule designer's solver, the Monte Carlo engine or the graph model.

Names a user gives (a proposal, a plan, a state, a decision maker) are checked here, with a
:class:`~accord.errors.UserInputError` that lists what exists, so every view refuses them
alike and before it prints anything.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from accord.errors import LimitExceeded, UserInputError
from accord.limits import MAX_ROBUSTNESS_PACKAGES
from accord.model import Scenario, ScenarioError
from accord.model.problems import AGREEMENT_SPACE
from accord.run.options import Options

if TYPE_CHECKING:
    from accord.analysis.agreement_space import SpaceAnalysis, SpaceCore
    from accord.analysis.compare import Comparison
    from accord.analysis.improve import ImprovementSearch
    from accord.calibrate import Calibration
    from accord.calibrate.sampled import CalibratedRobustness
    from accord.gmcr import (
        CoalitionAnalysis,
        CompiledConflict,
        InverseResult,
        Stability,
        StateExplanation,
        StatusQuoAnalysis,
    )
    from accord.model import Problem
    from accord.phased import (
        Exchange,
        Guarantees,
        PlanAssessment,
        PlanComparison,
        ScheduleDesign,
        ScheduleSpec,
        StagedPlan,
    )
    from accord.processes import Started
    from accord.robust import PlanRobustness, PreferenceModel, RobustnessReport, ValuationModel
    from accord.run.cloud import PackageCloud
    from accord.space import CompiledSpace

__all__ = ["Analysis", "Progress"]

T = TypeVar("T")

Progress = Callable[[str], None]
"""Told, in a few words, what a long computation is about to do (for a progress line)."""


def _names(known: list[str] | tuple[str, ...]) -> str:
    return ", ".join(known) if known else "none"


@dataclass(frozen=True, eq=False)
class Analysis:
    """Every analysis of ``scenario`` under ``options``, computed lazily, each at most once.

    Attributes:
        scenario: the validated scenario.
        options: tolerance, seed and sampling choices (see :class:`Options`).
        origin: where the scenario came from (a path, or ``cairo-2024 (embedded)``).
        warnings: what loading it found worth saying (a proposal breaking a constraint, ...).
        progress: called with a short description before each computation that may take
            a while (sampling, designing, drawing); None says nothing.
    """

    scenario: Scenario
    options: Options = field(default_factory=Options)
    origin: str = "a scenario"
    warnings: tuple[Problem, ...] = ()
    progress: Progress | None = field(default=None, repr=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    _ahead: dict[Hashable, Started[Any]] = field(default_factory=dict, init=False, repr=False)

    def _once(self, key: Hashable, compute: Callable[[], T], doing: str | None = None) -> T:
        """The result stored under ``key``, computing it (and saying ``doing``) the first time.

        Threads sharing one analysis (a web server's) wait for a result being computed
        rather than compute it twice; a failed computation stores nothing."""
        with self._lock:
            if key not in self._memo:
                if doing is not None and self.progress is not None:
                    self.progress(doing)
                self._memo[key] = compute()
            result: T = self._memo[key]
        return result

    def computed(self) -> tuple[Hashable, ...]:
        """The keys of the results computed so far, in the order they were computed."""
        return tuple(self._memo)

    # -- the agreement space ------------------------------------------------------------------

    @property
    def space(self) -> CompiledSpace:
        """The agreement space as arrays (raises ScenarioError when there is none)."""
        from accord.space import compile_space

        blockers = [p.as_error() for p in self.warnings if p.blocks == AGREEMENT_SPACE]
        if blockers:
            raise ScenarioError(blockers, blockers[0].file)
        return self._once("space", lambda: compile_space(self.scenario))

    @property
    def core(self) -> SpaceCore:
        """The exact utility grid and the Pareto frontier, shared by every space analysis."""
        from accord.analysis import prepare_space

        return self._once("core", lambda: prepare_space(self.space, tol=self.options.tol))

    def space_analysis(
        self, *, limit: int | None = None, zopa_pareto: bool = False
    ) -> SpaceAnalysis:
        """Counts, ZOPA, frontier (``limit`` points listed, None: all), solutions, proposals."""
        from accord.analysis import analyze_space

        o = self.options

        def compute() -> SpaceAnalysis:
            return analyze_space(
                self.space,
                limit=limit,
                tol=o.tol,
                zopa_pareto=zopa_pareto,
                exact_limit=o.exact_limit,
                seed=o.seed,
                core=self.core,
            )

        return self._once(("space_analysis", limit, zopa_pareto), compute)

    @property
    def cloud(self) -> PackageCloud:
        """The feasible packages a figure draws: all of them, or a seeded sample."""
        from accord.run.cloud import package_cloud

        return self._once(
            "cloud",
            lambda: package_cloud(self.space, seed=self.options.seed),
            "choosing the packages to draw",
        )

    def package(self, name: str) -> tuple[int, ...]:
        """The package a proposal id or a solution name (``nash``, ...) stands for."""
        from accord.analysis.compare import resolve_package

        def compute() -> tuple[int, ...]:
            try:
                return resolve_package(self.space, name, core=self.core)
            except KeyError as e:  # resolve_package's documented "no such name"
                raise UserInputError(str(e.args[0])) from None

        return self._once(("package", name), compute)

    def comparison(self, a: str, b: str) -> Comparison:
        """Package ``b`` against package ``a`` (proposal ids or solution names)."""
        from accord.analysis.compare import compare_packages

        def compute() -> Comparison:
            pa, pb = self.package(a), self.package(b)
            return compare_packages(self.space, pa, pb, a_label=a, b_label=b, tol=self.options.tol)

        return self._once(("comparison", a, b), compute)

    def improvements(
        self, start: str, *, limit: int = 10, budget: int = 5_000_000
    ) -> ImprovementSearch:
        """The packages that leave everyone at least as well off as ``start``, best first."""
        from accord.analysis.improve import improve_package

        def compute() -> ImprovementSearch:
            return improve_package(
                self.space,
                self.package(start),
                label=start,
                limit=limit,
                budget=budget,
                tol=self.options.tol,
                exact_limit=self.options.exact_limit,
                seed=self.options.seed,
                core=self.core,
            )

        return self._once(("improvements", start, limit, budget), compute, "searching improvements")

    def proposal_id(self, name: str, what: str = "proposal") -> str:
        """``name`` if the scenario has such a proposal, else a UserInputError naming them."""
        known = [p.id for p in self.scenario.proposals]
        if name not in known:
            raise UserInputError(f"no {what} {name!r}; the scenario's proposals: {_names(known)}")
        return name

    @property
    def default_pair(self) -> tuple[str, str] | None:
        """The two most recent proposals by date, (earlier, later); ties: the later in the
        file is the more recent.  None with fewer than two proposals."""
        ranked = sorted(enumerate(self.scenario.proposals), key=lambda kp: (kp[1].date, kp[0]))
        if len(ranked) < 2:
            return None
        return ranked[-2][1].id, ranked[-1][1].id

    # -- phased plans -------------------------------------------------------------------------

    def plan_ids(self, plan: str | None = None) -> tuple[str, ...]:
        """Every plan of the scenario, or just ``plan`` once it is known to exist."""
        ids = tuple(p.id for p in self.scenario.plans)
        if not ids:
            raise UserInputError(
                "this scenario has no plans: add `items`, `valuations` and `plans` sections "
                "(see docs/reference/phased-deals.md)"
            )
        if plan is None:
            return ids
        if plan not in ids:
            raise UserInputError(f"no plan {plan!r}; the scenario's plans are: {_names(ids)}")
        return (plan,)

    @property
    def exchange(self) -> Exchange:
        """The items, flows and valuations of the phased plans, as arrays."""
        from accord.phased import exchange_from_scenario

        return self._once("exchange", lambda: exchange_from_scenario(self.scenario))

    def staged(self, plan: str) -> StagedPlan:
        """One plan's stages and transfers, as arrays."""
        from accord.phased import plan_from_scenario

        return self._once(
            ("staged", plan), lambda: plan_from_scenario(self.scenario, plan, self.exchange)
        )

    def assessment(self, plan: str) -> PlanAssessment:
        """Every decision point's margins of carrying on over walking away, for one plan."""
        from accord.phased import evaluate_plan

        key = ("plan_comparison", tuple(p.id for p in self.scenario.plans))
        if key in self._memo:  # the side-by-side comparison evaluated every plan already
            compared: PlanComparison = self._memo[key]
            return compared.assessments[compared.plans.index(plan)]
        return self._once(
            ("assessment", plan), lambda: evaluate_plan(self.exchange, self.staged(plan))
        )

    def plan_comparison(self) -> PlanComparison:
        """Every plan side by side (its assessments are reused by :meth:`assessment`)."""
        from accord.phased import compare_plans

        ids = tuple(p.id for p in self.scenario.plans)
        return self._once(
            ("plan_comparison", ids),
            lambda: compare_plans(self.exchange, [self.staged(i) for i in ids]),
        )

    def guarantees(self, plan: str) -> Guarantees:
        """The smallest guarantor penalties that make ``plan`` self-enforcing."""
        from accord.phased import minimal_guarantees

        return self._once(
            ("guarantees", plan), lambda: minimal_guarantees(self.exchange, self.staged(plan))
        )

    def design(
        self,
        plan: str,
        *,
        objective: str = "front-load",
        stages: int = 3,
        min_days: int = 7,
        max_days: int = 21,
        day_step: int = 7,
        focus: tuple[str, ...] = (),
        time_limit: float = 60.0,
    ) -> tuple[ScheduleSpec, ScheduleDesign]:
        """A schedule with ``plan``'s totals in ``stages`` stages that is self-enforcing and
        best for ``objective``, and what it had to deliver (its spec)."""
        from accord.phased import OBJECTIVES, design_schedule, spec_from_plan

        if objective not in OBJECTIVES:
            raise UserInputError(f"--objective: one of {_names(OBJECTIVES)}, not {objective!r}")
        if min_days > max_days:
            raise UserInputError(f"--min-days ({min_days}) exceeds --max-days ({max_days})")
        unknown = [f for f in focus if f not in self.exchange.items]
        if unknown:
            raise UserInputError(
                f"--focus: unknown item(s) {', '.join(unknown)}; "
                f"the items are {_names(self.exchange.items)}"
            )

        def compute() -> tuple[ScheduleSpec, ScheduleDesign]:
            spec = spec_from_plan(
                self.exchange,
                self.staged(plan),
                stages,
                min_days=min_days,
                max_days=max_days,
                day_step=day_step,
                focus=focus or None,
            )
            found = design_schedule(
                self.exchange,
                spec,
                objective,
                time_limit=time_limit,
            )
            return spec, found

        key = ("design", plan, objective, stages, min_days, max_days, day_step, focus, time_limit)
        return self._once(key, compute, f"designing a schedule (up to {time_limit:g} s)")

    # -- the graph model ----------------------------------------------------------------------

    @property
    def conflict(self) -> CompiledConflict:
        """The scenario's ``conflict:`` section as arrays."""
        from accord.gmcr import compile_conflict

        if self.scenario.conflict is None:
            raise UserInputError(f"{self.origin} has no conflict: section to analyze")
        return self._once("conflict", lambda: compile_conflict(self.scenario))

    @property
    def stability(self) -> Stability:
        """Nash, GMR, SMR and SEQ stability of every state, for every decision maker."""
        from accord.gmcr import analyze_stability

        return self._once(
            "stability", lambda: analyze_stability(self.conflict), "GMCR stability of every state"
        )

    def state(self, text: str, option: str = "STATE") -> int:
        """The feasible state a user names (by label, option vector or name)."""
        conflict = self.conflict
        found = conflict.find_state(text)
        if found is not None:
            return found
        if conflict.is_option_form:
            form = f"{len(conflict.option_ids)} letters Y/N ({', '.join(conflict.option_ids)})"
        else:
            form = "a state name (" + ", ".join(conflict.state_names[:10]) + ")"
        raise UserInputError(
            f"{option}: {text!r} is not a feasible state of this conflict; give a label or {form}"
        )

    def decision_maker(self, name: str, option: str = "DM") -> int:
        """The index of a decision maker the user names."""
        known = self.conflict.decision_makers
        if name not in known:
            raise UserInputError(
                f"{option}: unknown decision maker {name!r}; expected one of {_names(known)}"
            )
        return known.index(name)

    def status_quo_paths(
        self, start: int | None = None, *, unilateral: bool = False
    ) -> StatusQuoAnalysis:
        """The fewest improvements from the status quo (or ``start``) to each equilibrium."""
        from accord.gmcr import status_quo_analysis

        origin = self.conflict.status_quo if start is None else start
        if origin is None:
            raise UserInputError("the conflict has no status_quo; give one with --start STATE")

        def compute() -> StatusQuoAnalysis:
            coalitions: list[list[int]] | None = [] if unilateral else None
            return status_quo_analysis(self.conflict, self.stability, origin, coalitions=coalitions)

        return self._once(("status_quo", origin, unilateral), compute, "paths from the status quo")

    def coalition(self, members: tuple[str, ...]) -> CoalitionAnalysis:
        """Coalition-Nash stability with ``members`` acting together, the others alone."""
        from accord.gmcr import analyze_coalitions

        index = [self.decision_maker(m, "--coalition") for m in members]
        if len(set(index)) != len(index):
            raise UserInputError(
                f"--coalition: a decision maker is named twice in {','.join(members)}"
            )
        if len(index) < 2:
            raise UserInputError("--coalition: a coalition needs two or more decision makers")
        structure = [sorted(index), *([j] for j in range(self.conflict.n_dm) if j not in index)]
        return self._once(
            ("coalition", tuple(sorted(index))),
            lambda: analyze_coalitions(self.conflict, structure, self.stability),
            "coalition stability",
        )

    def inverse(self, dm: int, target: int, vary: tuple[int, ...] | None = None) -> InverseResult:
        """Rankings of decision maker ``dm`` that make ``target`` an equilibrium.

        ``vary`` (the states whose places may change) defaults to ``target`` and the states
        ``dm`` can reach from it in one move (:func:`accord.gmcr.inverse.default_vary`).
        """
        from accord.gmcr.inverse import check_range, default_vary, inverse_gmcr

        varied = (
            default_vary(self.conflict, dm, target) if vary is None else tuple(sorted(set(vary)))
        )
        check_range(self.conflict, dm, varied)
        return self._once(
            ("inverse", dm, target, varied),
            lambda: inverse_gmcr(self.conflict, dm, target, vary=varied),
            "enumerating rankings",
        )

    def explanation(self, state: int) -> tuple[StateExplanation, tuple[str, ...]]:
        """Why ``state`` is or is not stable: each improvement and its sanction, and in words."""
        from accord.gmcr import describe, explain_state

        def compute() -> tuple[StateExplanation, tuple[str, ...]]:
            ex = explain_state(self.conflict, state)
            return ex, tuple(describe(self.conflict, ex))

        return self._once(("explain", state), compute)

    # -- robustness ---------------------------------------------------------------------------

    @property
    def preference_model(self) -> PreferenceModel:
        """The preference estimates and their ranges, as a model to sample from."""
        from accord.robust.from_scenario import preference_model

        return self._once("preference_model", lambda: preference_model(self.scenario))

    @property
    def uncertain_estimates(self) -> int:
        """How many preference estimates vary between samples."""
        return int(self.preference_model.uncertain_indices().size)

    @property
    def valuation_model(self) -> ValuationModel | None:
        """The phased plans' valuations and their ranges (None: the scenario has no plan)."""
        from accord.robust.plans import valuation_model

        if not self.scenario.plans:
            return None
        return self._once("valuation_model", lambda: valuation_model(self.scenario, self.exchange))

    @property
    def uncertain_valuations(self) -> int:
        """How many phased-plan valuations vary between samples."""
        model = self.valuation_model
        return 0 if model is None else len(model.parameters)

    def check_robustness_size(self) -> None:
        """Refuse a space too large to sample (:data:`accord.limits.MAX_ROBUSTNESS_PACKAGES`)."""
        packages = self.space.n_packages_unconstrained
        if packages > MAX_ROBUSTNESS_PACKAGES:
            raise LimitExceeded(
                f"the agreement space has {packages:,} packages; a robustness run scores every "
                f"package in every sample and is limited to {MAX_ROBUSTNESS_PACKAGES:,} "
                "(accord.limits.MAX_ROBUSTNESS_PACKAGES)"
            )

    def robustness(self, *, client: Any = None) -> RobustnessReport:
        """How often each agreement-space conclusion holds across sampled preference profiles.

        ``client`` (a Dask client) runs the chunks on a cluster; the result is the same.  The
        sampled profiles are judged at the robustness kernel's own tolerance
        (``accord.robust.kernel.DEFAULT_TOL``), not ``options.tol``.
        """
        from accord.run.ahead import start_robustness

        o = self.options.robustness
        self.check_robustness_size()
        doing = f"sampling {o.samples:,} preference profiles (seed {self.options.seed})"
        return self._once(
            "robustness",
            lambda: self._gathered("robustness", lambda: start_robustness(self, client), client),
            doing,
        )

    def _gathered(self, key: Hashable, start: Callable[[], Started[T]], client: Any = None) -> T:
        """The result of the run started ahead under ``key`` (:meth:`computing_ahead`), or of
        one ``start`` starts now (always now for a Dask ``client``)."""
        started = self._ahead.pop(key, None)
        if started is not None and client is not None:
            started.cancel()  # the cluster asked for runs it all
            started = None
        if started is None:
            started = start()
        result: T = started.result()
        return result

    @contextlib.contextmanager
    def computing_ahead(self, *, robustness: bool = True) -> Iterator[None]:
        """Within the block, the calibration and (with ``robustness``) the samples of the
        preference profiles and of the plans' valuations are computed from its start by local
        worker processes, while this process does other work (a report draws its figures
        meanwhile); :meth:`calibration`, :meth:`robustness` and :meth:`plan_robustness` then
        gather them (this process taking its share of the samples left).

        Nothing starts ahead when a result is already in or when there is one process only
        (``processes=1``, one core).  What is started and never asked for is stopped at the
        block's end, as on any error or interrupt within it, so no worker outlives it.  The
        results are the same as without the block.
        """
        from accord.run.ahead import start_ahead

        try:
            self._ahead.update(start_ahead(self, robustness=robustness, done=set(self._memo)))
            yield
        finally:
            for started in self._ahead.values():
                started.cancel()
            self._ahead.clear()

    def calibration(self, *, margin: float = 0.0) -> Calibration:
        """The evidence the estimates contradict and the nearest estimates that agree with the
        record (responses, judgements, positions); see :mod:`accord.calibrate`."""
        from accord.run.ahead import start_calibration

        key = ("calibration", margin)
        return self._once(key, lambda: self._gathered(key, lambda: start_calibration(self, margin)))

    def calibrated_robustness(
        self, *, margin: float = 0.0, client: Any = None
    ) -> CalibratedRobustness:
        """The robustness conclusions with and without the record: each negotiator with
        evidence drawn from the profiles that agree with it (see
        :mod:`accord.calibrate.sampled`). ``client`` (a Dask client) runs the chunks on a
        cluster; the result is the same."""
        from accord.calibrate.sampled import calibrated_robustness

        o = self.options.robustness
        self.check_robustness_size()

        def compute() -> CalibratedRobustness:
            return calibrated_robustness(
                self.scenario,
                self.space,
                self.preference_model,
                samples=o.samples,
                seed=self.options.seed,
                margin=margin,
                client=client,
                processes=o.processes,
            )

        doing = (
            f"sampling {o.samples:,} profiles that agree with the record (seed {self.options.seed})"
        )
        return self._once(("calibrated_robustness", margin), compute, doing)

    def plan_robustness(self, *, client: Any = None) -> tuple[PlanRobustness, ...]:
        """How likely each phased plan is to be self-enforcing when its valuations vary."""
        from accord.run.ahead import start_plan_robustness

        if self.valuation_model is None:
            return ()
        o = self.options.robustness
        doing = f"sampling {o.samples:,} plan valuations (seed {self.options.seed})"
        return self._once(
            "plan_robustness",
            lambda: self._gathered(
                "plan_robustness", lambda: start_plan_robustness(self, client), client
            ),
            doing,
        )
