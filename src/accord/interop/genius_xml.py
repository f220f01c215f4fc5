"""Reading GENIUS's XML domain and utility-profile files, safely and exactly.

GENIUS (Lin, Hindriks, Jonker et al. 2014, "Genius: an integrated environment for supporting
the design of generic automated negotiators", *Computational Intelligence* 30(1)) keeps a
negotiation domain in one XML file (root ``negotiation_template``) and each party's additive
utility profile in another (root ``utility_space``).  This module reads both into plain
frozen values, every number as the exact decimal written (``Fraction``), and refuses what it
cannot read exactly, each refusal a :class:`~accord.model.problems.ScenarioError` naming the
file, the element (its path in the file) and what was expected and found:

* the XML is parsed by ``defusedxml`` with DTDs forbidden (no entity expansion, no external
  entity, no network), after the file-size limit of :mod:`accord.limits` (``MAX_FILE_SIZE``);
* a value without an evaluation, an evaluation for a value the domain does not have, a number
  that does not parse, weights that do not sum to one (within ``WEIGHT_SUM_TOL``), a missing
  weight: each refused;
* constructs outside additive utilities are refused by name: ANAC 2014's hyper-rectangle
  (constraint-based) utilities, nested objectives (hierarchical weights), and real-issue
  evaluators other than ``linear`` and ``constant``.

Semantics follow GENIUS's evaluators (``genius.core.utility``): a discrete evaluation is
divided by the issue's largest evaluation; an integer issue's utility is
``offset + slope * (x - lowerbound)`` and a real issue's ``parameter0 + parameter1 * x``,
each clipped to [0, 1].
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

from accord.model.files import decode, read_bytes
from accord.model.problems import Problem, ScenarioError

__all__ = [
    "WEIGHT_SUM_TOL",
    "GeniusDomain",
    "GeniusIssue",
    "GeniusProfile",
    "LinearEvaluator",
    "read_genius_file",
]

WEIGHT_SUM_TOL = Fraction(1, 10**3)
"""How far from 1 a profile's weights may sum: ANAC's files are rounded (2011's Laptop sums to
1.0000518); accord divides by the sum, and the imported file says so when it is not 1."""

IssueKind = Literal["discrete", "integer", "real"]
ElementPath = tuple[str, ...]


@dataclass(frozen=True)
class GeniusIssue:
    """One issue of a domain: a discrete issue's values, or a numeric issue's bounds."""

    index: str
    name: str
    kind: IssueKind
    values: tuple[str, ...] = ()
    lower: Fraction = Fraction(0)
    upper: Fraction = Fraction(0)


@dataclass(frozen=True)
class GeniusDomain:
    file: str
    issues: tuple[GeniusIssue, ...]


@dataclass(frozen=True)
class LinearEvaluator:
    """``clip(offset + slope * (x - shift), 0, 1)``; ``constant`` (a real issue's constant
    evaluator) means ``offset`` everywhere, unclipped, as GENIUS computes it."""

    offset: Fraction
    slope: Fraction
    shift: Fraction
    constant: bool = False

    def at(self, x: Fraction) -> Fraction:
        if self.constant:
            return self.offset
        return min(Fraction(1), max(Fraction(0), self.offset + self.slope * (x - self.shift)))


@dataclass(frozen=True)
class GeniusProfile:
    """One party's additive utility profile; issue keys are the issues' ``index``."""

    file: str
    weights: dict[str, Fraction]
    evaluations: dict[str, dict[str, Fraction]]
    evaluators: dict[str, LinearEvaluator]
    reservation: Fraction | None
    discount: Fraction | None


class _Reader:
    """Problems are raised at once, located by the file and the element's path."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: ElementPath, expected: str, found: str) -> ScenarioError:
        problem = Problem(where, expected, found).located(self.file, None, None)
        return ScenarioError([problem], self.file)

    def number(self, element: Element, attribute: str, where: ElementPath) -> Fraction:
        text = element.get(attribute)
        if text is None:
            raise self.fail(where, f"an attribute {attribute!r} (a number)", "none")
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise self.fail((*where, f"@{attribute}"), "a finite decimal number", repr(text))
        return Fraction(value)

    def optional_number(
        self, element: Element, attribute: str, where: ElementPath
    ) -> Fraction | None:
        return None if element.get(attribute) is None else self.number(element, attribute, where)


