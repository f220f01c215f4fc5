"""Shared pieces of `accord analyze`, `compare` and `improve`: loading a space, formatting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import click
from rich.text import Text

from accord.analysis.agreement_space import SpaceCore, prepare_space
from accord.cli._common import error_console, load_or_exit
from accord.space import CompiledSpace, compile_space

__all__ = [
    "core_or_exit",
    "fmt_package",
    "fmt_utility",
    "print_warnings",
    "split_file_args",
    "tol_option",
]

tol_option = click.option(
    "--tol",
    type=click.FloatRange(min=0),
    default=1e-9,
    show_default=True,
    help="Tolerance: a utility this close below a reservation still counts as reaching it; "
    "a utility change this small counts as indifference.",
)


def split_file_args(args: tuple[str, ...], names: tuple[str, ...]) -> tuple[str | None, list[str]]:
    """Read ``[FILE] NAME...``: with one more argument than ``names`` the first is FILE."""
    if len(args) == len(names):
        return None, list(args)
    if len(args) == len(names) + 1:
        return args[0], list(args[1:])
    wanted = " ".join(names)
    raise click.UsageError(f"expected [FILE] {wanted}, got {len(args)} argument(s)")


def core_or_exit(file: str | None, *, as_json: bool, tol: float) -> tuple[CompiledSpace, SpaceCore]:
    """Load and compile the scenario and prepare its frontier, or exit 2 with a clear message."""
    scenario = load_or_exit(file, as_json=as_json)
    space = compile_space(scenario)
    if space.n_negotiators == 0:
        raise click.UsageError("the scenario has no negotiator with preferences to analyse")
    try:
        return space, prepare_space(space, tol=tol)
    except ValueError as e:
        raise click.UsageError(str(e)) from e


def fmt_utility(utility: Mapping[str, float], digits: int = 3) -> str:
    return "  ".join(f"{k} {v:.{digits}f}" for k, v in utility.items())


def fmt_package(package: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in package.items())


def print_warnings(warnings: Iterable[str]) -> None:
    """A result's warnings (utilities that could not be compared exactly), on stderr."""
    for warning in warnings:
        error_console.print(Text(f"warning: {warning}", style="yellow"))
