"""The helpers every cross-reference check shares: known ids, unknown references, duplicates.

A scenario's sections name each other's ids (a proposal's ``by`` names a party, a plan's
transfer an item). :class:`Known` holds every id the file defines, by kind, including the ids of
parts whose other fields could not be read (a party with a misspelt key still defines its id):
a reference to such a part is not reported as unknown, and a section that could not be read at
all is not judged (its problems are reported where they are). Every check reports an unknown
reference through :meth:`Known.ref`, with the known ids and, for a near miss, a did-you-mean.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from accord.model.problems import Path, Problem

if TYPE_CHECKING:
    from accord.model.schema import Scenario

__all__ = ["KINDS", "Known", "choices", "did_you_mean", "duplicates", "fmt", "num"]

KINDS = ("sources", "parties", "issues", "proposals", "items", "plans")
"""The sections whose ids other sections name."""


def choices(ids: Iterable[str], limit: int = 12) -> str:
    """``a, b, c`` (the first ``limit``, then ``...``), or ``(none defined)``."""
    ids = list(ids)
    shown = ", ".join(ids[:limit]) + (", ..." if len(ids) > limit else "")
    return shown or "(none defined)"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate when one is close, else ``''``."""
    pool = [c for c in candidates if isinstance(c, str)]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.75)
    if not close:
        close = [c for c in pool if len(word) >= 3 and c.startswith(word)][:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


def fmt(value: object) -> str:
    """A value as found in the file: a whole float without its ``.0``, text quoted."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def num(x: float) -> str:
    """A number in few characters (``1500``, ``0.25``, ``1e+06``)."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def duplicates(path: Path, ids: Sequence[str]) -> list[Problem]:
    """A problem at ``(*path, k, "id")`` for each id that repeats an earlier one."""
    counts = Counter(ids)
    seen: set[str] = set()
    out = []
    for k, x in enumerate(ids):
        if counts[x] > 1 and x in seen:
            out.append(Problem((*path, k, "id"), "ids that are unique", f"a second {x!r}"))
        seen.add(x)
    return out


@dataclass(frozen=True)
class Known:
    """The ids a scenario defines, by section (see :data:`KINDS`), and what could not be read.

    ``unread`` maps a section to the ids of its parts that could not be read; ``whole`` lists
    the sections that could not be read at all.
    """

    ids: Mapping[str, frozenset[str]]
    unread: Mapping[str, frozenset[str]] = field(default_factory=dict)
    whole: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        scenario: Scenario,
        unread: Mapping[str, frozenset[str]] | None = None,
        whole: Iterable[str] = (),
    ) -> Known:
        ids = {kind: frozenset(x.id for x in getattr(scenario, kind)) for kind in KINDS}
        return cls(ids, dict(unread or {}), frozenset(whole))

    def __getitem__(self, kind: str) -> frozenset[str]:
        return self.ids[kind]

    def judged(self, kind: str, value: str) -> bool:
        """Whether a reference to ``value`` in section ``kind`` can be judged."""
        return kind not in self.whole and value not in self.unread.get(kind, frozenset())

    def ref(
        self,
        path: Path,
        kind: str,
        value: str,
        what: str,
        among: Iterable[str] | None = None,
    ) -> list[Problem]:
        """A problem when ``value`` is not an id of section ``kind`` (or of ``among``, a subset
        such as the stock items); ``what`` says what was expected, in words."""
        known = self.ids[kind] if among is None else frozenset(among)
        if value in known or not self.judged(kind, value):
            return []
        ordered = sorted(known)
        found = repr(value) + did_you_mean(value, ordered)
        return [Problem(path, f"{what} ({choices(ordered)})", found)]

    def refs(self, path: Path, kind: str, values: Iterable[str], what: str) -> list[Problem]:
        """:meth:`ref` for each of a list of ids, at ``(*path, k)``."""
        out: list[Problem] = []
        for k, value in enumerate(values):
            out += self.ref((*path, k), kind, value, what)
        return out

    def sources(self, path: Path, cited: Iterable[str]) -> list[Problem]:
        """Every cited source id that ``sources`` does not define, at the id itself (a pinned
        citation, ``{source: id, at: ...}``, at its ``source`` key)."""
        out: list[Problem] = []
        for k, value in enumerate(cited):
            where: Path = (*path, k, "source") if getattr(value, "at", None) else (*path, k)
            out += self.ref(where, "sources", value, "a source id defined in 'sources'")
        return out
