"""Reading YAML scenario files: one pass over libyaml's events, positions included.

The text is parsed once, by libyaml's C parser where PyYAML has it (its pure-Python parser
otherwise), as a stream of events; this module builds the plain data from them with an explicit
stack (no recursion), and records each value's line and column as it goes. Working on events
rather than a composed node graph keeps memory near the size of the data and makes three limits
exact and cheap (see :mod:`accord.limits`):

* nesting deeper than ``MAX_NESTING`` levels is refused where it happens;
* an alias (``*name``) reuses the anchored value instead of copying it, and the values it
  repeats, counted expanded, are added up: past ``MAX_ALIAS_NODES`` the file is refused at the
  alias that crossed the budget (a nine-level "billion laughs" file stops at its first deep
  alias, in microseconds);
* an alias to a value still being read (a cycle) is refused.

One reading of values, the same as JSON's (YAML 1.2's core schema):

* mapping keys are always text, as in JSON (``1:`` and ``no:`` are the keys "1" and "no");
* only ``true``/``false`` (any capitalisation YAML 1.2 allows) are booleans;
* a plain number is a number: ``4e-1`` and ``1e5`` as well as ``0.4`` (YAML 1.1 read the first
  two as text), ``0x1f`` and ``0o17``; ``012`` is twelve (not YAML 1.1's octal ten);
  ``1_000``, ``1:30`` and dates stay text (dates are read from text by the schema, as from JSON);
* ``null``, ``~`` and an empty value are null;
* quoted and block scalars are always text; the only tags accepted are YAML's own
  ``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!map`` and ``!!seq``.

Syntax errors name where the parser gave up and, where the parser says so, where the open
bracket, quote or block began. Duplicate keys and unknown tags are collected as problems and
reported with the rest of the file's problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from accord import limits
from accord.model.document import Document, Positions
from accord.model.problems import Path, Problem, ScenarioError, ScenarioLimitExceeded

__all__ = ["read_yaml"]

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_MAX_DIGITS = 300  # longer decimal integers are read as floats (infinite, and refused as such)


def _number(text: str) -> int | float | None:
    """The number a plain scalar spells under YAML 1.2's core schema, or None."""
    if _DECIMAL.match(text):
        return int(text) if len(text) <= _MAX_DIGITS else float(text)
    if text[:2] in ("0x", "0o") and len(text) > 2:
        try:
            number = int(text[2:], 16 if text[1] == "x" else 8)
        except ValueError:
            return None
        return number if len(text) <= _MAX_DIGITS else float("inf")
    if _FLOAT.match(text):
        return float(text)
    if (m := _INF.match(text)) is not None:
        return float(f"{m[1]}inf")
    if _NAN.match(text):
        return float("nan")
    return None


def _plain(text: str) -> Any:
    if not text:
        return None
    if text[0] not in _MAYBE_NOT_TEXT:
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    number = _number(text)
    return text if number is None else number


_TAGGED: dict[str, Callable[[str], Any]] = {
    _CORE + "str": lambda t: t,
    _CORE + "null": lambda t: None if t in _NULLS else _NOT_READ,
    _CORE + "bool": lambda t: _BOOLS.get(t, _NOT_READ),
    _CORE + "int": lambda t: n if isinstance(n := _number(t), int) else _NOT_READ,
    _CORE + "float": lambda t: _NOT_READ if (n := _number(t)) is None else float(n),
}
_NOT_READ: Any = object()


def _at(mark: Any) -> int:
    line: int = mark.line  # document.pack, inlined: a hot path
    column: int = mark.column
    return ((line + 1) << 32) | (column + 1)


@dataclass
class _Open:
    """A mapping or list being read: the value, its positions, its anchor, its expanded size."""

    value: dict[str, Any] | list[Any]
    positions: dict[Any, int] | list[int]
    anchor: str | None
    at: int  # packed start position
    is_map: bool
    size: int = 1
    key: str | None = None  # a mapping's key waiting for its value
    key_at: int = 0
    key_wanted: bool = True
    path: Path = ()


