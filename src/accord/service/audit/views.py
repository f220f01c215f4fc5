"""The audit log of a case, for its mediators: a page, and CSV and JSON downloads.

The downloads carry every field of every record with its hash and the previous record's, so
that anyone can recompute the chain (see :mod:`accord.service.audit.chain`).
"""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.service.audit.chain import case_chain, verify_chain
from accord.service.cases.access import Rule
from accord.service.cases.visible import MediatorView
from accord.service.routing import page

__all__ = ["audit_csv", "audit_json", "audit_log"]

FIELDS = ("seq", "at", "actor", "kind", "party", "subject", "prev_hash", "hash")


@page(Rule.CASE_MEDIATOR)
def audit_log(request: HttpRequest, view: MediatorView) -> HttpResponse:
    rows = view.audit_rows()
    finding = verify_chain(case_chain(view.case.pk))
    context = {"case": view.summary(), "rows": rows, "finding": finding}
    return render(request, "audit/log.html", context)


def _attachment(response: HttpResponse, view: MediatorView, ext: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="audit-case-{view.case.pk}.{ext}"'
    return response


@page(Rule.CASE_MEDIATOR)
def audit_csv(request: HttpRequest, view: MediatorView) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("chain", *FIELDS))
    chain = case_chain(view.case.pk)
    for row in view.audit_rows(download="csv"):
        data = row.model_dump(mode="json")
        writer.writerow((chain, *(data[f] for f in FIELDS)))
    return _attachment(
        HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8"), view, "csv"
    )


@page(Rule.CASE_MEDIATOR)
def audit_json(request: HttpRequest, view: MediatorView) -> HttpResponse:
    chain = case_chain(view.case.pk)
    records = [
        {"chain": chain, **r.model_dump(mode="json")} for r in view.audit_rows(download="json")
    ]
    text = json.dumps({"case": view.case.pk, "chain": chain, "records": records}, indent=2)
    return _attachment(HttpResponse(text, content_type="application/json"), view, "json")
