"""A heavy-lane child process of the embedded mode (photo cleanup beside the page server).

An entry point, like ``studio.worker``: it builds its own app from the server's settings (its own
database connections and media store), so it imports the app factory. ``studio.jobs`` starts it
through ``app.extensions[jobs.CHILD_MAIN]`` (put there by ``create_app``) and never imports it.
"""
from __future__ import annotations

import logging

from . import jobs
from .extensions import db

log = logging.getLogger(__name__)


def main(conn, config: dict, nice: int, idle: bool) -> None:
    """A heavy-lane child: lowest priority, its own app (own database connections, own media store),
    the warm-ups (segmentation model) once, then job ids from ``conn`` until the app process closes it."""
    jobs.IN_CHILD = True
    jobs.lower_process_priority(nice, idle)
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)       # Ctrl-C in a terminal stops the server, which stops us
    from . import create_app

    app = create_app(config)
    import importlib

    for name in config.get("JOBS_CHILD_IMPORTS") or ():   # more handlers (tests: tests/support/child_jobs.py)
        importlib.import_module(name)
    with app.app_context():
        for fn in jobs.WARMUPS:
            try:
                fn()
            except Exception:
                log.exception("job warm-up %s", getattr(fn, "__name__", fn))
        db.session.remove()
    try:
        conn.send(("ready", None))
    except (OSError, ValueError):
        return
    while True:
        try:
            job_id = conn.recv()
        except (EOFError, OSError):    # the app process is gone or shutting down
            return
        if job_id is None:
            return
        with app.app_context():
            try:
                jobs.run_job(job_id)
            except Exception:
                log.exception("job %s crashed", job_id)
            finally:
                db.session.remove()
        try:
            conn.send(("done", job_id))
        except (OSError, ValueError):   # the app process died meanwhile: the job itself is recorded
            return
