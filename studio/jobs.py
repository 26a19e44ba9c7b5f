"""The one seam for background work (photo cleanup, print PDFs, catalogue delivery).

``submit(kind, payload)`` stores a Job row and dispatches it:

* ``local`` (embedded default): bounded pools beside the app. Short jobs run on threads of the app
  process; the heavy lane (photo cleanup) runs in child processes of its own (:class:`_ChildLane`) at
  the lowest CPU priority, so page threads never share a GIL or a core's turn with segmentation (tests
  keep threads: ``JOBS_HEAVY_PROCESSES``). Jobs left "running" or "queued" by a crash are picked up
  again at start (``resume_pending``); a job whose child process died is tried again once, then failed.
* ``celery`` (scaled): a Celery task ``studio.run_job`` on Redis; see ``studio/celery_app.py``.
* ``eager``: run inline before ``submit`` returns (tests and CLI).

Job state lives in the database, so a page can show progress in every mode. A job is claimed with
a conditional UPDATE, so it never runs twice at once; handlers must be idempotent because a job
may be re-run after a crash (``acks_late``).
"""
from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from flask import Flask, current_app
from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, update
from sqlalchemy.orm import Mapped, mapped_column

from .db import as_utc, utcnow
from .extensions import db

log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.QUEUED, index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSON)
    run_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A running job's runner touches this every few seconds; a stale heartbeat means the runner died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


Handler = Callable[[Job, Callable[[float, str], None]], dict | None]
HANDLERS: dict[str, Handler] = {}


class RetryLater(Exception):
    """Raised by a handler when the work should be tried again later (e.g. endpoint offline)."""

    def __init__(self, message: str, delay_s: float = 30.0):
        super().__init__(message)
        self.delay_s = delay_s


PERIODIC: list[Callable[[], object]] = []


def periodic(fn: Callable[[], object]) -> Callable[[], object]:
    """Register ``fn`` to run on every ticker round (e.g. sweep the BLONJO outbox)."""
    PERIODIC.append(fn)
    return fn


WARMUPS: list[Callable[[], object]] = []


def warmup(fn: Callable[[], object]) -> Callable[[], object]:
    """Register ``fn`` to run once, in the background, when a serving process starts its local pool
    (e.g. load the segmentation model, so the first photo after a restart does not wait for it)."""
    WARMUPS.append(fn)
    return fn


# Lanes keep short jobs (print PDFs, deliveries) from waiting behind long ones (12 MP photo cleanup).
LANES: dict[str, str] = {}


#: ``fn(job_id)`` per kind, run in the app process when the job is failed without its handler having
#: run to its end (its child process died too often): e.g. the photo row says "failed" too
ON_LOST: dict[str, Callable[[int], object]] = {}


def handler(kind: str, *, lane: str = "default", on_lost: Callable[[int], object] | None = None):
    """Register ``fn(job, progress) -> result dict`` as the handler of ``kind``.

    ``lane`` "heavy" runs on its own bounded pool (local mode: child processes) or Celery queue
    ``studio-heavy``. ``on_lost(job_id)`` cleans up after a job failed outside its handler.
    """
    def deco(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        LANES[kind] = lane
        if on_lost is not None:
            ON_LOST[kind] = on_lost
        return fn
    return deco


_pools: dict[str, ThreadPoolExecutor] = {}
_pool_lock = threading.Lock()


def lower_priority(nice: int) -> None:
    """Run the calling thread (and the threads it starts later, e.g. the segmentation model's) at Unix
    niceness ``nice`` or lower priority, so page requests get the CPU first while photos are cleaned.
    Linux sets the priority of one thread per call; elsewhere, or when not allowed, nothing changes."""
    if not nice or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, max(int(nice), os.getpriority(os.PRIO_PROCESS, tid)))
    except (OSError, ValueError):
        log.debug("could not lower the priority of job thread", exc_info=True)


def lower_process_priority(nice: int, idle: bool = False) -> None:
    """Run this whole process (threads started from now on included) at niceness ``nice`` and, with
    ``idle`` on Linux, under SCHED_IDLE: it then only gets CPU time no page request wants. For a
    process that does nothing but background work (a heavy-lane child, a Celery photo worker)."""
    lower_priority(nice)
    if idle and hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except (OSError, ValueError):
            log.debug("could not set SCHED_IDLE", exc_info=True)


