"""An accord scenario as a GENIUS domain and one profile per negotiator (``accord export genius``).

GENIUS's additive utility of a package is ``sum_i w_i * e_i(x_i)``, where a discrete issue's
evaluation is divided by the issue's largest evaluation and an integer issue's is
``clip(offset + slope * (x - lowerbound), 0, 1)`` (see :mod:`accord.interop.genius_xml`).
Each negotiator's accord utility is ``sum_i (w_i / W) * s_i(x_i)`` with ``s_i`` its values on
the scale its ``normalize`` gives (:func:`accord.space.compile.exact_normalised_values`), so:

* weights are written divided by their sum;
* an option issue becomes a discrete issue whose items are the option ids, each evaluated
  ``s_i``; GENIUS then divides by the largest, so the export is exact when the largest is 1
  (always under ``minmax``, and under ``max`` for an option issue) and refused otherwise;
* a range issue becomes an integer issue with a linear evaluator when it runs over whole
  numbers by 1 and every negotiator's ``s_i`` is affine in ``x`` within [0, 1]; otherwise a
  discrete issue whose items are its steps (``"80000"``), under the rule above;
* point values only: the uncertainty of an estimate, constraints, proposals, positions,
  events, plans, a conflict and non-negotiating parties have no place in GENIUS's files and
  are listed in :attr:`GeniusExport.left_out` (the CLI prints the list: nothing is dropped
  silently).

A number that is not a finite decimal (``1/3``) is written as the nearest double, which is all
GENIUS reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from xml.sax.saxutils import quoteattr

from accord import __version__
from accord.errors import UserInputError
from accord.interop.genius_import import decimal_text
from accord.model.schema import Issue, Preferences, Scenario
from accord.space.compile import compile_issue, exact_normalised_values
from accord.space.exact import rational

__all__ = ["GeniusExport", "export_genius"]

DOMAIN_FILE = "domain.xml"


@dataclass(frozen=True)
class GeniusExport:
    """File name -> XML text; and, in words, what the scenario holds that GENIUS cannot."""

    files: dict[str, str]
    left_out: tuple[str, ...]


def _number(x: Fraction) -> str:
    try:
        return decimal_text(x)
    except ValueError:
        return repr(float(x))


def _scaled(issue: Issue, pref: Preferences) -> tuple[Fraction, ...]:
    """The negotiator's values on ``issue`` on its own scale (1s when it gives none: its
    weight is 0)."""
    values = exact_normalised_values(issue, pref)
    return values if values is not None else (Fraction(1),) * issue.size


def _affine(values: Sequence[Fraction]) -> tuple[Fraction, Fraction] | None:
    """(offset, slope) when ``values[k] == offset + slope * k`` in [0, 1], else None."""
    slope = values[1] - values[0] if len(values) > 1 else Fraction(0)
    if any(v != values[0] + slope * k for k, v in enumerate(values)):
        return None
    return (values[0], slope) if all(0 <= v <= 1 for v in values) else None


def _is_integer_issue(issue: Issue, scaled: Sequence[Sequence[Fraction]]) -> bool:
    r = issue.range
    whole = r is not None and r.step == 1 and float(r.min).is_integer()
    return whole and all(_affine(s) is not None for s in scaled)


def _check_discrete(issue: Issue, party: str, weight: Fraction, values: Sequence[Fraction]) -> None:
    if weight == 0:
        return
    if min(values) < 0 or max(values) != 1:
        raise UserInputError(
            f"preferences.{party}.values.{issue.id}: GENIUS divides a discrete issue's "
            "evaluations by the largest, so the export needs values from 0 up to a largest of "
            f"exactly 1 on this party's scale; found {float(min(values)):g} to "
            f"{float(max(values)):g} (use normalize: minmax or max)"
        )


def _issue_attributes(issue: Issue, index: int, integer: bool) -> str:
    kind = "integer" if integer else "discrete"
    attrs = f'index="{index}" name={quoteattr(issue.id)} description={quoteattr(issue.name)}'
    attrs += f' type="{kind}" etype="{kind}" vtype="{kind}"'
    if integer and issue.range is not None:
        attrs += f' lowerbound="{int(issue.range.min)}" upperbound="{int(issue.range.max)}"'
    return attrs


def _comment(lines: Sequence[str]) -> str:
    return "<!--\n" + "\n".join(f"  {line.replace('--', '- -')}" for line in lines) + "\n-->"


def _domain_xml(scenario: Scenario, integer: dict[str, bool]) -> str:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        _comment([f"Exported by `accord export genius` (accord {__version__}).", *_DECISIONS]),
        "<negotiation_template>",
        f'<utility_space number_of_issues="{len(scenario.issues)}">',
        f'<objective index="0" name={quoteattr(scenario.title)} description="" '
        'type="objective" etype="objective">',
    ]
    for k, issue in enumerate(scenario.issues, start=1):
        if integer[issue.id]:
            out.append(f"  <issue {_issue_attributes(issue, k, True)}/>")
            continue
        out.append(f"  <issue {_issue_attributes(issue, k, False)}>")
        for j, label in enumerate(compile_issue(issue).labels, start=1):
            out.append(f'    <item index="{j}" value={quoteattr(label)}/>')
        out.append("  </issue>")
    out += ["</objective>", "</utility_space>", "</negotiation_template>", ""]
    return "\n".join(out)


def _profile_xml(
    scenario: Scenario,
    party: str,
    integer: dict[str, bool],
    scaled: dict[str, tuple[Fraction, ...]],
) -> str:
    pref = scenario.preferences[party]
    weights = {i.id: rational(pref.weight(i.id)) for i in scenario.issues}
    total = sum(weights.values(), Fraction(0))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        _comment([f"The preferences of {party!r}, exported by accord {__version__}.", *_DECISIONS]),
        '<utility_space type="linear">',
        f'<objective index="0" name={quoteattr(scenario.title)} description="" '
        'type="objective" etype="objective">',
    ]
    for k, issue in enumerate(scenario.issues, start=1):
        values = scaled[issue.id]
        out.append(f"  <issue {_issue_attributes(issue, k, integer[issue.id])}>")
        line = _affine(values) if integer[issue.id] else None
        if line is not None:
            offset, slope = _number(line[0]), _number(line[1])
            out.append(f'    <evaluator ftype="linear" offset="{offset}" slope="{slope}"/>')
        else:
            _check_discrete(issue, party, weights[issue.id], values)
            for j, (label, v) in enumerate(
                zip(compile_issue(issue).labels, values, strict=True), 1
            ):
                out.append(
                    f'    <item index="{j}" value={quoteattr(label)} evaluation="{_number(v)}"/>'
                )
        out.append("  </issue>")
    for k, issue in enumerate(scenario.issues, start=1):
        out.append(f'  <weight index="{k}" value="{_number(weights[issue.id] / total)}"/>')
    out += ["</objective>", f'<reservation value="{_number(rational(pref.reservation.point))}"/>']
    if pref.discount is not None:
        out.append(f'<discount_factor value="{_number(rational(pref.discount))}"/>')
    out += ["</utility_space>", ""]
    return "\n".join(out)


_DECISIONS = (
    "Weights are the scenario's divided by their sum; evaluations are each negotiator's",
    "values on its own scale (normalize), so GENIUS's utilities equal accord's.",
    "A range by 1 over whole numbers on which every negotiator's value is linear is an",
    "integer issue with a linear evaluator; any other range is a discrete issue of its steps.",
    "Only point values are written (GENIUS has no uncertainty).",
)


def _left_out(scenario: Scenario) -> tuple[str, ...]:
    counts = {
        ("constraint", "constraints"): len(scenario.constraints),
        ("proposal", "proposals"): len(scenario.proposals),
        ("position", "positions"): len(scenario.positions),
        ("event", "events"): len(scenario.events),
        ("plan", "plans"): len(scenario.plans),
        ("party that does not negotiate", "parties that do not negotiate"): len(scenario.parties)
        - len(scenario.negotiators),
    }
    out = [f"{n} {one if n == 1 else many}" for (one, many), n in counts.items() if n]
    if scenario.conflict is not None:
        out.append("the conflict (GMCR) section")
    uncertain = 0
    for pref in scenario.preferences.values():
        estimates = [pref.reservation, *pref.weights.values()]
        for table in pref.values.values():
            estimates += table.values() if isinstance(table, dict) else [e for _, e in table]
        uncertain += sum(e.is_uncertain for e in estimates)
    if uncertain:
        out.append(f"the uncertainty of {uncertain} estimates (their point values are kept)")
    return tuple(out)


def export_genius(scenario: Scenario) -> GeniusExport:
    """The GENIUS files of the scenario's negotiators: ``domain.xml`` and ``<party>.xml``.

    Raises :class:`~accord.errors.UserInputError` when a negotiator's utilities cannot be
    written exactly in GENIUS's form (see the module's docstring).
    """
    negotiators = [p.id for p in scenario.negotiators if p.id in scenario.preferences]
    if len(negotiators) < 2:
        raise UserInputError("the export needs preferences for at least two negotiators")
    scaled = {
        party: {i.id: _scaled(i, scenario.preferences[party]) for i in scenario.issues}
        for party in negotiators
    }
    integer = {
        i.id: _is_integer_issue(i, [scaled[p][i.id] for p in negotiators]) for i in scenario.issues
    }
    files = {DOMAIN_FILE: _domain_xml(scenario, integer)}
    for party in negotiators:
        name = f"{party}.xml" if f"{party}.xml" != DOMAIN_FILE else f"profile-{party}.xml"
        files[name] = _profile_xml(scenario, party, integer, scaled[party])
    return GeniusExport(files, _left_out(scenario))
