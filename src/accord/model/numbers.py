"""Numbers as the user wrote them: decimals are rationals, grids are exact.

A scenario file writes decimals (``0.1``, ``1e-5``, ``80000``); a float only approximates most
of them. Every grid rule of accord works on the decimal the user meant, the shortest decimal that
reads back as the float (``Fraction(repr(x))``), so that ``0.1 + 0.2`` steps of ``0.1`` is three
steps, 80000 to 110000 by ``1e-5`` is exactly 3·10⁹ steps, and 10 to 20 by ``1e300`` is no whole
number of steps at all (a float test with slack called it zero steps and then read the value 15
as 10). This one rule is used by the schema's range check, by :class:`NumericRange`'s values and
index lookup and so by everything compiled from them: what ``accord check`` accepts, every
command reads the same way.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = ["grid_index", "grid_steps", "grid_values", "rational"]


def rational(x: float) -> Fraction:
    """The rational a file's number stands for: an int exactly, a float as its shortest decimal."""
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(repr(float(x)))


def grid_steps(low: float, high: float, step: float) -> Fraction:
    """``(high - low) / step`` exactly (a whole number when ``high`` is on the grid)."""
    return (rational(high) - rational(low)) / rational(step)


def grid_values(low: float, step: float, count: int) -> tuple[float, ...]:
    """``low + k·step`` for ``k < count``, each the float nearest the exact decimal.

    Integer arithmetic on a common denominator keeps this exact and fast: Python's ``int / int``
    is correctly rounded.
    """
    a, s = rational(low), rational(step)
    denominator = math.lcm(a.denominator, s.denominator)
    first = a.numerator * (denominator // a.denominator)
    stride = s.numerator * (denominator // s.denominator)
    return tuple((first + k * stride) / denominator for k in range(count))


def grid_index(x: float, low: float, step: float, count: int) -> int | None:
    """The ``k`` with ``x == low + k·step`` exactly (as decimals), or None off the grid."""
    k = (rational(x) - rational(low)) / rational(step)
    if k.denominator != 1 or not 0 <= k < count:
        return None
    return int(k)
