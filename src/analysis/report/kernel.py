"""The report notebook's kernel: ipykernel that dies, with everything it forked, when its parent dies.

``run_report`` starts the kernel as ``python -m analysis.report.kernel -f CONNECTION_FILE``.
jupyter_client starts kernels in a session of their own, so the kernel leads a process group
holding the workers its cells fork. When the process running the report dies — even by
SIGKILL, which no handler sees — Linux sends the kernel SIGTERM (``PR_SET_PDEATHSIG``), and a
watchdog thread polling the parent catches what that misses; either way the kernel kills its
whole process group, so no worker is left behind. When the kernel ends normally, workers still
running in its group get SIGTERM.
"""
from __future__ import annotations

import atexit
import os
import signal
import sys
from pathlib import Path


def _stop_group() -> None:
    """SIGTERM to the other processes of the kernel's group (workers its cells left running)."""
    if os.getpgrp() != os.getpid():
        return
    try:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.killpg(os.getpid(), signal.SIGTERM)
    except (OSError, ValueError):
        pass


def main() -> None:
    # as ipykernel_launcher does: do not import from the working directory while starting up
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    from analysis.report.workers import die_with_parent

    parent = int(os.environ.get("JPY_PARENT_PID") or 0) or os.getppid()
    die_with_parent(parent, group=True)
    atexit.register(_stop_group)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
