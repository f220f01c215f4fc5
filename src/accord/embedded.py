"""Where the embedded scenarios live, and their names (from file names: nothing is parsed, and
nothing heavy is imported, so the command line can tell a name from a file at start-up)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["embedded_dir", "embedded_names"]


def embedded_dir() -> Traversable:
    """The folder of the scenarios that ship inside accord."""
    return resources.files("accord") / "scenarios"


def embedded_names() -> list[str]:
    """The embedded scenarios' names, sorted."""
    return sorted(
        e.name.removesuffix(".yaml") for e in embedded_dir().iterdir() if e.name.endswith(".yaml")
    )
