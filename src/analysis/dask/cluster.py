"""A dask.distributed client: a LocalCluster of worker processes, or an existing scheduler."""
from __future__ import annotations

import os

__all__ = ["compute", "current_client", "get_client", "persist"]


def get_client(scheduler: str | None = None, workers: int | None = None, memory_limit=None,
               threads_per_worker: int = 1, dashboard: bool = False, **cluster_options):
    """A ``distributed.Client``.

    ``scheduler``: address of a running scheduler (``tcp://HOST:8786``; start
    one with ``dask scheduler`` and workers with ``dask worker tcp://HOST:8786
    --nworkers N --nthreads 1 --memory-limit 4GB``); the workers need the
    ``analysis`` package and must see the input files at the same paths.
    Without it, a ``LocalCluster`` of ``workers`` processes (default: the
    number of cores) with ``threads_per_worker`` threads each (1: the
    matcher and the loader's warnings are per process) and ``memory_limit``
    per worker (``"4GB"``; default: the machine's memory shared out).
    Close the client (``client.close()``; a LocalCluster closes with it) or
    use it as a context manager.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    n = int(workers or os.cpu_count() or 1)
    cluster = LocalCluster(n_workers=n, threads_per_worker=int(threads_per_worker), processes=True,
                           memory_limit=memory_limit if memory_limit is not None else "auto",
                           dashboard_address=":0" if dashboard else None, **cluster_options)
    client = Client(cluster)
    client._analysis_owns_cluster = True
    _close = client.close

    def close(*args, **kwargs):
        try:
            return _close(*args, **kwargs)
        finally:
            cluster.close()

    client.close = close
    return client


def current_client():
    """The active ``distributed.Client``, or None."""
    try:
        from distributed import get_client as active
    except ImportError:
        return None
    try:
        return active()
    except ValueError:
        return None


def persist(objs):
    """Persist dask objects on the active distributed client, else with dask's default scheduler."""
    import dask

    client = current_client()
    if client is not None:
        return client.persist(objs)
    return dask.persist(*objs)


def compute(progress: bool, *objs):
    """Compute on the active distributed client (progress bar: distributed.progress) or dask's
    default scheduler."""
    import dask

    client = current_client()
    if client is not None:
        futures = client.compute(list(objs))
        if progress:
            from distributed import progress as show

            show(futures, notebook=False)  # a text bar, also in a notebook kernel (no widget library)
        return client.gather(futures)
    if progress:
        from dask.diagnostics import ProgressBar

        with ProgressBar():
            return dask.compute(*objs)
    return dask.compute(*objs)
