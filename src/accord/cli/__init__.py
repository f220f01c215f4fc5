"""The `accord` command line."""

from __future__ import annotations

import sys
from typing import Any

import click

from accord import __version__
from accord.cli import _signals  # first: a signal while the commands load ends quietly
from accord.cli import analyze as _analyze
from accord.cli import compare as _compare
from accord.cli import improve as _improve
from accord.cli import phases as _phases
from accord.cli import report as _report
from accord.cli import robust as _robust
from accord.cli import scenario as _scenario
from accord.cli import stability as _stability
from accord.cli._common import exit_with_problems
from accord.model import ScenarioError

__all__ = ["main"]


class _AccordGroup(click.Group):
    """Turns a user's mistake found deep in an analysis into a message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        with _signals.exit_on_signals():  # Ctrl-C / SIGTERM: one line, exit 130 / 143
            try:
                return super().invoke(ctx)
            except ScenarioError as e:
                exit_with_problems(e, as_json="--json" in sys.argv)


@click.group(cls=_AccordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
def main() -> None:
    """accord: negotiation and conflict analysis.

    Every command that takes FILE reads a YAML or JSON scenario, or the name
    of an embedded scenario (see `accord scenarios`); without FILE it uses the
    embedded cairo-2024 scenario. Add --json for machine-readable output.
    """


main.add_command(_scenario.scenarios)
main.add_command(_scenario.check)
main.add_command(_scenario.show)
main.add_command(_scenario.schema)
main.add_command(_phases.phases)
main.add_command(_stability.stability)
main.add_command(_analyze.analyze)
main.add_command(_compare.compare)
main.add_command(_improve.improve)
main.add_command(_robust.robust)
main.add_command(_report.report)
_signals.commands_loaded()
