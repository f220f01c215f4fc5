"""Blind bidding on one numeric issue: opening it, sealed bids, and what each role sees of it.

A mediator opens a bidding on a range issue between two parties (the giver names the highest
number it accepts, the taker the lowest), with a fixed number of rounds and a settlement rule
(:mod:`accord.service.blind`). Each round, each side submits one sealed limit; a bid is final
(one row per party and round, enforced by the database). The round is decided in the
transaction of the second bid, under a lock on the bidding's row, so that the outcome depends
on the two limits only, never on which arrived first.

Who sees what (decided here, by the per-role mixins the views of
:mod:`accord.service.cases.visible` are built from):

- every participant: the bidding's terms, each finished round's outcome ("no overlap"), and
  the settlement;
- a side's delegates: their own party's bids; whether the other side has bid in the current
  round only when the bidding's rules say so (``progress_visible``);
- the mediators: which sides have bid in the current round, and a bid's limit and note only
  when its bidder chose to show it to them.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accord.limits import SERVICE_MAX_BIDDING_ROUNDS
from accord.model import Problem, Scenario
from accord.service import blind, engine
from accord.service.audit.chain import Kind, append
from accord.service.cases.case_view import CaseView, option_label
from accord.service.cases.models import Bid, Bidding, Case, CaseParty
from accord.service.cases.preferences import check_text
from accord.service.cases.shapes import (
    BiddingRoundView,
    BiddingView,
    BidView,
    OptionView,
    PartyView,
)
from accord.service.cases.writing import case_transaction
from accord.service.crypto import sealer
from accord.service.errors import Denied, NotFound, SubmissionError

__all__ = ["DelegateBidding", "MediatorBidding", "bidding_events"]


def _flag(value: Any) -> bool:
    return value in (True, "true", "on", "yes", "1", 1)


def _steps(view: CaseView, issue_id: str) -> list[str]:
    return list(engine.option_labels(view.scenario.issue(issue_id)))


class _Bidding(CaseView):
    """What every role does with biddings: find them, and show them as the role may."""

    def _bidding(self, number: int) -> Bidding:
        found = Bidding.objects.filter(case=self.case, number=number).select_related(
            "giver", "taker"
        )
        bidding = found.first()
        if bidding is None:
            raise NotFound(f"no bidding {number} in this case")
        return bidding

    def _seen_party(self) -> CaseParty | None:
        """The party whose bids this role sees (a delegate's own); None for the mediators."""
        return None

    def _bid_view(self, bid: Bid, stored: dict[str, Any]) -> BidView:
        return BidView(
            round=bid.round,
            party=bid.party.party_id,
            party_name=bid.party.name,
            limit=float(stored["limit"]),
            note=stored["note"],
            shown_to_mediators=bool(stored["show_mediators"]),
            submitted_at=bid.submitted_at,
        )

    def _visible_bids(self, bids: list[Bid]) -> list[BidView]:
        raise NotImplementedError

    def _progress_visible(self, bidding: Bidding) -> bool:
        raise NotImplementedError

    def _round_views(self, bidding: Bidding, bids: list[Bid]) -> list[BiddingRoundView]:
        shown = self._visible_bids(bids)
        out = []
        for r in range(1, bidding.rounds + 1):
            if r < bidding.round:
                outcome = "no overlap"
            elif r > bidding.round:
                outcome = "not held"
            else:
                outcome = {
                    Bidding.OPEN: "open",
                    Bidding.SETTLED: "settled",
                    Bidding.NO_OVERLAP: "no overlap",
                    Bidding.CLOSED: "closed",
                }[bidding.state]
            bid_in = None
            if outcome == "open" and self._progress_visible(bidding):
                bid_in = [b.party.name for b in bids if b.round == r]
            out.append(
                BiddingRoundView(
                    round=r,
                    outcome=outcome,
                    bids=[b for b in shown if b.round == r],
                    bid_in=bid_in,
                )
            )
        return out

    def _bidding_view(self, bidding: Bidding) -> BiddingView:
        bids = list(bidding.bids.select_related("party").order_by("round", "pk"))
        issue = self.scenario.issue(bidding.issue)
        mine = self._seen_party()
        side = None
        if mine is not None and mine.pk in (bidding.giver_id, bidding.taker_id):
            side = "giver" if mine.pk == bidding.giver_id else "taker"
        has_bid = any(
            b.party_id == getattr(mine, "pk", None) and b.round == bidding.round for b in bids
        )
        settled = ""
        if bidding.settlement is not None:
            settled = option_label(self.scenario, bidding.issue, bidding.settlement)[1]
        return BiddingView(
            number=bidding.number,
            issue=issue.id,
            issue_name=issue.name,
            unit=issue.range.unit if issue.range else "",
            giver=PartyView(id=bidding.giver.party_id, name=bidding.giver.name, role="giver"),
            taker=PartyView(id=bidding.taker.party_id, name=bidding.taker.name, role="taker"),
            rounds=bidding.rounds,
            rule=bidding.rule,
            rule_text=blind.RULES[bidding.rule],
            progress_visible=bidding.progress_visible,
            round=bidding.round,
            state=bidding.state,
            settlement=bidding.settlement,
            settlement_label=settled,
            opened_at=bidding.opened_at,
            ended_at=bidding.ended_at,
            steps=[
                OptionView(value=v, label=option_label(self.scenario, issue.id, v)[1])
                for v in _steps(self, issue.id)
            ],
            my_side=side,
            can_bid=side is not None and bidding.state == Bidding.OPEN and not has_bid,
            round_views=self._round_views(bidding, bids),
        )

    def biddings(self) -> list[BiddingView]:
        rows = Bidding.objects.filter(case=self.case).select_related("giver", "taker")
        return [self._bidding_view(b) for b in rows]

    def bidding(self, number: int) -> BiddingView:
        view = self._bidding_view(self._bidding(number))
        party = self._seen_party()
        self._audit(
            Kind.PRIVATE_PAGE_VIEWED,
            party=party.party_id if party else "",
            subject=f"bidding {number}",
        )
        return view


class DelegateBidding(_Bidding):
    """A party's delegates: its own bids, and bidding when the party is a side."""

    party: CaseParty

    def _seen_party(self) -> CaseParty | None:
        return self.party

    def _visible_bids(self, bids: list[Bid]) -> list[BidView]:
        return [
            self._bid_view(b, sealer().open(b.sealed)) for b in bids if b.party_id == self.party.pk
        ]

    def _progress_visible(self, bidding: Bidding) -> bool:
        return bidding.progress_visible

    def bid(self, number: int, raw: dict[str, Any]) -> BiddingView:
        """Submit the party's sealed limit for the current round (final once recorded)."""
        _submit_bid(self, self._bidding(number).pk, raw)
        return self._bidding_view(self._bidding(number))


class MediatorBidding(_Bidding):
    """The mediators: open and close biddings; see who has bid, and the bids shown to them."""

    def _visible_bids(self, bids: list[Bid]) -> list[BidView]:
        out = []
        for b in bids:
            stored = sealer().open(b.sealed)
            if stored["show_mediators"]:
                out.append(self._bid_view(b, stored))
        return out

    def _progress_visible(self, bidding: Bidding) -> bool:
        return True

    def open_bidding(self, raw: dict[str, Any]) -> BiddingView:
        return self._bidding_view(_open_bidding(self, raw))

    def close_bidding(self, number: int) -> BiddingView:
        with case_transaction(self.case.pk):
            bidding = Bidding.objects.get(pk=self._bidding(number).pk)
            if bidding.state != Bidding.OPEN:
                raise SubmissionError(
                    [Problem(("bidding",), "an open bidding", f"a bidding that is {bidding.state}")]
                )
            bidding.state, bidding.ended_at = Bidding.CLOSED, timezone.now()
            bidding.save(update_fields=["state", "ended_at"])
            self._audit(Kind.BIDDING_CLOSED, subject=f"bidding {number}, in round {bidding.round}")
        return self._bidding_view(self._bidding(number))


# --- the actions --------------------------------------------------------------------------------


def _check_opening(view: MediatorBidding, raw: dict[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    ranges = [i.id for i in view.scenario.issues if i.range is not None]
    issue = str(raw.get("issue") or "")
    if issue not in ranges:
        expected = f"a numeric issue ({', '.join(ranges)})" if ranges else "a numeric issue"
        problems.append(
            Problem(("issue",), expected + " (this case has none)" * (not ranges), repr(issue))
        )
    negotiators = [p.id for p in view.scenario.negotiators]
    sides = {}
    for side in ("giver", "taker"):
        pid = str(raw.get(side) or "")
        if pid not in negotiators:
            problems.append(
                Problem((side,), f"one of the parties {', '.join(negotiators)}", repr(pid))
            )
        sides[side] = pid
    if sides["giver"] and sides["giver"] == sides["taker"]:
        problems.append(Problem(("taker",), "a party other than the giver", repr(sides["taker"])))
    try:
        rounds = int(str(raw.get("rounds") or "3"))
    except ValueError:
        rounds = 0
    if not 1 <= rounds <= SERVICE_MAX_BIDDING_ROUNDS:
        problems.append(
            Problem(
                ("rounds",),
                f"a whole number from 1 to {SERVICE_MAX_BIDDING_ROUNDS} "
                "(accord.limits.SERVICE_MAX_BIDDING_ROUNDS)",
                repr(raw.get("rounds")),
            )
        )
    rule = str(raw.get("rule") or "midpoint")
    if rule not in blind.RULES:
        problems.append(Problem(("rule",), f"one of {', '.join(blind.RULES)}", repr(rule)))
    if problems:
        raise SubmissionError(problems)
    return {
        "issue": issue,
        "rounds": rounds,
        "rule": rule,
        "progress_visible": _flag(raw.get("progress_visible")),
        **sides,
    }


def _open_bidding(view: MediatorBidding, raw: dict[str, Any]) -> Bidding:
    terms = _check_opening(view, raw)
    parties = {p.party_id: p for p in CaseParty.objects.filter(case=view.case)}
    with case_transaction(view.case.pk):  # one open bidding per issue, consecutive numbers
        rows = Bidding.objects.filter(case=view.case)
        if rows.filter(issue=terms["issue"], state=Bidding.OPEN).exists():
            raise SubmissionError(
                [Problem(("issue",), "an issue without an open bidding", repr(terms["issue"]))]
            )
        bidding = Bidding.objects.create(
            case=view.case,
            number=(rows.aggregate(n=Max("number"))["n"] or 0) + 1,
            issue=terms["issue"],
            giver=parties[terms["giver"]],
            taker=parties[terms["taker"]],
            rounds=terms["rounds"],
            rule=terms["rule"],
            progress_visible=terms["progress_visible"],
            opened_by=view.person,
        )
        append(
            Kind.BIDDING_OPENED,
            actor=view.person,
            case_id=view.case.pk,
            subject=f"bidding {bidding.number} on {bidding.issue}: {terms['giver']} gives, "
            f"{terms['taker']} takes, {bidding.rounds} rounds, {bidding.rule}",
        )
    return bidding


def _check_bid(view: DelegateBidding, bidding: Bidding, raw: dict[str, Any]) -> dict[str, Any]:
    """The bid's limit (a step of the issue), note and choice, or SubmissionError."""
    problems: list[Problem] = []
    steps = _steps(view, bidding.issue)
    given = raw.get("limit")
    index = None
    if given not in (None, ""):
        try:
            index = engine.option_index(view.scenario, bidding.issue, float(str(given)))
        except ValueError:
            index = None
    if index is None:
        problems.append(
            Problem(
                ("limit",),
                f"one of the steps {', '.join(steps)}",
                repr(given) if given not in (None, "") else "nothing",
            )
        )
    try:
        round_ = int(str(raw.get("round")))
    except ValueError:
        round_ = 0
    note = check_text(raw.get("note"), ("note",), problems)
    if problems:
        raise SubmissionError(problems)
    assert index is not None
    return {
        "round": round_,
        "index": index,
        "limit": float(steps[index]),
        "note": note,
        "show_mediators": _flag(raw.get("show_mediators")),
    }


def _refuse_round(bidding: Bidding, round_: int) -> None:
    if bidding.state != Bidding.OPEN:
        found = f"a bid after the bidding ended ({bidding.state})"
        raise SubmissionError([Problem(("round",), "a bid while the bidding is open", found)])
    if round_ != bidding.round:
        raise SubmissionError(
            [Problem(("round",), f"a bid for the open round ({bidding.round})", f"round {round_}")]
        )


def _submit_bid(view: DelegateBidding, bidding_pk: int, raw: dict[str, Any]) -> None:
    party = view.party
    with case_transaction(view.case.pk):  # the two sides' bids, one after the other
        bidding = Bidding.objects.get(pk=bidding_pk)
        if party.pk not in (bidding.giver_id, bidding.taker_id):
            raise Denied(f"{party.name} is not a side of bidding {bidding.number}.")
        bid = _check_bid(view, bidding, raw)
        _refuse_round(bidding, bid["round"])
        if Bid.objects.filter(bidding=bidding, party=party, round=bidding.round).exists():
            raise SubmissionError(
                [
                    Problem(
                        ("round",),
                        f"one bid a round (your bid for round {bidding.round} is final)",
                        "a second bid",
                    )
                ]
            )
        payload = {k: bid[k] for k in ("index", "limit", "note", "show_mediators")}
        try:
            with transaction.atomic():
                Bid.objects.create(
                    bidding=bidding,
                    party=party,
                    round=bidding.round,
                    submitted_by=view.person,
                    sealed=sealer().seal(payload),
                )
        except IntegrityError:  # the same party's other delegate, a moment earlier
            raise SubmissionError(
                [
                    Problem(
                        ("round",),
                        f"one bid a round (your bid for round {bidding.round} is final)",
                        "a second bid",
                    )
                ]
            ) from None
        append(
            Kind.BID_SUBMITTED,
            actor=view.person,
            case_id=view.case.pk,
            party=party.party_id,
            subject=f"bidding {bidding.number}, round {bidding.round}",
        )
        _decide_round(view, bidding)


def _decide_round(view: CaseView, bidding: Bidding) -> None:
    """When both sides have bid in the open round: settle, end, or open the next round."""
    limits = {}
    for b in Bid.objects.filter(bidding=bidding, round=bidding.round):
        limits[b.party_id] = int(sealer().open(b.sealed)["index"])
    if set(limits) != {bidding.giver_id, bidding.taker_id}:
        return
    found = blind.settlement(limits[bidding.giver_id], limits[bidding.taker_id], bidding.rule)
    ended = bidding.round
    if found is not None:
        value = float(_steps(view, bidding.issue)[found])
        bidding.state, bidding.settlement = Bidding.SETTLED, value
        label = option_label(view.scenario, bidding.issue, value)[1]
        subject = f"bidding {bidding.number}, round {ended}: settled at {label}"
    elif bidding.round >= bidding.rounds:
        bidding.state = Bidding.NO_OVERLAP
        subject = f"bidding {bidding.number}, round {ended}: no overlap, the last round"
    else:
        bidding.round += 1
        subject = f"bidding {bidding.number}, round {ended}: no overlap"
    if bidding.state != Bidding.OPEN:
        bidding.ended_at = timezone.now()
    bidding.save(update_fields=["state", "settlement", "round", "ended_at"])
    append(Kind.BIDDING_ROUND_ENDED, case_id=view.case.pk, subject=subject)


def bidding_events(case: Case, scenario: Scenario) -> list[dict[str, Any]]:
    """Each ended bidding as an event of the export's timeline: its outcome, never a bid."""
    out = []
    ended = (
        Bidding.objects.filter(case=case).exclude(ended_at=None).select_related("giver", "taker")
    )
    for b in ended:
        assert b.ended_at is not None
        name = scenario.issue(b.issue).name
        terms = f"blind bidding {b.number} on {name!r} between {b.giver.name} and {b.taker.name}"
        if b.state == Bidding.SETTLED and b.settlement is not None:
            label = option_label(scenario, b.issue, b.settlement)[1]
            text = f"The {terms} settles at {label} in round {b.round} ({blind.RULES[b.rule]})."
        elif b.state == Bidding.NO_OVERLAP:
            text = f"The {terms} ends without overlap after {b.rounds} rounds."
        else:
            text = f"The mediators close the {terms} in round {b.round}, without a settlement."
        out.append({"date": b.ended_at.date().isoformat(), "text": text})
    return out
