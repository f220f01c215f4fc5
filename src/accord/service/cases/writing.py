"""The one rule every write to a case follows: its transaction takes the case's row first.

Writes in one case therefore follow one another (they are small), and they cannot deadlock.
Without the rule they could on PostgreSQL: Django declares foreign keys ``DEFERRABLE
INITIALLY DEFERRED`` there, so the check that a new message's case exists locks the case's row
(``FOR KEY SHARE``) only at the commit, after the transaction has taken its audit chain's head;
an answer, which locks the case's row first and the head second, would then wait for the
message while the message waits for it (the load benchmark met exactly this). SQLite, whose
transactions here take the database's write lock when they begin, needs no more, and the rule
costs it nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from accord.service.cases.models import Case

__all__ = ["case_transaction"]


@contextmanager
def case_transaction(case_pk: int) -> Iterator[Case]:
    """A transaction holding the case's row (``SELECT ... FOR UPDATE``) from its start; yields
    the case as it is now."""
    with transaction.atomic():
        yield Case.objects.select_for_update().get(pk=case_pk)
