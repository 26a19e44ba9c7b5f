"""Where the page process's CPU goes during the training-day load: bench/web.py with py-spy attached.

    python bench/webprof.py --out-prof FILE.json -- --mode embedded --duration 60 [bench/web.py options]

Runs bench/web.py unchanged (same users, same servers) and, for the load phase only (not the
warm-up, not the drain), samples every gunicorn worker with ``py-spy record --nonblocking`` (no
pause of the server), twice: ``holding_gil`` counts only the thread holding the GIL (what the
page threads of one process queue behind), ``running`` every thread the kernel has running or
runnable (also C code that released the GIL: scrypt, image decoders; on a loaded machine
runnable threads waiting for a core count too, so read it as demand, not CPU). Each sample is
charged to the Flask view its thread was running (the frame under ``dispatch_request``), else to the request plumbing around it (werkzeug form parsing,
before/after request hooks, gunicorn reading and writing), else to the thread that was running
(warm-up, jobs ticker ...). Writes the web.py JSON (``--out``, as usual) and the CPU split
(``--out-prof``): per view the CPU seconds, their share, and the leaf functions and libraries
that took it. py-spy (requirements-test.txt) must be allowed to ptrace the workers (root, or
kernel.yama.ptrace_scope 0). Only 127.0.0.1 is contacted, as in bench/web.py.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import web  # noqa: E402
from web_stack import log  # noqa: E402

PYSPY = Path(sys.executable).parent / "py-spy"
RATE = 100
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def worker_pids(master_pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        try:
            kids += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(set(kids))


def parse_frame(text: str) -> tuple[str, str]:
    """("dispatch_request", "flask/app.py") of "Flask.dispatch_request (flask/app.py:902)"."""
    m = FRAME.match(text.strip())
    return (m["func"].rsplit(".", 1)[-1], m["file"]) if m else (text.strip(), "")


def bucket(frames: list[tuple[str, str]]) -> str:
    """What a sample (root first) was doing, by the request code it was in."""
    for i, (func, file) in enumerate(frames):
        if func == "dispatch_request" and file.endswith("flask/app.py") and i + 1 < len(frames):
            # the view: the next frame (a decorator wrapper may come first: skip to the studio code)
            for f2, file2 in frames[i + 1:]:
                if "studio/" in file2 and not file2.endswith(("auth/access.py", "security.py", "decorators.py")):
                    return f"view {f2} ({file2})"
            return f"view {frames[i + 1][0]} ({frames[i + 1][1]})"
        if func == "_worker" and file.endswith("concurrent/futures/thread.py") and "gunicorn" not in " ".join(
                fl for _, fl in frames):
            return "thread pool outside gunicorn (jobs seam)"
    names = [f for f, _ in frames]
    files = " ".join(fl for _, fl in frames)
    if "full_dispatch_request" in names:
        if "preprocess_request" in names:
            return "flask before_request hooks"
        if "process_response" in names or "finalize_request" in names:
            return "flask after_request / response"
        return "flask request (other)"
    if "wsgi_app" in names:
        if "request_context" in names or "push" in names:
            return "flask request context (session, url adapter)"
        return "flask wsgi_app (other: teardown, response iteration)"
    if "handle_request" in names or "handle" in names and "gunicorn" in files:
        return "gunicorn request I/O (parse, send)"
    if "warm" in files:
        return "warm-up thread"
    if "studio/jobs.py" in files or "job_child" in files:
        return "jobs seam (ticker / lane owner)"
    return "other: " + (";".join(names[:4]) or "?")


def leaf_lib(file: str) -> str:
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1].split("/", 1)[0]
    if "studio/" in file:
        return "studio/" + file.split("studio/", 1)[1].split("/", 1)[0]
    return file.rsplit("/", 1)[-1] or "?"


def analyse(raw_files: list[Path], seconds: float) -> dict:
    by_bucket: collections.Counter = collections.Counter()
    leaves: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    libs: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    total = 0
    for path in raw_files:
        if not path.exists():
            continue
        for line in path.read_text(errors="replace").splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [parse_frame(f) for f in stack.split(";")]
            frames = [f for f in frames if not f[0].startswith(("thread (", "process "))]
            b = bucket(frames)
            by_bucket[b] += n
            total += n
            if frames:
                func, file = frames[-1]
                leaves[b][f"{func} ({file})"] += n
                # the deepest studio frame and the library the leaf is in
                studio = next((f"{f} ({fl})" for f, fl in reversed(frames) if "studio/" in fl), "-")
                libs[b][f"{leaf_lib(file)} <- {studio}"] += n
    out = {"samples": total, "rate_hz": RATE, "cpu_seconds": round(total / RATE, 1),
           "avg_threads": round(total / RATE / max(seconds, 1e-9), 2),
           "by_code": []}
    small = 0
    for b, n in by_bucket.most_common():
        if n < total * 0.002:          # the long tail (partial stacks of a changing thread) in one row
            small += n
            continue
        out["by_code"].append({"code": b, "cpu_s": round(n / RATE, 2), "share": round(n / max(total, 1), 3),
                               "top_libraries": [[k, round(v / RATE, 2)] for k, v in libs[b].most_common(6)],
                               "top_leaf_functions": [[k, round(v / RATE, 2)] for k, v in leaves[b].most_common(6)]})
    out["by_code"].append({"code": "each below 0.2% (mostly partial stacks)", "cpu_s": round(small / RATE, 2),
                           "share": round(small / max(total, 1), 3)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-prof", required=True, help="CPU split JSON")
    ap.add_argument("--keep-raw", default="", help="folder to keep py-spy's raw collapsed stacks in")
    ap.add_argument("web_args", nargs=argparse.REMAINDER, help="-- then bench/web.py's options")
    args = ap.parse_args()
    web_args = [a for a in args.web_args if a != "--"]
    raw_dir = Path(args.keep_raw) if args.keep_raw else Path(f"/tmp/webprof-{os.getpid()}")
    raw_dir.mkdir(parents=True, exist_ok=True)
    result: dict = {}
    original = web.run_load

    def profiled_run_load(st, seed, photos, wargs):
        master = next(p for p in st.procs if p.name == "gunicorn").proc.pid
        pids = worker_pids(master)
        spies, raws = [], {"running": [], "gil": []}
        for pid in pids:
            for kind, extra in (("running", []), ("gil", ["--gil"])):
                raw = raw_dir / f"worker-{pid}-{kind}.txt"
                raws[kind].append(raw)
                spies.append(subprocess.Popen([str(PYSPY), "record", "--nonblocking", "--rate", str(RATE), "--format",
                                               "raw", "--threads", *extra, "-o", str(raw), "-p", str(pid)],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        log(f"py-spy on gunicorn workers {pids}")
        t0 = time.time()
        try:
            return original(st, seed, photos, wargs)
        finally:
            seconds = time.time() - t0
            for s in spies:
                s.send_signal(signal.SIGINT)
            for s in spies:
                try:
                    s.wait(60)
                except subprocess.TimeoutExpired:
                    s.kill()
            result.update(workers=pids, load_seconds=round(seconds, 1),
                          holding_gil=analyse(raws["gil"], seconds), running=analyse(raws["running"], seconds))

    web.run_load = profiled_run_load
    sys.argv = [str(HERE / "web.py"), *web_args]
    rc = web.main()
    Path(args.out_prof).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out_prof).write_text(json.dumps(result, indent=1) + "\n")
    for kind in ("holding_gil", "running"):
        log(f"-- {kind}: {result.get(kind, {}).get('cpu_seconds')} s")
        for row in result.get(kind, {}).get("by_code", [])[:15]:
            log(f"{row['cpu_s']:7.2f} s {row['share'] * 100:5.1f}%  {row['code']}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
