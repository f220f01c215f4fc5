"""The one base of every schema class: frozen, and no key the format does not define."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["Frozen"]


class Frozen(BaseModel):
    """An immutable part of a scenario; unknown keys are errors, never silently dropped.

    ``populate_by_name`` lets Python code build a part whose file key is a Python keyword
    (``Transfer(from_=...)`` for the file's ``from``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
