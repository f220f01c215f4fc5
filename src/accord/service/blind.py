"""The settlement rule of blind bidding on one number, as a pure function of the two limits.

Double-blind bidding (Cybersettle's and Smartsettle's idea; see Thiessen & McMahon 2000,
"Beyond win-win in cyberspace", *Ohio State Journal on Dispute Resolution* 15(3):643-667):
each round, one side (the *giver*) submits in a sealed bid the highest number it accepts, the
other (the *taker*) the lowest. When the giver's limit reaches the taker's, the limits cross
and the issue settles inside the overlap, by a rule fixed when the bidding opened; otherwise
neither side learns anything but "no overlap yet".

Limits are steps of the issue's range (option indices, increasing with the number), so the
settlement is always one of the issue's options. The rule sees only the two limits: not who
bid first, not when, not the earlier rounds. So the settlement cannot depend on the order of
arrival, and exchanging which limit arrived first changes nothing.

Rules:

- ``midpoint`` (the default): the step halfway between the two limits; when the midpoint falls
  exactly between two steps, the one with the even index (round half to even, the rule that
  favours neither the giver nor the taker on average).
- ``taker_limit``: the taker's limit (the whole overlap goes to the giver).
- ``giver_limit``: the giver's limit (the whole overlap goes to the taker).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["RULES", "Rule", "settlement"]

Rule = Literal["midpoint", "taker_limit", "giver_limit"]
RULES: dict[str, str] = {
    "midpoint": "the midpoint of the two limits",
    "taker_limit": "the taker's limit",
    "giver_limit": "the giver's limit",
}
"""Each settlement rule and how the pages say it."""


def settlement(giver: int, taker: int, rule: str = "midpoint") -> int | None:
    """The step at which the issue settles, or None when the limits do not cross.

    ``giver`` is the index of the highest step the giver accepts, ``taker`` the index of the
    lowest step the taker accepts; they cross when ``giver >= taker``. The result lies in
    ``[taker, giver]``.
    """
    if rule not in RULES:
        raise ValueError(f"unknown settlement rule {rule!r}")
    if giver < taker:
        return None
    if rule == "taker_limit":
        return taker
    if rule == "giver_limit":
        return giver
    half, odd = divmod(giver + taker, 2)
    if not odd:
        return half
    return half if half % 2 == 0 else half + 1
