"""Every call the service makes into accord's engine, in one place.

The service is a view: it reads scenarios with accord's loader and asks accord's orchestration
layer (:class:`accord.run.Analysis`) for the analyses of a case; nothing in accord calls back.
Where the service may use only some parties' numbers (a party's own page, a comparison shown
to the mediators), it compiles those parties alone with
``accord.space.compile_space(..., negotiator_ids=...)``.

The shared part of a case is an accord scenario without the sections that hold preferences
(``preferences``, and the phased-deal and conflict sections, whose valuations and
prioritisations are estimates of what parties want). A party's private preferences become an
accord ``preferences`` entry only here, for the parties whose numbers the caller may use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.compare import Comparison, compare_packages
from accord.errors import LimitExceeded
from accord.limits import SERVICE_MAX_ISSUES, SERVICE_MAX_OPTIONS, SERVICE_MAX_PARTIES
from accord.model import (
    Issue,
    Problem,
    Scenario,
    ScenarioError,
    embedded_scenarios,
    read_scenario,
)
from accord.model import scenario_from_data as _validate
from accord.model.checks import resolve_option
from accord.space import CompiledSpace, compile_issue, compile_space

if TYPE_CHECKING:
    from accord.calibrate import Calibration
    from accord.run import Analysis

__all__ = [
    "ANALYSES_KEPT",
    "PRIVATE_SECTIONS",
    "calibration",
    "case_analysis",
    "case_document",
    "compare_for",
    "embedded_choices",
    "export_scenario",
    "load_shared",
    "option_index",
    "option_labels",
    "own_utilities",
    "package_count",
    "package_indices",
    "package_utility",
    "report_html",
    "scenario_from_embedded",
    "scenario_from_form",
    "scenario_from_upload",
    "scenario_yaml",
    "shared_part",
    "space_for",
    "with_preferences",
]

PRIVATE_SECTIONS = ("preferences", "valuations", "items", "plans", "conflict")
"""Sections of a scenario file that a case does not carry into its shared part."""


def embedded_choices() -> list[tuple[str, str]]:
    """(name, title) of each scenario that ships inside accord."""
    return [(e.name, e.title) for e in embedded_scenarios()]


def scenario_from_embedded(name: str) -> Scenario:
    return read_scenario(name).scenario


def scenario_from_upload(filename: str, data: bytes) -> Scenario:
    """An uploaded YAML or JSON scenario file, read by accord's own loader.

    Raises ScenarioError with every problem (line and column) found; the caller checks the
    size limit before reading the upload.
    """
    suffix = ".json" if filename.lower().endswith(".json") else ".yaml"
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read_scenario(path).scenario
        except ScenarioError as e:
            problems = [p.located(filename, p.line, p.column) for p in e.problems]
            raise ScenarioError(problems, filename) from None


def scenario_from_form(data: Mapping[str, Any]) -> Scenario:
    """A scenario built from the service's form (already shaped as a scenario document)."""
    return _validate(dict(data), file="the form").scenario


def _check_size(scenario: Scenario, origin: str) -> None:
    problems = []
    negotiators = scenario.negotiators
    if len(negotiators) > SERVICE_MAX_PARTIES:
        problems.append(
            Problem(
                ("parties",),
                f"at most {SERVICE_MAX_PARTIES} negotiating parties (accord.limits."
                "SERVICE_MAX_PARTIES)",
                str(len(negotiators)),
            )
        )
    if len(scenario.issues) > SERVICE_MAX_ISSUES:
        problems.append(
            Problem(
                ("issues",),
                f"at most {SERVICE_MAX_ISSUES} issues (accord.limits.SERVICE_MAX_ISSUES)",
                str(len(scenario.issues)),
            )
        )
    for k, issue in enumerate(scenario.issues):
        if issue.size > SERVICE_MAX_OPTIONS:
            problems.append(
                Problem(
                    ("issues", k),
                    f"at most {SERVICE_MAX_OPTIONS} options or range steps "
                    "(accord.limits.SERVICE_MAX_OPTIONS)",
                    str(issue.size),
                )
            )
    if problems:
        raise LimitExceeded(str(ScenarioError(problems, origin)))


def shared_part(scenario: Scenario, origin: str) -> dict[str, Any]:
    """The part of a scenario every participant of a case may see, as a scenario document.

    Raises ScenarioError when it cannot host a negotiation (fewer than two negotiators, no
    issue) and LimitExceeded when it is larger than the service's limits.
    """
    problems = []
    if len(scenario.negotiators) < 2:
        problems.append(
            Problem(
                ("parties",),
                "at least two parties with role 'negotiator'",
                str(len(scenario.negotiators)),
            )
        )
    if not scenario.issues:
        problems.append(Problem(("issues",), "at least one issue", "none"))
    if problems:
        raise ScenarioError(problems, origin)
    _check_size(scenario, origin)
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for section in PRIVATE_SECTIONS:
        data.pop(section, None)
    return {"accord": scenario.accord, **data}


