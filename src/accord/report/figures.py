"""Matplotlib figures rendered to inline SVG, and what every figure of the report shares.

Why matplotlib as SVG (and not plotly): the page must open with no network and
print well.  An SVG drawn by matplotlib is plain markup inside the HTML: no
JavaScript bundle (plotly's is several megabytes per page), vector lines and
text that stay sharp on paper, text that a reader can select and search.  Only
the cloud of feasible packages, which can hold tens of thousands of points, is
rasterised inside its SVG (a PNG embedded as a data URI) so the page stays
small; axes, lines, markers and labels remain vector.
"""

from __future__ import annotations

import io
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot's import

import matplotlib.pyplot as plt
from markupsafe import Markup
from matplotlib.figure import Figure as MplFigure

__all__ = [
    "NEGOTIATOR_COLOURS",
    "Figure",
    "party_colour",
    "report_style",
    "svg_markup",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency and in greyscale print when paired with distinct markers.
NEGOTIATOR_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "svg.fonttype": "none",  # text stays text: selectable, searchable, small
}


@dataclass(frozen=True)
class Figure:
    """A figure of the page: an element id, its caption, how to read it, and its SVG."""

    id: str
    caption: str
    how_to_read: str
    svg: Markup


def party_colour(index: int) -> str:
    """The colour of the negotiator in column ``index`` (cycles after six)."""
    return NEGOTIATOR_COLOURS[index % len(NEGOTIATOR_COLOURS)]


def report_style() -> AbstractContextManager[None]:
    """Matplotlib settings of the report, for the duration of a ``with`` block.

    Build each figure and call :func:`svg_markup` inside it: text takes its
    size when it is created, and the global rcParams stay untouched.
    """
    return plt.rc_context(_STYLE)  # type: ignore[arg-type]


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)


def svg_markup(fig: MplFigure, figure_id: str) -> Markup:
    """The figure as an inline ``<svg>`` element (prologue and DOCTYPE removed), then closed.

    Matplotlib gives every SVG the same element ids (``figure_1``, ``axes_1``,
    ...); they are prefixed with ``figure_id`` so that ids stay unique on a page
    holding several figures, and so are the references to them.
    """
    buf = io.StringIO()
    with plt.rc_context(_STYLE):  # type: ignore[arg-type]
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None}, dpi=150)
    plt.close(fig)
    text = _PROLOGUE.sub("", buf.getvalue(), count=1)
    text = _ID.sub(lambda m: f'{m.group(1)}="{figure_id}-{m.group(2)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}#{figure_id}-{m.group(2)}", text)
    text = text.replace("<svg ", f'<svg role="img" aria-labelledby="{figure_id}-caption" ', 1)
    return Markup(text)


_ID = re.compile(r'\b(id)="([^"]+)"')
_REF = re.compile(r'(url\(|href=")#([^)"]+)')
