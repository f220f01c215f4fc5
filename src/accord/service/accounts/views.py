"""Signing in and out, changing a password, personal API tokens, and the list of one's cases."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accord.service.accounts.models import ApiToken, Person
from accord.service.audit.chain import Kind, append
from accord.service.cases.access import Rule
from accord.service.cases.models import Draft, Membership
from accord.service.cases.shapes import CaseListItem
from accord.service.routing import page

__all__ = ["home", "login_page", "logout_page", "password_change", "password_change_done", "tokens"]


class _PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            append(Kind.PASSWORD_CHANGED, actor=self.request.user)
        return response


login_page = page(Rule.PUBLIC, methods=("GET", "POST"))(
    auth_views.LoginView.as_view(redirect_authenticated_user=True)
)
logout_page = page(Rule.PUBLIC, methods=("POST",))(auth_views.LogoutView.as_view())
password_change = page(Rule.SIGNED_IN, methods=("GET", "POST"))(_PasswordChange.as_view())
password_change_done = page(Rule.SIGNED_IN)(
    auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_change_done.html"
    )
)


def case_list(person: Any) -> list[CaseListItem]:
    """The cases a person holds a role in (titles and roles only)."""
    seats = (
        Membership.objects.filter(person=person)
        .select_related("case", "party")
        .order_by("-case__created_at")
    )
    counts: dict[int, int] = {}
    for case_id in Draft.objects.filter(case__memberships__person=person).values_list(
        "case_id", flat=True
    ):
        counts[case_id] = counts.get(case_id, 0) + 1
    return [
        CaseListItem(
            id=s.case.pk,
            title=s.case.title,
            role="mediator" if s.role == Membership.MEDIATOR else "delegate",
            party=s.party.name if s.party else None,
            drafts=counts.get(s.case.pk, 0),
        )
        for s in seats
    ]


@page(Rule.SIGNED_IN)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"cases": case_list(request.user)})


@page(Rule.SIGNED_IN, methods=("GET", "POST"))
def tokens(request: HttpRequest) -> HttpResponse:
    """Create (shown once) and revoke one's API tokens."""
    person = cast(Person, request.user)  # the rule lets only signed-in people here
    context: dict[str, Any] = {}
    if request.method == "POST":
        revoke = request.POST.get("revoke")
        if revoke:
            with transaction.atomic():
                n = ApiToken.objects.filter(
                    person=person, pk=revoke, revoked_at__isnull=True
                ).update(revoked_at=timezone.now())
                if n:
                    append(Kind.API_TOKEN_REVOKED, actor=person)
            messages.info(request, "The token is revoked.")
            return redirect("tokens")
        name = request.POST.get("name", "").strip()[:100] or "API token"
        token = secrets.token_urlsafe(32)
        with transaction.atomic():
            ApiToken.objects.create(
                person=person,
                name=name,
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
            )
            append(Kind.API_TOKEN_CREATED, actor=person, subject=name)
        context["new_token"] = token
    context["tokens"] = [
        {
            "id": t.pk,
            "name": t.name,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
        }
        for t in ApiToken.objects.filter(person=person).order_by("-created_at")
    ]
    return render(request, "accounts/tokens.html", context)
