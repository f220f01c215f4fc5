"""Engine assistance as each role may see it: the mediators' findings, a party's own figures.

The engine works on every party's current preferences (:func:`engine_analysis`), whether or
not a party shares them; what comes out is filtered here, by role and consent:

- the mediators see facts that do not disclose any party's numbers (whether a zone of
  possible agreement exists and its size, the suggested packages, whether each draft leaves
  every party at or above its walk-away and how many parties are below it), and the figures
  (utility, margin) of the parties that share their preferences with them, named;
- a party's delegates see, for each draft, their own party's utility and margin only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from accord.limits import SERVICE_MAX_ENGINE_PACKAGES, SERVICE_MAX_ENGINE_PACKAGES_MANY
from accord.service import engine
from accord.service.assistance import (
    SOLUTION_TITLES,
    CaseAssistance,
    DraftStanding,
    assist,
    draft_improvements,
)
from accord.service.audit.chain import Kind
from accord.service.cases.case_view import CaseView, choices
from accord.service.cases.models import Bidding, CaseParty, Draft
from accord.service.cases.shapes import (
    AssistanceView,
    DraftStandingView,
    ImprovementView,
    OwnFigure,
    PartyFigure,
    SolutionView,
)
from accord.service.errors import NotFound

if TYPE_CHECKING:
    from accord.run import Analysis

__all__ = [
    "DelegateFigures",
    "EngineUnavailable",
    "MediatorAssistance",
    "engine_analysis",
    "party_figures",
]

MANY_PARTIES = 5
"""From this many negotiating parties on, SERVICE_MAX_ENGINE_PACKAGES_MANY applies."""


class EngineUnavailable(Exception):
    """The engine cannot work on the case yet (``waiting``: parties without preferences) or at
    all (``too large``: over a limit of accord.limits)."""

    def __init__(self, state: str, names: list[str], note: str = "") -> None:
        super().__init__(note or ", ".join(names))
        self.state, self.names, self.note = state, names, note


def engine_analysis(view: CaseView) -> tuple[Analysis, dict[int, str]]:
    """accord's analyses of the case on every party's current preferences (see
    :func:`accord.service.engine.case_analysis`). Raises EngineUnavailable."""
    prefs: dict[str, dict[str, Any]] = {}
    missing = []
    for party in CaseParty.objects.filter(case=view.case):
        own = view._accord_preferences(party)
        if own is None:
            missing.append(party.name)
        else:
            prefs[party.party_id] = own
    if missing:
        raise EngineUnavailable("waiting", missing)
    packages = engine.package_count(view.scenario)
    many = len(view.scenario.negotiators) >= MANY_PARTIES
    limit = SERVICE_MAX_ENGINE_PACKAGES_MANY if many else SERVICE_MAX_ENGINE_PACKAGES
    if packages > limit:
        name = "SERVICE_MAX_ENGINE_PACKAGES" + ("_MANY" if many else "")
        raise EngineUnavailable(
            "too large",
            [],
            f"the case's issues make {packages:,} packages (before constraints); the engine "
            f"assists cases of up to "
            f"{limit:,}{' with five or more parties' if many else ''} (accord.limits.{name})",
        )
    return engine.case_analysis(
        view.case.shared,
        case_title=view.case.title,
        drafts=view._draft_records(),
        preferences=prefs,
    )


def party_figures(
    names: dict[str, str],
    shown: set[str],
    utility: dict[str, float],
    margin: dict[str, float],
) -> list[PartyFigure]:
    """The figures of the parties in ``shown`` only, in the case's order of parties."""
    return [
        PartyFigure(party=pid, name=name, utility=utility[pid], margin=margin[pid])
        for pid, name in names.items()
        if pid in shown and pid in utility
    ]


