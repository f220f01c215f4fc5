"""Running the robustness analysis on Dask: a local cluster or an existing one.

Dask is optional (``pip install 'accord[dask]'``).  Workers receive the
problem once (broadcast) and return integer tallies, so the result is the same
as a local run with the same seed, whatever the number of workers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["DASK_INSTALL", "DaskUnavailable", "dask_client"]

DASK_INSTALL = "pip install 'accord[dask]'"


class DaskUnavailable(RuntimeError):
    """dask.distributed is not installed."""

    def __init__(self) -> None:
        super().__init__(
            f"--workers and --cluster need Dask, which is not installed; install it with: "
            f"{DASK_INSTALL}"
        )


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
            yield client
        return
    assert workers is not None
    with (
        LocalCluster(  # type: ignore[no-untyped-call,unused-ignore]
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call,unused-ignore]
    ):
        yield client
