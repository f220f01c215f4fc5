"""Pages of a case: opening one, its overview, invitations, and accepting an invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accord.errors import LimitExceeded
from accord.limits import SERVICE_UPLOAD_MAX_BYTES
from accord.model import Problem, ScenarioError
from accord.service import engine
from accord.service.cases.access import Rule
from accord.service.cases.forms import case_document_from_form
from accord.service.cases.invitations import (
    InvitationClosed,
    accept,
    create_case,
    find_invitation,
    set_password_and_accept,
)
from accord.service.cases.visible import DelegateView, MediatorView
from accord.service.errors import NotFound, SubmissionError
from accord.service.routing import page

__all__ = ["case_new", "invitation", "invitations", "overview", "revoke_invitation"]


def _problem_rows(error: ScenarioError | SubmissionError) -> list[dict[str, Any]]:
    from accord.model.problems import format_path

    return [
        {
            "where": (f"line {p.line}, column {p.column}" if p.line is not None else ""),
            "path": format_path(p.path),
            "expected": p.expected,
            "found": p.found,
        }
        for p in error.problems
    ]


def _scenario_from_request(request: HttpRequest) -> tuple[Any, str]:
    source = request.POST.get("source", "")
    if source == "embedded":
        name = request.POST.get("embedded", "")
        if name not in dict(engine.embedded_choices()):
            raise SubmissionError(
                [Problem(("embedded",), "one of the embedded scenarios", repr(name))]
            )
        return engine.scenario_from_embedded(name), f"{name} (embedded)"
    if source == "upload":
        upload = request.FILES.get("file")
        if upload is None:
            raise SubmissionError([Problem(("file",), "a YAML or JSON scenario file", "no file")])
        if upload.size is None or upload.size > SERVICE_UPLOAD_MAX_BYTES:
            raise SubmissionError(
                [
                    Problem(
                        ("file",),
                        f"a file of at most {SERVICE_UPLOAD_MAX_BYTES:,} bytes "
                        "(accord.limits.SERVICE_UPLOAD_MAX_BYTES)",
                        f"{upload.size:,} bytes",
                    )
                ]
            )
        name = str(upload.name or "upload.yaml")
        return engine.scenario_from_upload(name, upload.read()), f"uploaded file {name}"
    if source == "form":
        return engine.scenario_from_form(
            case_document_from_form(request.POST)
        ), "described in the form"
    raise SubmissionError([Problem(("source",), "'embedded', 'upload' or 'form'", repr(source))])


@page(Rule.CAN_MEDIATE, methods=("GET", "POST"))
def case_new(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"embedded": engine.embedded_choices(), "post": request.POST}
    if request.method == "POST":
        try:
            scenario, origin = _scenario_from_request(request)
            case = create_case(request.user, scenario, origin)  # type: ignore[arg-type]
        except (ScenarioError, SubmissionError) as e:
            context["problems"] = _problem_rows(e)
            context["source"] = request.POST.get("source", "")
            return render(request, "cases/new.html", context, status=400)
        except LimitExceeded as e:
            context["limit"] = str(e)
            return render(request, "cases/new.html", context, status=400)
        messages.success(request, "The case is open. Invite each party's delegates next.")
        return redirect("case-invitations", case=case.pk)
    return render(request, "cases/new.html", context)


@page(Rule.CASE_MEMBER)
def overview(request: HttpRequest, view: MediatorView | DelegateView) -> HttpResponse:
    context: dict[str, Any] = {"case": view.summary(), "view_role": view.role}
    if isinstance(view, MediatorView):
        context["parties"] = view.parties()
    else:
        context["sharing"] = view.shares_with_mediators
        context["versions"] = len(view.own_versions())
    return render(request, "cases/overview.html", context)


@page(Rule.CASE_MEDIATOR, methods=("GET", "POST"))
def invitations(request: HttpRequest, view: MediatorView) -> HttpResponse:
    context: dict[str, Any] = {"case": view.summary(), "parties": view.parties()}
    status = 200
    if request.method == "POST":
        try:
            role, _, party = request.POST.get("as", "").partition(":")
            raw = {"email": request.POST.get("email", ""), "role": role, "party": party}
            created, token = view.invite(raw)
            context["created"] = created
            context["link"] = request.build_absolute_uri(reverse("invitation", args=[token]))
        except SubmissionError as e:
            context["errors"] = e.by_field()
            context["post"] = request.POST
            status = 400
    context["invitations"] = view.invitations()
    return render(request, "cases/invitations.html", context, status=status)


@page(Rule.CASE_MEDIATOR, methods=("POST",))
def revoke_invitation(request: HttpRequest, view: MediatorView, invitation: int) -> HttpResponse:
    view.revoke(invitation)
    messages.info(request, "The invitation is revoked: its link no longer works.")
    return redirect("case-invitations", case=view.case.pk)


@page(Rule.PUBLIC, methods=("GET", "POST"))
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        inv = find_invitation(token)
    except NotFound:
        raise Http404("no such invitation") from None
    except InvitationClosed as e:
        return render(request, "cases/invitation_closed.html", {"state": e.state}, status=410)
    from accord.service.accounts.models import Person

    person = Person.objects.filter(email=inv.email).first()
    has_password = person is not None and person.has_usable_password()
    signed_in_as = request.user if request.user.is_authenticated else None
    context: dict[str, Any] = {
        "inv": inv,
        "case_title": inv.case.title if inv.case else None,
        "party_name": inv.party.name if inv.party else None,
        "needs_password": not has_password or inv.case is None,
        "signed_in_as": signed_in_as,
        "is_invitee": signed_in_as is not None and signed_in_as.email == inv.email,
    }
    if request.method == "POST":
        try:
            if context["needs_password"]:
                person, case = set_password_and_accept(inv, dict(request.POST.items()))
                login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            elif context["is_invitee"]:
                case = accept(inv, request.user)  # type: ignore[arg-type]
            else:
                return render(request, "cases/invitation.html", context, status=403)
        except SubmissionError as e:
            context["errors"] = e.by_field()
            return render(request, "cases/invitation.html", context, status=400)
        except InvitationClosed as e:
            return render(request, "cases/invitation_closed.html", {"state": e.state}, status=410)
        if case is None:
            return redirect("home")
        return redirect("case", case=case.pk)
    return render(request, "cases/invitation.html", context)
