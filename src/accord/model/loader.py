"""Reading scenario files: YAML or JSON in, an immutable :class:`Scenario` out, or every mistake.

One call either returns a whole, validated model or raises one
:class:`ScenarioError` that lists every problem found, each with the file,
the line and column, the path inside the document, what was expected and
what was found.  Nothing is half-loaded, dropped, clipped or renamed:
unknown keys and duplicate keys are errors.

The way in, step by step: the file is read (regular files only, within a size limit:
:mod:`accord.model.files`), parsed once (:mod:`accord.model.yaml_reader`,
:mod:`accord.model.json_reader`: limits on nesting and aliases, one reading of values),
validated against the schema (:mod:`accord.model.schema`), and checked across sections
(:data:`SECTION_CHECKS`). When the schema fails, the parts that can be read are still checked
across sections (:mod:`accord.model.sections`), so an unknown key hides no other mistake.
Positions are attached last, only to the problems found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import ValidationError

from accord.embedded import embedded_dir, embedded_names
from accord.model.checks import check_scenario
from accord.model.conflict_checks import check_conflict
from accord.model.document import Document
from accord.model.evidence_checks import check_evidence
from accord.model.files import check_size, decode, read_bytes
from accord.model.json_reader import read_json
from accord.model.plan_checks import check_plans
from accord.model.preference_checks import check_estimates, check_preferences
from accord.model.problems import Problem, ScenarioError
from accord.model.refs import Known, did_you_mean
from accord.model.schema import Scenario
from accord.model.sections import Readable, readable_part
from accord.model.signals import check_signals
from accord.model.yaml_reader import read_yaml

__all__ = [
    "SECTION_CHECKS",
    "EmbeddedScenario",
    "LoadResult",
    "dump_scenario",
    "embedded_scenarios",
    "load_scenario",
    "read_scenario",
    "scenario_from_data",
    "scenario_from_text",
    "yaml_text",
]

DEFAULT_SCENARIO = "cairo-2024"

SectionCheck = Callable[[Scenario, Known], list[Problem]]

SECTION_CHECKS: tuple[SectionCheck, ...] = (
    check_scenario,
    check_preferences,
    check_estimates,
    check_plans,
    check_conflict,
    check_evidence,
    check_signals,
)
"""The cross-reference checks, each over the whole scenario and the ids it defines."""


@dataclass(frozen=True)
class LoadResult:
    """A loaded scenario, the warnings found while loading it, and where it came from.

    ``document`` is the parsed file (to locate problems found later, such as a locator not
    found in its source); ``folder`` the folder of the scenario's file (None for an embedded
    scenario or a text), where the sources' ``text_file`` are looked for.
    """

    scenario: Scenario
    warnings: tuple[Problem, ...]
    origin: str
    document: Document | None = field(default=None, repr=False, compare=False)
    folder: FilePath | None = None

    def located(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems`` found on the loaded scenario, with the file's line and column."""
        if self.document is None:
            return [p.located(self.origin, None, None) for p in problems]
        return _located(problems, self.document)


@dataclass(frozen=True)
class EmbeddedScenario:
    name: str
    title: str
    description: str


def _located(problems: Iterable[Problem], document: Document) -> list[Problem]:
    out = []
    for p in problems:
        if p.line is None:
            line, column = document.locate(p.path)
            p = p.located(document.file, line, column)
        elif p.file is None:
            p = p.located(document.file, p.line, p.column)
        out.append(p)
    return out


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _validate(document: Document, found: list[Problem]) -> LoadResult:
    """The scenario the document holds, or every problem of it (``found``: the reader's)."""
    data, file = document.data, document.file
    problems = list(found)
    if not isinstance(data, dict):
        what = "an empty document" if data is None else type(data).__name__
        problems.append(Problem((), "a mapping with the keys accord, title, ...", what))
        raise ScenarioError(_located(problems, document), file)
    readable: Readable | None = None
    try:
        scenario: Scenario | None = Scenario.model_validate(data)
        known = Known.of(scenario) if scenario is not None else None
    except ValidationError:
        readable = readable_part(data)
        problems += readable.problems
        scenario, known = readable.scenario, readable.known
    if scenario is not None and known is not None:
        for check in SECTION_CHECKS:
            more = check(scenario, known)
            problems += more if readable is None else [readable.in_file(p) for p in more]
    located = _unique(_located(problems, document))
    errors = [p for p in located if not p.warning]
    if errors or scenario is None or readable is not None:
        raise ScenarioError(errors or located, file)
    return LoadResult(scenario, tuple(p for p in located if p.warning), file, document)


