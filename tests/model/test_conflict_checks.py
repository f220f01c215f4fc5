"""The model's checks of a conflict section agree with the graph builder's, problem for problem.

Two independent implementations of the same rules: ``accord.model.conflict_checks`` (plain
Python, states as bits of one integer) and ``accord.gmcr.compile`` (numpy arrays). Hypothesis
draws conflicts with mistakes of every kind and holds the two to the same problems.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.gmcr.compile import conflict_problems as graph_problems
from accord.model.conflict import Conflict
from accord.model.conflict_checks import conflict_problems as model_problems

OPTIONS = ["a", "b", "c", "d", "e"]
states = st.text(alphabet="YNX", min_size=1, max_size=5)


@st.composite
def conflicts(draw: Any) -> dict[str, Any]:
    n_dms = draw(st.integers(2, 3))
    pool = draw(st.permutations(OPTIONS))
    sizes = [draw(st.integers(0, 2)) for _ in range(n_dms)]
    dms, start = [], 0
    for i, size in enumerate(sizes):
        options = list(pool[start : start + size])
        start += size
        if draw(st.booleans()) and options:
            options.append(draw(st.sampled_from(OPTIONS)))  # maybe a second owner
        dm: dict[str, Any] = {"id": f"dm{i}", "options": options}
        if draw(st.booleans()):
            ranking: list[Any] = draw(st.lists(states | st.lists(states, max_size=2), max_size=8))
            dm["ranking"] = ranking
        else:
            words = st.sampled_from([*OPTIONS, "and", "or", "not", "(", ")", "if", "then", "zz"])
            dm["prioritization"] = [
                " ".join(draw(st.lists(words, min_size=1, max_size=5)))
                for _ in range(draw(st.integers(1, 3)))
            ]
        dms.append(dm)
    infeasible = [
        draw(
            st.sampled_from(
                [
                    {"Y": draw(st.lists(st.sampled_from(OPTIONS), max_size=2))},
                    {"Y": ["a"], "N": draw(st.lists(st.sampled_from(OPTIONS), max_size=2))},
                    {
                        "mutually_exclusive": draw(
                            st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=3)
                        )
                    },
                    {
                        "at_least_one_of": draw(
                            st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=3)
                        )
                    },
                    {
                        "exactly_one_of": draw(
                            st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=3)
                        )
                    },
                ]
            )
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    infeasible = [p for p in infeasible if any(p.values())]
    out: dict[str, Any] = {"decision_makers": dms, "infeasible": infeasible}
    if draw(st.booleans()):
        out["irreversible"] = [
            {"option": draw(st.sampled_from(OPTIONS)), "direction": "N->Y"}
            for _ in range(draw(st.integers(0, 2)))
        ]
    if draw(st.booleans()):
        out["labels"] = {draw(states): draw(st.sampled_from(["x", "y", "YN"]))}
    if draw(st.booleans()):
        out["status_quo"] = draw(states)
    return out


@st.composite
def explicit_conflicts(draw: Any) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(["s1", "s2", "s3", "s4"]), min_size=1, max_size=4))
    refs = st.sampled_from([*names, "s9"])
    dms = []
    for i in range(2):
        moves = {
            draw(refs): draw(st.lists(refs, max_size=3)) for _ in range(draw(st.integers(0, 3)))
        }
        dm: dict[str, Any] = {"id": f"dm{i}", "moves": moves}
        dm["ranking"] = draw(st.lists(refs | st.lists(refs, max_size=2), max_size=5))
        dms.append(dm)
    return {"states": names, "decision_makers": dms}


def _same(data: dict[str, Any]) -> None:
    conflict = Conflict.model_validate(data)
    model = sorted((p.path, p.expected, p.found) for p in model_problems(conflict))
    graph = sorted((p.path, p.expected, p.found) for p in graph_problems(conflict))
    assert model == graph


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conflicts())
def test_option_form_problems_agree_with_the_graph_builder(data: dict[str, Any]) -> None:
    try:
        Conflict.model_validate(data)
    except ValueError:
        return  # a shape the schema refuses is not this test's business
    _same(data)


@settings(max_examples=150, deadline=None)
@given(explicit_conflicts())
def test_explicit_form_problems_agree_with_the_graph_builder(data: dict[str, Any]) -> None:
    _same(data)


def test_a_conflict_at_the_option_limit_is_checked_without_enumerating_states() -> None:
    """26 options are 2^26 states: the bit-set checks read a ranking's states, not all 67
    million of them one by one."""
    options = [f"o{k}" for k in range(26)]
    data = {
        "decision_makers": [
            {"id": "a", "options": options[:13], "prioritization": ["o0 and not o1"]},
            {"id": "b", "options": options[13:], "ranking": ["Y" * 26]},
        ],
        "infeasible": [{"at_least_one_of": options[:13]}],
    }
    (problem,) = model_problems(Conflict.model_validate(data))
    assert problem.path == ("conflict", "decision_makers", 1, "ranking")
    assert problem.found.startswith(f"{(2**13 - 1) * 2**13 - 1:,}".replace(",", "") + " missing")


def test_deeply_nested_statements_are_refused_not_a_recursion_error() -> None:
    data = {
        "decision_makers": [
            {"id": "a", "options": ["x"], "prioritization": ["(" * 5000 + "x" + ")" * 5000]},
            {"id": "b", "options": ["y"], "prioritization": ["not " * 5000 + "y"]},
        ]
    }
    problems = model_problems(Conflict.model_validate(data))
    assert len(problems) == 2
    assert all("levels of parentheses and 'not'" in p.found for p in problems)