#: the most photo cleanups ``JOBS_WORKERS = None`` (automatic) runs at once, whatever the core count:
#: each 12 MP cleanup peaks near 0.6 GB of memory
AUTO_HEAVY_MAX = 4


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity where the OS tells, else the core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def heavy_workers(config) -> int:
    """How many heavy jobs (photo cleanup) run at once in one process: ``JOBS_WORKERS``, or when it is
    None/"auto"/0 one less than the usable cores (at least 1, at most :data:`AUTO_HEAVY_MAX`), so one
    core stays free for pages: 1 on a 2-core hub PC. More uploads wait in the queue (shown on the
    photos page as their place in line); none is lost."""
    value = config.get("JOBS_WORKERS")
    if value in (None, "", "auto", 0, "0"):
        return max(1, min(AUTO_HEAVY_MAX, usable_cores() - 1))
    return max(1, int(value))


def _executor(app: Flask, lane: str) -> ThreadPoolExecutor:
    with _pool_lock:
        if lane not in _pools:
            size = heavy_workers(app.config) if lane == "heavy" else app.config.get("JOBS_LIGHT_WORKERS", 2)
            nice = app.config.get("JOBS_NICE", 0) if lane == "heavy" else 0
            _pools[lane] = ThreadPoolExecutor(max_workers=size, thread_name_prefix=f"studio-job-{lane}",
                                              initializer=lower_priority, initargs=(nice,))
        return _pools[lane]


def submit(kind: str, payload: dict[str, Any], *, commit: bool = True, max_attempts: int = 5) -> Job:
    """Store a job of ``kind`` and dispatch it. With ``commit=False`` the caller commits and then
    calls :func:`dispatch` (so the job row joins the caller's transaction).

    :raises KeyError: when no handler is registered for ``kind``.
    """
    if kind not in HANDLERS:
        raise KeyError(kind)
    job = Job(kind=kind, payload=payload, max_attempts=max_attempts)
    db.session.add(job)
    if commit:
        db.session.commit()
        dispatch(job.id)
    return job


# Key of ``app.extensions`` where studio.celery_app.configure puts ``send(job_id, queue)``: jobs does
# not import the Celery app (which runs jobs.run_job), so the two never import each other.
CELERY_SENDER = "studio.celery_send"
CELERY_WARM = "studio.celery_warm"      # and ``warm()``: the sender's broker connection, made ahead


def warm_dispatch(app: Flask) -> None:
    """Scaled mode: open the broker connection :func:`dispatch` sends on, now (a serving process or
    a worker starting), not in the first request that submits a job. Other modes: nothing."""
    if app.config["JOBS_MODE"] == "celery" and CELERY_WARM in app.extensions:
        app.extensions[CELERY_WARM]()


def dispatch(job_id: int) -> None:
    """Send a committed job to the configured runner."""
    app = current_app._get_current_object()
    mode = app.config["JOBS_MODE"]
    if mode == "eager":
        run_job(job_id)
        return
    kind = db.session.scalar(db.select(Job.kind).where(Job.id == job_id))
    lane = LANES.get(kind, "default")
    if mode == "celery":   # the sender studio.celery_app.configure put on the app
        app.extensions[CELERY_SENDER](job_id, "studio-heavy" if lane == "heavy" else "studio")
    elif mode == "local":
        if IN_CHILD:   # a job submitted by a job in a heavy-lane child: the app process's ticker runs it
            db.session.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow()))
            db.session.commit()
        elif lane == "heavy" and heavy_in_processes(app):
            _child_lane(app).submit(job_id)
        else:
            _executor(app, lane).submit(_run_in_app, app, job_id)
    else:
        raise ValueError(f"unknown JOBS_MODE {mode!r}")


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        except Exception:  # never kill the pool thread
            log.exception("job %s crashed", job_id)
        finally:
            db.session.remove()


