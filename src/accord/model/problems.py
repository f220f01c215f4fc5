"""Problems found in a scenario file, each located precisely.

Every check in accord reports a :class:`Problem` rather than raising on the
first mistake, so that the user sees every mistake in a file at once.  The
loader attaches file, line and column from the path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.errors import LimitExceeded, UserInputError

__all__ = ["Path", "Problem", "ScenarioError", "ScenarioLimitExceeded", "format_path"]

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """``("preferences", "israel", "weights", "truce")`` -> ``preferences.israel.weights.truce``;
    list indices print as ``[3]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class Problem:
    """One mistake (or, with ``warning=True``, one thing the user should see).

    ``path`` is the location inside the document; ``expected`` and ``found``
    say what should have been there and what was.
    """

    path: Path
    expected: str
    found: str
    warning: bool = False
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def located(self, file: str | None, line: int | None, column: int | None) -> Problem:
        return Problem(self.path, self.expected, self.found, self.warning, file, line, column)

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        kind = "warning" if self.warning else "error"
        at = format_path(self.path)
        return f"{where}: {kind} at {at}: expected {self.expected}; found {self.found}"


class ScenarioError(UserInputError):
    """A scenario file that cannot be loaded; ``problems`` lists every mistake found."""

    def __init__(self, problems: Sequence[Problem], file: str | None = None) -> None:
        self.problems = tuple(problems)
        self.file = file
        count = len(self.problems)
        head = f"{file or 'scenario'}: {count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class ScenarioLimitExceeded(ScenarioError, LimitExceeded):
    """A scenario file past one of the limits of :mod:`accord.limits` (its size, its nesting,
    its aliases): nothing more of it is read. Its problem names the limit and how to raise it."""
