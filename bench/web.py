"""Training-day web load on loopback, for the embedded and the scaled mode; prints JSON.

    python bench/web.py --mode embedded|scaled|both --duration 60      # JSON on stdout, progress on stderr

For each mode: a fresh instance in a temp folder (scaled: a fresh PostgreSQL database
``studio_bench`` and a Redis of its own), data prepared through the studio's services in a
separate process (``studio init --no-demo`` + bench/web_seed.py), the app served like a real
install (embedded: gunicorn 2 workers x 4 threads as ``make run``, photo cleanup in a child
process; scaled: gunicorn 3 x 4, one Celery worker with concurrency 2), then for ``--duration`` seconds:

* 30 producers browse their product (home, overview, data form + a small save, photos page with
  its images), each uploads ONE 12 MP phone-like JPEG (~3-4 MB) and polls its cleanup status;
* 5 trainers work through reviews (trainer board, queue, submission + preview, comment,
  about half the time a decision);
* 1 hub operator prints (hub home, new print job form, submit, status until ready, PDF);
* ``--editors`` (3) producers work in the label editor: open it, change the stock, change the style
  (each action also timed with the preview image the user then waits for).

Think time 0.5-2 s, one cookie jar and scraped CSRF tokens per user, a per-request timeout.
After the load the bench waits (bounded) for queued jobs, reads the job rows and reports page
latency p50/p95/p99 per page type, errors, job wait/run times, lost jobs, the SQL statements each
page type ran (count and time per request, the slowest statements; the servers count them with
studio/querystats.py) and the goal "page p95 <= 100 ms and p99 <= 250 ms for every page and poll,
editor actions p95 <= 1 s, zero errors, no job lost". ``--out FILE`` also writes the JSON to FILE,
``--note`` keeps a remark (e.g. the machine's load) in it. Everything it started is
stopped and removed afterwards. Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import web_report as report  # noqa: E402
from web_client import Recorder, classify  # noqa: E402
from web_stack import Stack, log  # noqa: E402
from web_users import Editor, HubOperator, Plan, Producer, Shared, Trainer, warm_up  # noqa: E402

MODES = {
    "embedded": {"workers": 2, "threads": 4, "jobs_mode": "local", "services": False},   # as `make run`
    "scaled": {"workers": 3, "threads": 4, "jobs_mode": "celery", "services": True},
}


# ------------------------------------------------------------------------------ photos
def phone_photos(cache: Path, count: int, size: tuple[int, int]) -> list[bytes]:
    """``count`` distinct phone-like JPEGs (EXIF, GPS, sensor noise, quality 92, ~3-4 MB at 12 MP),
    made from two synthetic product scenes (studio.imaging.synthetic) and cached in ``cache``."""
    import numpy as np
    from PIL import Image

    from studio.imaging import synthetic

    cache.mkdir(parents=True, exist_ok=True)
    w, h = size
    bases: list[Image.Image | None] = [None, None]
    scenes = [(11, "jar", "wood"), (12, "pouch", "cloth")]
    out = []
    for i in range(count):
        path = cache / f"phone_{w}x{h}_{i:03d}.jpg"
        if not path.exists():
            k = i % 2
            if bases[k] is None:
                base_path = cache / f"scene_{w}x{h}_{k}.png"
                if not base_path.exists():
                    seed, product, background = scenes[k]
                    log(f"making synthetic scene {k + 1}/2 ({w}x{h}, slow the first time)")
                    synthetic.make_photo(seed, size=size, product=product, background=background,
                                         shadow=True).image.save(base_path)
                bases[k] = Image.open(base_path).convert("RGB")
            a = np.asarray(bases[k], dtype=np.int16)
            rng = np.random.default_rng(1000 + i)
            noisy = np.clip(a + rng.normal(0, 7, a.shape).astype(np.int16), 0, 255).astype(np.uint8)
            im = Image.fromarray(noisy, "RGB")
            if i % 4 >= 2:
                im = im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            path.write_bytes(synthetic.jpeg_bytes(im, quality=92, gps=True))
            log(f"photo {i + 1}/{count}: {path.stat().st_size / 1e6:.1f} MB")
        out.append(path.read_bytes())
    return out


# ------------------------------------------------------------------------------ CPU of our processes
def group_cpu_s(pgids: list[int]) -> float:
    """utime+stime (+ waited-for children) of every process in the given process groups, seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[2]) in pgids:      # field 5 (pgrp) counted from "state" = index 0
            total += sum(int(x) for x in fields[11:15])
    return total / tick