# ------------------------------------------------------------------ heavy lane in child processes
IN_CHILD = False          # True in a heavy-lane child process (studio/job_child.py sets it)
# Key of ``app.extensions`` where create_app puts studio.job_child.main, what a heavy-lane child process
# runs (an entry point: it builds its own app; jobs does not import it, as with CELERY_SENDER).
CHILD_MAIN = "studio.job_child_main"
_lanes: dict[int, "_ChildLane"] = {}


def heavy_in_processes(app: Flask) -> bool:
    """Local mode runs the heavy lane in child processes (``JOBS_HEAVY_PROCESSES``; None: when serving,
    not under tests, and when the database is a file a second process can open)."""
    value = app.config.get("JOBS_HEAVY_PROCESSES")
    if value is None:
        uri = app.config.get("SQLALCHEMY_DATABASE_URI", "")
        value = not app.testing and ":memory:" not in uri and uri != "sqlite://"
    return bool(value) and not IN_CHILD


def _child_lane(app: Flask) -> "_ChildLane":
    with _pool_lock:
        lane = _lanes.get(id(app))
        if lane is None:
            lane = _lanes[id(app)] = _ChildLane(app, heavy_workers(app.config))
        return lane


def _lane_lock_path(app: Flask) -> Path:
    """The heavy lane's lock: beside the SQLite file (one lane per database), else in the instance folder."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI", "")
    if uri.startswith("sqlite:///"):
        return Path(uri.removeprefix("sqlite:///").split("?", 1)[0] + ".jobs-heavy.lock")
    return Path(app.instance_path) / "jobs-heavy.lock"


def _child_config(app: Flask) -> dict:
    """The app's settings a child rebuilds its app from: every value that pickles, none of the
    bench's per-process SQL counting."""
    import pickle

    out = {}
    for key, value in app.config.items():
        if key in ("QUERY_STATS_DIR",):
            continue
        try:
            pickle.dumps(value)
        except Exception:
            continue
        out[key] = value
    return out