def _parse(text: str, file: str, is_json: bool) -> tuple[Document, list[Problem]]:
    return read_json(text, file) if is_json else read_yaml(text, file)


def scenario_from_text(text: str | bytes, *, file: str, is_json: bool = False) -> LoadResult:
    """Load a scenario from a file's text (YAML, or JSON with ``is_json``); ``file`` names it.

    The same path as :func:`read_scenario` after the file is read: bytes are decoded as UTF-8
    (the size limit of :mod:`accord.limits` applies to them), and every limit of the format
    holds. For uploads and other text that does not come from a file on disk.
    """
    if isinstance(text, bytes):
        check_size(file, len(text))
        text = decode(text, file)
    else:
        check_size(file, len(text.encode("utf-8", "surrogatepass")))
    return _validate(*_parse(text.removeprefix("\ufeff"), file, is_json))


def scenario_from_data(
    data: Any, *, file: str | None = None, text: str | None = None
) -> LoadResult:
    """Validate already-parsed data; ``text`` (the file's YAML or JSON text) gives line numbers."""
    label = file or "<data>"
    document = Document(data, label)
    if text is not None:
        parsed, _ = _parse(text, label, is_json=text.lstrip().startswith(("{", "[")))
        if parsed.data == data:
            document = parsed
    result = _validate(document, [])
    return result if file is not None else LoadResult(result.scenario, result.warnings, "<data>")


# --- files and embedded scenarios ----------------------------------------------------------------


def embedded_scenarios() -> tuple[EmbeddedScenario, ...]:
    """The scenarios that ship inside accord, by name."""
    out = []
    for entry in sorted(embedded_dir().iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = read_yaml(entry.read_text(encoding="utf-8"), entry.name)[0].data
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
    scenario (see :func:`embedded_scenarios`), or the path of a YAML or JSON file
    (``.json`` is read as JSON, anything else as YAML).
    """
    if source is None:
        source = DEFAULT_SCENARIO
    path = FilePath(source)
    names = embedded_names()
    if isinstance(source, str) and source in names and not _exists(path):
        text = (embedded_dir() / f"{source}.yaml").read_text(encoding="utf-8")
        return _validate(*read_yaml(text, f"{source} (embedded)"))
    label = str(path)
    if not _exists(path):
        hint = did_you_mean(str(source), names) if isinstance(source, str) else ""
        problem = Problem(
            (),
            f"an existing file, or an embedded scenario ({', '.join(names)})",
            f"no such file{hint}",
        )
        raise ScenarioError([problem.located(label, None, None)], label)
    text = decode(read_bytes(path, label), label)
    result = _validate(*_parse(text, label, is_json=path.suffix.lower() == ".json"))
    return replace(result, folder=path.parent)


def _exists(path: FilePath) -> bool:
    """Whether something is at ``path`` (a path the system cannot even look up is not)."""
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):
        return False


def load_scenario(source: str | FilePath | None = None) -> Scenario:
    """Load a scenario (see :func:`read_scenario`); warnings are available from that function."""
    return read_scenario(source).scenario


class _Dumper(yaml.SafeDumper):
    """YAML written so that :mod:`accord.model.yaml_reader` reads it back the same: text that
    YAML 1.2 would read as a number (``1e5``, ``0o17``) is quoted."""


for _pattern in (r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?", r"0o[0-7]+"):
    _Dumper.add_implicit_resolver(
        "tag:yaml.org,2002:float", re.compile(f"^(?:{_pattern})$"), list("-+.0123456789")
    )


def yaml_text(data: Any) -> str:
    """File data as YAML that :func:`read_scenario` reads back the same."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def dump_scenario(scenario: Scenario, path: str | FilePath) -> None:
    """Write a scenario as YAML (``.yaml``/``.yml``) or JSON (``.json``) that loads back equal."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"accord": scenario.accord, **data}
    path = FilePath(path)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path.write_text(yaml_text(data), encoding="utf-8")
