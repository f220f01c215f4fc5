"""Every size an input may imply, in one place, checked before any work starts.

A scenario file, a command-line option or an upload to the service can imply an amount of work
or memory far beyond what its size suggests (a range with 10**15 steps, an alias bomb, a
trillion samples). Each such size is checked against one of these documented limits *before*
anything is allocated or enumerated, and a breach raises :class:`accord.errors.LimitExceeded`
with a message naming the field, the limit and how to raise it where it can be raised.

This module imports nothing from accord, so every layer may use it.
"""

from __future__ import annotations

__all__ = [
    "MAX_INVERSE_RANKINGS",
    "MAX_ROBUSTNESS_PACKAGES",
    "MAX_SAMPLES",
    "SERVICE_MAX_BIDDING_ROUNDS",
    "SERVICE_MAX_ENGINE_PACKAGES",
    "SERVICE_MAX_ENGINE_PACKAGES_MANY",
    "SERVICE_MAX_ISSUES",
    "SERVICE_MAX_OPTIONS",
    "SERVICE_MAX_PARTIES",
    "SERVICE_TEXT_MAX_CHARS",
    "SERVICE_UPLOAD_MAX_BYTES",
]

#: Samples of one robustness run (``--samples``): ten million give a 95% interval narrower than
#: 0.07 points; for more, run several seeds and pool their counts. Raise it here.
MAX_SAMPLES = 10_000_000

#: Packages (before constraints) a robustness run may evaluate: it scores every package in every
#: sample (``accord.robust.engine.feasible_packages``'s limit). Raise both together.
MAX_ROBUSTNESS_PACKAGES = 2_000_000

#: Rankings one inverse GMCR question may enumerate (``accord stability --inverse``, ``--vary``):
#: 8! = 40,320, every order of eight distinct states, a few seconds. Raise it here.
MAX_INVERSE_RANKINGS = 40_320

# --- accord serve (the mediated negotiation service) ------------------------------------------
# Raise any of these by editing this file; each is checked before the input is read or stored.

# A scenario file uploaded to create a case (bytes).
SERVICE_UPLOAD_MAX_BYTES = 1024 * 1024
# Free text a person types: a draft's note, an answer's comment, a message, preference notes.
SERVICE_TEXT_MAX_CHARS = 10_000
# A case's shared part: issues, options of one issue, negotiating parties.
SERVICE_MAX_ISSUES = 30
SERVICE_MAX_OPTIONS = 60
SERVICE_MAX_PARTIES = 12
# Engine assistance in a case (zone of agreement, solutions, improvements, offers after an
# agreement) runs inside a page request, over every package (before constraints). With five
# or more negotiating parties the Pareto frontier can hold most packages, and finding it costs
# about the square of its size, hence the smaller limit (about 5 s on one core at the limit).
SERVICE_MAX_ENGINE_PACKAGES = 1_000_000
SERVICE_MAX_ENGINE_PACKAGES_MANY = 20_000
# Rounds of one blind bidding (each round: one sealed limit per side).
SERVICE_MAX_BIDDING_ROUNDS = 20
