"""Pages of a party's private preferences: its own, and the mediators' view when shared."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.service.cases.access import Rule
from accord.service.cases.forms import preferences_from_form
from accord.service.cases.shapes import PreferenceSheet
from accord.service.cases.visible import DelegateView, MediatorView
from accord.service.errors import SubmissionError
from accord.service.routing import page

__all__ = [
    "party_preferences",
    "preferences",
    "preferences_check",
    "preferences_version",
    "sharing",
]


def _form_values(view: DelegateView, sheet: Any) -> dict[str, str]:
    """The form's fields prefilled from the current version (or empty)."""
    values: dict[str, str] = {}
    if sheet is None:
        values["walk_away:kind"] = "value"
        return values
    for issue in sheet.issues:
        values[f"points:{issue.issue}"] = str(issue.points)
        for r in issue.ratings:
            values[f"ratings:{issue.issue}:{r.value}"] = "" if r.rating is None else str(r.rating)
    values["walk_away:kind"] = sheet.walk_away_kind
    if sheet.walk_away_value is not None:
        values["walk_away:value"] = str(sheet.walk_away_value)
    for choice in sheet.walk_away_package or []:
        values[f"walk_away:package:{choice.issue}"] = choice.value
    values["notes"] = sheet.notes
    return values


@page(Rule.CASE_DELEGATE, methods=("GET", "POST"))
def preferences(request: HttpRequest, view: DelegateView) -> HttpResponse:
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            view.save_preferences(preferences_from_form(request.POST, view.scenario))
        except SubmissionError as e:
            errors, status = e.by_field(), 400
        else:
            messages.success(request, "Saved as a new version. Answer the check below.")
            return redirect("case-preferences", case=view.case.pk)
    sheet = view.own_preferences()
    values = dict(request.POST.items()) if errors else _form_values(view, sheet)
    context = {
        "case": view.summary(),
        "sheet": sheet,
        "values": values,
        "errors": errors,
        "sharing": view.shares_with_mediators,
        "versions": view.own_versions(),
    }
    return render(request, "cases/preferences.html", context, status=status)


@page(Rule.CASE_DELEGATE, methods=("POST",))
def preferences_check(request: HttpRequest, view: DelegateView) -> HttpResponse:
    try:
        version = int(request.POST.get("version", "0"))
        index = int(request.POST.get("pair", "-1"))
    except ValueError:
        version, index = 0, -1
    status = 200
    errors: dict[str, list[str]] = {}
    sheet: PreferenceSheet | None
    try:
        sheet = view.answer_check(version, index, request.POST.get("answer", ""))
    except SubmissionError as e:
        errors, status = e.by_field(), 400
        sheet = view.own_preferences()
    context = {"case": view.summary(), "sheet": sheet, "check_errors": errors}
    if request.headers.get("HX-Request"):
        return render(request, "cases/_check.html", context, status=status)
    if status == 200:
        return redirect("case-preferences", case=view.case.pk)
    return render(request, "cases/_check.html", context, status=status)


@page(Rule.CASE_DELEGATE, methods=("POST",))
def sharing(request: HttpRequest, view: DelegateView) -> HttpResponse:
    share = request.POST.get("share") == "yes"
    view.set_sharing(share)
    if share:
        messages.success(request, "Your preferences are now visible to the mediators.")
    else:
        messages.info(request, "Your preferences are no longer visible to the mediators.")
    return redirect("case-preferences", case=view.case.pk)


@page(Rule.CASE_DELEGATE)
def preferences_version(request: HttpRequest, view: DelegateView, number: int) -> HttpResponse:
    sheet = view.own_version(number)
    return render(
        request, "cases/version.html", {"case": view.summary(), "sheet": sheet, "own": True}
    )


@page(Rule.CASE_MEDIATOR)
def party_preferences(request: HttpRequest, view: MediatorView, party: str) -> HttpResponse:
    sheet = view.party_preferences(party)
    context = {"case": view.summary(), "sheet": sheet, "party": party, "own": False}
    return render(request, "cases/version.html", context)
