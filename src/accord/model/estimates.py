"""Uncertain numbers: an analyst's estimate with the range it might plausibly take.

Every weight, value and reservation in a scenario's ``preferences`` (and every value of a
phased deal's ``valuations``) is an estimate. A file may write it as

* a plain number: ``0.3`` (no uncertainty: the number is used in every sample), or
  ``{dist: fixed, value: 0.3}``;
* a point with a range: ``{value: 0.3, range: [0.2, 0.45]}`` (uniform on the range; ``value`` is
  the point estimate used by the deterministic analyses);
* a distribution: ``{dist: uniform, low: 0.2, high: 0.45}``,
  ``{dist: triangular, low: 0.2, mode: 0.3, high: 0.45}`` or
  ``{dist: normal, mean: 0.3, sd: 0.05}``; a normal is truncated to the valid domain of the
  number (and to ``low``/``high`` or ``range`` when given). ``value`` may be added to any of
  them to name the point estimate; otherwise the point is the midpoint (uniform), the mode
  (triangular) or the mean (normal).

Each form is its own class, chosen by ``dist`` (a discriminated union, :data:`AnyEstimate`):
:class:`Fixed`, :class:`Uniform` (also a ``{value, range}`` without ``dist``),
:class:`Triangular` and :class:`Normal`. A combination that means nothing (an ``sd`` on a
uniform, a ``mode`` on a normal) cannot be written: it is a key the class does not have, and
the message says which keys the form takes. Internal consistency (low <= high, the point inside
the support, sd > 0, the mode inside [low, high]) is checked by each class; the valid domain of
the number (a weight is >= 0, a reservation lies in [0, 1]) by the annotated types
:data:`WeightEstimate`, :data:`ReservationEstimate` and :data:`ValueEstimate`, so every mistake
is reported at its own path.

A party's weights may instead vary together: ``weights_concentration: 50`` in the party's
preferences draws the normalised weights from a Dirichlet distribution centred on their point
values (see :mod:`accord.robust`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal, Self, cast

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    model_serializer,
    model_validator,
)

from accord.model.base import Frozen
from accord.model.types import Finite

__all__ = [
    "AnyEstimate",
    "Estimate",
    "EstimateInput",
    "Fixed",
    "Normal",
    "ReservationEstimate",
    "Triangular",
    "Uniform",
    "ValueEstimate",
    "WeightEstimate",
    "in_domain",
]

Distribution = Literal["fixed", "uniform", "triangular", "normal"]
DISTRIBUTIONS: tuple[Distribution, ...] = ("fixed", "uniform", "triangular", "normal")


class Estimate(Frozen):
    """One uncertain number: what every form of estimate answers.

    ``point`` is the number every deterministic analysis uses; ``distribution``, ``support``,
    ``centre`` and ``spread`` describe what the robustness analysis samples. Build one from file
    data with ``Estimate.model_validate(data)`` (a plain number is accepted): the form is chosen
    by ``dist`` and the result is a :class:`Fixed`, :class:`Uniform`, :class:`Triangular` or
    :class:`Normal`.
    """

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate file data; on :class:`Estimate` itself, as whichever form ``dist`` names."""
        if cls is Estimate:
            return cast(Self, _ANY_ESTIMATE.validate_python(obj, *args, **kwargs))
        return super().model_validate(obj, *args, **kwargs)

    @property
    def point(self) -> float:
        """The point estimate used by every deterministic analysis."""
        raise NotImplementedError

    @property
    def support(self) -> tuple[float, float]:
        """The interval samples fall in, before the domain truncates a normal."""
        raise NotImplementedError

    @property
    def distribution(self) -> Distribution:
        """``fixed`` for a plain number (or a zero-width range), else the sampled family."""
        lo, hi = self.support
        return "fixed" if lo == hi else self.FAMILY

    FAMILY: ClassVar[Distribution] = "fixed"

    @property
    def centre(self) -> float:
        """The mode of a triangular, the mean of a normal (before truncation), else the point."""
        return self.point

    @property
    def spread(self) -> float:
        """The standard deviation of a normal (before truncation); 0 otherwise."""
        return 0.0

    @property
    def is_uncertain(self) -> bool:
        return self.distribution != "fixed"

    def __float__(self) -> float:
        return self.point

    @model_serializer(mode="wrap")
    def _serialise(self, handler: Any) -> Any:
        # written back as the file wrote it: a plain number stays a number, no empty keys
        data = {k: v for k, v in handler(self).items() if v is not None}
        return data["value"] if set(data) == {"value"} else data


