"""The value types every section of a scenario file shares: identifiers, text, finite numbers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = ["Finite", "Identifier", "Text"]

Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="An identifier: letters, digits, '_', '-', '.'; starts with a letter or digit.",
    ),
]
Text = Annotated[str, Field(min_length=1)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