@dataclass
class _Reader:
    file: str
    positions: Positions = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)
    anchors: dict[str, tuple[Any, int, bool]] = field(default_factory=dict)  # value, size, done
    expanded: int = 0
    root: Any = _NOT_READ
    root_at: int = 0
    documents: int = 0
    nesting: int = field(default_factory=lambda: limits.current("MAX_NESTING"))
    budget: int = field(default_factory=lambda: limits.current("MAX_ALIAS_NODES"))

    def problem(self, at: Any, path: Path, expected: str, found: str) -> None:
        self.problems.append(
            Problem(path, expected, found).located(self.file, at.line + 1, at.column + 1)
        )

    def path_here(self) -> Path:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if not top.is_map:
            return (*top.path, len(top.value))
        return (*top.path, top.key) if top.key is not None else top.path

    def add(self, value: Any, size: int, packed: int) -> None:
        """Put a finished value (starting at ``packed``) where the stack says it goes."""
        if not self.stack:
            self.root, self.root_at = value, packed
            return
        top = self.stack[-1]
        top.size += size
        if not top.is_map:
            top.value.append(value)  # type: ignore[union-attr]
            top.positions.append(packed)  # type: ignore[union-attr]
            return
        if top.key_wanted:  # only text reaches here as a key (see scalar)
            top.key, top.key_at, top.key_wanted = value, packed, False
            return
        key = top.key
        assert key is not None
        if key in top.value:
            line, column = divmod(top.key_at, 1 << 32)
            self.problems.append(
                Problem((*top.path, key), "each key once in a mapping", f"{key!r} again").located(
                    self.file, line, column
                )
            )
        top.value[key] = value  # type: ignore[call-overload]
        top.positions[key] = packed  # type: ignore[call-overload]
        top.key, top.key_wanted = None, True

    def scalar(self, event: Any) -> None:
        at = event.start_mark
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key_wanted:  # keys are text, as in JSON
            top.key, top.key_at, top.key_wanted = event.value, _at(at), False
            top.size += 1
            if event.anchor is not None:
                self.anchor(event.anchor, event.value, 1)
            return
        tag = event.tag
        if tag is None or tag == "!":
            value = _plain(event.value) if event.implicit[0] else event.value
        else:
            read = _TAGGED.get(tag)
            value = read(event.value) if read is not None else _NOT_READ
            if value is _NOT_READ:
                self.problem(
                    at,
                    self.path_here(),
                    "plain YAML values (the only tags accepted are !!str, !!int, !!float, "
                    "!!bool and !!null, on values they fit)",
                    f"{tag.replace(_CORE, '!!')} {event.value!r}",
                )
                value = None
        self.add(value, 1, _at(at))
        if event.anchor is not None:
            self.anchor(event.anchor, value, 1)

    def open(self, event: Any, value: dict[str, Any] | list[Any]) -> None:
        at = event.start_mark
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_map and top.key_wanted:
            raise self.fatal(at, "keys that are text", "a mapping or list used as a key")
        tag = event.tag
        if tag is not None and tag != "!" and tag not in (_CORE + "map", _CORE + "seq"):
            self.problem(
                at, self.path_here(), "plain YAML mappings and lists", tag.replace(_CORE, "!!")
            )
        path = self.path_here()
        if len(self.stack) >= self.nesting:
            raise self.fatal(
                at,
                f"at most {self.nesting} levels of nested mappings and lists "
                f"(a limit; {limits.how_to_raise('MAX_NESTING')} to raise it)",
                "deeper nesting",
                limit=True,
            )
        positions: dict[Any, int] | list[int] = {} if isinstance(value, dict) else []
        self.positions[id(value)] = positions
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, False)
        self.stack.append(
            _Open(value, positions, event.anchor, _at(at), isinstance(value, dict), path=path)
        )

    def close(self) -> None:
        done = self.stack.pop()
        if done.anchor is not None:
            self.anchors[done.anchor] = (done.value, done.size, True)
        self.add(done.value, done.size, done.at)

    def anchor(self, name: str | None, value: Any, size: int) -> None:
        if name is not None:
            self.anchors[name] = (value, size, True)

    def alias(self, event: Any) -> None:
        at = event.start_mark
        if self.stack and self.stack[-1].is_map and self.stack[-1].key_wanted:
            raise self.fatal(at, "keys that are text", f"the alias *{event.anchor} used as a key")
        found = self.anchors.get(event.anchor)
        if found is None:
            raise self.fatal(at, "an alias to an anchor defined above it", f"*{event.anchor}")
        value, size, done = found
        if not done:
            raise self.fatal(
                at, "an alias outside the value it names (no cycles)", f"*{event.anchor}"
            )
        self.expanded += size
        budget = self.budget
        if self.expanded > budget:
            raise self.fatal(
                at,
                f"aliases that repeat at most {budget:,} values in all (a limit against "
                f"alias bombs; {limits.how_to_raise('MAX_ALIAS_NODES')} to raise it)",
                f"*{event.anchor}, which brings the total to {self.expanded:,}",
                limit=True,
            )
        self.add(value, size, _at(at))

    def fatal(self, at: Any, expected: str, found: str, *, limit: bool = False) -> ScenarioError:
        problem = Problem(self.path_here(), expected, found).located(
            self.file, at.line + 1, at.column + 1
        )
        kind = ScenarioLimitExceeded if limit else ScenarioError
        return kind([*self.problems, problem], self.file)


