"""The audit log: hash-chained; editing, deleting or reordering one record is named by
verification (in the database, and by `accord serve --verify-audit`, see test_serve_cli)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from accord.service.audit.chain import Kind, append, case_chain, verify_all, verify_chain
from accord.service.audit.models import AuditRecord

from .world import CANARY, World

pytestmark = pytest.mark.django_db


def _table() -> str:
    return connection.ops.quote_name(AuditRecord._meta.db_table)


def _chain_with(records: int) -> str:
    for k in range(records):
        append(Kind.DRAFT_PUBLISHED, case_id=424242, subject=f"draft {k + 1}")
    return case_chain(424242)


def test_an_untouched_chain_verifies(world: World) -> None:
    chain = _chain_with(5)
    assert verify_chain(chain) is None
    assert all(status.finding is None for status in verify_all())


def test_editing_a_record_is_named() -> None:
    chain = _chain_with(6)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {_table()} SET subject = %s WHERE chain = %s AND seq = 4", ["draft 40", chain]
        )
    finding = verify_chain(chain)
    assert finding is not None and finding.seq == 4 and "altered" in finding.problem


def test_deleting_a_record_is_named() -> None:
    chain = _chain_with(6)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {_table()} WHERE chain = %s AND seq = 3", [chain])
    finding = verify_chain(chain)
    assert finding is not None and finding.seq == 3 and "missing" in finding.problem


def test_deleting_the_last_record_is_named() -> None:
    chain = _chain_with(6)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {_table()} WHERE chain = %s AND seq = 6", [chain])
    finding = verify_chain(chain)
    assert finding is not None and finding.seq == 6 and "missing" in finding.problem


def test_reordering_two_records_is_named() -> None:
    chain = _chain_with(6)
    with connection.cursor() as cur:
        # Swap the numbers of records 3 and 4 (through a free number, for the unique key).
        cur.execute(f"UPDATE {_table()} SET seq = 1000 WHERE chain = %s AND seq = 3", [chain])
        cur.execute(f"UPDATE {_table()} SET seq = 3 WHERE chain = %s AND seq = 4", [chain])
        cur.execute(f"UPDATE {_table()} SET seq = 4 WHERE chain = %s AND seq = 1000", [chain])
    finding = verify_chain(chain)
    assert finding is not None and finding.seq == 3


def test_recomputing_one_hash_after_an_edit_still_breaks_the_next_link() -> None:
    from accord.service.audit.chain import _fields, digest

    chain = _chain_with(5)
    record = AuditRecord.objects.get(chain=chain, seq=2)
    record.subject = "forged"
    record.hash = digest(_fields(record))
    record.save()
    finding = verify_chain(chain)
    assert finding is not None and finding.seq == 3 and "does not follow" in finding.problem


def test_records_name_actions_never_private_content(world: World) -> None:
    text = " ".join(
        " ".join(str(v) for v in row)
        for row in AuditRecord.objects.values_list("actor", "kind", "party", "subject")
    )
    assert not any(c in text for c in CANARY.values())
    kinds = set(AuditRecord.objects.values_list("kind", flat=True))
    for kind in (
        Kind.CASE_CREATED,
        Kind.PREFERENCES_SAVED,
        Kind.CHECK_ANSWERED,
        Kind.CONSENT_CHANGED,
        Kind.DRAFT_PUBLISHED,
        Kind.ANSWER_SUBMITTED,
        Kind.MESSAGE_SENT,
        Kind.INVITATION_CREATED,
    ):
        assert kind in kinds, kind


def test_sign_ins_and_private_page_views_are_recorded(world: World, client: Any) -> None:
    from django.urls import reverse

    from .world import PASSWORD

    client.post(reverse("login"), {"username": "b@example.org", "password": "wrong password"})
    client.post(reverse("login"), {"username": "b@example.org", "password": PASSWORD})
    client.get(reverse("case-preferences", args=[world.case_x]))
    site = list(AuditRecord.objects.filter(chain="site").values_list("kind", "subject"))
    assert (Kind.LOGIN, "") in site
    assert (Kind.LOGIN_FAILED, "account b@example.org") in site
    last = AuditRecord.objects.filter(chain=case_chain(world.case_x)).order_by("-seq").first()
    assert last is not None and (last.kind, last.party, last.subject) == (
        Kind.PRIVATE_PAGE_VIEWED,
        "hamas",
        "own preferences",
    )
