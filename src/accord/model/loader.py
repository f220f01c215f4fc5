"""Reading scenario files: YAML or JSON in, an immutable :class:`Scenario` out, or every mistake.

One call either returns a whole, validated model or raises one
:class:`ScenarioError` that lists every problem found, each with the file,
the line and column, the path inside the document, what was expected and
what was found.  Nothing is half-loaded, dropped, clipped or renamed:
unknown keys and duplicate keys are errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import ValidationError

from accord.model.checks import check_scenario
from accord.model.conflict import check_conflict
from accord.model.estimates import check_estimates
from accord.model.plans import check_plans
from accord.model.problems import Path, Problem, ScenarioError
from accord.model.schema import Scenario

__all__ = [
    "SECTION_CHECKS",
    "EmbeddedScenario",
    "LoadResult",
    "dump_scenario",
    "embedded_scenarios",
    "load_scenario",
    "read_scenario",
    "scenario_from_data",
]

DEFAULT_SCENARIO = "cairo-2024"

# Cross-reference checks of each section; a section module adds its own here.
SECTION_CHECKS: list[Callable[[Scenario], list[Problem]]] = [
    check_scenario,
    check_plans,
    check_conflict,
    check_estimates,
]


@dataclass(frozen=True)
class LoadResult:
    """A loaded scenario, the warnings found while loading it, and where it came from."""

    scenario: Scenario
    warnings: tuple[Problem, ...]
    origin: str


@dataclass(frozen=True)
class EmbeddedScenario:
    name: str
    title: str
    description: str


# --- YAML with positions ---------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """YAML 1.1 SafeLoader, but only true/false are booleans (so `no`, `on` stay words)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _walk(
    node: yaml.Node, path: Path, out: dict[Path, tuple[int, int]], dups: list[Problem]
) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                dups.append(
                    Problem((*path, key), "each key once in a mapping", f"{key!r} again").located(
                        None, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    )
                )
            seen.add(key)
            _walk(value_node, (*path, key), out, dups)
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            _walk(item, (*path, k), out, dups)


def _positions(text: str) -> tuple[dict[Path, tuple[int, int]], list[Problem]]:
    """Line and column (1-based) of every path in a YAML (or JSON) document."""
    out: dict[Path, tuple[int, int]] = {}
    dups: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return out, dups
    if node is not None:
        _walk(node, (), out, dups)
    return out, dups


def _locate(problem: Problem, file: str | None, where: dict[Path, tuple[int, int]]) -> Problem:
    path = problem.path
    while path and path not in where:
        path = path[:-1]
    line, col = where.get(path, (None, None))
    if problem.line is not None:
        line, col = problem.line, problem.column
    return problem.located(file, line, col)


