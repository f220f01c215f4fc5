"""Estimates that agree with the record (issue 16): the parties' responses, judgements and
stated positions as linear constraints on a negotiator's weights, values and walk-away; the
evidence the estimates contradict; the nearest estimates that agree; what cannot all hold.

Layer: above the model and the compiled space, beside the analyses. See
``docs/reference/calibrate.md``.
"""

from __future__ import annotations

from accord.calibrate.calibrate import (
    REJECTED_MEANS,
    Calibration,
    Change,
    Conflict,
    Finding,
    PartyCalibration,
    calibrate_scenario,
)

__all__ = [
    "REJECTED_MEANS",
    "Calibration",
    "Change",
    "Conflict",
    "Finding",
    "PartyCalibration",
    "calibrate_scenario",
]
