"""Child processes that die with their parent.

A report killed by a CI time limit or the OOM killer (SIGKILL: no handler runs) must not
leave its workers behind, alive and holding gigabytes. :func:`run_in_child` runs a function
in a forked child that dies when its parent dies: on Linux through
``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (the kernel kills the child the moment its parent
thread ends), elsewhere through a watchdog thread in the child that polls ``os.getppid()``.
:func:`die_with_parent` is the mechanism, for processes started by other means (the report's
kernel uses it with ``group=True``: it takes its whole process group with it).
"""
from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from typing import Any, Callable

__all__ = ["run_in_child", "ChildResult", "die_with_parent"]

_PR_SET_PDEATHSIG = 1


def _prctl_pdeathsig(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent (thread) ends."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _kill_self(group: bool) -> None:
    if group and os.getpgrp() == os.getpid():  # only a group this process leads (never its parent's)
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def die_with_parent(parent_pid: int | None = None, *, prctl: bool = True, group: bool = False,
                    interval: float = 0.25) -> str:
    """Make this process die (SIGKILL) when the process ``parent_pid`` (default: the current
    parent) is gone; returns the mechanisms set up, e.g. ``"prctl+watchdog"``.

    - ``prctl`` (Linux): ``PR_SET_PDEATHSIG``. Linux sends the signal when the *thread* that
      created this process ends, so use it only for processes started from a long-lived
      thread (the main thread).
    - A watchdog thread polls ``os.getppid()`` every ``interval`` seconds (always started:
      the fallback where prctl is missing, and a second line of defence).
    - ``group=True``: kill this process's whole process group (everything it forked) with it;
      only when this process leads its group. The parent's death then arrives as SIGTERM,
      handled by killing the group.

    If the parent is already gone, this process dies at once.
    """
    parent = os.getppid() if parent_pid is None else int(parent_pid)
    done = []
    if prctl:
        if group:
            signal.signal(signal.SIGTERM, lambda *_: _kill_self(True))
        if _prctl_pdeathsig(signal.SIGTERM if group else signal.SIGKILL):
            done.append("prctl")
    if os.getppid() != parent:  # the parent died before prctl took effect
        _kill_self(group)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                _kill_self(group)
            time.sleep(interval)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
    done.append("watchdog")
    return "+".join(done)


def _child_main(conn, parent_pid: int, use_prctl: bool, func: Callable, args: tuple, kwargs: dict) -> None:
    die_with_parent(parent_pid, prctl=use_prctl)
    try:
        payload = (True, func(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        exc.__notes__ = [*getattr(exc, "__notes__", []), "in the child process:\n" + traceback.format_exc()]
        payload = (False, exc)
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
        data = pickle.dumps((False, RuntimeError(f"the child's {'result' if payload[0] else 'error'} "
                                                 f"could not be sent back: {exc}; {payload[1]!r}"[:2000])))
    try:
        conn.send_bytes(data)
    finally:
        conn.close()


class ChildResult:
    """The handle of a :func:`run_in_child` call: ``result()``, ``done()``, ``cancel()``, ``pid``."""

    def __init__(self, process, conn):
        self._process, self._conn = process, conn
        self._lock = threading.Lock()
        self._outcome: tuple[bool, Any] | None = None

    @property
    def pid(self) -> int:
        return self._process.pid

    def done(self) -> bool:
        """True when the result (or the error) is ready, or the child has ended."""
        return self._outcome is not None or not self._process.is_alive() or self._conn.poll(0)

    def result(self, timeout: float | None = None) -> Any:
        """The function's return value; re-raises its exception; ``ChildProcessError`` when the child
        died without answering (killed, out of memory); ``TimeoutError`` after ``timeout`` seconds."""
        with self._lock:
            if self._outcome is None:
                if not self._conn.poll(timeout):
                    raise TimeoutError(f"the child process {self.pid} did not answer within {timeout} s")
                try:
                    self._outcome = pickle.loads(self._conn.recv_bytes())
                except (EOFError, OSError):
                    self._process.join(5)
                    code = self._process.exitcode
                    how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                    self._outcome = (False, ChildProcessError(
                        f"the child process {self.pid} ended without a result ({how})"))
                self._conn.close()
                self._process.join(5)
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL after a second) and reap it."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(1)
            if self._process.is_alive():
                self._process.kill()
        self._process.join(5)
        with self._lock:
            if self._outcome is None:
                self._outcome = (False, ChildProcessError(f"the child process {self.pid} was cancelled"))
                self._conn.close()

    def __enter__(self) -> "ChildResult":
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()


def run_in_child(func: Callable, *args, **kwargs) -> ChildResult:
    """Start ``func(*args, **kwargs)`` in a child process that dies when this process dies.

    Returns at once a :class:`ChildResult`; its ``result()`` waits for the return value (sent
    back pickled) or re-raises the function's exception. The child is forked where ``fork``
    exists (it sees this process's data without copying it up front; nothing is pickled but
    the result), else spawned (``func`` and its arguments must then be picklable). It is a
    daemon: it may not start multiprocessing children itself, and it is stopped when this
    process exits normally. Started from the main thread it is killed by Linux the moment
    this process dies (``PR_SET_PDEATHSIG``); from another thread, or elsewhere than Linux, a
    watchdog in the child notices within a quarter of a second.
    """
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    receive, send = ctx.Pipe(duplex=False)
    use_prctl = threading.current_thread() is threading.main_thread()
    process = ctx.Process(target=_child_main, args=(send, os.getpid(), use_prctl, func, args, kwargs),
                          daemon=True, name=f"analysis-child-{getattr(func, '__name__', 'job')}")
    process.start()
    send.close()
    return ChildResult(process, receive)
