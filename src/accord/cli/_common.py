"""What every accord command shares: the FILE argument, --json, loading, printing JSON.

Commands import the analyses and rich only inside their functions, so that ``accord
--version`` and ``accord --help`` start in a fraction of a second.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from accord.cli._output import plain
from accord.embedded import embedded_names

if TYPE_CHECKING:
    from accord.model import LoadResult, ScenarioError
    from accord.run import Analysis, Options, Progress

__all__ = [
    "JSON_KEY",
    "analysis_or_exit",
    "exit_with_problems",
    "exit_with_user_error",
    "json_option",
    "looks_like_a_file",
    "print_json",
    "read_or_exit",
    "scenario_argument",
    "split_file_args",
]

JSON_KEY = "accord.json"
"""Where --json records itself in the click context, for the error handler of the group."""

scenario_argument = click.argument("file", required=False, metavar="[FILE]")
"""The optional scenario: a YAML/JSON path or an embedded scenario's name (default cairo-2024)."""


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[JSON_KEY] = value
    return value


json_option = click.option(
    "--json",
    "as_json",
    is_flag=True,
    callback=_remember_json,
    help="Print machine-readable JSON instead of tables.",
)


def exit_with_problems(error: ScenarioError, *, as_json: bool = False) -> NoReturn:
    """Report every problem of a bad scenario on stderr (and as JSON on stdout) and exit 2."""
    if as_json:
        from accord.run.results import ScenarioProblems

        print_json(ScenarioProblems(False, error.file, error.problems))
    # Plain lines, never wrapped: editors and scripts jump to file:line:column.
    click.echo(plain(error), err=True)
    sys.exit(2)


def exit_with_user_error(error: Exception) -> NoReturn:
    """A user's mistake found after loading (a name, an option's value): a message, exit 2."""
    click.echo(f"Error: {plain(error)}", err=True)
    sys.exit(2)


SAMPLING_MODULES = ("accord.robust.engine", "accord.robust.plans")
"""Where the sampling commands' chunk simulators live: imported once in the fork server."""


def warm_up_workers(*more: str) -> None:
    """Start the fork server of the local workers now, with the simulators' modules imported
    there (:func:`accord.processes.warm_up`), for a command that samples in local
    processes: their imports then run on another core while this process imports and loads.
    Nothing on one core, where the chunks run in this process."""
    from accord.processes import sharing_processes, warm_up

    if sharing_processes(None) > 1:
        warm_up([*SAMPLING_MODULES, *more])


def read_or_exit(file: str | None) -> LoadResult:
    """Load FILE (default: the embedded scenario) with its warnings.

    A ScenarioError reaches the command group, which lists every problem and exits 2."""
    from accord.model import read_scenario
    from accord.model.loader import DEFAULT_SCENARIO

    return read_scenario(file if file is not None else DEFAULT_SCENARIO)


def analysis_or_exit(
    file: str | None, options: Options | None = None, *, progress: Progress | None = None
) -> Analysis:
    """The scenario FILE (default: the embedded one) ready to analyze under ``options``."""
    from accord.run import Analysis, Options

    loaded = read_or_exit(file)
    return Analysis(
        loaded.scenario,
        options or Options(),
        origin=loaded.origin,
        warnings=loaded.warnings,
        progress=progress,
    )


def print_json(obj: Any) -> None:
    """Print any result as indented JSON on stdout."""
    from accord.jsonable import to_jsonable

    click.echo(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False))


def looks_like_a_file(arg: str) -> bool:
    """Whether an argument names a scenario: an existing path, a name ending in .yaml, .yml
    or .json, or an embedded scenario's name."""
    if arg.lower().endswith((".yaml", ".yml", ".json")) or Path(arg).exists():
        return True
    return arg in set(embedded_names())


def split_file_args(
    args: tuple[str, ...], names: tuple[str, ...], what: str
) -> tuple[str | None, list[str]]:
    """Read ``[FILE] NAME...``: the first argument is FILE when it names a scenario (see
    :func:`looks_like_a_file`) or when there is one argument more than ``names``.

    ``what`` says what the names are, for the message when one is missing.
    """
    if args and (looks_like_a_file(args[0]) or len(args) == len(names) + 1):
        file, rest = args[0], list(args[1:])
    else:
        file, rest = None, list(args)
    wanted = " ".join(names)
    if len(rest) < len(names):
        missing = " ".join(names[len(rest) :])
        after = f" after the scenario {file!r}" if file is not None else ""
        raise click.UsageError(f"missing {missing} ({what}){after}; expected [FILE] {wanted}")
    if len(rest) > len(names):
        raise click.UsageError(f"expected [FILE] {wanted}, got {len(args)} arguments")
    return file, rest
