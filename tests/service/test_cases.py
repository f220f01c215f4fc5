"""Opening cases (embedded, uploaded, described), invitations, signing in and the throttle."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accord.limits import SERVICE_UPLOAD_MAX_BYTES
from accord.service.cases.models import Case, Invitation, Membership

from .world import PASSWORD, World

pytestmark = pytest.mark.django_db


def _mediator(world: World) -> Client:
    client = Client()
    client.force_login(world.people["owner"])
    return client


def test_open_a_case_from_an_embedded_scenario(world: World) -> None:
    client = _mediator(world)
    response = client.post("/cases/new/", {"source": "embedded", "embedded": "job-offer"})
    assert response.status_code == 302
    case = Case.objects.order_by("-pk").first()
    assert case is not None and response["Location"] == f"/cases/{case.pk}/invitations/"
    assert [p.party_id for p in case.parties.all()] == ["candidate", "employer"]
    assert "preferences" not in case.shared  # each party enters its own
    seat = Membership.objects.get(case=case, person=world.people["owner"])
    assert seat.role == "mediator" and seat.is_owner


BROKEN = """accord: 1
title: Broken
parties:
  - {id: a, name: A, role: negotiator}
  - {id: b, name: B, role: negotiatr}
issues:
  - id: x
    name: X
    options: [p, q]
proposals:
  - {id: p1, name: P, date: 2026-01-01, by: a, package: {x: r}, sources: [nowhere]}
"""


def test_an_upload_with_mistakes_lists_each_with_line_and_column_and_stores_nothing(
    world: World,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _mediator(world)
    before = Case.objects.count()
    upload = SimpleUploadedFile("talks.yaml", BROKEN.encode(), content_type="application/yaml")
    response = client.post("/cases/new/", {"source": "upload", "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 5, column" in page and "negotiatr" in page
    assert Case.objects.count() == before


def test_an_upload_over_the_limit_is_refused(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _mediator(world)
    before = Case.objects.count()
    big = SimpleUploadedFile("big.yaml", b"#" * (SERVICE_UPLOAD_MAX_BYTES + 1))
    response = client.post("/cases/new/", {"source": "upload", "file": big})
    assert response.status_code == 400
    assert "SERVICE_UPLOAD_MAX_BYTES" in response.content.decode()
    assert Case.objects.count() == before


def test_open_a_case_described_in_the_form(world: World) -> None:
    client = _mediator(world)
    form = {
        "source": "form",
        "title": "A lease",
        "parties_text": "Tenant\nLandlord\n",
        "issues_text": "Rent: 800 to 1000 step 50 EUR\nLength: one year; two years; three years\n",
    }
    response = client.post("/cases/new/", form)
    assert response.status_code == 302
    case = Case.objects.order_by("-pk").first()
    assert case is not None and case.title == "A lease"
    assert [i["id"] for i in case.shared["issues"]] == ["rent", "length"]
    bad = dict(form, issues_text="Rent 800 to 1000\nLength: one year\n")
    response = client.post("/cases/new/", bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 1:" in page and "line 2: at least two options" in page


def _invite(world: World, email: str, party: str = "hamas") -> str:
    client = _mediator(world)
    response = client.post(
        f"/cases/{world.case_x}/invitations/", {"email": email, "as": f"delegate:{party}"}
    )
    assert response.status_code == 200
    match = re.search(r"(/invite/[\w-]+/)", response.content.decode())
    assert match, "the invitation link is shown once"
    return match[1]


def test_an_invitation_works_once(world: World) -> None:
    link = _invite(world, "new.delegate@example.org")
    guest = Client()
    assert guest.get(link).status_code == 200
    response = guest.post(
        link, {"name": "New", "password": "a fine long passphrase", "password_again": "another"}
    )
    assert response.status_code == 400 and "the same password twice" in response.content.decode()
    response = guest.post(
        link,
        {
            "name": "New",
            "password": "a fine long passphrase",
            "password_again": "a fine long passphrase",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{world.case_x}/"
    seat = Membership.objects.get(person__email="new.delegate@example.org")
    assert seat.role == "delegate" and seat.party is not None and seat.party.party_id == "hamas"
    assert guest.get(f"/cases/{world.case_x}/preferences/").status_code == 200
    assert Client().get(link).status_code == 410


def test_revoked_and_expired_invitations_no_longer_work(world: World) -> None:
    link = _invite(world, "late@example.org")
    inv = Invitation.objects.get(email="late@example.org")
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().get(link)
    assert response.status_code == 410 and "expired" in response.content.decode()
    link = _invite(world, "revoked@example.org")
    inv = Invitation.objects.get(email="revoked@example.org")
    client = _mediator(world)
    assert client.post(f"/cases/{world.case_x}/invitations/{inv.pk}/revoke/").status_code == 302
    response = Client().get(link)
    assert response.status_code == 410 and "revoked" in response.content.decode()
    assert Client().get("/invite/no-such-token/").status_code == 404


def test_an_invitation_for_someone_with_a_role_is_refused(world: World) -> None:
    client = _mediator(world)
    response = client.post(
        f"/cases/{world.case_x}/invitations/", {"email": "b@example.org", "as": "delegate:hamas"}
    )
    assert response.status_code == 400 and "someone without a role" in response.content.decode()


def test_sign_in_is_throttled_after_five_failures(world: World, settings: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        response = client.post("/login/", {"username": "a@example.org", "password": "wrong"})
    response = client.post("/login/", {"username": "a@example.org", "password": PASSWORD})
    assert response.status_code == 429 and "locked" in response.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.10")  # the lock is for this account from that address
    response = other.post("/login/", {"username": "a@example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_password_change_and_sign_out(world: World) -> None:
    client = Client()
    assert (
        client.post("/login/", {"username": "a@example.org", "password": PASSWORD}).status_code
        == 302
    )
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "an even better phrase",
            "new_password2": "an even better phrase",
        },
    )
    assert response.status_code == 302
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
    assert (
        Client()
        .post("/login/", {"username": "a@example.org", "password": "an even better phrase"})
        .status_code
        == 302
    )