def _parse(path: Path, label: str) -> Element:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    text = decode(read_bytes(path, label), label)
    try:
        root: Element = fromstring(text, forbid_dtd=True)
    except ParseError as e:
        line, column = e.position
        problem = Problem((), "well-formed XML", str(e).split(":")[0]).located(label, line, column)
        raise ScenarioError([problem], label) from None
    except DefusedXmlException as e:
        problem = Problem((), "plain XML without a DTD or entities", type(e).__name__)
        raise ScenarioError([problem.located(label, None, None)], label) from None
    return root


def _named(element: Element) -> str:
    name = element.get("name") or element.get("value") or element.get("index") or ""
    return f"{element.tag} {name!r}" if name else element.tag


def _issues(root: Element) -> Iterator[tuple[Element, ElementPath]]:
    for objective in root.iter("objective"):
        for issue in objective.findall("issue"):
            yield issue, (root.tag, _named(objective), _named(issue))


# ANAC 2014's profiles: <utility_function maxutility=...><ufun type="PlainUfun"><hyperRectangle
# utility=...><INCLUDES index= min= max=/>... (a utility added when a package is inside a box)
_NON_ADDITIVE = ("utility_function", "utility", "ufun", "hyperrectangle", "constraint")


def _refuse_non_additive(reader: _Reader, root: Element) -> None:
    """ANAC 2014's hyper-rectangle utilities and nested objectives are not additive."""
    for element in root.iter():
        if element.tag.lower() in _NON_ADDITIVE:
            raise reader.fail(
                (root.tag, element.tag),
                "an additive (linear) utility space: accord does not read hyper-rectangle "
                "(constraint-based, ANAC 2014) utility functions",
                f"a <{element.tag}> element",
            )
    kind = root.get("type")
    if root.tag == "utility_space" and kind not in (None, "", "linear", "additive"):
        raise reader.fail(
            (root.tag, "@type"), "an additive utility space (type 'linear')", repr(kind)
        )
    for objective in root.iter("objective"):
        inner = objective.find("objective")
        if inner is not None:
            raise reader.fail(
                (root.tag, _named(objective), _named(inner)),
                "one level of issues under the objective",
                "a nested objective (a hierarchy of weights)",
            )


def _bounds(
    reader: _Reader, issue: Element, where: ElementPath, kind: IssueKind
) -> tuple[Fraction, Fraction]:
    holder = issue.find("range") if issue.get("lowerbound") is None else issue
    if holder is None:
        raise reader.fail(where, f"the bounds of the {kind} issue (lowerbound, upperbound)", "none")
    lower = reader.number(holder, "lowerbound", where)
    upper = reader.number(holder, "upperbound", where)
    if upper < lower or (kind == "integer" and (lower.denominator, upper.denominator) != (1, 1)):
        found = f"{float(lower):g} to {float(upper):g}"
        raise reader.fail(where, f"{kind} bounds with lowerbound <= upperbound", found)
    return lower, upper


def _kind(reader: _Reader, issue: Element, where: ElementPath) -> IssueKind:
    kind = (issue.get("type") or issue.get("etype") or issue.get("vtype") or "").lower()
    if kind not in ("discrete", "integer", "real"):
        raise reader.fail((*where, "@type"), "an issue type: discrete, integer or real", repr(kind))
    return kind  # type: ignore[return-value]


def _domain(reader: _Reader, root: Element) -> GeniusDomain:
    issues: list[GeniusIssue] = []
    seen: set[str] = set()
    for issue, where in _issues(root):
        kind = _kind(reader, issue, where)
        index, name = issue.get("index"), issue.get("name")
        if not index or not name or index in seen:
            raise reader.fail(where, "an issue with a unique index and a name", _named(issue))
        seen.add(index)
        if kind == "discrete":
            values = tuple(item.get("value") or "" for item in issue.findall("item"))
            if not values or "" in values or len(set(values)) != len(values):
                raise reader.fail(where, "items with distinct, non-empty values", repr(values))
            issues.append(GeniusIssue(index, name, kind, values))
        else:
            issues.append(GeniusIssue(index, name, kind, (), *_bounds(reader, issue, where, kind)))
    if not issues:
        raise reader.fail((root.tag,), "at least one <issue> under an <objective>", "none")
    return GeniusDomain(reader.file, tuple(issues))


