"""Uncertain numbers: an analyst's estimate with the range it might plausibly take.

Every weight, value and reservation in a scenario's ``preferences`` is an
estimate.  A file may write it as

* a plain number: ``0.3`` (no uncertainty: the number is used in every sample);
* a point with a range: ``{value: 0.3, range: [0.2, 0.45]}`` (uniform on the
  range; ``value`` is the point estimate used by the deterministic analyses);
* a distribution: ``{dist: uniform, low: 0.2, high: 0.45}``,
  ``{dist: triangular, low: 0.2, mode: 0.3, high: 0.45}`` or
  ``{dist: normal, mean: 0.3, sd: 0.05}``; a normal is truncated to the valid
  domain of the number (and to ``low``/``high`` or ``range`` when given).
  ``value`` may be added to any of them to name the point estimate; otherwise
  the point is the midpoint (uniform), the mode (triangular) or the mean (normal).

A party's weights may instead vary together: ``weights_concentration: 50`` in
the party's preferences draws the normalised weights from a Dirichlet
distribution centred on their point values (see :mod:`accord.robust`).

Internal consistency (low <= high, the point inside the support, sd > 0, the
mode inside [low, high]) is checked by the model; the valid domain of the number
(a weight is >= 0, a reservation lies in [0, 1]) is checked by the annotated
types :data:`WeightEstimate`, :data:`ReservationEstimate` and
:data:`ValueEstimate`, so every mistake is reported at its own path.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_serializer,
    model_validator,
)

if TYPE_CHECKING:
    from accord.model.problems import Problem
    from accord.model.schema import Scenario

__all__ = [
    "Estimate",
    "EstimateInput",
    "ReservationEstimate",
    "ValueEstimate",
    "WeightEstimate",
    "check_estimates",
    "in_domain",
]

Distribution = Literal["fixed", "uniform", "triangular", "normal"]


class Estimate(BaseModel):
    """One uncertain number: its point estimate and the distribution around it.

    Build it from file data with ``Estimate.model_validate(data)``; a plain number
    is accepted.  ``point`` is the number every deterministic analysis uses;
    ``distribution``, ``low``, ``high``, ``mode``, ``mean`` and ``sd`` describe
    what the robustness analysis samples.  ``low``/``high`` may be infinite only
    for a normal without bounds (the domain then truncates it).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    value: float | None = None
    range: tuple[float, float] | None = None
    dist: Literal["uniform", "triangular", "normal"] | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_number(cls, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | float | dict | Estimate):
            raise ValueError(
                "a valid number, or an estimate {value, range: [lo, hi]} or {dist: ...}"
            )
        if isinstance(data, int | float):
            if not math.isfinite(data):
                raise ValueError("a finite number")
            return {"value": data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Estimate:
        bounds_given = self.low is not None or self.high is not None
        if self.range is not None and bounds_given:
            raise ValueError("either range: [lo, hi] or low and high, not both")
        lo, hi = self._bounds()
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"a range whose low end is at most its high end, not [{lo:g}, {hi:g}]")
        dist = self.dist
        if dist is None:
            for name in ("mode", "mean", "sd"):
                if getattr(self, name) is not None:
                    raise ValueError(f"dist: triangular or normal beside {name}")
            if self.value is None:
                raise ValueError("a value (the point estimate) or a dist")
            if (lo is None) != (hi is None):
                raise ValueError("both low and high (a range has two ends)")
        elif dist == "uniform":
            if lo is None or hi is None:
                raise ValueError("low and high (or range: [lo, hi]) for dist: uniform")
            for name in ("mode", "mean", "sd"):
                if getattr(self, name) is not None:
                    raise ValueError(f"only low, high and value for dist: uniform, not {name}")
        elif dist == "triangular":
            if lo is None or hi is None:
                raise ValueError("low, mode and high for dist: triangular")
            if self.mode is None and self.value is None:
                raise ValueError("a mode for dist: triangular")
            for name in ("mean", "sd"):
                if getattr(self, name) is not None:
                    raise ValueError(
                        f"only low, mode, high and value for dist: triangular, not {name}"
                    )
            mode = self.mode if self.mode is not None else self.value
            assert mode is not None
            if not lo <= mode <= hi:
                raise ValueError(
                    f"a triangular mode inside [low, high] = [{lo:g}, {hi:g}], not {mode:g}"
                )
        else:  # normal
            if self.sd is None:
                raise ValueError("sd (the standard deviation) for dist: normal")
            if self.sd <= 0:
                raise ValueError(f"sd greater than 0, not {self.sd:g}")
            if self.mean is None and self.value is None:
                raise ValueError("a mean (or value) for dist: normal")
            if self.mode is not None:
                raise ValueError("mean and sd for dist: normal, not mode")
            if (lo is None) != (hi is None):
                raise ValueError("both low and high as truncation bounds, or neither")
            mean = self.mean if self.mean is not None else self.value
            assert mean is not None
            if lo is not None and hi is not None and not lo <= mean <= hi:
                raise ValueError(f"a mean inside [low, high] = [{lo:g}, {hi:g}], not {mean:g}")
        inside = lo is None or hi is None or self.value is None or lo <= self.value <= hi
        if not inside:
            raise ValueError(f"a value inside its range [{lo:g}, {hi:g}], not {self.value:g}")
        return self

    def _bounds(self) -> tuple[float | None, float | None]:
        if self.range is not None:
            return self.range
        return self.low, self.high

    # -- what analyses read -------------------------------------------------

    @property
    def point(self) -> float:
        """The point estimate used by every deterministic analysis."""
        if self.value is not None:
            return self.value
        lo, hi = self._bounds()
        if self.dist == "triangular":
            assert self.mode is not None
            return self.mode
        if self.dist == "normal":
            assert self.mean is not None
            return self.mean
        assert lo is not None and hi is not None
        return (lo + hi) / 2

    @property
    def distribution(self) -> Distribution:
        """``fixed`` for a plain number (or a zero-width range), else the sampled family."""
        lo, hi = self.support
        if lo == hi:
            return "fixed"
        if self.dist is None:
            return "uniform"
        return self.dist

    @property
    def support(self) -> tuple[float, float]:
        """The interval samples fall in, before the domain truncates a normal."""
        lo, hi = self._bounds()
        if self.dist is None and lo is None:
            return (self.point, self.point)
        if self.dist == "normal" and lo is None:
            return (-math.inf, math.inf)
        assert lo is not None and hi is not None
        return (lo, hi)

    @property
    def centre(self) -> float:
        """The mode of a triangular, the mean of a normal (before truncation)."""
        if self.dist == "triangular":
            return self.mode if self.mode is not None else self.point
        if self.dist == "normal":
            return self.mean if self.mean is not None else self.point
        return self.point

    @property
    def spread(self) -> float:
        """The standard deviation of a normal (before truncation); 0 otherwise."""
        return self.sd if self.sd is not None and self.dist == "normal" else 0.0

    @property
    def is_uncertain(self) -> bool:
        return self.distribution != "fixed"

    def __float__(self) -> float:
        return self.point

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        mapping = handler(core_schema)
        return {
            "anyOf": [{"type": "number"}, mapping],
            "description": "an estimate: a number, {value, range: [lo, hi]}, or {dist: ...}",
        }

    @model_serializer(mode="wrap")
    def _serialise(self, handler: Any) -> Any:
        if self.dist is None and self.range is None and self.low is None and self.high is None:
            return self.value
        data = handler(self)
        return {k: v for k, v in data.items() if v is not None}


