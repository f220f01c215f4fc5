"""Every route, as every role, for every object of a case: the right status, and no response
body (pages, JSON, error pages, exports, audit downloads) carrying another party's canaries.

The routes come from the URL configuration (pages, and the admin) and from the API's OpenAPI
description, so a route added later is tried here automatically; a route without an access
rule fails :func:`test_every_route_declares_its_rule`, and one whose rule differs from the
table below fails :func:`test_each_route_has_the_rule_this_table_expects`.

The world here is the one where the parties hold an agreement (``WORLD_WITH_AGREEMENT``), so
that the agreement's pages show offers and party B's response; canaries sit in party B's
preferences, answers, caucus messages, bids and response, and each party's private engine
figures (utilities, margins, gains as the JSON API writes them) are canaries too.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accord.service.api import api
from accord.service.api_routing import API_RULES
from accord.service.cases.access import Rule

from .world import CAIRO_DRAFT, CANARY, World

WORLD_WITH_AGREEMENT = True

# --- the rule every route must have (a new route must be added here, deliberately) -----------

PAGE_RULES = {
    "home": Rule.SIGNED_IN,
    "login": Rule.PUBLIC,
    "logout": Rule.PUBLIC,
    "password_change": Rule.SIGNED_IN,
    "password_change_done": Rule.SIGNED_IN,
    "tokens": Rule.SIGNED_IN,
    "invitation": Rule.PUBLIC,
    "case-new": Rule.CAN_MEDIATE,
    "case": Rule.CASE_MEMBER,
    "case-invitations": Rule.CASE_MEDIATOR,
    "case-invitation-revoke": Rule.CASE_MEDIATOR,
    "case-preferences": Rule.CASE_DELEGATE,
    "case-check": Rule.CASE_DELEGATE,
    "case-sharing": Rule.CASE_DELEGATE,
    "case-preferences-version": Rule.CASE_DELEGATE,
    "case-party-preferences": Rule.CASE_MEDIATOR,
    "case-drafts": Rule.CASE_MEMBER,
    "case-draft-new": Rule.CASE_MEDIATOR,
    "case-draft": Rule.CASE_MEMBER,
    "case-answer": Rule.CASE_DELEGATE,
    "case-compare": Rule.CASE_MEMBER,
    "case-messages": Rule.CASE_MEMBER,
    "case-export": Rule.CASE_MEDIATOR,
    "case-report": Rule.CASE_MEDIATOR,
    "case-assistance": Rule.CASE_MEDIATOR,
    "case-biddings": Rule.CASE_MEMBER,
    "case-bidding-open": Rule.CASE_MEDIATOR,
    "case-bidding": Rule.CASE_MEMBER,
    "case-bid": Rule.CASE_DELEGATE,
    "case-bidding-close": Rule.CASE_MEDIATOR,
    "case-agreement": Rule.CASE_MEMBER,
    "case-agreement-respond": Rule.CASE_DELEGATE,
    "case-agreement-close": Rule.CASE_MEDIATOR,
    "case-audit": Rule.CASE_MEDIATOR,
    "case-audit-csv": Rule.CASE_MEDIATOR,
    "case-audit-json": Rule.CASE_MEDIATOR,
}
API_RULE_TABLE = {
    "list_cases": Rule.SIGNED_IN,
    "create_case": Rule.CAN_MEDIATE,
    "get_case": Rule.CASE_MEMBER,
    "list_drafts": Rule.CASE_MEMBER,
    "publish_draft": Rule.CASE_MEDIATOR,
    "get_draft": Rule.CASE_MEMBER,
    "answer_draft": Rule.CASE_DELEGATE,
    "compare_drafts": Rule.CASE_MEMBER,
    "get_own_preferences": Rule.CASE_DELEGATE,
    "save_preferences": Rule.CASE_DELEGATE,
    "answer_check": Rule.CASE_DELEGATE,
    "set_sharing": Rule.CASE_DELEGATE,
    "list_parties": Rule.CASE_MEDIATOR,
    "get_party_preferences": Rule.CASE_MEDIATOR,
    "list_messages": Rule.CASE_MEMBER,
    "send_message": Rule.CASE_MEMBER,
    "list_invitations": Rule.CASE_MEDIATOR,
    "create_invitation": Rule.CASE_MEDIATOR,
    "revoke_invitation": Rule.CASE_MEDIATOR,
    "get_audit": Rule.CASE_MEDIATOR,
    "export_case": Rule.CASE_MEDIATOR,
    "get_assistance": Rule.CASE_MEDIATOR,
    "suggest_draft": Rule.CASE_MEDIATOR,
    "get_own_figures": Rule.CASE_DELEGATE,
    "list_biddings": Rule.CASE_MEMBER,
    "open_bidding": Rule.CASE_MEDIATOR,
    "get_bidding": Rule.CASE_MEMBER,
    "submit_bid": Rule.CASE_DELEGATE,
    "close_bidding": Rule.CASE_MEDIATOR,
    "get_agreement": Rule.CASE_MEMBER,
    "respond_to_offers": Rule.CASE_DELEGATE,
    "close_improvements": Rule.CASE_MEDIATOR,
}
# A valid body for each operation that takes one, so that the rule, not the body, decides.
API_BODIES: dict[str, Any] = {
    "create_case": {"embedded": "job-offer"},
    "publish_draft": {"package": CAIRO_DRAFT, "note": "from the matrix"},
    "answer_draft": {"accept": "accept", "issues": {}, "comment": "ok"},
    "save_preferences": None,  # filled in below from the world's helper
    "answer_check": {"version": 1, "pair": 0, "answer": "confirm"},
    "set_sharing": {"share": True},
    "send_message": {"text": "from the matrix", "to": "all"},
    "create_invitation": {"email": "new@example.org", "role": "mediator"},
    "open_bidding": {"issue": "prisoners", "giver": "hamas", "taker": "israel", "rounds": 2},
    "submit_bid": {"round": 2, "limit": 1500, "note": "from the matrix"},
    "respond_to_offers": {"responses": {"1": "accepted", "2": "rejected", "3": "rejected"}},
}
API_QUERIES = {"compare_drafts": "?a=1&b=2", "suggest_draft": "?key=nash"}

ROLES = [
    "anonymous",
    "delegate_a",
    "delegate_b",
    "other_mediator",
    "site_admin",
    "mediator",
    "mediator_with_consent",
]
A_CANARIES = {v for k, v in CANARY.items() if k.startswith("a_")}
B_CANARIES = {v for k, v in CANARY.items() if k.startswith("b_")}
FORBIDDEN = {
    "anonymous": A_CANARIES | B_CANARIES,
    "other_mediator": A_CANARIES | B_CANARIES,
    "site_admin": A_CANARIES | B_CANARIES,
    "delegate_a": B_CANARIES,
    "delegate_b": A_CANARIES,
    # Party A shares its preferences and shows its bid to the mediators; party B does neither.
    "mediator": {CANARY["b_prefs"], CANARY["b_bid"]},
    "mediator_with_consent": {CANARY["b_bid"]},  # sharing preferences is not showing bids
}
# Whose private engine figures each role must never receive.
FIGURES_FORBIDDEN = {
    "anonymous": ("israel", "hamas"),
    "other_mediator": ("israel", "hamas"),
    "site_admin": ("israel", "hamas"),
    "delegate_a": ("hamas",),
    "delegate_b": ("israel",),
    "mediator": ("hamas",),
    "mediator_with_consent": (),
}
NEVER_IN_AUDIT = A_CANARIES | B_CANARIES
NEVER_IN_EXPORT = (A_CANARIES | B_CANARIES) - {CANARY["a_prefs"], CANARY["b_prefs"]}
AUDIT_ROUTES = {"case-audit", "case-audit-csv", "case-audit-json", "get_audit"}
EXPORT_ROUTES = {"case-export", "export_case"}
OK = {200, 201, 204, 302, 400}


# --- the routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str  # with <param> placeholders, leading "/"
    methods: tuple[str, ...]
    rule: Rule | None
    api: bool = False

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def page_routes(patterns: list[Any] | None = None) -> list[Route]:
    """Every route outside /api/ and /admin/ in a URL configuration."""
    routes = []
    for pattern, p in _walk(patterns if patterns is not None else get_resolver().url_patterns):
        if pattern.startswith(("api/", "admin/")):
            continue
        rule = getattr(p.callback, "access_rule", None)
        methods = getattr(p.callback, "access_methods", ("GET",))
        routes.append(Route(p.name or pattern, "/" + pattern, tuple(methods), rule))
    return routes


def api_routes() -> list[Route]:
    """Every operation in the API's OpenAPI description."""
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            pattern = path.replace("{", "<").replace("}", ">")
            routes.append(
                Route(
                    op["operationId"],
                    pattern,
                    (method.upper(),),
                    API_RULES.get(op["operationId"]),
                    True,
                )
            )
    return routes


