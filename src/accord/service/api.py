"""The JSON API under ``/api/`` (django-ninja; its OpenAPI page is ``/api/docs``).

Every operation goes through the same rules and the same per-role views as the pages, so the
API can show no more than the pages do. Authentication: the browser session (with its CSRF
token for changes) or a personal token (``Authorization: Bearer ...``, made on the account
page). Mistakes come back as 400 with ``{"detail": [{"field", "expected", "found", ...}]}``.
"""

from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from ninja import NinjaAPI, Schema, Status
from pydantic import Field

from accord.errors import LimitExceeded
from accord.model import ScenarioError
from accord.model.problems import format_path
from accord.service import engine
from accord.service.api_routing import endpoint
from accord.service.cases.access import Rule
from accord.service.cases.invitations import create_case as open_case
from accord.service.cases.shapes import (
    AgreementPage,
    AnswerView,
    AssistanceView,
    AuditRow,
    BiddingView,
    CaseListItem,
    CaseSummary,
    ComparisonView,
    DraftDetail,
    DraftView,
    InvitationView,
    MessageView,
    OwnFigure,
    PartyStatus,
    PreferenceSheet,
)
from accord.service.cases.visible import DelegateView, MediatorView
from accord.service.errors import Denied, NotFound, SubmissionError, field_name


