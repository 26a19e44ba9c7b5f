"""Warm a page-serving process before it takes its first request (gunicorn.conf.py ``post_worker_init``).

A fresh gunicorn worker pays once for what every later request reuses: compiling the templates,
importing the label engine and the PDF rasteriser, the code hash in every content-cache key, a first
label composition, every bundled font. Done here, the first producer who opens the label editor on a
just-started (or restarted) worker does not wait for it. Read-only: nothing is written to the database;
a preview rendered here is discarded.
"""
from __future__ import annotations

import gc
import logging
import time

from flask import Flask

log = logging.getLogger(__name__)


def warm_process(app: Flask) -> dict[str, float]:
    """Warm ``app`` in this process; returns the seconds of each step (a failed step is logged and skipped)."""
    seconds: dict[str, float] = {}

    def step(name: str, fn) -> None:
        t0 = time.perf_counter()
        try:
            fn()
        except Exception:
            log.warning("warm-up step %s failed", name, exc_info=True)
        seconds[name] = round(time.perf_counter() - t0, 3)

    step("jobs_sender", lambda: _jobs_sender(app))   # first: cheap, and a hub's first submit may come soon
    step("templates", lambda: _templates(app))
    step("code_version", lambda: _code_version(app))
    step("label", lambda: _label(app))
    step("fonts", lambda: _fonts(app))
    return seconds


def freeze_heap() -> float:
    """After the warm-up: take everything this process has loaded so far (modules, templates, fonts,
    the label engine: about 180,000 objects) out of the cyclic garbage collector's view (``gc.freeze``);
    they live as long as the process. Returns the seconds it took.

    A full ("generation 2") collection walks every tracked object with the interpreter lock held, so
    every page of that worker waits for it. Logged in the gunicorn workers under bench/web.py
    (embedded, 60 s): one full collection per worker during the load, of 91 and 134 ms, and one
    just after it (113, 108 ms): a page's whole p95 budget. With the freeze: 8-48 ms. After the
    freeze a full collection walks only what was created since.
    The collection first frees what the warm-up left behind, so no garbage is frozen."""
    t0 = time.perf_counter()
    gc.collect()
    gc.freeze()
    return round(time.perf_counter() - t0, 3)


def _templates(app: Flask) -> None:
    env = app.jinja_env
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".txt", ".svg"))):
        env.get_template(name)


def _code_version(app: Flask) -> None:
    """The hash of the studio's code and fonts in every content-cache key (studio/cache.py: it reads
    every source file, ~0.1 s of CPU once per process): otherwise the first preview, style
    thumbnail, findings or stock advice on a fresh worker pays it."""
    from . import cache

    with app.app_context():
        cache.code_version()


def _jobs_sender(app: Flask) -> None:
    """Scaled mode: the Celery broker connection (the first print job sent from a fresh worker
    waited 110-300 ms for it: connection, queue declarations, Celery's lazy imports)."""
    from . import jobs

    jobs.warm_dispatch(app)


def _fonts(app: Flask) -> None:
    """Every bundled font loaded (ReportLab parses each TTF on first use: 20-100 ms of CPU each, ~0.2 s
    for all, ~15 MiB): otherwise the first label in another style than the one composed above, a
    style change in the editor or a print job's batch stamp in that label's font pays it on this
    worker."""
    app.extensions["studio.fonts"].register_all()


def _label(app: Flask) -> None:
    """Compose and rasterise the newest design's label once (its PDF, fonts and rasteriser loaded)."""
    from .designs.models import Design
    from .designs.prepare import compose_render, prepare_design
    from .designs.render import preview_dpi
    from .extensions import db
    from .labels import render_label_pdf
    from .labels import render_preview_png as rasterise_png

    with app.app_context(), app.test_request_context("/"):    # its own session, whatever is active
        try:
            design = db.session.scalar(db.select(Design).order_by(Design.id.desc()).limit(1))
            if design is None:
                return
            r = prepare_design(design, compose_now=False)
            compose_render(r)
            pdf = render_label_pdf(r.label, r.layout, bleed_mm=0.0, crop_marks=False, show_outline=True)
            rasterise_png(pdf, dpi=preview_dpi(r.layout))
        finally:
            db.session.rollback()
            db.session.remove()
