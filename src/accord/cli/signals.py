"""`accord signals`: what the parties let be known, day by day, grouped by party."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from accord.cli._common import json_option, print_json, read_or_exit, scenario_argument
from accord.cli._output import print_table, say, text

if TYPE_CHECKING:
    from rich.text import Text

    from accord.model import Scenario
    from accord.model.signals import SignalEntry

__all__ = ["signals", "signals_table"]

_MARK = {"positive": "+", "negative": "-", "neutral": "="}


def _cited(entry: SignalEntry) -> Text:
    """``[id at "locator"]`` for each citation: the source and where in it (no ellipsis: in a
    terminal "…" means a value cut off, which accord never does)."""
    parts = [f"[{c.source} at “{c.at}”]" if c.at else f"[{c.source}]" for c in entry.citations]
    return text(" ".join(parts), "cyan")


def signals_table(s: Scenario) -> None:
    """The signals as a table: by day, then by party, positive before negative before neutral,
    each day that holds both positive and negative signals marked *mixed*."""
    from rich.table import Table

    from accord.model.signals import TONES, signal_days

    days = signal_days(s)
    if not days:
        return
    t = Table(title="Signals (+ positive, - negative, = neutral)", show_lines=True)
    for col in ("date", "who", "stance on", "signal and its sources"):
        t.add_column(col)
    for day in days:
        date = day.date.isoformat() + ("\nmixed" if day.mixed else "")
        for party in day.parties:
            for tone in TONES:
                for e in party.of_tone(tone):
                    who = e.who if e.representative is None else f"{e.who}\n({e.party})"
                    said = text(e.text + "\n")
                    said.append_text(_cited(e))
                    t.add_row(
                        date, text(who), text(f"{_MARK[tone]} {e.stance.value}\n{e.about}"), said
                    )
    print_table(t)


@click.command()
@scenario_argument
@json_option
def signals(file: str | None, as_json: bool) -> None:
    """List the signals of a scenario: who said or did what, when, about which issue, proposal
    or the talks, with what stance (progress, concession, obstacle, threat, demand) and from
    which source, day by day and grouped by party, so that contradictory signals of one day
    stand side by side.
    """
    from accord.run.results import shown_signals

    loaded = read_or_exit(file)
    result = shown_signals(loaded)
    if as_json:
        print_json(result)
        return
    if not result.days:
        say(f"{loaded.origin}: no signals")
        return
    signals_table(loaded.scenario)
    for day in result.days:
        if day.mixed:
            say(f"{day.date.isoformat()}: mixed signals (positive and negative on the same day)")
