"""`accord improve [FILE] P`: packages that leave every negotiator at least as well off as P."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from accord.analysis.compare import resolve_package
from accord.analysis.improve import ImprovementSearch, improve_package
from accord.cli._common import console, json_option, print_json
from accord.cli._space import core_or_exit, fmt_utility, print_warnings, split_file_args, tol_option

__all__ = ["improve"]


def render(result: ImprovementSearch) -> None:
    print_warnings(result.warnings)
    console.print(
        Text.assemble(
            ("Starting from ", ""), (result.start, "bold"), ": ", fmt_utility(result.utility)
        )
    )
    if result.pareto_optimal:
        console.print(
            Text(
                f"{result.start} is Pareto-optimal: no feasible package leaves every negotiator "
                "at least as well off and one better.",
                style="green",
            )
        )
        return
    count = f"{result.dominated_by:,}" if result.exact else f"about {result.dominated_by:,}"
    console.print(
        f"{count} feasible packages leave every negotiator at least as well off and one better."
    )
    names = list(result.utility)
    table = Table(
        title="Improvements (fewest issues changed first, then Nash product)", title_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("issues\nchanged", justify="right")
    table.add_column("what changes", overflow="fold", min_width=20)
    for n in names:
        table.add_column(f"{n}", justify="right")
    table.add_column("Nash\nproduct", justify="right")
    table.add_column("on\nfrontier")
    for rank, imp in enumerate(result.improvements, 1):
        table.add_row(
            str(rank),
            str(imp.issues_changed),
            "\n".join(f"{c.issue}: {c.before} → {c.after}" for c in imp.changes),
            *(f"{imp.utility[n]:.3f}\n{imp.gain[n]:+.3f}" for n in names),
            f"{imp.nash_product:.4f}",
            "yes" if imp.pareto_optimal else "no",
        )
    console.print(table)
    console.print(
        Text("Each negotiator's column: utility, then its gain over the start.", style="dim")
    )
    if not result.complete:
        console.print(
            Text(
                f"Every package changing up to {result.searched_up_to} issue(s) was examined; "
                "beyond that only Pareto-optimal improvements are listed.",
                style="yellow",
            )
        )


@click.command()
@click.argument("args", nargs=-1, metavar="[FILE] P")
@json_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Show at most N improvements.",
)
@click.option(
    "--budget",
    type=click.IntRange(min=0),
    default=5_000_000,
    show_default=True,
    help="Examine at most this many candidate packages per number of changed issues.",
)
@tol_option
def improve(args: tuple[str, ...], as_json: bool, limit: int, budget: int, tol: float) -> None:
    """Packages that Pareto-dominate P: everyone at least as well off, someone better.

    P is a proposal id or a solution name. Improvements are ranked by how few
    issues they change, then by Nash product over the reservation values: the
    mediator's post-settlement settlement, or the next draft of a single
    negotiating text. The search changes one issue at a time, then two, and so
    on. FILE is a scenario file or an embedded scenario's name (default: cairo-2024).
    """
    file, (p_name,) = split_file_args(args, ("P",))
    space, core = core_or_exit(file, as_json=as_json, tol=tol)
    try:
        package = resolve_package(space, p_name, core=core)
    except KeyError as e:
        raise click.UsageError(str(e.args[0])) from e
    result = improve_package(
        space, package, label=p_name, limit=limit, budget=budget, tol=tol, core=core
    )
    if as_json:
        print_json(result)
        return
    render(result)
