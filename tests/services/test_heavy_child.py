"""Embedded mode: photo cleanup runs in child processes at the lowest CPU priority, beside the pages.

What a user notices: the photo still becomes ready; pages answer while a cleanup runs; when the
cleanup's process dies the photo says "failed" (after one more try) instead of staying "processing".
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from studio import jobs
from studio.extensions import db

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.environ.get("STUDIO_TEST_JOBS_MODE") == "celery" or
                                bool(os.environ.get("STUDIO_TEST_DATABASE_URL")),
                                reason="the embedded mode's local job pool (SQLite)")


@pytest.fixture
def child_lane(app, monkeypatch):
    """The real local heavy lane, in child processes, with the test handlers of tests/support/child_jobs.py."""
    monkeypatch.syspath_prepend(str(ROOT))
    import tests.support.child_jobs  # noqa: F401  (registered in this process too: dispatch needs the lane)

    # nice 19 without SCHED_IDLE here: a busy test machine would starve an idle-class child for minutes
    # (SCHED_IDLE itself: test_the_cleanup_process_priority_is_the_lowest_there_is)
    app.config.update(JOBS_MODE="local", JOBS_HEAVY_PROCESSES=True, JOBS_WORKERS=1, JOBS_IDLE_SCHED=False,
                      JOBS_CHILD_IMPORTS=["tests.support.child_jobs"])
    lane = jobs._child_lane(app)
    yield lane
    lane.shutdown()


def _wait(job_id: int, timeout_s: float = 180) -> jobs.Job:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        db.session.expire_all()
        job = db.session.get(jobs.Job, job_id)
        if job.finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status} after {timeout_s} s")


def test_an_uploaded_photo_is_cleaned_in_a_low_priority_child_process(app, child_lane, create_user,
                                                                      create_product, login):
    from studio.imaging.synthetic import jpeg_bytes, make_photo
    from studio.products.models import Photo

    owner = create_user("producer")
    product = create_product(owner, "Keripik Pisang")
    client = login(owner)
    shot = make_photo(4, size=(1200, 900), product="jar")
    r = client.post(f"/produk/{product.id}/foto", data={"photo": (__import__("io").BytesIO(jpeg_bytes(shot.image)),
                                                                  "pisang.jpg")},
                    content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    photo = db.session.scalar(db.select(Photo).where(Photo.product_id == product.id))
    job = _wait(photo.job_id)
    assert job.status == "done", job.error
    db.session.expire_all()
    photo = db.session.get(Photo, photo.id)
    assert photo.status == "ready"
    page = client.get(f"/produk/{product.id}/foto").get_data(as_text=True)
    assert "Sesudah" in page
    who = _wait(jobs.submit("test.child.whoami", {}).id)
    assert who.result["pid"] != os.getpid()                 # not in the process that serves pages
    if hasattr(os, "getpriority"):
        assert who.result["nice"] == 19


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling classes")
def test_the_cleanup_process_priority_is_the_lowest_there_is():
    """What a cleanup child (and the Celery photo worker) does first: nice 19 and SCHED_IDLE, so a
    page request always gets the CPU before photo work."""
    import subprocess
    import sys

    code = ("import os; from studio import jobs; jobs.lower_process_priority(19, idle=True); "
            "print(os.getpriority(os.PRIO_PROCESS, 0), os.sched_getscheduler(0) == os.SCHED_IDLE)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["19", "True"], out.stderr[-2000:]


def test_a_child_that_dies_fails_the_photo_with_a_reason_instead_of_leaving_it_running(app, child_lane,
                                                                                       create_user, create_product):
    from studio.products.models import Photo
    from studio.products.photos import PhotoStatus

    owner = create_user("producer")
    product = create_product(owner, "Keripik Pisang")
    job = jobs.submit("test.child.die", {}, commit=False)
    db.session.flush()
    photo = Photo(product_id=product.id, original_key="x/y.jpg", status=PhotoStatus.PROCESSING, job_id=job.id)
    db.session.add(photo)
    db.session.commit()
    jobs.HANDLERS.setdefault("test.child.die", lambda j, p: None)
    jobs.ON_LOST["test.child.die"] = jobs.ON_LOST["photo.clean"]    # a photo job, as far as the loss goes
    try:
        jobs.dispatch(job.id)
        job = _wait(job.id)
    finally:
        jobs.ON_LOST.pop("test.child.die", None)
    assert job.status == "failed" and job.attempts == 2         # tried once more, then given up
    assert "process stopped" in job.error and "exit code 9" in job.error
    db.session.expire_all()
    assert db.session.get(Photo, photo.id).status == PhotoStatus.FAILED
    # the lane is still there for the next photo
    assert _wait(jobs.submit("test.child.whoami", {}).id).status == "done"


def test_pages_answer_while_a_cleanup_runs(app, child_lane, create_user, login):
    owner = create_user("producer")
    client = login(owner)
    job = jobs.submit("test.child.spin", {"seconds": 4})
    deadline = time.time() + 60
    while time.time() < deadline:
        db.session.expire_all()
        if db.session.get(jobs.Job, job.id).status == "running":
            break
        time.sleep(0.05)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        assert client.get("/").status_code in (200, 302)
        times.append(time.perf_counter() - t0)
    db.session.expire_all()
    assert db.session.get(jobs.Job, job.id).status == "running"    # answered while the cleanup still ran
    assert _wait(job.id).status == "done"


def test_a_second_server_process_leaves_photo_jobs_to_the_lane_owner(app, child_lane):
    """gunicorn with two workers: one owns the cleanup processes (JOBS_WORKERS stays the number of
    cleanups on the machine); a job the other worker took in is found queued and still done."""
    other = jobs._ChildLane(app, 1)          # what a second worker process builds on the same database
    try:
        assert child_lane.owner and not other.owner
        job = jobs.Job(kind="test.child.whoami", payload={})
        db.session.add(job)
        db.session.commit()
        other.submit(job.id)                 # nothing runs here: the job stays queued in the database
        assert other.queue.empty()
        done = _wait(job.id)
        assert done.status == "done" and done.result["pid"] != os.getpid()
    finally:
        other.shutdown()