class _ChildSlot:
    """One child process and the app-process thread that feeds it one job at a time and watches it.
    The thread only waits on a pipe, so it takes no CPU (and no GIL turn) from the pages."""

    def __init__(self, lane: "_ChildLane", n: int):
        self.lane, self.n = lane, n
        self.proc = None
        self.conn = None
        self.ready = False
        self.job_id: int | None = None
        self.thread = threading.Thread(target=self._loop, name=f"studio-job-heavy-{n}", daemon=True)

    def start_child(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")   # never fork a multi-threaded server process
        ours, theirs = ctx.Pipe()
        cfg = self.lane.app.config
        self.proc = ctx.Process(target=self.lane.app.extensions[CHILD_MAIN], name=f"studio-job-heavy-{self.n}",
                                daemon=True,
                                args=(theirs, self.lane.config, int(cfg.get("JOBS_NICE", 0) or 0),
                                      bool(cfg.get("JOBS_IDLE_SCHED", False))))
        self.proc.start()
        theirs.close()
        self.conn, self.ready = ours, False

    def _loop(self) -> None:
        self.start_child()
        while True:
            try:
                job_id = self.lane.queue.get(timeout=self.lane.poll_s)
            except queue.Empty:      # nothing handed over here: a heavy job another server process took in?
                job_id = self.lane.next_queued()
                if job_id is None:
                    continue
            if job_id is None or self.lane.closing:    # no new child while the server shuts down
                return
            if self.proc is None or not self.proc.is_alive():
                self.start_child()
            self.job_id = job_id
            try:
                self._run(job_id)
            finally:
                self.job_id = None

    def _run(self, job_id: int) -> None:
        try:
            self.conn.send(job_id)
            while True:
                if self.conn.poll(1.0):
                    kind, value = self.conn.recv()
                    if kind == "ready":
                        self.ready = True
                    elif kind == "done" and value == job_id:
                        self.lane.crashes = 0
                        return
                elif not self.proc.is_alive():
                    raise EOFError
        except (EOFError, OSError, ValueError):
            if self.lane.closing:
                return
            self.proc.join(1)
            code, was_ready = self.proc.exitcode, self.ready
            self.proc = None
            self.lane.child_died(job_id, code, was_ready)


class _ChildLane:
    """The heavy lane of local mode: ``size`` child processes (started with the lane, so the model is
    loaded before the first upload) fed from one queue of job ids."""

    def __init__(self, app: Flask, size: int):
        self.app = app
        self.config = _child_config(app)
        self.queue: queue.Queue[int | None] = queue.Queue()
        self.closing = False
        self.crashes = 0      # children that died in a row before finishing a job
        self.poll_s = float(app.config.get("JOBS_POLL_S", 1.0))
        self.slots = [_ChildSlot(self, n) for n in range(size)]
        self.lock_file = None
        self.owner = False
        atexit.register(self.shutdown)
        self.take_over()

    def take_over(self) -> bool:
        """Become the one process of this instance that runs photo cleanups (several gunicorn workers
        share one lane, so JOBS_WORKERS stays the number of cleanups at once on the machine). The lock
        is an flock on ``<database>.jobs-heavy.lock``: it goes with the process, so when the owner dies
        another process takes over at its next heavy job or ticker round (one lock per database)."""
        if self.owner or self.closing:
            return self.owner
        try:
            import fcntl
        except ImportError:          # no flock (Windows): one process per instance anyway
            fcntl = None
        if fcntl is not None:
            f = open(_lane_lock_path(self.app), "a+")
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                f.close()
                return False
            self.lock_file = f
        self.owner = True
        for slot in self.slots:
            slot.thread.start()
        return True

    def submit(self, job_id: int) -> None:
        """Hand ``job_id`` to a slot; in a process that is not the owner the job stays queued in the
        database, where the owner's idle slots find it within ``JOBS_POLL_S``."""
        if self.take_over():
            self.queue.put(job_id)

    def next_queued(self) -> int | None:
        """The oldest due heavy-lane job nobody has taken (queued in the database), or None."""
        kinds = [k for k, lane in LANES.items() if lane == "heavy"]
        busy = {slot.job_id for slot in self.slots if slot.job_id is not None}
        with self.app.app_context():
            try:
                now = utcnow()
                rows = db.session.execute(db.select(Job.id, Job.run_after).where(
                    Job.status == JobStatus.QUEUED, Job.kind.in_(kinds)).order_by(Job.id).limit(20)).all()
            except Exception:
                db.session.rollback()
                log.debug("heavy lane poll skipped", exc_info=True)
                return None
            finally:
                db.session.remove()
        for job_id, run_after in rows:
            if job_id not in busy and (run_after is None or as_utc(run_after) <= now):
                return job_id
        return None

    def child_died(self, job_id: int, exitcode: int | None, was_ready: bool) -> None:
        """A child died with ``job_id`` in hand: the job goes back to the queue, or after
        ``JOBS_CHILD_RETRIES`` such deaths (or a child that cannot even start) it is failed with the
        reason, and its kind's ``on_lost`` runs (the photo says "failed"). Never left "running"."""
        self.crashes += 1
        retries = int(self.app.config.get("JOBS_CHILD_RETRIES", 1))
        log.error("heavy job process died (exit code %s) running job %s", exitcode, job_id)
        with self.app.app_context():
            try:
                job = db.session.get(Job, job_id)
                if job is None or job.finished:
                    return
                db.session.refresh(job)
                give_up = job.attempts > retries or (not was_ready and self.crashes >= 3)
                if not give_up:
                    db.session.execute(update(Job).where(Job.id == job_id, Job.status.in_(
                        (JobStatus.RUNNING, JobStatus.QUEUED))).values(status=JobStatus.QUEUED,
                                                                       message="dijadwalkan ulang"))
                    db.session.commit()
                    self.submit(job_id)
                    return
                reason = ("the job process could not start" if not was_ready else
                          "the job process stopped while running this job")
                db.session.execute(update(Job).where(Job.id == job_id).values(
                    status=JobStatus.FAILED, finished_at=utcnow(), message="gagal",
                    error=f"{reason} (exit code {exitcode}; attempts {job.attempts})"))
                db.session.commit()
                lost = ON_LOST.get(job.kind)
                if lost is not None:
                    lost(job_id)
                    db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("could not record the death of job %s's process", job_id)
            finally:
                db.session.remove()

    def shutdown(self) -> None:
        """Stop the children (the app process is exiting). A job cut off here goes back to the queue at
        once, so the next start runs it without waiting for its lease to run out."""
        if self.closing:
            return
        self.closing = True
        cut: list[int] = []
        for slot in self.slots:
            self.queue.put(None)
            if slot.job_id is not None:
                cut.append(slot.job_id)
            if slot.proc is not None and slot.proc.is_alive():
                if slot.job_id is None:
                    try:
                        slot.conn.send(None)
                    except (OSError, ValueError):
                        pass
                    slot.proc.join(2)
                if slot.proc.is_alive():
                    slot.proc.terminate()
                    slot.proc.join(5)
        if cut:
            with self.app.app_context():
                try:
                    db.session.execute(update(Job).where(Job.id.in_(cut), Job.status == JobStatus.RUNNING)
                                       .values(status=JobStatus.QUEUED, message="dijadwalkan ulang"))
                    db.session.commit()
                except Exception:
                    db.session.rollback()
                finally:
                    db.session.remove()
        if self.lock_file is not None:
            self.lock_file.close()        # the next server process takes the lane over
        _lanes.pop(id(self.app), None)


def _claim(job_id: int) -> bool:
    now = utcnow()
    res = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=Job.attempts + 1)
    )
    db.session.commit()
    return res.rowcount == 1


