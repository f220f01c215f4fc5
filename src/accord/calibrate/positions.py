"""Which stated positions a package meets and which it breaks (issue 16, item 4).

A position names the options a party asks for on an issue (or, on a numeric issue, a ``min``
and/or ``max``). A package *meets* it when its option on that issue is one of them (or within
the bounds), and *breaks* it otherwise; a position written only in words (no options, no bounds)
is neither, and is listed as such. Every view that shows a package (solutions, proposals,
improvements, the report) says this beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.model.schema import Position, Scenario

__all__ = ["PositionsMet", "StatedPosition", "positions_met"]


@dataclass(frozen=True)
class StatedPosition:
    """A position, named by its place in the file (``positions[k]``), its party and issue."""

    id: str
    party: str
    issue: str


@dataclass(frozen=True)
class PositionsMet:
    """The stated positions a package meets, breaks, or that say nothing a package can meet
    (``unread``: written in words only)."""

    met: tuple[StatedPosition, ...]
    broken: tuple[StatedPosition, ...]
    unread: tuple[StatedPosition, ...] = ()

    def summary(self) -> str:
        """``meets 5 of 10; breaks hamas on truce, ...`` in a few words."""
        judged = len(self.met) + len(self.broken)
        if judged == 0:
            return "no stated position to meet"
        head = f"meets {len(self.met)} of {judged} stated positions"
        if not self.broken:
            return head
        return head + "; breaks " + ", ".join(f"{p.party} on {p.issue}" for p in self.broken)


def _meets(position: Position, value: str | float) -> bool | None:
    if position.options:
        return isinstance(value, str) and value in position.options
    if position.min is None and position.max is None:
        return None
    if isinstance(value, str):
        return False
    low = position.min if position.min is not None else float("-inf")
    high = position.max if position.max is not None else float("inf")
    return low <= value <= high


def positions_met(scenario: Scenario, package: Mapping[str, str | float]) -> PositionsMet:
    """The scenario's stated positions that ``package`` (issue id -> option id or number)
    meets and breaks."""
    met: list[StatedPosition] = []
    broken: list[StatedPosition] = []
    unread: list[StatedPosition] = []
    for k, position in enumerate(scenario.positions):
        if position.issue not in package:
            continue
        ref = StatedPosition(f"positions[{k}]", position.party, position.issue)
        verdict = _meets(position, package[position.issue])
        (unread if verdict is None else met if verdict else broken).append(ref)
    return PositionsMet(tuple(met), tuple(broken), tuple(unread))
