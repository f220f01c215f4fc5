"""Ctrl-C and SIGTERM end a command cleanly: one line on stderr, exit status 130 or 143.

A KeyboardInterrupt (SIGINT) or a :class:`Terminated` (SIGTERM, turned into an exception here)
unwinds the command like any exception, so every ``finally`` and ``with`` on the way runs:
local worker processes are killed (:mod:`accord.robust.workers`), a Dask cluster is shut down
quietly (:mod:`accord.robust.cluster`) and a half-written output file is removed.  Then the
command prints ``accord: interrupted`` (or ``terminated``) and exits with 128 + the signal's
number, as shells report a process a signal ended.  A second signal while that cleanup runs
ends the process at once.

Two places where Python would lose the signal or print a traceback are covered:

* while the commands' modules load (before any command runs, nothing to clean up): importing
  this module, first in :mod:`accord.cli`, makes a signal end the process at once, quietly,
  until :func:`commands_loaded`;
* an exception raised in a finaliser (a ``__del__`` or a weakref callback that the garbage
  collector happened to run when the signal came) is printed as "Exception ignored" and
  dropped, and the command would go on; the signal is then sent again, to be raised in
  ordinary code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any, NoReturn

__all__ = ["Terminated", "commands_loaded", "exit_on_signals"]

_STOP = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


class Terminated(BaseException):
    """SIGTERM arrived.  A BaseException, like KeyboardInterrupt, so that no ``except
    Exception`` on the way can swallow it."""


def _raise_terminated(signum: int, frame: FrameType | None) -> NoReturn:
    raise Terminated()


def _exit_now(signum: int, frame: FrameType | None) -> NoReturn:
    os._exit(128 + signum)


def _exit_quietly(signum: int, frame: FrameType | None) -> NoReturn:
    print(f"accord: {_STOP[signal.Signals(signum)]}", file=sys.stderr, flush=True)
    os._exit(128 + signum)


def _take_startup() -> dict[int, Any]:
    """While the commands load: a signal ends the process at once (when the handlers are
    Python's defaults, in the main thread; a program that imports accord.cli keeps its own)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    defaults = {signal.SIGINT: signal.default_int_handler, signal.SIGTERM: signal.SIG_DFL}
    return {
        sig: signal.signal(sig, _exit_quietly)
        for sig, default in defaults.items()
        if signal.getsignal(sig) is default
    }


_startup = _take_startup()


def commands_loaded() -> None:
    """Give the startup handlers back (see the module docstring)."""
    while _startup:
        sig, handler = _startup.popitem()
        if signal.getsignal(sig) is _exit_quietly:
            signal.signal(sig, handler)


def _interrupt_within(error: BaseException) -> signal.Signals | None:
    """The signal whose exception caused ``error`` (its causes and contexts), if any."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        if isinstance(link, KeyboardInterrupt):
            return signal.SIGINT
        if isinstance(link, Terminated):
            return signal.SIGTERM
        link = link.__cause__ or link.__context__
    return None


def _leave(what: str, signum: int) -> NoReturn:
    for sig in _STOP:
        signal.signal(sig, _exit_now)
    print(f"accord: {what}", file=sys.stderr, flush=True)
    _forget_interrupted_exec()
    sys.exit(128 + signum)


def _forget_interrupted_exec() -> None:
    """Clear CPython's note that a KeyboardInterrupt escaped an ``exec`` of a string.

    CPython (3.11 at least) notes a KeyboardInterrupt that leaves code it runs from a string
    (``exec(text)``, which dataclasses and namedtuples use to build their methods, so a Ctrl-C
    while a module defining one is imported) and, when the interpreter then ends with any exit
    status, kills itself with SIGINT instead: status -2, not 130, though the interrupt was
    handled.  The note is cleared by the next string it runs without an interrupt; this is one.
    """
    exec("pass")  # a constant string: see the docstring


def _send_again_if_dropped(previous: Any) -> Any:
    """An unraisable-exception hook that sends a dropped interrupt again (module docstring)."""
    main = threading.main_thread().ident

    def hook(unraisable: Any) -> None:
        kind = unraisable.exc_type
        if kind is not None and issubclass(kind, (KeyboardInterrupt, Terminated)) and main:
            signum = signal.SIGINT if issubclass(kind, KeyboardInterrupt) else signal.SIGTERM
            # from another thread, a moment later: not inside this finaliser again
            threading.Timer(0.01, signal.pthread_kill, (main, signum)).start()
            return
        previous(unraisable)

    return hook


@contextlib.contextmanager
def exit_on_signals() -> Iterator[None]:
    """Run a command; on SIGINT or SIGTERM leave as the module docstring says."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
    previous_hook = sys.unraisablehook
    if main_thread and hasattr(signal, "pthread_kill"):
        sys.unraisablehook = _send_again_if_dropped(previous_hook)
    try:
        yield
    except KeyboardInterrupt:
        _leave("interrupted", signal.SIGINT)
    except Terminated:
        _leave("terminated", signal.SIGTERM)
    except Exception as error:
        # an interrupt that Python wrapped on its way (a class being created while the module
        # defining it loads turns it into a RuntimeError, "Error calling __set_name__")
        signum = _interrupt_within(error)
        if signum is None:
            raise
        _leave(_STOP[signum], signum)
    finally:
        sys.unraisablehook = previous_hook
        if previous is not None and signal.getsignal(signal.SIGTERM) is _raise_terminated:
            signal.signal(signal.SIGTERM, previous)
