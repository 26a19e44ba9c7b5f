"""Celery worker entry point: ``celery -A studio.worker:celery worker --loglevel=info``."""
import logging

from celery.signals import worker_process_init, worker_ready

from . import create_app
from .celery_app import celery, configure

app = create_app()
configure(app)


def heavy_only() -> bool:
    """True for the photo worker (``-Q studio-heavy``): it consumes from no other queue."""
    try:
        names = set(celery.amqp.queues.consume_from or ())
    except Exception:
        return False
    return bool(names) and names <= {"studio-heavy"}


def _lower_priority() -> None:
    """Every worker runs at JOBS_NICE; the photo worker also under SCHED_IDLE (JOBS_IDLE_SCHED, Linux),
    like the embedded mode's photo processes: the web servers on the same machine answer pages first.
    Print PDFs (the light worker) keep a normal scheduler: the hub operator waits for them."""
    from . import jobs

    jobs.lower_process_priority(app.config.get("JOBS_NICE", 0),
                                idle=heavy_only() and bool(app.config.get("JOBS_IDLE_SCHED", False)))


@worker_process_init.connect
def _lower_priority_of_pool_process(**_kwargs):
    _lower_priority()


@worker_ready.connect
def _start_ticker(**_kwargs):
    # Retries that came due and jobs of workers that died are dispatched from every worker.
    from . import jobs

    _lower_priority()   # a solo/threads pool runs jobs in this process
    try:
        jobs.warm_dispatch(app)     # the ticker's first dispatch does not open the connection
    except Exception:
        logging.getLogger(__name__).warning("could not warm the broker connection", exc_info=True)
    jobs.start_ticker(app, interval_s=app.config.get("JOBS_TICK_S", 5.0))

__all__ = ["celery", "app"]
