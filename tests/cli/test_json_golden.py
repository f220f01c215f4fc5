"""Every command's ``--json`` output on the embedded scenarios, pinned byte for byte.

Users' scripts read these keys and values. A refactor must leave them unchanged; a change of
output that fixes a bug updates the pinned file in the same commit, and its message says why.

Regenerate after such a fix with ``python tests/cli/test_json_golden.py`` (writes every file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main

GOLDEN = Path(__file__).parent / "golden"

# (file name, arguments): small sample counts keep the robustness runs quick.
CASES: list[tuple[str, list[str]]] = [
    ("scenarios", ["scenarios"]),
    ("schema", ["schema"]),
    ("check-cairo", ["check", "cairo-2024"]),
    ("check-job", ["check", "job-offer"]),
    ("show-cairo", ["show", "cairo-2024"]),
    ("show-job", ["show", "job-offer"]),
    ("signals-cairo", ["signals", "cairo-2024"]),
    ("analyze-cairo", ["analyze", "cairo-2024"]),
    ("analyze-cairo-zopa", ["analyze", "cairo-2024", "--zopa-pareto", "--limit", "5"]),
    ("analyze-job", ["analyze", "job-offer"]),
    ("calibrate-cairo", ["calibrate", "cairo-2024"]),
    ("calibrate-job", ["calibrate", "job-offer"]),
    ("compare-cairo", ["compare", "cairo-2024", "paris-framework", "cairo-draft"]),
    ("compare-cairo-nash", ["compare", "cairo-2024", "cairo-draft", "nash"]),
    ("improve-cairo", ["improve", "cairo-2024", "cairo-draft"]),
    ("phases-cairo", ["phases", "cairo-2024"]),
    ("phases-cairo-guarantee", ["phases", "cairo-2024", "--guarantee"]),
    ("phases-cairo-design", ["phases", "cairo-2024", "--design"]),
    ("stability-cairo", ["stability", "cairo-2024"]),
    ("stability-cairo-sq", ["stability", "cairo-2024", "--status-quo"]),
    (
        "stability-cairo-options",
        [
            "stability",
            "cairo-2024",
            "--status-quo",
            "--unilateral-only",
            "--coalition",
            "israel,united-states",
            "--inverse",
            "hamas",
            "--target",
            "six-week truce, staged release (Cairo draft)",
            "--vary",
            "YNNNNYY,YNNNYNY,YNNNNNY",
            "--explain",
            "war goes on, US presses (13 Feb)",
        ],
    ),
    ("phases-cairo-plan", ["phases", "cairo-2024", "cairo-draft"]),
    ("robust-cairo", ["robust", "cairo-2024", "--samples", "2000", "--seed", "3"]),
    ("robust-job", ["robust", "job-offer", "--samples", "2000", "--seed", "3"]),
]


def run(args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_json_unchanged(name: str, args: list[str]) -> None:
    expected = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    assert run(args) == expected


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    only = set(sys.argv[1:])
    for name, args in CASES:
        if not only or name in only:
            (GOLDEN / f"{name}.json").write_text(run(args), encoding="utf-8")
            print("wrote", name)
