"""A cluster whose every worker stays paused (memory above dask's pause threshold) stops the
computation with a message saying what to change, instead of waiting for ever."""
import re
import threading
import time

import pytest

pytest.importorskip("distributed")

import dask  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402
from distributed.core import Status  # noqa: E402

import analysis.dask.cluster as cluster  # noqa: E402


@pytest.fixture()
def client():
    # memory_limit=0: no memory monitor, so nothing resumes the workers this test pauses
    with Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                             memory_limit=0)) as c:
        yield c


def _set_status(c, status):
    def set_status(dask_worker):
        dask_worker.status = status

    c.run(set_status)
    end = time.monotonic() + 10
    while any(w["status"] != status.name for w in c.scheduler_info()["workers"].values()):
        assert time.monotonic() < end, "the scheduler did not see the workers' status"
        time.sleep(0.05)


def test_every_worker_paused_stops_with_a_message(client, monkeypatch):
    monkeypatch.setattr(cluster, "PAUSED_PATIENCE", 1.0)
    monkeypatch.setattr(cluster, "PAUSED_POLL", 0.1)
    _set_status(client, Status.paused)
    raised = []

    def run():
        try:
            cluster.compute(False, dask.delayed(sum)([1, 2]))
        except BaseException as exc:  # noqa: BLE001 - checked below
            raised.append(exc)

    waiting = threading.Thread(target=run, daemon=True)
    waiting.start()
    waiting.join(60)
    assert not waiting.is_alive(), "compute kept waiting on a cluster whose workers are all paused"
    assert len(raised) == 1 and isinstance(raised[0], cluster.ClusterStalled), raised
    assert re.search(r"every worker of the Dask cluster \(2\) has been paused for 1 s.*--memory-limit.*--blocksize",
                     str(raised[0]))
    # the cluster is usable again once a worker runs
    _set_status(client, Status.running)
    assert cluster.compute(False, dask.delayed(sum)([1, 2])) == [3]


def test_one_running_worker_is_enough(client, monkeypatch):
    """Pausing is dask's normal back-pressure: as long as one worker runs, the work goes on."""
    monkeypatch.setattr(cluster, "PAUSED_PATIENCE", 0.5)
    monkeypatch.setattr(cluster, "PAUSED_POLL", 0.1)
    first = next(iter(client.scheduler_info()["workers"]))

    def pause_first(dask_worker):
        if dask_worker.address == first:
            dask_worker.status = Status.paused

    client.run(pause_first)
    slow = dask.delayed(lambda x: time.sleep(1.5) or x + 1)
    assert cluster.compute(False, slow(1), slow(2)) == [2, 3]
