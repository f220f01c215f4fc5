"""Writes that arrive together, in threads with their own database connections (committed
transactions, not the test's rolled-back one): nothing is lost, nothing is applied twice, and
each write is bound to what its author saw.

Each test starts its threads at a barrier and repeats a few times, so that the two orders of
commit both occur; the assertions hold for any order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from .world import CAIRO_DRAFT, PASSWORD, cairo_preferences

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs at once, one thread each; their results, or the first exception."""
    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(k: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[k] = jobs[k]()
        except BaseException as e:  # handed to the test's thread below
            results[k] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for r in results:
        if isinstance(r, BaseException):
            raise r
    return results


def _case() -> dict[str, Any]:
    """A cairo-2024 case: a mediator, two delegates of Israel, one of Hamas, both parties'
    preferences and one draft."""
    from accord.service import engine
    from accord.service.accounts.models import Person
    from accord.service.cases.access import view_of_case
    from accord.service.cases.invitations import create_case
    from accord.service.cases.models import CaseParty, Membership

    people = {
        who: Person.objects.create_user(f"{who}@example.org", PASSWORD, name=who)
        for who in ("mediator", "israel1", "israel2", "hamas")
    }
    people["mediator"].can_mediate = True
    people["mediator"].save()
    case = create_case(people["mediator"], engine.scenario_from_embedded("cairo-2024"), "test")
    for who, pid in (("israel1", "israel"), ("israel2", "israel"), ("hamas", "hamas")):
        party = CaseParty.objects.get(case=case, party_id=pid)
        Membership.objects.create(case=case, person=people[who], role="delegate", party=party)
    views = {who: view_of_case(p, case.pk) for who, p in people.items()}
    views["israel1"].save_preferences(cairo_preferences("first", favour="israel"))
    views["hamas"].save_preferences(cairo_preferences("first", favour="hamas"))
    views["mediator"].publish_draft({"package": CAIRO_DRAFT, "note": "Draft 1."})
    return {"case": case, "people": people}


def _view(world: dict[str, Any], who: str) -> Any:
    """A fresh view in the calling thread (views hold no connection, but keep it simple)."""
    from accord.service.cases.access import view_of_case

    return view_of_case(world["people"][who], world["case"].pk)


def _audited(case_id: int, kind: str) -> list[str]:
    from accord.service.audit.chain import case_chain, verify_chain
    from accord.service.audit.models import AuditRecord

    assert verify_chain(case_chain(case_id)) is None
    return list(
        AuditRecord.objects.filter(case_id=case_id, kind=kind)
        .order_by("seq")
        .values_list("subject", flat=True)
    )


def test_two_delegates_of_one_party_saving_at_once_keep_both_versions() -> None:
    from accord.service.cases.models import PreferenceCheck, PreferenceVersion
    from accord.service.crypto import sealer

    world = _case()
    sent = []
    for k in range(3):
        notes = (f"from israel1, try {k}", f"from israel2, try {k}")
        sent += notes
        _together(
            lambda n=notes[0]: _view(world, "israel1").save_preferences(
                cairo_preferences(n, favour="israel")
            ),
            lambda n=notes[1]: _view(world, "israel2").save_preferences(
                cairo_preferences(n, favour="israel")
            ),
        )
    rows = PreferenceVersion.objects.filter(party__case=world["case"], party__party_id="israel")
    numbers = list(rows.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 8))  # consecutive: none lost, none numbered twice
    kept = [sealer().open(v.sealed)["entry"]["notes"] for v in rows.order_by("number")]
    assert sorted(kept[1:]) == sorted(sent)  # every submitted version kept, once
    assert PreferenceCheck.objects.filter(version__in=rows).count() == 7
    saved = _audited(world["case"].pk, "preferences saved")
    assert sorted(s for s in saved if s != "version 1") == sorted(
        f"version {n}" for n in range(2, 8)
    )


