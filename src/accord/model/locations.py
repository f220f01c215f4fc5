"""Schema errors as problems: pydantic's error locations read through the schema's own fields.

A pydantic error location mixes the document's keys and indices with the tags of the unions it
went through (``preferences.ana.weights.rent.uniform``, where ``uniform`` is the estimate form
tried). :func:`document_path` walks the location alongside the schema's own type annotations:
a model consumes a field's key (its alias, as the file writes it), a mapping a key, a list an
index, and a tagged union the tag it chose, which is left out of the path because the schema
says it is a tag, not because of how it is spelled. Every union in the schema is tagged (with a
callable discriminator), so no element of a location is ever guessed. The walk also knows which
section an unknown key was found in, so the message can offer the closest key that section
defines (did-you-mean).
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag, ValidationError

from accord.model.problems import Path, Problem
from accord.model.refs import did_you_mean

__all__ = ["Where", "document_path", "problems_from", "unknown_key"]


@dataclass(frozen=True)
class Where:
    """Where an error location points in the document.

    ``path`` is the document path; ``model`` the schema class whose keys the last element was
    read against (for an unknown key: the section it was found in); ``complete`` is False when
    the location could not be followed to its end through the schema (then ``path`` keeps every
    remaining key and index, so it is still the best place to report).
    """

    path: Path
    model: type[BaseModel] | None
    complete: bool


def _unwrap(tp: Any) -> Any:
    """The type itself, without ``Annotated``; for a type the file writes in another form
    (``written_as``: a citation, written as an id or a mapping), that form."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        elif isinstance(tp, type) and (written := getattr(tp, "written_as", None)) is not None:
            tp = written
        else:
            return tp


def _tag(tp: Any) -> str | None:
    if get_origin(tp) is Annotated:
        for meta in get_args(tp)[1:]:
            if isinstance(meta, Tag):
                return meta.tag
    return None


def _members(tp: Any) -> list[Any] | None:
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return [a for a in get_args(tp) if a is not type(None)]
    return None


def _field(model: type[BaseModel], key: Any) -> Any:
    for name, info in model.model_fields.items():
        if key == (info.alias or name) or key == name:
            return info.annotation
    return None


def document_path(root: Any, loc: tuple[str | int, ...]) -> Where:
    """Follow a pydantic error location ``loc`` through the type ``root`` (see the module)."""
    path: list[str | int] = []
    tp, model = root, None
    rest = list(loc)
    while rest:
        tp = _unwrap(tp)
        members = _members(tp)
        if members is not None:
            if len(members) == 1:
                tp = members[0]
                continue
            tags: dict[object, Any] = {_tag(m): m for m in members}
            if rest[0] in tags:
                tp = tags[rest.pop(0)]
                continue
            return Where((*path, *rest), model, False)
        head = rest[0]
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            model = tp
            rest.pop(0)
            path.append(head)
            tp = _field(tp, head)
            if tp is None:  # a key this model does not define
                return Where((*path, *rest), model, not rest)
        elif origin is dict:
            rest.pop(0)
            path.append(head)
            if rest and rest[0] == "[key]":
                return Where(tuple(path), model, len(rest) == 1)
            tp = get_args(tp)[1]
        elif origin in (tuple, list) and isinstance(head, int):
            rest.pop(0)
            path.append(head)
            args = get_args(tp)
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                tp = args[head] if head < len(args) else None
            else:
                tp = args[0]
        else:
            return Where((*path, *rest), model, False)
    return Where(tuple(path), model, True)


def _short(value: Any, limit: int = 80) -> str:
    try:
        text = repr(value)
    except RecursionError:  # a deeply nested value (within the nesting limit)
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


_PLAIN_WORDS = {
    "a valid tuple": "a list",
    "a valid list": "a list",
    "a valid dictionary": "a mapping",
    "a valid string": "text",
    "a valid number": "a number",
    "a valid integer": "a whole number",
    "a valid boolean": "true or false",
}


def _keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def unknown_key(path: Path, model: type[BaseModel] | None) -> Problem:
    """An unknown key at ``path`` in a section of class ``model``, with a did-you-mean."""
    key = path[-1] if path else ""
    return Problem(
        path,
        "only the keys this section defines (see `accord schema`)",
        f"the unknown key {key!r}{did_you_mean(str(key), _keys(model))}"
        if path
        else "an unknown key",
    )


def problems_from(error: ValidationError, root: Any, prefix: Path = ()) -> Iterator[Problem]:
    """One problem per error of ``error``, raised validating data of type ``root`` found at
    ``prefix`` in the document."""
    for err in error.errors(include_url=False):
        where = document_path(root, tuple(err["loc"]))
        path: Path = (*prefix, *where.path)
        kind = err["type"]
        if kind == "missing":
            yield Problem(path, f"the required key {path[-1]!r}" if path else "a value", "nothing")
        elif kind == "extra_forbidden":
            yield unknown_key(path, where.model)
        else:
            msg = re.sub(r"^(Input should be |Value error, |Assertion failed, )", "", err["msg"])
            yield Problem(path, _PLAIN_WORDS.get(msg, msg), _short(err.get("input")))
