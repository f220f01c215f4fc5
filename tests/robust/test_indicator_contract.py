"""The contract every robustness indicator keeps (issue 13, item 7; the axelrod pattern).

An indicator is a yes/no conclusion about a sampled preference profile
(:class:`accord.robust.Indicator`).  :class:`IndicatorContract` holds the tests; each indicator
is a subclass that only says how to build it from a compiled space (naming negotiators,
options and proposals by id, never by position).  The engine's built-in conclusions are
written here as indicators too, each beside the target the engine counts itself.  The contract:

* it pickles, and answers one yes or no per sample;
* the engine counts exactly what it answers on the same seeded blocks (a direct count, block
  by block, is the reference);
* the count, its interval and its sensitivity ranking are the same bytes whatever the number
  of worker processes and the size of the chunks;
* listing the negotiators, or an issue's options, in another order changes no answer;
* a built-in conclusion's count is the engine's own (two views of one quantity).
"""

from __future__ import annotations

import dataclasses
import json
from functools import partial
from typing import Any, ClassVar

import numpy as np
import pytest
from numpy.typing import NDArray

from accord.jsonable import to_jsonable
from accord.robust import (
    BLOCK_SAMPLES,
    Indicator,
    Profiles,
    analyze_robustness,
    block_generator,
    evaluate_profiles,
    sample_block,
)
from accord.robust.engine import feasible_packages, indicator_matrix
from accord.robust.from_scenario import preference_model
from accord.robust.parameters import PreferenceModel
from accord.space import CompiledSpace, compile_space
from accord.space.compiled import NegotiatorRationals

SAMPLES = 3 * BLOCK_SAMPLES + 77
SEED = 5


# -- the indicators: module-level functions (they must pickle), bound with functools.partial --


def zopa_is_empty(profiles: Profiles, features: NDArray[np.float32]) -> NDArray[np.bool_]:
    none = np.zeros((features.shape[0], 0), dtype=np.float32)
    return evaluate_profiles(profiles.theta, profiles.reservation, features, none).empty_zopa


def proposal_outcome(
    profiles: Profiles,
    features: NDArray[np.float32],
    proposal: NDArray[np.float32],
    field: str,
) -> NDArray[np.bool_]:
    out = evaluate_profiles(profiles.theta, profiles.reservation, features, proposal)
    answer: NDArray[np.bool_] = getattr(out, field)[:, 0]
    return answer


def reservation_below(profiles: Profiles, negotiator: int, level: float) -> NDArray[np.bool_]:
    below: NDArray[np.bool_] = profiles.reservation[:, negotiator] < level
    return below


def _features(space: CompiledSpace) -> NDArray[np.float32]:
    return indicator_matrix(space.shape, feasible_packages(space))


def _proposal(space: CompiledSpace, pid: str) -> NDArray[np.float32]:
    package = dict(space.proposals)[pid]
    return indicator_matrix(space.shape, np.array([package], dtype=np.intp))


# -- relabelling a space and its sampled profiles ----------------------------------------------


def relabel(
    space: CompiledSpace, profiles: Profiles, order: list[int], issue: int, options: list[int]
) -> tuple[CompiledSpace, Profiles]:
    """The same space and profiles with the negotiators listed in ``order`` and issue
    ``issue``'s options in the order ``options`` (``options[new] = old``)."""
    contributions = list(space.contributions)
    contributions = [table[:, order] for table in contributions]
    contributions[issue] = contributions[issue][options]
    issues = list(space.issues)
    old = issues[issue]
    issues[issue] = dataclasses.replace(
        old,
        labels=tuple(old.labels[o] for o in options),
        numeric=None if old.numeric is None else tuple(old.numeric[o] for o in options),
    )
    new_of = {o: n for n, o in enumerate(options)}
    proposals = tuple(
        (pid, tuple(new_of[p] if i == issue else p for i, p in enumerate(package)))
        for pid, package in space.proposals
    )
    forbidden = tuple(
        dataclasses.replace(
            rule,
            options=tuple(
                (i, tuple(sorted(new_of[o] for o in opts)) if i == issue else opts)
                for i, opts in rule.options
            ),
        )
        for rule in space.forbidden
    )
    rationals: list[NegotiatorRationals | None] | None = None
    if space.rationals is not None:  # the exact numbers move with the floats they back
        rationals = []
        for j in order:
            given = space.rationals[j]
            if given is None:
                rationals.append(None)
                continue
            tables, reservation = given
            moved_tables = list(tables)
            moved_tables[issue] = tuple(tables[issue][o] for o in options)
            rationals.append((tuple(moved_tables), reservation))
    moved = dataclasses.replace(
        space,
        rationals=None if rationals is None else tuple(rationals),
        forbidden=forbidden,
        negotiators=tuple(space.negotiators[j] for j in order),
        issues=tuple(issues),
        contributions=tuple(contributions),
        reservation=space.reservation[order],
        proposals=proposals,
    )
    offset = sum(space.shape[:issue])
    columns = np.arange(profiles.theta.shape[2])
    columns[offset : offset + len(options)] = offset + np.asarray(options)
    theta = profiles.theta[order][:, :, columns]
    return moved, Profiles(theta, profiles.reservation[:, order], profiles.quantiles)


