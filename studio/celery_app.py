"""Scaled mode: jobs run on Celery workers with a Redis broker.

App servers send ``studio.run_job(job_id)``; a worker (``celery -A studio.worker:celery worker``) runs the
same ``jobs.run_job`` as the local pool, so job state, progress and idempotency are identical in
both modes. ``acks_late`` means a worker killed mid-job leaves the message unacknowledged and the
broker hands it to the next worker; ``jobs.run_job`` then re-claims the job (a job left "running"
by a dead worker is requeued by ``jobs.requeue_stale``).
"""
from __future__ import annotations

from celery import Celery

celery = Celery("studio")
celery.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue="studio",
    broker_connection_retry_on_startup=True,
)
_flask_app = None


def configure(app) -> Celery:
    """Point Celery at the app's broker. Called by create_app in celery mode and by the worker."""
    global _flask_app
    _flask_app = app
    from .jobs import CELERY_SENDER, CELERY_WARM

    app.extensions[CELERY_SENDER] = _send
    app.extensions[CELERY_WARM] = _warm
    celery.conf.broker_url = app.config["CELERY_BROKER_URL"]
    # a worker started without --concurrency (the photo worker on queue studio-heavy) runs as many
    # cleanups at once as the local pool would: JOBS_WORKERS, automatic = one core left for pages
    from .jobs import heavy_workers

    celery.conf.worker_concurrency = heavy_workers(app.config)
    celery.conf.result_backend = None
    celery.conf.task_ignore_result = True
    return celery


def _send(job_id: int, queue: str) -> None:
    """How ``jobs.dispatch`` hands a committed job to the workers in celery mode."""
    run_job_task.apply_async((job_id,), queue=queue)


def _warm() -> None:
    """Everything the first ``_send`` of a process would set up, done now: the broker connection in
    the producer pool, both queues declared, the (disabled) result backend loaded (its lookup reads
    the installed packages' entry points) and one task message built. The first print job submitted
    on a fresh web worker waited 110-300 ms for this; afterwards a send takes ~1 ms."""
    with celery.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=1)
        for name in ("studio", "studio-heavy"):
            producer.maybe_declare(celery.amqp.queues[name])     # as send_task names them
    celery.backend
    celery.amqp.create_task_message("warm-up", run_job_task.name, (0,), {})


@celery.task(name="studio.run_job", bind=True, max_retries=None)
def run_job_task(self, job_id: int) -> None:
    from . import jobs
    from .extensions import db

    app = _flask_app
    if app is None:  # a worker that was started without studio.worker
        from . import create_app

        app = create_app()
        configure(app)
    with app.app_context():
        try:
            job = jobs.run_job(job_id)
            if job is not None and job.status == jobs.JobStatus.QUEUED and job.run_after is not None:
                # the handler asked to be retried later (e.g. BLONJO offline): back off on the broker
                delay = max(1.0, (jobs.as_utc(job.run_after) - jobs.utcnow()).total_seconds())
                db.session.execute(jobs.update(jobs.Job).where(jobs.Job.id == job_id).values(run_after=None))
                db.session.commit()
                from .jobs import LANES

                queue = "studio-heavy" if LANES.get(job.kind) == "heavy" else "studio"
                run_job_task.apply_async((job_id,), countdown=delay, queue=queue)
        finally:
            db.session.remove()
