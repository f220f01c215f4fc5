"""Local worker processes: started without fork and with signals held, given the problem once
each, sharing a run's chunks through one counter, and ended at once when the run stops.

See :mod:`accord.robust.workers`, which runs seeded chunks on them (its module docstring says
how the chunks are shared and what happens on an interrupt).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import connection, resource_tracker
from types import FrameType, TracebackType
from typing import Any, Generic, TypeVar

__all__ = [
    "POLL_SECONDS",
    "LocalProcesses",
    "Started",
    "call_in_worker",
    "sharing_processes",
    "signals_held",
    "wait_interruptibly",
    "warm_up",
]


def sharing_processes(processes: int | None) -> int:
    """How many processes share a run's work: ``processes``, or one per core when None."""
    return processes if processes is not None else (os.cpu_count() or 1)


POLL_SECONDS = 0.1
"""How often the main thread looks up from waiting for workers (see :func:`wait_interruptibly`)."""


_installed: list[Any] = []
"""In a worker process only: the problem its initializer took (the parent never sets it)."""

_counter: list[Any] = []
"""In a worker process only: the run's shared count of the chunks taken so far."""


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _block(how: int, signals: Iterable[int]) -> set[int | signal.Signals] | None:
    """``signal.pthread_sigmask`` where the platform has one (not Windows): the old mask."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(how, signals)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait while workers start: a worker stopped half-way through its
    start prints a traceback, and one the parent never learnt of is left behind.

    Two holds, because a signal sent to the process may be delivered to any of its threads
    (BLAS has its own): this thread blocks them, so the processes and threads it starts inherit
    them blocked (:func:`_install` lets them through in a local worker); and, in the main
    thread, the Python handlers only note them, to be raised again once the workers are up.
    Start the resource tracker before (:func:`resource_tracker.ensure_running`): starting it
    unblocks SIGINT and SIGTERM in the calling thread (Python 3.11 does not restore the mask it
    found).
    """
    caught: list[int] = []

    def note(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    main = threading.current_thread() is threading.main_thread()
    handlers = {sig: signal.signal(sig, note) for sig in _STOP_SIGNALS} if main else {}
    mask = _block(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        if mask is not None:
            _block(signal.SIG_SETMASK, mask)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _exit_with_parent(sentinel: int) -> None:
    """Wait for the parent's end, then end this worker (never left waiting for work)."""
    connection.wait([sentinel])
    os._exit(1)


def _install(inbox: Any, counter: Any) -> None:
    """A local worker's initializer: take the problem from ``inbox`` and keep the run's shared
    chunk ``counter``; leave SIGINT to the parent (a Ctrl-C reaches every process of the
    terminal's group); let SIGTERM end the worker from now on; end with the parent, however it
    ends (even by SIGKILL, which leaves it no time to stop its workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _block(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True).start()
    _counter[:] = [counter]
    _installed[:] = [pickle.loads(inbox.get())]


def _ready() -> bool:
    return bool(_installed)


def _run_installed(simulate: Callable[..., Any], *args: Any) -> Any:
    return simulate(_installed[0], *args)


def _take(counter: Any, chunks: int) -> int | None:
    """The index of the next chunk nobody has taken, now taken; None when all are."""
    with counter.get_lock():
        index: int = counter.value
        if index >= chunks:
            return None
        counter.value = index + 1
    return index


def _share_installed(
    simulate: Callable[..., Any], seed: int, plan: list[tuple[int, int]], samples: int
) -> list[tuple[int, Any]]:
    """In a worker: take chunks until none is left; (chunk index, tally) of each one run."""
    done = []
    while (index := _take(_counter[0], len(plan))) is not None:
        first, count = plan[index]
        done.append((index, simulate(_installed[0], seed, first, count, samples)))
    return done


def _start_method() -> str:
    """``forkserver`` where the platform has it (never ``fork``: this process may hold
    threads and locks, and fork copies them half-taken), else ``spawn``."""
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


@contextlib.contextmanager
def _main_kept_out(payload: bytes) -> Iterator[None]:
    """While local workers start, keep them from running the caller's main script again.

    Without ``fork``, a new process imports the parent's ``__main__`` (by path, or by name
    under ``python -m``) so that functions defined there can be unpickled; a script that calls
    accord at its top level without an ``if __name__ == "__main__":`` guard would then run
    again in every worker (and in the fork server), and the pool breaks.  When nothing sent to
    the workers refers to ``__main__`` (accord's own functions, a user's indicator defined in
    a module), the main module's path and name are hidden while the processes start, so none
    imports it.  When something does (an indicator defined in the script itself), the workers
    need the script, and it must have the guard, as Python's multiprocessing documents.
    """
    main = sys.modules.get("__main__")
    if main is None or b"__main__" in payload:
        yield
        return
    saved: dict[str, Any] = {
        k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class LocalProcesses:
    """``workers`` local processes behind the client interface; a context manager.

    The pool starts at :meth:`scatter`.  Its initializer receives a queue, not the problem:
    starting a process writes its arguments down a pipe that the new process reads only once
    it has imported them, so a large problem there would make every start, and every signal
    held meanwhile (:func:`signals_held`), wait for the worker's imports (seconds on a loaded
    machine).  The problem, pickled once, goes into the queue once per worker, and each
    worker's initializer takes one copy.  The initializer also receives the run's chunk
    counter, through which the workers and this process share the chunks (:meth:`share`,
    :meth:`take`).
    """

    def __init__(self, workers: int, simulate: Callable[..., Any] | None = None) -> None:
        self.workers = workers
        self._simulate = simulate  # what the tasks will run (to know whether it is __main__'s)
        self._pool: ProcessPoolExecutor | None = None
        self._inbox: Any = None
        self._counter: Any = None

    def scatter(self, data: Any, broadcast: bool = True) -> None:
        context = mp.get_context(_start_method())
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        module = getattr(self._simulate, "__module__", None)
        _set_preload([module] if module and module != "__main__" else [])
        resource_tracker.ensure_running()  # before the hold (see signals_held)
        sent = payload + pickle.dumps(self._simulate)  # the module names pickles refer to
        with signals_held(), _main_kept_out(sent):
            self._inbox = context.Queue()
            self._inbox.cancel_join_thread()  # never wait at exit for copies nobody took
            self._counter = context.Value("q", 0)
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_install,
                initargs=(self._inbox, self._counter),
            )
            # start every worker now (the pool starts one for each task submitted while none
            # is idle), so that the pool knows each one before a signal is let through
            for _ in range(self.workers):
                self._pool.submit(_ready)
        for _ in range(self.workers):
            self._inbox.put(payload)

    def submit(
        self, func: Callable[..., Any], _shared: None, *args: Any, pure: bool = False
    ) -> Any:
        assert self._pool is not None, "scatter the problem first"
        return self._pool.submit(_run_installed, func, *args)

    def gather(self, futures: Sequence[Future[Any]]) -> list[Any]:
        return [f.result() for f in futures]

    def share(
        self, simulate: Callable[..., Any], seed: int, plan: list[tuple[int, int]], samples: int
    ) -> list[Future[list[tuple[int, Any]]]]:
        """Set every worker taking the chunks of ``plan`` until none is left; each future is
        one worker's list of (chunk index, tally)."""
        assert self._pool is not None, "scatter the problem first"
        return [
            self._pool.submit(_share_installed, simulate, seed, plan, samples)
            for _ in range(self.workers)
        ]

    def take(self, chunks: int) -> int | None:
        """The next chunk of the ``chunks`` shared, for this process to run; None when all
        are taken."""
        assert self._counter is not None, "scatter the problem first"
        return _take(self._counter, chunks)

    def close(self) -> None:
        """Let the workers finish what they run, then end them."""
        self._end(stop=False)

    def stop(self) -> None:
        """End the workers now, whatever they are doing (see :func:`_stop`)."""
        self._end(stop=True)

    def _end(self, *, stop: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            if stop:
                _stop(pool)
            else:
                pool.shutdown(wait=True)
        if self._inbox is not None:
            self._inbox.close()
            self._inbox = None

    def __enter__(self) -> LocalProcesses:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._end(stop=kind is not None)


def _set_preload(modules: list[str]) -> None:
    """The modules a fork server not yet started will import once, for every worker it forks
    (a running server keeps what it has)."""
    if modules and _start_method() == "forkserver":
        mp.get_context("forkserver").set_forkserver_preload(modules)


def warm_up(modules: Iterable[str]) -> None:
    """Start the fork server now, importing ``modules`` there (the simulators' modules), so
    that the local workers of every later run fork with them already imported.

    The server starts in the background (the call returns at once) and serves every later run
    of this process; a server already running is kept.  Nothing happens where there is no fork
    server (Windows, macOS' default, where workers spawn).  Signals are held while it starts
    (:func:`signals_held`): the workers it forks inherit them held.
    """
    if _start_method() != "forkserver":  # pragma: no cover - platforms without fork server
        return
    from multiprocessing import forkserver

    _set_preload(list(modules))
    resource_tracker.ensure_running()  # before the hold (see signals_held)
    with signals_held():
        forkserver.ensure_running()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, whatever they are running.

    ``shutdown`` alone lets every running chunk finish (tens of seconds on a large space) and
    then blocks the interpreter's exit until they do.  Python 3.14 has
    ``ProcessPoolExecutor.kill_workers``; before it, the executor's own process table
    (``_processes``, the same one that method reads) is the only way to reach them.  They are
    killed, not asked: a worker holds nothing to clean up (every tally comes back through the
    pool), and one still starting holds SIGTERM until its initializer.
    """
    workers = list(getattr(pool, "_processes", {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.kill()
    for process in workers:
        process.join()
    # let the pool's manager thread see its workers gone and close its wake-up pipe now: left
    # closing while the interpreter exits, it races the exit hook that writes to that pipe
    # (CPython 3.11's _ThreadWakeup has no lock), which prints "Exception ignored ... Bad file
    # descriptor" after the one line an interrupted command should print
    if manager is not None:
        manager.join(timeout=5)


ResultT = TypeVar("ResultT")
OtherT = TypeVar("OtherT")


class Started(Generic[ResultT]):
    """A run under way: :meth:`result` waits for it (and takes part in it, locally), once;
    :meth:`cancel` stops it.

    Whatever stops :meth:`result` (an error, a KeyboardInterrupt) cancels the run before it
    goes on, so no worker is left running."""

    def __init__(self, finish: Callable[[], ResultT], cancel: Callable[[], None]) -> None:
        self._finish: Callable[[], ResultT] | None = finish
        self._cancel = cancel
        self._result: list[ResultT] = []

    def result(self) -> ResultT:
        if not self._result:
            if self._finish is None:
                raise RuntimeError("the run was cancelled")
            finish, self._finish = self._finish, None
            try:
                self._result.append(finish())
            except BaseException:
                self._cancel()
                raise
        return self._result[0]

    def cancel(self) -> None:
        """Stop the run now (nothing once its result is in)."""
        if self._finish is not None:
            self._finish = None
            self._cancel()

    def then(self, after: Callable[[ResultT], OtherT]) -> Started[OtherT]:
        """The run followed by ``after`` on its result (in this process, at :meth:`result`)."""
        return Started(lambda: after(self.result()), self.cancel)


def wait_interruptibly(futures: Sequence[Any]) -> None:
    """Until every future is done, waking every :data:`POLL_SECONDS`.

    A signal is handled in the main thread, but the kernel may deliver it to any thread that
    does not block it (BLAS and Dask have their own); a main thread blocked in a wait with no
    end (``Future.result()``), or with a long one (Dask waits 10 s at a time), then handles it
    only when that wait ends.  Short sleeps bound the time to notice a Ctrl-C.
    """
    pending = [f for f in futures if callable(getattr(f, "done", None))]
    while pending:
        pending = [f for f in pending if not f.done()]
        if pending:
            time.sleep(POLL_SECONDS)


def call_in_worker(func: Callable[[Any], ResultT], data: Any) -> Started[ResultT]:
    """``func(data)`` set going in a local worker process of its own; the handle's
    ``result()`` waits for it (``func`` a module-level function, ``data`` picklable).

    For a computation this process would otherwise do itself while it has other work to do
    (the report's calibration while it draws); the result is what ``func(data)`` returns
    here.  Errors raised by ``func`` are raised again by ``result()``."""
    local = LocalProcesses(1, func)
    try:
        local.scatter(data)
        future = local.submit(func, None)
    except BaseException:
        local.stop()
        raise

    def finish() -> ResultT:
        wait_interruptibly([future])
        result: ResultT = future.result()
        local.close()
        return result

    return Started(finish, local.stop)
