"""The value types every section of a scenario file shares.

One reading of values everywhere (``docs/reference/scenario-format.md``, "Values"):

* a number field takes a number as the file writes it (an integer or a decimal, ``4e-1``
  included) and nothing else: not ``true``, not the text ``"0.4"`` (a quoted number is text,
  in YAML as in JSON, so a number field never depends on quoting by accident);
* a true/false field takes ``true`` or ``false`` only (not ``yes``, ``1`` or ``"true"``);
* a date is text ``YYYY-MM-DD`` (YAML and JSON alike), never a number;
* a link (a source's ``url``) is an absolute ``http``, ``https`` or ``mailto`` address.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, StrictBool, Tag

__all__ = [
    "LINK_SCHEMES",
    "Day",
    "Finite",
    "Flag",
    "Identifier",
    "Identifiers",
    "Link",
    "OptionValue",
    "OptionValues",
    "Positive",
    "SafeLinkError",
    "Text",
    "safe_link",
]

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
Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A finite number written as a number (an int is accepted and read as a float)."""
Positive = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]
Flag = StrictBool
"""``true`` or ``false``, nothing else."""


def _date_from_text(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        raise ValueError("a date written as text YYYY-MM-DD")
    return value


Day = Annotated[dt.date, BeforeValidator(_date_from_text)]
"""A date: text ``YYYY-MM-DD`` in the file (a ``datetime.date`` from Python code)."""

LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")


class SafeLinkError(ValueError):
    """A link a reader must not be handed (its message says what a link must be)."""


def safe_link(url: str) -> str:
    """An absolute http, https or mailto link, with no space or control character anywhere.

    Browsers drop leading spaces and control characters and remove tabs and newlines inside a
    link, so ``" jav\\tascript:..."`` would run as ``javascript:``; refusing every such
    character makes the scheme that is checked the scheme a browser sees. Relative links are
    refused: the report is one self-contained page read wherever it is saved, where a relative
    link points at nothing.
    """
    expected = (
        "an absolute http, https or mailto link with no spaces or control characters "
        "(the report turns it into a live link)"
    )
    m = _SCHEME.match(url)
    if _UNSAFE.search(url) or m is None or m[1].lower() not in LINK_SCHEMES:
        raise SafeLinkError(expected)
    rest = url[m.end() :]
    if m[1].lower() == "mailto" and not rest:
        raise SafeLinkError(expected)
    if m[1].lower() != "mailto" and (not rest.startswith("//") or len(rest) == 2):
        raise SafeLinkError(expected)
    return url


Link = Annotated[str, AfterValidator(safe_link)]
"""A link a reader may follow: see :func:`safe_link`."""


def _option_or_number(value: Any) -> str | None:
    if isinstance(value, str):
        return "option"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    return None


def _one_or_list(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return "list"
    return None if isinstance(value, dict) else "one"


OptionValue = Annotated[
    Annotated[Identifier, Tag("option")] | Annotated[Finite, Tag("number")],
    Discriminator(
        _option_or_number,
        custom_error_type="option_value",
        custom_error_message="an option id or a number",
    ),
]
"""What a package gives an issue: an option id (categorical) or a number (range)."""

OptionValues = Annotated[
    Annotated[OptionValue, Tag("one")] | Annotated[tuple[OptionValue, ...], Tag("list")],
    Discriminator(
        _one_or_list,
        custom_error_type="option_values",
        custom_error_message="an option id or a number, or a list of them",
    ),
]
"""One option value or a list of them (a constraint's forbidden values on an issue)."""

Identifiers = Annotated[
    Annotated[Identifier, Tag("one")] | Annotated[tuple[Identifier, ...], Tag("list")],
    Discriminator(
        _one_or_list,
        custom_error_type="identifiers",
        custom_error_message="an id, or a list of ids",
    ),
]
"""One id or a list of them (a proposal's ``by``)."""
