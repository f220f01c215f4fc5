"""The signals drawn on the timeline: one lane per party, one column per day, a mark per signal.

Positive signs (progress, concessions) point up in green, negative ones (obstacles, threats)
point down in red, neutral ones (demands) are grey circles; the marks of one party on one day
stand side by side, so a day on which one party sends both kinds is seen at a glance. The table
below the figure (``sections/timeline.html.j2``) gives each signal in words with its sources.
"""

from __future__ import annotations

from accord.model import Scenario
from accord.model.signals import TONES, SignalDay, signal_days
from accord.report.figures import Figure, report_style, svg_markup

__all__ = ["signals_figure"]

# tone -> (marker, colour, legend label); Okabe & Ito's green and vermilion, with distinct
# markers so that the tones stay apart in greyscale print and for colour-blind readers
_MARKS = {
    "positive": ("^", "#009E73", "positive (progress, concession)"),
    "negative": ("v", "#D55E00", "negative (obstacle, threat)"),
    "neutral": ("o", "#8a8f96", "neutral (demand)"),
}
_SPREAD = 0.11
"""Horizontal distance between the marks of one party on one day (in day columns)."""


def signals_figure(scenario: Scenario, days: tuple[SignalDay, ...] | None = None) -> Figure | None:
    """The signals as marks by party and day; None when the scenario has none."""
    days = signal_days(scenario) if days is None else days
    if not days:
        return None
    names = {p.id: p.name for p in scenario.parties}
    lanes = [
        p.id for p in scenario.parties if any(q.party == p.id for d in days for q in d.parties)
    ]
    row = {party: len(lanes) - 1 - k for k, party in enumerate(lanes)}  # first party on top
    with report_style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8.0, 0.9 + 0.5 * len(lanes)))
        for x, day in enumerate(days):
            for party in day.parties:
                marks = [tone for tone in TONES for _ in party.of_tone(tone)]
                for k, tone in enumerate(marks):
                    marker, colour, _ = _MARKS[tone]
                    dx = (k - (len(marks) - 1) / 2) * _SPREAD
                    ax.plot(x + dx, row[party.party], marker, color=colour, markersize=9)
        ax.set_yticks(range(len(lanes)), [names[p] for p in reversed(lanes)])
        ticks = [d.date.strftime("%d %b %Y") + (" (mixed)" if d.mixed else "") for d in days]
        ax.set_xticks(range(len(days)), ticks)
        ax.set_xlim(-0.6, len(days) - 0.4)
        ax.set_ylim(-0.7, len(lanes) - 0.3)
        ax.grid(True, axis="y")
        ax.grid(False, axis="x")
        for tone in TONES:
            marker, colour, label = _MARKS[tone]
            ax.plot([], [], marker, color=colour, label=label, linestyle="")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3)
        svg = svg_markup(fig, "fig-signals")
    return Figure(
        "fig-signals",
        "Signals by party and day",
        "Each mark is one signal of the table below: a triangle pointing up is a positive sign"
        " (progress, a concession), one pointing down a negative sign (an obstacle, a threat),"
        " a circle a demand. Marks of one party on one day stand side by side; a day with both"
        " kinds is marked mixed. Days are evenly spaced, not to scale.",
        svg,
    )