def _public_docs(view: Any) -> Any:
    """The OpenAPI pages: public, and served with the Swagger UI files django-ninja ships.

    Swagger UI sets style attributes, so its page allows inline styles (never inline script).
    """

    @wraps(view)
    def docs(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = (
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                "base-uri 'none'; form-action 'self'"
            )
        return response

    docs.access_rule = Rule.PUBLIC  # type: ignore[attr-defined]
    return docs


api = NinjaAPI(
    title="accord serve",
    version="1",
    description="The mediated negotiation service's JSON API. Every operation shows the "
    "caller only what its role in the case allows (see docs/reference/service-api.md).",
    docs_decorator=_public_docs,
    urls_namespace="api",
)


def _problems(error: ScenarioError | SubmissionError) -> list[dict[str, Any]]:
    return [
        {
            "field": field_name(p.path),
            "path": format_path(p.path),
            "expected": p.expected,
            "found": p.found,
            **({"line": p.line, "column": p.column} if p.line is not None else {}),
        }
        for p in error.problems
    ]


@api.exception_handler(SubmissionError)
def _submission(request: HttpRequest, exc: SubmissionError) -> JsonResponse:
    return JsonResponse({"detail": _problems(exc)}, status=400)


@api.exception_handler(ScenarioError)
def _scenario(request: HttpRequest, exc: ScenarioError) -> JsonResponse:
    return JsonResponse({"detail": _problems(exc)}, status=400)


@api.exception_handler(LimitExceeded)
def _limit(request: HttpRequest, exc: LimitExceeded) -> JsonResponse:
    return JsonResponse(
        {"detail": [{"field": "", "expected": "a smaller input", "found": str(exc)}]}, status=400
    )


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> JsonResponse:
    return JsonResponse({"detail": str(exc)}, status=404)


@api.exception_handler(Denied)
def _denied(request: HttpRequest, exc: Denied) -> JsonResponse:
    return JsonResponse({"detail": str(exc)}, status=403)


class CaseIn(Schema):
    embedded: str | None = None
    scenario: dict[str, Any] | None = None


class DraftIn(Schema):
    package: dict[str, Any]
    note: str = ""
    origin: str = ""


class AnswerIn(Schema):
    accept: str
    issues: dict[str, str] = Field(default_factory=dict)
    comment: str = ""


class PreferencesIn(Schema):
    points: dict[str, Any]
    ratings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    walk_away: dict[str, Any]
    notes: str = ""


class CheckIn(Schema):
    version: int
    pair: int
    answer: str


class SharingIn(Schema):
    share: bool


class MessageIn(Schema):
    text: str
    to: str = "all"


class InvitationIn(Schema):
    email: str
    role: str
    party: str | None = None


class InvitationOut(Schema):
    invitation: InvitationView
    link: str


class ExportOut(Schema):
    filename: str
    yaml: str


class SuggestionOut(Schema):
    package: dict[str, Any]
    origin: str


class BiddingIn(Schema):
    issue: str
    giver: str
    taker: str
    rounds: int = 3
    rule: str = "midpoint"
    progress_visible: bool = False


class BidIn(Schema):
    round: int
    limit: float
    note: str = ""
    show_mediators: bool = False


class ResponsesIn(Schema):
    responses: dict[str, str]
    comment: str = ""


View = MediatorView | DelegateView


@endpoint(api, "GET", "/cases", Rule.SIGNED_IN, response=list[CaseListItem])
def list_cases(request: HttpRequest) -> list[CaseListItem]:
    from accord.service.accounts.views import case_list

    return case_list(request.user)


@endpoint(api, "POST", "/cases", Rule.CAN_MEDIATE, response={201: CaseSummary})
def create_case(request: HttpRequest, body: CaseIn) -> Status[CaseSummary]:
    from accord.model import Problem
    from accord.service.cases.access import view_of_case

    if body.embedded and body.scenario is None:
        if body.embedded not in dict(engine.embedded_choices()):
            raise SubmissionError(
                [Problem(("embedded",), "an embedded scenario's name", repr(body.embedded))]
            )
        scenario, origin = (
            engine.scenario_from_embedded(body.embedded),
            f"{body.embedded} (embedded)",
        )
    elif body.scenario is not None and not body.embedded:
        scenario, origin = engine.scenario_from_form(body.scenario), "sent to the API"
    else:
        raise SubmissionError(
            [Problem(("embedded",), "either 'embedded' or 'scenario'", "both or neither")]
        )
    case = open_case(request.user, scenario, origin)  # type: ignore[arg-type]
    return Status(201, view_of_case(request.user, case.pk).summary())


@endpoint(api, "GET", "/cases/{case}", Rule.CASE_MEMBER, response=CaseSummary)
def get_case(request: HttpRequest, case: int, view: View) -> CaseSummary:
    return view.summary()


@endpoint(api, "GET", "/cases/{case}/drafts", Rule.CASE_MEMBER, response=list[DraftView])
def list_drafts(request: HttpRequest, case: int, view: View) -> list[DraftView]:
    return view.drafts()


@endpoint(api, "POST", "/cases/{case}/drafts", Rule.CASE_MEDIATOR, response={201: DraftView})
def publish_draft(
    request: HttpRequest, case: int, body: DraftIn, view: MediatorView
) -> Status[DraftView]:
    return Status(201, view.publish_draft(body.model_dump()))


@endpoint(api, "GET", "/cases/{case}/drafts/{number}", Rule.CASE_MEMBER, response=DraftDetail)
def get_draft(request: HttpRequest, case: int, number: int, view: View) -> DraftDetail:
    return view.draft_detail(number)


@endpoint(
    api,
    "POST",
    "/cases/{case}/drafts/{number}/answer",
    Rule.CASE_DELEGATE,
    response={201: AnswerView},
)
def answer_draft(
    request: HttpRequest, case: int, number: int, body: AnswerIn, view: DelegateView
) -> Status[AnswerView]:
    return Status(201, view.answer_draft(number, body.model_dump()))


@endpoint(api, "GET", "/cases/{case}/compare", Rule.CASE_MEMBER, response=ComparisonView)
def compare_drafts(request: HttpRequest, case: int, a: int, b: int, view: View) -> ComparisonView:
    return view.compare(a, b)


@endpoint(
    api, "GET", "/cases/{case}/preferences", Rule.CASE_DELEGATE, response=PreferenceSheet | None
)
def get_own_preferences(
    request: HttpRequest, case: int, view: DelegateView
) -> PreferenceSheet | None:
    return view.own_preferences()


@endpoint(
    api, "POST", "/cases/{case}/preferences", Rule.CASE_DELEGATE, response={201: PreferenceSheet}
)
def save_preferences(
    request: HttpRequest, case: int, body: PreferencesIn, view: DelegateView
) -> Status[PreferenceSheet]:
    return Status(201, view.save_preferences(body.model_dump()))


@endpoint(
    api, "POST", "/cases/{case}/preferences/check", Rule.CASE_DELEGATE, response=PreferenceSheet
)
def answer_check(
    request: HttpRequest, case: int, body: CheckIn, view: DelegateView
) -> PreferenceSheet:
    return view.answer_check(body.version, body.pair, body.answer)


@endpoint(api, "PUT", "/cases/{case}/sharing", Rule.CASE_DELEGATE, response=SharingIn)
def set_sharing(request: HttpRequest, case: int, body: SharingIn, view: DelegateView) -> SharingIn:
    view.set_sharing(body.share)
    return SharingIn(share=view.shares_with_mediators)


@endpoint(api, "GET", "/cases/{case}/parties", Rule.CASE_MEDIATOR, response=list[PartyStatus])
def list_parties(request: HttpRequest, case: int, view: MediatorView) -> list[PartyStatus]:
    return view.parties()


@endpoint(
    api,
    "GET",
    "/cases/{case}/parties/{party}/preferences",
    Rule.CASE_MEDIATOR,
    response=PreferenceSheet | None,
)
def get_party_preferences(
    request: HttpRequest, case: int, party: str, view: MediatorView
) -> PreferenceSheet | None:
    return view.party_preferences(party)


@endpoint(api, "GET", "/cases/{case}/messages", Rule.CASE_MEMBER, response=list[MessageView])
def list_messages(request: HttpRequest, case: int, view: View) -> list[MessageView]:
    return view.messages()


@endpoint(api, "POST", "/cases/{case}/messages", Rule.CASE_MEMBER, response={201: MessageView})
def send_message(
    request: HttpRequest, case: int, body: MessageIn, view: View
) -> Status[MessageView]:
    return Status(201, view.send_message(body.model_dump()))


@endpoint(
    api, "GET", "/cases/{case}/invitations", Rule.CASE_MEDIATOR, response=list[InvitationView]
)
def list_invitations(request: HttpRequest, case: int, view: MediatorView) -> list[InvitationView]:
    return view.invitations()


@endpoint(
    api, "POST", "/cases/{case}/invitations", Rule.CASE_MEDIATOR, response={201: InvitationOut}
)
def create_invitation(
    request: HttpRequest, case: int, body: InvitationIn, view: MediatorView
) -> Status[InvitationOut]:
    invitation, token = view.invite(body.model_dump())
    link = request.build_absolute_uri(reverse("invitation", args=[token]))
    return Status(201, InvitationOut(invitation=invitation, link=link))


@endpoint(
    api,
    "DELETE",
    "/cases/{case}/invitations/{invitation}",
    Rule.CASE_MEDIATOR,
    response={204: None},
)
def revoke_invitation(
    request: HttpRequest, case: int, invitation: int, view: MediatorView
) -> Status[None]:
    view.revoke(invitation)
    return Status(204, None)


@endpoint(api, "GET", "/cases/{case}/audit", Rule.CASE_MEDIATOR, response=list[AuditRow])
def get_audit(request: HttpRequest, case: int, view: MediatorView) -> list[AuditRow]:
    return view.audit_rows(download="api")


@endpoint(api, "GET", "/cases/{case}/export", Rule.CASE_MEDIATOR, response=ExportOut)
def export_case(request: HttpRequest, case: int, view: MediatorView) -> ExportOut:
    filename, text = view.export()
    return ExportOut(filename=filename, yaml=text)


# --- engine assistance, blind bidding, the agreement ----------------------------------------------


@endpoint(api, "GET", "/cases/{case}/assistance", Rule.CASE_MEDIATOR, response=AssistanceView)
def get_assistance(
    request: HttpRequest, case: int, view: MediatorView, draft: int | None = None
) -> AssistanceView:
    return view.assistance(draft)


@endpoint(api, "GET", "/cases/{case}/suggestion", Rule.CASE_MEDIATOR, response=SuggestionOut)
def suggest_draft(request: HttpRequest, case: int, key: str, view: MediatorView) -> SuggestionOut:
    package, origin = view.suggestion(key)
    return SuggestionOut(package=package, origin=origin)


@endpoint(api, "GET", "/cases/{case}/figures", Rule.CASE_DELEGATE, response=list[OwnFigure])
def get_own_figures(request: HttpRequest, case: int, view: DelegateView) -> list[OwnFigure]:
    return view.own_figures()


@endpoint(api, "GET", "/cases/{case}/biddings", Rule.CASE_MEMBER, response=list[BiddingView])
def list_biddings(request: HttpRequest, case: int, view: View) -> list[BiddingView]:
    return view.biddings()


@endpoint(api, "POST", "/cases/{case}/biddings", Rule.CASE_MEDIATOR, response={201: BiddingView})
def open_bidding(
    request: HttpRequest, case: int, body: BiddingIn, view: MediatorView
) -> Status[BiddingView]:
    return Status(201, view.open_bidding(body.model_dump()))


@endpoint(api, "GET", "/cases/{case}/biddings/{bidding}", Rule.CASE_MEMBER, response=BiddingView)
def get_bidding(request: HttpRequest, case: int, bidding: int, view: View) -> BiddingView:
    return view.bidding(bidding)


@endpoint(
    api,
    "POST",
    "/cases/{case}/biddings/{bidding}/bids",
    Rule.CASE_DELEGATE,
    response={201: BiddingView},
)
def submit_bid(
    request: HttpRequest, case: int, bidding: int, body: BidIn, view: DelegateView
) -> Status[BiddingView]:
    return Status(201, view.bid(bidding, body.model_dump()))


@endpoint(
    api,
    "POST",
    "/cases/{case}/biddings/{bidding}/close",
    Rule.CASE_MEDIATOR,
    response=BiddingView,
)
def close_bidding(request: HttpRequest, case: int, bidding: int, view: MediatorView) -> BiddingView:
    return view.close_bidding(bidding)


@endpoint(api, "GET", "/cases/{case}/agreement", Rule.CASE_MEMBER, response=AgreementPage)
def get_agreement(request: HttpRequest, case: int, view: View) -> AgreementPage:
    return view.agreement()


@endpoint(
    api,
    "POST",
    "/cases/{case}/agreement/responses",
    Rule.CASE_DELEGATE,
    response={201: AgreementPage},
)
def respond_to_offers(
    request: HttpRequest, case: int, body: ResponsesIn, view: DelegateView
) -> Status[AgreementPage]:
    return Status(201, view.respond_to_offers(body.model_dump()))


@endpoint(api, "POST", "/cases/{case}/agreement/close", Rule.CASE_MEDIATOR, response=AgreementPage)
def close_improvements(request: HttpRequest, case: int, view: MediatorView) -> AgreementPage:
    return view.close_improvements()
