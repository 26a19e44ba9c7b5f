"""What the hub printed: totals per day and per producer (hub operators and admins)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from .. import clock
from ..db import as_utc, utcnow
from ..auth.models import User
from ..auth.services import users_with_profiles
from ..extensions import db
from .models import PrintJob
from .services import PRINTED_STATUSES, require_hub


@dataclass(frozen=True)
class Totals:
    """Jobs, labels and sheets for one key (a local date, or a producer User). Only jobs the operator
    marked printed count (a PDF made but never marked printed is not a printed label); ``sheets``
    counts sheet stocks only: a thermal roll job adds labels, never sheets."""

    key: object
    jobs: int
    labels: int
    sheets: int


def _printed_at(pj: PrintJob) -> datetime:
    return as_utc(pj.printed_at or pj.created_at)


def _done_jobs_since(days: int) -> list[PrintJob]:
    """Jobs marked printed in the last ``days`` days (by the time they were marked printed)."""
    since = utcnow() - timedelta(days=days + 1)
    # with each job's producer and her profile (the totals name her): one statement, not two
    rows = db.session.execute(select(PrintJob, User).where(PrintJob.status.in_(PRINTED_STATUSES),
                                                           db.func.coalesce(PrintJob.printed_at, PrintJob.created_at)
                                                           >= since)
                              .outerjoin(User, User.id == PrintJob.owner_id)
                              .options(defer(PrintJob.calibration),    # sheets_used reads layout_snapshot
                                       joinedload(User.profile))).unique().all()
    return [pj for pj, _owner in rows]


def totals_per_day(actor: User, days: int = 14, *, jobs: list[PrintJob] | None = None) -> list[Totals]:
    """Labels and sheets printed per local day over the last ``days`` days, newest first.
    ``jobs``: printed jobs already read (:func:`_done_jobs_since` of at least ``days``)."""
    require_hub(actor)
    acc: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    tz = clock.hub_zone()
    first = clock.today() - timedelta(days=days - 1)
    for pj in (_done_jobs_since(days) if jobs is None else jobs):
        d = _printed_at(pj).astimezone(tz).date()
        if d >= first:
            a = acc[d]
            a[0] += 1
            a[1] += pj.copies
            a[2] += pj.sheets_used
    return [Totals(d, *acc[d]) for d in sorted(acc, reverse=True)]


def totals_per_producer(actor: User, days: int = 30, *, jobs: list[PrintJob] | None = None) -> list[Totals]:
    """Labels and sheets printed per producer over the last ``days`` days, most labels first.
    ``jobs``: printed jobs already read (:func:`_done_jobs_since` of at least ``days``)."""
    require_hub(actor)
    acc: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    since = utcnow() - timedelta(days=days + 1)
    for pj in (_done_jobs_since(days) if jobs is None else jobs):
        if jobs is not None and _printed_at(pj) < since:
            continue
        a = acc[pj.owner_id]
        a[0] += 1
        a[1] += pj.copies
        a[2] += pj.sheets_used
    people = users_with_profiles(acc)     # read with the jobs (_done_jobs_since): from memory
    rows = [Totals(people.get(uid), *v) for uid, v in acc.items()]
    return sorted(rows, key=lambda t: -t.labels)


def hub_totals(actor: User, day_days: int = 14, producer_days: int = 30) -> tuple[list[Totals], list[Totals]]:
    """(:func:`totals_per_day`, :func:`totals_per_producer`) from ONE read of the printed jobs (the
    hub home shows both on every visit)."""
    require_hub(actor)
    jobs = _done_jobs_since(max(day_days, producer_days))
    return (totals_per_day(actor, day_days, jobs=jobs), totals_per_producer(actor, producer_days, jobs=jobs))
