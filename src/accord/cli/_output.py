"""Everything the CLI writes to a terminal goes through here.

Two rules, for every command:

* **Text from a scenario file is shown as written, and only as text.**  The consoles read no
  markup and no emoji codes (a title ``[/]`` or ``:x:`` prints as such), and
  :func:`plain` replaces every control character but newline and tab, and the
  bidirectional-override characters, with a visible escape (``\\x1b``, ``\\u202e``), so a
  file cannot move the cursor, clear the screen, retitle the window or reorder what a
  reader sees.  :func:`text` is :func:`plain` as a ``rich`` Text with a style.
* **No value is cut off.**  :func:`print_table` prints a table when each column can be given
  at least its longest word, wrapping the rest between words; when even that does not fit the
  terminal, the table is printed stacked, one record per row (``column: value`` lines).  Rich's
  own squeezing, which ends cells with "…", never runs.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TextIO

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

__all__ = [
    "ProgressLine",
    "console",
    "error_console",
    "number",
    "plain",
    "print_table",
    "say",
    "text",
]

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(value: object) -> str:
    """``value`` as text a terminal shows literally: control and bidi characters escaped."""
    return _UNSAFE.sub(_escape, str(value))


def number(x: float) -> str:
    """A number from a file in full: ``1500``, ``2.5``, ``0.1`` (never ``1.5e+06``)."""
    value = float(x)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return format(value, ".15g")


def text(value: object, style: str = "") -> Text:
    """:func:`plain` as a rich Text (never read as markup)."""
    from rich.text import Text

    return Text(plain(value), style=style)


def _console(stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


class _Consoles:
    """The two consoles, made on first use (rich is not imported by ``accord --version``)."""

    def __init__(self) -> None:
        self._out: Console | None = None
        self._err: Console | None = None

    @property
    def out(self) -> Console:
        if self._out is None:
            self._out = _console(stderr=False)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            self._err = _console(stderr=True)
        return self._err


_CONSOLES = _Consoles()


def console() -> Console:
    """The console of standard output (no markup, no emoji, no highlighting)."""
    return _CONSOLES.out


def error_console() -> Console:
    """The console of standard error."""
    return _CONSOLES.err


def say(*parts: str | Text | tuple[str, str], style: str = "") -> None:
    """Print one line made of ``parts``: plain strings, (string, style) pairs or Texts, each
    made safe with :func:`plain`."""
    from rich.text import Text

    line = Text(style=style)
    for part in parts:
        if isinstance(part, Text):
            line.append_text(Text(plain(part.plain), style=part.style, spans=part.spans))
        elif isinstance(part, tuple):
            line.append(plain(part[0]), style=part[1])
        else:
            line.append(plain(part))
    console().print(line)


# -- tables that never cut a value -------------------------------------------------------------


def _cell_lines(cell: RenderableType) -> list[str]:
    from rich.text import Text

    if isinstance(cell, Text):
        return cell.plain.split("\n")
    if isinstance(cell, str):
        return cell.split("\n")
    return []


def _widths(cells: Iterable[RenderableType]) -> tuple[int, int]:
    """(longest word, longest line) over ``cells``, in terminal cells."""
    from rich.cells import cell_len

    lo = hi = 0
    for cell in cells:
        for line in _cell_lines(cell):
            hi = max(hi, cell_len(line))
            lo = max(lo, max((cell_len(w) for w in line.split()), default=0))
    return lo, hi


def _share(slack: int, wants: Sequence[int]) -> list[int]:
    """``slack`` cells shared in proportion to ``wants`` (each at most what it wants)."""
    total = sum(wants)
    if total <= slack:
        return list(wants)
    given = [slack * w // total for w in wants]
    left = slack - sum(given)
    for k in sorted(range(len(wants)), key=lambda k: -(wants[k] - given[k])):
        if left == 0:
            break
        if given[k] < wants[k]:
            given[k] += 1
            left -= 1
    return given


def _column_cells(table: Table, k: int) -> list[RenderableType]:
    column = table.columns[k]
    return [column.header, *column.cells]


def print_table(
    table: Table, *, target: Console | None = None, stack: Literal["rows", "columns"] = "rows"
) -> None:
    """Print ``table`` whole: columns at least as wide as their longest word, else stacked.

    Stacked by ``rows`` (the default), each row becomes a block headed by its first cell;
    by ``columns``, each column after the first becomes a block headed by its header, its
    lines labelled by the first column (for tables whose columns are the things compared,
    such as the bargaining solutions)."""
    from rich.measure import Measurement

    out = target or console()
    width = out.width
    columns = table.columns
    bounds = [_widths(_column_cells(table, k)) for k in range(len(columns))]
    unbounded = out.options.update_width(1 << 20)
    natural = Measurement.get(out, unbounded, table).maximum
    frame = natural - sum(hi for _, hi in bounds)  # borders and padding
    if natural <= width:
        out.print(table)
        return
    least = frame + sum(lo for lo, _ in bounds)
    if least > width:
        if stack == "columns":
            _print_stacked(_transposed(table), out)
        else:
            _print_stacked(table, out)
        return
    extra = _share(width - least, [hi - lo for lo, hi in bounds])
    for column, (lo, _), more in zip(columns, bounds, extra, strict=True):
        column.width = lo + more
        column.no_wrap = False
        column.overflow = "fold"  # never reached: no word is wider than its column
    out.print(table)


def _transposed(table: Table) -> Table:
    """The same table with rows and columns exchanged (the first column's cells become the
    headers, the other headers the first column's cells)."""
    from rich.table import Table as RichTable

    columns = table.columns
    flipped = RichTable(title=table.title, caption=table.caption)
    flipped.add_column(columns[0].header)
    for cell in columns[0].cells:
        flipped.add_column(cell)
    for column in columns[1:]:
        flipped.add_row(column.header, *column.cells)
    return flipped


def _print_stacked(table: Table, out: Console) -> None:
    """One block per row: the first column's value as its heading, then ``column: value``."""
    from rich.table import Table as RichTable
    from rich.text import Text

    if table.title:
        title = table.title if isinstance(table.title, Text) else Text(str(table.title))
        out.print(Text(title.plain, style="bold"))
    columns = table.columns
    headers = [
        " ".join(h.plain.split()) if isinstance(h, Text) else " ".join(str(h).split())
        for h in (c.header for c in columns)
    ]
    cells = [list(c.cells) for c in columns]
    for r in range(len(cells[0]) if cells else 0):
        grid = RichTable.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        first = cells[0][r]
        heading = first if isinstance(first, Text) else Text(str(first))
        label = headers[0] or "row"
        out.print(Text.assemble("• ", (f"{label}: " if headers[0] else "", "dim"), heading))
        for k in range(1, len(columns)):
            cell = cells[k][r]
            grid.add_row(headers[k] or " ", cell)
        out.print(grid)
    if table.caption:
        out.print(table.caption)


# -- progress ----------------------------------------------------------------------------------


class ProgressLine:
    """What a command is doing, on one line of standard error that rewrites itself.

    Shown only when standard error is a terminal and only once the command has run for
    ``after`` seconds (a quick command shows nothing); cleared when the command ends.
    Redirected standard error (a log, a pipe, a test) gets nothing, so scripts see only
    results and errors there.
    """

    def __init__(self, stream: TextIO | None = None, *, after: float = 1.0) -> None:
        self._stream = stream or sys.stderr
        self._enabled = self._stream.isatty() and os.environ.get("TERM") != "dumb"
        self._message = ""
        self._shown = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if self._enabled:
            self._timer = threading.Timer(after, self._start)
            self._timer.daemon = True
            self._timer.start()

    def _write(self) -> None:
        self._stream.write("\r\x1b[K" + plain(self._message)[:200])
        self._stream.flush()

    def _start(self) -> None:
        with self._lock:
            self._shown = True
            if self._message:
                self._write()

    def __call__(self, message: str) -> None:
        with self._lock:
            self._message = message + " …"
            if self._shown:
                self._write()

    def close(self) -> None:
        """Stop and clear the line."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._shown:
                self._stream.write("\r\x1b[K")
                self._stream.flush()
            self._shown = False

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
