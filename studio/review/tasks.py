"""Background work of the review and print gates (issue 20): the preflight of the labels a gate
will check soon, run ahead on the jobs seam so the gate finds it in the content-hash cache
(:func:`designs.preflight.checked_findings`) instead of composing and decoding while the trainer
or the hub operator waits.

The gates themselves are unchanged: approve and print re-check in their own request, a cache hit
when nothing changed and a full check when anything did, and refuse there. A check is keyed by the
day and the code version too, so the labels waiting for a trainer are checked again once per day
and after an update (``review.warm_checks``); sending checks its own label anyway. The print side
is in ``printing/tasks.py``.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from flask import current_app
from sqlalchemy import select

from .. import cache, clock, jobs
from ..designs.gates import recheck_version
from ..designs.models import DesignVersion, VersionStatus
from ..extensions import db
from ..jobs import Job, handler, periodic
from ..products.models import Product

log = logging.getLogger(__name__)

WARM_KIND = "review.warm_checks"

#: the key each kind last saw, per database (a process may hold more than one app: the tests' live
#: servers keep a ticker running beside the next test's app)
_last: dict[tuple[str, str], list[str]] = {}


def _slot(kind: str) -> tuple[str, str]:
    return str(current_app.config.get("SQLALCHEMY_DATABASE_URI", "")), kind


def day_and_code() -> list[str]:
    """What every check's cache key has besides the label: the day and the code version."""
    return [str(clock.today()), cache.code_version()]


def last_key(kind: str) -> list[str] | None:
    """The key :func:`warm_once` last saw for ``kind`` in this process (day, code version, extra)."""
    return _last.get(_slot(kind))


def warm_once(kind: str, *extra: object, payload: dict | None = None) -> bool:
    """Queue job ``kind`` once per day, code version and ``extra`` (in this process, and not when
    the newest job of that kind already had this key: another process queued it), with ``payload``.
    Returns whether it was queued. Called from the jobs ticker."""
    key = [*day_and_code(), *(str(x) for x in extra)]
    if _last.get(_slot(kind)) == key:
        return False
    newest = db.session.scalar(select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(1))
    _last[_slot(kind)] = key
    if newest is not None and (newest.payload or {}).get("key") == key:
        return False
    jobs.submit(kind, {**(payload or {}), "key": key}, max_attempts=1)
    return True


def check_ahead(versions: Iterable[DesignVersion], check: Callable[[DesignVersion], object], progress) -> dict:
    """Run ``check`` on each version (a check that fails is left to the gate, which checks and
    answers in its own request)."""
    versions = list(versions)
    failed = 0
    for i, version in enumerate(versions):
        try:
            check(version)
        except Exception:        # noqa: BLE001 (one broken label must not stop the others)
            db.session.rollback()
            failed += 1
            log.warning("checking version %s ahead failed", version.id, exc_info=True)
        progress((i + 1) / len(versions), "")
    return {"checked": len(versions) - failed, "failed": failed}


def waiting_versions() -> list[DesignVersion]:
    """Every submission waiting for a trainer, oldest first (products still in use)."""
    return list(db.session.scalars(
        select(DesignVersion).join(Product, Product.id == DesignVersion.product_id)
        .where(DesignVersion.status == VersionStatus.SUBMITTED, Product.archived.is_(False))
        .order_by(DesignVersion.submitted_at, DesignVersion.id)))


@handler(WARM_KIND, lane="heavy")   # background, low priority: pages get the CPU first (issue 20)
def warm_review_checks(job: Job, progress) -> dict:
    """The approval check of every waiting submission, into the cache (idempotent: a second run
    only reads the cache)."""
    return check_ahead(waiting_versions(), recheck_version, progress)


@periodic
def warm_review_checks_when_due() -> None:
    warm_once(WARM_KIND)
