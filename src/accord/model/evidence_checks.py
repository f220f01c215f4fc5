"""Checks of the record the calibration reads: responses to proposals, judgements, and the
walk-aways that held over a period (``reservation_by_date``).

A response or a judgement is evidence about a negotiator's preferences (see
:mod:`accord.calibrate`): it must name a defined party, proposals that exist, known sources and
dates that make sense. A response by a party that is not a negotiator says nothing about any
preferences in the file: it is kept, with a warning that calibration does not use it.
"""

from __future__ import annotations

from accord.model.problems import Path, Problem
from accord.model.refs import Known, duplicates
from accord.model.schema import Party, Preferences, Proposal, Scenario

__all__ = ["check_evidence"]

_PARTY = "a party id defined in 'parties'"
_PROPOSAL = "a proposal id defined in 'proposals'"


def check_evidence(s: Scenario, known: Known) -> list[Problem]:
    """Every problem of the responses, the judgements and the dated reservations."""
    parties = {p.id: p for p in s.parties}
    out: list[Problem] = []
    for k, prop in enumerate(s.proposals):
        out += _check_responses(("proposals", k, "responses"), prop, parties, known)
    ids = [j.id for j in s.judgements if j.id is not None]
    out += [
        Problem(("judgements", *p.path[1:]), p.expected, p.found)
        for p in duplicates(("judgements",), ids)
    ]
    for k, j in enumerate(s.judgements):
        here: Path = ("judgements", k)
        out += known.ref((*here, "party"), "parties", j.party, _PARTY)
        out += _not_a_negotiator((*here, "party"), parties.get(j.party))
        out += known.ref((*here, "prefers"), "proposals", j.prefers, _PROPOSAL)
        out += known.ref((*here, "over"), "proposals", j.over, _PROPOSAL)
        if j.prefers == j.over:
            out.append(Problem((*here, "over"), "a proposal other than 'prefers'", repr(j.over)))
        out += known.sources((*here, "sources"), j.sources)
    for party, pref in s.preferences.items():
        out += _check_periods(("preferences", party, "reservation_by_date"), pref, known)
    return out


def _not_a_negotiator(here: Path, party: Party | None) -> list[Problem]:
    if party is None or party.role.value == "negotiator":
        return []
    return [
        Problem(
            here,
            "a negotiator (only a negotiator's preferences are calibrated against the record)",
            f"{party.id!r}, a {party.role.value}: kept, not used by accord calibrate",
            warning=True,
        )
    ]


def _check_responses(
    here: Path, prop: Proposal, parties: dict[str, Party], known: Known
) -> list[Problem]:
    out: list[Problem] = []
    for party_id, response in prop.responses.items():
        at: Path = (*here, party_id)
        if party_id not in parties:
            out += known.ref(at, "parties", party_id, _PARTY)
        out += _not_a_negotiator(at, parties.get(party_id))
        out += known.sources((*at, "sources"), response.sources)
        if response.date is not None and response.date < prop.date:
            out.append(
                Problem(
                    (*at, "date"),
                    f"a date on or after the proposal's ({prop.date})",
                    str(response.date),
                )
            )
        if response.counter is not None:
            out += known.ref((*at, "counter"), "proposals", response.counter, _PROPOSAL)
            if response.counter == prop.id:
                out.append(
                    Problem((*at, "counter"), "a proposal other than the one answered", prop.id)
                )
    return out


def _check_periods(here: Path, pref: Preferences, known: Known) -> list[Problem]:
    out: list[Problem] = []
    periods = pref.reservation_by_date
    for k, period in enumerate(periods):
        out += known.sources((*here, k, "sources"), period.sources)
        for j in range(k):
            other = periods[j]
            if period.valid_from <= other.valid_until and other.valid_from <= period.valid_until:
                out.append(
                    Problem(
                        (*here, k, "valid_from"),
                        f"a period that does not overlap reservation_by_date[{j}] "
                        f"({other.valid_from} to {other.valid_until})",
                        f"{period.valid_from} to {period.valid_until}",
                    )
                )
    return out
