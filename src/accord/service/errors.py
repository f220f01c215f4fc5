"""The service's refusals: a submission with mistakes, a page someone may not open."""

from __future__ import annotations

from collections.abc import Sequence

from accord.errors import UserInputError
from accord.model import Problem
from accord.model.problems import format_path

__all__ = ["Denied", "NotFound", "SubmissionError", "field_name"]


def field_name(path: tuple[str | int, ...]) -> str:
    """The HTML form field (and API key path) a problem's path names: ``points:truce``."""
    return ":".join(str(p) for p in path)


class SubmissionError(UserInputError):
    """A form or API submission with mistakes: one problem per field, nothing saved."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "; ".join(
                f"{format_path(p.path)}: expected {p.expected}; found {p.found}"
                for p in self.problems
            )
        )

    def by_field(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for p in self.problems:
            out.setdefault(field_name(p.path), []).append(f"expected {p.expected}; found {p.found}")
        return out


class Denied(Exception):
    """The person may not do this (HTTP 403); the message says why, without private data."""


class NotFound(Exception):
    """No such object, or one the person may not know exists (HTTP 404)."""