class _Heartbeat:
    """Touches ``heartbeat_at`` on its own connection while a handler runs."""

    def __init__(self, job_id: int, interval_s: float):
        self.job_id = job_id
        self.interval_s = interval_s
        self.stop = threading.Event()
        self.engine = db.engine
        self.thread = threading.Thread(target=self._loop, name=f"job-{job_id}-heartbeat", daemon=True)

    def _loop(self) -> None:
        while not self.stop.wait(self.interval_s):
            try:
                with self.engine.begin() as conn:
                    conn.execute(update(Job).where(Job.id == self.job_id, Job.status == JobStatus.RUNNING)
                                 .values(heartbeat_at=utcnow()))
            except Exception:  # a busy database must not kill the job
                log.debug("heartbeat of job %s skipped", self.job_id, exc_info=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=2 * self.interval_s)


def run_job(job_id: int) -> Job | None:
    """Claim and run one job. Returns the job, or None when another runner already has it."""
    if not _claim(job_id):
        return None
    job = db.session.get(Job, job_id)
    db.session.refresh(job)

    def progress(fraction: float, message: str = "") -> None:
        db.session.execute(update(Job).where(Job.id == job_id).values(
            progress=max(0.0, min(1.0, fraction)), message=message[:200]))
        db.session.commit()

    try:
        with _Heartbeat(job_id, current_app.config.get("JOBS_LEASE_S", 30) / 4):
            result = HANDLERS[job.kind](job, progress)
    except RetryLater as e:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        failed = job.attempts >= job.max_attempts
        job.status = JobStatus.FAILED if failed else JobStatus.QUEUED
        job.error = str(e)
        job.run_after = None if failed else utcnow() + timedelta(seconds=e.delay_s)
        db.session.commit()
        return job
    except Exception as e:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status = JobStatus.FAILED
        job.error = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=5)}"[:4000]
        job.finished_at = utcnow()
        db.session.commit()
        log.warning("job %s (%s) failed: %s", job_id, job.kind, e)
        return job
    job = db.session.get(Job, job_id)
    job.status = JobStatus.DONE
    job.progress = 1.0
    job.result = result or {}
    job.finished_at = utcnow()
    db.session.commit()
    return job


def requeue_stale(lease_s: float | None = None) -> list[int]:
    """Jobs whose runner died (heartbeat older than the lease) go back to the queue. Returns their ids."""
    lease_s = lease_s if lease_s is not None else current_app.config.get("JOBS_LEASE_S", 30)
    cutoff = utcnow() - timedelta(seconds=lease_s)
    stale = [j.id for j in db.session.scalars(db.select(Job).where(Job.status == JobStatus.RUNNING))
             if j.heartbeat_at is None or as_utc(j.heartbeat_at) < cutoff]
    for job_id in stale:
        db.session.execute(update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING)
                           .values(status=JobStatus.QUEUED, message="dijadwalkan ulang"))
    db.session.commit()
    return stale


