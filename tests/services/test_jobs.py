"""The jobs seam: state in the database, progress, retries, crash recovery."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from studio import jobs
from studio.extensions import db

CALLS: list[int] = []


@jobs.handler("test.echo")
def _echo(job, progress):
    progress(0.5, "setengah")
    CALLS.append(job.id)
    return {"echo": job.payload["x"]}


@jobs.handler("test.flaky")
def _flaky(job, progress):
    if job.attempts < 2:
        raise jobs.RetryLater("offline", delay_s=0)
    return {"ok": True}


@jobs.handler("test.boom")
def _boom(job, progress):
    raise ValueError("rusak")


def test_eager_job_runs_and_stores_result(app):
    job = jobs.submit("test.echo", {"x": 7})
    db.session.refresh(job)
    assert job.status == "done" and job.result == {"echo": 7} and job.progress == 1.0


def test_unknown_kind_is_refused(app):
    with pytest.raises(KeyError):
        jobs.submit("test.nope", {})


def test_failed_job_keeps_the_error(app):
    job = jobs.submit("test.boom", {})
    db.session.refresh(job)
    assert job.status == "failed" and "rusak" in job.error


def test_retry_later_requeues_then_succeeds(app):
    job = jobs.submit("test.flaky", {})
    db.session.refresh(job)
    assert job.status == "queued" and job.run_after is not None
    assert jobs.dispatch_due() == 1
    db.session.refresh(job)
    assert job.status == "done" and job.attempts == 2


def test_a_job_never_runs_twice(app):
    job = jobs.submit("test.echo", {"x": 1})
    before = CALLS.count(job.id)
    assert jobs.run_job(job.id) is None  # already done: not claimed again
    assert CALLS.count(job.id) == before


def test_job_of_a_dead_runner_is_taken_over(app):
    job = jobs.Job(kind="test.echo", payload={"x": 3}, status="running",
                   started_at=jobs.utcnow() - timedelta(minutes=5), heartbeat_at=jobs.utcnow() - timedelta(minutes=5))
    db.session.add(job)
    fresh = jobs.Job(kind="test.echo", payload={"x": 4}, status="running",
                     started_at=jobs.utcnow(), heartbeat_at=jobs.utcnow())
    db.session.add(fresh)
    db.session.commit()
    assert jobs.requeue_stale(lease_s=30) == [job.id]
    jobs.run_job(job.id)
    db.session.refresh(job)
    db.session.refresh(fresh)
    assert job.status == "done" and fresh.status == "running"


def test_local_pool_runs_jobs_off_the_request_thread(app):
    app.config["JOBS_MODE"] = "local"
    job = jobs.submit("test.echo", {"x": 9})
    deadline = time.time() + 10
    while time.time() < deadline:
        db.session.expire_all()
        if db.session.get(jobs.Job, job.id).finished:
            break
        time.sleep(0.05)
    assert db.session.get(jobs.Job, job.id).result == {"echo": 9}


@pytest.mark.skipif(not hasattr(__import__("os"), "setpriority"), reason="Unix niceness")
def test_photo_cleanup_threads_yield_the_cpu_to_pages(app):
    """The heavy lane (photo cleanup) runs at JOBS_NICE, so page requests on the same cores come first;
    the request thread keeps its own priority."""
    import os
    import threading

    me = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    app.config["JOBS_NICE"] = 10
    seen: list[int] = []
    pool = jobs._executor(app, "heavy")
    seen.append(pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result(10))
    assert seen[0] >= max(10, me)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == me


_running = {"now": 0, "most": 0}
_running_lock = __import__("threading").Lock()


@jobs.handler("test.heavy", lane="heavy")
def _heavy(job, progress):
    with _running_lock:
        _running["now"] += 1
        _running["most"] = max(_running["most"], _running["now"])
    time.sleep(0.05)
    with _running_lock:
        _running["now"] -= 1
    return {"n": job.payload["n"]}


@pytest.fixture
def fresh_heavy_pool():
    """The heavy lane's pool is made once per process from the config: start and end without one."""
    jobs._pools.pop("heavy", None)
    yield
    pool = jobs._pools.pop("heavy", None)
    if pool is not None:
        pool.shutdown(wait=True)


def test_heavy_lane_leaves_a_core_for_pages_by_default():
    """Unset (automatic): one photo cleanup less than the cores, at least one; a number is kept."""
    cores = jobs.usable_cores()
    assert jobs.heavy_workers({"JOBS_WORKERS": None}) == max(1, min(jobs.AUTO_HEAVY_MAX, cores - 1))
    assert jobs.heavy_workers({"JOBS_WORKERS": "auto"}) == jobs.heavy_workers({})
    assert jobs.heavy_workers({"JOBS_WORKERS": 3}) == 3
    if cores <= 2:
        assert jobs.heavy_workers({}) == 1


def test_capped_heavy_lane_queues_jobs_and_loses_none(app, fresh_heavy_pool):
    """With one photo cleanup at a time, six uploads' jobs all finish, one after the other: the
    others wait as "queued" rows (the photos page counts them), none is lost."""
    app.config.update(JOBS_MODE="local", JOBS_WORKERS=1)
    _running.update(now=0, most=0)
    submitted = [jobs.submit("test.heavy", {"n": n}) for n in range(6)]
    ids = [j.id for j in submitted]
    deadline = time.time() + 30
    while time.time() < deadline:
        db.session.expire_all()
        if all(db.session.get(jobs.Job, i).finished for i in ids):
            break
        time.sleep(0.05)
    done = [db.session.get(jobs.Job, i) for i in ids]
    assert [j.status for j in done] == ["done"] * 6
    assert [j.result for j in done] == [{"n": n} for n in range(6)]
    assert _running["most"] == 1
