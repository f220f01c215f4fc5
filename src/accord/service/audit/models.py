"""Audit records, one chain per case plus one for the site (sign-ins, accounts, keys).

A record holds no foreign key: it must read the same forever, whatever happens to the people
and cases it names, because its hash covers every field. ``ChainHead`` holds each chain's last
number and hash, so that deleting the last records of a chain is detected too, and its row is
the lock that serialises appends to one chain.
"""

from __future__ import annotations

from django.db import models

__all__ = ["AuditRecord", "ChainHead"]


class AuditRecord(models.Model):
    chain = models.CharField(max_length=40)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=40)
    case_id = models.BigIntegerField(null=True, blank=True)
    party = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="one_seq_per_chain")]
        ordering = ["chain", "seq"]


class ChainHead(models.Model):
    chain = models.CharField(max_length=40, unique=True)
    seq = models.PositiveIntegerField(default=0)
    hash = models.CharField(max_length=64)
