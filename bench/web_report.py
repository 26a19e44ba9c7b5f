"""Figures for bench/web.py: latency percentiles per page type, errors, the job rows (wait, run,
lost) read straight from the bench database, machine information and the goal check."""
from __future__ import annotations

import math
import os
import platform
import sqlite3
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

GOAL_P95_MS = 100.0
GOAL_P99_MS = 250.0
GOAL_KINDS = ("page", "poll")     # what "page p95" means: HTML pages, form posts and status polls
GOAL_EDITOR_P95_MS = 1000.0       # label editor: open, stock change, style change (each with its preview)


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (0..100), nearest-rank on sorted values; None when empty."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100.0 * len(s)) - 1))
    return s[k]


def ms(v: float | None) -> float | None:
    return None if v is None else round(v * 1000.0, 1)


def latency_table(samples, *, when=None) -> dict:
    """Per page type: count, errors, p50/p95/p99/max in ms (only answered requests count for latency)."""
    groups: dict[str, list] = defaultdict(list)
    for s in samples:
        if when is None or when(s):
            groups[s.page].append(s)
    out = {}
    for page in sorted(groups):
        ss = groups[page]
        lat = [s.seconds for s in ss if s.status is not None]
        out[page] = {"kind": ss[0].kind, "count": len(ss), "errors": sum(1 for s in ss if s.error),
                     "p50_ms": ms(pct(lat, 50)), "p95_ms": ms(pct(lat, 95)), "p99_ms": ms(pct(lat, 99)),
                     "max_ms": ms(max(lat) if lat else None)}
    return out


def kind_summary(samples, *, when=None) -> dict:
    groups: dict[str, list[float]] = defaultdict(list)
    for s in samples:
        if (when is None or when(s)) and s.status is not None:
            groups[s.kind].append(s.seconds)
    return {k: {"count": len(v), "p50_ms": ms(pct(v, 50)), "p95_ms": ms(pct(v, 95)), "p99_ms": ms(pct(v, 99))}
            for k, v in sorted(groups.items())}


def error_summary(samples, notes: list[str]) -> dict:
    errs = [s for s in samples if s.error]
    by = Counter(f"{s.page}: {s.error}" for s in errs)
    return {"total": len(errs), "http": sum(1 for s in errs if s.error.startswith("HTTP")),
            "timeouts": sum(1 for s in errs if s.error == "timeout"),
            "exceptions": sum(1 for s in errs if s.error.startswith("exception")),
            "other": sum(1 for s in errs if not s.error.startswith(("HTTP", "timeout", "exception"))),
            "expected_non_2xx": sum(1 for s in samples if s.expected),
            "by_type": dict(by.most_common(30)), "notes": notes[:50]}


# ---------------------------------------------------------------------------- job rows
def _dt(v) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v if v.tzinfo else v.replace(tzinfo=timezone.utc)


def read_jobs(db_url: str) -> tuple[list[dict], list[dict]]:
    """(jobs, photos) rows of the bench database (SQLite file or PostgreSQL)."""
    jq = "SELECT id, kind, status, attempts, error, created_at, started_at, finished_at FROM jobs ORDER BY id"
    pq = "SELECT id, product_id, status, job_id FROM photos ORDER BY id"
    if db_url.startswith("sqlite"):
        path = db_url.split("///", 1)[1]
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            jobs, photos = con.execute(jq).fetchall(), con.execute(pq).fetchall()
        finally:
            con.close()
    else:
        import psycopg

        with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as con:
            jobs, photos = con.execute(jq).fetchall(), con.execute(pq).fetchall()
    jk = ("id", "kind", "status", "attempts", "error", "created_at", "started_at", "finished_at")
    pk = ("id", "product_id", "status", "job_id")
    jrows = [dict(zip(jk, r)) for r in jobs]
    for j in jrows:
        for k in ("created_at", "started_at", "finished_at"):
            j[k] = _dt(j[k])
    return jrows, [dict(zip(pk, r)) for r in photos]


def unfinished(jobs: list[dict]) -> int:
    return sum(1 for j in jobs if j["status"] not in ("done", "failed"))


