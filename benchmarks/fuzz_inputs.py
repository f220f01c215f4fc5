"""The long fuzz run: thousands of mutated scenario files through the loader and every command.

Run:  PYTHONPATH=src python benchmarks/fuzz_inputs.py [PROFILE]

It runs ``tests/model/test_fuzz.py`` with the hypothesis profile PROFILE (default ``long``,
3,000 files per test; the test suite uses ``ci``, 30). Every file must load or be refused with
problems, and every command must exit 0 or 2 without a traceback. Not a timing: it takes as long
as it takes (about an hour on a shared two-core machine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def main() -> int:
    profile = sys.argv[1] if len(sys.argv) > 1 else "long"
    os.environ["ACCORD_FUZZ_PROFILE"] = profile
    test = Path(__file__).resolve().parents[1] / "tests" / "model" / "test_fuzz.py"
    return int(pytest.main(["-q", "-p", "no:cacheprovider", "-x", str(test)]))


if __name__ == "__main__":
    sys.exit(main())
