"""The report never destroys the previous page, is refused early where it cannot be written,
and makes live only http, https and mailto links (issue 12, item 4)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main
from accord.model import scenario_from_data
from accord.report import build_report
from accord.report.files import ReportPathError, check_writable, write_atomically
from accord.report.links import UnsafeLink, check_links
from accord.run import Analysis

NOBODY = 65534  # the unprivileged user of Debian and most Linux systems


def test_a_failed_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    out.write_text("the previous report", encoding="utf-8")

    def full_disk(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(ReportPathError, match="No space left on device"):
        write_atomically(out, "<!DOCTYPE html> the new one")
    assert out.read_text(encoding="utf-8") == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left


def test_an_interrupt_while_writing_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, "page")
    assert list(tmp_path.iterdir()) == []


def test_the_new_page_replaces_the_old_one_with_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert write_atomically(out, "new ✓") == len("new ✓".encode())
    assert out.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize(
    ("where", "reason"),
    [("missing-dir/r.html", "no such directory"), (".", "is a directory")],
)
def test_unusable_paths_are_refused(tmp_path: Path, where: str, reason: str) -> None:
    with pytest.raises(ReportPathError, match=reason):
        check_writable(tmp_path / where)


def _refused_as(uid: int | None, target: Path) -> bool:
    """Whether check_writable refuses ``target`` as "not writable", run as user ``uid`` (in a
    forked child that drops root's privileges; root may write anywhere) or as ourselves."""

    def refused() -> bool:
        try:
            check_writable(target)
        except ReportPathError as e:
            return "not writable" in str(e)
        return False

    if uid is None:
        return refused()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.setgid(uid)
            os.setuid(uid)
            code = 0 if refused() else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_a_read_only_directory_is_refused() -> None:
    # a directory of its own that an unprivileged user can reach (pytest's are private to us)
    with tempfile.TemporaryDirectory() as where:
        base = Path(where)
        base.chmod(0o755)
        folder = base / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        try:
            assert _refused_as(NOBODY if os.geteuid() == 0 else None, folder / "r.html")
        finally:
            folder.chmod(0o700)


def test_the_cli_checks_the_path_before_computing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Analysis, "space", property(lambda self: pytest.fail("computed")))
    out = tmp_path / "missing-dir" / "r.html"
    result = CliRunner().invoke(main, ["report", "job-offer", "-o", str(out)])
    assert result.exit_code == 2
    assert "Could not open file" in result.output and "no such directory" in result.output


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "\tjava\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "VBScript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_other_schemes_are_refused(base: dict[str, Any], url: str) -> None:
    """The loader refuses them; a scenario changed without validation is refused again."""
    from accord.model import ScenarioError

    bad = dict(base, sources=[dict(base["sources"][0], url=url)])
    with pytest.raises(ScenarioError, match=r"sources\[0\]\.url"):
        scenario_from_data(bad)
    scenario = scenario_from_data(base).scenario
    source = scenario.sources[0].model_copy(update={"url": url})
    unvalidated = scenario.model_copy(update={"sources": (source,)})
    with pytest.raises(UnsafeLink, match=r"sources\[0\]\.url"):
        build_report(unvalidated)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("mailto:desk@example.org", True),
        ("//example.org/x", False),
        ("notes/interview.html", False),
        ("https://example.org/a b", False),
    ],
)
def test_the_report_keeps_what_check_accepts(base: dict[str, Any], url: str, kept: bool) -> None:
    """One rule: what the report makes live is exactly what the loader accepts."""
    from accord.model import ScenarioError

    scenario = scenario_from_data(base).scenario
    source = scenario.sources[0].model_copy(update={"url": url})
    unvalidated = scenario.model_copy(update={"sources": (source,)})
    try:
        scenario_from_data(dict(base, sources=[dict(base["sources"][0], url=url)]))
        loads = True
    except ScenarioError:
        loads = False
    try:
        check_links(unvalidated)
        live = True
    except UnsafeLink:
        live = False
    assert loads == live == kept


def test_a_kept_link_is_live_on_the_page(base: dict[str, Any]) -> None:
    base["sources"][0]["url"] = "https://example.org/notes?a=1&b=2"
    html = build_report(scenario_from_data(base).scenario)
    assert 'href="https://example.org/notes?a=1&amp;b=2"' in html
