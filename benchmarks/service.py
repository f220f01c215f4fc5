"""Load on `accord serve`: many cases at once, and what survives it.

Starts the production server (``accord serve``: gunicorn, ``--workers`` processes, default 2)
on a loopback port over a fresh data directory (SQLite in WAL mode; PostgreSQL too with
``--postgres URL`` or ``ACCORD_TEST_POSTGRES_URL``), opens ``--cases`` cairo-2024 cases with 3
to 5 people each (a mediator, 2 to 4 delegates), and runs a bounded load: ``--requests``
requests in all (and at most ``--time-limit`` seconds), ``--concurrency`` at a time, each
person acting in turn (never two requests of one person at once): signing in, reading pages,
saving preferences, publishing drafts, answering them, viewing the engine's findings, opening
blind biddings and bidding, writing messages.

It prints the throughput, p50/p95/p99 latency and errors per kind of request, then reads the
database back: ``lost: N`` (acknowledged writes absent), ``duplicated: N`` (a write present
twice), ``half-applied: N`` (a record without its audit record, or the reverse), and whether
every case's audit chain verifies. Last, the same number of requests at the same concurrency
on a plain Django view (no database, no middleware) under the same gunicorn: the ceiling.

Targets (issue 15, 2 cores, 2 workers): zero errors, zero lost writes, p95 under 300 ms for
pages and submissions. The machine may be shared: the load average is printed before and
after, and the ceiling, measured in the same run, is the reference to compare with.

Run:

    python benchmarks/service.py                      # SQLite; PostgreSQL if the URL is set
    python benchmarks/service.py --cases 50 --requests 4000 --concurrency 8
    python benchmarks/service.py --postgres postgresql://accord:accord@%2Ftmp%2Fpg/accord
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "service"))

import loadkit  # noqa: E402  (tests/service: the crash test's client and checks)
import serving  # noqa: E402
from world import CAIRO_DRAFT  # noqa: E402

PAGE, SUBMIT, OTHER = "page", "submission", "other"


class User:
    """One person of one case, and where it is in its round of steps."""

    def __init__(
        self, base: str, case: dict[str, Any], email: str, party: str | None, bids: bool = False
    ) -> None:
        self.person = loadkit.Person(base, email)
        self.case, self.party, self.bids = case, party, bids
        self.step = -1  # -1: not signed in yet


class Load:
    """The shared state of the run: the case's latest draft and bidding, the recorder."""

    def __init__(self, users: list[User], requests: int, time_limit: float) -> None:
        self.users = collections.deque(users)
        self.left, self.deadline = requests, time.monotonic() + time_limit
        self.lock = threading.Lock()
        self.recorder = loadkit.Recorder()
        self.latest: dict[int, int] = {}
        self.biddings: dict[int, int] = {}
        self.kinds: dict[str, str] = {}
        self.rng = random.Random(15)

    def take(self) -> User | None:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline or not self.users:
                return None
            self.left -= 1
            return self.users.popleft()

    def give_back(self, user: User) -> None:
        with self.lock:
            self.users.append(user)

    def timed(self, kind: str, cls: str, call: Callable[[], Any], ok: tuple[int, ...]) -> Any:
        self.kinds[kind] = cls
        return self.recorder.timed(kind, call, ok)

    # -- the steps --------------------------------------------------------------------------

    def page(self, user: User, kind: str, path: str) -> None:
        self.timed(kind, PAGE, lambda: user.person.request("GET", path), (200,))

    def submit(self, user: User, kind: str, path: str, body: dict[str, Any], text: str) -> Any:
        write = self.recorder.write(kind, user.case["id"])
        if kind == "submit: preferences":
            body = loadkit.preferences(write.nonce, favour=user.party or "israel")
        else:
            body = {**body, text: write.nonce}
        case = user.case["id"]
        status, answer = self.timed(
            kind, SUBMIT, lambda: user.person.api("POST", f"/cases/{case}{path}", body), (201,)
        )
        write.acknowledged = status == 201
        return answer if status == 201 else None

    def mediator_step(self, user: User) -> None:
        case = user.case["id"]
        k = user.step % 5
        if k == 0:
            package = {**CAIRO_DRAFT, "prisoners": self.rng.randrange(0, 3001, 250)}
            made = self.submit(user, "submit: draft", "/drafts", {"package": package}, "note")
            if made:
                with self.lock:
                    self.latest[case] = max(self.latest.get(case, 0), made["number"])
        elif k == 1:
            self.page(user, "page: engine", f"/cases/{case}/assistance/")
        elif k == 2 and case in self.latest:
            self.page(user, "page: draft", f"/cases/{case}/drafts/{self.latest[case]}/")
        elif k == 3:
            self.submit(user, "submit: message", "/messages", {"to": "all"}, "text")
        elif case not in self.biddings:
            body = {"issue": "prisoners", "giver": "israel", "taker": "hamas", "rounds": 5}
            status, made = self.timed(
                "submit: open bidding",
                SUBMIT,
                lambda: user.person.api("POST", f"/cases/{case}/biddings", body),
                (201,),
            )
            if status == 201:
                self.biddings[case] = made["number"]
        else:
            self.page(user, "page: case", f"/cases/{case}/")

    def delegate_step(self, user: User) -> None:
        case = user.case["id"]
        k = user.step % 6
        if k == 0:
            self.page(user, "page: case", f"/cases/{case}/")
        elif k == 1:
            self.submit(user, "submit: preferences", "/preferences", {}, "notes")
        elif k == 2:
            self.page(user, "page: drafts", f"/cases/{case}/drafts/")
        elif k == 3 and case in self.latest:
            path = f"/drafts/{self.latest[case]}/answer"
            self.submit(user, "submit: answer", path, {"accept": "reject"}, "comment")
        elif k == 4 and case in self.biddings and user.bids:
            self.bid(user, case, self.biddings[case])
        else:
            self.submit(user, "submit: message", "/messages", {}, "text")

    def bid(self, user: User, case: int, number: int) -> None:
        status, seen = self.timed(
            "API: bidding",
            PAGE,
            lambda: user.person.api("GET", f"/cases/{case}/biddings/{number}"),
            (200,),
        )
        if status != 200 or not seen["can_bid"]:
            return
        limit = self.rng.randrange(0, 3001, 250)
        self.submit(
            user,
            "submit: bid",
            f"/biddings/{number}/bids",
            {"round": seen["round"], "limit": limit},
            "note",
        )

    def step(self, user: User) -> None:
        if user.step < 0:
            self.timed("sign in", OTHER, lambda: (user.person.login(), b""), (302,))
        elif user.party is None:
            self.mediator_step(user)
        else:
            self.delegate_step(user)
        user.step += 1

    def worker(self) -> None:
        while (user := self.take()) is not None:
            try:
                self.step(user)
            except RuntimeError:  # a sign-in refused: counted as an error, tried again
                with self.lock:
                    self.recorder.errors["sign in"] = self.recorder.errors.get("sign in", 0) + 1
            self.give_back(user)


