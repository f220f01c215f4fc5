"""Where seeded chunks run: here, in local worker processes, or on a Dask cluster, by one path.

A robustness run is a list of chunks, each a run of whole seeded blocks
(:func:`chunk_plan`), whose integer tallies add exactly; so the total depends only on the seed
and the number of samples, never on where or in which grouping the chunks ran.
:func:`run_seeded_chunks` hands the problem to a *client* once (``scatter``), submits one task
per chunk and gathers the tallies.  The client is a ``dask.distributed.Client``, or one of the
two local stand-ins with the same three methods:

* :class:`InProcess`: each chunk runs here, when submitted;
* :class:`LocalProcesses`: a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers
  start by ``forkserver`` (``spawn`` where there is none; never ``fork``) and take the
  problem once each, in the pool's initializer.  Everything a worker gets is pickled, as on
  Dask: the simulator is a module-level function and the problem holds arrays and picklable
  callables only.

Interrupts: local workers start with SIGINT and SIGTERM held, so none is ever stopped half-way
through its start; once started they ignore SIGINT (a Ctrl-C reaches every process of the
terminal's group), so the parent alone decides.  When anything, a KeyboardInterrupt included,
stops the gathering, the pending chunks are cancelled and the local workers are killed before
the exception goes on, so none is left running; and a worker whose parent dies (even by
SIGKILL) ends too.
"""

from __future__ import annotations

import contextlib
import math
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
from typing import Any, Protocol, TypeVar

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,import-not-found,unused-ignore]

from accord.robust.parameters import BLOCK_SAMPLES

__all__ = [
    "POLL_SECONDS",
    "ChunkSimulator",
    "DaskLikeClient",
    "InProcess",
    "LocalProcesses",
    "chunk_plan",
    "run_seeded_chunks",
    "signals_held",
    "single_threaded_blas",
]


POLL_SECONDS = 0.1
"""How often the main thread looks up from waiting for chunks (see :func:`_wait_interruptibly`)."""