def _evaluator(
    reader: _Reader, issue: Element, where: ElementPath, kind: IssueKind
) -> LinearEvaluator:
    found = issue.find("evaluator")
    lower, _ = _bounds(reader, issue, where, kind)
    if found is None:  # GENIUS's EvaluatorInteger starts at slope 0, offset 0
        return LinearEvaluator(Fraction(0), Fraction(0), lower)
    at = (*where, "evaluator")
    if kind == "integer":
        slope, offset = reader.number(found, "slope", at), reader.number(found, "offset", at)
        return LinearEvaluator(offset, slope, lower)
    ftype = (found.get("ftype") or "").lower()
    if ftype == "linear":
        offset, slope = (
            reader.number(found, "parameter0", at),
            reader.number(found, "parameter1", at),
        )
        return LinearEvaluator(offset, slope, Fraction(0))
    if ftype == "constant":
        return LinearEvaluator(
            reader.number(found, "parameter0", at), Fraction(0), Fraction(0), True
        )
    raise reader.fail((*at, "@ftype"), "a real issue's evaluator: linear or constant", repr(ftype))


def _evaluations(reader: _Reader, issue: Element, where: ElementPath) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for item in issue.findall("item"):
        at = (*where, _named(item))
        value = item.get("value")
        if not value or value in out:
            raise reader.fail(at, "an item with a value named once", repr(value))
        out[value] = reader.number(item, "evaluation", at)
        if out[value] < 0:
            raise reader.fail((*at, "@evaluation"), "an evaluation >= 0", str(float(out[value])))
    return out


def _weights(reader: _Reader, root: Element, indices: set[str]) -> dict[str, Fraction]:
    weights: dict[str, Fraction] = {}
    for objective in root.iter("objective"):
        for weight in objective.findall("weight"):
            at = (root.tag, _named(objective), _named(weight))
            index = weight.get("index") or ""
            if index not in indices:
                raise reader.fail(at, "a weight for an issue's index", repr(index))
            weights[index] = reader.number(weight, "value", at)
            if weights[index] < 0:
                raise reader.fail(at, "a weight >= 0", str(float(weights[index])))
    missing = sorted(indices - set(weights))
    if missing:
        raise reader.fail((root.tag,), "a <weight> for every issue", f"none for index {missing}")
    total = sum(weights.values(), Fraction(0))
    if abs(total - 1) > WEIGHT_SUM_TOL:
        raise reader.fail(
            (root.tag, "weight"),
            f"weights summing to 1 (within {float(WEIGHT_SUM_TOL):g})",
            f"a sum of {float(total):.10g}",
        )
    return weights


def _value_of(reader: _Reader, root: Element, tag: str) -> Fraction | None:
    element = root.find(tag)
    return None if element is None else reader.number(element, "value", (root.tag, tag))


def _profile(reader: _Reader, root: Element) -> GeniusProfile:
    _refuse_non_additive(reader, root)
    evaluations: dict[str, dict[str, Fraction]] = {}
    evaluators: dict[str, LinearEvaluator] = {}
    for issue, where in _issues(root):
        kind, index = _kind(reader, issue, where), issue.get("index") or ""
        if kind == "discrete":
            evaluations[index] = _evaluations(reader, issue, where)
        else:
            evaluators[index] = _evaluator(reader, issue, where, kind)
    weights = _weights(reader, root, set(evaluations) | set(evaluators))
    reservation = _value_of(reader, root, "reservation")
    discount = _value_of(reader, root, "discount_factor")
    if reservation is not None and not 0 <= reservation <= 1:
        raise reader.fail((root.tag, "reservation"), "a value in [0, 1]", str(float(reservation)))
    if discount is not None and not 0 < discount <= 1:
        raise reader.fail((root.tag, "discount_factor"), "a value in (0, 1]", str(float(discount)))
    return GeniusProfile(reader.file, weights, evaluations, evaluators, reservation, discount)


def read_genius_file(path: Path) -> GeniusDomain | GeniusProfile:
    """A GENIUS domain (root ``negotiation_template``) or profile (root ``utility_space``)."""
    label = str(path)
    reader = _Reader(label)
    root = _parse(path, label)
    if root.tag == "negotiation_template":
        space = root.find("utility_space")
        return _domain(reader, root if space is None else space)
    if root.tag == "utility_space":
        return _profile(reader, root)
    raise reader.fail(
        (root.tag,), "a GENIUS domain (negotiation_template) or profile (utility_space)", root.tag
    )
