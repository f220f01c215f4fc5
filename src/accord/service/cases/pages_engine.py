"""Pages of what the engine adds to a case: assistance for the mediators, blind bidding, and
the agreement with the improvements offered after it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.service.cases.access import Rule
from accord.service.cases.visible import DelegateView, MediatorView
from accord.service.errors import NotFound, SubmissionError
from accord.service.routing import page

__all__ = [
    "agreement",
    "agreement_close",
    "agreement_respond",
    "assistance",
    "bid",
    "bidding",
    "bidding_close",
    "bidding_open",
    "biddings",
]

View = MediatorView | DelegateView


def _number(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise NotFound("no such draft") from None


@page(Rule.CASE_MEDIATOR)
def assistance(request: HttpRequest, view: MediatorView) -> HttpResponse:
    found = view.assistance(_number(request.GET.get("draft")))
    context = {
        "case": view.summary(),
        "help": found,
        "record": view.calibration(),
        "view_role": view.role,
    }
    return render(request, "cases/assistance.html", context)


# --- blind bidding -----------------------------------------------------------------------------


def _biddings_page(
    request: HttpRequest, view: View, errors: dict[str, list[str]], status: int = 200
) -> HttpResponse:
    context = {
        "case": view.summary(),
        "biddings": view.biddings(),
        "view_role": view.role,
        "errors": errors,
        "post": request.POST if errors else {},
    }
    return render(request, "cases/biddings.html", context, status=status)


@page(Rule.CASE_MEMBER)
def biddings(request: HttpRequest, view: View) -> HttpResponse:
    return _biddings_page(request, view, {})


@page(Rule.CASE_MEDIATOR, methods=("POST",))
def bidding_open(request: HttpRequest, view: MediatorView) -> HttpResponse:
    try:
        opened = view.open_bidding({k: request.POST.get(k, "") for k in request.POST})
    except SubmissionError as e:
        return _biddings_page(request, view, e.by_field(), 400)
    messages.success(request, f"Bidding {opened.number} is open: each side may bid.")
    return redirect("case-bidding", case=view.case.pk, bidding=opened.number)


def _bidding_page(
    request: HttpRequest, view: View, number: int, errors: dict[str, list[str]], status: int = 200
) -> HttpResponse:
    context = {
        "case": view.summary(),
        "bidding": view.bidding(number),
        "view_role": view.role,
        "errors": errors,
    }
    return render(request, "cases/bidding.html", context, status=status)


@page(Rule.CASE_MEMBER)
def bidding(request: HttpRequest, view: View, bidding: int) -> HttpResponse:
    return _bidding_page(request, view, bidding, {})


@page(Rule.CASE_DELEGATE, methods=("POST",))
def bid(request: HttpRequest, view: DelegateView, bidding: int) -> HttpResponse:
    raw: dict[str, Any] = {k: request.POST.get(k, "") for k in request.POST}
    try:
        view.bid(bidding, raw)
    except SubmissionError as e:
        return _bidding_page(request, view, bidding, e.by_field(), 400)
    messages.success(request, "Your bid is recorded. It is final, and only your party sees it.")
    return redirect("case-bidding", case=view.case.pk, bidding=bidding)


@page(Rule.CASE_MEDIATOR, methods=("POST",))
def bidding_close(request: HttpRequest, view: MediatorView, bidding: int) -> HttpResponse:
    try:
        view.close_bidding(bidding)
    except SubmissionError as e:
        return _bidding_page(request, view, bidding, e.by_field(), 400)
    messages.info(request, f"Bidding {bidding} is closed without a settlement.")
    return redirect("case-bidding", case=view.case.pk, bidding=bidding)


# --- the agreement -------------------------------------------------------------------------------


def _agreement_page(
    request: HttpRequest, view: View, errors: dict[str, list[str]], status: int = 200
) -> HttpResponse:
    context = {
        "case": view.summary(),
        "found": view.agreement(),
        "view_role": view.role,
        "errors": errors,
    }
    return render(request, "cases/agreement.html", context, status=status)


@page(Rule.CASE_MEMBER)
def agreement(request: HttpRequest, view: View) -> HttpResponse:
    return _agreement_page(request, view, {})


@page(Rule.CASE_DELEGATE, methods=("POST",))
def agreement_respond(request: HttpRequest, view: DelegateView) -> HttpResponse:
    responses = {
        key.split(":", 1)[1]: value
        for key, value in request.POST.items()
        if key.startswith("responses:")
    }
    raw = {"responses": responses, "comment": request.POST.get("comment", "")}
    try:
        view.respond_to_offers(raw)
    except SubmissionError as e:
        return _agreement_page(request, view, e.by_field(), 400)
    messages.success(request, "Your response is recorded. It is final.")
    return redirect("case-agreement", case=view.case.pk)


@page(Rule.CASE_MEDIATOR, methods=("POST",))
def agreement_close(request: HttpRequest, view: MediatorView) -> HttpResponse:
    try:
        view.close_improvements()
    except SubmissionError as e:
        return _agreement_page(request, view, e.by_field(), 400)
    messages.info(request, "The round of improvements is closed: the agreement is final.")
    return redirect("case-agreement", case=view.case.pk)
