"""Processes for bench/web.py: a fresh instance, the scaled stack (PostgreSQL + a Redis of our own),
gunicorn and a Celery worker, each in its own process group, and the cleanup of all of it.

Everything listens on 127.0.0.1 only. Cleanup stops exactly what this module started.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG = {"user": "studio", "password": "studio", "host": "127.0.0.1"}
BENCH_DB = "studio_bench"       # + "_<pid>": two benches on one machine never drop each other's database


def log(msg: str) -> None:
    print(f"[bench/web] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout_s: float) -> bool:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Proc:
    """A child process in its own session (process group), logging to a file."""

    def __init__(self, name: str, cmd: list[str], env: dict, log_path: Path):
        self.name = name
        self.log_path = log_path
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_path.open("ab"), stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        self.pgid = self.proc.pid   # session leader: pgid == pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, grace_s: float = 20.0) -> None:
        """SIGTERM the process group, SIGKILL it after ``grace_s``."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.pgid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                log(f"{self.name} did not stop in {grace_s:.0f} s: SIGKILL")
                try:
                    os.killpg(self.pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(10)
        try:   # workers left behind in the group (they should not exist)
            os.killpg(self.pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class Stack:
    """One mode's servers. Use as a context manager; ``close()`` undoes everything."""

    def __init__(self, mode: str, workdir: Path | None = None):
        self.mode = mode
        self.tmp = Path(tempfile.mkdtemp(prefix=f"bench-web-{mode}-", dir=workdir))
        self.instance = self.tmp / "instance"
        self.media = self.tmp / "media"
        self.instance.mkdir()
        self.media.mkdir()
        self.port = free_port()
        self.procs: list[Proc] = []
        self.redis_port: int | None = None
        self.redis_started = False
        self.pg_started = False
        self.db_created = False
        self.db_url: str | None = None
        self.db_name = f"{BENCH_DB}_{os.getpid()}"
        self.sql_dir = self.tmp / "sql"
        self.stack_env: dict | None = None
        self.env = dict(os.environ)
        for k in [k for k in self.env if k.startswith(("STUDIO_", "FLASK_"))]:
            del self.env[k]      # nothing of the caller's configuration leaks in
        self.env.update({
            "STUDIO_INSTANCE_PATH": str(self.instance), "STUDIO_MEDIA_DIR": str(self.media),
            "STUDIO_SECRET_KEY": "bench-" + secrets.token_hex(16), "STUDIO_DEMO_ON_FIRST_START": "false",
            "STUDIO_PUBLIC_BASE_URL": "https://katalog.bench-hub.example", "PYTHONUNBUFFERED": "1",
        })

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ scaled services
    def start_services(self) -> None:
        """PostgreSQL via scripts/scaled-stack.sh (started only if it is not running) with a Redis
        of our own on a free port (so no other Celery worker on this machine takes our jobs)."""
        self.pg_started = not pg_online()
        self.redis_port = free_port()
        env = dict(os.environ, REDIS_PORT=str(self.redis_port), STUDIO_STACK_DIR=str(self.tmp / "stack"))
        env.pop("STUDIO_REDIS_PASSWORD", None)    # our Redis gets its own password in our stack dir
        self.stack_env = env
        log(f"scaled stack: PostgreSQL {'(starting)' if self.pg_started else '(already running)'}, "
            f"own Redis on 127.0.0.1:{self.redis_port}")
        subprocess.run(["bash", str(ROOT / "scripts" / "scaled-stack.sh"), "start"], cwd=ROOT, env=env, check=True,
                       stdout=sys.stderr, stderr=sys.stderr, timeout=600)
        self.redis_started = True
        broker = subprocess.run(["bash", str(ROOT / "scripts" / "scaled-stack.sh"), "broker-url", "0"], cwd=ROOT,
                                env=env, check=True, capture_output=True, text=True, timeout=60).stdout.strip()
        psql("postgres", f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
        psql("postgres", f"CREATE DATABASE {self.db_name} OWNER studio")
        self.db_created = True
        self.db_url = f"postgresql+psycopg://studio:studio@127.0.0.1/{self.db_name}"
        self.env.update({"STUDIO_SQLALCHEMY_DATABASE_URI": self.db_url, "STUDIO_CELERY_BROKER_URL": broker})

    # ------------------------------------------------------------------ app
    def prepare(self, seed_args: list[str]) -> dict:
        """``studio init --no-demo`` then bench/web_seed.py, in their own processes (jobs eager)."""
        import json

        env = dict(self.env, STUDIO_JOBS_MODE="eager")
        t0 = time.time()
        subprocess.run([str(VENV_BIN / "flask"), "--app", "app", "studio", "init", "--no-demo"], cwd=ROOT, env=env,
                       check=True, stdout=sys.stderr, stderr=sys.stderr, timeout=600)
        out = self.tmp / "seed.json"
        subprocess.run([str(VENV_BIN / "python"), str(ROOT / "bench" / "web_seed.py"), *seed_args, "--out", str(out)],
                       cwd=ROOT, env=env, check=True, stdout=sys.stderr, stderr=sys.stderr, timeout=1800)
        seed = json.loads(out.read_text())
        seed["prepare_seconds"] = round(time.time() - t0, 1)
        return seed

    def start_app(self, workers: int, threads: int, jobs_mode: str, jobs_workers: int | None = None) -> None:
        """``jobs_workers``: photo cleanups at once (local pool, Celery heavy worker); None: the studio's
        setting JOBS_WORKERS (automatic: one core left for pages)."""
        self.env.update({"STUDIO_JOBS_MODE": jobs_mode, "STUDIO_QUERY_STATS_DIR": str(self.sql_dir)})  # studio/querystats.py
        if jobs_workers:
            self.env["STUDIO_JOBS_WORKERS"] = str(jobs_workers)
        if jobs_mode == "celery":
            celery_workers = [
                Proc(f"celery-{name}", [str(VENV_BIN / "celery"), "-A", "studio.worker:celery", "worker",
                                        "-n", f"{name}@%h", *conc, "-Q", queue,
                                        "--loglevel", "info"], self.env, self.tmp / f"celery-{name}.log")
                # the photo worker's concurrency is the studio's setting (JOBS_WORKERS, celery_app.configure)
                for name, queue, conc in (("heavy", "studio-heavy", ()), ("light", "studio", ("--concurrency", "1")))]
            self.procs.extend(celery_workers)
            deadline = time.time() + 120
            for worker in celery_workers:
                while "ready." not in worker.log_text():
                    if not worker.alive() or time.time() > deadline:
                        raise RuntimeError("celery worker did not start:\n" + worker.log_text()[-3000:])
                time.sleep(0.3)
        gunicorn = Proc("gunicorn", [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
                                     "--bind", f"127.0.0.1:{self.port}", "app:app"],
                        self.env, self.tmp / "gunicorn.log")
        self.procs.append(gunicorn)
        if not wait_port(self.port, 120):
            raise RuntimeError("gunicorn did not listen:\n" + gunicorn.log_text()[-3000:])
        # every worker imports the app on its own: wait until the login page answers
        import http.client

        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                c.request("GET", "/masuk")
                if c.getresponse().status == 200:
                    c.close()
                    return
                c.close()
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn does not answer:\n" + gunicorn.log_text()[-3000:])

    def server_problems(self) -> dict:
        """Counts of worrying lines in the servers' logs (tracebacks, worker timeouts, errors)."""
        out = {}
        for p in self.procs:
            text = p.log_text()
            out[p.name] = {
                "tracebacks": text.count("Traceback (most recent call last)"),
                "worker_timeouts": text.count("WORKER TIMEOUT"),
                "error_lines": sum(1 for line in text.splitlines() if "[ERROR]" in line or "ERROR/" in line
                                   or "[CRITICAL]" in line),
                "exited": not p.alive(),
                # gunicorn.conf.py post_worker_init: each worker logs "warmed in N s {steps}"
                "warm_ups": [line[line.find("warmed in"):][:200] for line in text.splitlines() if "warmed in" in line],
            }
            at = text.find("Traceback (most recent call last)")
            if at >= 0:      # the logs go with the temp folder: keep the first traceback to read later
                start = text.rfind("\n", 0, max(0, at - 300)) + 1
                out[p.name]["first_traceback"] = text[start:at + 2500]
        return out

    def sql_stats(self) -> list[dict]:
        """What each server process wrote with studio/querystats.py (call after stop_app)."""
        import json

        out = []
        for path in sorted(self.sql_dir.glob("sql-*.json")):
            try:
                out.append(json.loads(path.read_text()))
            except (OSError, ValueError) as e:
                log(f"unreadable {path.name}: {e}")
        return out

    def stop_app(self) -> None:
        for p in reversed(self.procs):
            p.stop()

    def close(self) -> None:
        """Stop our processes, drop the bench database, stop what we started, remove the temp folder."""
        try:
            self.stop_app()
        finally:
            try:
                if self.db_created:
                    psql("postgres", f"DROP DATABASE IF EXISTS {self.db_name} WITH (FORCE)")
                    self.db_created = False
            except Exception as e:  # report and go on cleaning
                log(f"could not drop {self.db_name}: {e}")
            if self.redis_started and self.redis_port:
                password = (self.tmp / "stack" / "redis.password")
                env = dict(os.environ, REDISCLI_AUTH=password.read_text().strip() if password.exists() else "")
                subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
                self.redis_started = False
            if self.pg_started and pg_other_clients():
                log("PostgreSQL was started by this bench but another client (CI?) uses it now: left running "
                    "for that client's own stop")
                self.pg_started = False
            if self.pg_started:
                log("stopping PostgreSQL (this bench started it)")
                env = dict(os.environ, REDIS_PORT=str(self.redis_port), STUDIO_STACK_DIR=str(self.tmp / "stack"))
                subprocess.run(["bash", str(ROOT / "scripts" / "scaled-stack.sh"), "stop"], cwd=ROOT, env=env,
                               stdout=sys.stderr, stderr=sys.stderr, timeout=120)
                self.pg_started = False
            shutil.rmtree(self.tmp, ignore_errors=True)


def pg_online() -> bool:
    try:
        out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return any(" online" in line for line in out.splitlines())


def pg_other_clients() -> int:
    """Connections to PostgreSQL other than this query's own (someone else is using the server)."""
    try:
        return int(psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                                    "AND pid <> pg_backend_pid()").strip() or 0)
    except Exception:  # not reachable: nobody to disturb
        return 0


def psql(database: str, sql: str) -> str:
    """Run one statement as the ``studio`` role (which has CREATEDB) over loopback TCP."""
    env = dict(os.environ, PGPASSWORD=PG["password"])
    r = subprocess.run(["psql", "-h", PG["host"], "-U", PG["user"], "-d", database, "-v", "ON_ERROR_STOP=1",
                        "-qAtc", sql], env=env, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"psql failed: {sql}: {r.stderr.strip()}")
    return r.stdout
