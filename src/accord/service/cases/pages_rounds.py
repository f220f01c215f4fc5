"""Pages of the rounds: drafts, answers, comparisons, messages, and what mediators take away."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.service.cases.access import Rule
from accord.service.cases.case_view import choices
from accord.service.cases.forms import package_from_form
from accord.service.cases.visible import DelegateView, MediatorView
from accord.service.errors import NotFound, SubmissionError
from accord.service.routing import page

__all__ = [
    "answer",
    "compare",
    "draft",
    "draft_new",
    "drafts",
    "export",
    "messages_page",
    "report",
]

View = MediatorView | DelegateView


@page(Rule.CASE_MEMBER)
def drafts(request: HttpRequest, view: View) -> HttpResponse:
    context: dict[str, Any] = {"case": view.summary(), "view_role": view.role}
    if isinstance(view, DelegateView):
        context["own"] = {f.draft: f for f in view.own_figures()}
    return render(request, "cases/drafts.html", context)


@page(Rule.CASE_MEDIATOR, methods=("GET", "POST"))
def draft_new(request: HttpRequest, view: MediatorView) -> HttpResponse:
    summary = view.summary()
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        raw = {
            "package": package_from_form(request.POST, view.scenario, "package"),
            "note": request.POST.get("note", ""),
            "origin": request.POST.get("origin", ""),
        }
        try:
            created = view.publish_draft(raw)
        except SubmissionError as e:
            errors, status = e.by_field(), 400
            values = {k: request.POST.get(k, "") for k in request.POST}
        else:
            messages.success(request, f"Draft {created.number} is published to every party.")
            return redirect("case-draft", case=view.case.pk, number=created.number)
    elif request.GET.get("suggest"):
        package, values["origin"] = view.suggestion(request.GET["suggest"])
        values |= {f"package:{c.issue}": c.value for c in choices(view.scenario, package)}
    else:
        start = request.GET.get("from", "")
        base = next((p for p in summary.proposals if p.id == start), None)
        if base is None and summary.drafts:
            base_package = summary.drafts[-1].package
            values["origin"] = f"from draft {summary.drafts[-1].number}"
        else:
            base_package = base.package if base else []
            values["origin"] = f"from {base.name}" if base else ""
        values |= {f"package:{c.issue}": c.value for c in base_package}
    context = {"case": summary, "values": values, "errors": errors}
    return render(request, "cases/draft_new.html", context, status=status)


@page(Rule.CASE_MEMBER)
def draft(request: HttpRequest, view: View, number: int) -> HttpResponse:
    detail = view.draft_detail(number)
    context = {"case": view.summary(), "detail": detail, "view_role": view.role, "errors": {}}
    return render(request, "cases/draft.html", context)


@page(Rule.CASE_DELEGATE, methods=("POST",))
def answer(request: HttpRequest, view: DelegateView, number: int) -> HttpResponse:
    raw = {
        "accept": request.POST.get("accept", ""),
        "issues": {i.id: request.POST.get(f"issues:{i.id}", "") for i in view.scenario.issues},
        "comment": request.POST.get("comment", ""),
    }
    status = 200
    errors: dict[str, list[str]] = {}
    try:
        view.answer_draft(number, raw)
    except SubmissionError as e:
        errors, status = e.by_field(), 400
    else:
        if not request.headers.get("HX-Request"):
            messages.success(request, f"Your answer to draft {number} is recorded.")
            return redirect("case-draft", case=view.case.pk, number=number)
    detail = view.draft_detail(number)
    context = {"case": view.summary(), "detail": detail, "view_role": view.role, "errors": errors}
    template = "cases/_answer.html" if request.headers.get("HX-Request") else "cases/draft.html"
    return render(request, template, context, status=status)


@page(Rule.CASE_MEMBER)
def compare(request: HttpRequest, view: View) -> HttpResponse:
    summary = view.summary()
    context: dict[str, Any] = {"case": summary, "view_role": view.role}
    numbers = [d.number for d in summary.drafts]
    try:
        a = int(request.GET.get("a", numbers[-2] if len(numbers) > 1 else 0))
        b = int(request.GET.get("b", numbers[-1] if numbers else 0))
    except ValueError:
        a = b = 0
    if a in numbers and b in numbers:
        context["comparison"] = view.compare(a, b)
    elif request.GET.get("a") or request.GET.get("b"):
        raise NotFound("no such draft")
    context["a"], context["b"] = a, b
    return render(request, "cases/compare.html", context)


@page(Rule.CASE_MEMBER, methods=("GET", "POST"))
def messages_page(request: HttpRequest, view: View) -> HttpResponse:
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            view.send_message({k: request.POST.get(k, "") for k in request.POST})
        except SubmissionError as e:
            errors, status = e.by_field(), 400
        else:
            if not request.headers.get("HX-Request"):
                return redirect("case-messages", case=view.case.pk)
    context = {
        "case": view.summary(),
        "messages_list": view.messages(),
        "view_role": view.role,
        "errors": errors,
        "post": request.POST if errors else {},
    }
    template = (
        "cases/_messages.html" if request.headers.get("HX-Request") else "cases/messages.html"
    )
    return render(request, template, context, status=status)


@page(Rule.CASE_MEDIATOR)
def export(request: HttpRequest, view: MediatorView) -> HttpResponse:
    name, text = view.export()
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page(Rule.CASE_MEDIATOR)
def report(request: HttpRequest, view: MediatorView) -> HttpResponse:
    html = view.report()
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # The report is one self-contained page with an inline style sheet and no script: it gets
    # its own policy, sandboxed (no script can run, no form can post, nothing is fetched).
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return response
