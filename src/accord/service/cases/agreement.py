"""The tentative agreement, and the improvements offered after it (Raiffa's post-settlement
settlement, as the Inspire system offered it).

When every party's latest answer to one draft accepts it, that draft becomes the tentative
agreement (:func:`reach_if_unanimous`, in the transaction of the last answer) and the rounds of
drafts close. The engine then looks, with every party's private preferences, for packages that
every party strictly prefers (:func:`ensure_offers`, run once, after the answer or at the first
view of the agreement): the best by the Nash product of the gains over the agreement, and at
most two alternatives. Each party answers every offer once, privately (accepted or rejected,
and a comment). When every party has answered, the best-ranked offer that every party accepted
replaces the agreement (agreement 2); otherwise the agreement stands. The mediators may end the
round early. The last agreement whose round has ended is the final agreement.

Who sees what (decided by the per-role mixins below):

- every participant: the agreement's package, where it came from, whether an improvement round
  is open and how it ended, and the offered packages;
- a party's delegates: their own utility and gain for each offer, and their own response
  only; never another party's response or figures, nor how many parties accepted;
- the mediators: every party's response (as they see answers to drafts), and the figures of
  the parties that share their preferences with them.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.model import Problem
from accord.service import assistance, engine
from accord.service.audit.chain import Kind, append
from accord.service.cases.assisted import EngineUnavailable, engine_analysis, party_figures
from accord.service.cases.case_view import CaseView, choices
from accord.service.cases.models import (
    Agreement,
    Answer,
    Case,
    CaseParty,
    Draft,
    Offer,
    OfferResponse,
)
from accord.service.cases.preferences import check_text, mapping
from accord.service.cases.shapes import (
    AgreementPage,
    AgreementView,
    EarlierAgreement,
    OfferResponseView,
    OfferView,
    PartyFigure,
)
from accord.service.cases.writing import case_transaction
from accord.service.crypto import sealer
from accord.service.errors import NotFound, SubmissionError

__all__ = [
    "DelegateAgreement",
    "MediatorAgreement",
    "agreement_records",
    "ensure_offers",
    "reach_if_unanimous",
    "refuse_after_agreement",
]

OFFERS = 3
"""The best offer by the Nash product and at most two alternatives."""
NOT_SEARCHED = "not searched"


def current(case: Case) -> Agreement | None:
    return Agreement.objects.filter(case=case).order_by("-number").first()


def refuse_after_agreement(case: Case, field: str) -> None:
    """The rounds of drafts close once the parties hold an agreement (SubmissionError)."""
    agreement = Agreement.objects.filter(case=case).order_by("number").first()
    if agreement is not None:
        on = f"draft {agreement.draft.number}" if agreement.draft else "a package"
        raise SubmissionError(
            [
                Problem(
                    (field,),
                    "a case whose rounds of drafts are open",
                    f"the parties' tentative agreement on {on}: the rounds of drafts are closed",
                )
            ]
        )


def reach_if_unanimous(view: CaseView, draft: Draft) -> Agreement | None:
    """In the transaction of an accepting answer, with the case's row locked: the agreement,
    when every party's latest answer to ``draft`` now accepts it."""
    for party in CaseParty.objects.filter(case=view.case):
        latest = Answer.objects.filter(draft=draft, party=party).order_by("-number").first()
        if latest is None or not sealer().open(latest.sealed)["accept"]:
            return None
    agreement = Agreement.objects.create(
        case=view.case, number=1, package=draft.package, draft=draft
    )
    append(
        Kind.AGREEMENT_REACHED,
        case_id=view.case.pk,
        subject=f"agreement 1: draft {draft.number}, accepted by every party",
    )
    return agreement


