"""The write pages (trainer comment, hub print submit) while jobs write: latency p50/p95/p99 ms.

    python bench/writes.py --seeded DIR [--seconds 30] [--sync NORMAL,FULL,NORMAL,FULL] [--out FILE]

DIR is a bench instance made with ``python bench/pagecost.py --prepare DIR``. For each entry of
``--sync`` (SQLITE_SYNCHRONOUS of the app and of the job writer) a fresh copy of DIR is served
in-process (as one gunicorn worker: four request threads share one interpreter): three trainers
post comments and one hub operator submits print jobs (the job form fetched before each submit is
not timed; the render job is not run) with 0.05-0.2 s between requests (the first of each user
untimed), while a separate process writes as running photo jobs do: a job row's progress and heartbeat committed every 20 ms
and a 3 MB file written and fsynced into the media folder every 0.2 s. Runs alternate so a busy
machine's load falls on both settings; ``uptime`` is kept with each.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pagecost import bench_env, csrf, logged_in_client  # noqa: E402


def job_writer(db_path: str, media_dir: str, sync: str, stop) -> None:
    """A running photo job's writes: progress/heartbeat commits and fsynced output files."""
    con = sqlite3.connect(db_path, isolation_level=None, timeout=10)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(f"PRAGMA synchronous={sync}")
    job_id = con.execute("SELECT max(id) FROM jobs").fetchone()[0]
    blob = os.urandom(3 * 1024 * 1024)
    out = Path(media_dir) / "bench-writes"
    out.mkdir(parents=True, exist_ok=True)
    i = 0
    while not stop.is_set():
        con.execute("BEGIN")
        con.execute("UPDATE jobs SET progress = ?, heartbeat_at = CURRENT_TIMESTAMP WHERE id = ?",
                    ((i % 100) / 100, job_id))
        con.execute("COMMIT")
        if i % 10 == 0:
            with open(out / f"part-{i % 7}.bin", "wb") as f:
                f.write(blob)
                f.flush()
                os.fsync(f.fileno())
        i += 1
        time.sleep(0.02)
    con.close()


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))], 1) if xs else 0.0


def one_run(src: Path, seed: dict, sync: str, seconds: float) -> dict:
    work = Path(tempfile.mkdtemp(prefix="writes-"))
    shutil.copytree(src / "instance", work / "instance")
    shutil.copytree(src / "media", work / "media")
    env = bench_env(work)
    env["STUDIO_SQLITE_SYNCHRONOUS"] = sync      # older code ignores it (always the SQLite default, FULL)
    for k in [k for k in os.environ if k.startswith(("STUDIO_", "FLASK_"))]:
        del os.environ[k]
    os.environ.update(env)
    from studio import create_app, jobs
    from studio.extensions import db
    from web_client import forms_of

    app = create_app()
    jobs.dispatch = lambda job_id: None     # the print render is the job's, not the page's
    with app.app_context():
        db_path = db.engine.url.database
        got_sync = db.session.execute(db.text("PRAGMA synchronous")).scalar()
        db.session.remove()
    producer = seed["producers"][-1]
    trainer = next(t for t in seed["trainers"] if t["username"] == producer["trainer"])
    approved = seed["approved_versions"][0]

    def login(username: str):
        return logged_in_client(app, username, seed["password"])

    times: dict[str, list[float]] = {"review_comment": [], "print_job_submit": []}
    statuses: set[int] = set()
    lock = threading.Lock()
    end = time.monotonic() + seconds
    barrier = threading.Barrier(4)

    def timed_loop(page: str, send) -> None:
        """``send()`` -> (response, ms) until the end; the first answer is not timed (warm-up)."""
        warm = True
        barrier.wait()
        while time.monotonic() < end:
            r, dt = send()
            with lock:
                if not warm:
                    times[page].append(dt)
                statuses.add(r.status_code)
            warm = False
            time.sleep(random.uniform(0.05, 0.2))

    def timed_post(c, url: str, data: dict):
        t0 = time.perf_counter()
        r = c.post(url, data=data)
        return r, (time.perf_counter() - t0) * 1000

    def commenter(n: int) -> None:
        c = login(trainer["username"])
        token = csrf(c.get(f"/tinjauan/{producer['version_id']}").data)
        timed_loop("review_comment", lambda: timed_post(
            c, f"/tinjauan/{producer['version_id']}/komentar",
            {"csrf_token": token, "body": f"Huruf komposisi terlalu kecil ({n}).", "x_mm": "", "y_mm": ""}))

    def printer() -> None:
        c = login(seed["hub"]["username"])

        def submit():
            page = c.get(f"/hub/cetak/{approved}")
            f = [f for f in forms_of(page.data.decode()) if "/hub/cetak/" in f.action][0]
            return timed_post(c, f.action, dict(f.fields))
        timed_loop("print_job_submit", submit)

    stop = mp.Event()
    writer = mp.Process(target=job_writer, args=(db_path, str(work / "media"), sync, stop), daemon=True)
    threads = [threading.Thread(target=commenter, args=(n,)) for n in range(3)] + [threading.Thread(target=printer)]
    load_before = os.getloadavg()
    writer.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    writer.join(10)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(work, ignore_errors=True)
    out = {"sync": sync, "pragma_synchronous": got_sync, "loadavg_before": [round(x, 2) for x in load_before],
           "loadavg_after": [round(x, 2) for x in os.getloadavg()], "statuses": sorted(statuses), "pages": {}}
    for name, xs in times.items():
        out["pages"][name] = {"count": len(xs), "p50_ms": pct(xs, 0.5), "p95_ms": pct(xs, 0.95),
                              "p99_ms": pct(xs, 0.99), "max_ms": round(max(xs), 1) if xs else 0.0,
                              "mean_ms": round(statistics.mean(xs), 1) if xs else 0.0}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeded", required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--sync", default="NORMAL,FULL,NORMAL,FULL")
    ap.add_argument("--note", default="")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    src = Path(args.seeded)
    seed = json.loads((src / "seed.json").read_text())
    os.chdir(ROOT)
    runs = []
    for sync in args.sync.split(","):
        # each run in its own process: a fresh app, engine and module state
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        def child(s=sync):
            try:
                q.put(one_run(src, seed, s, args.seconds))
            except BaseException as e:  # noqa: BLE001 - reported, not swallowed
                q.put({"sync": s, "error": repr(e)})
                raise
        p = ctx.Process(target=child)
        p.start()
        res = q.get()
        p.join()
        print(json.dumps(res), file=sys.stderr)
        runs.append(res)
    result = {"note": args.note, "seconds": args.seconds, "runs": runs}
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
