"""Reading what can be read of a scenario whose shape is wrong, to check its references too.

When a file fails the schema, every section is validated on its own, and every item of a list
section (a party, an issue, a plan) and every entry of a mapping section (a party's preferences)
on its own, so that one broken part does not hide the others' problems. An unknown key carries
no meaning, so a part whose only mistakes are unknown keys is read without them (and any
mistake that was hiding behind them is reported too). A part that still cannot be read is left
out, and its id, when the file gives one, is recorded as *unread*: the cross-reference checks
then run on the parts that were read, and a reference to an unread part is not called unknown
(see :class:`~accord.model.refs.Known`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from accord.model.locations import document_path, problems_from, unknown_key
from accord.model.problems import Path, Problem
from accord.model.refs import Known
from accord.model.schema import Scenario

__all__ = ["Readable", "readable_part"]

_PLACEHOLDERS = {"accord": 1, "title": "(title not read)"}


@dataclass
class Readable:
    """The readable part of a scenario, its shape problems, and how to map its paths back.

    ``index_of[section][k]`` is the file's index of the ``k``-th item that was read.
    """

    scenario: Scenario | None
    known: Known | None
    problems: list[Problem] = field(default_factory=list)
    index_of: dict[str, list[int]] = field(default_factory=dict)

    def in_file(self, problem: Problem) -> Problem:
        """A problem found on the readable part, with its path as the file has it."""
        path = problem.path
        if len(path) > 1 and isinstance(path[1], int) and path[0] in self.index_of:
            path = (path[0], self.index_of[str(path[0])][path[1]], *path[2:])
            return Problem(path, problem.expected, problem.found, problem.warning)
        return problem


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def _without_unknown_keys(value: Any, error: ValidationError, tp: Any) -> Any:
    """A copy of ``value`` without the keys the error calls unknown (None if there are none)."""
    paths = [
        document_path(tp, tuple(e["loc"])).path
        for e in error.errors(include_url=False)
        if e["type"] == "extra_forbidden"
    ]
    if not paths:
        return None
    value = copy.deepcopy(value)
    for path in paths:
        node = value
        try:
            for part in path[:-1]:
                node = node[part]
            del node[path[-1]]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _read(tp: Any, value: Any, prefix: Path) -> tuple[Any, bool, list[Problem]]:
    """Validate one part: (the value, whether it could be read, its problems)."""
    try:
        return _adapter(tp).validate_python(value), True, []
    except ValidationError as e:
        problems = list(problems_from(e, tp, prefix))
        cleaned = _without_unknown_keys(value, e, tp)
    if cleaned is None:
        return None, False, problems
    try:
        return _adapter(tp).validate_python(cleaned), True, problems
    except ValidationError as e:
        return None, False, problems + list(problems_from(e, tp, prefix))


def _id_of(item: Any) -> str | None:
    ident = item.get("id") if isinstance(item, dict) else None
    return ident if isinstance(ident, str) else None


def readable_part(data: dict[str, Any]) -> Readable:
    """Every shape problem of ``data`` and the scenario made of the parts that could be read."""
    out = Readable(None, None)
    fields = {info.alias or name: info for name, info in Scenario.model_fields.items()}
    repaired: dict[str, Any] = {}
    unread: dict[str, set[str]] = {}
    whole: set[str] = set()
    for key in data:
        if key not in fields:
            out.problems.append(unknown_key((key,), Scenario))
    for key, info in fields.items():
        if key not in data:
            if info.is_required():
                out.problems.append(Problem((key,), f"the required key {key!r}", "nothing"))
                repaired[key] = _PLACEHOLDERS[key]
            continue
        tp, value = info.annotation, data[key]
        origin, args = get_origin(tp), get_args(tp)
        if origin is tuple and isinstance(value, list):
            items, read_ids = [], []
            for k, item in enumerate(value):
                result, ok, problems = _read(args[0], item, (key, k))
                out.problems += problems
                if ok:
                    items.append(result)
                    read_ids.append(k)
                elif (ident := _id_of(item)) is not None:
                    unread.setdefault(key, set()).add(ident)
            repaired[key], out.index_of[key] = tuple(items), read_ids
        elif origin is dict and isinstance(value, dict):
            entries = {}
            for name, entry in value.items():
                result, ok, problems = _read(dict[args[0], args[1]], {name: entry}, (key,))  # type: ignore[valid-type]
                out.problems += problems
                if ok:
                    entries.update(result)
                else:
                    unread.setdefault(key, set()).add(str(name))
            repaired[key] = entries
        else:
            result, ok, problems = _read(info.rebuild_annotation(), value, (key,))
            out.problems += problems
            if ok:
                repaired[key] = result
            else:
                whole.add(key)
                if key in _PLACEHOLDERS:
                    repaired[key] = _PLACEHOLDERS[key]
    try:
        out.scenario = Scenario.model_validate(repaired)
    except ValidationError:  # pragma: no cover - every part was validated above
        return out
    frozen = {k: frozenset(v) for k, v in unread.items()}
    out.known = Known.of(out.scenario, frozen, whole)
    return out
