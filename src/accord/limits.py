"""Every size an input may imply, in one place, checked before any work starts.

A scenario file, a command-line option or an upload to the service can imply an amount of work
or memory far beyond what its size suggests (a range with 10**15 steps, an alias bomb, a
trillion samples). Each such size is checked against one of these documented limits *before*
anything is allocated or enumerated, and a breach raises :class:`accord.errors.LimitExceeded`
with a message naming the field, the limit and how to raise it where it can be raised.

This module imports nothing from accord, so every layer may use it.
"""

from __future__ import annotations

__all__: list[str] = []
