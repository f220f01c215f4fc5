"""`accord compare [FILE] A B`: two proposals (or a proposal and a solution) side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from accord.cli._common import analysis_or_exit, json_option, print_json, split_file_args
from accord.cli._output import print_table, say, text
from accord.cli._space import print_positions, print_warnings, tol_option

if TYPE_CHECKING:
    from accord.analysis.compare import Comparison

__all__ = ["compare"]

_STYLE = {"gains": "green", "loses": "red", "indifferent": "dim"}


def render(result: Comparison) -> None:
    from rich.table import Table

    print_warnings(result.warnings)

    names = [p.negotiator for p in result.negotiators]
    table = Table(
        title=text(f"From {result.a} to {result.b}: utility change per issue"),
        title_justify="left",
    )
    table.add_column("issue", style="bold")
    table.add_column(text(result.a))
    table.add_column(text(result.b))
    for n in names:
        table.add_column(text(f"{n} Δ"), justify="right")
    for issue in result.issues:
        table.add_row(
            text(issue.issue),
            text(issue.before),
            text(issue.after, "bold" if issue.changed else "dim"),
            *(f"{issue.utility_change[n]:+.3f}" if issue.changed else "·" for n in names),
        )
    table.add_section()
    table.add_row(
        text("utility", "bold"),
        "  ".join(f"{p.before:.3f}" for p in result.negotiators),
        "  ".join(f"{p.after:.3f}" for p in result.negotiators),
        *(f"{p.change:+.3f}" for p in result.negotiators),
    )
    print_table(table)
    say(
        f"{result.issues_changed} of {len(result.issues)} issues change. "
        f"Utilities listed in the order {', '.join(names)}.",
        style="dim",
    )
    for p in result.negotiators:
        say(p.summary, style=_STYLE[p.verdict])


@click.command()
@click.argument("args", nargs=-1, metavar="[FILE] A B")
@json_option
@tol_option
def compare(args: tuple[str, ...], as_json: bool, tol: float) -> None:
    """Compare package B with package A, issue by issue and negotiator by negotiator.

    A and B are proposal ids of the scenario or solution names (nash,
    kalai_smorodinsky, egalitarian, utilitarian). Each issue's change is shown
    with what it is worth to each negotiator; the changes add up exactly to the
    total (utilities are additive). A negotiator gains or loses when its utility
    moves by more than --tol, and is indifferent otherwise. FILE is a scenario
    file or an embedded scenario's name (default: cairo-2024).
    """
    from accord.run import Options
    from accord.run.positions import comparison_positions

    file, (a_name, b_name) = split_file_args(args, ("A", "B"), "proposal ids or solution names")
    analysis = analysis_or_exit(file, Options(tol=tol))
    result = analysis.comparison(a_name, b_name)
    shown = comparison_positions(analysis.scenario, result)
    if as_json:
        print_json(shown)
        return
    render(result)
    print_positions(shown.positions)
