"""`accord report`: one self-contained HTML page with every analysis the scenario supports."""

from __future__ import annotations

from pathlib import Path

import click

from accord.cli._common import analysis_or_exit, scenario_argument, warm_up_workers
from accord.cli._output import ProgressLine
from accord.run.options import DEFAULT_SAMPLES, RobustnessOptions

__all__ = ["report"]


@click.command()
@scenario_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="Where to write the HTML page (replaced only once the new page is complete).",
)
@click.option(
    "--compare",
    nargs=2,
    metavar="A B",
    default=None,
    help="Compare proposal B with proposal A (ids); default: the two most recent proposals.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the package sample drawn when the space is too large to draw whole, and of "
    "the robustness section's samples.",
)
@click.option(
    "--samples",
    type=click.IntRange(min=1),
    default=DEFAULT_SAMPLES,
    show_default=True,
    help="Preference profiles (and phased-plan valuations) the robustness section samples "
    "(the same default as accord robust).",
)
def report(
    file: str | None, output: Path, compare: tuple[str, str] | None, seed: int, samples: int
) -> None:
    """Write an HTML report of a scenario: one self-contained page to read or print.

    The page shows the parties, issues, positions with their sources, the
    analyst's preferences (labelled as estimates), the proposals and the
    timeline; the agreement space with its Pareto frontier, ZOPA, proposals and
    bargaining solutions; two proposals compared issue by issue; the phased
    plans, the graph model's stability and the robustness of the conclusions
    when the scenario has what they need (the robustness section samples
    --samples profiles and plan valuations from --seed, and says so on the
    page). It needs no network to open.

    While it works, a line on stderr says what it is doing, when stderr is a
    terminal and the run takes more than a second. FILE is a YAML or JSON
    scenario, or the name of an embedded scenario (default: cairo-2024).
    """
    # the workers import on another core while this process imports its own
    warm_up_workers("accord.calibrate")
    from accord.report import render_report
    from accord.report.files import check_writable, write_atomically
    from accord.run import Options

    check_writable(output)  # before any work: a ReportPathError is the user's, exit 2

    options = Options(seed=seed, robustness=RobustnessOptions(samples=samples))
    with ProgressLine() as progress:
        analysis = analysis_or_exit(file, options, progress=progress)
        page = render_report(analysis, compare=compare)
        size = write_atomically(output, page)
    click.echo(f"wrote {output} ({size / 1024:.0f} KiB)")
