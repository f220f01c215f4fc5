"""Citations: each source id becomes a numbered link to its entry in the page's source list."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from accord.model import Scenario

__all__ = ["Citations", "source_anchor"]


def source_anchor(source_id: str) -> str:
    """The element id of a source's entry in the source list."""
    return f"source-{source_id}"


class Citations:
    """Numbers the scenario's sources in the order it lists them and renders citation links."""

    def __init__(self, scenario: Scenario) -> None:
        self._number = {s.id: k for k, s in enumerate(scenario.sources, start=1)}

    def number(self, source_id: str) -> int:
        return self._number[source_id]

    def __call__(self, source_ids: Iterable[str]) -> Markup:
        """``[1, 2]`` as links to the source list; empty markup for no source."""
        ids = sorted(set(source_ids), key=self._number.__getitem__)
        if not ids:
            return Markup("")
        links = Markup(", ").join(
            Markup('<a href="#{}" title="{}">{}</a>').format(
                source_anchor(i), f"source {i}", self._number[i]
            )
            for i in ids
        )
        return Markup('<span class="cite">[{}]</span>').format(links)

    def anchor(self, source_id: str) -> str:
        return source_anchor(source_id)

    @staticmethod
    def escape(text: str) -> Markup:
        return escape(text)