def wait_for_jobs(db_url: str, timeout_s: float, log) -> float:
    """Poll the job rows until none is queued or running (or the timeout). Returns seconds waited."""
    t0 = t_log = time.time()
    last = None
    while True:
        try:
            jobs, _ = read_jobs(db_url)
            left = unfinished(jobs)
        except Exception as e:  # a busy SQLite file: try again
            log(f"reading jobs: {e}")
            left = -1
        if left == 0:
            return time.time() - t0
        if time.time() - t0 > timeout_s:
            log(f"drain timeout: {left} job(s) still queued or running")
            return time.time() - t0
        if left != last and (last is None or time.time() - t_log >= 10):
            log(f"waiting for {left} job(s) to finish ({time.time() - t0:.0f} s)")
            last, t_log = left, time.time()
        time.sleep(1.0)


def job_figures(jobs: list[dict], photos: list[dict], uploads) -> dict:
    """Wait (started - created) and run (finished - started) per job kind, and the lost-job check."""
    out: dict = {}
    for kind in sorted({j["kind"] for j in jobs}):
        js = [j for j in jobs if j["kind"] == kind]
        wait = [(j["started_at"] - j["created_at"]).total_seconds() for j in js if j["started_at"] and j["created_at"]]
        run = [(j["finished_at"] - j["started_at"]).total_seconds() for j in js if j["finished_at"] and j["started_at"]]
        out[kind] = {
            "count": len(js), "status": dict(Counter(j["status"] for j in js)),
            "retried": sum(1 for j in js if (j["attempts"] or 0) > 1),
            "wait_s": {"p50": _r(pct(wait, 50)), "p95": _r(pct(wait, 95)), "max": _r(max(wait) if wait else None)},
            "run_s": {"p50": _r(pct(run, 50)), "p95": _r(pct(run, 95)), "max": _r(max(run) if run else None)},
            "errors": [(j["error"] or "").strip().splitlines()[0][:200] for j in js if j["status"] == "failed"][:10],
        }
    by_photo = {p["id"]: p for p in photos}
    by_job = {j["id"]: j for j in jobs}
    acked = [u for u in uploads if u.photo_id]
    lost = []
    for u in acked:
        p = by_photo.get(u.photo_id)
        j = by_job.get(p["job_id"]) if p and p["job_id"] else None
        if p is None:
            lost.append({"photo_id": u.photo_id, "why": "no photo row"})
        elif j is None:
            lost.append({"photo_id": u.photo_id, "why": "no job row"})
        elif j["status"] not in ("done", "failed"):
            lost.append({"photo_id": u.photo_id, "job_id": j["id"], "why": f"job stuck {j['status']}"})
        elif j["status"] == "failed" and not (j["error"] or "").strip():
            lost.append({"photo_id": u.photo_id, "job_id": j["id"], "why": "failed without an error"})
        elif p["status"] not in ("ready", "failed"):
            lost.append({"photo_id": u.photo_id, "job_id": j["id"], "why": f"photo left {p['status']}"})
    stuck_any = [j["id"] for j in jobs if j["status"] not in ("done", "failed")]
    out["photo_uploads"] = {"attempted": len(uploads), "acknowledged": len(acked),
                            "photo_rows": len(photos), "seen_finished_by_producer": sum(1 for u in uploads
                                                                                        if u.finished_seen)}
    out["jobs_lost"] = len(lost) + len([i for i in stuck_any if not any(x.get("job_id") == i for x in lost)])
    out["lost_detail"] = lost[:20]
    out["stuck_job_ids"] = stuck_any[:20]
    return out


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def busy_intervals(jobs: list[dict], kind: str = "photo.clean") -> list[tuple[float, float]]:
    """Wall-clock intervals (epoch s) during which at least one ``kind`` job was queued or running."""
    spans = sorted((j["created_at"].timestamp(), (j["finished_at"] or datetime.now(timezone.utc)).timestamp())
                   for j in jobs if j["kind"] == kind and j["created_at"])
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def during(intervals: list[tuple[float, float]]):
    def test(s) -> bool:
        return any(a <= s.t_start <= b for a, b in intervals)
    return test


def goal(samples, intervals) -> dict:
    """Page p95 <= 100 ms while photo jobs run (every page type of GOAL_KINDS), zero errors."""
    active = during(intervals)
    pages = [s for s in samples if s.kind in GOAL_KINDS and active(s) and s.status is not None]
    overall = pct([s.seconds for s in pages], 95)
    per_type = latency_table([s for s in samples if s.kind in GOAL_KINDS], when=active)
    over = {k: v["p95_ms"] for k, v in per_type.items() if v["p95_ms"] is not None and v["p95_ms"] > GOAL_P95_MS}
    whole = pct([s.seconds for s in samples if s.kind in GOAL_KINDS and s.status is not None], 95)
    return {"p95_ms_pages_whole_run": ms(whole),
            "scope": f"kinds {list(GOAL_KINDS)} (HTML pages, form posts, status polls) started while at least one "
                     "photo job was queued or running; uploads, images and PDFs are reported but not in the goal",
            "requests_in_scope": len(pages), "p95_ms_all_in_scope": ms(overall),
            "page_types_over_100ms": over,
            "p95_met": bool(pages) and overall is not None and overall * 1000 <= GOAL_P95_MS and not over}


