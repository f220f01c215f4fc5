"""Option prioritization: statement grammar and GMCR II / GMCR+ scoring."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.gmcr.prioritization import (
    StatementError,
    parse_statement,
    prioritization_scores,
    statement_truth,
)

BITS = {"a": 0, "b": 1, "c": 2}


def truth(text: str) -> list[bool]:
    codes = np.arange(8, dtype=np.int64)
    return statement_truth(parse_statement(text, list(BITS)), codes, BITS).tolist()


def test_connectives_follow_their_truth_tables() -> None:
    for code in range(8):
        a, b, c = bool(code & 1), bool(code & 2), bool(code & 4)
        assert truth("a and not b")[code] == (a and not b)
        assert truth("a or b and c")[code] == (a or (b and c))  # and binds tighter
        assert truth("(a or b) and c")[code] == ((a or b) and c)
        assert truth("if a then b")[code] == ((not a) or b)
        assert truth("a iff not c")[code] == (a == (not c))
        assert truth("not not a")[code] == a


def test_scores_weigh_statement_k_from_the_bottom_by_two_to_the_k() -> None:
    # two statements: "a" (top, weight 2) and "b" (bottom, weight 1)
    scores = prioritization_scores(["a", "b"], BITS, 3)
    for code in range(8):
        assert scores[code] == 2 * (code & 1) + ((code >> 1) & 1)


def test_more_important_statement_outweighs_all_below() -> None:
    """A state that satisfies the top statement beats every state that does not,
    whatever the lower statements say (lexicographic order of truth values)."""
    statements = ["a", "not b", "c", "if a then c"]
    scores = prioritization_scores(statements, BITS, 3)
    codes = np.arange(8, dtype=np.int64)
    truths = [
        tuple(statement_truth(parse_statement(s), np.array([code]), BITS)[0] for s in statements)
        for code in codes
    ]
    for x, y in itertools.combinations(range(8), 2):
        assert (scores[x] > scores[y]) == (truths[x] > truths[y])
        assert (scores[x] == scores[y]) == (truths[x] == truths[y])


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("a and", "expected an option id, found the end", 5),
        ("a b", "unexpected 'b'", 2),
        ("if a b", "expected 'then', found 'b'", 5),
        ("(a or b", "expected ')', found the end", 7),
        ("a and zz", "unknown option 'zz'", 6),
        ("", "empty statement", 0),
        ("a & b", "unexpected character '&'", 2),
        ("not and", "expected an option id, found 'and'", 4),
    ],
)
def test_parse_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(StatementError) as err:
        parse_statement(text, list(BITS))
    assert err.value.message == message
    assert err.value.position == position


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.sampled_from(["a", "b", "c"]),
        lambda inner: st.one_of(
            st.tuples(st.just("not"), inner).map(lambda t: f"not {t[1]}"),
            st.tuples(inner, st.sampled_from(["and", "or", "iff", "then"]), inner).map(
                lambda t: (
                    f"(if {t[0]} then {t[2]})" if t[1] == "then" else f"({t[0]} {t[1]} {t[2]})"
                )
            ),
        ),
        max_leaves=8,
    )
)
def test_printing_a_parsed_statement_parses_back_to_the_same_truth(text: str) -> None:
    parsed = parse_statement(text)
    assert truth(str(parsed)) == truth(text)
