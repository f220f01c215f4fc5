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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Statement",
    "StatementError",
    "parse_statement",
    "prioritization_scores",
    "statement_truth",
]

KEYWORDS = frozenset({"and", "or", "not", "if", "then", "iff"})
_TOKEN = re.compile(r"\s*(?:(\()|(\))|([A-Za-z0-9_.\-]+))")


class StatementError(ValueError):
    """A preference statement that does not parse or names an unknown option."""

    def __init__(self, message: str, text: str, position: int) -> None:
        self.message, self.text, self.position = message, text, position
        super().__init__(f"{message} at character {position + 1} of {text!r}")


@dataclass(frozen=True)
class Statement:
    """A parsed statement: ``op`` is ``"option"``, ``"not"``, ``"and"``, ``"or"``,
    ``"if"`` or ``"iff"``; ``args`` are sub-statements, ``option`` the option id."""

    op: str
    args: tuple[Statement, ...] = ()
    option: str = ""

    def __str__(self) -> str:
        if self.op == "option":
            return self.option
        if self.op == "not":
            return f"not {self.args[0]}"
        if self.op == "if":
            return f"(if {self.args[0]} then {self.args[1]})"
        return "(" + f" {self.op} ".join(str(a) for a in self.args) + ")"


def _tokenize(text: str) -> list[tuple[str, int]]:
    tokens: list[tuple[str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None:
            bad = len(text) - len(text[pos:].lstrip())
            raise StatementError(f"unexpected character {text[bad]!r}", text, bad)
        start = m.start(m.lastindex or 0)
        tokens.append((m.group(m.lastindex or 0), start))
        pos = m.end()
    return tokens


def parse_statement(text: str, options: Sequence[str] | None = None) -> Statement:
    """Parse one preference statement; with ``options``, every option id must be one of them.

    Raises :class:`StatementError` with the position of the first mistake.
    """
    tokens = _tokenize(text)
    known = set(options) if options is not None else None
    i = 0

    def peek() -> str | None:
        return tokens[i][0] if i < len(tokens) else None

    def where() -> int:
        return tokens[i][1] if i < len(tokens) else len(text)

    def expect(word: str) -> None:
        nonlocal i
        if peek() != word:
            found = f"{peek()!r}" if peek() is not None else "the end"
            raise StatementError(f"expected {word!r}, found {found}", text, where())
        i += 1

    def statement() -> Statement:
        nonlocal i
        if peek() == "if":
            i += 1
            cond = disjunction()
            expect("then")
            return Statement("if", (cond, disjunction()))
        left = disjunction()
        if peek() == "iff":
            i += 1
            return Statement("iff", (left, disjunction()))
        return left

    def disjunction() -> Statement:
        nonlocal i
        parts = [conjunction()]
        while peek() == "or":
            i += 1
            parts.append(conjunction())
        return parts[0] if len(parts) == 1 else Statement("or", tuple(parts))

    def conjunction() -> Statement:
        nonlocal i
        parts = [negation()]
        while peek() == "and":
            i += 1
            parts.append(negation())
        return parts[0] if len(parts) == 1 else Statement("and", tuple(parts))

    def negation() -> Statement:
        nonlocal i
        tok = peek()
        if tok == "not":
            i += 1
            return Statement("not", (negation(),))
        if tok == "(":
            i += 1
            inner = statement()
            expect(")")
            return inner
        if tok is None:
            raise StatementError("expected an option id, found the end", text, where())
        if tok in KEYWORDS or tok == ")":
            raise StatementError(f"expected an option id, found {tok!r}", text, where())
        if known is not None and tok not in known:
            raise StatementError(f"unknown option {tok!r}", text, where())
        i += 1
        return Statement("option", option=tok)

    if not tokens:
        raise StatementError("empty statement", text, 0)
    out = statement()
    if i != len(tokens):
        raise StatementError(f"unexpected {tokens[i][0]!r}", text, where())
    return out


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
