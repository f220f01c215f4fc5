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
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_serializer,
    model_validator,
)

__all__ = [
    "Estimate",
    "EstimateInput",
    "ReservationEstimate",
    "ValueEstimate",
    "WeightEstimate",
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
        if isinstance(data, bool):
            raise ValueError("expected a number or an estimate mapping, found a boolean")
        if isinstance(data, int | float):
            return {"value": data}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Estimate:
        bounds_given = self.low is not None or self.high is not None
        if self.range is not None and bounds_given:
            raise ValueError("give either range: [lo, hi] or low/high, not both")
        lo, hi = self._bounds()
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"the range is impossible: low {lo:g} is greater than high {hi:g}")
        dist = self.dist
        if dist is None:
            for name in ("mode", "mean", "sd"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name} needs dist: triangular or normal")
            if self.value is None:
                raise ValueError("expected value (a point estimate) or dist")
            if (lo is None) != (hi is None):
                raise ValueError("a range needs both a low and a high end")
        elif dist == "uniform":
            if lo is None or hi is None:
                raise ValueError("dist: uniform needs low and high (or range: [lo, hi])")
            for name in ("mode", "mean", "sd"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name} does not apply to dist: uniform")
        elif dist == "triangular":
            if lo is None or hi is None:
                raise ValueError("dist: triangular needs low, mode and high")
            if self.mode is None and self.value is None:
                raise ValueError("dist: triangular needs a mode")
            for name in ("mean", "sd"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name} does not apply to dist: triangular")
            mode = self.mode if self.mode is not None else self.value
            assert mode is not None
            if not lo <= mode <= hi:
                raise ValueError(
                    f"the triangular mode {mode:g} lies outside [low, high] = [{lo:g}, {hi:g}]"
                )
        else:  # normal
            if self.sd is None:
                raise ValueError("dist: normal needs sd (the standard deviation)")
            if self.sd <= 0:
                raise ValueError(f"sd must be greater than 0; found {self.sd:g}")
            if self.mean is None and self.value is None:
                raise ValueError("dist: normal needs a mean")
            if self.mode is not None:
                raise ValueError("mode does not apply to dist: normal")
            if (lo is None) != (hi is None):
                raise ValueError("truncation bounds need both low and high")
            mean = self.mean if self.mean is not None else self.value
            assert mean is not None
            if lo is not None and hi is not None and not lo <= mean <= hi:
                raise ValueError(f"the mean {mean:g} lies outside [low, high] = [{lo:g}, {hi:g}]")
        if self.value is not None and lo is not None and hi is not None:
            if not lo <= self.value <= hi:
                raise ValueError(f"the value {self.value:g} lies outside its range [{lo:g}, {hi:g}]")
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

    def check(estimate: Estimate) -> Estimate:
        point = estimate.point
        lo, hi = estimate.support
        where = f"{what} must lie in [{low:g}, {high:g}]" if math.isfinite(high) else (
            f"{what} must be at least {low:g}"
        )
        if not low <= point <= high:
            raise ValueError(f"{where}; the point estimate is {point:g}")
        if estimate.dist == "normal" and not math.isfinite(lo):
            if not low <= estimate.centre <= high:
                raise ValueError(f"{where}; the normal's mean is {estimate.centre:g}")
            return estimate
        if lo < low or hi > high:
            raise ValueError(f"{where}; the range [{lo:g}, {hi:g}] goes outside it")
        if estimate.dist == "normal" and not low <= estimate.centre <= high:
            raise ValueError(f"{where}; the normal's mean is {estimate.centre:g}")
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
