"""The tables of a case. Private content lives only in ``sealed`` columns (Fernet tokens).

Nothing here decides who may see what: :mod:`accord.service.cases.access` does, and templates
and API handlers never receive these model objects, only the view objects it returns.
Every private record is append-only: a new preference version, a new answer, a new check are
new rows, so every saved version is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = [
    "Agreement",
    "Answer",
    "Bid",
    "Bidding",
    "Case",
    "CaseParty",
    "Draft",
    "Invitation",
    "KeyCheck",
    "Membership",
    "Message",
    "Offer",
    "OfferResponse",
    "PreferenceCheck",
    "PreferenceVersion",
]

PERSON = settings.AUTH_USER_MODEL


class Case(models.Model):
    """A negotiation hosted by the service; ``shared`` is its shared part, an accord scenario
    without preferences (what every participant may see), fixed when the case is opened."""

    title = models.CharField(max_length=300)
    shared = models.JSONField()
    origin = models.CharField(max_length=300)
    created_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class CaseParty(models.Model):
    """A negotiating party of a case (a scenario party with role ``negotiator``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    party_id = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    shares_with_mediators = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "party_id"], name="one_party_id_per_case")
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a case: mediator (no party) or delegate of one party."""

    MEDIATOR = "mediator"
    DELEGATE = "delegate"
    ROLES = [(MEDIATOR, "mediator"), (DELEGATE, "party delegate")]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=ROLES)
    party = models.ForeignKey(
        CaseParty, null=True, blank=True, on_delete=models.CASCADE, related_name="delegates"
    )
    is_owner = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_role_per_case"),
            models.CheckConstraint(
                condition=(Q(role="mediator") & Q(party__isnull=True))
                | (Q(role="delegate") & Q(party__isnull=False) & Q(is_owner=False)),
                name="mediators_have_no_party_delegates_have_one",
            ),
        ]


class Invitation(models.Model):
    """A single-use, expiring, revocable link: to join a case, or to set an account's password.

    Only the SHA-256 of the link's token is stored.
    """

    email = models.EmailField()
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=Membership.ROLES, blank=True)
    party = models.ForeignKey(CaseParty, null=True, blank=True, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.used_at is not None:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class PreferenceVersion(models.Model):
    """One saved version of a party's private preferences (``sealed``: points, ratings,
    walk-away, notes)."""

    party = models.ForeignKey(
        CaseParty, on_delete=models.CASCADE, related_name="preference_versions"
    )
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["party", "number"], name="one_preference_number")
        ]
        ordering = ["party", "number"]


class PreferenceCheck(models.Model):
    """The delegate's answers to one consistency check of a preference version (``sealed``)."""

    version = models.ForeignKey(PreferenceVersion, on_delete=models.CASCADE, related_name="checks")
    answered_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()

    class Meta:
        ordering = ["version", "pk"]


class Draft(models.Model):
    """A round of the single negotiating text: a package and a note, published by a mediator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField()
    package = models.JSONField()
    note = models.TextField(blank=True)
    origin = models.CharField(max_length=200, blank=True)
    published_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="one_draft_number")]
        ordering = ["case", "number"]


class Answer(models.Model):
    """A party's private answer to one draft (``sealed``: accept, per-issue verdicts, comment).

    Bound to the draft it answers; a later answer to the same draft is a new row.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="answers")
    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveIntegerField()
    answered_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "party", "number"], name="one_answer_number")
        ]
        ordering = ["draft", "party", "number"]


class Message(models.Model):
    """A message between the mediators and the parties (``sealed``: its text).

    ``party`` empty: from the mediators to every party. ``party`` set: a caucus with that
    party, from the mediators (``from_mediators``) or from the party's delegate to the
    mediators. Never from one party to another.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    from_mediators = models.BooleanField()
    party = models.ForeignKey(
        CaseParty, null=True, blank=True, on_delete=models.CASCADE, related_name="caucus"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(from_mediators=True) | Q(party__isnull=False),
                name="parties_write_only_to_the_mediators",
            )
        ]
        ordering = ["case", "sent_at", "pk"]


class KeyCheck(models.Model):
    """One sealed known value: at start-up, proves the configured key opens this database."""

    sealed = models.TextField()


class Bidding(models.Model):
    """Blind bidding on one numeric issue between two parties, opened by a mediator.

    Each round, the ``giver`` submits the most it would give and the ``taker`` the least it
    would take (sealed in :class:`Bid`). When they cross, the issue settles by ``rule``;
    otherwise the next round opens, until ``rounds`` have been held. ``progress_visible``:
    whether a party may see that the other side has bid in the current round.
    """

    OPEN = "open"
    SETTLED = "settled"
    NO_OVERLAP = "no overlap"
    CLOSED = "closed"
    STATES = [(s, s) for s in (OPEN, SETTLED, NO_OVERLAP, CLOSED)]
    RULES = [
        ("midpoint", "the midpoint of the two limits"),
        ("taker_limit", "the taker's limit"),
        ("giver_limit", "the giver's limit"),
    ]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="biddings")
    number = models.PositiveIntegerField()
    issue = models.CharField(max_length=200)
    giver = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="+")
    taker = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="+")
    rounds = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=20, choices=RULES, default="midpoint")
    progress_visible = models.BooleanField(default=False)
    round = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=20, choices=STATES, default=OPEN)
    settlement = models.FloatField(null=True, blank=True)
    opened_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_bidding_number"),
            models.CheckConstraint(condition=~Q(giver=models.F("taker")), name="two_sides"),
        ]
        ordering = ["case", "number"]


class Bid(models.Model):
    """A party's sealed limit for one round (``sealed``: the limit, a note, and whether the
    mediators may see it). One per party and round: a bid is final."""

    bidding = models.ForeignKey(Bidding, on_delete=models.CASCADE, related_name="bids")
    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="bids")
    round = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bidding", "party", "round"], name="one_bid_a_round")
        ]
        ordering = ["bidding", "round", "pk"]


class Agreement(models.Model):
    """A package every party accepted: first a draft (the tentative agreement), then possibly
    an improvement offered after it (``offer``), which replaces it as number 2.

    ``searched_at``: when the engine looked for improvements (None: not yet); ``outcome``,
    once the improvement round has ended: improved, kept, none found, or closed.
    """

    IMPROVED = "improved"
    KEPT = "kept"
    NONE_FOUND = "none found"
    CLOSED = "closed by the mediators"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements")
    number = models.PositiveIntegerField()
    package = models.JSONField()
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE)
    offer = models.ForeignKey(
        "Offer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reached_at = models.DateTimeField(default=timezone.now)
    searched_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_agreement_number")
        ]
        ordering = ["case", "number"]


class Offer(models.Model):
    """A package the engine found that every party strictly prefers to an agreement (rank 1:
    the best by the Nash product of the gains over it)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="offers")
    rank = models.PositiveSmallIntegerField()
    package = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "rank"], name="one_offer_rank")]
        ordering = ["agreement", "rank"]


class OfferResponse(models.Model):
    """A party's private, final response to the improvements offered after an agreement
    (``sealed``: accepted or rejected for each offer, and a comment)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="responses")
    party = models.ForeignKey(CaseParty, on_delete=models.CASCADE, related_name="+")
    answered_by = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    sealed = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="one_response_a_party")
        ]
        ordering = ["agreement", "pk"]
