"""Where seeded chunks run: here, in local worker processes, or on a Dask cluster, by one path.

A robustness run is a list of chunks, each a run of whole seeded blocks
(:func:`chunk_plan`), whose integer tallies add exactly; so the total depends only on the seed
and the number of samples, never on where or in which grouping the chunks ran.
:func:`run_seeded_chunks` hands the problem to a *client* once (``scatter``), submits one task
per chunk and gathers the tallies.  The client is a ``dask.distributed.Client``, or one of the
two local stand-ins with the same three methods:

* :class:`InProcess`: each chunk runs here, when submitted;
* :class:`LocalProcesses`: a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers
  start by ``forkserver`` (``spawn`` where there is none) and receive the problem once, through
  the pool's initializer.  Everything a worker gets is pickled, as on Dask: the simulator is a
  module-level function and the problem holds arrays and picklable callables only.

Interrupts: workers ignore SIGINT (a Ctrl-C reaches every process of the terminal's group), so
the parent alone decides; when anything, a KeyboardInterrupt included, stops the gathering,
the pending chunks are cancelled and the local workers are terminated before the exception
goes on, so none is left running.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, Protocol, TypeVar

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,import-not-found,unused-ignore]

from accord.robust.parameters import BLOCK_SAMPLES

__all__ = [
    "ChunkSimulator",
    "DaskLikeClient",
    "InProcess",
    "LocalProcesses",
    "chunk_plan",
    "run_seeded_chunks",
    "single_threaded_blas",
]

WORKER_STOP_SECONDS = 2.0
"""How long a terminated local worker gets to exit before it is killed."""


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
"""In a worker process only: the problem its initializer received (the parent never sets it)."""


def _install(problem: Any) -> None:
    """A local worker's initializer: keep the problem; leave SIGINT to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _installed[:] = [problem]


def _run_installed(simulate: Callable[..., Any], *args: Any) -> Any:
    return simulate(_installed[0], *args)


def _start_method() -> str:
    """``forkserver`` where the platform has it (never ``fork``: this process may hold
    threads and locks, and fork copies them half-taken), else ``spawn``."""
    return "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"


class LocalProcesses:
    """``workers`` local processes behind the client interface; a context manager.

    The pool starts at :meth:`scatter`, with the problem as its initializer's argument, so
    each worker unpickles it once.  ``preload`` names modules the fork server imports once
    for all its workers (the simulator's module), so a worker starts in milliseconds.
    """

    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        self.workers = workers
        self.preload = list(preload)
        self._pool: ProcessPoolExecutor | None = None

    def scatter(self, data: Any, broadcast: bool = True) -> None:
        method = _start_method()
        context = mp.get_context(method)
        if method == "forkserver" and self.preload:
            context.set_forkserver_preload(self.preload)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_install,
            initargs=(data,),
        )

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
        if pool is None:
            return
        if kind is None:
            pool.shutdown(wait=True)
        else:
            _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, whatever they are running.

    ``shutdown`` alone lets every running chunk finish (tens of seconds on a large space) and
    then blocks the interpreter's exit until they do.  Python 3.14 has
    ``ProcessPoolExecutor.terminate_workers``; before it, the executor's own process table
    (``_processes``, the same one that method reads) is the only way to reach them.
    """
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:  # pragma: no cover - Python >= 3.14
        terminate()
    for process in workers:
        process.terminate()
    for process in workers:
        process.join(WORKER_STOP_SECONDS)
        if process.is_alive():  # pragma: no cover - SIGTERM is not ignored by the workers
            process.kill()
            process.join()


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
        with LocalProcesses(min(len(plan), wanted), preload=[simulate.__module__]) as local:
            parts = _gather(local, simulate, problem, plan, seed, samples)
    else:
        parts = _gather(InProcess(), simulate, problem, plan, seed, samples)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


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
    futures = [
        client.submit(simulate, shared, seed, first, count, samples, pure=False)
        for first, count in plan
    ]
    try:
        parts: list[Any] = client.gather(futures)
    except BaseException:
        cancel = getattr(client, "cancel", None)
        if cancel is not None:
            with contextlib.suppress(Exception):
                cancel(futures)
        raise
    return parts
