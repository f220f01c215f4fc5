"""The service's tests need the service extra; in CI a missing extra is a failure."""

from __future__ import annotations

import importlib.util
import os

import pytest


def test_the_service_extra_is_installed() -> None:
    missing = [
        name
        for name in ("django", "ninja", "argon2", "axes", "csp", "whitenoise", "cryptography")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        message = f"the service extra is not installed (missing: {', '.join(missing)})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; .ci/run installs '.[test,dask,service]'")
        pytest.skip(message + ": pip install '.[service]'")
