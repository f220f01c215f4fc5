"""`accord robust`: which conclusions survive when the preference estimates move."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from accord.cli._common import (
    analysis_or_exit,
    json_option,
    print_json,
    scenario_argument,
    warm_up_workers,
)
from accord.cli._output import ProgressLine, print_table, say, text
from accord.run.options import DEFAULT_SAMPLES, NOISE_FACTOR, RobustnessOptions

if TYPE_CHECKING:
    from accord.robust import PlanRobustness, RobustnessReport
    from accord.run import Analysis

__all__ = ["headline", "robust"]

ResultT = TypeVar("ResultT")


def _pct(p: Any) -> str:
    return f"{100 * p.estimate:.1f}% [{100 * p.low:.1f}, {100 * p.high:.1f}]"


def headline(
    report: RobustnessReport, focus: str | None = None, noise_factor: float = NOISE_FACTOR
) -> list[str]:
    """Plain sentences a mediator can read: each proposal's chance of being
    acceptable to all, and the estimate that matters most for it."""
    from accord.robust.from_scenario import describe_parameter

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
            if top.index > noise_factor * report.sensitivity_noise_level:
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


def _print_report(report: RobustnessReport, top_estimates: int, noise_factor: float) -> None:
    say(
        ("Robustness", "bold"),
        f" of {', '.join(report.negotiators)} over {report.packages:,} "
        f"feasible packages: {report.samples:,} sampled profiles (seed {report.seed}), "
        f"{report.uncertain_estimates} uncertain estimates.",
    )
    if report.uncertain_estimates == 0:
        say(
            "No preference estimate has a range or distribution: the agreement-space "
            "conclusions below do not vary.",
            style="yellow",
        )
    for line in headline(report, noise_factor=noise_factor):
        say(line)
    _print_proposals(report)
    for concept, sol in report.solutions.items():
        _print_solution(concept, sol)
    _print_sensitivity(report, top_estimates)


def _print_proposals(report: RobustnessReport) -> None:
    from rich.table import Table

    t = Table(title="Proposals (probability [95% Wilson interval])")
    t.add_column("proposal")
    t.add_column("in the ZOPA", justify="right")
    t.add_column("Pareto-optimal", justify="right")
    for prop in report.proposals:
        t.add_row(
            text(prop.id + ("" if prop.feasible else " (breaks a constraint)")),
            f"{_pct(prop.in_zopa)}\npoint: {'yes' if prop.point_in_zopa else 'no'}",
            f"{_pct(prop.pareto_optimal)}\npoint: {'yes' if prop.point_pareto_optimal else 'no'}",
        )
    print_table(t)
    if len(report.proposals) < 2:
        return
    t = Table(title="Who prefers which proposal (share of profiles, strict preference)")
    t.add_column("proposal over other")
    for neg in report.negotiators:
        t.add_column(text(neg), justify="right")
    for prop in report.proposals:
        for other in prop.preferred[report.negotiators[0]]:
            t.add_row(
                text(f"{prop.id} over {other}"),
                *(f"{100 * prop.preferred[n][other].estimate:.1f}%" for n in report.negotiators),
            )
    print_table(t)


def _print_solution(concept: str, sol: Any) -> None:
    from rich.table import Table

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
            text(", ".join(f"{k}={v}" for k, v in out.package.items()) + mark),
        )
    print_table(t)
    t = Table(title=f"{concept}: issue by issue (share of profiles, options over 0.5%)")
    t.add_column("issue")
    t.add_column("options, most frequent first")
    for issue, shares in sol.by_issue.items():
        t.add_row(
            text(issue),
            text(
                ", ".join(
                    f"{option} {100 * p.estimate:.0f}%"
                    for option, p in list(shares.items())[:4]
                    if p.estimate >= 0.005
                )
            ),
        )
    print_table(t)


def _print_sensitivity(report: RobustnessReport, top_estimates: int) -> None:
    from rich.table import Table

    t = Table(title="Estimates that move each conclusion most (first-order Sobol' index)")
    t.add_column("conclusion")
    t.add_column("probability", justify="right")
    t.add_column(f"top estimates (noise level ~{report.sensitivity_noise_level:.3f})")
    for s in report.sensitivity:
        if not s.varies:
            t.add_row(text(s.conclusion), _pct(s.probability), "does not vary")
            continue
        t.add_row(
            text(s.conclusion),
            _pct(s.probability),
            text("\n".join(f"{e.index:.3f}  {e.parameter}" for e in s.ranking[:top_estimates])),
        )
    print_table(t)


def _print_plans(
    plans: tuple[PlanRobustness, ...], options: RobustnessOptions, uncertain: int
) -> None:
    from rich.table import Table

    from accord.robust.stats import null_index_level

    noise = null_index_level(options.bins, options.samples)
    t = Table(
        title=f"Phased plans: probability [95% Wilson interval] of being self-enforcing, and "
        f"per negotiator that its own margins all hold ({uncertain} uncertain valuations)"
    )
    t.add_column("plan")
    t.add_column("self-enforcing", justify="right")
    negotiators = list(plans[0].by_negotiator) if plans else []
    for neg in negotiators:
        t.add_column(text(neg), justify="right")
    t.add_column(f"estimate that matters most (noise ~{noise:.3f})")
    for r in plans:
        if not r.sensitivity:
            most = "does not vary"
        elif r.sensitivity[0].index > options.noise_factor * noise:
            most = f"{r.sensitivity[0].estimate} ({r.sensitivity[0].index:.2f})"
        else:
            most = "none stands out from sampling noise"
        t.add_row(
            text(r.id),
            f"{_pct(r.self_enforcing)}\npoint: {'yes' if r.point_self_enforcing else 'no'}",
            *(_pct(r.by_negotiator[n]) for n in negotiators),
            text(most),
        )
    print_table(t)


def nothing_to_sample(analysis: Analysis) -> str | None:
    """Why a robustness run would sample nothing, or None when some estimate has a range."""
    if analysis.uncertain_estimates or analysis.uncertain_valuations:
        return None
    plans = " or a phased plan's valuation" if analysis.scenario.plans else ""
    return (
        f"{analysis.origin}: nothing to sample. No preference estimate{plans} has a plausible "
        "range, so every sampled profile would equal the point estimates. Give an estimate a "
        "range, e.g. `reservation: {value: 0.4, range: [0.3, 0.5]}`, or a distribution "
        "(`{dist: triangular, low: 0.3, mode: 0.4, high: 0.5}`), or a party "
        "`weights_concentration` (see docs/reference/robustness.md)."
    )


@click.command()
@scenario_argument
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=DEFAULT_SAMPLES,
    show_default=True,
    help="Number of sampled preference profiles (and phased-plan valuations).",
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
@click.option(
    "--calibrated",
    is_flag=True,
    help="Also sample only profiles that agree with the record (responses, judgements, "
    "positions) and show how each conclusion changes (see docs/reference/calibrate.md).",
)
@json_option
def robust(
    file: str | None,
    samples: int,
    seed: int,
    workers: int | None,
    address: str | None,
    top: int,
    calibrated: bool,
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
    variance-based sensitivity indices). When the scenario has phased plans,
    it also samples their valuations and reports the probability that each
    plan is self-enforcing, for everyone and for each negotiator, and the
    valuation that matters most (a valuation, including a discount_per_day,
    written as {value, range} or {dist: ...} is sampled). The same --seed
    gives the same result with or without --workers/--cluster: both analyses
    (and --calibrated's) run their seeded chunks there. A scenario with no estimate to vary gets a
    message saying what to add, and exit status 0.
    """
    from accord.run import Options
    from accord.run.results import NothingToSample, RobustnessRun, plan_outlook

    if workers is not None and address is not None:
        raise click.UsageError("give --workers or --cluster, not both")
    options = Options(seed=seed, robustness=RobustnessOptions(samples=samples, top=top))
    if workers is None and address is None:
        warm_up_workers(*(["accord.calibrate.sampled"] if calibrated else []))
    with ProgressLine() as progress:
        analysis = analysis_or_exit(file, options, progress=progress)
        why = nothing_to_sample(analysis)
        if why is not None:
            if as_json:
                print_json(NothingToSample(0, 0, 0, why))
            else:
                say(why)
            return
        if calibrated:
            from accord.cli.robust_calibrated import show_calibrated

            result = _on_cluster(
                workers, address, lambda client: analysis.calibrated_robustness(client=client)
            )
            show_calibrated(result, as_json=as_json)
            return
        report, plans = _run(analysis, workers, address)
    if as_json:
        outlook = tuple(plan_outlook(r) for r in plans)
        print_json(RobustnessRun(report, outlook, analysis.uncertain_valuations))
        return
    _print_report(report, top, options.robustness.noise_factor)
    if plans:
        _print_plans(plans, options.robustness, analysis.uncertain_valuations)


def _run(
    analysis: Analysis, workers: int | None, address: str | None
) -> tuple[RobustnessReport, tuple[PlanRobustness, ...]]:
    """Both robustness analyses, here or on a Dask cluster."""
    return _on_cluster(
        workers,
        address,
        lambda client: (
            analysis.robustness(client=client),
            analysis.plan_robustness(client=client),
        ),
    )


def _on_cluster(workers: int | None, address: str | None, run: Callable[[Any], ResultT]) -> ResultT:
    """``run(client)``: with no client (here and in local processes), or with a Dask client
    for --workers/--cluster; a cluster that cannot start or be reached is exit status 2."""
    from accord.robust.cluster import DaskUnavailable, dask_client

    if workers is None and address is None:
        return run(None)
    try:
        with dask_client(workers=workers, address=address) as client:
            return run(client)
    except DaskUnavailable as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        click.echo(f"Error: cannot reach the Dask cluster: {e}", err=True)
        sys.exit(2)
