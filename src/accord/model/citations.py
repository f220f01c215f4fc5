"""Citations: a source id, or a source id pinned to a few words of the source's text.

Wherever the format takes ``sources: [id, ...]`` a citation may also be written
``{source: id, at: "a few words of the source"}``. The locator (``at``) is a pointer into the
source, not a quotation: at most :data:`LOCATOR_MAX_WORDS` words, so no sentence of a source is
copied into a scenario. ``accord check`` verifies that every locator occurs in its source's
text (:mod:`accord.model.evidence`) after :func:`normalise` (case, whitespace, quotes, dashes).

One type, :class:`Citation`, serves every ``sources`` field. It is the source id itself (a
``str``), so everything that reads a citation as the id of the source it cites (reference
checks, citation links, tables) reads it unchanged; its locator is :attr:`Citation.at`. The file
form is kept: a plain id is written back as a plain id, a pinned citation as its mapping.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, Discriminator, GetCoreSchemaHandler, Tag
from pydantic_core import core_schema

from accord.model.base import Frozen
from accord.model.types import Identifier

__all__ = ["LOCATOR_MAX_WORDS", "Citation", "Citations", "Pinned", "normalise"]

LOCATOR_MAX_WORDS = 7
"""Words in a locator at most: enough to find a passage, too few to copy a sentence. A rule of
the format (the no-copy rule of the embedded scenarios), not a size limit: it is not raisable."""

_QUOTES = dict.fromkeys(map(ord, '"“”„‟«»″〝〞＂'), None)
_APOSTROPHES = dict.fromkeys(map(ord, "‘’‚‛′`´"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－"), "-")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as locators are compared: Unicode compatibility forms, case folded, double
    quotes dropped, every apostrophe written ``'`` and every dash ``-``, and every run of
    whitespace (line breaks included) one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_QUOTES).translate(_APOSTROPHES).translate(_DASHES)
    return _SPACE.sub(" ", text).strip()


def _locator(value: str) -> str:
    words = normalise(value).split()
    if not words:
        raise ValueError("a few words of the source (a locator is not empty)")
    if len(words) > LOCATOR_MAX_WORDS:
        raise ValueError(
            f"a locator of at most {LOCATOR_MAX_WORDS} words (a pointer into the source, "
            f"not a quotation), not {len(words)}"
        )
    return value


Locator = Annotated[str, AfterValidator(_locator)]
"""A few words of a source: at most :data:`LOCATOR_MAX_WORDS`, after :func:`normalise`."""


class Pinned(Frozen):
    """A citation written as a mapping: the source's id and where in its text (``at``)."""

    source: Identifier
    at: Locator


def _form(value: Any) -> str | None:
    if isinstance(value, dict | Pinned):
        return "pinned"
    return "id" if isinstance(value, str) else None


Written = Annotated[
    Annotated[Identifier, Tag("id")] | Annotated[Pinned, Tag("pinned")],
    Discriminator(
        _form,
        custom_error_type="citation",
        custom_error_message="a source id, or {source: id, at: a few words of the source}",
    ),
]
"""A citation as the file writes it (what :class:`Citation` validates)."""


class Citation(str):
    """A cited source: the source's id (this string), and optionally a locator (:attr:`at`),
    a few words of the source's text that show where the cited fact is."""

    written_as = Written
    """The type of a citation as the file writes it (for error locations:
    :func:`accord.model.locations.document_path`)."""

    def __new__(cls, source: str, at: str | None = None) -> Citation:
        self = super().__new__(cls, source)
        self.__dict__["_at"] = at
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a citation cannot be changed (tried to set {name!r})")

    def __getnewargs__(self) -> tuple[str, str | None]:  # type: ignore[override]
        return self.source, self.at

    @property
    def at(self) -> str | None:
        """The locator: a few words of the source's text, or None."""
        at: str | None = self.__dict__["_at"]
        return at

    @property
    def source(self) -> str:
        """The cited source's id, as a plain ``str``."""
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Citation({self.source!r}, at={self.at!r})" if self.at else repr(self.source)

    def written(self) -> str | dict[str, str]:
        """The citation as the file writes it: the id, or ``{source, at}``."""
        return self.source if self.at is None else {"source": self.source, "at": self.at}

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def read(value: str | Pinned) -> Citation:
            if isinstance(value, Pinned):
                return cls(value.source, value.at)
            return value if isinstance(value, Citation) else cls(value)

        def keep_locator(value: Any) -> Any:
            # a Citation from Python code keeps its locator (validated again as a mapping)
            return value.written() if isinstance(value, Citation) else value

        return core_schema.no_info_before_validator_function(
            keep_locator,
            core_schema.no_info_after_validator_function(read, handler.generate_schema(Written)),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda c: c.written() if isinstance(c, Citation) else c
            ),
        )


Citations = tuple[Citation, ...]
"""A ``sources`` field: the citations of one statement."""
