"""The section "How far the estimates agree with the record" (issue 16, item 5).

It shows what ``accord calibrate`` finds (the evidence the estimates contradict, by how much and
on what source; what cannot all hold; the calibrated numbers beside the file's) and which stated
positions each fair solution and each proposal meets and breaks. It renders; it computes
nothing (:mod:`accord.run` does).
"""

from __future__ import annotations

from collections.abc import Mapping

from accord.calibrate import Calibration
from accord.calibrate.positions import PositionsMet
from accord.model.problems import format_path
from accord.report.citations import Citations
from accord.report.page import Section, render_fragment

__all__ = ["section"]


def section(
    calibration: Calibration, positions: Mapping[str, PositionsMet], cite: Citations
) -> Section:
    """The section's body from the calibration and the positions met by each package shown."""
    changes = [
        {"party": p.party, "where": format_path(c.path[2:]), "was": c.was, "now": c.now}
        for p in calibration.parties
        for c in p.changes
    ]
    body = render_fragment(
        "sections/calibration.html.j2",
        calibration=calibration,
        changes=changes,
        positions=positions,
        cite=cite,
    )
    return Section("record", "How far the estimates agree with the record", body)