@pytest.fixture(scope="module")
def flatmates() -> tuple[CompiledSpace, PreferenceModel]:
    """The shared small scenario, with uncertain reservations, weights and values."""
    from conftest import BASE

    base: dict[str, Any] = json.loads(json.dumps(BASE))
    prefs = base["preferences"]
    prefs["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    prefs["ben"]["reservation"] = {"value": 0.3, "range": [0.1, 0.5]}
    prefs["ben"]["weights"]["dishes"] = {"dist": "normal", "mean": 1, "sd": 0.4}
    prefs["ben"]["values"]["dishes"]["shared"] = {"value": 5, "range": [2, 8]}
    from accord.model import Scenario

    scenario = Scenario.model_validate(base)
    return compile_space(scenario), preference_model(scenario)


def _dumps(value: object) -> str:
    return json.dumps(to_jsonable(value), sort_keys=True)


class IndicatorContract:
    """The tests every indicator gets; a subclass names it and says how it is built."""

    name: ClassVar[str]
    builtin: ClassVar[str | None] = None
    """The engine's own target that counts the same thing, if there is one."""

    def make(self, space: CompiledSpace) -> Indicator:
        raise NotImplementedError

    def test_pickles_and_answers_each_sample(self, flatmates: Any) -> None:
        space, model = flatmates
        indicator = self.make(space)
        profiles = sample_block(model, block_generator(SEED, 0), 50)
        answer = np.asarray(indicator.evaluate(profiles))
        assert answer.dtype == np.bool_ and answer.shape == (50,)

    def test_the_engine_counts_what_it_answers(self, flatmates: Any) -> None:
        space, model = flatmates
        indicator = self.make(space)
        report = analyze_robustness(
            space, model, samples=SAMPLES, seed=SEED, indicators=[indicator], processes=1
        )
        direct = 0
        for block in range(-(-SAMPLES // BLOCK_SAMPLES)):
            drawn = sample_block(model, block_generator(SEED, block), BLOCK_SAMPLES)
            keep = min(BLOCK_SAMPLES, SAMPLES - block * BLOCK_SAMPLES)
            cut = Profiles(drawn.theta[:, :keep], drawn.reservation[:keep], drawn.quantiles[:keep])
            direct += int(np.count_nonzero(indicator.evaluate(cut)))
        assert report.extra[self.name].count == direct
        if self.builtin is not None:
            ours = next(s for s in report.sensitivity if s.conclusion == self.name)
            theirs = next(s for s in report.sensitivity if s.conclusion == self.builtin)
            assert theirs.probability == ours.probability
            assert _dumps(theirs.ranking) == _dumps(ours.ranking)

    def test_the_same_bytes_whatever_the_workers(self, flatmates: Any) -> None:
        space, model = flatmates
        indicator = self.make(space)
        runs = {
            _dumps(
                next(
                    s
                    for s in analyze_robustness(
                        space,
                        model,
                        samples=SAMPLES,
                        seed=SEED,
                        indicators=[indicator],
                        processes=processes,
                        chunk_samples=chunk,
                    ).sensitivity
                    if s.conclusion == self.name
                )
            )
            for processes, chunk in [(1, None), (2, BLOCK_SAMPLES)]
        }
        assert len(runs) == 1

    @pytest.mark.parametrize("order", [[1, 0], [0, 1]])
    @pytest.mark.parametrize("options", [[2, 0, 1], [1, 2, 0]])
    def test_relabelling_negotiators_and_options_changes_no_answer(
        self, flatmates: Any, order: list[int], options: list[int]
    ) -> None:
        space, model = flatmates
        profiles = sample_block(model, block_generator(SEED, 1), 300)
        moved_space, moved_profiles = relabel(space, profiles, order, 0, options)
        before = self.make(space).evaluate(profiles)
        after = self.make(moved_space).evaluate(moved_profiles)
        assert np.array_equal(before, after)


class TestZopaIsEmpty(IndicatorContract):
    name = "no package is acceptable to every negotiator"
    builtin = "the ZOPA is empty"

    def make(self, space: CompiledSpace) -> Indicator:
        return Indicator(self.name, partial(zopa_is_empty, features=_features(space)))


class TestProposalInZopa(IndicatorContract):
    name = "p1 is acceptable to every negotiator"
    builtin = "p1 is in the ZOPA"

    def make(self, space: CompiledSpace) -> Indicator:
        evaluate = partial(
            proposal_outcome,
            features=_features(space),
            proposal=_proposal(space, "p1"),
            field="in_zopa",
        )
        return Indicator(self.name, evaluate)


class TestProposalParetoOptimal(IndicatorContract):
    name = "no feasible package dominates p1"
    builtin = "p1 is Pareto-optimal"

    def make(self, space: CompiledSpace) -> Indicator:
        evaluate = partial(
            proposal_outcome,
            features=_features(space),
            proposal=_proposal(space, "p1"),
            field="pareto_optimal",
        )
        return Indicator(self.name, evaluate)


class TestReservationBelow(IndicatorContract):
    name = "ana's reservation is below 0.4"

    def make(self, space: CompiledSpace) -> Indicator:
        ana = space.negotiators.index("ana")
        return Indicator(self.name, partial(reservation_below, negotiator=ana, level=0.4))


def test_every_kind_of_builtin_conclusion_but_the_solutions_has_a_contract() -> None:
    """The engine's targets: proposal in the ZOPA, proposal Pareto-optimal, a solution concept's
    package, the ZOPA empty.  The solutions' tie rule is being settled (issue 11, item 1)."""
    covered = {c.builtin for c in IndicatorContract.__subclasses__() if c.builtin}
    kinds = {b.replace("p1 ", "{proposal} ") for b in covered if b}
    assert kinds == {
        "{proposal} is in the ZOPA",
        "{proposal} is Pareto-optimal",
        "the ZOPA is empty",
    }
