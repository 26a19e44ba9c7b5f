"""Celery worker entry point: ``celery -A studio.worker:celery worker --loglevel=info``."""
from celery.signals import worker_process_init, worker_ready

from . import create_app
from .celery_app import celery, configure

app = create_app()
configure(app)


@worker_process_init.connect
def _lower_priority(**_kwargs):
    # a worker process cleans photos: the web servers on the same machine answer pages first
    from . import jobs

    jobs.lower_priority(app.config.get("JOBS_NICE", 0))


@worker_ready.connect
def _start_ticker(**_kwargs):
    # Retries that came due and jobs of workers that died are dispatched from every worker.
    from . import jobs

    jobs.lower_priority(app.config.get("JOBS_NICE", 0))   # a solo/threads pool runs jobs in this process
    jobs.start_ticker(app, interval_s=app.config.get("JOBS_TICK_S", 5.0))

__all__ = ["celery", "app"]