def routes_without_rules(patterns: list[Any] | None = None) -> list[str]:
    missing = [r.name for r in page_routes(patterns) if r.rule is None]
    missing += [r.name for r in api_routes() if r.rule is None]
    return missing


# --- tests of the route table itself -----------------------------------------------------------


def test_every_route_declares_its_rule() -> None:
    assert routes_without_rules() == []
    api_patterns = [
        pattern for pattern, _ in _walk(get_resolver().url_patterns) if pattern.startswith("api/")
    ]
    documented = {r.pattern for r in api_routes()}
    for pattern in api_patterns:
        shown = "/" + pattern.replace("<int:", "<").replace("<str:", "<")
        if shown.rstrip("/") in {"/api", "/api/docs", "/api/openapi.json"}:
            continue  # django-ninja's own pages: see test_api_description_pages
        assert shown in documented, f"{pattern} is served but not in the OpenAPI description"


def test_a_route_added_without_a_rule_is_caught() -> None:
    from django.http import HttpResponse
    from django.urls import path

    def unguarded(request: Any) -> HttpResponse:
        return HttpResponse("secret")

    patterns = [*get_resolver().url_patterns, path("new-page/", unguarded, name="new-page")]
    assert routes_without_rules(patterns) == ["new-page"]


def test_each_route_has_the_rule_this_table_expects() -> None:
    assert {r.name: r.rule for r in page_routes()} == PAGE_RULES
    assert {r.name: r.rule for r in api_routes()} == API_RULE_TABLE


