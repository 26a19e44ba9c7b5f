"""Jobs on a real Celery worker: delivery with BLONJO offline, and a crash right after publishing."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from studio.catalogue.models import OutboxEvent
from studio.extensions import db

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_delivery_runs_on_the_worker_and_survives_blonjo_being_down(client, login, ready_product, scaled, blonjo,
                                                                    wait_for):
    worker = scaled(STUDIO_BLONJO_ENDPOINT=client.application.config["BLONJO_ENDPOINT"],
                    STUDIO_BLONJO_SECRET="rahasia-blonjo", STUDIO_BLONJO_TIMEOUT_S=0.5,
                    STUDIO_BLONJO_BACKOFF_SCALE=0)
    blonjo.script = ["fail", "fail"]
    product = ready_product()
    login(product.owner)
    assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    event = wait_for(lambda: db.session.scalar(db.select(OutboxEvent).where(OutboxEvent.status == "delivered")))
    assert event.attempts == 3 and blonjo.deliveries == 1
    assert worker.proc.poll() is None


def test_app_killed_right_after_publishing_loses_no_event(app, ready_product, scaled, blonjo, wait_for):
    product = ready_product()
    app.config["BLONJO_ENDPOINT"] = None  # the test process itself never delivers
    db_url = app.config["SQLALCHEMY_DATABASE_URI"]
    script = textwrap.dedent(f"""
        import os
        from studio import create_app
        from studio.catalogue import services
        from studio.extensions import db
        from studio.auth.models import User
        from studio.wizard.services import publish_product
        app = create_app({{"SQLALCHEMY_DATABASE_URI": {db_url!r}, "SECRET_KEY": "t", "JOBS_MODE": "eager",
                          "MEDIA_DIR": {app.config['MEDIA_DIR']!r}, "BLONJO_ENDPOINT": "http://127.0.0.1:9/x",
                          "PUBLIC_BASE_URL": {app.config['PUBLIC_BASE_URL']!r}}})
        def die(*a, **k):
            os._exit(9)   # the hub PC loses power after the publish transaction committed
        services.deliver_pending_soon = die
        with app.app_context():
            publish_product(db.session.get(User, {product.owner_id}), {product.id})
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr[-2000:]
    event = db.session.scalar(db.select(OutboxEvent))
    assert event is not None and event.status == "pending" and event.job_id is None
    scaled(STUDIO_BLONJO_ENDPOINT=blonjo.url, STUDIO_BLONJO_SECRET="rahasia-blonjo",
           STUDIO_BLONJO_BACKOFF_SCALE=0)
    delivered = wait_for(lambda: db.session.scalar(
        db.select(OutboxEvent).where(OutboxEvent.id == event.id, OutboxEvent.status == "delivered")))
    assert delivered and blonjo.deliveries == 1

