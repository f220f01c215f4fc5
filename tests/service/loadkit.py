"""Driving `accord serve` over HTTP as many people at once, and reading back afterwards what the
database holds: shared by the crash test (``test_crash.py``) and the load benchmark
(``benchmarks/service.py``).

Two halves:

- **In a child process** with Django configured on a data directory (this file run as a
  script): ``setup DATA CASES`` opens cairo-2024 cases with a mediator and two to four
  delegates each (3 to 5 people a case), every account with :data:`PASSWORD`; ``inspect DATA``
  prints, as JSON, every nonce found in the private records (decrypted), the records written
  without their companions (a half-applied write), and the audit chains that do not verify.
- **In the driving process**: :class:`Person` signs in through the sign-in page and calls the
  API with its session and CSRF token; each write carries a fresh nonce and is recorded as a
  :class:`Write`, acknowledged or not; :func:`findings` compares the writes with what
  ``inspect`` found: the ``lost`` (acknowledged, absent) and the ``duplicated`` (present twice).

Every write of the service is one transaction with its audit record, so after a crash each
write is either wholly present or wholly absent; ``inspect`` checks exactly that.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

try:
    from .world import cairo_preferences
except ImportError:  # run, or imported, as a file outside the tests' package
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from world import cairo_preferences  # type: ignore[no-redef]

PASSWORD = "a load-test passphrase 7"
NONCE = re.compile(r"nonce-[0-9a-f]{16}")
HERE = Path(__file__).resolve()


def nonce() -> str:
    return f"nonce-{secrets.token_hex(8)}"


# --- the driving process -------------------------------------------------------------------


def run_kit(*args: str, env: dict[str, str] | None = None) -> Any:
    """This file's ``setup`` or ``inspect`` in a child process; its JSON answer."""
    result = subprocess.run(
        [sys.executable, str(HERE), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"loadkit {args[0]} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


@dataclass
class Write:
    """One write sent to the service, with the nonce it carries."""

    kind: str
    case: int
    nonce: str
    acknowledged: bool = False


class Person:
    """One person's browser session: cookies, the CSRF token, one connection per request."""

    def __init__(self, base: str, email: str, password: str = PASSWORD) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.email, self.password = email, password
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, *, form: dict[str, str] | None = None, body: Any = None
    ) -> tuple[int, bytes]:
        headers = {"Host": f"{self.host}:{self.port}"}
        data = None
        if form is not None:
            data = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            connection.close()

    def login(self) -> int:
        """Sign in through the page (its CSRF cookie first); the status of the POST."""
        self.request("GET", "/login/")
        status, _ = self.request(
            "POST",
            "/login/",
            form={
                "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                "username": self.email,
                "password": self.password,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.email} could not sign in (status {status})")
        return status

    def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        status, content = self.request(method, "/api" + path, body=body)
        try:
            return status, json.loads(content) if content else None
        except ValueError:
            return status, content.decode("utf-8", "replace")


def preferences(note: str, *, favour: str) -> dict[str, Any]:
    """A valid preference submission for cairo-2024 (the tests' world), with ``note``."""
    return cairo_preferences(note, favour=favour)


def findings(writes: list[Write], found: dict[str, Any]) -> dict[str, Any]:
    """``lost``: acknowledged writes whose nonce the database does not hold; ``duplicated``:
    nonces it holds more than once; with what ``inspect`` found half-applied or broken."""
    counts: dict[str, int] = {}
    for n in found["nonces"]:
        counts[n] = counts.get(n, 0) + 1
    return {
        "lost": sorted(w.nonce for w in writes if w.acknowledged and w.nonce not in counts),
        "duplicated": sorted(n for n, c in counts.items() if c > 1),
        "unacknowledged present": sum(
            1 for w in writes if not w.acknowledged and w.nonce in counts
        ),
        "half applied": found["half_applied"],
        "audit": found["audit"],
    }


@dataclass
class Recorder:
    """Latencies by kind of request, and the writes sent (thread-safe)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, call: Any, ok: tuple[int, ...] = (200, 201, 302)) -> Any:
        start = time.perf_counter()
        try:
            status, content = call()
        except (OSError, http.client.HTTPException) as e:
            status, content = 0, repr(e)
        elapsed = time.perf_counter() - start
        with self.lock:
            self.latencies.setdefault(kind, []).append(elapsed)
            if status not in ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                self.failures.append(f"{kind}: status {status}: {str(content)[:300]}")
        return status, content

    def write(self, kind: str, case: int) -> Write:
        w = Write(kind, case, nonce())
        with self.lock:
            self.writes.append(w)
        return w


# --- the child process (Django on a data directory) ------------------------------------------


def _prepare(data_dir: str) -> None:
    from accord.service.runtime import Settings, prepare

    prepare(Settings(data_dir=Path(data_dir)))
    from django.db import connections

    connections.close_all()


def setup(data_dir: str, cases: int) -> dict[str, Any]:
    """``cases`` cairo-2024 cases, case k with a mediator and 2 + k % 3 delegates."""
    _prepare(data_dir)
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accord.service import engine
    from accord.service.accounts.models import Person as Account
    from accord.service.cases.invitations import create_case
    from accord.service.cases.models import CaseParty, Membership

    hashed = make_password(PASSWORD)  # one Argon2 hash for every account: setup stays quick
    scenario = engine.scenario_from_embedded("cairo-2024")
    out = []
    for k in range(cases):
        with transaction.atomic():
            mediator = Account.objects.create(
                email=f"mediator{k}@load.invalid",
                name=f"Mediator {k}",
                password=hashed,
                can_mediate=True,
            )
            case = create_case(mediator, scenario, "load test")
            parties = list(CaseParty.objects.filter(case=case))
            delegates = []
            for d in range(2 + k % 3):
                party = parties[d % 2]
                email = f"delegate{k}-{d}@load.invalid"
                person = Account.objects.create(email=email, name=email, password=hashed)
                Membership.objects.create(case=case, person=person, role="delegate", party=party)
                delegates.append([email, party.party_id])
        out.append({"id": case.pk, "mediator": mediator.email, "delegates": delegates})
    return {"password": PASSWORD, "cases": out}


def _half_applied(case_id: int, counts: dict[str, int], audited: dict[str, int]) -> list[str]:
    pairs = {
        "preferences": "preferences saved",
        "answers": "answer submitted",
        "drafts": "draft published",
        "messages": "message sent",
        "bids": "bid submitted",
    }
    return [
        f"case {case_id}: {counts[table]} {table} but {audited.get(kind, 0)} '{kind}' records"
        for table, kind in pairs.items()
        if counts[table] != audited.get(kind, 0)
    ]


def inspect(data_dir: str) -> dict[str, Any]:
    """Every nonce in the private records, the half-applied writes, the audit's findings."""
    _prepare(data_dir)
    from django.db.models import Count

    from accord.service.audit.chain import verify_all
    from accord.service.audit.models import AuditRecord
    from accord.service.cases import models
    from accord.service.crypto import sealer

    box = sealer()
    nonces: list[str] = []
    half: list[str] = []
    for case in models.Case.objects.all():
        tables = {
            "preferences": models.PreferenceVersion.objects.filter(party__case=case),
            "answers": models.Answer.objects.filter(draft__case=case),
            "messages": models.Message.objects.filter(case=case),
            "bids": models.Bid.objects.filter(bidding__case=case),
        }
        counts = {name: rows.count() for name, rows in tables.items()}
        for rows in tables.values():
            for token in rows.values_list("sealed", flat=True):
                # One record, one write: a nonce repeated inside a record counts once.
                nonces += sorted(set(NONCE.findall(json.dumps(box.open(token)))))
        drafts = models.Draft.objects.filter(case=case)
        counts["drafts"] = drafts.count()
        for note in drafts.values_list("note", flat=True):
            nonces += NONCE.findall(note)
        unchecked = tables["preferences"].annotate(n=Count("checks")).filter(n=0).count()
        if unchecked:
            half.append(f"case {case.pk}: {unchecked} preference versions without their check")
        audited = dict(
            AuditRecord.objects.filter(case_id=case.pk)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
        half += _half_applied(case.pk, counts, audited)
    chains = list(verify_all())
    return {
        "nonces": nonces,
        "half_applied": half,
        "audit": {
            "chains": len(chains),
            "records": sum(c.records for c in chains),
            "broken": [str(c.finding) for c in chains if c.finding is not None],
        },
    }


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.service.settings")
    if argv[:1] == ["setup"] and len(argv) == 3:
        print(json.dumps(setup(argv[1], int(argv[2]))))
    elif argv[:1] == ["inspect"] and len(argv) == 2:
        print(json.dumps(inspect(argv[1])))
    else:
        print("usage: loadkit.py setup DATA CASES | inspect DATA", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