# --- the matrix --------------------------------------------------------------------------------


def _seat(role: str, case: int, w: World) -> str | None:
    if case == w.case_x:
        return {
            "mediator": "mediator",
            "mediator_with_consent": "mediator",
            "delegate_a": "delegate",
            "delegate_b": "delegate",
        }.get(role)
    return "mediator" if role == "other_mediator" else None


def _gate(rule: Rule, role: str, case: int | None, w: World) -> str:
    """'ok', 'login', or the status the rule gives this role."""
    if rule is Rule.PUBLIC:
        return "ok"
    if role == "anonymous":
        return "login"
    if rule is Rule.SIGNED_IN:
        return "ok"
    if rule is Rule.CAN_MEDIATE:
        return "ok" if role in {"mediator", "mediator_with_consent", "other_mediator"} else "403"
    assert case is not None
    seat = _seat(role, case, w)
    if seat is None:
        return "404"
    if rule is Rule.CASE_MEDIATOR and seat != "mediator":
        return "403"
    if rule is Rule.CASE_DELEGATE and seat != "delegate":
        return "403"
    return "ok"


def _objects(route: Route, kwargs: dict[str, Any], role: str, w: World) -> str:
    """'ok' or the status an allowed role gets for these objects."""
    case = kwargs.get("case")
    if "number" in kwargs:
        if route.name == "case-preferences-version":
            if kwargs["number"] != 1:
                return "404"
        elif kwargs["number"] == 99 or case != w.case_x:
            return "404"
    if route.name == "compare_drafts" and case != w.case_x:
        return "404"
    if "party" in kwargs:
        if case != w.case_x or kwargs["party"] == "nobody":
            return "404"
        if kwargs["party"] == "hamas" and role != "mediator_with_consent":
            return "403"
    if "invitation" in kwargs:
        own = w.invitation_x if case == w.case_x else w.invitation_y
        if kwargs["invitation"] != own:
            return "404"
    if kwargs.get("token") == "not-a-token":
        return "404"
    if "bidding" in kwargs and (kwargs["bidding"] == 99 or case != w.case_x):
        return "404"
    if case == w.case_y and route.name in {
        "suggest_draft",  # no preferences in case Y: nothing to suggest
        "close_improvements",  # no agreement in case Y
        "case-agreement-close",
    }:
        return "404"
    if route.name == "case-report" and not (case == w.case_x and role == "mediator_with_consent"):
        return "403"
    return "ok"


def _values(w: World) -> dict[str, list[Any]]:
    return {
        "case": [w.case_x, w.case_y],
        "party": ["israel", "hamas", "nobody"],
        "number": [1, 2, 99],
        "invitation": [w.invitation_x, w.invitation_y],
        "token": [w.token_x, "not-a-token"],
        "bidding": [1, 99],
    }


