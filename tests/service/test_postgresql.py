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
from pathlib import Path

import pytest

from .serving import clean_env, run

HERE = Path(__file__).resolve().parent
URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "")
# Tests that start `accord serve` in a subprocess use SQLite data directories of their own.
SQLITE_ONLY = ["test_browser.py", "test_serve_cli.py", "test_postgresql.py", "test_extra.py"]

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
    env = dict(os.environ, ACCORD_TEST_DATABASE="postgresql")
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


def test_accord_serve_runs_on_postgresql(tmp_path: Path) -> None:
    _need_postgres()
    env = clean_env(ACCORD_DATABASE_URL=URL)
    result = run(
        "--data-dir", str(tmp_path / "data"), "--create-mediator", "pg@example.org", env=env
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "data" / "accord.sqlite3").exists()
    result = run("--data-dir", str(tmp_path / "data"), "--verify-audit", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every audit chain verifies" in result.stdout
