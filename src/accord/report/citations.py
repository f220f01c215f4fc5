"""Citations: each source id becomes a numbered link to its entry in the page's source list,
followed by the locators that pin the fact in that source (“…a few words…”)."""

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

    def __call__(self, citations: Iterable[str]) -> Markup:
        """``[1 “…locator…”, 2]`` as links to the source list, each source once, in the order
        of the list, with the locators that cite it (a :class:`~accord.model.citations.Citation`
        carries its locator as ``at``); empty markup for no source."""
        at: dict[str, list[str]] = {}
        for c in citations:
            found = at.setdefault(str(c), [])
            locator = getattr(c, "at", None)
            if locator and locator not in found:
                found.append(locator)
        if not at:
            return Markup("")
        parts = []
        for i in sorted(at, key=self._number.__getitem__):
            link = Markup('<a href="#{}" title="{}">{}</a>').format(
                source_anchor(i), f"source {i}", self._number[i]
            )
            quoted = Markup(" ").join(
                Markup('<q class="locator">…{}…</q>').format(x) for x in at[i]
            )
            parts.append(link + (Markup(" ") + quoted if at[i] else Markup("")))
        pinned = any(at.values())
        return Markup('<span class="cite{}">[{}]</span>').format(
            " pinned" if pinned else "", Markup(", ").join(parts)
        )

    def anchor(self, source_id: str) -> str:
        return source_anchor(source_id)

    @staticmethod
    def escape(text: str) -> Markup:
        return escape(text)
