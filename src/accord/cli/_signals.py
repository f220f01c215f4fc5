"""Ctrl-C and SIGTERM end a command cleanly: one line on stderr, exit status 130 or 143.

A KeyboardInterrupt (SIGINT) or a :class:`Terminated` (SIGTERM, turned into an exception here)
unwinds the command like any exception, so every ``finally`` and ``with`` on the way runs:
local worker processes are terminated (:mod:`accord.robust.workers`), a Dask cluster is shut
down quietly (:mod:`accord.robust.cluster`) and a half-written output file is removed.  Then
the command prints ``accord: interrupted`` (or ``terminated``) and exits with 128 + the
signal's number, as shells report a process a signal ended.  A second signal while that
cleanup runs ends the process at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

__all__ = ["Terminated", "exit_on_signals"]


class Terminated(BaseException):
    """SIGTERM arrived.  A BaseException, like KeyboardInterrupt, so that no ``except
    Exception`` on the way can swallow it."""


def _raise_terminated(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated()


def _exit_now(signum: int, frame: FrameType | None) -> NoReturn:
    os._exit(128 + signum)


def _leave(what: str, signum: int) -> NoReturn:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _exit_now)
    print(f"accord: {what}", file=sys.stderr, flush=True)
    sys.exit(128 + signum)


@contextlib.contextmanager
def exit_on_signals() -> Iterator[None]:
    """Run a command; on SIGINT or SIGTERM leave as the module docstring says."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
    try:
        yield
    except KeyboardInterrupt:
        _leave("interrupted", signal.SIGINT)
    except Terminated:
        _leave("terminated", signal.SIGTERM)
    finally:
        if previous is not None and signal.getsignal(signal.SIGTERM) is _raise_terminated:
            signal.signal(signal.SIGTERM, previous)