def _parse(text: str, file: str, is_json: bool) -> Any:
    if is_json:

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            return dict(items)  # duplicates are reported from the YAML composition

        try:
            return json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as e:
            raise ScenarioError(
                [Problem((), "valid JSON", e.msg).located(file, e.lineno, e.colno)], file
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        what = getattr(e, "problem", None) or str(e)
        raise ScenarioError(
            [Problem((), "valid YAML", str(what)).located(file, line, col)], file
        ) from None


# --- pydantic errors as problems ---------------------------------------------------------------


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _from_validation(error: ValidationError) -> Iterator[Problem]:
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        # pydantic adds the union member's name ("str", "tuple[...]", "function-after[...]")
        # to the location of union errors: keep only the document's own keys.
        path: Path = tuple(
            p
            for p in loc
            if isinstance(p, int)
            or not re.match(
                r"^(function-|tuple\[|dict\[|str$|float$|"
                r"int$|list\[|constrained-|lax-|json-)",
                str(p),
            )
        )
        kind = err["type"]
        msg = err["msg"]
        if kind == "missing":
            yield Problem(path, f"the required key {path[-1]!r}" if path else "a value", "nothing")
        elif kind == "extra_forbidden":
            yield Problem(
                path,
                "only the keys this section defines (see `accord schema`)",
                f"the unknown key {path[-1]!r}" if path else "an unknown key",
            )
        else:
            expected = re.sub(r"^(Input should be |Value error, |Assertion failed, )", "", msg)
            yield Problem(path, expected, _short(err.get("input")))


_PLAIN_WORDS = {
    "a valid tuple": "a list",
    "a valid list": "a list",
    "a valid dictionary": "a mapping",
    "a valid string": "text",
    "a valid number": "a number",
    "a valid integer": "a whole number",
    "a valid boolean": "true or false",
}


def _merge_alternatives(problems: list[Problem]) -> list[Problem]:
    """One problem per place: a union's failed alternatives become 'text or a list'."""
    merged: dict[tuple[Path, str], list[str]] = {}
    for p in problems:
        expected = _PLAIN_WORDS.get(p.expected, p.expected)
        alternatives = merged.setdefault((p.path, p.found), [])
        if expected not in alternatives:
            alternatives.append(expected)
    return [Problem(path, " or ".join(alts), found) for (path, found), alts in merged.items()]


def scenario_from_data(
    data: Any, *, file: str | None = None, text: str | None = None
) -> LoadResult:
    """Validate already-parsed data; ``text`` (the file's text) gives line numbers."""
    where, duplicate_keys = _positions(text) if text is not None else ({}, [])
    problems: list[Problem] = list(duplicate_keys)
    if not isinstance(data, dict):
        found = "an empty document" if data is None else type(data).__name__
        problems.append(Problem((), "a mapping with the keys accord, title, ...", found))
        raise ScenarioError([_locate(p, file, where) for p in problems], file)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as e:
        problems += _merge_alternatives(list(_from_validation(e)))
        raise ScenarioError([_locate(p, file, where) for p in problems], file) from None
    for check in SECTION_CHECKS:
        problems += check(scenario)
    located = [_locate(p, file, where) for p in problems]
    errors = [p for p in located if not p.warning]
    if errors:
        raise ScenarioError(errors, file)
    return LoadResult(scenario, tuple(p for p in located if p.warning), file or "<data>")


# --- files and embedded scenarios ----------------------------------------------------------------


def _embedded_dir() -> Any:
    return resources.files("accord") / "scenarios"


def embedded_scenarios() -> tuple[EmbeddedScenario, ...]:
    """The scenarios that ship inside accord, by name."""
    out = []
    for entry in sorted(_embedded_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yaml.load(entry.read_text(encoding="utf-8"), Loader=_Loader)
            out.append(
                EmbeddedScenario(
                    entry.name.removesuffix(".yaml"),
                    data.get("title", ""),
                    (data.get("description") or "").strip(),
                )
            )
    return tuple(out)


def read_scenario(source: str | FilePath | None = None) -> LoadResult:
    """Load a scenario with its warnings.

    ``source`` is None (the embedded ``cairo-2024``), the name of an embedded
    scenario (see :func:`embedded_scenarios`), or the path of a YAML or JSON file.
    """
    if source is None:
        source = DEFAULT_SCENARIO
    path = FilePath(source)
    names = {e.name for e in embedded_scenarios()}
    if isinstance(source, str) and source in names and not path.exists():
        entry = _embedded_dir() / f"{source}.yaml"
        text = entry.read_text(encoding="utf-8")
        label = f"{source} (embedded)"
        is_json = False
    else:
        label = str(path)
        if not path.exists():
            raise ScenarioError(
                [
                    Problem(
                        (),
                        f"an existing file, or an embedded scenario ({', '.join(sorted(names))})",
                        "no such file",
                    ).located(label, None, None)
                ],
                label,
            )
        if path.is_dir():
            raise ScenarioError(
                [Problem((), "a scenario file", "a directory").located(label, None, None)], label
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            raise ScenarioError(
                [
                    Problem((), "a UTF-8 text file", f"undecodable bytes at {e.start}").located(
                        label, None, None
                    )
                ],
                label,
            ) from None
        is_json = path.suffix.lower() == ".json"
    data = _parse(text, label, is_json)
    return scenario_from_data(data, file=label, text=text)


def load_scenario(source: str | FilePath | None = None) -> Scenario:
    """Load a scenario (see :func:`read_scenario`); warnings are available from that function."""
    return read_scenario(source).scenario


def dump_scenario(scenario: Scenario, path: str | FilePath) -> None:
    """Write a scenario as YAML (``.yaml``/``.yml``) or JSON (``.json``) that loads back equal."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"accord": scenario.accord, **data}
    path = FilePath(path)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
