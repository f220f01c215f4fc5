"""A parsed scenario file: its data and where each part of it was written.

A :class:`Document` holds the plain data a file parses to (mappings, lists, text, numbers,
true/false, null) and answers :meth:`Document.locate`: the line and column of the value at a
path inside the data, or of its nearest enclosing value when the path goes past what the file
wrote (a missing key is located at the mapping that lacks it).

Positions are kept compactly, one entry per value inside each mapping or list, keyed by the
identity of that mapping or list in the data (the data is never copied or changed after
parsing). A YAML file records them during its one parse; a JSON file computes them only when a
problem must be located (see :mod:`accord.model.json_reader`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.model.problems import Path

__all__ = ["Document", "Positions", "pack", "unpack"]

Positions = dict[int, dict[Any, int] | list[int]]
"""``id(mapping or list) -> packed position of each value inside it`` (by key or by index)."""


def pack(line: int, column: int) -> int:
    """One integer for a 1-based (line, column) pair."""
    return (line << 32) | column


def unpack(packed: int) -> tuple[int, int]:
    return packed >> 32, packed & 0xFFFFFFFF


@dataclass
class Document:
    """The data of one file, with the positions of its values (see the module docstring).

    ``positions`` is None until first needed when ``compute_positions`` is given (JSON).
    """

    data: Any
    file: str
    root: int = field(default_factory=lambda: pack(1, 1))
    positions: Positions | None = None
    compute_positions: Callable[[Any], Positions] | None = None

    def locate(self, path: Path) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at ``path``, or of its nearest ancestor."""
        if self.positions is None:
            if self.compute_positions is None:
                return None, None
            self.positions = self.compute_positions(self.data)
        best = self.root
        node = self.data
        for part in path:
            table = self.positions.get(id(node))
            if table is None:
                break
            try:
                best = table[part]  # type: ignore[index]
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return unpack(best)