class MediatorAssistance(CaseView):
    """The mediators' page of engine assistance, and the drafts it suggests."""

    def _consent(self) -> tuple[dict[str, str], set[str]]:
        parties = list(CaseParty.objects.filter(case=self.case))
        return {p.party_id: p.name for p in parties}, {
            p.party_id for p in parties if p.shares_with_mediators
        }

    def assistance(self, improve: int | None = None) -> AssistanceView:
        """The engine's findings, with the figures of the sharing parties only; improvements
        of draft ``improve`` (default: the latest)."""
        names, shown = self._consent()
        empty: dict[str, Any] = {
            "note": "",
            "shown_for": [names[p] for p in names if p in shown],
            "hidden_for": [names[p] for p in names if p not in shown],
            "packages": 0,
            "zopa": 0,
            "zopa_exact": True,
            "zopa_interval": None,
            "solutions": [],
            "drafts": [],
            "improve_draft": None,
            "improvements": [],
            "improvements_complete": True,
        }
        try:
            analysis, ids = engine_analysis(self)
        except EngineUnavailable as e:
            empty["note"] = e.note
            return AssistanceView(state=e.state, waiting_for=e.names, **empty)
        if improve is not None and improve not in ids:
            raise NotFound(f"no draft {improve} in this case")
        found = assist(analysis, ids)
        self._audit(
            Kind.ASSISTANCE_VIEWED, subject="figures of: " + (", ".join(sorted(shown)) or "none")
        )
        number = improve if improve is not None else max(ids, default=None)
        improvements: list[ImprovementView] = []
        complete = True
        if number is not None:
            improvements, complete = self._improvements(analysis, ids, number, names, shown)
        return AssistanceView(
            state="ready",
            waiting_for=[],
            **{
                **empty,
                "packages": found.packages,
                "zopa": found.zopa,
                "zopa_exact": found.zopa_exact,
                "zopa_interval": found.zopa_interval,
                "solutions": self._solutions(found, names, shown),
                "drafts": [self._standing(d, names, shown) for d in found.drafts],
                "improve_draft": number,
                "improvements": improvements,
                "improvements_complete": complete,
            },
        )

    def _solutions(
        self, found: CaseAssistance, names: dict[str, str], shown: set[str]
    ) -> list[SolutionView]:
        out = []
        for name, title in SOLUTION_TITLES.items():
            solution = found.solutions[name]
            if solution is None:
                out.append(SolutionView(name=name, title=title, package=[], ties=0, figures=[]))
                continue
            out.append(
                SolutionView(
                    name=name,
                    title=title,
                    package=choices(self.scenario, solution.package),
                    ties=solution.ties,
                    figures=party_figures(names, shown, solution.utility, solution.gain),
                )
            )
        return out

    def _standing(
        self, d: DraftStanding, names: dict[str, str], shown: set[str]
    ) -> DraftStandingView:
        below = [p for p, ok in d.at_or_above.items() if not ok]
        return DraftStandingView(
            number=d.number,
            every_party_at_or_above=d.every_party_at_or_above,
            feasible=d.feasible,
            pareto_optimal=d.pareto_optimal,
            below=len(below),
            below_named=[names[p] for p in below if p in shown],
            figures=party_figures(names, shown, d.utility, d.margin),
        )

    def _improvements(
        self,
        analysis: Analysis,
        ids: dict[int, str],
        number: int,
        names: dict[str, str],
        shown: set[str],
    ) -> tuple[list[ImprovementView], bool]:
        search = draft_improvements(analysis, ids[number])
        out = []
        for rank, found in enumerate(search.improvements, start=1):
            changed = [c.issue for c in found.changes]
            out.append(
                ImprovementView(
                    key=f"improve-{number}-{rank}",
                    package=choices(self.scenario, found.package),
                    changes=choices(self.scenario, found.package, changed),
                    issues_changed=found.issues_changed,
                    every_party_at_or_above=found.in_zopa,
                    pareto_optimal=found.pareto_optimal,
                    figures=party_figures(names, shown, found.utility, found.gain),
                )
            )
        return out, search.complete

    def suggestion(self, key: str) -> tuple[dict[str, Any], str]:
        """The package a "suggest a draft" button fills the new draft with, and its origin:
        a solution's name, ``improve-N-K`` (draft N's K-th improvement), or ``bidding-K``
        (the latest draft with bidding K's settlement)."""
        if key.startswith("bidding-") and key[8:].isdigit():
            return self._bidding_suggestion(int(key[8:]))
        if key in SOLUTION_TITLES:
            try:
                analysis, ids = engine_analysis(self)
            except EngineUnavailable as e:
                raise NotFound(f"no suggestion: {e}") from None
            solution = assist(analysis, ids).solutions[key]
            if solution is None:
                raise NotFound("no suggestion: the zone of possible agreement is empty")
            title = SOLUTION_TITLES[key]
            return dict(solution.package), f"suggested by the engine: the {title} package"
        match = re.fullmatch(r"improve-(\d+)-(\d+)", key)
        if match is None:
            raise NotFound(f"no suggestion {key!r}")
        number, rank = int(match[1]), int(match[2])
        try:
            analysis, ids = engine_analysis(self)
        except EngineUnavailable as e:
            raise NotFound(f"no suggestion: {e}") from None
        if number not in ids:
            raise NotFound(f"no draft {number} in this case")
        found = draft_improvements(analysis, ids[number]).improvements
        if not 1 <= rank <= len(found):
            raise NotFound(f"no improvement {rank} of draft {number}")
        return dict(found[rank - 1].package), f"suggested by the engine: improves draft {number}"

    def _bidding_suggestion(self, number: int) -> tuple[dict[str, Any], str]:
        bidding = Bidding.objects.filter(case=self.case, number=number).first()
        latest = Draft.objects.filter(case=self.case).order_by("-number").first()
        if bidding is None or bidding.settlement is None or latest is None:
            raise NotFound(f"no settled bidding {number} and a draft to apply it to")
        value = bidding.settlement
        package = {**latest.package, bidding.issue: int(value) if value.is_integer() else value}
        return package, f"from draft {latest.number}, with bidding {number}'s settlement"


class DelegateFigures(CaseView):
    """A party's delegates: their own party's utility and margin for each draft."""

    party: CaseParty

    def own_figures(self) -> list[OwnFigure]:
        own = self._accord_preferences(self.party)
        if own is None:
            return []
        drafts = self._draft_records()
        utilities = engine.own_utilities(
            self.case.shared, self.party.party_id, own, [d["package"] for d in drafts]
        )
        walk_away = float(own["reservation"])
        return [
            OwnFigure(draft=d["number"], utility=u, margin=round(u - walk_away, 9))
            for d, u in zip(drafts, utilities, strict=True)
        ]
