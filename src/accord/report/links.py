"""Which links from a scenario file the report makes live: the model's rule, applied again.

``accord check`` refuses a source ``url`` that is not an absolute http, https or mailto link
with no space or control character (:func:`accord.model.types.safe_link`: the scheme checked is
the scheme a browser sees). The report applies the same rule again when it renders (defence in
depth: a scenario changed in Python with ``model_copy(update=...)``, which skips validation,
never reached ``check``).
"""

from __future__ import annotations

from accord.errors import UserInputError
from accord.model import Scenario
from accord.model.types import LINK_SCHEMES, SafeLinkError, safe_link

__all__ = ["LINK_SCHEMES", "UnsafeLink", "check_links"]


class UnsafeLink(UserInputError):
    """A link the report will not make live."""


def check_links(scenario: Scenario) -> None:
    """Raise :class:`UnsafeLink` naming the first source whose url breaks the model's rule."""
    for k, source in enumerate(scenario.sources):
        if source.url is None:
            continue
        try:
            safe_link(source.url)
        except SafeLinkError as e:
            raise UnsafeLink(
                f"sources[{k}].url (source {source.id!r}): expected {e}; found {source.url!r}, "
                "which the report will not make live"
            ) from None
