"""The service's tests: Django configured for a temporary data directory, SQLite by default.

With ``ACCORD_TEST_DATABASE=postgresql`` the same tests run against the PostgreSQL server at
``ACCORD_TEST_POSTGRES_URL`` (``test_postgresql.py`` starts that run; ``.ci/run`` provides the
server). Without the service extra installed, only ``test_extra.py`` is collected: it skips,
or fails with CI=true.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

try:
    import django
except ImportError:  # the service extra is not installed
    django = None  # type: ignore[assignment]

TEST_KEY = "h3TsqKf2y1m0aM8oQ4c3jZk6rQm0bCqS3oV2cYvQb2Y="  # a Fernet key for tests only

if django is None:
    _HERE = os.path.dirname(__file__)
    collect_ignore = [
        name for name in os.listdir(_HERE) if name.startswith("test_") and name != "test_extra.py"
    ]
else:
    # In memory-backed /dev/shm where there is one: each commit's fsync then costs nothing.
    _SHM = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    _DATA = tempfile.mkdtemp(prefix="accord-service-tests-", dir=_SHM)
    atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
    os.environ["ACCORD_DATA_DIR"] = _DATA
    os.environ["ACCORD_SECRET_KEY"] = TEST_KEY
    os.environ.pop("ACCORD_PUBLIC_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "accord.service.settings"
    ON_POSTGRES = os.environ.get("ACCORD_TEST_DATABASE") == "postgresql"
    if ON_POSTGRES:
        os.environ["ACCORD_DATABASE_URL"] = os.environ["ACCORD_TEST_POSTGRES_URL"]
    else:
        os.environ.pop("ACCORD_DATABASE_URL", None)
    from django.conf import settings

    if settings.configured:
        raise RuntimeError(
            "Django was configured before tests/service/conftest.py ran (DJANGO_SETTINGS_MODULE "
            "is set in the environment): unset it, the service's tests configure Django themselves"
        )
    if not ON_POSTGRES:
        # A file, not memory: the encryption test reads the raw database file.
        settings.DATABASES["default"]["TEST"] = {"NAME": os.path.join(_DATA, "test.sqlite3")}
    django.setup()
    # Cheap Argon2 parameters in tests only (the stored hash records its parameters).
    from django.contrib.auth.hashers import Argon2PasswordHasher

    Argon2PasswordHasher.time_cost = 1
    Argon2PasswordHasher.memory_cost = 64
    Argon2PasswordHasher.parallelism = 1


@pytest.fixture(scope="module")
def world(request: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Two cases with people in every role and canaries in each party's private data,
    created once per module and deleted afterwards (tests roll their own changes back).
    A module that sets ``WORLD_WITH_AGREEMENT = True`` gets the world where the parties
    hold an agreement on draft 2 (see world.py)."""
    from .world import build_world, remove_world

    with django_db_blocker.unblock():
        w = build_world(agreement=getattr(request.module, "WORLD_WITH_AGREEMENT", False))
    yield w
    with django_db_blocker.unblock():
        remove_world(w)
