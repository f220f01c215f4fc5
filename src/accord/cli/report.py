"""`accord report`: one self-contained HTML page with every analysis this build has."""

from __future__ import annotations

import os
from pathlib import Path

import click

from accord.cli._common import read_or_exit, scenario_argument

# accord.report.optional.DEFAULT_SAMPLES (a test checks they agree); importing it here would
# load matplotlib for every command
DEFAULT_SAMPLES = 5_000

__all__ = ["report"]


@click.command()
@scenario_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="Where to write the HTML page.",
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
    type=int,
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
    help="Preference profiles (and phased-plan valuations) the robustness section samples.",
)
def report(
    file: str | None, output: Path, compare: tuple[str, str] | None, seed: int, samples: int
) -> None:
    """Write an HTML report of a scenario: one self-contained page to read or print.

    The page shows the parties, issues, positions with their sources, the
    analyst's preferences (labelled as estimates), the proposals and the
    timeline; the agreement space with its Pareto frontier, ZOPA, proposals and
    bargaining solutions; two proposals compared issue by issue; and every
    further analysis this build of accord includes (the robustness section
    samples --samples profiles and plan valuations from --seed, and says so on
    the page). It needs no network to open.

    FILE is a YAML or JSON scenario, or the name of an embedded scenario
    (default: cairo-2024).
    """
    from accord.report import build_report

    loaded = read_or_exit(file)
    if compare is not None:
        known = [p.id for p in loaded.scenario.proposals]
        for pid in compare:
            if pid not in known:
                raise click.BadParameter(
                    f"no proposal {pid!r}; proposals: {', '.join(known) or 'none'}",
                    param_hint="--compare",
                )
    page = build_report(
        loaded.scenario, compare=compare, seed=seed, samples=samples, origin=loaded.origin
    )
    # written beside the target and renamed into place, so that an interrupted or failed write
    # leaves the previous report whole (the smallest atomic write; issue 12 items 3 and 4)
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, output)
    except OSError as e:
        raise click.FileError(str(output), hint=e.strerror or str(e)) from None
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"wrote {output} ({len(page.encode('utf-8')) / 1024:.0f} KiB)")