def ensure_offers(view: CaseView, agreement: Agreement) -> None:
    """Search once for packages every party strictly prefers to ``agreement`` and store up to
    three; when there are none (or the engine cannot search), the agreement is final."""
    if agreement.searched_at is not None:
        return
    found: tuple[assistance.SettlementOffer, ...] = ()
    outcome = ""
    try:
        analysis, _ = engine_analysis(view)
        found = assistance.post_settlement_offers(analysis, agreement.package, limit=OFFERS)
    except EngineUnavailable as e:
        outcome = f"{NOT_SEARCHED}: {e}" if e.state == "too large" else NOT_SEARCHED
    with case_transaction(view.case.pk):
        row = Agreement.objects.get(pk=agreement.pk)
        if row.searched_at is not None:  # another request searched meanwhile
            return
        for rank, offer in enumerate(found, start=1):
            Offer.objects.create(agreement=row, rank=rank, package=offer.package)
        row.searched_at = timezone.now()
        if not found:
            row.outcome = outcome or Agreement.NONE_FOUND
            row.ended_at = row.searched_at
        row.save(update_fields=["searched_at", "outcome", "ended_at"])
        append(
            Kind.IMPROVEMENTS_SEARCHED,
            case_id=view.case.pk,
            subject=f"agreement {row.number}: "
            + (f"{len(found)} package(s) every party prefers" if found else row.outcome),
        )
    agreement.refresh_from_db()


def _respond(view: DelegateAgreement, raw: dict[str, Any]) -> None:
    problems: list[Problem] = []
    given = mapping(raw.get("responses"))
    comment = check_text(raw.get("comment"), ("comment",), problems)
    with case_transaction(view.case.pk):
        agreement = current(view.case)
        if agreement is None:
            raise NotFound("the parties hold no agreement yet")
        if agreement.searched_at is None or agreement.ended_at is not None:
            raise SubmissionError(
                [Problem(("responses",), "an open round of improvements", "none open")]
            )
        ranks = list(agreement.offers.values_list("rank", flat=True))
        responses: dict[int, str] = {}
        for rank in ranks:
            value = given.get(str(rank))
            if value not in ("accepted", "rejected"):
                problems.append(
                    Problem(
                        ("responses", str(rank)),
                        "'accepted' or 'rejected'",
                        repr(value) if value else "nothing",
                    )
                )
            responses[rank] = str(value)
        if problems:
            raise SubmissionError(problems)
        payload = {"responses": {str(k): v for k, v in responses.items()}, "comment": comment}
        try:
            with transaction.atomic():
                OfferResponse.objects.create(
                    agreement=agreement,
                    party=view.party,
                    answered_by=view.person,
                    sealed=sealer().seal(payload),
                )
        except IntegrityError:
            raise SubmissionError(
                [
                    Problem(
                        ("responses",), "one response a party (yours is final)", "a second response"
                    )
                ]
            ) from None
        append(
            Kind.OFFERS_ANSWERED,
            actor=view.person,
            case_id=view.case.pk,
            party=view.party.party_id,
            subject=f"improvements of agreement {agreement.number}",
        )
        _decide(view, agreement)


def _decide(view: CaseView, agreement: Agreement) -> None:
    """When every party has answered: the best offer every party accepted replaces the
    agreement; otherwise it stands. The order of the answers does not matter."""
    parties = list(CaseParty.objects.filter(case=view.case))
    answers = {r.party_id: r for r in agreement.responses.all()}
    if set(answers) != {p.pk for p in parties}:
        return
    accepted = None
    opened = {pk: sealer().open(r.sealed)["responses"] for pk, r in answers.items()}
    for offer in agreement.offers.order_by("rank"):
        if all(opened[p.pk].get(str(offer.rank)) == "accepted" for p in parties):
            accepted = offer
            break
    now = timezone.now()
    agreement.ended_at = now
    agreement.outcome = Agreement.IMPROVED if accepted else Agreement.KEPT
    agreement.save(update_fields=["ended_at", "outcome"])
    if accepted is None:
        subject = f"agreement {agreement.number} kept: no improvement accepted by every party"
    else:
        Agreement.objects.create(
            case=view.case,
            number=agreement.number + 1,
            package=accepted.package,
            offer=accepted,
            reached_at=now,
        )
        subject = (
            f"agreement {agreement.number + 1}: improvement {accepted.rank} of agreement "
            f"{agreement.number}, accepted by every party"
        )
    append(Kind.IMPROVEMENT_ROUND_ENDED, case_id=view.case.pk, subject=subject)


# --- what each role sees ------------------------------------------------------------------------


