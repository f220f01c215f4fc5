"""`accord compare [FILE] A B`: two proposals (or a proposal and a solution) side by side."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from accord.analysis.compare import Comparison, compare_packages, resolve_package
from accord.cli._common import console, json_option, print_json
from accord.cli._space import core_or_exit, print_warnings, split_file_args, tol_option

__all__ = ["compare"]

_STYLE = {"gains": "green", "loses": "red", "indifferent": "dim"}


def render(result: Comparison) -> None:
    print_warnings(result.warnings)
    names = [p.negotiator for p in result.negotiators]
    table = Table(
        title=f"From {result.a} to {result.b}: utility change per issue", title_justify="left"
    )
    table.add_column("issue", style="bold")
    table.add_column(result.a, overflow="fold")
    table.add_column(result.b, overflow="fold")
    for n in names:
        table.add_column(f"{n} Δ", justify="right")
    for issue in result.issues:
        after = Text(str(issue.after), style="bold" if issue.changed else "dim")
        table.add_row(
            issue.issue,
            str(issue.before),
            after,
            *(f"{issue.utility_change[n]:+.3f}" if issue.changed else "·" for n in names),
        )
    table.add_section()
    table.add_row(
        Text("utility", style="bold"),
        "  ".join(f"{p.before:.3f}" for p in result.negotiators),
        "  ".join(f"{p.after:.3f}" for p in result.negotiators),
        *(f"{p.change:+.3f}" for p in result.negotiators),
    )
    console.print(table)
    console.print(
        Text(
            f"{result.issues_changed} of {len(result.issues)} issues change. "
            f"Utilities listed in the order {', '.join(names)}.",
            style="dim",
        )
    )
    for p in result.negotiators:
        console.print(Text(p.summary, style=_STYLE[p.verdict]))


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
    file, (a_name, b_name) = split_file_args(args, ("A", "B"))
    space, core = core_or_exit(file, as_json=as_json, tol=tol)
    try:
        a = resolve_package(space, a_name, core=core)
        b = resolve_package(space, b_name, core=core)
    except KeyError as e:
        raise click.UsageError(str(e.args[0])) from e
    result = compare_packages(space, a, b, a_label=a_name, b_label=b_name, tol=tol)
    if as_json:
        print_json(result)
        return
    render(result)
