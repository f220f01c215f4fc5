"""`accord scenarios`, `accord check`, `accord show`, `accord schema`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

from accord.cli._common import json_option, print_json, read_or_exit, scenario_argument
from accord.cli._output import console, number, print_table, say, text

if TYPE_CHECKING:
    from rich.text import Text

    from accord.model import Scenario
    from accord.model.schema import Issue

__all__ = ["check", "scenarios", "schema", "show"]


@click.command()
@json_option
def scenarios(as_json: bool) -> None:
    """List the scenarios that ship with accord (use their names as FILE)."""
    from rich.table import Table

    from accord.model import embedded_scenarios

    found = embedded_scenarios()
    if as_json:
        print_json(found)
        return
    table = Table(title="Embedded scenarios", show_lines=False)
    table.add_column("name", style="bold")
    table.add_column("title")
    for e in found:
        table.add_row(text(e.name), text(e.title))
    print_table(table)


@click.command()
@scenario_argument
@click.option(
    "--sources",
    "texts",
    type=click.Path(exists=True, file_okay=False, dir_okay=True),
    metavar="DIR",
    help="A folder with the sources' texts (DIR/<text_file> or DIR/<source id>.txt): "
    "every locator must occur in its source's text.",
)
@json_option
def check(file: str | None, texts: str | None, as_json: bool) -> None:
    """Validate a scenario file and report every problem (exit status 2 if there is one).

    FILE is a YAML or JSON scenario, or the name of an embedded scenario
    (default: cairo-2024). Warnings (for example a proposal that breaks a
    constraint) are shown but do not fail the check.

    Every locator (a citation written {source: id, at: "a few words"}) is looked for in its
    source's text, after normalising case, whitespace, quotes and dashes: a locator not found
    is an error, shown with the closest passage; a source with no text available is a
    warning. The texts are the sources' text_file, relative to FILE, or the files of
    --sources DIR. An embedded scenario without --sources is only counted.
    """
    from accord.model import ScenarioError
    from accord.model.evidence import check_citations
    from accord.run.results import checked_scenario

    loaded = read_or_exit(file)
    citations, problems = check_citations(loaded, texts)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise ScenarioError([*errors, *(p for p in problems if p.warning)], loaded.origin)
    result = checked_scenario(loaded, citations, tuple(problems))
    if as_json:
        print_json(result)
        return
    c = result.counts
    say(("ok ", "bold green"), f"{loaded.origin}: {loaded.scenario.title}")
    say("  " + ", ".join(f"{v} {k}" for k, v in c.items()))
    say(f"  {citations}")
    for w in result.warnings:
        say(f"  {w}", style="yellow")


def _cites(ids: Iterable[str]) -> Text:
    return text(" ".join(f"[{i}]" for i in ids), "cyan")


def _issue_choices(issue: Issue) -> str:
    if issue.range is not None:
        r = issue.range
        return f"{number(r.min)} to {number(r.max)} by {number(r.step)} {r.unit}".strip()
    return " < ".join(o.id for o in issue.options or ())


@click.command()
@scenario_argument
@json_option
def show(file: str | None, as_json: bool) -> None:
    """Show a scenario: parties, issues, positions with sources, proposals and the timeline."""
    from accord.run.results import shown_scenario

    loaded = read_or_exit(file)
    s = loaded.scenario
    if as_json:
        print_json(shown_scenario(loaded))
        return
    say(s.title, style="bold")
    console().rule()
    if s.date:
        say(f"as of {s.date.isoformat()}")
    if s.description:
        say(s.description.strip())
    from accord.cli.signals import signals_table

    for part in (_parties, _issues, _positions, _preferences, _proposals, _timeline):
        part(s)
    signals_table(s)
    _sources(s)
    for w in loaded.warnings:
        say(str(w), style="yellow")


def _parties(s: Scenario) -> None:
    from rich.table import Table

    t = Table(title="Parties", show_lines=True)
    for col in ("id", "name", "role", "representatives", "sources"):
        t.add_column(col)
    for p in s.parties:
        reps = "\n".join(f"{r.name} — {r.title}" for r in p.representatives)
        t.add_row(text(p.id), text(p.name), p.role.value, text(reps), _cites(p.sources))
    print_table(t)


def _issues(s: Scenario) -> None:
    from rich.table import Table

    t = Table(title="Issues", show_lines=True)
    for col in ("id", "name", "options (ordered) or range"):
        t.add_column(col)
    for i in s.issues:
        t.add_row(text(i.id), text(i.name), text(_issue_choices(i)))
    print_table(t)


def _positions(s: Scenario) -> None:
    from rich.table import Table

    if not s.positions:
        return
    t = Table(title="Positions", show_lines=True)
    for col in ("party", "issue", "demand", "as options / bounds", "sources"):
        t.add_column(col)
    for pos in s.positions:
        bounds = ", ".join(pos.options)
        if pos.min is not None:
            bounds += f"≥ {number(pos.min)}"
        if pos.max is not None:
            bounds += (" " if bounds else "") + f"≤ {number(pos.max)}"
        t.add_row(
            text(pos.party),
            text(pos.issue),
            text(pos.demand.strip()),
            text(bounds),
            _cites(pos.sources),
        )
    print_table(t)


def _preferences(s: Scenario) -> None:
    from rich.table import Table

    if not s.preferences:
        return
    t = Table(title="Preferences (normalised weights)", show_lines=False)
    t.add_column("party")
    for i in s.issues:
        t.add_column(text(i.id), justify="right")
    t.add_column("reservation", justify="right")
    t.add_column("estimate")
    for party, pref in s.preferences.items():
        total = pref.total_weight
        t.add_row(
            text(party),
            *(f"{pref.weight(i.id) / total:.2f}" for i in s.issues),
            f"{pref.reservation.point:.2f}",
            "estimate" if pref.estimate else "stated",
        )
    print_table(t)


def _proposals(s: Scenario) -> None:
    from rich.table import Table

    if not s.proposals:
        return
    t = Table(title="Proposals (* = the analyst's reading, not reported)", show_lines=True)
    t.add_column("id")
    t.add_column("date")
    t.add_column("by")
    for i in s.issues:
        t.add_column(text(i.id))
    t.add_column("sources")
    for prop in s.proposals:
        cells = []
        for i in s.issues:
            v = prop.package[i.id]
            value = number(v) if isinstance(v, float) else str(v)
            cells.append(text(value + ("*" if i.id in prop.assumed else "")))
        t.add_row(
            text(prop.id, "bold"),
            prop.date.isoformat(),
            text(", ".join(prop.authors)),
            *cells,
            _cites(prop.sources),
        )
    print_table(t)


def _timeline(s: Scenario) -> None:
    from rich.table import Table

    if not s.events:
        return
    t = Table(title="Timeline", show_lines=False)
    for col in ("date", "event", "sources"):
        t.add_column(col)
    for e in sorted(s.events, key=lambda e: e.date):
        t.add_row(e.date.isoformat(), text(e.text.strip()), _cites(e.sources))
    print_table(t)


def _sources(s: Scenario) -> None:
    from rich.table import Table

    if not s.sources:
        return
    t = Table(title="Sources", show_lines=False)
    for col in ("id", "outlet", "title", "date"):
        t.add_column(col)
    for src in s.sources:
        t.add_row(text(src.id), text(src.outlet), text(src.title), src.date.isoformat())
    print_table(t)


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format."""
    from accord.model import Scenario

    out = Scenario.model_json_schema()
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = "accord scenario (format version 1)"
    return out


@click.command()
@json_option
def schema(as_json: bool) -> None:
    """Print the JSON Schema of the scenario file format (always JSON)."""
    click.echo(json.dumps(scenario_json_schema(), indent=2))
