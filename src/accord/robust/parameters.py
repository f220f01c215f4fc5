"""The uncertain parameters of a negotiation and how they are sampled.

For each negotiator the model holds one uncertain number per issue weight, per
raw option value (for a range issue: per interpolation point) and for the
reservation.  A sample draws every number, then builds the utility weights the
way the scenario format prescribes: raw values are normalised per issue to
[0, 1] by min-max over the issue's options, weights are normalised to sum 1,
and the coefficient of option ``o`` of issue ``i`` is ``w_i * v_io``.  The
utility of a package is then the dot product of this coefficient vector
``theta`` with the package's one-hot indicator vector.

Sampling is by inversion (Devroye 1986, *Non-Uniform Random Variate Generation*,
Springer, section II.2): one uniform number per uncertain parameter is mapped
through the inverse distribution function, which also gives each sample's
quantile for the sensitivity analysis.  A truncated normal is inverted within
its truncation interval, so no sample is rejected.  A party's weights with a
Dirichlet concentration ``c`` around normalised point weights ``w`` are drawn as
normalised Gamma(c * w_i) variables (Devroye 1986, section XI.4); a zero point
weight stays zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from accord.model.estimates import Estimate

__all__ = [
    "NegotiatorUncertainty",
    "PreferenceModel",
    "Profiles",
    "UncertainParameter",
    "block_generator",
    "sample_block",
]


@dataclass(frozen=True)
class UncertainParameter:
    """One sampled number: its name, family and support.

    ``distribution`` is ``fixed``, ``uniform``, ``triangular`` or ``normal``;
    ``low``/``high`` bound the samples (a normal is truncated to them and they
    may be infinite only for a normal); ``centre`` is the triangular's mode or
    the normal's mean and ``spread`` the normal's standard deviation.
    """

    name: str
    distribution: str
    point: float
    low: float
    high: float
    centre: float = math.nan
    spread: float = 0.0

    def __post_init__(self) -> None:
        if self.distribution not in ("fixed", "uniform", "triangular", "normal"):
            raise ValueError(f"{self.name}: unknown distribution {self.distribution!r}")
        if not self.low <= self.high:
            raise ValueError(f"{self.name}: low {self.low} > high {self.high}")
        if self.distribution != "normal" and not (
            math.isfinite(self.low) and math.isfinite(self.high)
        ):
            raise ValueError(f"{self.name}: only a normal may have an unbounded support")
        if self.distribution == "normal" and not self.spread > 0:
            raise ValueError(f"{self.name}: a normal needs a positive spread")

    @classmethod
    def fixed(cls, name: str, point: float) -> UncertainParameter:
        return cls(name, "fixed", point, point, point)

    @classmethod
    def from_estimate(
        cls, name: str, estimate: Estimate, domain: tuple[float, float] = (-math.inf, math.inf)
    ) -> UncertainParameter:
        """The sampled form of a file's estimate; a normal is truncated to ``domain``."""
        kind = estimate.distribution
        lo, hi = estimate.support
        lo, hi = max(lo, domain[0]), min(hi, domain[1])
        if kind == "fixed":
            return cls.fixed(name, estimate.point)
        if kind == "normal":
            return cls(name, "normal", estimate.point, lo, hi, estimate.centre, estimate.spread)
        if kind == "triangular":
            return cls(name, "triangular", estimate.point, lo, hi, estimate.centre)
        return cls(name, "uniform", estimate.point, lo, hi)

    @property
    def is_uncertain(self) -> bool:
        return self.distribution != "fixed" and self.low < self.high


