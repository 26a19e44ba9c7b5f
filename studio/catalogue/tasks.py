"""Delivery of outbox events to BLONJO: JSON, HMAC-signed, idempotency key, retries with backoff."""
from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from flask import current_app

from ..db import utcnow
from ..extensions import db
from ..jobs import RetryLater, handler, periodic
from .models import OutboxEvent

BACKOFF_S = (5, 15, 60, 300, 900, 3600)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@handler("catalogue.deliver")
def deliver(job, progress) -> dict:
    """POST one outbox event. Delivered events are never sent again (idempotent re-runs)."""
    event = db.session.get(OutboxEvent, job.payload["event_id"])
    if event is None or event.status == "delivered":
        return {"skipped": True}
    endpoint = current_app.config.get("BLONJO_ENDPOINT")
    if not endpoint:
        raise RetryLater("BLONJO endpoint not configured", delay_s=3600)
    if not current_app.config.get("BLONJO_SECRET"):
        # never sign with an empty key: the event waits, and the outbox page says why
        event.last_error = "BLONJO_SECRET not configured"
        db.session.commit()
        raise RetryLater("BLONJO secret not configured", delay_s=3600)
    body = json.dumps(event.payload, sort_keys=True, separators=(",", ":")).encode()
    req = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "Idempotency-Key": event.idempotency_key,
        "X-Studio-Event": event.event_type,
        "X-Studio-Signature": sign(current_app.config["BLONJO_SECRET"], body),
    })
    event.attempts += 1
    try:
        with urllib.request.urlopen(req, timeout=current_app.config.get("BLONJO_TIMEOUT_S", 10)) as resp:
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
        error = f"HTTP {e.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        status = None
        error = f"{type(e).__name__}: {getattr(e, 'reason', e)}"
    if status is not None and 200 <= status < 300:
        event.status = "delivered"
        event.delivered_at = utcnow()
        event.last_error = None
        db.session.commit()
        return {"delivered": True, "status": status}
    if status is not None and 400 <= status < 500 and status not in (408, 409, 429):
        event.status = "failed"  # the receiver refuses this event: retrying will not help
        event.last_error = error
        db.session.commit()
        return {"delivered": False, "status": status}
    delay = BACKOFF_S[min(event.attempts - 1, len(BACKOFF_S) - 1)]
    event.last_error = error
    event.next_attempt_at = utcnow()
    db.session.commit()
    raise RetryLater(error, delay_s=delay * current_app.config.get("BLONJO_BACKOFF_SCALE", 1.0))


@periodic
def sweep_outbox() -> int:
    """Events whose delivery job was never created (e.g. the app died right after publishing)
    are picked up on the next ticker round."""
    from .services import deliver_pending_soon

    return deliver_pending_soon()
