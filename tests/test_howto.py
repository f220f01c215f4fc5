"""The how-to guides' examples run as written: every Python block of a page, in order, in one
namespace; every ``$ accord ...`` line of its console blocks, exit status 0."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main

HOWTO = Path(__file__).resolve().parents[1] / "docs" / "how-to"
PAGES = sorted(p.name for p in HOWTO.glob("*.md") if p.name != "index.md")
# The service's guides walk through pages in a browser, not commands: the negotiation they
# describe is run, page by page, by tests/service/test_browser.py.
IN_A_BROWSER = {"mediate-a-case.md", "take-part-as-a-delegate.md", "operate-the-service.md"}


def blocks(page: str, language: str) -> list[str]:
    text = (HOWTO / page).read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_the_index_lists_every_guide_and_the_readme_lists_the_index() -> None:
    index = (HOWTO / "index.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert f"]({page})" in index, page
    readme = (HOWTO.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "](docs/how-to/index.md)" in readme


@pytest.mark.parametrize("page", sorted(set(PAGES) - IN_A_BROWSER))
def test_the_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    python, console = blocks(page, "python"), blocks(page, "console")
    assert python or console, f"{page} has no example"
    namespace: dict[str, object] = {}
    for block in python:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, f"{page} (python block)", "exec"), namespace)
    for block in console:
        for line in block.splitlines():
            if line.startswith("$ accord "):
                args = shlex.split(line.removeprefix("$ accord "))
                result = CliRunner().invoke(main, args)
                assert result.exit_code == 0, (line, result.output)