# --- running and reporting ------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def table(latencies: dict[str, list[float]], errors: dict[str, int], kinds: dict[str, str]) -> None:
    print(f"  {'kind':24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    groups: dict[str, list[float]] = {}
    for kind in sorted(latencies):
        values = latencies[kind]
        groups.setdefault(kinds.get(kind, OTHER), []).extend(values)
        row(kind, values, errors.get(kind, 0))
    for cls in (PAGE, SUBMIT):
        if cls in groups:
            failed = sum(errors.get(k, 0) for k, c in kinds.items() if c == cls)
            row(f"all {cls}s", groups[cls], failed)


def row(kind: str, values: list[float], errors: int) -> None:
    cells = [percentile(values, q) * 1000 for q in (50, 95, 99)]
    print(f"  {kind:24} {len(values):6d} " + " ".join(f"{c:8.0f}" for c in cells) + f" {errors:7d}")


def users_of(base: str, made: dict[str, Any]) -> list[User]:
    users = []
    for case in made["cases"]:
        users.append(User(base, case, case["mediator"], None))
        first: set[str] = set()  # one delegate of each party bids (a second would be refused)
        for email, party in case["delegates"]:
            users.append(User(base, case, email, party, bids=party not in first))
            first.add(party)
    random.Random(0).shuffle(users)
    return users


def run_load(users: list[User], args: argparse.Namespace) -> tuple[Load, float]:
    load = Load(users, args.requests, args.time_limit)
    threads = [threading.Thread(target=load.worker) for _ in range(args.concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load, time.perf_counter() - start


def service_run(label: str, args: argparse.Namespace, database: str | None) -> None:
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        data = Path(tmp) / "data"
        env = serving.clean_env(**({"ACCORD_DATABASE_URL": database} if database else {}))
        made = loadkit.run_kit("setup", str(data), str(args.cases), env=env)
        extra = ("--database", database) if database else ()
        quiet = subprocess.DEVNULL
        with serving.server(data, *extra, workers=args.workers, stdout=quiet) as (base, process):
            users = users_of(base, made)
            cpu_before = server_cpu(process.pid)
            print(
                f"\n{label}: {args.cases} cases, {len(users)} people (3 to 5 a case), "
                f"{args.workers} workers, {args.concurrency} requests at a time"
            )
            print(f"  load average before: {_load()}")
            load, elapsed = run_load(users, args)
            cpu_after = server_cpu(process.pid)
            print(f"  load average after:  {_load()}")
        sent = sum(len(v) for v in load.recorder.latencies.values())
        print(f"  {sent} requests in {elapsed:.1f} s: {sent / elapsed:.1f} requests/s")
        if cpu_before is not None and cpu_after is not None:
            cpu = (cpu_after - cpu_before) / sent * 1000
            print(f"  server CPU: {cpu:.1f} ms a request (sign-ins included)")
        table(load.recorder.latencies, load.recorder.errors, load.kinds)
        for failure in load.recorder.failures[:10]:
            print(f"  error: {failure}")
        if load.recorder.failures:
            log = sorted(Path(tmp).glob("serve-*.log"))
            lines = log[0].read_text().splitlines() if log else []
            print("  the server's log around its errors:")
            for k, line in enumerate(lines):
                if "Error" in line or "Traceback" in line:
                    print("\n".join("    " + x for x in lines[k : k + 30]))
                    break
        found = loadkit.findings(
            load.recorder.writes, loadkit.run_kit("inspect", str(data), env=env)
        )
        acknowledged = sum(w.acknowledged for w in load.recorder.writes)
        print(f"  writes acknowledged: {acknowledged} of {len(load.recorder.writes)}")
        print(f"lost: {len(found['lost'])}")
        print(f"duplicated: {len(found['duplicated'])}")
        print(f"half-applied: {len(found['half applied'])}")
        audit = found["audit"]
        print(
            f"audit: {audit['chains']} chains, {audit['records']} records, "
            f"{len(audit['broken'])} broken" + "".join(f"\n  {b}" for b in audit["broken"])
        )


@contextmanager
def fresh_postgres(url: str) -> Iterator[str]:
    """A new database on the server at ``url`` (the role may create databases)."""
    import psycopg

    name = f"accord_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path="/" + name))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ceiling_run(args: argparse.Namespace) -> None:
    port = serving.free_port()
    command = [sys.executable, __file__, "--serve-ceiling", str(port), str(args.workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/", process)
        cpu_before = server_cpu(process.pid)
        people = [loadkit.Person(base, "nobody") for _ in range(args.cases * 4)]
        load = Load([], args.requests, args.time_limit)
        queue = collections.deque(people)

        def worker() -> None:
            while True:
                with load.lock:
                    if load.left <= 0 or time.monotonic() > load.deadline:
                        return
                    load.left -= 1
                    person = queue.popleft()
                load.timed(
                    "plain Django view", PAGE, lambda p=person: p.request("GET", "/"), (200,)
                )
                with load.lock:
                    queue.append(person)

        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        cpu_after = server_cpu(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)
    sent = sum(len(v) for v in load.recorder.latencies.values())
    print(
        f"\nceiling: a plain Django view under the same gunicorn ({args.workers} workers), "
        f"{args.concurrency} requests at a time"
    )
    print(f"  {sent} requests in {elapsed:.1f} s: {sent / elapsed:.1f} requests/s")
    if cpu_before is not None and cpu_after is not None:
        print(f"  server CPU: {(cpu_after - cpu_before) / sent * 1000:.1f} ms a request")
    table(load.recorder.latencies, load.recorder.errors, load.kinds)


def _wait(url: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the ceiling's server did not start") from None
            time.sleep(0.2)


def serve_ceiling(port: int, workers: int) -> None:
    """A Django project of one view (no database, no middleware) under gunicorn."""
    import django
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    settings.configure(
        DEBUG=False,
        SECRET_KEY="the ceiling of the service benchmark",
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
    )
    django.setup()
    globals()["urlpatterns"] = [path("", lambda request: HttpResponse("ok"))]
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    application = get_wsgi_application()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", [f"127.0.0.1:{port}"])
            self.cfg.set("workers", workers)
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            return application

    Server().run()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def server_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a server process and its live children (Linux /proc);
    None elsewhere. Moves far less with the machine's other load than wall time does."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if entry.name == str(pid) or fields[1] == str(pid):
                total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total / ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=600.0, help="seconds, per run")
    parser.add_argument("--postgres", default=os.environ.get("ACCORD_TEST_POSTGRES_URL", ""))
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--serve-ceiling", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ceiling:
        serve_ceiling(*args.serve_ceiling)
        return
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if not args.no_sqlite:
        service_run("SQLite (WAL)", args, None)
    if args.postgres:
        with fresh_postgres(args.postgres) as url:
            service_run("PostgreSQL", args, url)
    else:
        print("\nPostgreSQL: not measured (give --postgres URL or ACCORD_TEST_POSTGRES_URL)")
    if not args.no_ceiling:
        ceiling_run(args)


if __name__ == "__main__":
    main()