def test_an_answer_is_bound_to_the_draft_it_was_given_while_the_next_is_published() -> None:
    from accord.service.cases.models import Answer, Draft

    world = _case()
    for k in range(1, 5):
        package = {**CAIRO_DRAFT, "prisoners": 250 * k}
        _together(
            lambda p=package: _view(world, "mediator").publish_draft({"package": p}),
            lambda k=k: _view(world, "hamas").answer_draft(
                k, {"accept": "reject", "issues": {}, "comment": f"on draft {k}"}
            ),
        )
    drafts = list(Draft.objects.filter(case=world["case"]).values_list("number", flat=True))
    assert drafts == [1, 2, 3, 4, 5]
    answers = Answer.objects.filter(party__party_id="hamas", draft__case=world["case"])
    from accord.service.crypto import sealer

    bound = sorted((a.draft.number, sealer().open(a.sealed)["comment"]) for a in answers)
    assert bound == [(k, f"on draft {k}") for k in range(1, 5)]


def test_bids_arriving_together_are_decided_once() -> None:
    from accord.service.cases.models import Bidding

    world = _case()
    for israel, hamas, settles in [(2000, 1000, 1500.0), (1500, 2500, None), (1250, 1000, 1000.0)]:
        mediator = _view(world, "mediator")
        opened = mediator.open_bidding(
            {"issue": "prisoners", "giver": "israel", "taker": "hamas", "rounds": 1}
        )
        _together(
            lambda n=opened.number, x=israel: _view(world, "israel2").bid(
                n, {"round": 1, "limit": x}
            ),
            lambda n=opened.number, x=hamas: _view(world, "hamas").bid(n, {"round": 1, "limit": x}),
        )
        row = Bidding.objects.get(case=world["case"], number=opened.number)
        assert row.settlement == settles
        assert row.state == ("settled" if settles else "no overlap")
        ended = _audited(world["case"].pk, "bidding round ended")
        assert sum(s.startswith(f"bidding {opened.number}, round 1") for s in ended) == 1


def test_the_last_acceptances_arriving_together_make_one_agreement() -> None:
    from accord.service.cases.models import Agreement, Offer

    world = _case()
    _together(
        lambda: _view(world, "israel1").answer_draft(1, {"accept": "accept"}),
        lambda: _view(world, "hamas").answer_draft(1, {"accept": "accept"}),
    )
    assert Agreement.objects.filter(case=world["case"]).count() == 1
    assert len(_audited(world["case"].pk, "agreement reached")) == 1
    assert len(_audited(world["case"].pk, "improvements searched")) == 1
    first = list(Offer.objects.values_list("rank", flat=True))
    # Two more views of the agreement at once: the search is not run (or stored) again.
    _together(
        lambda: _view(world, "israel2").agreement(), lambda: _view(world, "hamas").agreement()
    )
    assert list(Offer.objects.values_list("rank", flat=True)) == first
    assert len(_audited(world["case"].pk, "improvements searched")) == 1


def test_writes_of_every_kind_at_once_in_one_case_never_deadlock() -> None:
    """An answer, a caucus message, a preference version, a draft and a bid at the same moment,
    ten times over: on PostgreSQL, whose foreign-key checks lock the case's row only at the
    commit, these deadlocked until every write took the case's row first (writing.py)."""
    from accord.service.cases.models import Answer, Message

    world = _case()
    _view(world, "mediator").open_bidding(
        {"issue": "prisoners", "giver": "israel", "taker": "hamas", "rounds": 20}
    )
    for k in range(1, 11):
        _together(
            lambda: _view(world, "hamas").answer_draft(1, {"accept": "reject"}),
            lambda: _view(world, "israel1").send_message({"text": "to the mediators"}),
            lambda: _view(world, "israel2").save_preferences(
                cairo_preferences("again", favour="israel")
            ),
            lambda: _view(world, "mediator").send_message({"text": "to everybody"}),
            lambda k=k: _view(world, "hamas" if k % 2 else "israel1").bid(
                1, {"round": (k + 1) // 2, "limit": 3000 if k % 2 else 0}
            ),
        )
    assert Answer.objects.filter(draft__case=world["case"]).count() == 10
    assert Message.objects.filter(case=world["case"]).count() == 20
