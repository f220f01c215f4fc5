"""Where seeded chunks run: here, in local worker processes, or on a Dask cluster, by one path.

A robustness run is a list of chunks, each a run of whole seeded blocks
(:func:`chunk_plan`), whose integer tallies add exactly; so the total depends only on the seed
and the number of samples, never on where or in which grouping the chunks ran.
:func:`start_seeded_chunks` sets the chunks going and returns a :class:`Started` handle whose
``result()`` is the total; :func:`run_seeded_chunks` is both at once.  The chunks run:

* on a ``dask.distributed.Client``: the problem is handed over once (``scatter``), one task per
  chunk is submitted, and the tallies are gathered;
* in local processes: this process and ``processes - 1`` workers
  (:class:`LocalProcesses`, a :class:`~concurrent.futures.ProcessPoolExecutor` whose workers
  start by ``forkserver``, ``spawn`` where there is none, never ``fork``, and take the problem
  once each, in the pool's initializer) share the chunks through one counter: each takes the
  next chunk not yet taken.  The workers begin as soon as the run is started; this process
  joins them when its ``result()`` is asked for, so a caller with other work (the report's
  drawing) does it meanwhile, and a run smaller than a worker's start (a few phased plans) is
  done here before the workers have even begun, and they are dismissed;
* here alone (``processes=1``, one core, or a single chunk).

Everything a worker gets is pickled, as on Dask: the simulator is a module-level function and
the problem holds arrays and picklable callables only.  :func:`warm_up` starts the fork server
early, with the simulators' modules imported there once, so that every worker later forks with
them imported (``accord report`` and ``accord robust`` call it first thing, while they import
their own modules on the other core).

Interrupts: local workers start with SIGINT and SIGTERM held, so none is ever stopped half-way
through its start; once started they ignore SIGINT (a Ctrl-C reaches every process of the
terminal's group), so the parent alone decides.  When anything, a KeyboardInterrupt included,
stops the run, or the run is cancelled, the pending chunks are cancelled and the local workers
are killed before the exception goes on, so none is left running; and a worker whose parent
dies (even by SIGKILL) ends too.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,import-not-found,unused-ignore]

from accord.processes import (
    POLL_SECONDS,
    LocalProcesses,
    Started,
    sharing_processes,
    signals_held,
    wait_interruptibly,
    warm_up,
)
from accord.robust.parameters import BLOCK_SAMPLES

__all__ = [
    "POLL_SECONDS",
    "ChunkSimulator",
    "DaskLikeClient",
    "InProcess",
    "LocalProcesses",
    "Started",
    "chunk_plan",
    "run_seeded_chunks",
    "signals_held",
    "single_threaded_blas",
    "start_seeded_chunks",
    "warm_up",
]


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

    :func:`start_seeded_chunks`, then its result."""
    return start_seeded_chunks(
        simulate,
        problem,
        samples,
        seed,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
    ).result()


def start_seeded_chunks(
    simulate: ChunkSimulator[TallyT],
    problem: Any,
    samples: int,
    seed: int,
    *,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> Started[TallyT]:
    """Set ``samples`` seeded samples of ``problem`` going; the handle's result is the tally.

    Chunks are runs of whole seeded blocks (:func:`chunk_plan`) and their
    tallies add exactly, so the total is the same whatever ``chunk_samples``,
    ``processes`` or ``client``.  ``client`` (a ``dask.distributed.Client``)
    receives the problem once (broadcast) and runs every chunk; otherwise
    ``processes`` processes share them: this one, from when the result is asked
    for, and ``processes - 1`` local workers (:class:`LocalProcesses`), from
    now (default: one process per core when there is more than one chunk; 1
    runs them all here, at the result).  By default chunks hold up to 16
    blocks, fewer when that gives each process at least two chunks.
    """
    wanted = sharing_processes(processes)
    if chunk_samples is None:
        blocks = math.ceil(samples / BLOCK_SAMPLES)
        chunk_samples = BLOCK_SAMPLES * max(1, min(16, blocks // (2 * wanted)))
    plan = chunk_plan(samples, chunk_samples)
    if client is not None:
        return _start_on(client, simulate, problem, plan, seed, samples)
    if min(len(plan), wanted) > 1:
        return _start_shared(min(len(plan), wanted) - 1, simulate, problem, plan, seed, samples)
    here = InProcess()
    return Started(
        lambda: _total(_submit_all(here, simulate, problem, plan, seed, samples)), lambda: None
    )


def _total(parts: Sequence[TallyT]) -> TallyT:
    """The chunks' tallies added in the plan's order."""
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _start_shared(
    workers: int,
    simulate: ChunkSimulator[TallyT],
    problem: Any,
    plan: list[tuple[int, int]],
    seed: int,
    samples: int,
) -> Started[TallyT]:
    """``workers`` local workers take chunks from now; this process joins them at the result.

    When this process has run every chunk before any worker took one (a run smaller than a
    worker's start), the workers are dismissed at once rather than waited for."""
    local = LocalProcesses(workers, simulate)
    try:
        local.scatter(problem)
        futures = local.share(simulate, seed, plan, samples)
    except BaseException:
        local.stop()
        raise

    def finish() -> TallyT:
        parts: dict[int, TallyT] = {}
        while (index := local.take(len(plan))) is not None:
            first, count = plan[index]
            parts[index] = simulate(problem, seed, first, count, samples)
        if len(parts) == len(plan):
            local.stop()  # no worker took a chunk: nothing to wait for
        else:
            wait_interruptibly(futures)
            for future in futures:
                parts.update(future.result())
            local.close()
        return _total([parts[i] for i in range(len(plan))])

    return Started(finish, local.stop)


def _submit_all(
    client: DaskLikeClient,
    simulate: Callable[..., Any],
    problem: Any,
    plan: list[tuple[int, int]],
    seed: int,
    samples: int,
) -> list[Any]:
    """One task per chunk on ``client`` (on :class:`InProcess`, each chunk's tally)."""
    shared = client.scatter(problem, broadcast=True)
    return [
        client.submit(simulate, shared, seed, first, count, samples, pure=False)
        for first, count in plan
    ]


def _start_on(
    client: DaskLikeClient,
    simulate: ChunkSimulator[TallyT],
    problem: Any,
    plan: list[tuple[int, int]],
    seed: int,
    samples: int,
) -> Started[TallyT]:
    """Every chunk submitted to ``client`` now; the result waits for them and gathers."""
    futures: list[Any] = []

    def cancel() -> None:
        stop = getattr(client, "cancel", None)
        if stop is not None and futures:
            with contextlib.suppress(Exception):
                stop(futures)

    try:
        futures.extend(_submit_all(client, simulate, problem, plan, seed, samples))
    except BaseException:
        cancel()
        raise

    def finish() -> TallyT:
        wait_interruptibly(futures)
        parts: list[TallyT] = client.gather(futures)
        return _total(parts)

    return Started(finish, cancel)
