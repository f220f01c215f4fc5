"""`accord serve` itself: the data directory, key file, WAL database, first accounts, audit
verification (and tampering found in the file), key rotation, the production server."""

from __future__ import annotations

import re
import shutil
import sqlite3
import stat
import urllib.request
from pathlib import Path

import pytest

from .serving import clean_env, run, server


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory made by `accord serve --create-mediator ... --create-admin ...`."""
    data = tmp_path_factory.mktemp("serve") / "data"
    result = run(
        "--data-dir",
        str(data),
        "--create-mediator",
        "m@example.org",
        "--create-admin",
        "root@example.org",
    )
    assert result.returncode == 0, result.stderr
    return data


def test_create_mediator_prepares_the_data_directory(prepared: Path) -> None:
    data = prepared
    assert stat.S_IMODE((data / "secret.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    with sqlite3.connect(data / "accord.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        kinds = [k for (k,) in db.execute("SELECT kind FROM audit_auditrecord ORDER BY seq")]
    assert kinds == ["account created", "sign-in link created"] * 2


def test_the_printed_links_work_once(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "data"), "--create-mediator", "m@example.org")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"mediator m@example.org: set a password at http://127\.0\.0\.1:8000/invite/[\w-]+/",
        result.stdout,
    )


def test_verify_audit_names_an_edited_then_a_deleted_record(prepared: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(prepared, data)
    result = run("--data-dir", str(data), "--verify-audit")
    assert result.returncode == 0 and "every audit chain verifies" in result.stdout
    with sqlite3.connect(data / "accord.sqlite3") as db:
        db.execute(
            "UPDATE audit_auditrecord SET subject = 'someone else' WHERE chain = 'site' AND seq = 3"
        )
        db.execute("DELETE FROM audit_auditrecord WHERE chain = 'site' AND seq = 2")
    result = run("--data-dir", str(data), "--verify-audit")
    assert result.returncode == 1
    assert (
        "audit chain site: record 2 is missing (record 1 is followed by record 3)" in result.stdout
    )


def test_rotate_key_keeps_the_data_readable(prepared: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(prepared, data)
    before = (data / "secret.key").read_text()
    result = run("--data-dir", str(data), "--rotate-key")
    assert result.returncode == 0, result.stderr
    after = (data / "secret.key").read_text()
    keys = [line for line in after.splitlines() if line and not line.startswith("#")]
    assert len(keys) == 1 and keys[0] not in before
    assert stat.S_IMODE((data / "secret.key").stat().st_mode) == 0o600
    # The old key alone no longer opens the database: the start-up check says so.
    (data / "secret.key").write_text(before)
    result = run("--data-dir", str(data), "--verify-audit")
    assert result.returncode == 1 and "does not belong to this database" in result.stderr


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path: Path) -> None:
    env = clean_env(ACCORD_DATABASE_URL="postgresql://accord:secret@127.0.0.1:1/nowhere")
    result = run("--data-dir", str(tmp_path / "data"), "--verify-audit", env=env)
    assert result.returncode == 1
    assert (
        "the database at postgresql://accord:***@127.0.0.1:1/nowhere cannot be used"
        in result.stderr
    )
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_the_production_server_serves_pages_and_static_files_with_a_strict_policy(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    with server(data, "--demo", workers=1) as (base, process):
        with urllib.request.urlopen(base + "/login/") as response:
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "default-src 'none'" in policy
            assert "unsafe-inline" not in policy
            assert response.headers["X-Frame-Options"] == "DENY"
            cookie = response.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        with urllib.request.urlopen(base + "/static/service/htmx.min.js") as response:
            assert response.status == 200 and b"htmx" in response.read(200)
    out = process.stdout.read() if process.stdout else ""
    assert "demo case 'Cairo talks" in out
    for who in ("mediator", "delegate of Israel", "delegate of Hamas"):
        assert re.search(rf"{who} \([\w.@-]+\): {re.escape(base)}/invite/[\w-]+/", out), who
