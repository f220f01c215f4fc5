"""One whole negotiation in real Chromium, in three browser contexts at once (the mediator and
two delegates), against `accord serve` on loopback: open a case from cairo-2024, invite, set
passwords, enter private preferences with one flagged contradiction, a draft round with
answers, the engine's findings, a blind bidding on the prisoners whose settlement fills the
second draft, the agreement and the improvement every party accepts after it, a caucus
message, the export, and the audit verification.

Screenshots of each page, at a desktop and a phone width, go to $ACCORD_TEST_ARTIFACTS/service
(or a temporary directory). In CI (CI=true) a missing Chromium or Playwright is a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main

from .serving import free_port, run, server
from .world import cairo_preferences

CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "a long enough passphrase 1"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI; see .ci/run)")
    pytest.skip(reason)


class Browsers:
    """The pages of the people taking part, with a record of errors and outside requests."""

    def __init__(self, browser: Any, base: str, shots: Path) -> None:
        self.browser, self.base, self.shots = browser, base, shots
        self.errors: list[str] = []
        self.outside: list[str] = []

    def person(self) -> Any:
        context = self.browser.new_context(viewport=DESKTOP, accept_downloads=True)
        page = context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "request", lambda r: None if r.url.startswith(self.base) else self.outside.append(r.url)
        )
        return page

    def shot(self, page: Any, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{name}-desktop.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(self.shots / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)


def _set_password(page: Any, link: str, name: str) -> None:
    page.goto(link)
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def _invite(page: Any, email: str, choice: str) -> str:
    page.fill("#email", email)
    page.select_option("#as", choice)
    page.click("form.card button[type=submit]")
    return str(page.inner_text("#invitation-link")).strip()


def _enter_preferences(page: Any, prefs: dict[str, Any]) -> None:
    for issue, points in prefs["points"].items():
        page.fill(f'input[name="points:{issue}"]', str(points))
    for issue, table in prefs["ratings"].items():
        for label, rating in table.items():
            page.fill(f'input[name="ratings:{issue}:{label}"]', str(rating))
    page.check('input[name="walk_away:kind"][value="value"]')
    page.fill('input[name="walk_away:value"]', str(prefs["walk_away"]["value"]))
    page.fill("#notes", prefs["notes"])
    page.click("#preferences-form button[type=submit]")
    page.wait_for_selector("#check-title")


def _answer(
    page: Any, base: str, case: str, number: int, accept: bool, must_change: list[str]
) -> None:
    page.goto(f"{base}/cases/{case}/drafts/{number}/")
    page.check(f'input[name="accept"][value="{"accept" if accept else "reject"}"]')
    for issue in must_change:
        page.check(f'input[name="issues:{issue}"][value="must_change"]')
    page.fill("#comment", "Our answer from the browser.")
    page.click("#answer button[type=submit]")
    page.wait_for_selector("#answer .badge." + ("good" if accept else "bad"))


def test_a_whole_negotiation_in_three_browsers(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed (pip install '.[test]')")
    artifacts = os.environ.get("ACCORD_TEST_ARTIFACTS")
    shots = (
        Path(artifacts) / "service"
        if artifacts and Path(artifacts).is_dir()
        else tmp_path / "shots"
    )
    shots.mkdir(parents=True, exist_ok=True)
    data, port = tmp_path / "data", free_port()
    created = run(
        "--data-dir", str(data), "--port", str(port), "--create-mediator", "mona@example.org"
    )
    assert created.returncode == 0, created.stderr
    mediator_link = re.search(r"(http://\S+/invite/[\w-]+/)", created.stdout)
    assert mediator_link

    with server(data, port=port) as (base, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        people = Browsers(browser, base, shots)
        m, a, b = people.person(), people.person(), people.person()

        # The mediator sets a password, opens the case from cairo-2024 and invites.
        _set_password(m, mediator_link[1], "Mona Mediator")
        assert "Your cases" in m.inner_text("h1")
        m.click("text=Open a new case")
        people.shot(m, "01-open-a-case")
        m.select_option("#embedded", "cairo-2024")
        m.click("form.card:has(#embedded) button[type=submit]")
        m.wait_for_selector("text=Invite someone")
        case = re.search(r"/cases/(\d+)/", m.url)
        assert case
        case_id = case[1]
        link_a = _invite(m, "israel.delegate@example.org", "delegate:israel")
        link_b = _invite(m, "hamas.delegate@example.org", "delegate:hamas")
        people.shot(m, "02-invitations")

        # Each delegate sets a password on first use and enters its preferences privately.
        _set_password(a, link_a, "Avi, for Israel")
        assert "Your party: Israel" in a.inner_text("main")
        people.shot(a, "03-delegate-overview")
        a.goto(f"{base}/cases/{case_id}/preferences/")
        _enter_preferences(a, cairo_preferences("Israel's own notes.", favour="israel"))
        for _ in range(a.locator("#check button[value=confirm]").count()):
            a.locator("#check button[value=confirm]").first.click()
            a.wait_for_timeout(300)
        assert a.locator("#check .badge.good").count() >= 1
        a.click("text=Share with the mediators")

        _set_password(b, link_b, "Basem, for Hamas")
        b.goto(f"{base}/cases/{case_id}/preferences/")
        _enter_preferences(b, cairo_preferences("Hamas's own notes.", favour="hamas"))
        b.locator("#pair-0 button[value=flip]").click()
        b.wait_for_selector("#contradictions")
        assert "1 contradiction to resolve" in b.inner_text("#contradictions")
        assert "You prefer B, but your numbers rank A higher" in b.inner_text("#pair-0")
        people.shot(b, "04-preferences-with-a-contradiction")
        b.click("text=Share with the mediators")
        b.wait_for_selector("text=shared with the mediators")

        # Two rounds of the single negotiating text.
        m.goto(f"{base}/cases/{case_id}/drafts/new/?from=cairo-draft")
        people.shot(m, "05-new-draft")
        m.fill("#note", "The Cairo draft, as the basis for the first round.")
        m.click("text=Publish to every party")
        m.wait_for_selector("text=Draft 1")
        _answer(a, base, case_id, 1, False, ["truce", "withdrawal"])
        people.shot(a, "06-delegate-answers-draft")
        _answer(b, base, case_id, 1, False, ["truce"])
        m.goto(f"{base}/cases/{case_id}/drafts/1/")
        assert m.locator(".card .badge.bad").count() == 2
        people.shot(m, "07-mediator-sees-answers")
        # The engine's findings (both parties share), then a blind bidding on the prisoners.
        m.goto(f"{base}/cases/{case_id}/assistance/")
        assert "Kalai–Smorodinsky" in m.inner_text("#solutions")
        assert "Suggest a draft" in m.inner_text("#solutions")
        people.shot(m, "08-engine")
        m.goto(f"{base}/cases/{case_id}/bidding/")
        m.select_option("#giver", "israel")
        m.select_option("#taker", "hamas")
        m.click("text=Open the bidding")
        m.wait_for_selector("h1:has-text('Bidding 1')")
        for page, limit in ((a, "1500"), (b, "1000")):
            page.goto(f"{base}/cases/{case_id}/bidding/1/")
            page.select_option("#limit", limit)
            page.click("text=Send our sealed bid")
            page.wait_for_selector("text=Your bid is recorded")
        people.shot(a, "09-delegate-bid")
        m.goto(f"{base}/cases/{case_id}/bidding/1/")
        assert "settled at 1250 prisoners" in m.inner_text("main")
        assert "1500" not in m.inner_text("#rounds")  # neither bid was shown to the mediators
        people.shot(m, "10-bidding-settled")
        m.click("text=Publish a draft with this settlement")
        m.select_option('select[name="package:truce"]', "extended")
        m.fill("#note", "A longer truce, and the prisoners as the bidding settled them.")
        m.click("text=Publish to every party")
        m.wait_for_selector("text=Draft 2")
        _answer(a, base, case_id, 2, True, [])
        _answer(b, base, case_id, 2, True, [])

        # The tentative agreement, and the improvement both parties accept after it.
        for page in (a, b):
            page.goto(f"{base}/cases/{case_id}/agreement/")
            assert "Tentative agreement" in page.inner_text("main")
            for rank in range(1, page.locator("[id^=offer-]").count() + 1):
                value = "accepted" if rank == 1 else "rejected"
                page.check(f'input[name="responses:{rank}"][value="{value}"]')
            if page is a:
                people.shot(page, "11-improvements-offered")
            page.click("text=Send our response")
            page.wait_for_selector("text=Your response is recorded")
        m.goto(f"{base}/cases/{case_id}/agreement/")
        assert "Final agreement (2)" in m.inner_text("main")
        people.shot(m, "12-final-agreement")

        m.goto(f"{base}/cases/{case_id}/compare/?a=1&b=2")
        assert "Israel" in m.inner_text("thead") and "Hamas" in m.inner_text("thead")
        people.shot(m, "13-compare-mediator")
        a.goto(f"{base}/cases/{case_id}/compare/?a=1&b=2")
        assert "Israel" in a.inner_text("thead") and "Hamas" not in a.inner_text("thead")
        people.shot(a, "14-compare-delegate")

        # A caucus: the mediator writes to Hamas alone.
        m.goto(f"{base}/cases/{case_id}/messages/")
        m.select_option("#to", "hamas")
        m.fill("#text", "In confidence: could you live with an extended truce?")
        m.click("#messages button[type=submit]")
        m.wait_for_selector("text=In confidence")
        people.shot(m, "15-messages-mediator")
        b.goto(f"{base}/cases/{case_id}/messages/")
        assert "In confidence" in b.inner_text("#messages")
        people.shot(b, "16-messages-delegate")
        a.goto(f"{base}/cases/{case_id}/messages/")
        assert "In confidence" not in a.inner_text("#messages")

        # The export loads with accord check and accord analyze: every party shared.
        m.goto(f"{base}/cases/{case_id}/")
        people.shot(m, "17-mediator-overview")
        with m.expect_download() as download:
            m.click('nav.case a:text-is("Export")')
        exported = tmp_path / "exported.yaml"
        download.value.save_as(str(exported))
        for command in (["check"], ["analyze"]):
            result = CliRunner().invoke(main, [*command, str(exported)])
            assert result.exit_code == 0, result.output

        m.goto(f"{base}/cases/{case_id}/audit/")
        assert "chain verified" in m.inner_text("main")
        people.shot(m, "18-audit-log")
        m.goto(f"{base}/")
        people.shot(m, "19-home")
        browser.close()

        assert people.errors == [], people.errors
        assert people.outside == [], people.outside
        verified = run("--data-dir", str(data), "--verify-audit")
        assert verified.returncode == 0 and "every audit chain verifies" in verified.stdout, (
            verified.stdout
        )