def load_shared(shared: Mapping[str, Any]) -> Scenario:
    """The stored shared part of a case as a validated scenario."""
    return _validate(dict(shared), file="the case's shared part").scenario


def with_preferences(
    shared: Mapping[str, Any], preferences: Mapping[str, Mapping[str, Any]]
) -> Scenario:
    """The shared part plus the given parties' preferences (scenario ``preferences`` entries)."""
    data = dict(shared)
    data["preferences"] = {pid: dict(p) for pid, p in preferences.items()}
    return _validate(data, file="the case").scenario


def option_labels(issue: Issue) -> tuple[str, ...]:
    """Every option of an issue as a package names it: option ids, or a range's numbers."""
    return compile_issue(issue).labels


def option_index(scenario: Scenario, issue_id: str, value: str | float) -> int | None:
    """The index of an option (or a range's step) on an issue, or None when it names none."""
    return resolve_option(scenario.issue(issue_id), value)[0]


def space_for(scenario: Scenario, party_ids: Sequence[str]) -> CompiledSpace:
    """The utility tables of the named parties only (each must have preferences): a party's
    own page compiles its own preferences alone."""
    return compile_space(scenario, negotiator_ids=tuple(party_ids))


def package_count(scenario: Scenario) -> int:
    """How many packages the case's issues make (every combination of options)."""
    total = 1
    for issue in scenario.issues:
        total *= issue.size
    return total


def package_indices(scenario: Scenario, package: Mapping[str, str | float]) -> tuple[int, ...]:
    """A package (issue id -> option id or number) as option indices, in issue order."""
    out = []
    for issue in scenario.issues:
        index = option_index(scenario, issue.id, package[issue.id])
        if index is None:
            raise KeyError(f"{package[issue.id]!r} is not an option of {issue.id!r}")
        out.append(index)
    return tuple(out)


def package_utility(
    space: CompiledSpace, scenario: Scenario, package: Mapping[str, Any]
) -> list[float]:
    """Each of the space's parties' utility (0 to 1) of a package."""
    row = space.utility(np.array([package_indices(scenario, package)]))[0]
    return [round(float(u), 9) for u in row]


def own_utilities(
    shared: Mapping[str, Any],
    party_id: str,
    preferences: Mapping[str, Any],
    packages: Sequence[Mapping[str, Any]],
) -> list[float]:
    """One party's utility (0 to 1) of each package, by its own preferences alone."""
    if not packages:
        return []
    scenario = with_preferences(shared, {party_id: preferences})
    space = space_for(scenario, [party_id])
    rows = np.array([package_indices(scenario, p) for p in packages])
    return [round(float(u), 9) for u in space.utility(rows)[:, 0]]


def compare_for(
    scenario: Scenario,
    party_ids: Sequence[str],
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    *,
    a_label: str,
    b_label: str,
) -> Comparison:
    """Package ``b`` against ``a`` issue by issue, with the named parties' gains only."""
    space = space_for(scenario, party_ids)
    return compare_packages(
        space,
        package_indices(scenario, a),
        package_indices(scenario, b),
        a_label=a_label,
        b_label=b_label,
    )


def _proposal_id(wanted: str, taken: set[str]) -> str:
    pid = wanted
    while pid in taken:
        pid += "-case"
    taken.add(pid)
    return pid