def resume_pending(app: Flask) -> int:
    """At start: requeue jobs whose runner died and dispatch every queued job that is due."""
    with app.app_context():
        try:
            requeue_stale()
            now = utcnow()
            ids = [j.id for j in db.session.scalars(db.select(Job).where(Job.status == JobStatus.QUEUED))
                   if j.run_after is None or as_utc(j.run_after) <= now]
        except Exception:  # schema not there yet (first start before upgrade)
            db.session.rollback()
            return 0
        for job_id in ids:
            dispatch(job_id)
        return len(ids)


def dispatch_due() -> int:
    """Dispatch queued jobs whose retry time has come, and requeue jobs of dead runners
    (called periodically by the ticker of the local pool and of each Celery worker)."""
    for job_id in requeue_stale():
        dispatch(job_id)
    for fn in PERIODIC:
        try:
            fn()
        except Exception:
            db.session.rollback()
            log.exception("periodic %s", getattr(fn, "__name__", fn))
    now = utcnow()
    ids = [j.id for j in db.session.scalars(
        db.select(Job).where(Job.status == JobStatus.QUEUED, Job.run_after.is_not(None)))
        if as_utc(j.run_after) <= now]
    for job_id in ids:
        db.session.execute(update(Job).where(Job.id == job_id).values(run_after=None))
        db.session.commit()
        dispatch(job_id)
    return len(ids)


def get_job(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


#: how long :func:`typical_run_s` keeps its answer in a process (a poll should not query it each time)
TYPICAL_RUN_TTL_S = 30.0
_typical: dict[str, tuple[float, float | None]] = {}


def typical_run_s(kind: str, sample: int = 20) -> float | None:
    """Median run time (started to finished, s) of the last ``sample`` finished jobs of ``kind``, or
    None before any has finished: what a page tells someone waiting in the queue. Kept per process
    for :data:`TYPICAL_RUN_TTL_S`."""
    import time

    now = time.monotonic()
    hit = _typical.get(kind)
    if hit is not None and now - hit[0] < TYPICAL_RUN_TTL_S:
        return hit[1]
    rows = db.session.execute(db.select(Job.started_at, Job.finished_at).where(
        Job.kind == kind, Job.status == JobStatus.DONE, Job.started_at.is_not(None), Job.finished_at.is_not(None))
        .order_by(Job.id.desc()).limit(sample)).all()
    runs = sorted(max(0.0, (as_utc(f) - as_utc(s)).total_seconds()) for s, f in rows)
    value = runs[len(runs) // 2] if runs else None
    _typical[kind] = (now, value)
    return value


_ticker_started = False
_ticker_stop = threading.Event()


def stop_ticker() -> None:
    """Stop this process's ticker before its next round (a test's session before its temporary
    database is removed: the round after it would log "unable to open database file")."""
    _ticker_stop.set()


def start_ticker(app: Flask, interval_s: float = 15.0) -> None:
    """Local mode: a daemon thread that dispatches retries when they come due (one per process,
    until :func:`stop_ticker`)."""
    global _ticker_started
    if _ticker_started:
        return
    _ticker_started = True

    def loop() -> None:
        if app.config["JOBS_MODE"] == "local" and heavy_in_processes(app):
            _child_lane(app)     # its children load the model now, each in its own process
        elif app.config["JOBS_MODE"] == "local":   # jobs run in this process: get them ready now
            lower_priority(app.config.get("JOBS_NICE", 0))   # the model's threads start from here
            for fn in WARMUPS:
                try:
                    fn()
                except Exception:
                    log.exception("job warm-up %s", getattr(fn, "__name__", fn))
        while not _ticker_stop.wait(interval_s):
            with app.app_context():
                try:
                    lane = _lanes.get(id(app))
                    if lane is not None:
                        lane.take_over()     # the owning server process may have died
                    dispatch_due()
                except Exception:
                    log.exception("job ticker")
                finally:
                    db.session.remove()

    threading.Thread(target=loop, name="studio-job-ticker", daemon=True).start()
