"""Option prioritization: preferences from ordered statements over options.

A decision maker lists preference statements from most to least important.
Each statement is a logical formula over options ("the truce holds and the
hostages are released at once").  Its truth value is computed per state, and
a state's score is ``sum(2**k for each true statement k)`` where ``k`` counts
from the *bottom* of the list (the least important statement weighs
``2**0 = 1``, the most important ``2**(q-1)``).  A true statement is thus
worth more than every less important statement together, so states are
ordered lexicographically by the truth of the statements, and equal scores
are ties.  This is the scoring of GMCR II (Fang, Hipel, Kilgour & Peng 2003,
"A decision support system for interactive decision making - Part I: model
formulation", *IEEE Trans. SMC-C* 33(1), 42-55, sec. IV-C, option
prioritization) and of GMCR+ (Kinsara, Petersons, Hipel & Kilgour 2015,
"Advanced decision support for the graph model for conflict resolution",
*Journal of Decision Systems* 24(2), 117-145).

Grammar of a statement (keywords are lower case; option ids are any other
word of letters, digits, ``_``, ``-`` and ``.``)::

    statement := "if" disjunction "then" disjunction
               | disjunction [ "iff" disjunction ]
    disjunction := conjunction { "or" conjunction }
    conjunction := negation { "and" negation }
    negation := "not" negation | "(" statement ")" | OPTION_ID

``if A then B`` is true unless A holds and B does not (GMCR II's conditional
statement); ``A iff B`` is true when both or neither hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from accord.model.statements import KEYWORDS, Statement, StatementError, parse_statement

__all__ = [
    "KEYWORDS",
    "Statement",
    "StatementError",
    "parse_statement",
    "prioritization_scores",
    "statement_truth",
]


# The grammar and the parser live with the model (the scenario's checks parse statements).
def statement_truth(
    statement: Statement, codes: NDArray[np.int64], bit_of: Mapping[str, int]
) -> NDArray[np.bool_]:
    """Truth of ``statement`` at each state code (option ``o`` is bit ``bit_of[o]``)."""
    op, args = statement.op, statement.args
    if op == "option":
        return ((codes >> bit_of[statement.option]) & 1).astype(bool)
    vals = [statement_truth(a, codes, bit_of) for a in args]
    if op == "not":
        return ~vals[0]
    if op == "and":
        out = vals[0].copy()
        for v in vals[1:]:
            out &= v
        return out
    if op == "or":
        out = vals[0].copy()
        for v in vals[1:]:
            out |= v
        return out
    if op == "if":
        return ~vals[0] | vals[1]
    if op == "iff":
        same: NDArray[np.bool_] = vals[0] == vals[1]
        return same
    raise ValueError(f"unknown operator {op!r}")  # pragma: no cover


def prioritization_scores(
    statements: Sequence[Statement | str], bit_of: Mapping[str, int], n_options: int
) -> NDArray[np.int64]:
    """Scores of all ``2**n_options`` codes from statements listed most important first.

    Statement ``k`` from the bottom (``k = 0`` for the last) weighs ``2**k``
    (Fang et al. 2003, Part I, sec. IV-C; GMCR+, Kinsara et al. 2015).
    """
    if len(statements) > 62:
        raise ValueError("at most 62 preference statements per decision maker")
    codes = np.arange(1 << n_options, dtype=np.int64)
    score = np.zeros(1 << n_options, dtype=np.int64)
    q = len(statements)
    for k, st in enumerate(statements):
        parsed = parse_statement(st, list(bit_of)) if isinstance(st, str) else st
        score += statement_truth(parsed, codes, bit_of).astype(np.int64) << (q - 1 - k)
    return score
