"""From a scenario's preference estimates to the sampled parameter model.

Parameter names are the estimates' paths in the file
(``preferences.israel.weights.truce``, ``preferences.hamas.values.truce.permanent``,
``preferences.israel.values.prisoners[1]`` for the second point of a range
issue, ``preferences.hamas.reservation``), so a sensitivity ranking points the
analyst at the exact line to revisit.
"""

from __future__ import annotations

import math

import numpy as np

from accord.model.schema import Scenario
from accord.robust.parameters import NegotiatorUncertainty, PreferenceModel, UncertainParameter

__all__ = ["describe_parameter", "preference_model"]

_WEIGHT_DOMAIN = (0.0, math.inf)
_RESERVATION_DOMAIN = (0.0, 1.0)


def preference_model(scenario: Scenario) -> PreferenceModel:
    """The uncertain preferences of the scenario's negotiators, in ``compile_space`` order.

    An issue with no values for a party (allowed when its point weight is 0)
    gets fixed zero values: it never changes that party's utility.
    """
    parties = []
    for party in scenario.negotiators:
        pref = scenario.preferences[party.id]
        here = f"preferences.{party.id}"
        weights: list[UncertainParameter] = []
        values: list[tuple[UncertainParameter, ...]] = []
        maps: list[np.ndarray] = []
        for issue in scenario.issues:
            w = pref.weights.get(issue.id)
            weights.append(
                UncertainParameter.fixed(f"{here}.weights.{issue.id}", 0.0)
                if w is None
                else UncertainParameter.from_estimate(
                    f"{here}.weights.{issue.id}", w, _WEIGHT_DOMAIN
                )
            )
            table = pref.values.get(issue.id)
            if table is None:
                values.append((UncertainParameter.fixed(f"{here}.values.{issue.id}", 0.0),))
                maps.append(np.ones((issue.size, 1)))
            elif issue.range is not None:
                assert not isinstance(table, dict)
                xs = np.array([x for x, _ in table], dtype=float)
                grid = np.array(issue.range.values())
                # column k: the interpolation weight of point k at every grid value
                maps.append(np.column_stack([np.interp(grid, xs, e) for e in np.eye(len(xs))]))
                values.append(
                    tuple(
                        UncertainParameter.from_estimate(f"{here}.values.{issue.id}[{k}]", v)
                        for k, (_, v) in enumerate(table)
                    )
                )
            else:
                assert isinstance(table, dict)
                values.append(
                    tuple(
                        UncertainParameter.from_estimate(f"{here}.values.{issue.id}.{o}", table[o])
                        for o in issue.option_ids()
                    )
                )
                maps.append(np.eye(issue.size))
        parties.append(
            NegotiatorUncertainty(
                party=party.id,
                weights=tuple(weights),
                values=tuple(values),
                value_maps=tuple(maps),
                reservation=UncertainParameter.from_estimate(
                    f"{here}.reservation", pref.reservation, _RESERVATION_DOMAIN
                ),
                weights_concentration=pref.weights_concentration,
                scales=tuple(pref.scale(issue).value for issue in scenario.issues),
            )
        )
    return PreferenceModel(tuple(parties))


def describe_parameter(name: str) -> str:
    """``preferences.israel.weights.truce`` -> ``israel's weight on truce`` (for sentences)."""
    parts = name.split(".")
    if len(parts) < 3 or parts[0] != "preferences":
        return name
    party, kind, rest = parts[1], parts[2], parts[3:]
    if kind == "weights" and rest:
        return f"{party}'s weight on {rest[0]}"
    if kind == "values" and rest:
        return f"{party}'s value of {'.'.join(rest)}"
    if kind == "reservation":
        return f"{party}'s reservation value"
    return name
