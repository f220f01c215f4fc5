"""`accord analyze`: the agreement space of a scenario's negotiators."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from accord.cli._common import analysis_or_exit, json_option, print_json, scenario_argument
from accord.cli._output import print_table, say, text
from accord.cli._space import fmt_package, print_positions, print_warnings, tol_option

if TYPE_CHECKING:
    from accord.analysis.agreement_space import SpaceAnalysis

__all__ = ["analyze"]

_TABLE_LIMIT = 12


def _titles() -> dict[str, str]:
    """Display names from the one registry (imported when there is something to render)."""
    from accord.analysis.solutions import SOLUTION_CONCEPTS

    return {c.name: c.label for c in SOLUTION_CONCEPTS}


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render(result: SpaceAnalysis, *, limited: bool) -> None:
    """Print an analysis as tables."""
    _print_head(result)
    print_warnings(result.warnings)
    if result.explanation:
        say(result.explanation, style="bold yellow")
    if any(s is not None for s in result.solutions.values()):
        _print_solutions(result)
    if result.proposals:
        _print_proposals(result)
    if result.pareto:
        _print_frontier(result)
        if limited:
            say("Use --limit N to list more frontier points.", style="dim")


def _print_head(result: SpaceAnalysis) -> None:
    from rich.table import Table

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("negotiators", text(", ".join(result.negotiators)))
    reservation = "  ".join(f"{n} {v:.3f}" for n, v in result.reservation.items())
    head.add_row("reservation values", text(reservation))
    head.add_row("feasible packages", f"{result.packages:,}")
    if result.exact:
        zopa = f"{result.zopa:,} ({_pct(result.zopa, result.packages)} of packages)"
    else:
        lo, hi = result.zopa_interval or (0, 0)
        zopa = (
            f"about {result.zopa:,} (estimated from samples; {result.confidence:.0%} interval "
            f"{lo:,} to {hi:,})"
        )
    head.add_row("zone of possible agreement", zopa)
    head.add_row(
        "Pareto frontier",
        f"{result.pareto_size:,} packages, {result.zopa_pareto_size:,} of them in the ZOPA",
    )
    head.add_row("frontier utility vectors", f"{result.pareto_vectors:,} distinct")
    print_table(head)


def _print_solutions(result: SpaceAnalysis) -> None:
    from rich.table import Table

    table = Table(
        title="Fair solutions within the ZOPA",
        title_justify="left",
        caption="negotiator rows: utility (gain over the reservation value)",
        caption_justify="left",
    )
    table.add_column("")
    for name in result.solutions:
        table.add_column(_titles()[name])
    sols = list(result.solutions.values())
    first = next(s for s in sols if s is not None)
    for issue in first.package:
        table.add_row(text(issue), *(text(s.package[issue]) if s else "-" for s in sols))
    table.add_section()
    for n in result.negotiators:
        table.add_row(
            text(n, "bold"),
            *(f"{s.utility[n]:.3f} ({s.gain[n]:+.3f})" if s else "-" for s in sols),
        )
    table.add_row("tied packages", *(str(s.ties) if s else "-" for s in sols))
    print_table(table, stack="columns")


def _print_proposals(result: SpaceAnalysis) -> None:
    from rich.table import Table

    table = Table(title="Proposals", title_justify="left")
    table.add_column("proposal", style="bold")
    for n in result.negotiators:
        table.add_column(text(n), justify="right")
    table.add_column("in ZOPA")
    table.add_column("Pareto-optimal")
    table.add_column("dominated by", justify="right")
    for p in result.proposals:
        count = f"{p.dominated_by:,}" if p.dominated_by_exact else f"~{p.dominated_by:,}"
        table.add_row(
            text(p.id + ("" if p.feasible else " (breaks a constraint)")),
            *(f"{p.utility[n]:.3f}" for n in result.negotiators),
            "yes" if p.in_zopa else "no",
            "yes" if p.pareto_optimal else "no",
            count,
        )
    print_table(table)


def _print_frontier(result: SpaceAnalysis) -> None:
    from rich.table import Table

    scope = "inside the ZOPA" if result.pareto_scope == "zopa" else "all"
    total = result.zopa_pareto_size if result.pareto_scope == "zopa" else result.pareto_size
    table = Table(
        title=f"Pareto frontier ({scope}; {result.pareto_listed} of {total} shown, evenly spaced)",
        title_justify="left",
    )
    for n in result.negotiators:
        table.add_column(text(n), justify="right")
    table.add_column("package")
    for point in result.pareto:
        table.add_row(
            *(f"{point.utility[n]:.3f}" for n in result.negotiators),
            text(fmt_package(point.package)),
        )
    print_table(table)


@click.command()
@scenario_argument
@json_option
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help="List at most N frontier points, evenly spaced along the frontier "
    f"(tables default to {_TABLE_LIMIT}, JSON to all). Counts are always complete.",
)
@click.option(
    "--zopa-pareto",
    is_flag=True,
    help="List only frontier packages inside the ZOPA (those every negotiator weakly prefers "
    "to walking away; the convention of NegMAS).",
)
@tol_option
@click.option(
    "--exact-limit",
    type=click.IntRange(min=0),
    default=10**9,
    show_default=True,
    help="Count exactly up to this many feasible packages; beyond, estimate by sampling.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed for sampled estimates.",
)
def analyze(
    file: str | None,
    as_json: bool,
    limit: int | None,
    zopa_pareto: bool,
    tol: float,
    exact_limit: int,
    seed: int,
) -> None:
    """The agreement space of the negotiators: ZOPA, Pareto frontier, fair solutions, proposals.

    Counts the feasible packages and the zone of possible agreement (every
    negotiator at least at its reservation value), finds the Pareto frontier,
    the Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions within
    the ZOPA, and places every proposal of the scenario. FILE is a YAML or JSON
    scenario or an embedded scenario's name (default: cairo-2024).
    """
    from accord.run import Options
    from accord.run.positions import space_positions

    analysis = analysis_or_exit(file, Options(tol=tol, seed=seed, exact_limit=exact_limit))
    shown = limit if (limit is not None or as_json) else _TABLE_LIMIT
    result = analysis.space_analysis(limit=shown, zopa_pareto=zopa_pareto)
    shown_positions = space_positions(analysis.scenario, result)
    if as_json:
        print_json(shown_positions)
        return
    total = result.zopa_pareto_size if zopa_pareto else result.pareto_size
    render(result, limited=limit is None and total > result.pareto_listed)
    print_positions(shown_positions.positions)
