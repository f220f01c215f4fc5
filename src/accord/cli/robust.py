"""`accord robust`: which conclusions survive when the preference estimates move."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.table import Table

from accord.cli._common import console, json_option, load_or_exit, print_json, scenario_argument
from accord.jsonable import to_jsonable
from accord.phased.exchange import plan_from_scenario
from accord.robust.cluster import DaskUnavailable, dask_client
from accord.robust.engine import RobustnessReport, analyze_robustness
from accord.robust.from_scenario import describe_parameter, preference_model
from accord.robust.plans import PlanRobustness, analyze_plans, valuation_model
from accord.robust.stats import null_index_level
from accord.space import compile_space

__all__ = ["headline", "plans_json", "robust"]

PLAN_BINS = 20


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


def plans_json(plans: tuple[PlanRobustness, ...]) -> list[dict[str, Any]]:
    """The ``plans`` key of ``accord robust --json``."""

    def prob(p: Any) -> dict[str, Any]:
        return {
            "probability": p.estimate,
            "interval": [p.low, p.high],
            "count": p.count,
            "samples": p.samples,
        }

    return [
        {
            "id": r.id,
            "self_enforcing": {**prob(r.self_enforcing), "point": r.point_self_enforcing},
            "by_negotiator": {party: prob(p) for party, p in r.by_negotiator.items()},
            "sensitivity": [{"estimate": e.estimate, "index": e.index} for e in r.sensitivity],
        }
        for r in plans
    ]


def _print_plans(plans: tuple[PlanRobustness, ...], samples: int, uncertain: int) -> None:
    noise = null_index_level(PLAN_BINS, samples)
    t = Table(
        title=f"Phased plans: probability [95% Wilson interval] of being self-enforcing, and "
        f"per negotiator that its own margins all hold ({uncertain} uncertain valuations)"
    )
    t.add_column("plan", no_wrap=True)
    t.add_column("self-enforcing", justify="right")
    negotiators = list(plans[0].by_negotiator) if plans else []
    for neg in negotiators:
        t.add_column(neg, justify="right")
    t.add_column(f"estimate that matters most (noise ~{noise:.3f})", overflow="fold")
    for r in plans:
        if not r.sensitivity:
            most = "does not vary"
        elif r.sensitivity[0].index > 3 * noise:
            most = f"{r.sensitivity[0].estimate} ({r.sensitivity[0].index:.2f})"
        else:
            most = "none stands out from sampling noise"
        t.add_row(
            r.id,
            f"{_pct(r.self_enforcing)}\npoint: {'yes' if r.point_self_enforcing else 'no'}",
            *(_pct(r.by_negotiator[n]) for n in negotiators),
            most,
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
    variance-based sensitivity indices). When the scenario has phased plans,
    it also samples their valuations and reports the probability that each
    plan is self-enforcing, for everyone and for each negotiator, and the
    valuation that matters most (a valuation, including a discount_per_day,
    written as {value, range} or {dist: ...} is sampled). The same --seed
    gives the same result with or without --workers/--cluster: both analyses
    run their seeded chunks there.
    """
    if workers is not None and address is not None:
        raise click.UsageError("give --workers or --cluster, not both")
    scenario = load_or_exit(file, as_json=as_json)
    space = compile_space(scenario)
    model = preference_model(scenario)
    valuations = valuation_model(scenario) if scenario.plans else None
    staged = (
        [plan_from_scenario(scenario, p.id, valuations.exchange) for p in scenario.plans]
        if valuations is not None
        else []
    )

    def run(client: Any = None) -> tuple[RobustnessReport, tuple[PlanRobustness, ...]]:
        report = analyze_robustness(
            space, model, samples=samples, seed=seed, top=top, client=client
        )
        plans: tuple[PlanRobustness, ...] = ()
        if valuations is not None:
            plans = analyze_plans(
                valuations,
                staged,
                samples=samples,
                seed=seed,
                bins=PLAN_BINS,
                top=top,
                client=client,
            )
        return report, plans

    try:
        if workers is None and address is None:
            report, plans = run()
        else:
            with dask_client(workers=workers, address=address) as client:
                report, plans = run(client)
    except DaskUnavailable as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(2)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    except OSError as e:
        click.echo(f"Error: cannot reach the Dask cluster: {e}", err=True)
        sys.exit(2)
    uncertain_valuations = len(valuations.parameters) if valuations is not None else 0
    if as_json:
        data = to_jsonable(report)
        data["plans"] = plans_json(plans)
        data["plan_uncertain_valuations"] = uncertain_valuations
        print_json(data)
    else:
        _print_report(report, top)
        if plans:
            _print_plans(plans, samples, uncertain_valuations)
