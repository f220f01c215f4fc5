"""GMCR preference statements: their grammar and parser (the scoring is in accord.gmcr).

A decision maker's ``prioritization`` lists statements over its conflict's options, most
important first (Fang, Hipel, Kilgour & Peng 2003, "A decision support system for interactive
decision making - Part I: model formulation", *IEEE Trans. SMC-C* 33(1), 42-55, sec. IV-C).
Parsing needs nothing but the text and the option ids, so it lives with the model: the
scenario's checks report a statement that does not parse at its own path, and
:mod:`accord.gmcr.prioritization` scores the parsed statements over the states.

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
from collections.abc import Sequence
from dataclasses import dataclass

from accord import limits

__all__ = ["KEYWORDS", "Statement", "StatementError", "parse_statement"]

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

    Raises :class:`StatementError` with the position of the first mistake, and for nesting
    deeper than ``MAX_STATEMENT_NESTING`` (:mod:`accord.limits`) levels.

    Long because it holds one small closure per rule of the grammar, all sharing the token
    position and the nesting depth; split into module functions they would pass both around in
    every call.
    """
    tokens = _tokenize(text)
    known = set(options) if options is not None else None
    i = 0
    depth, limit = 0, limits.current("MAX_STATEMENT_NESTING")

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

    def deeper() -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise StatementError(
                f"more than {limit} levels of parentheses and 'not' (a limit; "
                f"{limits.how_to_raise('MAX_STATEMENT_NESTING')} to raise it)",
                text,
                where(),
            )

    def negation() -> Statement:
        nonlocal i, depth
        tok = peek()
        if tok == "not":
            i += 1
            deeper()
            out = Statement("not", (negation(),))
            depth -= 1
            return out
        if tok == "(":
            i += 1
            deeper()
            inner = statement()
            expect(")")
            depth -= 1
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
