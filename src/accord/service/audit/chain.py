"""Appending to the hash-chained audit log and verifying it.

Each record's ``hash`` is the SHA-256 of its canonical JSON (every field, with the previous
record's hash), so that editing a record, deleting one, or moving one breaks the chain at that
record; the chain's head (last number and hash) catches a deletion at the end. This is the
linked-timestamping construction of Haber & Stornetta (1991), *How to time-stamp a digital
document*, J. Cryptology 3(2):99-111, kept inside the database; an operator who records the
heads printed by ``accord serve --verify-audit`` elsewhere can also detect a rewrite of a
whole chain.

Records name the actor, the kind of action and its subject ("preferences of hamas, version
3"), never the private content itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.service.audit.models import AuditRecord, ChainHead

__all__ = [
    "GENESIS",
    "SITE_CHAIN",
    "AuditFinding",
    "Kind",
    "append",
    "case_chain",
    "digest",
    "verify_all",
    "verify_chain",
]

GENESIS = "0" * 64
SITE_CHAIN = "site"


class Kind:
    """The kinds of action the log records."""

    LOGIN = "login"
    LOGIN_FAILED = "login failed"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password changed"
    ACCOUNT_CREATED = "account created"
    SIGN_IN_LINK_CREATED = "sign-in link created"
    API_TOKEN_CREATED = "API token created"
    API_TOKEN_REVOKED = "API token revoked"
    KEY_ROTATED = "encryption key rotated"
    CASE_CREATED = "case created"
    INVITATION_CREATED = "invitation created"
    INVITATION_REVOKED = "invitation revoked"
    INVITATION_USED = "invitation used"
    PRIVATE_PAGE_VIEWED = "private page viewed"
    PREFERENCES_SAVED = "preferences saved"
    CHECK_ANSWERED = "consistency check answered"
    CONSENT_CHANGED = "sharing with the mediators changed"
    DRAFT_PUBLISHED = "draft published"
    ANSWER_SUBMITTED = "answer submitted"
    MESSAGE_SENT = "message sent"
    EXPORTED = "case exported"
    REPORT_OPENED = "report opened"
    AUDIT_VIEWED = "audit log viewed"
    AUDIT_DOWNLOADED = "audit log downloaded"
    ASSISTANCE_VIEWED = "engine assistance viewed"
    BIDDING_OPENED = "blind bidding opened"
    BID_SUBMITTED = "bid submitted"
    BIDDING_ROUND_ENDED = "bidding round ended"
    BIDDING_CLOSED = "blind bidding closed"
    AGREEMENT_REACHED = "agreement reached"
    IMPROVEMENTS_SEARCHED = "improvements searched"
    OFFERS_ANSWERED = "improvements answered"
    IMPROVEMENT_ROUND_ENDED = "improvement round ended"


def case_chain(case_id: int) -> str:
    return f"case-{case_id}"


def _canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def digest(fields: dict[str, Any]) -> str:
    """The SHA-256 of a record's fields (``hash`` excluded) in canonical JSON."""
    body = [
        fields["chain"],
        fields["seq"],
        _canonical_time(fields["at"]),
        fields["actor_id"],
        fields["actor"],
        fields["kind"],
        fields["case_id"],
        fields["party"],
        fields["subject"],
        fields["prev_hash"],
    ]
    text = json.dumps(body, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _fields(record: AuditRecord) -> dict[str, Any]:
    return {
        "chain": record.chain,
        "seq": record.seq,
        "at": record.at,
        "actor_id": record.actor_id,
        "actor": record.actor,
        "kind": record.kind,
        "case_id": record.case_id,
        "party": record.party,
        "subject": record.subject,
        "prev_hash": record.prev_hash,
    }


def append(
    kind: str,
    *,
    actor: Any = None,
    case_id: int | None = None,
    party: str = "",
    subject: str = "",
) -> AuditRecord:
    """Append one record to the case's chain (or the site's), in the caller's transaction.

    ``actor`` is a person (or None for the system). The chain's head row is locked for the
    rest of the transaction, so concurrent appends to one chain are serialised and a rolled
    back action leaves no record.
    """
    chain = case_chain(case_id) if case_id is not None else SITE_CHAIN
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            chain=chain, defaults={"seq": 0, "hash": GENESIS}
        )
        fields: dict[str, Any] = {
            "chain": chain,
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_id": getattr(actor, "pk", None),
            "actor": getattr(actor, "email", "") or "",
            "kind": kind,
            "case_id": case_id,
            "party": party,
            "subject": subject,
            "prev_hash": head.hash,
        }
        record = AuditRecord.objects.create(hash=digest(fields), **fields)
        head.seq, head.hash = record.seq, record.hash
        head.save(update_fields=["seq", "hash"])
    return record


@dataclass(frozen=True)
class AuditFinding:
    """The first broken or missing record of one chain."""

    chain: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"audit chain {self.chain}: record {self.seq} {self.problem}"


def _first_break(
    chain: str, records: Iterable[AuditRecord], head: ChainHead | None
) -> AuditFinding | None:
    expected, prev_hash = 1, GENESIS
    for record in records:
        if record.seq > expected:
            return AuditFinding(
                chain,
                expected,
                f"is missing (record {expected - 1} is followed by record {record.seq})"
                if expected > 1
                else f"is missing (the chain starts at record {record.seq})",
            )
        if digest(_fields(record)) != record.hash:
            return AuditFinding(
                chain, record.seq, "was altered: its content does not match its hash"
            )
        if record.prev_hash != prev_hash:
            return AuditFinding(
                chain,
                record.seq,
                f"does not follow record {record.seq - 1}: the chain is broken here "
                "(records reordered, or the one before it replaced)",
            )
        expected, prev_hash = record.seq + 1, record.hash
    last = expected - 1
    if head is None:
        if last:
            return AuditFinding(chain, last, "ends a chain that has no head row (deleted)")
        return None
    if head.seq > last:
        return AuditFinding(
            chain,
            last + 1,
            f"is missing (the chain ends at record {last}, its head says {head.seq})",
        )
    if head.seq < last or head.hash != prev_hash:
        return AuditFinding(
            chain, last, "does not match the chain's head (the head was edited or rolled back)"
        )
    return None


def verify_chain(chain: str) -> AuditFinding | None:
    """The first broken or missing record of ``chain``, or None when it verifies."""
    head = ChainHead.objects.filter(chain=chain).first()
    records = AuditRecord.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000)
    return _first_break(chain, records, head)


def _chains() -> list[str]:
    names = set(ChainHead.objects.values_list("chain", flat=True))
    names |= set(AuditRecord.objects.values_list("chain", flat=True).distinct())
    return sorted(names, key=lambda c: (c != SITE_CHAIN, len(c), c))


@dataclass(frozen=True)
class ChainStatus:
    chain: str
    records: int
    head_hash: str
    finding: AuditFinding | None


def verify_all() -> Iterator[ChainStatus]:
    """Every chain's length, head hash and first break (None when it verifies)."""
    for chain in _chains():
        head = ChainHead.objects.filter(chain=chain).first()
        finding = verify_chain(chain)
        count = AuditRecord.objects.filter(chain=chain).count()
        yield ChainStatus(chain, count, head.hash if head else "", finding)
