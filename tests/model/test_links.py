"""A source's url becomes a live link in the report: only http, https and mailto (issue 12.4)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import ScenarioError, scenario_from_data


@pytest.mark.parametrize(
    "url",
    [
        "https://www.aljazeera.com/news/2024/2/13/x",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/a?b=c#d",
        "mailto:desk@example.org",
    ],
)
def test_web_and_mail_links_are_accepted(base: dict[str, Any], url: str) -> None:
    base["sources"][0]["url"] = url
    assert scenario_from_data(base).scenario.sources[0].url == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "  VBScript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org",
        "//example.org/protocol-relative",
        "reports/other.html",
        "https:",
        "https://",
        "mailto:",
        "https://example.org/a b",
        "",
    ],
)
def test_every_other_link_is_refused_with_its_place(base: dict[str, Any], url: str) -> None:
    base["sources"][0]["url"] = url
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(base)
    (problem,) = info.value.problems
    assert problem.path == ("sources", 0, "url")
    assert "http, https or mailto" in problem.expected