class DaskLikeClient(Protocol):
    """The part of ``dask.distributed.Client`` that :func:`run_seeded_chunks` uses."""

    def scatter(self, data: Any, broadcast: bool = ...) -> Any: ...
    def submit(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...
    def gather(self, futures: Any) -> Any: ...


class SupportsTallyAdd(Protocol):
    """A chunk's tally: integer counts that add exactly, whatever the grouping."""

    def __add__(self, other: Any, /) -> Any: ...


TallyT = TypeVar("TallyT", bound=SupportsTallyAdd)

ChunkSimulator = Callable[[Any, int, int, int, int], TallyT]
"""``simulate(problem, seed, first_block, n_blocks, samples)``: one chunk's tally, with a
single-threaded BLAS; a module-level function, so that it pickles by name."""


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run BLAS on one thread while chunks run in parallel.

    The kernel's matrix products are small (a tile of samples); a multi-threaded
    BLAS spends more on synchronising its threads than on the product, badly so
    on a shared machine (measured: 393 s instead of 80 s end to end on 2 cores).
    Parallelism comes from chunks instead.  ``threadpoolctl`` is a required
    dependency, imported at the top of the module, so a broken install fails
    loudly rather than running several times slower.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def chunk_plan(samples: int, chunk_samples: int) -> list[tuple[int, int]]:
    """(first block, number of blocks) of each chunk; chunks hold whole blocks."""
    if samples <= 0:
        raise ValueError("the number of samples must be positive")
    blocks = math.ceil(samples / BLOCK_SAMPLES)
    per_chunk = max(1, chunk_samples // BLOCK_SAMPLES)
    return [(b, min(per_chunk, blocks - b)) for b in range(0, blocks, per_chunk)]


class InProcess:
    """Runs each chunk in this process, as it is submitted."""

    def scatter(self, data: Any, broadcast: bool = True) -> Any:
        return data

    def submit(self, func: Callable[..., Any], *args: Any, pure: bool = False) -> Any:
        return func(*args)

    def gather(self, futures: Sequence[Any]) -> list[Any]:
        return list(futures)


# -- local worker processes -------------------------------------------------------------------

_installed: list[Any] = []
"""In a worker process only: the problem its initializer took (the parent never sets it)."""


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


def _install(inbox: Any) -> None:
    """A local worker's initializer: take the problem from ``inbox``; leave SIGINT to the
    parent (a Ctrl-C reaches every process of the terminal's group); let SIGTERM end the
    worker from now on; end with the parent, however it ends (even by SIGKILL, which leaves it
    no time to stop its workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _block(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    parent = mp.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True).start()
    _installed[:] = [pickle.loads(inbox.get())]


def _ready() -> bool:
    return bool(_installed)


def _run_installed(simulate: Callable[..., Any], *args: Any) -> Any:
    return simulate(_installed[0], *args)


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
    worker's initializer takes one copy.
    """

    def __init__(self, workers: int, simulate: Callable[..., Any] | None = None) -> None:
        self.workers = workers
        self._simulate = simulate  # what the tasks will run (to know whether it is __main__'s)
        self._pool: ProcessPoolExecutor | None = None
        self._inbox: Any = None

    def scatter(self, data: Any, broadcast: bool = True) -> None:
        context = mp.get_context(_start_method())
        payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        resource_tracker.ensure_running()  # before the hold (see signals_held)
        sent = payload + pickle.dumps(self._simulate)  # the module names pickles refer to
        with signals_held(), _main_kept_out(sent):
            self._inbox = context.Queue()
            self._inbox.cancel_join_thread()  # never wait at exit for copies nobody took
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_install,
                initargs=(self._inbox,),
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

    def __enter__(self) -> LocalProcesses:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            if kind is None:
                pool.shutdown(wait=True)
            else:
                _stop(pool)
        if self._inbox is not None:
            self._inbox.close()
            self._inbox = None


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


def run_seeded_chunks(
    simulate: ChunkSimulator[TallyT],
    problem: Any,
    samples: int,
    seed: int,
    *,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> TallyT:
    """Tally ``samples`` seeded samples of ``problem``: here, in local processes, or on Dask.

    Chunks are runs of whole seeded blocks (:func:`chunk_plan`) and their
    tallies add exactly, so the total is the same whatever ``chunk_samples``,
    ``processes`` or ``client``.  ``client`` (a ``dask.distributed.Client``)
    receives the problem once (broadcast); otherwise chunks run in
    ``processes`` local processes (:class:`LocalProcesses`; default: one per
    core when there is more than one chunk; 1 runs them here).  By default
    chunks hold up to 16 blocks, fewer when that gives each process at least
    two chunks.
    """
    wanted = processes if processes is not None else (os.cpu_count() or 1)
    if chunk_samples is None:
        blocks = math.ceil(samples / BLOCK_SAMPLES)
        chunk_samples = BLOCK_SAMPLES * max(1, min(16, blocks // (2 * wanted)))
    plan = chunk_plan(samples, chunk_samples)
    if client is not None:
        parts: list[TallyT] = _gather(client, simulate, problem, plan, seed, samples)
    elif min(len(plan), wanted) > 1:
        with LocalProcesses(min(len(plan), wanted), simulate) as local:
            parts = _gather(local, simulate, problem, plan, seed, samples)
    else:
        parts = _gather(InProcess(), simulate, problem, plan, seed, samples)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _wait_interruptibly(futures: Sequence[Any]) -> None:
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


def _gather(
    client: DaskLikeClient,
    simulate: Callable[..., Any],
    problem: Any,
    plan: list[tuple[int, int]],
    seed: int,
    samples: int,
) -> list[Any]:
    """One task per chunk on ``client``; on any interruption the tasks are cancelled."""
    shared = client.scatter(problem, broadcast=True)
    futures: list[Any] = []
    try:
        for first, count in plan:
            futures.append(client.submit(simulate, shared, seed, first, count, samples, pure=False))
        _wait_interruptibly(futures)
        parts: list[Any] = client.gather(futures)
    except BaseException:
        cancel = getattr(client, "cancel", None)
        if cancel is not None and futures:
            with contextlib.suppress(Exception):
                cancel(futures)
        raise
    return parts
