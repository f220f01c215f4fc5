"""The exceptions that mean "the user gave accord something it cannot use".

Every view turns a :class:`UserInputError` into a clear message (the CLI: on stderr, exit
status 2; the service: a form error or a 4xx JSON body). Any other exception is a bug in accord
and must reach the user as one: views never catch bare ``ValueError`` to call it the user's
mistake.

``UserInputError`` still derives from ``ValueError`` so that callers of the library who catch
``ValueError`` keep working.
"""

from __future__ import annotations

__all__ = ["LimitExceeded", "UserInputError"]


class UserInputError(ValueError):
    """A mistake in the user's input: a scenario file, a command-line option, a name."""


class LimitExceeded(UserInputError):
    """The input implies more work or memory than a documented limit (see :mod:`accord.limits`)."""
