"""A crash in the middle of submissions: `accord serve` (its master and workers at once) killed
with SIGKILL while writes are in flight, then restarted on the same data directory. Every
acknowledged write is there, exactly once; no write is half-applied (each is one transaction
with its audit record); every audit chain verifies."""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from .loadkit import Person, Recorder, findings, preferences, run_kit
from .serving import clean_env, run, server
from .world import CAIRO_DRAFT

ACKNOWLEDGED_BEFORE_THE_KILL = 24
"""Writes acknowledged before the kill is sent (then it waits for one in flight)."""


class Submitters:
    """Three people writing in a loop, each in its own thread, until stopped or refused."""

    def __init__(self, people: dict[str, Person], case: int, recorder: Recorder) -> None:
        self.people, self.case, self.recorder = people, case, recorder
        self.stop = threading.Event()
        self.in_flight = 0
        self.lock = threading.Lock()

    def send(self, who: str, kind: str, path: str, body: dict[str, Any]) -> bool:
        write = self.recorder.write(kind, self.case)
        text = {"preferences": "notes", "draft": "note"}.get(kind, "text")
        if kind == "answer":
            text = "comment"
        if kind == "preferences":
            body = preferences(write.nonce, favour="hamas" if who == "hamas" else "israel")
        else:
            body = {**body, text: write.nonce}
        with self.lock:
            self.in_flight += 1
        try:
            status, _ = self.people[who].api("POST", f"/cases/{self.case}{path}", body)
        except (OSError, http.client.HTTPException):
            status = 0  # the kill cut the connection or the response short: not acknowledged
        finally:
            with self.lock:
                self.in_flight -= 1
        write.acknowledged = status == 201
        return status == 201

    def loop(self, who: str) -> None:
        steps = {
            "mediator": [
                ("draft", "/drafts", {"package": CAIRO_DRAFT}),
                ("message", "/messages", {}),
            ],
            "israel": [
                ("preferences", "/preferences", {}),
                ("answer", "/drafts/1/answer", {"accept": "reject"}),
                ("message", "/messages", {}),
            ],
        }
        steps["hamas"] = steps["israel"]
        k = 0
        while not self.stop.is_set():
            kind, path, body = steps[who][k % len(steps[who])]
            if not self.send(who, kind, path, body):
                return
            k += 1

    def acknowledged(self) -> int:
        return sum(w.acknowledged for w in self.recorder.writes)


def test_every_acknowledged_write_survives_a_kill_mid_submission(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = run_kit("setup", str(data), "1", env=clean_env())
    case = made["cases"][0]
    recorder = Recorder()
    with server(data, own_group=True) as (base, process):
        people = {"mediator": Person(base, case["mediator"])}
        for email, party in case["delegates"]:
            people[party] = Person(base, email)
        for p in people.values():
            p.login()
        submitters = Submitters(people, case["id"], recorder)
        assert submitters.send("mediator", "draft", "/drafts", {"package": CAIRO_DRAFT})
        threads = [threading.Thread(target=submitters.loop, args=(w,)) for w in people]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 90
        while submitters.acknowledged() < ACKNOWLEDGED_BEFORE_THE_KILL:
            assert time.monotonic() < deadline, "too few writes acknowledged"
            time.sleep(0.01)
        while submitters.in_flight == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        os.killpg(process.pid, signal.SIGKILL)  # the server's own process group
        submitters.stop.set()
        for t in threads:
            t.join(timeout=60)
        process.wait(timeout=30)
    acknowledged = submitters.acknowledged()
    with server(data) as (base, _):
        again = Person(base, case["mediator"])
        again.login()
        after = Submitters({"mediator": again}, case["id"], recorder)
        assert after.send("mediator", "draft", "/drafts", {"package": CAIRO_DRAFT})
    found = findings(recorder.writes, run_kit("inspect", str(data), env=clean_env()))
    assert acknowledged >= ACKNOWLEDGED_BEFORE_THE_KILL
    assert found["lost"] == []
    assert found["duplicated"] == []
    assert found["half applied"] == []
    assert found["audit"]["broken"] == []
    result = run("--data-dir", str(data), "--verify-audit")
    assert result.returncode == 0 and "every audit chain verifies" in result.stdout
