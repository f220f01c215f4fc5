"""Problems found in a scenario file, each located precisely.

Every check in accord reports a :class:`Problem` rather than raising on the
first mistake, so that the user sees every mistake in a file at once.  The
loader attaches file, line and column from the path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from accord.errors import LimitExceeded, UserInputError
from accord.jsonable import OMIT_IF_NONE

__all__ = [
    "AGREEMENT_SPACE",
    "Path",
    "Problem",
    "ScenarioError",
    "ScenarioLimitExceeded",
    "format_path",
]

Path = tuple[str | int, ...]

AGREEMENT_SPACE = "agreement space"
"""What a :class:`Problem` ``blocks`` when the negotiators' packages cannot be analysed."""


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
    say what should have been there and what was.  ``blocks`` names what a warning stops
    (``"agreement space"``: the analyses of the negotiators' packages): the file loads, because
    a scenario may hold a negotiation before every party's preferences are known (a case
    exported from ``accord serve`` with only the consenting parties' preferences), and the
    analyses that need the missing part raise the warning, located, as an error.
    """

    path: Path
    expected: str
    found: str
    warning: bool = False
    file: str | None = None
    line: int | None = None
    column: int | None = None
    blocks: str | None = field(default=None, metadata=OMIT_IF_NONE)

    def located(self, file: str | None, line: int | None, column: int | None) -> Problem:
        return Problem(
            self.path, self.expected, self.found, self.warning, file, line, column, self.blocks
        )

    def as_error(self) -> Problem:
        """The same problem as an error (a warning that blocks an analysis asked for)."""
        return Problem(
            self.path, self.expected, self.found, False, self.file, self.line, self.column
        )

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
