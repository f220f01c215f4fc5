"""Old public names kept for one release after a rename, each warning when used.

A renamed function keeps its old name as :func:`deprecated_alias`; a renamed constant is served
by a module ``__getattr__`` built with :func:`deprecated_names`.  Both warn with
:class:`DeprecationWarning` naming the new spelling, then behave exactly like it.  Every alias
is removed in :data:`REMOVED_IN`.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

__all__ = ["REMOVED_IN", "deprecated_alias", "deprecated_names"]

REMOVED_IN = "0.3.0"
"""The release that drops the names deprecated in 0.2.0 (they are kept for one release)."""

P = ParamSpec("P")
R = TypeVar("R")


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is deprecated and will be removed in accord {REMOVED_IN}; use {new}",
        DeprecationWarning,
        stacklevel=3,
    )


def deprecated_alias(new: Callable[P, R], old_name: str) -> Callable[P, R]:
    """``new`` under its former name ``old_name``, warning on every call."""

    @functools.wraps(new)
    def alias(*args: P.args, **kwargs: P.kwargs) -> R:
        _warn(f"{new.__module__}.{old_name}", new.__name__)
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name
    alias.__doc__ = (
        f"Deprecated alias of :func:`{new.__module__}.{new.__name__}` "
        f"(removed in accord {REMOVED_IN})."
    )
    return alias


def deprecated_names(module: str, renamed: Mapping[str, tuple[str, Any]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` serving ``renamed[old] = (new name, value)`` with a warning."""

    def __getattr__(name: str) -> Any:
        if name in renamed:
            new, value = renamed[name]
            _warn(f"{module}.{name}", new)
            return value
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
