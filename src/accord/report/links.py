"""Which links from a scenario file the report makes live: http, https and mailto only.

``accord check`` refuses other schemes in a source's ``url``; the report refuses them again
when it renders (defence in depth: a scenario built in Python, or by an older accord, never
reached ``check``).  The scheme is read as a browser reads it: leading spaces and control
characters are dropped and tabs and line breaks inside are ignored, so ``" JaVa\\tScript:"``
is the ``javascript`` scheme.  A link with no scheme (relative, or starting with ``//``)
resolves against the page's own location or scheme and is allowed.
"""

from __future__ import annotations

import re

from accord.errors import UserInputError
from accord.model import Scenario

__all__ = ["ALLOWED_SCHEMES", "UnsafeLink", "check_links", "link_scheme"]

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class UnsafeLink(UserInputError):
    """A link the report will not make live."""


def link_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lower case), or None for a relative link."""
    cleaned = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))
    found = _SCHEME.match(cleaned)
    return found.group(1).lower() if found else None


def check_links(scenario: Scenario) -> None:
    """Raise :class:`UnsafeLink` naming the first source whose url has another scheme."""
    for k, source in enumerate(scenario.sources):
        if source.url is None:
            continue
        scheme = link_scheme(source.url)
        if scheme is not None and scheme not in ALLOWED_SCHEMES:
            raise UnsafeLink(
                f"sources[{k}].url (source {source.id!r}): expected an http, https or mailto "
                f"link; found the {scheme!r} scheme, which the report will not make live"
            )
