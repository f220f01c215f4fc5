"""Matplotlib figures rendered to inline SVG, and what every figure of the report shares.

Why matplotlib as SVG (and not plotly): the page must open with no network and
print well.  An SVG drawn by matplotlib is plain markup inside the HTML: no
JavaScript bundle (plotly's is several megabytes per page), vector lines and
text that stay sharp on paper, text that a reader can select and search.  Only
the cloud of feasible packages, which can hold tens of thousands of points, is
rasterised inside its SVG (a PNG embedded as a data URI) so the page stays
small; axes, lines, markers and labels remain vector.

Three promises hold for every figure, and are kept here, in one place:

- **User text is drawn literally.**  Names and titles come from scenario files
  that other people wrote; matplotlib would read ``$...$`` in them as mathtext
  (``'Salary $x^$'`` crashes, ``'($ millions, $ per year)'`` turns italic).
  :data:`_STYLE` switches math parsing off for every text a report figure
  creates (tick labels included), :func:`svg_markup` switches it off again on
  every text of the finished figure, and :func:`number_marker` draws the
  proposals' numbered markers without mathtext.
- **The same input gives the same bytes.**  Matplotlib salts the ids of clip
  paths and markers with a random value and stamps a date and its version into
  every SVG; the salt is fixed and the metadata left out, through
  ``rc_context`` (never the global rcParams), so a report can be diffed and
  cached.
- **Text stays legible on a phone.**  SVG text scales with its figure; each SVG
  carries the narrowest width (``--legible-width``, in CSS px) at which its
  smallest text is still :data:`LEGIBLE_TEXT_PX`; the page's style sheet keeps
  the figure at least that wide and lets it scroll inside its own frame on a
  narrower screen (printing lifts the minimum: paper scales the figure to the
  text block).
"""

from __future__ import annotations

import io
import math
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot's import

import matplotlib.pyplot as plt
from markupsafe import Markup
from matplotlib.figure import Figure as MplFigure
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

__all__ = [
    "LEGIBLE_TEXT_PX",
    "NEGOTIATOR_COLOURS",
    "Figure",
    "number_marker",
    "party_colour",
    "report_style",
    "svg_markup",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency and in greyscale print when paired with distinct markers.
NEGOTIATOR_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")

LEGIBLE_TEXT_PX = 9.0
"""The smallest size, in CSS px, at which a figure's text may be shown on screen."""

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
    # Scenario text is drawn as written: no mathtext, no LaTeX (a user's matplotlibrc may ask).
    "text.parse_math": False,
    "text.usetex": False,
    # Ids of clip paths and markers are hashes salted with this instead of a random uuid, so the
    # same figure gives the same bytes in every run and process.  Any fixed string will do.
    "svg.hashsalt": "accord-report",
    "svg.id": None,
}

# The SVG's date, creator (matplotlib's version), format and type: left out, so the page's bytes
# depend on the scenario and seed only.
_NO_METADATA: dict[str, Any] = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True)
class Figure:
    """A figure of the page: an element id, its caption, how to read it, and its SVG."""

    id: str
    caption: str
    how_to_read: str
    svg: Markup

    @property
    def legible_width(self) -> int:
        """The narrowest width (CSS px) at which this figure's smallest text is legible."""
        found = _LEGIBLE.search(self.svg)
        return int(found.group(1)) if found else 0


def party_colour(index: int) -> str:
    """The colour of the negotiator in column ``index`` (cycles after six)."""
    return NEGOTIATOR_COLOURS[index % len(NEGOTIATOR_COLOURS)]


def report_style() -> AbstractContextManager[None]:
    """Matplotlib settings of the report, for the duration of a ``with`` block.

    Build each figure and call :func:`svg_markup` inside it: text takes its
    size when it is created, and the global rcParams stay untouched.
    """
    return plt.rc_context(_STYLE)  # type: ignore[arg-type]


def number_marker(number: int) -> MplPath:
    """A marker that draws ``number`` in digits, centred on the point.

    Matplotlib's own text markers (``marker="$1$"``) go through mathtext, which
    the report switches off; this path is the digits' outline, centred and
    scaled as matplotlib scales any path marker (its larger extent to the marker size).
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath
    from matplotlib.transforms import Affine2D

    vertices, codes = TextToPath().get_text_path(FontProperties(family="DejaVu Sans"), str(number))
    outline = MplPath(vertices, codes)
    box = outline.get_extents()
    return outline.transformed(Affine2D().translate(-(box.x0 + box.x1) / 2, -(box.y0 + box.y1) / 2))


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_ID = re.compile(r'\b(id)="([^"]+)"')
_REF = re.compile(r'(url\(|href=")#([^)"]+)')
_VIEWBOX_WIDTH = re.compile(r'<svg\b[^>]*\bviewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')
_FONT_SIZE = re.compile(r"font(?:-size)?:\s*([\d.]+)px")
_LEGIBLE = re.compile(r"--legible-width:\s*(\d+)px")


def svg_markup(fig: MplFigure, figure_id: str) -> Markup:
    """The figure as an inline ``<svg>`` element (prologue and DOCTYPE removed), then closed.

    Matplotlib gives every SVG the same element ids (``figure_1``, ``axes_1``,
    ...); they are prefixed with ``figure_id`` so that ids stay unique on a page
    holding several figures, and so are the references to them.  The root
    element carries ``--legible-width`` (see the module docstring).
    """
    for label in fig.findobj(Text):
        label.set_parse_math(False)  # also the texts made outside report_style()
    buf = io.StringIO()
    # a figure laid out by its layout engine already fits its canvas; cropping it to its
    # content (bbox_inches="tight") would draw it twice, once only to measure
    crop = None if fig.get_layout_engine() is not None else "tight"
    with plt.rc_context(_STYLE):  # type: ignore[arg-type]
        fig.savefig(buf, format="svg", bbox_inches=crop, metadata=_NO_METADATA, dpi=150)
    plt.close(fig)
    text = _PROLOGUE.sub("", buf.getvalue(), count=1)
    text = _ID.sub(lambda m: f'{m.group(1)}="{figure_id}-{m.group(2)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}#{figure_id}-{m.group(2)}", text)
    width = legible_width(text)
    text = text.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{figure_id}-caption" '
        f'style="--legible-width: {width}px" ',
        1,
    )
    return Markup(text)


def legible_width(svg: str) -> int:
    """The narrowest whole width (CSS px) at which every text of ``svg`` is drawn larger than
    :data:`LEGIBLE_TEXT_PX`.

    Matplotlib's SVG draws in points: the viewBox and each text's font size are
    in the same units, so a figure shown ``w`` CSS px wide draws a font of size
    ``f`` at ``f * w / viewBox width`` px.  The width is the first whole pixel
    strictly above the one where the smallest text reaches the legible size: at
    exactly that width (a whole number when the figure is 8 inches wide and its
    smallest text 8 points) the browser's arithmetic may draw it a hair under.
    0 when the figure has no text.
    """
    box = _VIEWBOX_WIDTH.search(svg)
    sizes = [float(s) for s in _FONT_SIZE.findall(svg)]
    if box is None or not sizes:
        return 0
    return math.floor(LEGIBLE_TEXT_PX * float(box.group(1)) / min(sizes)) + 1
