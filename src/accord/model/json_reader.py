"""Reading JSON scenario files: the standard library's C parser, positions only when needed.

The text is parsed once, by :func:`json.loads`. Positions are not needed for a valid file, so
none are computed then; when a problem must be located, :func:`positions` scans the text's
tokens once (a small pure-Python scanner, on the error path only) and lines them up with the
parsed data. Duplicate keys are found while parsing (the last value is kept, as every JSON
reader does, and the duplicate is reported); nesting deeper than ``MAX_NESTING`` levels is
refused (see :mod:`accord.limits`). Integers of more than 300 digits are read as (infinite)
floats and refused by the schema as numbers that are not finite, never as a traceback.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from accord import limits
from accord.model.document import Document, Positions, pack
from accord.model.problems import Path, Problem, ScenarioError, ScenarioLimitExceeded

__all__ = ["positions", "read_json"]

_MAX_DIGITS = 300
_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\],:])|([^\s{}\[\],:"]+))', re.S)


class _Repeated(dict[str, Any]):
    """A JSON object that wrote some key more than once (``repeated`` names them)."""

    repeated: list[str]


def _object_hook(found: list[_Repeated]) -> Any:
    """A pairs hook that keeps the last value of a repeated key and notes the object."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) == len(pairs):
            return out
        repeated = _Repeated(out)
        seen: set[str] = set()
        repeated.repeated = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
        found.append(repeated)
        return repeated

    return hook


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def _fits(brackets: str, limit: int) -> bool:
    """Whether removing every innermost empty pair, ``limit`` times, leaves nothing."""
    for _ in range(limit):
        if not brackets:
            return True
        brackets = _EMPTY_PAIR.sub("", brackets)
    return not brackets


def _deeper_than(text: str, limit: int) -> bool:
    """Whether the objects and lists of a (valid) JSON text nest more than ``limit`` deep.

    C-speed passes over the brackets alone, at most ``limit`` of them. Brackets inside strings
    can only make the first, quick test fail (never pass) wrongly, so it is confirmed with the
    strings left out before a file is refused.
    """
    if _fits(_NOT_BRACKET.sub("", text), limit):
        return False
    return not _fits(_NOT_BRACKET.sub("", _STRING.sub("", text)), limit)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogates(data: Any) -> list[Problem]:
    """Text holding half of a UTF-16 pair (``"\\ud800"`` alone), which no output can print."""
    out: list[Problem] = []
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                out.append(
                    Problem(path, "text with whole characters", "half of a UTF-16 surrogate pair")
                )
        elif isinstance(node, dict):
            for k, v in node.items():
                if _SURROGATE.search(k):
                    out.append(
                        Problem(path, "keys with whole characters", "half of a surrogate pair")
                    )
                stack.append((v, (*path, k)))
        elif isinstance(node, list):
            stack.extend((v, (*path, j)) for j, v in enumerate(node))
    return out


def _int(text: str) -> int | float:
    return int(text) if len(text) <= _MAX_DIGITS else float(text)


