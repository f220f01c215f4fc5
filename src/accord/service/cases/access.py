"""Who may do what: the one place that decides what a person sees of a case.

:func:`view_of_case` is that decision. Given a person and a case it returns the view of the
case that person's role allows — :class:`~accord.service.cases.visible.MediatorView` or
:class:`~accord.service.cases.visible.DelegateView` — or refuses (``NotFound`` for a case the
person has no role in, so that its existence is not revealed). Each view's methods return only
what that role may see (a delegate: its own party's preferences, answers and caucus; a
mediator: every answer and message, and a party's preferences only when the party shares them)
and perform only what that role may do. Templates and API handlers receive nothing else.

Every route (page or API) declares a :class:`Rule`; :func:`require` applies it. The access
matrix test walks the URL configuration and fails on a route without one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from accord.service.errors import Denied, NotFound

if TYPE_CHECKING:
    from accord.service.cases.visible import DelegateView, MediatorView

__all__ = ["NotSignedIn", "Rule", "require", "view_of_case"]


class NotSignedIn(Exception):
    """The route needs a signed-in person (pages redirect to the sign-in page; the API: 401)."""


class Rule(StrEnum):
    """What a route requires of the person asking."""

    PUBLIC = "anyone"
    SIGNED_IN = "signed in"
    CAN_MEDIATE = "may open cases"
    CASE_MEMBER = "a role in the case"
    CASE_MEDIATOR = "a mediator of the case"
    CASE_DELEGATE = "a delegate in the case"
    SITE_STAFF = "site administrator"

    @property
    def needs_case(self) -> bool:
        return self in {Rule.CASE_MEMBER, Rule.CASE_MEDIATOR, Rule.CASE_DELEGATE}


def _signed_in(person: Any) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and bool(
        getattr(person, "is_active", False)
    )


def view_of_case(person: Any, case_id: int) -> MediatorView | DelegateView:
    """The view of case ``case_id`` that ``person`` may see, by its role in the case.

    Raises:
        NotSignedIn: nobody is signed in.
        NotFound: no such case, or the person holds no role in it.
    """
    from accord.service.cases.models import Membership
    from accord.service.cases.visible import DelegateView, MediatorView

    if not _signed_in(person):
        raise NotSignedIn
    seat = (
        Membership.objects.select_related("case", "party", "person")
        .filter(case_id=case_id, person=person)
        .first()
    )
    if seat is None:
        raise NotFound("no such case")
    if seat.role == Membership.MEDIATOR:
        return MediatorView(seat)
    return DelegateView(seat)


def require(
    rule: Rule, person: Any, case_id: int | None = None
) -> MediatorView | DelegateView | None:
    """Apply a route's rule: the case view for case rules, None for the others.

    Raises NotSignedIn, NotFound (case rules, when the person has no role in the case) or
    Denied (a role that may not use the route).
    """
    from accord.service.cases.visible import DelegateView, MediatorView

    if rule is Rule.PUBLIC:
        return None
    if not _signed_in(person):
        raise NotSignedIn
    if rule is Rule.SIGNED_IN:
        return None
    if rule is Rule.CAN_MEDIATE:
        if not person.can_mediate:
            raise Denied("Only accounts that may mediate open cases; ask the site administrator.")
        return None
    if rule is Rule.SITE_STAFF:
        if not person.is_staff:
            raise Denied("Only site administrators may use this page.")
        return None
    if case_id is None:
        raise NotFound("no such case")
    view = view_of_case(person, case_id)
    if rule is Rule.CASE_MEDIATOR and not isinstance(view, MediatorView):
        raise Denied("Only the case's mediators may use this page.")
    if rule is Rule.CASE_DELEGATE and not isinstance(view, DelegateView):
        raise Denied("Only the parties' delegates may use this page.")
    return view
