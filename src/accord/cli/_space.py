"""Shared pieces of `accord analyze`, `compare` and `improve`: the --tol option, formatting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import click

from accord.cli._output import error_console, plain, text
from accord.run.options import DEFAULT_TOL

if TYPE_CHECKING:
    from accord.calibrate.positions import PositionsMet

__all__ = ["fmt_package", "fmt_utility", "print_positions", "print_warnings", "tol_option"]

tol_option = click.option(
    "--tol",
    type=click.FloatRange(min=0),
    default=DEFAULT_TOL,
    show_default=True,
    help="Tolerance: a utility this close below a reservation still counts as reaching it; "
    "a utility change this small counts as indifference.",
)


def fmt_utility(utility: Mapping[str, float], digits: int = 3) -> str:
    """``israel 0.512  hamas 0.430``."""
    return "  ".join(f"{plain(k)} {v:.{digits}f}" for k, v in utility.items())


def fmt_package(package: Mapping[str, object], sep: str = ", ") -> str:
    """``truce=six-weeks, prisoners=1500``."""
    return sep.join(f"{plain(k)}={plain(v)}" for k, v in package.items())


def print_warnings(warnings: Iterable[str]) -> None:
    """A result's warnings (utilities that could not be compared exactly), on stderr."""
    for warning in warnings:
        error_console().print(text(f"warning: {warning}", style="yellow"))


def print_positions(positions: Mapping[str, PositionsMet], *, rank: bool = False) -> None:
    """Which stated positions each package shown meets and breaks, one line per package."""
    from accord.cli._output import say, text

    if not positions:
        return
    say("Stated positions", style="bold")
    for name, met in positions.items():
        label = f"#{name}" if rank and name.isdigit() else name
        say("  ", (plain(label), "bold"), ": ", text(met.summary()))
