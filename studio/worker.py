"""Celery worker entry point: ``celery -A studio.worker:celery worker --loglevel=info``."""
from celery.signals import worker_ready

from . import create_app
from .celery_app import celery, configure

app = create_app()
configure(app)


@worker_ready.connect
def _start_ticker(**_kwargs):
    # Retries that came due and jobs of workers that died are dispatched from every worker.
    from . import jobs

    jobs.start_ticker(app, interval_s=app.config.get("JOBS_TICK_S", 5.0))

__all__ = ["celery", "app"]