class _Lines:
    """Offsets to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _tokens(text: str, stop: int | None = None) -> list[tuple[str, int, int]]:
    """The JSON tokens (kind, start, end): kind ``s`` a string, ``v`` a number or word, else
    the punctuation itself. Lenient: it stops quietly where the text stops being JSON."""
    out: list[tuple[str, int, int]] = []
    pos, end = 0, len(text) if stop is None else stop
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        kind = "s" if m.lastindex == 1 else m[2] if m.lastindex == 2 else "v"
        out.append((kind, m.start(m.lastindex or 0), m.end()))
        pos = m.end()
    return out


def _key(text: str) -> str | None:
    try:
        key = json.loads(text)
    except ValueError:
        return None
    return key if isinstance(key, str) else None


def positions(text: str, data: Any) -> Positions:
    """The positions of every value of ``data`` (parsed from ``text``), by scanning its tokens."""
    where = _Lines(text)
    out: Positions = {}
    # each open object or list: [its data value (None when not lined up), its positions,
    # the key waiting for its value, how many items so far, "{" or "["]
    stack: list[list[Any]] = []
    expect_key = False
    for kind, offset, end in _tokens(text):
        if kind in ",:":
            continue
        if kind in "}]":
            if stack:
                stack.pop()
            expect_key = bool(stack) and stack[-1][4] == "{"
            continue
        if expect_key:
            stack[-1][2] = _key(text[offset:end])
            expect_key = False
            continue
        node = _place(stack, data, pack(*where(offset)))
        if kind in "{[":
            fits = isinstance(node, dict) if kind == "{" else isinstance(node, list)
            table: Any = ({} if kind == "{" else []) if fits else None
            if fits:
                out[id(node)] = table
            stack.append([node if fits else None, table, None, 0, kind])
            expect_key = kind == "{"
        else:
            expect_key = bool(stack) and stack[-1][4] == "{"
    return out


def _place(stack: list[list[Any]], data: Any, packed: int) -> Any:
    """Record where the next value of the innermost open object or list starts; its data."""
    if not stack:
        return data
    frame = stack[-1]
    value, table = frame[0], frame[1]
    if frame[4] == "{":
        key = frame[2]
        if table is not None:
            table[key] = packed
        return value.get(key) if isinstance(value, dict) else None
    index = frame[3]
    frame[3] += 1
    if table is not None:
        table.append(packed)
    return value[index] if isinstance(value, list) and index < len(value) else None


def _open_bracket_before(text: str, offset: int) -> str:
    """Where the innermost bracket still open at ``offset`` began, as words (or '')."""
    where = _Lines(text)
    open_at: list[tuple[str, int]] = []
    for kind, start, _ in _tokens(text, offset):
        if kind in "{[":
            open_at.append((kind, start))
        elif kind in "}]" and open_at:
            open_at.pop()
    if not open_at:
        return ""
    kind, start = open_at[-1]
    line, column = where(start)
    what = "object" if kind == "{" else "list"
    return f" (in the {what} that began at line {line}, column {column})"


def _too_deep(text: str, file: str) -> ScenarioLimitExceeded:
    """The refusal of nesting past the limit, at the first bracket past it."""
    limit = limits.current("MAX_NESTING")
    depth, line, column = 0, None, None
    for kind, start, _ in _tokens(text):
        if kind in "{[":
            depth += 1
            if depth > limit:
                line, column = _Lines(text)(start)
                break
        elif kind in "}]":
            depth -= 1
    problem = Problem(
        (),
        f"at most {limit} levels of nested objects and lists (a limit; "
        f"{limits.how_to_raise('MAX_NESTING')} to raise it)",
        "deeper nesting",
    )
    return ScenarioLimitExceeded([problem.located(file, line, column)], file)


def _repeats(data: Any, found: list[_Repeated]) -> list[Problem]:
    """The repeated keys of the objects in ``found``, at their paths in ``data``."""
    wanted = {id(x) for x in found}
    problems: list[Problem] = []
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack and wanted:
        node, path = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted and isinstance(node, _Repeated):
                wanted.discard(id(node))
                problems += [
                    Problem((*path, k), "each key once in an object", f"{k!r} again")
                    for k in node.repeated
                ]
            stack.extend((v, (*path, k)) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend((v, (*path, k)) for k, v in enumerate(node) if isinstance(v, dict | list))
    return problems


def read_json(text: str, file: str) -> tuple[Document, list[Problem]]:
    """The document a JSON text holds, and the problems found while reading it (repeated keys).

    Raises :class:`ScenarioError` for a syntax error and :class:`ScenarioLimitExceeded` for
    nesting past the limit.
    """
    repeated: list[_Repeated] = []
    try:
        data = json.loads(text, object_pairs_hook=_object_hook(repeated), parse_int=_int)
    except json.JSONDecodeError as e:
        found = e.msg + _open_bracket_before(text, e.pos)
        raise ScenarioError(
            [Problem((), "valid JSON", found).located(file, e.lineno, e.colno)], file
        ) from None
    except RecursionError:
        raise _too_deep(text, file) from None
    if _deeper_than(text, limits.current("MAX_NESTING")):
        raise _too_deep(text, file)
    problems = _repeats(data, repeated) if repeated else []
    if _SURROGATE_ESCAPE.search(text):
        problems += _lone_surrogates(data)
    return Document(data, file, compute_positions=lambda d: positions(text, d)), problems
