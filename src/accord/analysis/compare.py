"""Two packages side by side: what changes on each issue and what it is worth to each negotiator.

With additive utilities the change in a negotiator's utility between packages
A and B is exactly the sum over issues of the change in that issue's
contribution (Keeney & Raiffa 1976, *Decisions with Multiple Objectives*,
ch. 3, additive value functions), so the split per issue is exact, not an
approximation.  Verdicts (gains, loses, indifferent) are decided on the exact
integer utilities of :mod:`accord.space.exact`; the numbers shown are floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.agreement_space import DEFAULT_TOL, SpaceCore, prepare_space
from accord.analysis.solutions import SOLUTION_NAMES
from accord.space.compiled import CompiledSpace

__all__ = [
    "Comparison",
    "IssueChange",
    "NegotiatorChange",
    "compare_packages",
    "resolve_package",
]

_DECIMALS = 9


@dataclass(frozen=True)
class IssueChange:
    """One issue: its option in A and in B, and each negotiator's utility change from A to B."""

    issue: str
    name: str
    before: str | float
    after: str | float
    changed: bool
    utility_change: dict[str, float]


@dataclass(frozen=True)
class NegotiatorChange:
    """One negotiator's utility in A and B, the change, and the verdict in one line."""

    negotiator: str
    before: float
    after: float
    change: float
    verdict: Literal["gains", "loses", "indifferent"]
    summary: str


@dataclass(frozen=True)
class Comparison:
    """Package B compared with package A (changes are B minus A)."""

    a: str
    b: str
    package_a: dict[str, str | float]
    package_b: dict[str, str | float]
    issues: tuple[IssueChange, ...]
    negotiators: tuple[NegotiatorChange, ...]
    issues_changed: int
    tolerance: float
    warnings: tuple[str, ...] = ()


def resolve_package(
    space: CompiledSpace, name: str, *, core: SpaceCore | None = None
) -> tuple[int, ...]:
    """The package a name stands for: a proposal id, or a solution name (``nash``, ...).

    Proposal ids take precedence over solution names.

    Raises:
        KeyError: the name is neither (the message lists the valid names), or the
            solution does not exist because the ZOPA is empty.
    """
    for pid, package in space.proposals:
        if pid == name:
            return tuple(int(k) for k in package)
    if name in SOLUTION_NAMES:
        core = core or prepare_space(space)
        found = core.solve()[name]
        if found is None:
            raise KeyError(f"there is no {name} solution: the zone of possible agreement is empty")
        return found[0]
    valid = [pid for pid, _ in space.proposals] + list(SOLUTION_NAMES)
    raise KeyError(f"unknown proposal or solution {name!r}; expected one of: {', '.join(valid)}")


def _verdicts(
    space: CompiledSpace, change: NDArray[np.int64], tol: float
) -> list[Literal["gains", "loses", "indifferent"]]:
    """Per negotiator: a change in exact units beyond ``tol`` either way, or indifference."""
    up = space.units.exceeds(change, tol)
    down = space.units.exceeds(-change, tol)
    return [
        "gains" if u else "loses" if d else "indifferent" for u, d in zip(up, down, strict=True)
    ]


def compare_packages(
    space: CompiledSpace,
    a: tuple[int, ...],
    b: tuple[int, ...],
    *,
    a_label: str = "A",
    b_label: str = "B",
    tol: float = DEFAULT_TOL,
) -> Comparison:
    """Compare package ``b`` with package ``a`` issue by issue and negotiator by negotiator.

    A negotiator *gains* when its utility rises by more than ``tol``, *loses*
    when it falls by more than ``tol``, and is *indifferent* otherwise.
    """
    if len(a) != len(space.issues) or len(b) != len(space.issues):
        raise ValueError("each package needs one option per issue")
    names = space.negotiators
    deltas = np.array(
        [t[kb] - t[ka] for t, ka, kb in zip(space.contributions, a, b, strict=True)]
    ).reshape(len(space.issues), len(names))
    issues = tuple(
        IssueChange(
            issue=issue.id,
            name=issue.name,
            before=issue.value_of(ka),
            after=issue.value_of(kb),
            changed=ka != kb,
            utility_change={n: round(float(x), _DECIMALS) for n, x in zip(names, row, strict=True)},
        )
        for issue, ka, kb, row in zip(space.issues, a, b, deltas, strict=True)
    )
    ua = space.utility(np.array([a]))[0]
    ub = space.utility(np.array([b]))[0]
    unit_deltas = np.array(
        [t[kb] - t[ka] for t, ka, kb in zip(space.units.tables, a, b, strict=True)]
    ).reshape(len(space.issues), len(names))
    verdicts = _verdicts(space, unit_deltas.sum(axis=0), tol)
    moves = space.units.exceeds(np.abs(unit_deltas), tol)
    people = []
    for j, n in enumerate(names):
        change = float(ub[j] - ua[j])
        verdict = verdicts[j]
        movers = sorted(
            (
                (float(deltas[i, j]), space.issues[i].id, bool(moves[i, j]))
                for i in range(len(space.issues))
            ),
            key=lambda x: -abs(x[0]),
        )
        parts = [f"{issue} {d:+.3f}" for d, issue, moved in movers if moved][:3]
        detail = f" ({', '.join(parts)})" if parts else ""
        if verdict == "indifferent":
            line = f"{n} is indifferent between {a_label} and {b_label}{detail}"
        else:
            line = f"{n} {verdict} {abs(change):.3f} moving from {a_label} to {b_label}{detail}"
        people.append(
            NegotiatorChange(
                negotiator=n,
                before=round(float(ua[j]), _DECIMALS),
                after=round(float(ub[j]), _DECIMALS),
                change=round(change, _DECIMALS),
                verdict=verdict,
                summary=line,
            )
        )
    return Comparison(
        a=a_label,
        b=b_label,
        package_a=space.package_dict(a),
        package_b=space.package_dict(b),
        issues=issues,
        negotiators=tuple(people),
        issues_changed=sum(ka != kb for ka, kb in zip(a, b, strict=True)),
        tolerance=tol,
        warnings=space.units.warnings,
    )
