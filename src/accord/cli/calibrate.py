"""`accord calibrate [FILE]`: the evidence the estimates contradict, and estimates that agree."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from accord.cli._common import analysis_or_exit, json_option, print_json, scenario_argument
from accord.cli._output import print_table, say, text
from accord.errors import UserInputError

if TYPE_CHECKING:
    from accord.calibrate import Calibration, Finding

__all__ = ["calibrate"]


def _where(path: tuple[str | int, ...]) -> str:
    from accord.model.problems import format_path

    return format_path(path)


def _finding_rows(findings: tuple[Finding, ...]) -> list[tuple[str, ...]]:
    return [
        (f.id, f.says, f.date or "", ", ".join(f.sources), f"{f.shortfall:.3f}") for f in findings
    ]


def render(result: Calibration) -> None:
    from rich.table import Table

    say(("How far the estimates agree with the record", "bold"))
    say(f"{result.evidence} piece(s) of evidence: responses, judgements, stated positions.")
    say("How responses are read: " + result.how_responses_are_read + ".", style="dim")
    if result.contradicted:
        table = Table(title="Evidence the estimates contradict", title_justify="left")
        for column in ("evidence", "what it says", "date", "sources", "short by"):
            table.add_column(column, justify="right" if column == "short by" else "left")
        for row in _finding_rows(result.contradicted):
            table.add_row(*(text(cell) for cell in row))
        print_table(table)
        say("'short by': how far the estimates are from agreeing, in utility points.", style="dim")
    else:
        say("The estimates agree with every piece of evidence.", style="green")
    for party in result.parties:
        say()
        say(
            (party.party, "bold"), f": {party.evidence} piece(s), {party.contradicted} contradicted"
        )
        for conflict in party.conflicts:
            names = ", ".join(f"{f.id} ({f.says})" for f in conflict.cannot_all_hold)
            say(
                f"  No estimates agree with all of: {names}. Dropped: {conflict.dropped.id}.",
                style="yellow",
            )
        if not party.changes:
            say("  Nothing to change.")
            continue
        table = Table(title=f"Calibrated estimates of {party.party}", title_justify="left")
        for column in ("estimate", "in the file", "calibrated"):
            table.add_column(column, justify="left" if column == "estimate" else "right")
        for change in party.changes:
            table.add_row(text(_where(change.path)), f"{change.was:g}", f"{change.now:g}")
        print_table(table)
        say(f"  Distance from the file's estimates: {party.distance:g} (in the file's units).")
    if result.changes:
        say(
            "The file is unchanged: save the calibrated numbers as a second, labelled copy "
            "with --write FILE.",
            style="dim",
        )


@click.command()
@scenario_argument
@json_option
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Save a calibrated copy (YAML): every changed number marked with what it was.",
)
@click.option(
    "--margin",
    type=click.FloatRange(min=0.0, max=0.5),
    default=0.0,
    show_default=True,
    help="How far above (accepted) or below (rejected) the walk-away a response puts the "
    "package, in utility points.",
)
def calibrate(file: str | None, as_json: bool, write_to: Path | None, margin: float) -> None:
    """The evidence the estimates contradict, and the nearest estimates that agree.

    Every recorded response (accepted, rejected, countered), judgement (prefers A over B) and
    stated position is a linear constraint on a negotiator's weights, values and walk-away.
    Lists the evidence the file's estimates contradict, by how much; the nearest estimates
    (L1 distance in the file's units) that agree with all of it; and, where none can, a
    smallest set of evidence to drop with what each conflicts with. FILE is a YAML or JSON
    scenario or an embedded scenario's name (default: cairo-2024).
    """
    analysis = analysis_or_exit(file)
    result = analysis.calibration(margin=margin)
    if write_to is not None:
        _write(analysis.scenario, result, analysis.origin, write_to)
    if as_json:
        print_json(result)
        return
    render(result)
    if write_to is not None:
        say(f"Wrote the calibrated copy to {write_to}.")


def _write(scenario: object, result: Calibration, origin: str, path: Path) -> None:
    from accord.calibrate.write import calibrated_yaml
    from accord.model import Scenario

    assert isinstance(scenario, Scenario)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UserInputError(
            f"--write {path}: a .yaml or .yml file (its comments mark each calibrated number)"
        )
    content = calibrated_yaml(scenario, result.changes, origin)
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(content, encoding="utf-8")
        partial.replace(path)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise UserInputError(f"--write {path}: cannot write it ({e.strerror})") from e
