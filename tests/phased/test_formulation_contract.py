"""The contract every schedule formulation keeps (issue 13, item 7; the axelrod pattern).

:class:`ScheduleFormulationContract` holds the tests; one subclass per entry of
:data:`accord.phased.FORMULATIONS` (``auto`` included) is made below, so a formulation added
to the registry gets them all.  The contract, on cases small enough to enumerate:

* its optimum is the best self-enforcing schedule exhaustive search finds (or it proves, as
  search does, that there is none);
* listing the design items, or the negotiators, in another order changes neither the status
  nor the optimum;
* the schedule it returns passes the independent evaluator (the re-check design_schedule makes
  at run time), and an infeasible design's extra penalties really make one self-enforcing;
* with the schedule fixed, its programme's margins are the evaluator's (every incentive
  constraint, checked with nothing left to optimise).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_design import brute_force_stages, compositions, small_cases, three_stage_cases

from accord.phased import (
    FORMULATIONS,
    OBJECTIVES,
    Exchange,
    Formulation,
    ScheduleSpec,
    design_schedule,
    evaluate_plan,
    schedule_plan,
)
from accord.phased.design import build_programme, solve

EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    # one test method, run by one subclass per formulation: by design (the contract pattern)
    suppress_health_check=[HealthCheck.differing_executors],
)

cases = st.one_of(small_cases(), three_stage_cases())


def reorder_negotiators(ex: Exchange, order: list[int]) -> Exchange:
    """The same exchange with its negotiators (and every per-negotiator row) in ``order``."""
    return replace(
        ex,
        negotiators=tuple(ex.negotiators[j] for j in order),
        receive=ex.receive[order],
        give=ex.give[order],
        flow_value=ex.flow_value[order],
        outside_base=ex.outside_base[order],
        outside_per_item=ex.outside_per_item[order],
        penalty=ex.penalty[order],
        discount=ex.discount[order],
    )


class ScheduleFormulationContract:
    """The tests every schedule formulation gets; a subclass sets :attr:`formulation`."""

    formulation: ClassVar[Formulation]

    def design(self, ex: Exchange, spec: ScheduleSpec, objective: str):  # type: ignore[no-untyped-def]
        return design_schedule(ex, spec, objective, gap=0.0, formulation=self.formulation)  # type: ignore[arg-type]

    @EXAMPLES
    @given(cases, st.sampled_from(OBJECTIVES))
    def test_finds_what_exhaustive_search_finds(self, case, objective) -> None:  # type: ignore[no-untyped-def]
        ex, spec = case
        design = self.design(ex, spec, objective)
        best = brute_force_stages(ex, spec, objective)
        if best is None:
            assert design.status == "infeasible" and design.infeasibility is not None
            return
        assert design.status == "optimal" and design.objective_value is not None
        assert design.objective_value == pytest.approx(best, abs=1e-6)
        # the run-time re-check, and the evaluator again at a tight tolerance
        assert design.recheck is not None and design.recheck.self_enforcing
        assert evaluate_plan(ex, design.plan, tol=1e-7).self_enforcing  # type: ignore[arg-type]

    @EXAMPLES
    @given(cases, st.sampled_from(OBJECTIVES), st.data())
    def test_the_order_of_the_items_changes_nothing(self, case, objective, data) -> None:  # type: ignore[no-untyped-def]
        ex, spec = case
        order = data.draw(st.permutations(list(range(len(spec.items)))))
        moved = replace(spec, items=tuple(spec.items[i] for i in order))
        first, second = self.design(ex, spec, objective), self.design(ex, moved, objective)
        assert first.status == second.status
        if first.objective_value is not None:
            assert second.objective_value == pytest.approx(first.objective_value, abs=1e-6)

    @EXAMPLES
    @given(cases, st.sampled_from(OBJECTIVES))
    def test_the_order_of_the_negotiators_changes_nothing(self, case, objective) -> None:  # type: ignore[no-untyped-def]
        ex, spec = case
        order = list(range(len(ex.negotiators)))[::-1]
        first = self.design(ex, spec, objective)
        second = self.design(reorder_negotiators(ex, order), spec, objective)
        assert first.status == second.status
        if first.objective_value is not None:
            assert second.objective_value == pytest.approx(first.objective_value, abs=1e-6)
        if first.infeasibility is not None and second.infeasibility is not None:
            # the shortfalls minimise their sum, which several vectors may attain: the sum is
            # what the order cannot change; each side's shortfall alone is unique
            a, b = first.infeasibility, second.infeasibility
            assert sum(b.shortfall) == pytest.approx(sum(a.shortfall), abs=1e-6)
            assert [x is None for x in b.alone] == [a.alone[j] is None for j in order]
            assert [x for x in b.alone if x is not None] == pytest.approx(
                [a.alone[j] for j in order if a.alone[j] is not None], abs=1e-6
            )

    @EXAMPLES
    @given(small_cases())
    def test_an_infeasible_design_says_what_would_fix_it(self, case) -> None:  # type: ignore[no-untyped-def]
        ex, spec = case
        design = self.design(ex, spec, "shortest")
        if design.status != "infeasible":
            return
        why = design.infeasibility
        assert why is not None
        relaxed = ex.with_penalty(ex.penalty + np.array(why.shortfall) + 1e-6)
        assert self.design(relaxed, spec, "shortest").status == "optimal"

    @EXAMPLES
    @given(cases, st.data())
    def test_its_margins_are_the_evaluators_for_a_fixed_schedule(self, case, data) -> None:  # type: ignore[no-untyped-def]
        ex, spec = case
        lengths = range(spec.min_days, spec.max_days + 1, spec.day_step)
        days = [data.draw(st.sampled_from(lengths)) for _ in range(spec.stages)]
        split = [
            data.draw(st.sampled_from(compositions(int(d.total), spec.stages))) for d in spec.items
        ]
        amounts = np.array(split, dtype=float).T
        model, slack_cols = build_programme(
            ex, spec, "shortest", slack=[True, True], formulation=self.formulation
        )
        for s, row in enumerate(model.x):
            for d, col in enumerate(row):
                model.b.lb[col] = model.b.ub[col] = float(amounts[s, d])
        for s in range(1, spec.stages + 1):
            terms, const = model.clock.start(s)
            model.b.row(terms, sum(days[:s]) - const, sum(days[:s]) - const)
        res = solve(model, 60.0, 0.0, presolve=False)
        assert res.status == 0
        margin = evaluate_plan(ex, schedule_plan(ex, spec, days, amounts), tol=1e-9).margin
        needed = np.maximum(0.0, -margin.min(axis=1))
        assert [res.x[c] for c in slack_cols] == pytest.approx(needed, abs=1e-6)


for _formulation in FORMULATIONS:
    _name = "TestFormulationContract" + _formulation.title().replace("-", "")
    globals()[_name] = type(_name, (ScheduleFormulationContract,), {"formulation": _formulation})
del _formulation, _name


def test_every_formulation_has_its_contract() -> None:
    tested = {
        c.formulation
        for c in globals().values()
        if isinstance(c, type)
        and issubclass(c, ScheduleFormulationContract)
        and hasattr(c, "formulation")
    }
    assert tested == set(FORMULATIONS)
