"""Safe under kills: children die with their parent (analysis.report.workers, analysis.report.kernel),
and a report stopped by a signal leaves nothing behind."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from analysis.report.workers import run_in_child

SRC = str(Path(__file__).resolve().parents[1] / "src")
ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks read /proc")


def _gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for a reaper counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def _wait_gone(pids, seconds: float = 8.0) -> list[int]:
    """The pids still running after ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        alive = [p for p in pids if not _gone(p)]
        if not alive:
            return []
        time.sleep(0.1)
    return [p for p in pids if not _gone(p)]


def _kill_all(pids) -> None:
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _square(x):
    return x * x


def _fail(msg):
    raise ValueError(msg)


def _exit():
    os._exit(3)


# --------------------------------------------------------------------------- run_in_child

def test_run_in_child_returns_and_raises():
    assert run_in_child(_square, 12).result(timeout=30) == 144
    h = run_in_child(_fail, "bad <input>")
    with pytest.raises(ValueError, match="bad <input>") as info:
        h.result(timeout=30)
    assert any("in the child process" in n and "_fail" in n for n in info.value.__notes__)
    with pytest.raises(ChildProcessError, match="ended without a result"):
        run_in_child(_exit).result(timeout=30)
    slow = run_in_child(time.sleep, 60)
    with pytest.raises(TimeoutError):
        slow.result(timeout=0.2)
    slow.cancel()
    assert _wait_gone([slow.pid], 5) == []
    with pytest.raises(ChildProcessError, match="cancelled"):
        slow.result()


def test_run_in_child_sees_the_parents_data_without_pickling():
    big = list(range(200_000))
    unpicklable = lambda: sum(big)  # noqa: E731 - a lambda cannot be pickled: fork shares it
    assert run_in_child(unpicklable).result(timeout=30) == sum(big)


CHILD_SCRIPT = """
import sys, threading, time
from analysis.report.workers import run_in_child
if sys.argv[1] == "thread":  # from another thread: the watchdog (no prctl), and the thread ends first
    box = []
    t = threading.Thread(target=lambda: box.append(run_in_child(time.sleep, 600)))
    t.start(); t.join()
    handle = box[0]
else:
    handle = run_in_child(time.sleep, 600)
print(handle.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("how", ["main", "thread"])
def test_child_dies_when_its_parent_is_killed(how):
    parent = subprocess.Popen([sys.executable, "-c", CHILD_SCRIPT, how], stdout=subprocess.PIPE, env=ENV, text=True)
    child = None
    try:
        child = int(parent.stdout.readline())
        time.sleep(0.5)
        assert not _gone(child)  # alive while its parent lives (also after the starting thread ended)
        parent.kill()
        parent.wait(10)
        assert _wait_gone([child], 5) == [], "the child outlived its parent"
    finally:
        parent.kill()
        if child:
            _kill_all([child])


# --------------------------------------------------------------------------- the report's kernel

WORKER_CELL = """
import json, multiprocessing, os, time
ctx = multiprocessing.get_context("fork")
w = ctx.Process(target=time.sleep, args=(600,))  # a worker the old way: nothing ties it to its parent
w.start()
with open({pidfile!r} + ".tmp", "w") as fh:
    json.dump({{"kernel": os.getpid(), "worker": w.pid}}, fh)
os.rename({pidfile!r} + ".tmp", {pidfile!r})
time.sleep(600)
"""


def _report_process(tmp_path: Path, out: Path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "روسيا", "date": "2024-12-01", "text": "قالت روسيا."},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    pidfile = tmp_path / "pids.json"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('corpus: str = ""'),
                                         nbformat.v4.new_code_cell(WORKER_CELL.format(pidfile=str(pidfile)))])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "slow.ipynb"
    nbformat.write(nb, str(path))
    code = "import sys; from analysis.cli import main; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "report", str(corpus), "--out", str(out), "--notebook",
                             str(path), "--quiet"], env=ENV, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 120
    while not pidfile.exists():
        if proc.poll() is not None or time.monotonic() > end:
            proc.kill()
            pytest.fail(f"the report did not start its kernel: {proc.stderr.read()}")
        time.sleep(0.2)
    pids = json.loads(pidfile.read_text())
    return proc, [pids["kernel"], pids["worker"]]


def test_sigkill_of_the_report_kills_kernel_and_workers(tmp_path):
    out = tmp_path / "reports" / "r"
    proc, pids = _report_process(tmp_path, out)
    try:
        assert [p for p in pids if _gone(p)] == []
        proc.kill()  # SIGKILL: no handler runs in the report's process
        proc.wait(10)
        assert _wait_gone(pids, 8) == [], "kernel or worker outlived the report"
        leftovers = [p for p in out.parent.iterdir() if p.name.startswith(".analysis-report-")]
        assert len(leftovers) == 1 and not out.exists()
        # the next run (a process started after the leftover was made) removes it
        clean = subprocess.run([sys.executable, "-c", "import sys; from analysis.report.outputs import "
                                "clean_leftovers; print(len(clean_leftovers(sys.argv[1])))", str(out.parent)],
                               env=ENV, capture_output=True, text=True)
        assert clean.stdout.strip() == "1" and not leftovers[0].exists()
    finally:
        proc.kill()
        _kill_all(pids)


def test_sigterm_stops_the_report_cleanly(tmp_path):
    out = tmp_path / "reports" / "r"
    out.mkdir(parents=True)
    manifest = {"corpus_sha256": "0" * 64, "parameters": {}, "versions": {"analysis": "0"},
                "files": ["manifest.json", "report.html"]}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "report.html").write_text("the previous report")
    proc, pids = _report_process(tmp_path, out)
    try:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(30)
        err = proc.stderr.read()
        assert rc == 128 + signal.SIGTERM, err
        assert "stopped by SIGTERM: no report written (a previous report is untouched)" in err
        assert "Traceback" not in err
        assert _wait_gone(pids, 5) == []
        assert sorted(p.name for p in out.parent.iterdir()) == ["r"]  # the temporary folder was removed
        assert (out / "report.html").read_text() == "the previous report"
    finally:
        proc.kill()
        _kill_all(pids)
