"""SQL statements per route, for bench/web.py. Off unless the setting ``QUERY_STATS_DIR`` is set
(the bench sets ``STUDIO_QUERY_STATS_DIR`` for the server it starts; a hub never does).

For every request the statements it ran are timed at the cursor (SQLAlchemy events) and added up
per route (``"GET /produk/<int:product_id>/foto"``) and phase (the ``X-Bench-Phase`` header the
bench's warm-up sends, else ``"load"``): requests, statements, milliseconds, and per statement text
(placeholders and IN-lists folded) its count and milliseconds. Each process writes its figures to
``<QUERY_STATS_DIR>/sql-<pid>.json`` at most once a second and when it exits. Work done outside a
request (jobs in the local pool) is not counted.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import re
import threading
import time
from pathlib import Path

from flask import Flask, request, request_started, request_tearing_down
from sqlalchemy import event

_local = threading.local()
_lock = threading.Lock()
_write_lock = threading.Lock()
log = logging.getLogger(__name__)
_PLACEHOLDER = re.compile(r"\?|%\([^)]*\)s|%s")
_LIST = re.compile(r"\?(?:\s*,\s*\?)+")
_SPACE = re.compile(r"\s+")


def statement_shape(statement: str) -> str:
    """One text per statement shape: placeholders as ``?``, an IN-list of any length as ``?, …``."""
    text = _SPACE.sub(" ", _PLACEHOLDER.sub("?", statement)).strip()
    return _LIST.sub("?, …", text)[:600]


class QueryStats:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.routes: dict[str, dict] = {}
        self.last_write = 0.0
        self.dirty = False

    def add(self, key: str, statements: list[tuple[str, float]], seconds: float, cpu_s: float = 0.0) -> None:
        with _lock:
            r = self.routes.setdefault(key, {"requests": 0, "queries": 0, "sql_ms": 0.0, "max_queries": 0,
                                             "request_ms": 0.0, "cpu_ms": 0.0, "statements": {}})
            r["cpu_ms"] += cpu_s * 1000.0     # this request thread's CPU: the machine's load hardly moves it
            r["requests"] += 1
            r["queries"] += len(statements)
            r["max_queries"] = max(r["max_queries"], len(statements))
            r["request_ms"] += seconds * 1000.0
            for sql, s in statements:
                st = r["statements"].setdefault(statement_shape(sql), [0, 0.0])
                st[0] += 1
                st[1] += s * 1000.0
                r["sql_ms"] += s * 1000.0
            self.dirty = True

    def write(self, force: bool = False) -> None:
        """Write this process's figures (at most once a second unless ``force``). Several request
        threads call this at once: the check and the claim happen under the lock (so one thread
        writes), each write has its own temp file, and a failed write only logs: it runs in the
        request's teardown, where an exception would make gunicorn drop the connection unanswered
        (the bench saw that as RemoteDisconnected)."""
        now = time.monotonic()
        path = self.out_dir / f"sql-{os.getpid()}.json"
        tmp = self.out_dir / f"sql-{os.getpid()}-{threading.get_ident()}.tmp"
        with _write_lock:             # one writer at a time, so the file holds the newest figures
            with _lock:
                if not self.dirty or (not force and now - self.last_write < 1.0):
                    return
                data = json.dumps({"pid": os.getpid(), "routes": self.routes})
                self.dirty = False
                self.last_write = now
            try:
                tmp.write_text(data)
                os.replace(tmp, path)
            except OSError:
                log.warning("could not write the SQL figures to %s", path, exc_info=True)
                with _lock:
                    self.dirty = True


def init_app(app: Flask) -> None:
    """Count and time every statement of every request (only when ``QUERY_STATS_DIR`` is set)."""
    out = Path(app.config["QUERY_STATS_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    stats = QueryStats(out)
    app.extensions["studio.querystats"] = stats
    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, _cursor, _statement, _parameters, _context, _executemany):
        conn.info.setdefault("querystats_t0", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, _cursor, statement, _parameters, _context, _executemany):
        started = conn.info.get("querystats_t0") or [time.perf_counter()]
        t0 = started.pop()
        current = getattr(_local, "current", None)
        if current is not None:
            current.append((statement, time.perf_counter() - t0))

    def _started(_sender, **_kw):
        _local.current = []
        _local.t0 = time.perf_counter()
        _local.c0 = time.thread_time()

    def _finished(_sender, **_kw):
        current = getattr(_local, "current", None)
        _local.current = None
        if current is None:
            return
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        phase = request.headers.get("X-Bench-Phase", "load")[:20]
        stats.add(f"{phase} {request.method} {rule}", current, time.perf_counter() - _local.t0,
                  time.thread_time() - _local.c0)
        stats.write()         # never raises: this runs in the request's teardown

    request_started.connect(_started, app, weak=False)
    request_tearing_down.connect(_finished, app, weak=False)
    atexit.register(lambda: stats.write(force=True))