def _refuse_keys(data: Any, keys: tuple[str, ...], message: str) -> None:
    if isinstance(data, dict):
        for key in keys:
            if key in data:
                raise ValueError(message.format(key=key))


class Fixed(Estimate):
    """A number without uncertainty: ``0.3`` or ``{dist: fixed, value: 0.3}``."""

    value: Finite
    dist: Literal["fixed"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_number(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            if not math.isfinite(data):
                raise ValueError("a finite number")  # reported at the number, not at 'value'
            return {"value": data}
        _refuse_keys(data, ("mode", "mean", "sd"), "dist: triangular or normal beside {key}")
        return data

    @property
    def point(self) -> float:
        return self.value

    @property
    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        return {"anyOf": [{"type": "number"}, handler(core_schema)]}


_BOUNDS_REQUIRED: list[Any] = [{"required": ["range"]}, {"required": ["low", "high"]}]


class _Bounded(Estimate):
    """The keys every sampled form shares: a point, and bounds as ``range`` or ``low``/``high``."""

    value: Finite | None = None
    range: tuple[Finite, Finite] | None = None
    dist: str | None = None
    low: Finite | None = None
    high: Finite | None = None

    def _bounds(self) -> tuple[float | None, float | None]:
        if self.range is not None:
            return self.range
        return self.low, self.high

    def _check_bounds(self, *, required: str | None) -> None:
        """The bounds are given once, both ends or neither, in order, around the value."""
        if self.range is not None and (self.low is not None or self.high is not None):
            raise ValueError("either range: [lo, hi] or low and high, not both")
        lo, hi = self._bounds()
        if (lo is None) != (hi is None) or (required and lo is None):
            raise ValueError(required or "both low and high as truncation bounds, or neither")
        if lo is not None and hi is not None:
            if lo > hi:
                raise ValueError(
                    f"a range whose low end is at most its high end, not [{lo:g}, {hi:g}]"
                )
            if self.value is not None and not lo <= self.value <= hi:
                raise ValueError(f"a value inside its range [{lo:g}, {hi:g}], not {self.value:g}")


class Uniform(_Bounded):
    """Uniform on ``[low, high]``: ``{value, range: [lo, hi]}`` or ``{dist: uniform, low,
    high}``."""

    model_config = ConfigDict(json_schema_extra={"anyOf": _BOUNDS_REQUIRED})
    dist: Literal["uniform"] | None = None
    FAMILY: ClassVar[Distribution] = "uniform"

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        _refuse_keys(
            data, ("mode", "mean", "sd"), "only low, high and value for a range, not {key}"
        )
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Uniform:
        self._check_bounds(required="low and high (or range: [lo, hi]), both ends")
        return self

    @property
    def point(self) -> float:
        if self.value is not None:
            return self.value
        lo, hi = self.support
        return (lo + hi) / 2

    @property
    def support(self) -> tuple[float, float]:
        lo, hi = self._bounds()
        assert lo is not None and hi is not None
        return (lo, hi)


class Triangular(_Bounded):
    """Triangular on ``[low, high]`` with its peak at ``mode``."""

    model_config = ConfigDict(json_schema_extra={"anyOf": _BOUNDS_REQUIRED})
    dist: Literal["triangular"]
    mode: Finite | None = None
    FAMILY: ClassVar[Distribution] = "triangular"

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        _refuse_keys(
            data, ("mean", "sd"), "only low, mode, high and value for dist: triangular, not {key}"
        )
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Triangular:
        self._check_bounds(required="low, mode and high for dist: triangular")
        if self.mode is None and self.value is None:
            raise ValueError("a mode for dist: triangular")
        lo, hi = self.support
        if not lo <= self.centre <= hi:
            raise ValueError(
                f"a triangular mode inside [low, high] = [{lo:g}, {hi:g}], not {self.centre:g}"
            )
        return self

    @property
    def point(self) -> float:
        value = self.value if self.value is not None else self.mode
        assert value is not None
        return value

    @property
    def support(self) -> tuple[float, float]:
        lo, hi = self._bounds()
        assert lo is not None and hi is not None
        return (lo, hi)

    @property
    def centre(self) -> float:
        return self.mode if self.mode is not None else self.point


class Normal(_Bounded):
    """Normal with ``mean`` and ``sd``, truncated to ``low``/``high`` when given (and always to
    the number's domain)."""

    dist: Literal["normal"]
    mean: Finite | None = None
    sd: Finite = Field(description="the standard deviation")
    FAMILY: ClassVar[Distribution] = "normal"

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        _refuse_keys(data, ("mode",), "mean and sd for dist: normal, not {key}")
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Normal:
        if self.sd <= 0:
            raise ValueError(f"sd greater than 0, not {self.sd:g}")
        if self.mean is None and self.value is None:
            raise ValueError("a mean (or value) for dist: normal")
        self._check_bounds(required=None)
        lo, hi = self._bounds()
        if lo is not None and hi is not None and not lo <= self.centre <= hi:
            raise ValueError(f"a mean inside [low, high] = [{lo:g}, {hi:g}], not {self.centre:g}")
        return self

    @property
    def point(self) -> float:
        value = self.value if self.value is not None else self.mean
        assert value is not None
        return value

    @property
    def support(self) -> tuple[float, float]:
        lo, hi = self._bounds()
        if lo is None or hi is None:
            return (-math.inf, math.inf)
        return (lo, hi)

    @property
    def centre(self) -> float:
        return self.mean if self.mean is not None else self.point

    @property
    def spread(self) -> float:
        return self.sd


def _form(data: Any) -> str | None:
    """Which form a file's estimate is written in (None: no form; the union then says what is
    expected)."""
    if isinstance(data, Estimate):
        return data.FAMILY
    if isinstance(data, bool):
        return None
    if isinstance(data, int | float):
        return "fixed"
    if isinstance(data, dict):
        dist = data.get("dist")
        if dist is None:
            return "uniform" if any(k in data for k in ("range", "low", "high")) else "fixed"
        return dist if dist in DISTRIBUTIONS else None
    return None


AnyEstimate = Annotated[
    Annotated[Fixed, Tag("fixed")]
    | Annotated[Uniform, Tag("uniform")]
    | Annotated[Triangular, Tag("triangular")]
    | Annotated[Normal, Tag("normal")],
    Discriminator(
        _form,
        custom_error_type="estimate",
        custom_error_message=(
            "a valid number, or an estimate {value, range: [lo, hi]} or "
            "{dist: fixed|uniform|triangular|normal, ...}"
        ),
    ),
]
"""An estimate in any of its forms, chosen by ``dist`` (see the module docstring)."""

_ANY_ESTIMATE: TypeAdapter[Estimate] = TypeAdapter(AnyEstimate)


def in_domain(low: float, high: float, what: str) -> Any:
    """An after-validator: the estimate's point and support lie in ``[low, high]``.

    A normal without bounds is truncated to the domain and only its centre must lie inside.
    """
    if math.isfinite(high):
        where = f"{what} greater than or equal to {low:g} and less than or equal to {high:g}"
    else:
        where = f"{what} greater than or equal to {low:g}"

    def check(estimate: Estimate) -> Estimate:
        if type(estimate) is Fixed:  # the common case, quickly
            if not low <= estimate.value <= high:
                raise ValueError(where)
            return estimate
        point = estimate.point
        lo, hi = estimate.support
        if not low <= point <= high:
            raise ValueError(where)
        if isinstance(estimate, Normal) and not math.isfinite(lo):
            if not low <= estimate.centre <= high:
                raise ValueError(f"{where} (the normal's mean is {estimate.centre:g})")
            return estimate
        if lo < low or hi > high:
            raise ValueError(f"{where} over its whole range (which is [{lo:g}, {hi:g}])")
        if isinstance(estimate, Normal) and not low <= estimate.centre <= high:
            raise ValueError(f"{where} (the normal's mean is {estimate.centre:g})")
        return estimate

    return AfterValidator(check)


EstimateInput = Annotated[
    float | dict[str, Any],
    Field(description="a number, or {value, range: [lo, hi]}, or {dist: ..., ...}"),
]
"""What a scenario file may write where an estimate goes (for documentation)."""

WeightEstimate = Annotated[AnyEstimate, in_domain(0.0, math.inf, "a weight")]
"""An issue weight: a non-negative estimate (weights are normalised to sum 1)."""

ReservationEstimate = Annotated[AnyEstimate, in_domain(0.0, 1.0, "a reservation")]
"""A reservation utility: an estimate in [0, 1]."""

ValueEstimate = Annotated[AnyEstimate, in_domain(-math.inf, math.inf, "a value")]
"""An option's value: any finite scale (values are normalised per issue)."""
