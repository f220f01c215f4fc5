"""`accord robust`: which conclusions survive when the preference estimates move."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.table import Table

from accord.cli._common import console, json_option, load_or_exit, print_json, scenario_argument
from accord.robust.cluster import DaskUnavailable, dask_client
from accord.robust.engine import RobustnessReport, analyse_robustness
from accord.robust.from_scenario import describe_parameter, preference_model
from accord.space import compile_space

__all__ = ["headline", "robust"]


def _pct(p: Any) -> str:
    return f"{100 * p.estimate:.1f}% [{100 * p.low:.1f}, {100 * p.high:.1f}]"


def headline(report: RobustnessReport, focus: str | None = None) -> list[str]:
    """Plain sentences a mediator can read: each proposal's chance of being
    acceptable to all, and the estimate that matters most for it."""
    lines = []
    by_conclusion = {s.conclusion: s for s in report.sensitivity}
    for prop in report.proposals:
        if focus is not None and prop.id != focus:
            continue
        line = (
            f"{prop.id} is in the ZOPA in {_pct(prop.in_zopa)} of plausible profiles "
            f"(at the point estimates: {'yes' if prop.point_in_zopa else 'no'})"
        )
        ranking = by_conclusion[f"{prop.id} is in the ZOPA"]
        if ranking.varies and ranking.ranking:
            top = ranking.ranking[0]
            if top.index > 3 * report.sensitivity_noise_level:
                line += (
                    f"; the estimate that matters most is {describe_parameter(top.parameter)} "
                    f"(first-order index {top.index:.2f})"
                )
            else:
                line += "; no single estimate stands out from sampling noise"
        lines.append(line + ".")
    empty = report.empty_zopa
    lines.append(f"The ZOPA is empty in {_pct(empty)} of plausible profiles.")
    return lines


def _print_report(report: RobustnessReport, top_estimates: int) -> None:
    console.print(
        f"[bold]Robustness[/bold] of {', '.join(report.negotiators)} over {report.packages:,} "
        f"feasible packages: {report.samples:,} sampled profiles (seed {report.seed}), "
        f"{report.uncertain_estimates} uncertain estimates."
    )
    for line in headline(report):
        console.print(line)
    t = Table(title="Proposals (probability [95% Wilson interval])")
    t.add_column("proposal")
    t.add_column("in the ZOPA", justify="right")
    t.add_column("Pareto-optimal", justify="right")
    for prop in report.proposals:
        t.add_row(
            prop.id + ("" if prop.feasible else " (breaks a constraint)"),
            f"{_pct(prop.in_zopa)}\npoint: {'yes' if prop.point_in_zopa else 'no'}",
            f"{_pct(prop.pareto_optimal)}\npoint: {'yes' if prop.point_pareto_optimal else 'no'}",
        )
    console.print(t)
    if len(report.proposals) > 1:
        t = Table(title="Who prefers which proposal (share of profiles, strict preference)")
        t.add_column("proposal over other")
        for neg in report.negotiators:
            t.add_column(neg, justify="right")
        for prop in report.proposals:
            for other in prop.preferred[report.negotiators[0]]:
                t.add_row(
                    f"{prop.id} over {other}",
                    *(
                        f"{100 * prop.preferred[n][other].estimate:.1f}%"
                        for n in report.negotiators
                    ),
                )
        console.print(t)
    for concept, sol in report.solutions.items():
        t = Table(
            title=f"{concept}: same package as at the point estimates in {_pct(sol.same_as_point)}"
            f"; {sol.distinct_packages} distinct packages"
        )
        t.add_column("probability", justify="right")
        t.add_column("package")
        for out in sol.top:
            mark = " (point estimates' solution)" if out.is_point_solution else ""
            t.add_row(
                _pct(out.probability),
                ", ".join(f"{k}={v}" for k, v in out.package.items()) + mark,
            )
        console.print(t)
        t = Table(title=f"{concept}: issue by issue (share of profiles)")
        t.add_column("issue")
        t.add_column("options, most frequent first")
        for issue, shares in sol.by_issue.items():
            t.add_row(
                issue,
                ", ".join(
                    f"{option} {100 * p.estimate:.0f}%"
                    for option, p in list(shares.items())[:4]
                    if p.estimate >= 0.005
                ),
            )
        console.print(t)
    t = Table(title="Estimates that move each conclusion most (first-order Sobol' index)")
    t.add_column("conclusion")
    t.add_column("probability", justify="right")
    t.add_column(f"top estimates (noise level ~{report.sensitivity_noise_level:.3f})")
    for s in report.sensitivity:
        if not s.varies:
            t.add_row(s.conclusion, _pct(s.probability), "does not vary")
            continue
        t.add_row(
            s.conclusion,
            _pct(s.probability),
            "\n".join(f"{e.index:.3f}  {e.parameter}" for e in s.ranking[:top_estimates]),
        )
    console.print(t)


@click.command()
@scenario_argument
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Number of sampled preference profiles.",
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Start a local Dask cluster with N worker processes (needs accord[dask]).",
)
@click.option(
    "--cluster",
    "address",
    default=None,
    metavar="ADDRESS",
    help="Run on the Dask cluster at ADDRESS, e.g. tcp://10.0.0.5:8786 (needs accord[dask]).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Packages shown per solution concept, estimates per conclusion.",
)
@json_option
def robust(
    file: str | None,
    samples: int,
    seed: int,
    workers: int | None,
    address: str | None,
    top: int,
    as_json: bool,
) -> None:
    """Which conclusions hold across plausible preference profiles.

    Samples --samples profiles from the uncertainty the scenario gives its
    estimates (a weight, value or reservation written as {value, range} or
    {dist: ...}; a party's weights_concentration), re-analyses the agreement
    space for each, and reports, with 95% Wilson intervals: the probability that
    each proposal is in the ZOPA, is Pareto-optimal, and is preferred by each
    negotiator to each other proposal; how often each package is the Nash,
    Kalai-Smorodinsky, egalitarian and utilitarian solution; how often the ZOPA
    is empty; and which estimates move each conclusion most (first-order
    variance-based sensitivity indices). The same --seed gives the same result
    with or without --workers/--cluster.
    """
    if workers is not None and address is not None:
        raise click.UsageError("give --workers or --cluster, not both")
    scenario = load_or_exit(file, as_json=as_json)
    space = compile_space(scenario)
    model = preference_model(scenario)
    try:
        if workers is None and address is None:
            report = analyse_robustness(space, model, samples=samples, seed=seed, top=top)
        else:
            with dask_client(workers=workers, address=address) as client:
                report = analyse_robustness(
                    space, model, samples=samples, seed=seed, top=top, client=client
                )
    except DaskUnavailable as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(2)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    except OSError as e:
        click.echo(f"Error: cannot reach the Dask cluster: {e}", err=True)
        sys.exit(2)
    if as_json:
        print_json(report)
    else:
        _print_report(report, top)
