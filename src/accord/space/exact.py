"""Exact utilities: each negotiator's utilities as 64-bit integers over one denominator.

The contract.  Weights, values, range points and reservations are written as
decimals or integers, so every normalised contribution
``w_i / W * (v - lo) / (hi - lo)`` (interpolated range points included) and
every reservation is a rational number.  For each negotiator ``j`` accord takes
the least common multiple ``scale[j]`` of the denominators of all its
contributions and of its reservation, and stores ``contribution * scale[j]`` as
an ``int64``: a package's utility times ``scale[j]`` is then the exact integer
sum of its issues' entries.  Integer addition is exact and order-free, so two
packages whose utilities are mathematically equal have equal integers, and
dominance, ties, ZOPA membership and every comparison of one negotiator's
utilities are decided exactly.  Comparisons *across* negotiators (the
egalitarian and utilitarian solutions) bring the integers to one scale or use
rational arithmetic (see :mod:`accord.analysis.bargaining`).

The integers must fit with room to spare: the sum over issues of each
negotiator's largest entry in absolute value, plus its reservation, may not
exceed :data:`MAX_UNITS` (2**58), which leaves a factor 32 for the sums and
differences the analyses form (gains, thresholds, partial sums, differences
between packages) below 2**63.

The fallback.  When a negotiator's denominators do not fit (many issues whose
value ranges have large coprime denominators), that negotiator's contributions
and reservation are each rounded once to the nearest multiple of ``2**-k``, the
finest power of two on which its sums fit (``k = 58`` for utilities in [0, 1]),
from the exact rationals when the space was compiled from a scenario, else from
the floats.  Each utility is then within ``n_issues / 2`` units of its exact
value, so two utilities of that negotiator compare correctly whenever they
differ by more than ``n_issues * 2**-k`` (about 3.5e-18 per issue); closer ones,
mathematically equal ones included, may compare either way.  Everything stays
consistent: every view reads the same integers, and dominance is still a strict
partial order.  :attr:`ExactUtilities.warnings` says which negotiators were
rounded, and the analyses pass it on in their results (``warnings``).

Reading a stored float as a rational (:func:`rational`): the model stores
floats, but the shortest decimal that prints as the float (``repr``) is the
number the user wrote; a float that needs 16 or 17 significant digits was
computed (say, the midpoint of a range, ``(0.3 + 0.6) / 2``), and stands for
the simplest rational within four units in the last place (9/20 there).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MAX_UNITS",
    "ExactUtilities",
    "exact_utilities",
    "rational",
]

MAX_UNITS = 2**58
"""Bound on a negotiator's largest possible utility, in its integer units (see the module)."""

_SHORT_DIGITS = 15  # a decimal with at most this many significant digits round-trips a float
_ULPS = 4  # a computed float stands for the simplest rational within this many ulps


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in the closed interval [lo, hi].

    The continued-fraction construction of the Stern-Brocot tree (Graham,
    Knuth & Patashnik 1994, *Concrete Mathematics*, 2nd ed., section 4.5), in
    integers: while both ends share their integer part, record it as the next
    partial quotient and continue with the reciprocals of the fractional parts
    (swapped, since taking reciprocals reverses the order).
    """
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest_between(-hi, -lo)
    a, b, c, d = lo.numerator, lo.denominator, hi.numerator, hi.denominator
    p0, q0, p1, q1 = 0, 1, 1, 0  # the last two convergents
    while True:
        whole = a // b
        if whole * b == a:  # lo is a whole number
            term = whole
        elif (whole + 1) * d <= c:  # a whole number lies in (lo, hi]
            term = whole + 1
        else:
            p0, q0, p1, q1 = p1, q1, whole * p1 + p0, whole * q1 + q0
            a, b, c, d = d, c - whole * d, b, a - whole * b
            continue
        return Fraction(term * p1 + p0, term * q1 + q0)


def rational(x: float) -> Fraction:
    """The rational number a stored float stands for (see the module docstring).

    Raises ValueError for a float that is not finite.
    """
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{x!r} is not a finite number")
    numerator, denominator = x.as_integer_ratio()
    bits = denominator.bit_length() - 1  # the float is numerator / 2**bits, in lowest terms
    if bits <= 50 and abs(numerator) * 5**bits < 10**_SHORT_DIGITS:
        return Fraction(numerator, denominator)  # a decimal of at most 15 digits: repr's
    text = repr(x)
    mantissa = text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
    if len(mantissa) <= _SHORT_DIGITS:
        return Fraction(text)
    if 2 * bits + math.frexp(x)[1] < 48:
        # No other rational of denominator at most 2**bits lies within four ulps (the
        # window is narrower than 2**-2bits): the binary fraction itself is the simplest.
        return Fraction(numerator, denominator)
    exact = Fraction(x)
    spread = _ULPS * Fraction(math.ulp(x))
    return _simplest_between(exact - spread, exact + spread)


@dataclass(frozen=True)
class ExactUtilities:
    """Each negotiator's contributions and reservation as integers over its own scale.

    Negotiator ``j``'s utility of a package is ``(sum of its issues' tables[i][option, j]) /
    scale[j]`` and its reservation ``reservation[j] / scale[j]``.

    Attributes:
        tables: one int64 array (options, negotiators) per issue.
        reservation: int64 (negotiators,).
        scale: each negotiator's denominator (a Python int, positive).
        exact: whether negotiator ``j``'s integers are its exact utilities (False:
            rounded to the grid of the fallback, 1 / scale[j] a power of two).
        warnings: one sentence per rounded negotiator, for the user.
    """

    tables: tuple[NDArray[np.int64], ...]
    reservation: NDArray[np.int64]
    scale: tuple[int, ...]
    exact: tuple[bool, ...]
    warnings: tuple[str, ...] = ()

    @property
    def all_exact(self) -> bool:
        return all(self.exact)

    def threshold(self, tol: float) -> NDArray[np.int64]:
        """The least integer utility that counts as reaching each reservation.

        A utility ``u`` reaches reservation ``r`` when ``u >= r - tol``; in units,
        ``U >= ceil(scale * (r - tol))``, computed exactly (``tol`` is read as the
        exact binary value of the float).
        """
        t = Fraction(tol)
        return np.array(
            [
                math.ceil(Fraction(int(r)) - t * s)
                for r, s in zip(self.reservation, self.scale, strict=True)
            ],
            dtype=np.int64,
        )

    def exceeds(self, change: NDArray[np.int64], tol: float) -> NDArray[np.bool_]:
        """Per negotiator (last axis): whether a change in units is larger than ``tol``."""
        t = Fraction(tol)
        bound = np.array([math.floor(t * s) for s in self.scale], dtype=np.int64)
        out: NDArray[np.bool_] = np.asarray(change) > bound
        return out

    def to_float(self, units: ArrayLike) -> NDArray[np.float64]:
        """Utilities in units (last axis: negotiators) as floats, for display."""
        scale = np.array([float(s) for s in self.scale])
        out: NDArray[np.float64] = np.asarray(units, dtype=np.float64) / scale
        return out


NegotiatorNumbers = tuple[Sequence[Sequence[Fraction]], Fraction]
"""One negotiator's exact contributions (per issue, per option) and reservation."""


