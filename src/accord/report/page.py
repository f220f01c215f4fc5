"""The page: sections rendered by Jinja2 templates (autoescaped) into one self-contained file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from accord.report.figures import Figure

__all__ = ["Section", "format_value", "render", "render_fragment"]


@dataclass(frozen=True)
class Section:
    """One section of the report: an anchor id, a heading, its HTML body and its figures."""

    id: str
    title: str
    body: Markup
    figures: tuple[Figure, ...] = field(default=())


_ENV = Environment(
    loader=PackageLoader("accord.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def _number(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}"


def _signed(x: float, digits: int = 3) -> str:
    return f"{x:+.{digits}f}"


def format_value(x: float | str) -> str:
    """An option's number as people write it (80,000; 2.5), or an option id unchanged."""
    if isinstance(x, str):
        return x
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,g}"


_ENV.filters["num"] = _number
_ENV.filters["fmt"] = format_value
_ENV.filters["signed"] = _signed


def render_fragment(template: str, **context: Any) -> Markup:
    """A section body from ``templates/<template>``; every value is escaped unless Markup."""
    return Markup(_ENV.get_template(template).render(**context))


def render(**context: Any) -> str:
    """The whole page from ``templates/report.html.j2``."""
    return _ENV.get_template("report.html.j2").render(**context)
