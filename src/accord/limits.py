"""Every size an input may imply, in one place, checked before any work starts.

A scenario file, a command-line option or an upload to the service can imply an amount of work
or memory far beyond what its size suggests (a range with 10**15 steps, an alias bomb, a
trillion samples). Each such size is checked against one of these documented limits *before*
anything is allocated or enumerated, and a breach raises :class:`accord.errors.LimitExceeded`
with a message naming the field, the limit and how to raise it where it can be raised.

A limit named ``MAX_X`` here is raised for one process by the environment variable
``ACCORD_MAX_X`` (a positive whole number); :func:`current` reads the limit in force and
:func:`raised` raises one for the duration of a ``with`` block (the CLI's global options use
it). The measured time and peak memory of the largest input each limit accepts are in
``docs/reference/limits.md``.

This module imports nothing from accord, so every layer may use it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_CALIBRATION_CELLS",
    "MAX_CONFLICT_OPTIONS",
    "MAX_FILE_SIZE",
    "MAX_INVERSE_RANKINGS",
    "MAX_NESTING",
    "MAX_RANGE_OPTIONS",
    "MAX_ROBUSTNESS_PACKAGES",
    "MAX_SAMPLES",
    "MAX_STATEMENT_NESTING",
    "SERVICE_MAX_BIDDING_ROUNDS",
    "SERVICE_MAX_ENGINE_PACKAGES",
    "SERVICE_MAX_ENGINE_PACKAGES_MANY",
    "SERVICE_MAX_ISSUES",
    "SERVICE_MAX_OPTIONS",
    "SERVICE_MAX_PARTIES",
    "SERVICE_TEXT_MAX_CHARS",
    "SERVICE_UPLOAD_MAX_BYTES",
    "current",
    "how_to_raise",
    "raised",
]

# --- scenario files (accord.model) ----------------------------------------------------------

MAX_FILE_SIZE = 8 * 2**20
"""Bytes in one scenario file (8 MiB). Raise: ACCORD_MAX_FILE_SIZE or `accord --max-file-size`."""

MAX_NESTING = 64
"""Levels of nested mappings and lists in a file (the format needs 8). Raise: ACCORD_MAX_NESTING."""

MAX_ALIAS_NODES = 10_000
"""Values a YAML file may repeat through aliases (`*name`), expanded. ACCORD_MAX_ALIAS_NODES."""

MAX_RANGE_OPTIONS = 2_000_000
"""Values in one numeric issue's range ((max - min) / step + 1; no analysis enumerates more
packages than this). Raise: ACCORD_MAX_RANGE_OPTIONS."""

MAX_CONFLICT_OPTIONS = 26
"""Options in an option-form GMCR conflict (2^n states are enumerated). Not raisable: the graph
arrays of 2^26 states already take gigabytes with a few decision makers."""

MAX_STATEMENT_NESTING = 100
"""Levels of parentheses and `not` in a GMCR statement. Raise: ACCORD_MAX_STATEMENT_NESTING."""

# --- analyses (accord.run, accord.robust, accord.gmcr) ----------------------------------------
#: Samples of one robustness run (``--samples``): ten million give a 95% interval narrower than
#: 0.07 points; for more, run several seeds and pool their counts. Raise it here.
MAX_SAMPLES = 10_000_000

#: Packages (before constraints) a robustness run may evaluate: it scores every package in every
#: sample (``accord.robust.engine.feasible_packages``'s limit). Raise both together.
MAX_ROBUSTNESS_PACKAGES = 2_000_000

#: Rankings one inverse GMCR question may enumerate (``accord stability --inverse``, ``--vary``):
#: 8! = 40,320, every order of eight distinct states, a few seconds. Raise it here.
MAX_INVERSE_RANKINGS = 40_320

#: Entries of the dense arrays one negotiator's calibration builds (``accord calibrate``):
#: (options of every issue + evidence rows) x unknowns; 20 million take 160 MB. Raise it here.
MAX_CALIBRATION_CELLS = 20_000_000

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

_DEFAULTS = {
    "MAX_FILE_SIZE": MAX_FILE_SIZE,
    "MAX_NESTING": MAX_NESTING,
    "MAX_ALIAS_NODES": MAX_ALIAS_NODES,
    "MAX_RANGE_OPTIONS": MAX_RANGE_OPTIONS,
    "MAX_STATEMENT_NESTING": MAX_STATEMENT_NESTING,
}
_CLI_OPTIONS = {"MAX_FILE_SIZE": "--max-file-size"}
_raised: dict[str, int] = {}


def current(name: str) -> int:
    """The limit ``name`` in force: raised by :func:`raised`, else ``ACCORD_<name>``, else default.

    An environment value that is not a positive whole number is ignored (the default holds), so
    a typo can never remove a limit.
    """
    if name in _raised:
        return _raised[name]
    text = os.environ.get(f"ACCORD_{name}", "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    return _DEFAULTS[name]


def how_to_raise(name: str) -> str:
    """The words that tell a user how to raise the limit ``name``."""
    option = _CLI_OPTIONS.get(name)
    way = f"set ACCORD_{name}"
    return f"{way} or pass `accord {option} N`" if option else way


@contextmanager
def raised(name: str, value: int) -> Iterator[None]:
    """Hold the limit ``name`` at ``value`` inside the block (the previous value after it)."""
    if name not in _DEFAULTS:
        raise KeyError(f"no limit called {name!r}")
    before = _raised.get(name)
    _raised[name] = value
    try:
        yield
    finally:
        if before is None:
            del _raised[name]
        else:
            _raised[name] = before


# Engine assistance in a case (zone of agreement, solutions, improvements, offers after an
# agreement) runs inside a page request, over every package (before constraints). With five
# or more negotiating parties the Pareto frontier can hold most packages, and finding it costs
# about the square of its size, hence the smaller limit (about 5 s on one core at the limit).
SERVICE_MAX_ENGINE_PACKAGES = 1_000_000
SERVICE_MAX_ENGINE_PACKAGES_MANY = 20_000
# Rounds of one blind bidding (each round: one sealed limit per side).
SERVICE_MAX_BIDDING_ROUNDS = 20
