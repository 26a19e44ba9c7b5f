"""Job handlers for tests of the heavy lane's child processes (tests/services/test_heavy_child.py).

A child process builds its own app, so handlers defined in a test module would not exist there: the
tests name this module in ``JOBS_CHILD_IMPORTS`` and the child imports it.
"""
from __future__ import annotations

import os
import time

from studio import jobs


@jobs.handler("test.child.whoami", lane="heavy")
def whoami(job, progress):
    sched = os.sched_getscheduler(0) if hasattr(os, "sched_getscheduler") else None
    return {"pid": os.getpid(), "nice": os.getpriority(os.PRIO_PROCESS, 0) if hasattr(os, "getpriority") else None,
            "idle": sched == getattr(os, "SCHED_IDLE", object())}


@jobs.handler("test.child.die", lane="heavy")
def die(job, progress):
    progress(0.3, "segment")
    os._exit(9)          # the child is killed mid-job (out of memory, a crash in a native library)


@jobs.handler("test.child.spin", lane="heavy")
def spin(job, progress):
    """Pure-Python work that holds its interpreter's lock, like a cleanup's Python stages."""
    progress(0.1, "segment")
    end = time.monotonic() + float(job.payload.get("seconds", 3))
    n = 0
    while time.monotonic() < end:
        n += sum(i * i for i in range(2000))
    return {"n": n}