def _exact_column(
    contributions: Iterable[Iterable[Fraction]], reservation: Fraction
) -> tuple[int, list[NDArray[np.int64]], int] | None:
    """One negotiator's scale, integer tables and reservation, or None if they do not fit.

    The contributions are read lazily: a space whose denominators blow up is
    given up on after a few numbers.
    """
    scale = reservation.denominator
    values: list[list[Fraction]] = []
    for table in contributions:
        column = []
        for c in table:
            scale = math.lcm(scale, c.denominator)
            if scale > MAX_UNITS:
                return None
            column.append(c)
        values.append(column)
    tables = [
        np.array([c.numerator * (scale // c.denominator) for c in column], dtype=np.int64)
        for column in values
    ]
    res = reservation.numerator * (scale // reservation.denominator)
    reach = sum(int(np.abs(t).max(initial=0)) for t in tables) + abs(res)
    if reach > MAX_UNITS:
        return None
    return scale, tables, res


def _rounded_column(
    contributions: Sequence[NDArray[np.float64]],
    reservation: float,
    rationals: NegotiatorNumbers | None,
) -> tuple[int, list[NDArray[np.int64]], int]:
    """The fallback: the finest power-of-two grid on which this negotiator's sums fit.

    Each number is rounded once to the nearest point of the grid: the exact
    rational when it is known, else the float.
    """
    reach = sum(float(np.abs(t).max(initial=0.0)) for t in contributions) + abs(reservation)
    scale = 2 ** (58 - math.ceil(math.log2(max(reach, 1.0))))
    if rationals is None:
        tables = [np.rint(np.asarray(t) * scale).astype(np.int64) for t in contributions]
        return scale, tables, round(reservation * scale)
    columns, exact_reservation = rationals
    tables = [np.array([round(c * scale) for c in col], dtype=np.int64) for col in columns]
    return scale, tables, round(exact_reservation * scale)


def exact_utilities(
    negotiators: Sequence[str],
    contributions: Sequence[NDArray[np.float64]],
    reservation: NDArray[np.float64],
    rationals: Sequence[NegotiatorNumbers | None] | None = None,
) -> ExactUtilities:
    """The integer form of an agreement space's utilities.

    Args:
        negotiators: negotiator ids (for the warnings).
        contributions: one float array (options, negotiators) per issue.
        reservation: float (negotiators,).
        rationals: per negotiator, its exact contributions (per issue, per
            option) and reservation, or None where they are not known; when the
            whole argument is None each float is read with :func:`rational`.

    Raises ValueError when a contribution or reservation is not finite.
    """
    n = len(negotiators)
    columns: list[list[NDArray[np.int64]]] = []
    scales: list[int] = []
    res: list[int] = []
    exact: list[bool] = []
    warnings: list[str] = []
    for j in range(n):
        floats = [np.asarray(t[:, j], dtype=np.float64) for t in contributions]
        if not all(np.all(np.isfinite(t)) for t in floats) or not math.isfinite(reservation[j]):
            raise ValueError("utilities must be finite numbers")
        given = None if rationals is None else rationals[j]
        if rationals is None:
            lazy = ((rational(x) for x in t.tolist()) for t in floats)
            found = _exact_column(lazy, rational(float(reservation[j])))
        else:
            found = None if given is None else _exact_column(*given)
        exact.append(found is not None)
        if found is None:
            found = _rounded_column(floats, float(reservation[j]), given)
            warnings.append(
                f"{negotiators[j]}'s utilities have no common denominator below 2**58 "
                f"(too many coprime denominators among its weights and values): they are "
                f"compared after rounding to multiples of 2**-{found[0].bit_length() - 1}, "
                "so two of its utilities closer than that times the number of issues "
                "(exact ties included) may compare either way"
            )
        scales.append(found[0])
        columns.append(found[1])
        res.append(found[2])
    tables = []
    for i in range(len(contributions)):
        table = np.column_stack([columns[j][i] for j in range(n)]).astype(np.int64)
        table = table.reshape(contributions[i].shape[0], n)
        table.flags.writeable = False
        tables.append(table)
    reservation_units = np.array(res, dtype=np.int64)
    reservation_units.flags.writeable = False
    return ExactUtilities(
        tuple(tables), reservation_units, tuple(scales), tuple(exact), tuple(warnings)
    )