class _AgreementViews(CaseView):
    def _figures_of(
        self, packages: list[dict[str, Any]], base: dict[str, Any]
    ) -> list[list[PartyFigure]]:
        """For each package: the figures this role may see (utility, gain over ``base``)."""
        raise NotImplementedError

    def _responses(self, agreement: Agreement) -> list[OfferResponseView]:
        raise NotImplementedError

    def _accepted_by(self, agreement: Agreement, rank: int) -> list[str] | None:
        return None

    def _waiting_for(self, agreement: Agreement) -> list[str] | None:
        return None

    def _agreement_view(self, agreement: Agreement) -> AgreementView:
        offers = list(agreement.offers.order_by("rank"))
        figures = self._figures_of([o.package for o in offers], agreement.package)
        own = self._figures_of([agreement.package], agreement.package)[0]
        responses = self._responses(agreement)
        return AgreementView(
            number=agreement.number,
            package=choices(self.scenario, agreement.package),
            draft=agreement.draft.number if agreement.draft else None,
            improves=agreement.number - 1 if agreement.offer_id else None,
            reached_at=agreement.reached_at,
            searched=agreement.searched_at is not None,
            open=agreement.searched_at is not None and agreement.ended_at is None,
            outcome=agreement.outcome,
            final=agreement.ended_at is not None and agreement.outcome != Agreement.IMPROVED,
            figures=own,
            offers=[
                OfferView(
                    rank=o.rank,
                    package=choices(self.scenario, o.package),
                    changes=choices(
                        self.scenario,
                        o.package,
                        [i for i, v in o.package.items() if agreement.package.get(i) != v],
                    ),
                    figures=f,
                    accepted_by=self._accepted_by(agreement, o.rank),
                )
                for o, f in zip(offers, figures, strict=True)
            ],
            responses=responses,
            responded=bool(responses) if self.role == "delegate" else False,
            waiting_for=self._waiting_for(agreement),
        )

    def agreement(self) -> AgreementPage:
        """The current agreement (searching for improvements first, once) and the earlier."""
        found = current(self.case)
        if found is None:
            return AgreementPage(current=None, earlier=[])
        ensure_offers(self, found)
        earlier = [
            EarlierAgreement(
                number=a.number,
                package=choices(self.scenario, a.package),
                reached_at=a.reached_at,
                outcome=a.outcome,
            )
            for a in Agreement.objects.filter(case=self.case, number__lt=found.number)
        ]
        page = AgreementPage(current=self._agreement_view(found), earlier=earlier)
        party = getattr(self, "party", None)
        self._audit(
            Kind.PRIVATE_PAGE_VIEWED,
            party=party.party_id if party else "",
            subject=f"agreement {found.number}",
        )
        return page

    def _response_view(self, r: OfferResponse) -> OfferResponseView:
        stored = sealer().open(r.sealed)
        return OfferResponseView(
            party=r.party.party_id,
            party_name=r.party.name,
            answered_by=r.answered_by.display_name,
            answered_at=r.answered_at,
            responses={int(k): v for k, v in stored["responses"].items()},
            comment=stored["comment"],
        )


class DelegateAgreement(_AgreementViews):
    """A party's delegates: the offers with their own figures, their own response."""

    party: CaseParty

    def _figures_of(
        self, packages: list[dict[str, Any]], base: dict[str, Any]
    ) -> list[list[PartyFigure]]:
        own = self._accord_preferences(self.party)
        if own is None or not packages:
            return [[] for _ in packages]
        pid = self.party.party_id
        base_u, *utilities = engine.own_utilities(self.case.shared, pid, own, [base, *packages])
        walk_away = float(own["reservation"])
        return [
            [
                PartyFigure(
                    party=pid,
                    name=self.party.name,
                    utility=u,
                    margin=round(u - (walk_away if p is base else base_u), 9),
                )
            ]
            for p, u in zip(packages, utilities, strict=True)
        ]

    def _responses(self, agreement: Agreement) -> list[OfferResponseView]:
        rows = agreement.responses.filter(party=self.party).select_related("party", "answered_by")
        return [self._response_view(r) for r in rows]

    def respond_to_offers(self, raw: dict[str, Any]) -> AgreementPage:
        _respond(self, raw)
        return self.agreement()


