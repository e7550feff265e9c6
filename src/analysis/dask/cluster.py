"""A dask.distributed client: a LocalCluster of worker processes, or an existing scheduler."""
from __future__ import annotations

import os
import threading
import time

__all__ = ["ClusterStalled", "compute", "current_client", "get_client", "persist"]

#: seconds every worker may stay paused before :func:`compute` gives up (see :class:`ClusterStalled`)
PAUSED_PATIENCE = 300.0
PAUSED_POLL = 5.0  # seconds between two looks at the workers' status


class ClusterStalled(RuntimeError):
    """Every worker of the cluster stayed paused: its process memory is above dask's pause
    threshold (``distributed.worker.memory.pause``, 80 % of ``memory_limit``), so no task can
    start, and memory that is not dask's own (not spillable) does not come down by waiting."""


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
        done, why = threading.Event(), []
        watch = threading.Thread(target=watch_paused, args=(client, futures, done, why), daemon=True,
                                 name="analysis-dask-watch-paused")
        watch.start()
        try:
            if progress:
                from distributed import progress as show

                show(futures, notebook=False)  # a text bar, also in a notebook kernel (no widget library)
            return client.gather(futures)
        except BaseException:  # a cancelled future raises CancelledError, a BaseException
            if why:
                raise ClusterStalled(why[0]) from None
            raise
        finally:
            done.set()
            watch.join(PAUSED_POLL)  # it wakes at once, unless a scheduler that is going away holds it
    if progress:
        from dask.diagnostics import ProgressBar

        with ProgressBar():
            return dask.compute(*objs)
    return dask.compute(*objs)


def watch_paused(client, futures, done: threading.Event, why: list, patience: float | None = None,
                 poll: float | None = None) -> None:
    """Until ``done`` is set, ask the scheduler every ``poll`` seconds for its workers' status;
    when every worker has been paused for ``patience`` seconds (default :data:`PAUSED_PATIENCE`),
    put the reason in ``why`` and cancel ``futures`` (the waiting :func:`compute` then raises
    :class:`ClusterStalled` with it) instead of waiting for ever."""
    patience = PAUSED_PATIENCE if patience is None else float(patience)
    poll = PAUSED_POLL if poll is None else float(poll)
    since = None
    while not done.wait(poll):
        try:
            workers = client.scheduler_info(n_workers=-1)["workers"]
        except Exception:  # the scheduler is busy or going away: ask again later
            continue
        if not workers or any(w.get("status") != "paused" for w in workers.values()):
            since = None
            continue
        since = time.monotonic() if since is None else since
        if time.monotonic() - since < patience:
            continue
        used = [((w.get("metrics") or {}).get("memory") or 0) / 2**20 for w in workers.values()]
        limit = max((w.get("memory_limit") or 0) / 2**20 for w in workers.values())
        of = f", of a memory limit of {limit:,.0f} MB" if limit else ""
        why.append(
            f"every worker of the Dask cluster ({len(workers)}) has been paused for {patience:.0f} s: its "
            f"memory ({max(used):,.0f} MB at most{of}) is above "
            "dask's pause threshold (80 % of the limit), so no task can run; stopped instead of waiting "
            "for ever. Run again with a larger --memory-limit (e.g. 4GB a worker) or a smaller --blocksize "
            "(smaller partitions), or with fewer workers and more memory each.")
        client.cancel(futures)
        return
