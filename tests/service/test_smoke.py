"""Quick checks while building; to be folded into the real tests."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_world_pages(world) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(world.people["owner"])
    for url in [
        "/",
        f"/cases/{world.case_x}/",
        f"/cases/{world.case_x}/drafts/",
        f"/cases/{world.case_x}/drafts/1/",
        f"/cases/{world.case_x}/compare/",
        f"/cases/{world.case_x}/messages/",
        f"/cases/{world.case_x}/invitations/",
        f"/cases/{world.case_x}/audit/",
        f"/cases/{world.case_x}/export/",
        f"/cases/{world.case_x}/parties/israel/preferences/",
        "/api/cases",
        f"/api/cases/{world.case_x}",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:2000])
    c.force_login(world.people["delegate_b"])
    for url in [
        f"/cases/{world.case_x}/preferences/",
        f"/cases/{world.case_x}/drafts/1/",
        f"/cases/{world.case_x}/compare/",
        f"/cases/{world.case_x}/messages/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:2000])
