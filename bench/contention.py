"""Does background work at the lowest CPU priority still slow the pages? A probe, no studio code.

    python bench/contention.py [--samples 300] [--out FILE]

The scaled mode runs photo cleanup in a Celery worker under SCHED_IDLE (``studio/worker.py``): the
kernel gives it only CPU time nothing else wants. This measures what that leaves out. A probe task
at normal priority, shaped like page work (a Python loop over a dict: interpreter and cache bound,
about 5-25 ms), runs ``--samples`` times with a 10 ms pause between runs, first alone, then beside
one and two SCHED_IDLE processes that only compute (a counting loop: little memory traffic), then
beside one and two that stream through memory like the photo pipeline does (numpy over 48 MB
float32 arrays), then alone again. With ``pinned`` the background process is held on CPU 1 and the
probe on CPU 0 (the two share the last-level cache and the memory bus).

Printed JSON: the probe's p50/p95/max in ms per case and its slowdown against the mean of the two
"alone" runs. Linux only (SCHED_IDLE, CPU affinity).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time


def _compute() -> None:
    x = 0
    while True:
        x += 1


def _stream_memory() -> None:
    import numpy as np

    a = np.random.default_rng(0).random((3000, 4000), dtype=np.float32)
    b = np.empty_like(a)
    while True:
        np.multiply(a, 1.0001, out=b)
        a, b = b, a


def _start(kind: str, count: int, pin: bool) -> list[int]:
    pids = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:        # the child never returns
            try:
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
                if pin:
                    os.sched_setaffinity(0, {1})
                (_compute if kind == "compute" else _stream_memory)()
            finally:
                os._exit(0)
        pids.append(pid)
    time.sleep(1.0)         # the background has started (numpy imported, arrays made)
    return pids


def _stop(pids: list[int]) -> None:
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _probe(samples: int) -> dict:
    table = {i: i for i in range(200_000)}
    runs = []
    for _ in range(samples):
        t0 = time.perf_counter()
        s = 0
        for i in range(0, 200_000, 3):
            s += table[(i * 7919) % 200_000]
        runs.append((time.perf_counter() - t0) * 1000.0)
        time.sleep(0.01)
    runs.sort()
    return {"p50_ms": round(runs[len(runs) // 2], 2), "p95_ms": round(runs[int(len(runs) * 0.95)], 2),
            "max_ms": round(runs[-1], 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--out", help="also write the JSON here")
    args = ap.parse_args()
    if not hasattr(os, "SCHED_IDLE") or os.cpu_count() is None or os.cpu_count() < 2:
        print("needs Linux with at least 2 cores", file=sys.stderr)
        return 2
    cases = [("alone", None, 0, False), ("idle compute x1", "compute", 1, False),
             ("idle compute x2", "compute", 2, False), ("idle memory x1", "memory", 1, False),
             ("idle memory x2", "memory", 2, False), ("idle memory x1 pinned", "memory", 1, True),
             ("alone again", None, 0, False)]
    out = {"bench": "contention", "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "cores": os.cpu_count(), "loadavg_before": [round(x, 2) for x in os.getloadavg()], "cases": {}}
    original = os.sched_getaffinity(0)
    for name, kind, count, pin in cases:
        pids = _start(kind, count, pin) if kind else []
        try:
            if pin:
                os.sched_setaffinity(0, {0})
            out["cases"][name] = _probe(args.samples)
        finally:
            os.sched_setaffinity(0, original)
            _stop(pids)
        print(f"[bench/contention] {name}: {out['cases'][name]}", file=sys.stderr)
    base = (out["cases"]["alone"]["p50_ms"] + out["cases"]["alone again"]["p50_ms"]) / 2
    for case in out["cases"].values():
        case["p50_vs_alone"] = round(case["p50_ms"] / base, 2)
    out["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
