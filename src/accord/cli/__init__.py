"""The `accord` command line.

Commands are loaded when invoked (``accord --version`` imports no analysis, no numpy, no
rich).  A user's mistake, wherever it is found, is an :class:`accord.errors.UserInputError`:
the group turns it into a message on stderr and exit status 2; any other exception is a bug
and is shown as one.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from accord import __version__, limits
from accord.cli import _signals  # early: a signal while the command line loads ends quietly
from accord.cli._common import JSON_KEY, exit_with_problems, exit_with_user_error
from accord.errors import UserInputError

__all__ = ["main"]

# name -> module of accord.cli defining a click command of that name
_COMMANDS = {
    "analyze": "analyze",
    "calibrate": "calibrate",
    "check": "scenario",
    "compare": "compare",
    "export": "interop",
    "import": "interop",
    "improve": "improve",
    "phases": "phases",
    "report": "report",
    "robust": "robust",
    "scenarios": "scenario",
    "schema": "scenario",
    "serve": "serve",
    "show": "scenario",
    "signals": "signals",
    "stability": "stability",
}


class _AccordGroup(click.Group):
    """Loads each command on first use; turns a user's mistake into a message and exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = _COMMANDS.get(cmd_name)
        if module is None:
            return None
        loaded = importlib.import_module(f"accord.cli.{module}")
        # a command named like a Python keyword is defined with a trailing underscore
        command: click.Command = getattr(loaded, cmd_name, None) or getattr(loaded, f"{cmd_name}_")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        with _signals.exit_on_signals():  # Ctrl-C / SIGTERM: one line, exit 130 / 143
            from accord.model import ScenarioError  # here: a Ctrl-C while it loads is handled

            try:
                return super().invoke(ctx)
            except ScenarioError as e:
                exit_with_problems(e, as_json=bool(ctx.meta.get(JSON_KEY)))
            except UserInputError as e:
                exit_with_user_error(e)


@click.group(cls=_AccordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    metavar="BYTES",
    help=f"Read scenario files of up to BYTES bytes (default {limits.MAX_FILE_SIZE:,}; "
    "also ACCORD_MAX_FILE_SIZE).",
)
@click.pass_context
def main(ctx: click.Context, max_file_size: int | None) -> None:
    """accord: negotiation and conflict analysis.

    Every command that takes FILE reads a YAML or JSON scenario, or the name
    of an embedded scenario (see `accord scenarios`); without FILE it uses the
    embedded cairo-2024 scenario. Add --json for machine-readable output.
    """
    if max_file_size is not None:
        ctx.with_resource(limits.raised("MAX_FILE_SIZE", max_file_size))


_signals.commands_loaded()  # from here on, a signal is handled by the running command