def machine_busy_s() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat: everything but idle and iowait)."""
    parts = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    v = [int(x) for x in parts]
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def self_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def cpu_share(t0: dict, t1: dict) -> dict:
    """Average busy cores between two snapshots: whole machine, our servers, this client, others."""
    wall = max(1e-9, t1["wall"] - t0["wall"])
    machine = (t1["machine"] - t0["machine"]) / wall
    server = (t1["server"] - t0["server"]) / wall
    client = (t1["client"] - t0["client"]) / wall
    return {"seconds": round(wall, 1), "machine_busy_cores": round(machine, 2), "server_cores": round(server, 2),
            "bench_client_cores": round(client, 2),
            "other_processes_cores": round(max(0.0, machine - server - client), 2)}


# ------------------------------------------------------------------------------ one mode
def run_load(st: Stack, seed: dict, photos: list[bytes], args) -> tuple[Recorder, Shared, dict]:
    rec, shared = Recorder(), Shared()
    rng = random.Random(args.seed)
    start = time.time()
    plan = Plan(port=st.port, password=seed["password"], stop_at=start + args.duration,
                think_s=(args.think_min, args.think_max), timeout_s=args.timeout, ramp_s=args.ramp, seed=args.seed)
    users = []
    for n, p in enumerate(seed["producers"]):
        upload_at = start + args.ramp + rng.uniform(0.05, 0.5) * args.duration if args.uploads else float("inf")
        users.append(Producer(p["username"], plan, rec, shared, rng.randrange(1 << 30), p["product_id"],
                              photos[n % len(photos)], upload_at))
    for t in seed["trainers"]:
        users.append(Trainer(t["username"], plan, rec, shared, rng.randrange(1 << 30)))
    users.append(HubOperator(seed["hub"]["username"], plan, rec, shared, rng.randrange(1 << 30)))
    for e in seed.get("editors", []):
        users.append(Editor(e["username"], plan, rec, shared, rng.randrange(1 << 30), e["product_id"]))
    log(f"load: {len(users)} users for {args.duration:.0f} s on 127.0.0.1:{st.port}")
    for u in users:
        u.start()
    loads = []
    while any(u.is_alive() for u in users) and time.time() < plan.stop_at + args.timeout + 10:
        time.sleep(1.0)
        loads.append(os.getloadavg()[0])
        if len(loads) % 10 == 0:
            log(f"  {time.time() - start:4.0f} s: {len(rec.samples)} requests, load {loads[-1]:.1f}")
    still = [u.name for u in users if u.is_alive()]
    if still:
        rec.note(f"users still busy when the bench stopped waiting: {still}")
    return rec, shared, {"seconds": round(time.time() - start, 1), "loadavg_1min_max_during": max(loads or [0])}


def run_mode(mode: str, args, photos: list[bytes]) -> dict:
    cfg = dict(MODES[mode])
    if args.workers:        # e.g. the embedded default with 2 gunicorn workers
        cfg["workers"] = args.workers
    if args.threads:
        cfg["threads"] = args.threads
    before = os.getloadavg()
    log(f"== {mode} ==")
    with Stack(mode) as st:
        st.env.update(dict(kv.split("=", 1) for kv in args.server_env))   # e.g. STUDIO_EDITOR_PREVIEW_WITH_CHANGE=false
        if cfg["services"]:
            st.start_services()
        seed = st.prepare(["--producers", str(args.producers), "--trainers", str(args.trainers),
                           "--approved", str(args.trainers), "--editors", str(args.editors)])
        db_url = st.db_url or f"sqlite:///{st.instance / 'studio.sqlite3'}"
        log(f"prepared in {seed['prepare_seconds']} s; starting gunicorn {cfg['workers']}x{cfg['threads']}"
            f" ({cfg['jobs_mode']} jobs)")
        st.start_app(cfg["workers"], cfg["threads"], cfg["jobs_mode"], args.jobs_workers)
        warm = Recorder()
        t_warm = time.time()
        warm_up(st.port, seed, 2 * cfg["workers"], warm, args.timeout)
        warm_lat = [s.seconds for s in warm.samples if s.status is not None]
        warm_info = {"requests": len(warm.samples), "seconds": round(time.time() - t_warm, 1),
                     "errors": sum(1 for s in warm.samples if s.error), "p50_ms": report.ms(report.pct(warm_lat, 50)),
                     "max_ms": report.ms(max(warm_lat) if warm_lat else None), "not_in_figures": True,
                     "error_detail": sorted({f"{s.method} {s.page} {s.status}: {s.error}" for s in warm.samples
                                             if s.error})[:10]}
        log(f"warm-up: {warm_info}")
        pgids = [p.pgid for p in st.procs]

        def snap() -> dict:
            return {"wall": time.time(), "machine": machine_busy_s(), "server": group_cpu_s(pgids),
                    "client": self_cpu_s()}
        c0 = snap()
        rec, shared, load_info = run_load(st, seed, photos, args)
        c1 = snap()
        drain_s = report.wait_for_jobs(db_url, args.drain_timeout, log)
        c2 = snap()
        jobs, photo_rows = report.read_jobs(db_url)
        problems = st.server_problems()
        st.stop_app()             # each server process writes its last SQL figures when it exits
        sql_stats = st.sql_stats()
        intervals = report.busy_intervals(jobs)
        samples = rec.samples
        requests = [s for s in samples if s.method != "COMBINED"]
        errors = report.error_summary(requests, rec.notes)
        figures = report.job_figures(jobs, photo_rows, shared.uploads)
        goal = report.goal(samples, intervals)
        during = report.during(intervals)
        result = {
            "mode": mode,
            "server": {"gunicorn_workers": cfg["workers"], "gunicorn_threads": cfg["threads"],
                       "jobs_mode": cfg["jobs_mode"],
                       "job_runners": f"{'local pool' if cfg['jobs_mode'] == 'local' else 'celery concurrency'} "
                                      f"{args.jobs_workers or 'JOBS_WORKERS default'} (photo cleanup)",
                       "database": "sqlite (WAL)" if db_url.startswith("sqlite") else "postgresql",
                       "broker": "redis (own instance)" if cfg["services"] else None},
            "users": {"producers": len(seed["producers"]), "trainers": len(seed["trainers"]), "hub": 1,
                      "editors": len(seed.get("editors", []))},
            "prepare_seconds": seed["prepare_seconds"],
            "warm_up": warm_info,
            "load": {**load_info, "requests": len(requests),
                     "requests_per_s": round(len(requests) / max(1e-9, args.duration), 1),
                     "comments": shared.comments, "decisions": shared.decisions,
                     "print_jobs_submitted": len(shared.print_jobs)},
            "latency_by_page": report.latency_table(samples),
            "latency_by_page_while_photo_jobs_run": report.latency_table(samples, when=during),
            "latency_by_kind": report.kind_summary(samples),
            "page_goal_whole_run": report.page_goal(samples),
            "editor": report.editor_goal(samples),
            "sql_by_page": report.sql_by_page(sql_stats, classify),
            "sql_note": "statements the server ran per request, counted and timed at the cursor by studio/querystats.py "
                        "(STUDIO_QUERY_STATS_DIR, bench servers only), warm-up excluded; jobs not counted",
            "errors": errors,
            "jobs": figures,
            "drain_seconds": round(drain_s, 1),
            "cpu": {"during_load": cpu_share(c0, c1), "during_drain": cpu_share(c1, c2),
                    "server_cpu_seconds_load_and_drain": round(c2["server"] - c0["server"], 1)},
            "server_logs": problems,
        }
    after = os.getloadavg()
    result["machine"] = report.machine(before, after)
    no_errors = errors["total"] == 0 and not any(p["tracebacks"] or p["worker_timeouts"] for p in problems.values())
    page_goal, editor = result["page_goal_whole_run"], result["editor"]
    result["goal"] = {**goal, "zero_errors": no_errors, "no_job_lost": figures["jobs_lost"] == 0,
                      "p95_p99_every_page_whole_run": page_goal["met"],
                      "editor_p95_within_1s": editor["met"] if args.editors else None,
                      "met": goal["p95_met"] and page_goal["met"] and no_errors and figures["jobs_lost"] == 0
                      and (editor["met"] or not args.editors)}
    log(f"{mode}: {len(samples)} requests, page p95 while photo jobs run {goal['p95_ms_all_in_scope']} ms, "
        f"errors {errors['total']}, jobs lost {figures['jobs_lost']}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Training-day web load on 127.0.0.1 (embedded and scaled modes).")
    ap.add_argument("--mode", choices=["embedded", "scaled", "both"], default="both")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--producers", type=int, default=30)
    ap.add_argument("--trainers", type=int, default=5)
    ap.add_argument("--editors", type=int, default=3,
                    help="producers in the label editor (open, change stock, change style); 0: none")
    ap.add_argument("--think-min", type=float, default=0.5)
    ap.add_argument("--think-max", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request socket timeout, s")
    ap.add_argument("--ramp", type=float, default=5.0, help="users start spread over this many seconds")
    ap.add_argument("--drain-timeout", type=float, default=600.0, help="max wait for queued jobs after the load, s")
    ap.add_argument("--photo-size", default="4000x3000")
    ap.add_argument("--photo-cache", default="/tmp/bench-web-cache",
                    help="generated phone photos are kept here between runs (they take minutes to make)")
    ap.add_argument("--no-uploads", dest="uploads", action="store_false",
                    help="baseline: the same browsing without photo uploads (no photo jobs)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs-workers", type=int, default=None,
                    help="photo cleanups at once (STUDIO_JOBS_WORKERS; default: the studio's own setting)")
    ap.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the mode's, see MODES)")
    ap.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker (default: the mode's)")
    ap.add_argument("--server-env", action="append", default=[], metavar="STUDIO_KEY=VALUE",
                    help="a setting for the servers it starts (repeatable; the caller's STUDIO_* are not passed)")
    ap.add_argument("--note", default="", help="free text kept in the JSON (e.g. the machine's load)")
    ap.add_argument("--out", default="", help="also write the JSON to this file")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # clean up (context managers) on SIGTERM too
    w, h = (int(x) for x in args.photo_size.lower().split("x"))
    photos = phone_photos(Path(args.photo_cache), args.producers, (w, h)) if args.uploads else [b""]
    modes = ["embedded", "scaled"] if args.mode == "both" else [args.mode]
    out = {"bench": "web", "goal": "page p95 <= 100 ms (p99 <= 250 ms) for every page and poll while photo jobs run, "
                                   "editor actions p95 <= 1 s, zero errors, no job lost",
           "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "note": args.note,
           "uptime_before": Path("/proc/loadavg").read_text().strip(),
           "config": {"duration_s": args.duration, "think_s": [args.think_min, args.think_max],
                      "timeout_s": args.timeout, "ramp_s": args.ramp, "drain_timeout_s": args.drain_timeout,
                      "photo": {"size": f"{w}x{h}", "count": len(photos) if args.uploads else 0,
                                "mean_mb": round(sum(map(len, photos)) / len(photos) / 1e6, 2)},
                      "uploads": args.uploads, "server_env": args.server_env,
                      "address": "127.0.0.1 only"},
           "modes": {}}
    for mode in modes:
        try:
            out["modes"][mode] = run_mode(mode, args, photos)
        except Exception as e:  # report the failure of one mode and go on with the next
            log(f"{mode} failed: {type(e).__name__}: {e}")
            out["modes"][mode] = {"mode": mode, "failed": f"{type(e).__name__}: {e}"[:2000]}
    out["uptime_after"] = Path("/proc/loadavg").read_text().strip()
    text = json.dumps(out, indent=1, default=str)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n")
    print(text)
    return 0 if all("failed" not in m for m in out["modes"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
