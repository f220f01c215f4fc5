"""`accord analyze`: the agreement space of a scenario's negotiators."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from accord.analysis.agreement_space import SpaceAnalysis, analyze_space
from accord.analysis.solutions import SOLUTION_CONCEPTS
from accord.cli._common import console, json_option, print_json, scenario_argument
from accord.cli._space import core_or_exit, print_warnings, tol_option

__all__ = ["analyze"]

_TABLE_LIMIT = 12
_TITLES = {c.name: c.label for c in SOLUTION_CONCEPTS}


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render(result: SpaceAnalysis, *, limited: bool) -> None:
    """Print an analysis as rich tables."""
    names = result.negotiators
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("negotiators", ", ".join(names))
    head.add_row(
        "reservation values", "  ".join(f"{n} {v:.3f}" for n, v in result.reservation.items())
    )
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
    console.print(head)
    print_warnings(result.warnings)
    if result.explanation:
        console.print(Text(result.explanation, style="bold yellow"))

    if any(s is not None for s in result.solutions.values()):
        table = Table(
            title="Fair solutions within the ZOPA",
            title_justify="left",
            caption="negotiator rows: utility (gain over the reservation value)",
            caption_justify="left",
        )
        table.add_column("", no_wrap=True)
        for name in result.solutions:
            table.add_column(_TITLES[name], overflow="fold")
        sols = list(result.solutions.values())
        first = next(s for s in sols if s is not None)
        for issue in first.package:
            table.add_row(issue, *(str(s.package[issue]) if s else "-" for s in sols))
        table.add_section()
        for n in names:
            table.add_row(
                Text(n, style="bold"),
                *(f"{s.utility[n]:.3f} ({s.gain[n]:+.3f})" if s else "-" for s in sols),
            )
        table.add_row("tied packages", *(str(s.ties) if s else "-" for s in sols))
        console.print(table)

    if result.proposals:
        table = Table(title="Proposals", title_justify="left")
        table.add_column("proposal", style="bold")
        for n in names:
            table.add_column(n, justify="right")
        table.add_column("in ZOPA")
        table.add_column("Pareto-optimal")
        table.add_column("dominated by", justify="right")
        for p in result.proposals:
            count = f"{p.dominated_by:,}" if p.dominated_by_exact else f"~{p.dominated_by:,}"
            table.add_row(
                p.id + ("" if p.feasible else " (breaks a constraint)"),
                *(f"{p.utility[n]:.3f}" for n in names),
                "yes" if p.in_zopa else "no",
                "yes" if p.pareto_optimal else "no",
                count,
            )
        console.print(table)

    if result.pareto:
        scope = "inside the ZOPA" if result.pareto_scope == "zopa" else "all"
        table = Table(
            title=f"Pareto frontier ({scope}; {result.pareto_listed} of "
            f"{result.zopa_pareto_size if result.pareto_scope == 'zopa' else result.pareto_size}"
            " shown, evenly spaced)",
            title_justify="left",
        )
        for n in names:
            table.add_column(n, justify="right")
        table.add_column("package", overflow="fold")
        for point in result.pareto:
            table.add_row(
                *(f"{point.utility[n]:.3f}" for n in names),
                ", ".join(f"{k}={v}" for k, v in point.package.items()),
            )
        console.print(table)
        if limited:
            console.print(Text("Use --limit N to list more frontier points.", style="dim"))


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
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for sampled estimates.")
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
    space, core = core_or_exit(file, as_json=as_json, tol=tol)
    shown = limit if (limit is not None or as_json) else _TABLE_LIMIT
    result = analyze_space(
        space,
        limit=shown,
        tol=tol,
        zopa_pareto=zopa_pareto,
        exact_limit=exact_limit,
        seed=seed,
        core=core,
    )
    if as_json:
        print_json(result)
        return
    total = result.zopa_pareto_size if zopa_pareto else result.pareto_size
    render(result, limited=limit is None and total > result.pareto_listed)
