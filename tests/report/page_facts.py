"""What the tests read off a report page, parsed with the standard library's html.parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class PageFacts:
    ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, href/src value)
    svgs: int = 0
    figures: list[str] = field(default_factory=list)  # ids of <figure class="chart">
    captions: dict[str, str] = field(default_factory=dict)  # figure id -> caption text
    cite_targets: list[str] = field(default_factory=list)
    scripts: int = 0
    badges: dict[str, int] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    unclosed: list[str] = field(default_factory=list)
    sources_hrefs: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self.stack: list[str] = []
        self._caption_for: str | None = None
        self._in_cite = 0
        self._in_sources = False
        self._depth_sources = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in VOID:
            self.stack.append(tag)
        if "id" in a:
            self.facts.ids.append(a["id"])
        for key in ("href", "src", "xlink:href", "action", "poster", "data"):
            if key in a:
                self.facts.links.append((tag, a[key]))
                if self._in_sources and key == "href":
                    self.facts.sources_hrefs.append(a[key])
        if tag == "svg":
            self.facts.svgs += 1
        if tag == "script":
            self.facts.scripts += 1
        if tag == "figure" and "chart" in a.get("class", "").split():
            self.facts.figures.append(a["id"])
        if tag == "figcaption":
            self._caption_for = a.get("id", "").removesuffix("-caption")
            self.facts.captions[self._caption_for] = ""
        classes = a.get("class", "").split()
        if tag == "span" and "cite" in classes:
            self._in_cite = len(self.stack)
        if self._in_cite and tag == "a":
            self.facts.cite_targets.append(a.get("href", ""))
        if tag == "span" and "badge" in classes:
            for c in classes:
                if c != "badge":
                    self.facts.badges[c] = self.facts.badges.get(c, 0) + 1
        if tag == "ol" and "sources" in classes:
            self._in_sources = True
            self._depth_sources = len(self.stack)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.facts.unclosed.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        if self._in_cite and len(self.stack) == self._in_cite:
            self._in_cite = 0
        if self._in_sources and len(self.stack) == self._depth_sources:
            self._in_sources = False
        self.stack.pop()
        if tag == "figcaption":
            self._caption_for = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <path ... /> in inline SVG: a start tag that is also its end.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.facts.text.append(data)
        if self._caption_for is not None:
            self.facts.captions[self._caption_for] += data


def page_facts(html: str) -> PageFacts:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    if parser.stack:
        parser.facts.unclosed.append(f"still open at the end: {parser.stack}")
    return parser.facts
