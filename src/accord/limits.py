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
    "SERVICE_MAX_ISSUES",
    "SERVICE_MAX_OPTIONS",
    "SERVICE_MAX_PARTIES",
    "SERVICE_TEXT_MAX_CHARS",
    "SERVICE_UPLOAD_MAX_BYTES",
]

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
