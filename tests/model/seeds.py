"""Where the seed articles of the embedded cairo-2024 scenario are, for the tests that read them.

The two articles are not in the repository (they are the reports the scenario restates, not
ours to copy): they live beside it, in ``shared/seeds`` of the folder that holds the clone or of
one of its ancestors (``../shared/seeds`` from a worktree's parent). ``ACCORD_SEEDS`` names the
folder explicitly; ``.ci/run`` sets it. When the folder is absent the tests that need it skip on
a developer's machine and fail in CI (``CI=true``) or when ``ACCORD_SEEDS`` names a folder that
is not there, so a check that cannot run never passes silently where it must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: The seed files, by the id of the cairo-2024 source each is the text of.
SEED_FILES = {
    "aj-2024-02-13": "000_9ca3c555eafa5c6c.txt",
    "london-2024-02-13": "003_92fdc87bd6b549ba.txt",
}


def seed_folder() -> Path | None:
    """``$ACCORD_SEEDS``, else the nearest ``shared/seeds`` beside the repository or an
    ancestor of it; None when there is none."""
    named = os.environ.get("ACCORD_SEEDS")
    if named:
        return Path(named)
    for parent in REPO.parents:
        if (parent / "shared" / "seeds").is_dir():
            return parent / "shared" / "seeds"
    return None


def seeds() -> Path:
    """The seed folder, or skip (a developer's machine) or fail (CI) when it is absent."""
    folder = seed_folder()
    if folder is not None and all((folder / f).is_file() for f in SEED_FILES.values()):
        return folder
    why = (
        f"the seed articles ({', '.join(SEED_FILES.values())}) are not in "
        f"{folder or 'any shared/seeds beside the repository'}; set ACCORD_SEEDS to their folder"
    )
    if os.environ.get("CI", "").lower() == "true" or os.environ.get("ACCORD_SEEDS"):
        pytest.fail(why)
    pytest.skip(why)