@dataclass(frozen=True)
class NegotiatorUncertainty:
    """What is uncertain about one negotiator's preferences.

    Attributes:
        party: the negotiator's party id.
        weights: one raw weight per issue (normalised to sum 1 in each sample).
        values: per issue, the raw value parameters (one per option, or one per
            interpolation point of a range issue).
        value_maps: per issue, a matrix (options, len(values[i])) turning the raw
            parameters into raw option values (the identity for an ordered
            issue, the piecewise-linear interpolation weights for a range).
        reservation: the utility of the party's best alternative, in [0, 1].
        weights_concentration: when set, the normalised weights are drawn from a
            Dirichlet distribution with this concentration around the point
            weights, and ``weights`` must all be fixed.
        scales: per issue, how each sample's values are rescaled: ``"minmax"`` (the
            default when empty), ``"max"`` (divided by the largest) or ``"none"`` (as
            written); :meth:`accord.model.schema.Preferences.scale`.
    """

    party: str
    weights: tuple[UncertainParameter, ...]
    values: tuple[tuple[UncertainParameter, ...], ...]
    value_maps: tuple[NDArray[np.float64], ...]
    reservation: UncertainParameter
    weights_concentration: float | None = None
    scales: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.scales and len(self.scales) != len(self.weights):
            raise ValueError(f"{self.party}: one scale per issue")
        if not (len(self.weights) == len(self.values) == len(self.value_maps)):
            raise ValueError(f"{self.party}: one weight, value list and value map per issue")
        for params, matrix in zip(self.values, self.value_maps, strict=True):
            if matrix.ndim != 2 or matrix.shape[1] != len(params):
                raise ValueError(f"{self.party}: a value map does not match its parameters")
        if self.weights_concentration is not None:
            if not self.weights_concentration > 0:
                raise ValueError(f"{self.party}: the weights' concentration must be positive")
            if any(w.is_uncertain for w in self.weights):
                raise ValueError(
                    f"{self.party}: give either a Dirichlet concentration or uncertain "
                    "weights, not both"
                )
        if sum(w.point for w in self.weights) <= 0:
            raise ValueError(f"{self.party}: the point weights are all zero")

    def parameters(self) -> tuple[UncertainParameter, ...]:
        """Weights, then values issue by issue, then the reservation."""
        return (*self.weights, *(p for issue in self.values for p in issue), self.reservation)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(m.shape[0] for m in self.value_maps)


@dataclass(frozen=True)
class PreferenceModel:
    """The uncertain preferences of every negotiator, in the compiled space's order."""

    negotiators: tuple[NegotiatorUncertainty, ...]
    _flat: tuple[UncertainParameter, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.negotiators) < 2:
            raise ValueError("a negotiation needs at least two negotiators")
        sizes = {n.sizes for n in self.negotiators}
        if len(sizes) != 1:
            raise ValueError("every negotiator must value the same issues and options")
        flat = tuple(p for n in self.negotiators for p in n.parameters())
        object.__setattr__(self, "_flat", flat)

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(n.party for n in self.negotiators)

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.negotiators[0].sizes

    @property
    def n_features(self) -> int:
        return sum(self.sizes)

    def parameters(self) -> tuple[UncertainParameter, ...]:
        """Every parameter, negotiator by negotiator (the columns of ``Profiles.quantiles``)."""
        return self._flat

    def uncertain_indices(self) -> NDArray[np.intp]:
        """Positions (in :meth:`parameters`) of the parameters that vary between samples.

        A weight under a Dirichlet concentration varies when its point weight is
        positive, although its own parameter is fixed.
        """
        varies: list[bool] = []
        for party in self.negotiators:
            dirichlet = party.weights_concentration is not None
            varies += [w.is_uncertain or (dirichlet and w.point > 0) for w in party.weights]
            varies += [p.is_uncertain for issue in party.values for p in issue]
            varies.append(party.reservation.is_uncertain)
        return np.flatnonzero(varies).astype(np.intp)

    def point_profiles(self) -> Profiles:
        """The single profile made of every point estimate."""
        params = self._flat
        raw = np.array([[p.point for p in params]], dtype=np.float64)
        return _build_profiles(self, raw, np.full((1, len(params)), np.nan), dirichlet=None)


@dataclass(frozen=True)
class Profiles:
    """A batch of sampled preference profiles.

    Attributes:
        theta: (negotiators, samples, features) utility coefficients; the
            utility of a package is ``theta @ indicator``.
        reservation: (samples, negotiators).
        quantiles: (samples, parameters) each parameter's distribution-function
            value at the sample, in [0, 1); NaN for fixed parameters.
    """

    theta: NDArray[np.float64]
    reservation: NDArray[np.float64]
    quantiles: NDArray[np.float64]

    @property
    def size(self) -> int:
        return int(self.reservation.shape[0])


BLOCK_SAMPLES = 1024
"""Samples per seeded block: the unit of reproducibility (do not change lightly:
results for a given seed depend on it)."""


