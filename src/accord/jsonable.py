"""Turning analysis results into JSON-ready values: the one serialiser, at the edge.

Every result of accord is a frozen dataclass; :func:`to_jsonable` turns any of them (and the
mappings, sequences, numpy values and enums inside) into plain JSON types, field by field in
declaration order, so a result's field names are its JSON keys.  Nothing else writes JSON
shapes: the CLI prints ``to_jsonable(result)``, the service will return it.

Three per-field choices, given as dataclass field metadata, cover what a key-for-key copy
cannot say:

* :data:`OMIT_IF_NONE`: leave the key out when the value is None (an optional part of a
  result, such as the status-quo paths that ``accord stability`` adds only on request);
* :data:`INLINE`: write the value's own keys in place of the field (a result that extends
  another one, keeping the other's keys at the top level);
* :data:`NOT_SERIALISED`: a field a view reads but JSON does not carry.

Non-finite floats become ``None`` (JSON has no NaN or infinity).  A ``str`` subclass is
written as its text, a date as ISO text (``2024-02-13``).
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import math
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["INLINE", "NOT_SERIALISED", "OMIT_IF_NONE", "to_jsonable"]

_KEY: Final = "accord.json"
OMIT_IF_NONE: Final[Mapping[str, str]] = {_KEY: "omit-if-none"}
INLINE: Final[Mapping[str, str]] = {_KEY: "inline"}
NOT_SERIALISED: Final[Mapping[str, str]] = {_KEY: "not-serialised"}


def _dataclass_to_jsonable(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        how = f.metadata.get(_KEY)
        item = getattr(value, f.name)
        if how == "not-serialised" or (how == "omit-if-none" and item is None):
            continue
        if how == "inline":
            inner = to_jsonable(item)
            if not isinstance(inner, dict):
                raise TypeError(f"{type(value).__name__}.{f.name}: only an object can be inlined")
            out.update(inner)
            continue
        out[f.name] = to_jsonable(item)
    return out


def to_jsonable(value: Any) -> Any:
    """Recursively convert dataclasses, numpy values, tuples and enums to JSON types."""
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, str | bool | int | None):  # the common leaves first
        return value if not isinstance(value, str) or type(value) is str else str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_to_jsonable(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime.date):  # a day of the scenario: ISO text, as the file writes it
        return value.isoformat()
    import numpy as np  # results hold numpy values; the import is cached after the first

    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    return value