def in_domain(low: float, high: float, what: str) -> Any:
    """An after-validator: the estimate's point and support lie in ``[low, high]``.

    A normal without bounds is truncated to the domain and only its centre must
    lie inside.
    """
    if math.isfinite(high):
        where = f"{what} greater than or equal to {low:g} and less than or equal to {high:g}"
    else:
        where = f"{what} greater than or equal to {low:g}"

    def check(estimate: Estimate) -> Estimate:
        point = estimate.point
        lo, hi = estimate.support
        if not low <= point <= high:
            raise ValueError(where)
        if estimate.dist == "normal" and not math.isfinite(lo):
            if not low <= estimate.centre <= high:
                raise ValueError(f"{where} (the normal's mean is {estimate.centre:g})")
            return estimate
        if lo < low or hi > high:
            raise ValueError(f"{where} over its whole range (which is [{lo:g}, {hi:g}])")
        if estimate.dist == "normal" and not low <= estimate.centre <= high:
            raise ValueError(f"{where} (the normal's mean is {estimate.centre:g})")
        return estimate

    return AfterValidator(check)


EstimateInput = Annotated[
    float | dict[str, Any],
    Field(description="a number, or {value, range: [lo, hi]}, or {dist: ..., ...}"),
]
"""What a scenario file may write where an estimate goes (for documentation)."""

WeightEstimate = Annotated[Estimate, in_domain(0.0, math.inf, "a weight")]
"""An issue weight: a non-negative estimate (weights are normalised to sum 1)."""

ReservationEstimate = Annotated[Estimate, in_domain(0.0, 1.0, "a reservation")]
"""A reservation utility: an estimate in [0, 1]."""

ValueEstimate = Annotated[Estimate, in_domain(-math.inf, math.inf, "a value")]
"""An option's value: any finite scale (values are normalised per issue)."""


def check_estimates(scenario: Scenario) -> list[Problem]:
    """Cross-section checks of the preference estimates.

    A weight that is 0 at its point estimate but may be positive needs values
    for its issue, or the robustness analysis could not value the issue when it
    matters.
    """
    from accord.model.problems import Problem

    out: list[Problem] = []
    for party, pref in scenario.preferences.items():
        for issue_id, w in pref.weights.items():
            may_matter = w.point == 0 and w.support[1] > 0
            if may_matter and issue_id not in pref.values:
                out.append(
                    Problem(
                        ("preferences", party, "values"),
                        f"values for {issue_id!r}, whose weight may be positive "
                        f"(its range reaches {w.support[1]:g})",
                        "none",
                    )
                )
    return out