def case_document(
    shared: Mapping[str, Any],
    *,
    case_title: str,
    drafts: Sequence[Mapping[str, Any]],
    preferences: Mapping[str, Mapping[str, Any]],
    dated: dt.date,
    records: Sequence[Mapping[str, Any]] = (),
    events: Sequence[Mapping[str, Any]] = (),
) -> tuple[dict[str, Any], dict[int, str]]:
    """The case as an accord scenario document, and the proposal id of each draft number.

    The shared part; each draft as a proposal (with an event on the timeline, and the
    parties' ``responses`` when the draft record carries them); ``records`` (the agreement and
    the improvements offered after it: ``id``, ``name``, ``date``, ``package``, ``status``,
    ``description``, ``responses``) as further proposals; ``events`` (``date``,
    ``text``) on the timeline; and the given parties' preferences. Proposals are tabled by
    the scenario's mediating parties; when it has none, a party ``case-mediators`` (role
    mediator) is added. A source ``accord-serve`` names the case.
    """
    data = dict(shared)
    parties = list(data.get("parties", []))
    mediators = [p["id"] for p in parties if p.get("role") == "mediator"]
    if not mediators:
        parties.append({"id": "case-mediators", "name": "The case's mediators", "role": "mediator"})
        mediators = ["case-mediators"]
    by: str | list[str] = mediators[0] if len(mediators) == 1 else mediators
    source = {
        "id": "accord-serve",
        "outlet": "accord serve",
        "title": f"The mediated case {case_title!r}",
        "date": dated.isoformat(),
        "note": "Drafts published and preferences entered in the service.",
    }
    proposals = list(data.get("proposals", []))
    taken = {p["id"] for p in proposals}
    timeline = list(data.get("events", []))
    ids: dict[int, str] = {}
    for d in drafts:
        ids[int(d["number"])] = pid = _proposal_id(f"draft-{d['number']}", taken)
        proposals.append(
            {
                "id": pid,
                "name": f"Draft {d['number']} of the mediators",
                "date": d["date"],
                "by": by,
                "package": dict(d["package"]),
                "status": "draft published in accord serve",
                "sources": ["accord-serve"],
                **({"description": d["note"]} if d.get("note") else {}),
                **({"responses": dict(d["responses"])} if d.get("responses") else {}),
            }
        )
        timeline.append(
            {
                "date": d["date"],
                "text": f"The mediators publish draft {d['number']}.",
                "sources": ["accord-serve"],
            }
        )
    for r in records:
        record = {k: v for k, v in r.items() if v not in (None, "")}
        record["id"] = _proposal_id(str(r["id"]), taken)
        proposals.append({**record, "by": by, "sources": ["accord-serve"]})
    timeline += [{**dict(e), "sources": ["accord-serve"]} for e in events]
    data["parties"] = parties
    data["sources"] = [*data.get("sources", []), source]
    data["proposals"] = proposals
    data["events"] = timeline
    if preferences:
        data["preferences"] = {pid: dict(p) for pid, p in preferences.items()}
    return data, ids


def export_scenario(
    shared: Mapping[str, Any],
    *,
    case_title: str,
    drafts: Sequence[Mapping[str, Any]],
    preferences: Mapping[str, Mapping[str, Any]],
    exported_on: dt.date,
    records: Sequence[Mapping[str, Any]] = (),
    events: Sequence[Mapping[str, Any]] = (),
) -> Scenario:
    """The case as an accord scenario (see :func:`case_document`), validated by accord's
    loader: the preferences given are those of the parties that consented."""
    data, _ = case_document(
        shared,
        case_title=case_title,
        drafts=drafts,
        preferences=preferences,
        dated=exported_on,
        records=records,
        events=events,
    )
    return _validate(data, file="the exported case").scenario


ANALYSES_KEPT = 8
"""Analyses of cases a server process keeps (the least recently used is dropped first)."""

_analyses: OrderedDict[str, Analysis] = OrderedDict()
_analyses_lock = threading.Lock()


def case_analysis(
    shared: Mapping[str, Any],
    *,
    case_title: str,
    drafts: Sequence[Mapping[str, Any]],
    preferences: Mapping[str, Mapping[str, Any]],
) -> tuple[Analysis, dict[int, str]]:
    """accord's analyses of a case (every party's preferences, each draft as a proposal), and
    the proposal id of each draft number.

    The analyses are kept by the content of the case's scenario, so that the pages of one
    unchanged case compute them once per server process, and a new preference version or a
    new draft is a new scenario. Threads share one :class:`accord.run.Analysis` safely.
    """
    from accord.run import Analysis, Options, RobustnessOptions

    data, ids = case_document(
        shared,
        case_title=case_title,
        drafts=drafts,
        preferences=preferences,
        dated=dt.date(2000, 1, 1),  # not today: the content decides what is kept
    )
    key = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=True, default=str).encode("ascii")
    ).hexdigest()
    with _analyses_lock:
        found = _analyses.get(key)
        if found is not None:
            _analyses.move_to_end(key)
            return found, ids
    scenario = _validate(data, file="the case").scenario
    # Robustness runs (if ever asked for) stay in the web worker's own process.
    analysis = Analysis(scenario, Options(robustness=RobustnessOptions(processes=1)))
    with _analyses_lock:
        analysis = _analyses.setdefault(key, analysis)
        _analyses.move_to_end(key)
        while len(_analyses) > ANALYSES_KEPT:
            _analyses.popitem(last=False)
    return analysis, ids


def calibration(scenario: Scenario) -> Calibration:
    """``accord calibrate`` on a scenario: the record checked against the preferences it holds
    (the negotiators without preferences are not checked)."""
    from accord.calibrate import calibrate_scenario

    return calibrate_scenario(scenario)


def scenario_yaml(scenario: Scenario) -> str:
    """A scenario as YAML text that accord's loader reads back equal."""
    import yaml

    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"accord": scenario.accord, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def report_html(scenario: Scenario, *, origin: str) -> str:
    """``accord report`` for a scenario (every negotiator needs preferences)."""
    from accord.report import build_report

    return build_report(scenario, origin=origin)