def editor_goal(samples) -> dict:
    """Editor actions (open, stock change, style change, each with the preview the user then waits
    for) p95 <= 1 s over the whole run."""
    table = latency_table([s for s in samples if s.kind == "editor"])
    over = {k: v["p95_ms"] for k, v in table.items() if v["p95_ms"] is None or v["p95_ms"] > GOAL_EDITOR_P95_MS}
    return {"p95_goal_ms": GOAL_EDITOR_P95_MS, "actions": table, "over_goal": over,
            "met": bool(table) and not over}


def page_goal(samples) -> dict:
    """The issue's page goal over the whole run: every page and poll type p95 <= 100 ms, p99 <= 250 ms."""
    table = latency_table([s for s in samples if s.kind in GOAL_KINDS])
    p95_over = {k: v["p95_ms"] for k, v in table.items() if v["p95_ms"] is not None and v["p95_ms"] > GOAL_P95_MS}
    p99_over = {k: v["p99_ms"] for k, v in table.items() if v["p99_ms"] is not None and v["p99_ms"] > GOAL_P99_MS}
    return {"p95_goal_ms": GOAL_P95_MS, "p99_goal_ms": GOAL_P99_MS, "p95_over": p95_over, "p99_over": p99_over,
            "met": bool(table) and not p95_over and not p99_over}


def sql_by_page(stats: list[dict], classify, phase: str = "load", top: int = 5) -> dict:
    """Per page type (the bench's names): requests the server saw, SQL statements per request (mean
    and max), SQL ms per request, server ms per request, and the ``top`` statements by total time
    (count, total ms, mean ms). ``stats``: what studio/querystats.py wrote, one dict per process."""
    import re

    merged: dict[str, dict] = {}
    for proc in stats:
        for key, r in proc.get("routes", {}).items():
            ph, method, rule = key.split(" ", 2)
            if ph != phase:
                continue
            page, _kind = classify(method, re.sub(r"<[^>]+>", "1", rule))
            m = merged.setdefault(page, {"requests": 0, "queries": 0, "sql_ms": 0.0, "request_ms": 0.0,
                                         "max_queries": 0, "routes": set(), "statements": {}})
            m["requests"] += r["requests"]
            m["queries"] += r["queries"]
            m["sql_ms"] += r["sql_ms"]
            m["request_ms"] += r.get("request_ms", 0.0)
            m["cpu_ms"] = m.get("cpu_ms", 0.0) + r.get("cpu_ms", 0.0)
            m["max_queries"] = max(m["max_queries"], r["max_queries"])
            m["routes"].add(f"{method} {rule}")
            for sql, (count, total) in r["statements"].items():
                st = m["statements"].setdefault(sql, [0, 0.0])
                st[0] += count
                st[1] += total
    out = {}
    for page in sorted(merged, key=lambda p: -merged[p]["sql_ms"]):
        m = merged[page]
        n = max(1, m["requests"])
        slow = sorted(m["statements"].items(), key=lambda kv: -kv[1][1])[:top]
        out[page] = {"requests": m["requests"], "routes": sorted(m["routes"]),
                     "queries_per_request_mean": round(m["queries"] / n, 1), "queries_per_request_max": m["max_queries"],
                     "sql_ms_per_request_mean": round(m["sql_ms"] / n, 2),
                     "server_ms_per_request_mean": round(m["request_ms"] / n, 1),
                     "server_cpu_ms_per_request_mean": round(m.get("cpu_ms", 0.0) / n, 1),
                     "slowest_queries": [{"sql": sql[:300], "count": c, "total_ms": round(t, 1),
                                          "mean_ms": round(t / max(1, c), 2)} for sql, (c, t) in slow]}
    return out


def machine(before: tuple[float, float, float], after: tuple[float, float, float]) -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    except (OSError, IndexError):
        pass
    return {"cores": os.cpu_count(), "cpu": model, "memory": mem, "python": platform.python_version(),
            "loadavg_before": [round(x, 2) for x in before], "loadavg_after": [round(x, 2) for x in after],
            "note": "other sessions share this machine; the load average counts their work too"}