def _fill(pattern: str, kwargs: dict[str, Any]) -> str:
    url = pattern
    for key, value in kwargs.items():
        for kind in ("int:", "str:", ""):
            url = url.replace(f"<{kind}{key}>", str(value))
    return url


def _client(role: str, w: World) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        person = w.people["owner" if role.startswith("mediator") else role]
        client.force_login(person)
    return client


def _check_body(route: Route, role: str, url: str, body: str, w: World | None = None) -> None:
    forbidden = set(FORBIDDEN[role])
    if w is not None:
        for party in FIGURES_FORBIDDEN[role]:
            forbidden |= w.figures[party]
    if route.name in AUDIT_ROUTES:
        forbidden |= NEVER_IN_AUDIT
    if route.name in EXPORT_ROUTES:
        forbidden |= NEVER_IN_EXPORT
    leaked = sorted(c for c in forbidden if c in body)
    assert not leaked, f"{role} {url}: the response carries {leaked}"


ALL_ROUTES: list[Route] = []


def _all_routes() -> list[Route]:
    if not ALL_ROUTES:
        ALL_ROUTES.extend(page_routes() + api_routes())
    return ALL_ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", _all_routes(), ids=str)
def test_route_as_role(route: Route, role: str, world: World) -> None:
    from accord.service.cases.models import CaseParty

    from .world import cairo_preferences

    if role == "mediator_with_consent":
        CaseParty.objects.filter(case_id=world.case_x, party_id="hamas").update(
            shares_with_mediators=True
        )
    client = _client(role, world)
    names = [
        n
        for n in ("case", "party", "number", "invitation", "token", "bidding")
        if f"<{n}>" in route.pattern or f":{n}>" in route.pattern
    ]
    values = _values(world)
    bodies = dict(API_BODIES, save_preferences=cairo_preferences("matrix", favour="israel"))
    for combo in itertools.product(*(values[n] for n in names)):
        kwargs = dict(zip(names, combo, strict=True))
        if kwargs.get("case") == world.case_y and any(
            kwargs[n] != values[n][0] for n in names if n != "case"
        ):
            continue  # in the other case, one value of each object is enough
        url = _fill(route.pattern, kwargs)
        if route.api:
            url += API_QUERIES.get(route.name, "")
        gate = _gate(route.rule, role, kwargs.get("case"), world)  # type: ignore[arg-type]
        expected = _objects(route, kwargs, role, world) if gate == "ok" else gate
        for method in route.methods:
            if route.api and method in {"POST", "PUT"}:
                response = client.generic(
                    method,
                    url,
                    json.dumps(bodies.get(route.name, {})),
                    content_type="application/json",
                )
            elif method == "POST":
                response = client.post(url, {})
            else:
                response = client.generic(method, url)
            status = response.status_code
            where = f"{role} {method} {url}: {status}"
            if expected == "ok":
                assert status in OK, where
            elif expected == "login":
                if route.api:
                    assert status == 401, where
                else:
                    assert status == 302 and response["Location"].startswith("/login/"), where
            else:
                assert status == int(expected), where
            _check_body(route, role, url, response.content.decode("utf-8", "replace"), world)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_site_administrators_and_shows_no_private_data(
    role: str, world: World
) -> None:
    client = _client(role, world)
    person = world.people["delegate_b"]
    for url in [
        "/admin/",
        "/admin/accounts/person/",
        f"/admin/accounts/person/{person.pk}/change/",
        "/admin/axes/accessattempt/",
    ]:
        response = client.get(url)
        if role == "site_admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        _check_body(
            Route("admin", url, ("GET",), Rule.SITE_STAFF), role, url, response.content.decode()
        )
    # Nothing of a case is administered there at all.
    if role == "site_admin":
        index = client.get("/admin/").content.decode()
        for model in ("case", "preference", "answer", "message", "draft"):
            assert f"/admin/cases/{model}" not in index


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_description_pages(role: str, world: World) -> None:
    """django-ninja's index, OpenAPI description and docs page: public, and data-free."""
    client = _client(role, world)
    for url, statuses in [("/api/", {404}), ("/api/openapi.json", {200}), ("/api/docs", {200})]:
        response = client.get(url)
        assert response.status_code in statuses, url
        assert "cdn." not in response.content.decode(), "the docs page loads nothing from outside"
        _check_body(
            Route("api-docs", url, ("GET",), Rule.PUBLIC), role, url, response.content.decode()
        )
