"""Issue 20, scaled mode: a server process opens its broker connection when it starts (the warm-up),
so the first print job submitted on it does not wait for it (110-300 ms on a loaded machine)."""
from __future__ import annotations

import redis.connection

from studio import jobs
from studio.celery_app import celery


def test_the_first_job_of_a_warmed_process_is_sent_on_the_open_connection(app, scaled, monkeypatch):
    celery.close()                  # as a fresh process: no broker connection yet
    jobs.warm_dispatch(app)         # what gunicorn's post_worker_init (studio/warm.py) does
    connects = []
    real = redis.connection.Connection._connect      # a new socket to the broker
    monkeypatch.setattr(redis.connection.Connection, "_connect", lambda self: (connects.append(1), real(self))[1])
    job = jobs.submit("print.render", {"print_job_id": 0})      # no worker runs here: it stays queued
    assert connects == []
    client = celery.connection_for_write().default_channel.client
    assert client.llen("studio") == 1 and job.status == "queued"
