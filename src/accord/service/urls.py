"""Every route of the service. Each page carries its access rule (see routing.page); the API's
operations carry theirs (see api_routing.endpoint); the admin is Django's, for staff only."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from accord.service.accounts import views as accounts
from accord.service.api import api
from accord.service.audit import views as audit
from accord.service.cases import pages, pages_engine, pages_private, pages_rounds

admin.site.site_header = "accord serve: accounts"
admin.site.site_title = "accord serve"

case = "cases/<int:case>/"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("login/", accounts.login_page, name="login"),
    path("logout/", accounts.logout_page, name="logout"),
    path("password/", accounts.password_change, name="password_change"),
    path("password/done/", accounts.password_change_done, name="password_change_done"),
    path("account/tokens/", accounts.tokens, name="tokens"),
    path("invite/<str:token>/", pages.invitation, name="invitation"),
    path("cases/new/", pages.case_new, name="case-new"),
    path(case, pages.overview, name="case"),
    path(case + "invitations/", pages.invitations, name="case-invitations"),
    path(
        case + "invitations/<int:invitation>/revoke/",
        pages.revoke_invitation,
        name="case-invitation-revoke",
    ),
    path(case + "preferences/", pages_private.preferences, name="case-preferences"),
    path(case + "preferences/check/", pages_private.preferences_check, name="case-check"),
    path(case + "preferences/sharing/", pages_private.sharing, name="case-sharing"),
    path(
        case + "preferences/versions/<int:number>/",
        pages_private.preferences_version,
        name="case-preferences-version",
    ),
    path(
        case + "parties/<str:party>/preferences/",
        pages_private.party_preferences,
        name="case-party-preferences",
    ),
    path(case + "drafts/", pages_rounds.drafts, name="case-drafts"),
    path(case + "drafts/new/", pages_rounds.draft_new, name="case-draft-new"),
    path(case + "drafts/<int:number>/", pages_rounds.draft, name="case-draft"),
    path(case + "drafts/<int:number>/answer/", pages_rounds.answer, name="case-answer"),
    path(case + "compare/", pages_rounds.compare, name="case-compare"),
    path(case + "messages/", pages_rounds.messages_page, name="case-messages"),
    path(case + "export/", pages_rounds.export, name="case-export"),
    path(case + "report/", pages_rounds.report, name="case-report"),
    path(case + "assistance/", pages_engine.assistance, name="case-assistance"),
    path(case + "bidding/", pages_engine.biddings, name="case-biddings"),
    path(case + "bidding/open/", pages_engine.bidding_open, name="case-bidding-open"),
    path(case + "bidding/<int:bidding>/", pages_engine.bidding, name="case-bidding"),
    path(case + "bidding/<int:bidding>/bid/", pages_engine.bid, name="case-bid"),
    path(
        case + "bidding/<int:bidding>/close/",
        pages_engine.bidding_close,
        name="case-bidding-close",
    ),
    path(case + "agreement/", pages_engine.agreement, name="case-agreement"),
    path(
        case + "agreement/respond/",
        pages_engine.agreement_respond,
        name="case-agreement-respond",
    ),
    path(case + "agreement/close/", pages_engine.agreement_close, name="case-agreement-close"),
    path(case + "audit/", audit.audit_log, name="case-audit"),
    path(case + "audit.csv", audit.audit_csv, name="case-audit-csv"),
    path(case + "audit.json", audit.audit_json, name="case-audit-json"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "accord.service.errorpages.forbidden"
handler404 = "accord.service.errorpages.not_found"
handler500 = "accord.service.errorpages.server_error"
