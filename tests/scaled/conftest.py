"""The scaled mode for real: PostgreSQL, Redis and a Celery worker process that the test can kill.

Runs only in `make test-scaled` (STUDIO_TEST_SCALED=1 with STUDIO_TEST_DATABASE_URL on PostgreSQL).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.extensions import db

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("STUDIO_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")

if not os.environ.get("STUDIO_TEST_SCALED"):
    collect_ignore_glob = ["test_*.py"]


class Worker:
    """A `celery -A studio.worker worker` child process sharing the test's database and media."""

    def __init__(self, env: dict, crash_key_re: str | None = None):
        self.env = env
        self.crash_key_re = crash_key_re
        self.proc: subprocess.Popen | None = None
        self.log = Path(env["STUDIO_INSTANCE_PATH"]) / "worker.log"

    def start(self) -> "Worker":
        if self.crash_key_re:  # one process that dies while writing a matching file (see crashing_worker.py)
            self.env = dict(self.env, CRASH_KEY_RE=self.crash_key_re,
                            CRASH_MARKER=str(Path(self.env["STUDIO_INSTANCE_PATH"]) / "crashed"),
                            PYTHONPATH=str(ROOT))
            head = [sys.executable, str(Path(__file__).with_name("crashing_worker.py"))]
            pool = ["--pool", "solo"]
        else:
            head = [sys.executable, "-m", "celery"]
            pool = ["--pool", "prefork", "--concurrency", "1"]
        cmd = [*head, "-A", "studio.worker:celery", "worker", *pool, "-Q", "studio,studio-heavy",
               "--without-gossip", "--without-mingle", "--loglevel", "info"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=self.log.open("ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("celery worker died:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        raise RuntimeError("celery worker did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def wait_exit(self, timeout_s: float = 120) -> int:
        return self.proc.wait(timeout_s)

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children): a crash, not a shutdown."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.log.write_text(self.log.read_text(errors="replace") + "\n--- killed ---\n")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def scaled(app, tmp_path):
    """Switch the test app to Celery mode; return a factory for worker processes."""
    from studio.celery_app import celery, configure
    from studio.media import MediaStore

    app.config.update(JOBS_MODE="celery", CELERY_BROKER_URL=BROKER, JOBS_LEASE_S=4)
    configure(app)
    celery.connection_for_write().default_channel.client.flushdb()  # no messages left by an earlier test
    media_dir = tmp_path / "shared-media"
    app.extensions["studio.media"] = MediaStore(media_dir)
    env = dict(os.environ)
    env.update({
        "STUDIO_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "STUDIO_JOBS_MODE": "celery", "STUDIO_CELERY_BROKER_URL": BROKER,
        "STUDIO_MEDIA_DIR": str(media_dir), "STUDIO_INSTANCE_PATH": str(tmp_path / "worker-instance"),
        "STUDIO_SECRET_KEY": "test", "STUDIO_JOBS_LEASE_S": "4", "STUDIO_JOBS_TICK_S": "1",
        "STUDIO_DEMO_ON_FIRST_START": "false",
    })
    Path(env["STUDIO_INSTANCE_PATH"]).mkdir()
    workers: list[Worker] = []

    def start_worker(crash_key_re: str | None = None, **extra_env) -> Worker:
        w = Worker(dict(env, **{k: str(v) for k, v in extra_env.items()}), crash_key_re)
        workers.append(w)
        return w.start()

    yield start_worker
    for w in workers:
        w.stop()


@pytest.fixture
def wait_for():
    return _wait_for


def _wait_for(predicate, timeout_s: float = 60, every_s: float = 0.2):
    """Poll ``predicate`` (re-reading the database) until it is truthy; return its value."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        db.session.expire_all()
        value = predicate()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError(f"timed out after {timeout_s} s")
