"""What every accord command shares: the FILE argument, --json, loading, printing."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click
from rich.console import Console

from accord.jsonable import to_jsonable
from accord.model import LoadResult, Scenario, ScenarioError, read_scenario
from accord.model.loader import DEFAULT_SCENARIO

__all__ = [
    "console",
    "error_console",
    "exit_with_problems",
    "json_option",
    "load_or_exit",
    "print_json",
    "read_or_exit",
    "scenario_argument",
]

console = Console(highlight=False)
error_console = Console(stderr=True, highlight=False)

scenario_argument = click.argument("file", required=False, metavar="[FILE]")
"""The optional scenario: a YAML/JSON path or an embedded scenario's name (default cairo-2024)."""

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of tables."
)


def exit_with_problems(error: ScenarioError, *, as_json: bool = False) -> NoReturn:
    """Report every problem of a bad scenario on stderr (and as JSON on stdout) and exit 2."""
    if as_json:
        print_json({"ok": False, "file": error.file, "errors": list(error.problems)})
    # Plain lines, never wrapped: editors and scripts jump to file:line:column.
    click.echo(str(error), err=True)
    sys.exit(2)


def read_or_exit(file: str | None, *, as_json: bool = False) -> LoadResult:
    """Load FILE (default: the embedded scenario) with its warnings, or exit 2 listing problems."""
    try:
        return read_scenario(file if file is not None else DEFAULT_SCENARIO)
    except ScenarioError as e:
        exit_with_problems(e, as_json=as_json)


def load_or_exit(file: str | None, *, as_json: bool = False) -> Scenario:
    """Load FILE (default: the embedded scenario), or exit 2 with every problem on stderr."""
    return read_or_exit(file, as_json=as_json).scenario


def print_json(obj: Any) -> None:
    """Print any result as indented JSON on stdout."""
    click.echo(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False))
