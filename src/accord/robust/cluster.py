"""Running the robustness analysis on Dask: a local cluster or an existing one.

Dask is optional (``pip install 'accord[dask]'``).  Workers receive the
problem once (broadcast) and return integer tallies, so the result is the same
as a local run with the same seed, whatever the number of workers.

Interrupts: a local cluster starts with SIGINT and SIGTERM held
(:func:`accord.robust.workers.signals_held`), so its worker processes inherit them blocked and a
Ctrl-C, which reaches every process of the terminal's group, does not make each of them print
a traceback.  When anything, a KeyboardInterrupt included, stops the run, Dask's logging is
silenced, the local workers are killed (a graceful close would wait for their running tasks),
and the client and cluster are closed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Iterator
from multiprocessing import resource_tracker
from typing import Any

from accord.robust.workers import signals_held

__all__ = ["DASK_INSTALL", "DaskUnavailable", "dask_client"]

DASK_INSTALL = "pip install 'accord[dask]'"

_LOGGERS = ("distributed", "tornado", "asyncio")
"""What Dask's shutdown after an interrupt writes to: warnings and tracebacks of tasks and
connections cut short, which say nothing to the person who pressed Ctrl-C."""


class DaskUnavailable(RuntimeError):
    """dask.distributed is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"--workers and --cluster need Dask, which is not installed; install it with: "
            f"{DASK_INSTALL}"
        )


def _silence() -> None:
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _kill_local_workers(cluster: Any) -> None:
    """SIGKILL to every worker process of a local cluster (each is a child of this one)."""
    for nanny in list(getattr(cluster, "workers", {}).values()):
        pid = getattr(nanny, "pid", None)
        if isinstance(pid, int) and pid > 0:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def dask_client(
    *, workers: int | None = None, address: str | None = None, processes: bool = True
) -> Iterator[Any]:
    """A ``dask.distributed.Client``: on a new local cluster of ``workers`` workers
    (one thread each, on the loopback interface), or connected to ``address``.

    Raises :class:`DaskUnavailable` when dask.distributed is not installed.
    """
    if (workers is None) == (address is None):
        raise ValueError("give exactly one of workers or address")
    try:
        from dask.distributed import Client, LocalCluster  # type: ignore[import-not-found,unused-ignore]
    except ImportError as e:
        raise DaskUnavailable() from e
    if address is not None:
        with Client(address, timeout="30s") as client:  # type: ignore[no-untyped-call,unused-ignore]
            try:
                yield client
            except BaseException:
                _silence()
                raise
        return
    assert workers is not None
    resource_tracker.ensure_running()  # before the hold (see signals_held)
    with signals_held():
        cluster = LocalCluster(  # type: ignore[no-untyped-call,unused-ignore]
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            host="127.0.0.1",
            dashboard_address=None,
        )
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call,unused-ignore]
        try:
            yield client
        except BaseException:
            _silence()
            _kill_local_workers(cluster)
            raise