def block_generator(seed: int, block: int) -> np.random.Generator:
    """The random generator of block ``block`` under ``seed``.

    Its seed sequence is ``SeedSequence(seed).spawn(block + 1)[block]`` (built
    directly, without spawning the earlier children), so every block's stream is
    independent of how blocks are grouped into chunks or scheduled on workers.
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def _invert(u: NDArray[np.float64], params: tuple[UncertainParameter, ...]) -> NDArray[np.float64]:
    """Map uniform numbers (samples, len(params)) through each inverse distribution function."""
    out = np.empty_like(u)
    kinds = np.array([p.distribution for p in params])
    lo = np.array([p.low for p in params])
    hi = np.array([p.high for p in params])
    for kind in ("uniform", "triangular", "normal"):
        cols = np.flatnonzero(kinds == kind)
        if cols.size == 0:
            continue
        a, b, x = lo[cols], hi[cols], u[:, cols]
        if kind == "uniform":
            out[:, cols] = a + x * (b - a)
        elif kind == "triangular":
            c = np.array([params[i].centre for i in cols])
            width = b - a
            split = np.divide(c - a, width, out=np.zeros_like(width), where=width > 0)
            left = a + np.sqrt(x * width * (c - a))
            right = b - np.sqrt((1.0 - x) * width * (b - c))
            out[:, cols] = np.where(x < split, left, right)
        else:
            from scipy import special  # type: ignore[import-untyped,unused-ignore]

            m = np.array([params[i].centre for i in cols])
            s = np.array([params[i].spread for i in cols])
            pa = special.ndtr((a - m) / s)
            pb = special.ndtr((b - m) / s)
            out[:, cols] = np.clip(m + s * special.ndtri(pa + x * (pb - pa)), a, b)
    fixed = np.flatnonzero(kinds == "fixed")
    out[:, fixed] = np.array([params[i].point for i in fixed])
    return out


def sample_block(model: PreferenceModel, rng: np.random.Generator, size: int) -> Profiles:
    """Draw ``size`` profiles from ``model`` with ``rng``.

    The draws are, in this order: one (size, parameters) array of uniforms, then
    for each negotiator with a weights' concentration, in negotiator order, one
    (size, issues) array of standard Gamma variables.
    """
    params = model.parameters()
    u = rng.random((size, len(params)))
    raw = _invert(u, params)
    uncertain = np.array([p.is_uncertain for p in params], dtype=bool)
    quantiles = np.where(uncertain, u, np.nan)
    dirichlet: dict[int, NDArray[np.float64]] = {}
    start = 0
    for j, party in enumerate(model.negotiators):
        n_issues = len(party.weights)
        if party.weights_concentration is not None:
            point = np.array([w.point for w in party.weights])
            mean = point / point.sum()
            alpha = party.weights_concentration * mean
            gamma = rng.standard_gamma(alpha, size=(size, n_issues))
            total = gamma.sum(axis=1, keepdims=True)
            weights = gamma / np.where(total > 0, total, 1.0)
            dirichlet[j] = weights
            # each Dirichlet component is Beta(alpha_i, c - alpha_i) distributed
            positive = alpha > 0
            from scipy import special  # type: ignore[import-untyped,unused-ignore]

            q = np.full((size, n_issues), np.nan)
            q[:, positive] = special.betainc(
                alpha[positive], party.weights_concentration - alpha[positive], weights[:, positive]
            )
            quantiles[:, start : start + n_issues] = np.minimum(q, np.nextafter(1.0, 0.0))
        start += len(party.parameters())
    return _build_profiles(model, raw, quantiles, dirichlet)


def _build_profiles(
    model: PreferenceModel,
    raw: NDArray[np.float64],
    quantiles: NDArray[np.float64],
    dirichlet: dict[int, NDArray[np.float64]] | None,
) -> Profiles:
    size = raw.shape[0]
    n = len(model.negotiators)
    theta = np.empty((n, size, model.n_features))
    reservation = np.empty((size, n))
    start = 0
    for j, party in enumerate(model.negotiators):
        n_issues = len(party.weights)
        block = raw[:, start : start + len(party.parameters())]
        if dirichlet is not None and j in dirichlet:
            weights = dirichlet[j]
        else:
            w = block[:, :n_issues]
            total = w.sum(axis=1, keepdims=True)
            weights = w / np.where(total > 0, total, 1.0)
        col = n_issues
        feature = 0
        for i, (params, matrix) in enumerate(zip(party.values, party.value_maps, strict=True)):
            values = block[:, col : col + len(params)] @ matrix.T
            col += len(params)
            normalised = _rescaled(values, party.scales[i] if party.scales else "minmax")
            width = matrix.shape[0]
            theta[j, :, feature : feature + width] = weights[:, i : i + 1] * normalised
            feature += width
        reservation[:, j] = block[:, col]
        start += len(party.parameters())
    return Profiles(theta=theta, reservation=reservation, quantiles=quantiles)


def _rescaled(values: NDArray[np.float64], scale: str) -> NDArray[np.float64]:
    """Each sample's (row's) values on one issue on the party's scale (``normalize``)."""
    if scale == "none":
        return values
    v_max = values.max(axis=1, keepdims=True)
    if scale == "max":
        divided: NDArray[np.float64] = np.divide(
            values, v_max, out=np.zeros_like(values), where=v_max > 0
        )
        return divided
    v_min = values.min(axis=1, keepdims=True)
    span = v_max - v_min
    out: NDArray[np.float64] = np.divide(
        values - v_min, span, out=np.zeros_like(values), where=span > 0
    )
    return out
