"""Every locator checked against its source's text: what ``accord check`` verifies.

A scenario's *sourced statements* are its parts that carry a non-empty ``sources`` field (a
party, a representative, a position, a proposal, an event, a signal, ...): :func:`statements`
finds them all by walking the schema, so a section added later is counted without a list to
keep up to date. A statement *carries a locator* when at least one of its citations is pinned
(``{source: id, at: "..."}``, :mod:`accord.model.citations`).

A source's text is a file: the source's ``text_file``, relative to the scenario's folder, or,
given a folder of texts (``accord check --sources DIR``), ``DIR/<text_file>`` or
``DIR/<source id>.txt``. Each locator is looked for in its source's text after
:func:`~accord.model.citations.normalise`, as whole words; a locator that is not found is an
error at the locator, with the closest passage of the text (:func:`closest_passage`, difflib's
ratio over every run of as many words); a source whose locators cannot be checked because no
text is available is a warning at the source (nothing is verified, nothing is failed).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from accord.model.citations import Citation, normalise
from accord.model.files import decode, read_bytes
from accord.model.problems import Path, Problem, ScenarioError
from accord.model.schema import Scenario, Source

if TYPE_CHECKING:
    from accord.model.loader import LoadResult

__all__ = [
    "CitationCount",
    "Statement",
    "check_citations",
    "closest_passage",
    "count_citations",
    "find_texts",
    "statements",
    "verify_locators",
]


@dataclass(frozen=True)
class Statement:
    """A part of the scenario with citations: where it is (``path``) and what it cites."""

    path: Path
    citations: tuple[Citation, ...]

    @property
    def pinned(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.at is not None)


def _walk(node: Any, path: Path) -> Iterator[Statement]:
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            value = getattr(node, name)
            key = info.alias or name
            if key == "sources" and value and all(isinstance(c, Citation) for c in value):
                yield Statement(path, tuple(value))
            else:
                yield from _walk(value, (*path, key))
    elif isinstance(node, tuple | list):
        for k, item in enumerate(node):
            yield from _walk(item, (*path, k))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _walk(item, (*path, key))


def statements(scenario: Scenario) -> tuple[Statement, ...]:
    """Every sourced statement of ``scenario``, in the order of the file."""
    return tuple(_walk(scenario, ()))


@dataclass(frozen=True)
class CitationCount:
    """How much of a scenario is pinned to its sources, and what was verified.

    ``statements`` sourced statements, ``with_locator`` of them with at least one pinned
    citation; ``locators`` pinned citations in all, of which ``found`` were found in their
    source's text, ``missed`` were not, and ``unchecked`` could not be checked (no text
    available, or no check asked for). ``checked`` says whether the texts were looked for.
    """

    statements: int
    with_locator: int
    locators: int
    found: int = 0
    missed: int = 0
    checked: bool = False
    by_source: dict[str, int] = field(default_factory=dict)

    @property
    def without_locator(self) -> int:
        return self.statements - self.with_locator

    @property
    def unchecked(self) -> int:
        return self.locators - self.found - self.missed

    def __str__(self) -> str:
        head = (
            f"{self.with_locator} of {self.statements} sourced statements carry a locator "
            f"({self.locators} locators)"
        )
        if not self.checked:
            return head + "; not verified (give the sources' texts: --sources DIR)"
        tail = f"; {self.found} found in their sources' texts"
        if self.missed:
            tail += f", {self.missed} not found"
        if self.unchecked:
            tail += f", {self.unchecked} not checked (no text available)"
        return head + tail


def count_citations(scenario: Scenario) -> CitationCount:
    """The counts of :class:`CitationCount`, before any text is read."""
    found = statements(scenario)
    by_source = Counter(c.source for s in found for c in s.pinned)
    return CitationCount(
        statements=len(found),
        with_locator=sum(1 for s in found if s.pinned),
        locators=sum(by_source.values()),
        by_source=dict(by_source),
    )


def _candidates(source: Source, folder: FilePath | None, texts: FilePath | None) -> list[FilePath]:
    out = []
    if folder is not None and source.text_file:
        out.append(folder / source.text_file)
    if texts is not None:
        if source.text_file:
            out += [texts / source.text_file, texts / FilePath(source.text_file).name]
        out += [texts / f"{source.id}.txt", texts / f"{source.id}.md"]
    return out


def find_texts(
    scenario: Scenario, folder: FilePath | None, texts: FilePath | None
) -> tuple[dict[str, str], list[Problem]]:
    """The text of each source that locators cite, and a warning for each that has none.

    ``folder`` is the scenario's folder (None for an embedded scenario or a text), ``texts``
    the folder of ``--sources DIR``. A file that exists but cannot be read (a directory, too
    large, not UTF-8) is a warning that says why.
    """
    cited = count_citations(scenario).by_source
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for k, source in enumerate(scenario.sources):
        if source.id not in cited:
            continue
        where: Path = ("sources", k, "text_file") if source.text_file else ("sources", k)
        reason = "no text available"
        for path in _candidates(source, folder, texts):
            if not path.exists():
                continue
            try:
                out[source.id] = decode(read_bytes(path, str(path)), str(path))
                break
            except ScenarioError as e:
                reason = f"{path}: " + "; ".join(f"{p.found}" for p in e.problems)
        else:
            n = cited[source.id]
            expected = (
                f"the text of source {source.id!r}, to verify the {n} locator"
                f"{'s' if n != 1 else ''} citing it (its text_file, relative to the scenario, or "
                f"`accord check --sources DIR` with DIR/<text_file> or DIR/{source.id}.txt)"
            )
            problems.append(Problem(where, expected, reason, warning=True))
    return out, problems


def _occurs(locator: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(locator)}(?!\w)", text) is not None


_ANCHOR_BUDGET = 20_000
"""Occurrences of the locator's words around which passages are compared, at most (the rarest
words first): the closest passage of a locator in the largest text a file may hold (8 MiB) is
found in well under a second instead of minutes for a scan of every run of words."""


@dataclass(frozen=True)
class _Words:
    """A normalised text as words, with where each word occurs."""

    words: list[str]
    at: dict[str, list[int]]

    @classmethod
    def of(cls, text: str) -> _Words:
        words = normalise(text).split()
        at: dict[str, list[int]] = {}
        for k, w in enumerate(words):
            at.setdefault(w, []).append(k)
        return cls(words, at)

    def starts(self, wanted: list[str], size: int) -> list[int]:
        """Where the runs of ``size`` words that hold one of the ``wanted`` words (or, when the
        text has none of them, a word close to one) start: the rarest first, within
        :data:`_ANCHOR_BUDGET` occurrences."""
        anchors = {w for w in wanted if w in self.at}
        if not anchors:
            vocabulary = list(self.at)
            anchors = {m for w in wanted for m in difflib.get_close_matches(w, vocabulary, 3, 0.6)}
        out: set[int] = set()
        used = 0
        for w in sorted(anchors, key=lambda w: len(self.at[w])):
            if used and used + len(self.at[w]) > _ANCHOR_BUDGET:
                break
            used += len(self.at[w])
            for p in self.at[w]:
                out.update(range(max(0, p - size + 1), p + 1))
        return sorted(out)


def _closest(locator: str, text: _Words) -> str:
    want = normalise(locator)
    wanted = want.split()
    n = len(wanted)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(want)
    best, best_ratio = "", -1.0
    for size in (n, n - 1, n + 1):
        if size < 1:
            continue
        for start in text.starts(wanted, size):
            passage = " ".join(text.words[start : start + size])
            matcher.set_seq1(passage)
            if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = passage, ratio
    return best


def closest_passage(locator: str, text: str) -> str:
    """The run of the normalised ``text`` most like the normalised ``locator`` (difflib's ratio;
    the first of equals): of as many words, one fewer or one more, among the runs that hold one
    of the locator's words (or, when the text has none, a word close to one of them); ``""``
    when nothing in the text is close."""
    return _closest(locator, _Words.of(text))


def verify_locators(
    scenario: Scenario, texts: Mapping[str, str]
) -> tuple[CitationCount, list[Problem]]:
    """Each locator looked for in its source's text (``texts``: source id -> text): the
    counts, and an error at each locator not found, with the closest passage."""
    count = count_citations(scenario)
    normalised = {k: normalise(v) for k, v in texts.items()}
    indexed: dict[str, _Words] = {}
    found = 0
    problems = []
    for statement in statements(scenario):
        for j, c in enumerate(statement.citations):
            if c.at is None or c.source not in normalised:
                continue
            if _occurs(normalise(c.at), normalised[c.source]):
                found += 1
                continue
            if c.source not in indexed:
                indexed[c.source] = _Words.of(texts[c.source])
            passage = _closest(c.at, indexed[c.source])
            problems.append(
                Problem(
                    (*statement.path, "sources", j, "at"),
                    f"words that occur in the text of source {c.source!r}",
                    f"{c.at!r}, not in it; "
                    + (
                        f"the closest passage is “…{passage}…”"
                        if passage
                        else "no passage of the text shares a word with it"
                    ),
                )
            )
    return CitationCount(
        count.statements,
        count.with_locator,
        count.locators,
        found=found,
        missed=len(problems),
        checked=True,
        by_source=count.by_source,
    ), problems


def check_citations(
    loaded: LoadResult, texts: str | FilePath | None = None
) -> tuple[CitationCount, list[Problem]]:
    """``accord check``'s verification of a loaded scenario's locators, problems located.

    The texts are looked for when there is somewhere to look: the scenario's own folder (a
    scenario read from a file) or ``texts`` (``--sources DIR``). An embedded scenario without
    ``texts`` is only counted (:attr:`CitationCount.checked` is False).
    """
    folder = loaded.folder
    where = None if texts is None else FilePath(texts)
    if where is not None and not where.is_dir():
        problem = Problem(
            (), "a folder of the sources' texts (--sources DIR)", f"{where}: no such folder"
        )
        raise ScenarioError([problem.located(str(where), None, None)], str(where))
    if folder is None and where is None:
        return count_citations(loaded.scenario), []
    found, missing = find_texts(loaded.scenario, folder, where)
    count, misses = verify_locators(loaded.scenario, found)
    return count, loaded.located([*misses, *missing])
