"""`accord robust --calibrated`: the robustness conclusions with and without the record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.cli._common import print_json
from accord.cli._output import print_table, say, text

if TYPE_CHECKING:
    from accord.calibrate.sampled import CalibratedRobustness

__all__ = ["show_calibrated"]


def show_calibrated(result: CalibratedRobustness, *, as_json: bool) -> None:
    """Print the calibrated sampling's result (a table, or JSON)."""
    from rich.table import Table

    if as_json:
        print_json(result)
        return
    say(
        f"{result.samples:,} profiles (seed {result.seed}); drawn from the record's region: "
        + (", ".join(result.calibrated) or "no negotiator")
    )
    for party, why in result.not_calibrated.items():
        say(f"  {party}: sampled as without the record ({why})", style="dim")
    table = Table(title="How the conclusions change with the record", title_justify="left")
    table.add_column("conclusion")
    for column in ("without", "with the record", "change"):
        table.add_column(column, justify="right")
    for shift in result.conclusions:
        table.add_row(
            text(shift.conclusion),
            f"{shift.uncalibrated:.3f}",
            f"{shift.calibrated:.3f}",
            f"{shift.change:+.3f}",
        )
    print_table(table)
    say(
        "Share of sampled profiles for which each conclusion holds. With the record, each "
        "negotiator with evidence is drawn uniformly (hit-and-run) from the profiles within its "
        "estimates' plausible ranges that agree with every piece of its evidence.",
        style="dim",
    )