def _syntax_error(error: yaml.YAMLError, text: str, file: str) -> ScenarioError:
    """A YAML syntax error as one problem: where the parser gave up, and where what it was
    reading began (the unclosed bracket, quote or block)."""
    mark = getattr(error, "problem_mark", None)
    what = getattr(error, "problem", None)
    if isinstance(error, yaml.reader.ReaderError):
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        found = f"character {error.character!r}: {error.reason}"
        return ScenarioError([Problem((), "valid YAML", found).located(file, line, column)], file)
    found = str(what or error).removeprefix("found ")
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and context_mark is not None:
        found += f" ({context} that began at line {context_mark.line + 1}, column "
        found += f"{context_mark.column + 1})"
    where: tuple[int | None, int | None] = (None, None)
    if mark is not None:
        where = (mark.line + 1, mark.column + 1)
    return ScenarioError([Problem((), "valid YAML", found).located(file, *where)], file)


def read_yaml(text: str, file: str) -> tuple[Document, list[Problem]]:
    """The document a YAML text holds, and the problems found while reading it.

    Raises :class:`ScenarioError` for a syntax error and :class:`ScenarioLimitExceeded` for a
    file past a limit; duplicate keys and unknown tags are returned as problems.
    """
    reader = _Reader(file)
    parser = _Parser(text)
    kinds = yaml.events
    try:
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is kinds.ScalarEvent:
                reader.scalar(event)
            elif kind is kinds.MappingStartEvent:
                reader.open(event, {})
            elif kind is kinds.SequenceStartEvent:
                reader.open(event, [])
            elif kind is kinds.MappingEndEvent or kind is kinds.SequenceEndEvent:
                reader.close()
            elif kind is kinds.AliasEvent:
                reader.alias(event)
            elif kind is kinds.DocumentStartEvent:
                reader.documents += 1
                if reader.documents > 1:
                    raise reader.fatal(
                        event.start_mark, "one YAML document", "a second document ('---')"
                    )
    except yaml.YAMLError as e:
        raise _syntax_error(e, text, file) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    data = None if reader.root is _NOT_READ else reader.root
    return Document(data, file, reader.root_at, reader.positions), reader.problems
