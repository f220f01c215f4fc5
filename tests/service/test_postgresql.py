"""The same service tests on a real PostgreSQL server, and `accord serve --database` on it.

``.ci/run`` installs Debian's PostgreSQL, starts a server on loopback and exports
``ACCORD_TEST_POSTGRES_URL`` (a role that may create databases, and a scratch database). The
service's tests then run a second time in a child pytest with ``ACCORD_TEST_DATABASE=postgresql``
(conftest.py points Django at that server; pytest-django creates and drops ``test_<name>``).
Without the variable the test skips, except in CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from .serving import clean_env, run

HERE = Path(__file__).resolve().parent
URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "")
# Tests that start `accord serve` in a subprocess use SQLite data directories of their own.
SQLITE_ONLY = [
    "test_browser.py",
    "test_serve_cli.py",
    "test_postgresql.py",
    "test_extra.py",
    "test_crash.py",
]

pytestmark = pytest.mark.skipif(
    os.environ.get("ACCORD_TEST_DATABASE") == "postgresql", reason="this is the PostgreSQL run"
)


def _need_postgres() -> None:
    if not URL:
        reason = "ACCORD_TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + "; .ci/run starts one")
        pytest.skip(reason)


def test_the_service_tests_pass_on_postgresql() -> None:
    _need_postgres()
    ignore = [f"--ignore={HERE / name}" for name in SQLITE_ONLY]
    # A clean environment: with DJANGO_SETTINGS_MODULE inherited from this process,
    # pytest-django would configure Django before conftest.py could point it at PostgreSQL.
    env = clean_env(ACCORD_TEST_DATABASE="postgresql", ACCORD_TEST_POSTGRES_URL=URL)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(HERE), *ignore],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, (
        f"the service tests failed on PostgreSQL:\n{tail}\n{result.stderr[-2000:]}"
    )
    assert " passed" in tail and " failed" not in tail


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new, empty database on the test server (the role may create databases)."""
    _need_postgres()
    import psycopg

    name = f"accord_serve_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(URL)._replace(path="/" + name))
    finally:
        with psycopg.connect(URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_accord_serve_runs_on_postgresql(tmp_path: Path, fresh_database: str) -> None:
    env = clean_env(ACCORD_DATABASE_URL=fresh_database)
    data = tmp_path / "data"
    result = run("--data-dir", str(data), "--create-mediator", "pg@example.org", env=env)
    assert result.returncode == 0, result.stderr
    assert not (data / "accord.sqlite3").exists()
    result = run("--data-dir", str(data), "--verify-audit", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every audit chain verifies" in result.stdout