class MediatorAgreement(_AgreementViews):
    """The mediators: every party's responses; the sharing parties' figures."""

    def _figures_of(
        self, packages: list[dict[str, Any]], base: dict[str, Any]
    ) -> list[list[PartyFigure]]:
        parties = list(CaseParty.objects.filter(case=self.case))
        names = {p.party_id: p.name for p in parties}
        shown: set[str] = set()
        utility: dict[str, list[float]] = {}
        margin: dict[str, list[float]] = {}
        for party in parties:
            own = self._accord_preferences(party) if party.shares_with_mediators else None
            if own is None:
                continue
            pid = party.party_id
            shown.add(pid)
            base_u, *us = engine.own_utilities(self.case.shared, pid, own, [base, *packages])
            walk_away = float(own["reservation"])
            utility[pid] = us
            margin[pid] = [
                round(u - (walk_away if p is base else base_u), 9)
                for p, u in zip(packages, us, strict=True)
            ]
        return [
            party_figures(
                names,
                shown,
                {pid: v[k] for pid, v in utility.items()},
                {pid: v[k] for pid, v in margin.items()},
            )
            for k in range(len(packages))
        ]

    def _responses(self, agreement: Agreement) -> list[OfferResponseView]:
        rows = agreement.responses.select_related("party", "answered_by")
        return [self._response_view(r) for r in rows]

    def _accepted_by(self, agreement: Agreement, rank: int) -> list[str] | None:
        return [
            r.party_name for r in self._responses(agreement) if r.responses.get(rank) == "accepted"
        ]

    def _waiting_for(self, agreement: Agreement) -> list[str] | None:
        answered = set(agreement.responses.values_list("party_id", flat=True))
        return [p.name for p in CaseParty.objects.filter(case=self.case) if p.pk not in answered]

    def close_improvements(self) -> AgreementPage:
        """End the open round of improvements: the agreement stands as the final one."""
        with case_transaction(self.case.pk):
            agreement = current(self.case)
            if agreement is None:
                raise NotFound("the parties hold no agreement yet")
            if agreement.ended_at is not None:
                raise SubmissionError(
                    [Problem(("agreement",), "an open round of improvements", "none open")]
                )
            agreement.ended_at, agreement.outcome = timezone.now(), Agreement.CLOSED
            agreement.save(update_fields=["ended_at", "outcome"])
            self._audit(
                Kind.IMPROVEMENT_ROUND_ENDED,
                subject=f"agreement {agreement.number} kept: the mediators ended the round",
            )
        return self.agreement()


def agreement_records(case: Case) -> list[dict[str, Any]]:
    """The agreements and the improvements offered after them, as proposals of the export,
    each with the parties' responses (see "Take the case away" in
    docs/how-to/mediate-a-case.md): every party accepted an agreement (on the day it was
    reached); each party that answered an offer accepted or rejected it (on the day of its
    answer). Never a party's comment."""
    records: list[dict[str, Any]] = []
    parties = list(CaseParty.objects.filter(case=case))
    for a in Agreement.objects.filter(case=case).prefetch_related("offers", "responses"):
        origin = (
            f"draft {a.draft.number}"
            if a.draft
            else f"improvement {a.offer.rank} of agreement {a.number - 1}"
            if a.offer
            else "a package"
        )
        final = a.ended_at is not None and a.outcome != Agreement.IMPROVED
        reached = a.reached_at.date().isoformat()
        records.append(
            {
                "id": f"agreement-{a.number}",
                "name": ("Final" if final else "Tentative") + f" agreement {a.number}",
                "date": reached,
                "package": dict(a.package),
                "status": f"{'final' if final else 'tentative'} agreement in accord serve",
                "description": f"Every party accepted {origin}."
                + (f" Improvement round: {a.outcome}." if a.outcome else ""),
                "responses": {
                    p.party_id: {"response": "accepted", "date": reached} for p in parties
                },
            }
        )
        answered = {r.party_id: r for r in a.responses.all()}
        opened = {pk: sealer().open(r.sealed)["responses"] for pk, r in answered.items()}
        for o in a.offers.all():
            records.append(
                {
                    "id": f"agreement-{a.number}-improvement-{o.rank}",
                    "name": f"Improvement {o.rank} offered after agreement {a.number}",
                    "date": (a.searched_at or a.reached_at).date().isoformat(),
                    "package": dict(o.package),
                    "status": "improvement offered in accord serve",
                    "responses": {
                        p.party_id: {
                            "response": opened[p.pk][str(o.rank)],
                            "date": answered[p.pk].answered_at.date().isoformat(),
                        }
                        for p in parties
                        if p.pk in opened
                    },
                }
            )
    return records
