"""Small template helpers: look a key up in a mapping, format a utility as points."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    """``values|get:"points:truce"``: the mapping's value for a key ('' when absent)."""
    if mapping is None:
        return ""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def points(utility: float | None) -> str:
    """A utility (0 to 1) as points out of 100, one decimal."""
    return "" if utility is None else f"{utility * 100:.1f}"


@register.filter
def signed_points(change: float | None) -> str:
    return "" if change is None else f"{change * 100:+.1f}"


@register.simple_tag
def field(prefix: str, *parts: Any) -> str:
    """The name of a form field: ``{% field "ratings" issue.id option.value %}``."""
    return ":".join([prefix, *(str(p) for p in parts)])
