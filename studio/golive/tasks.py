"""The daily backup through the jobs seam: a ticker round submits it when the last one is a day old."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import select

from .. import jobs
from ..extensions import db
from . import setup
from .backup import make_backup, prune

KIND = "golive.backup"


def backup_folder() -> str:
    """The folder chosen by the hub (``studio set-backup-dir``), else the BACKUP_DIR setting."""
    return setup.get_setting(setup.BACKUP_DIR) or (current_app.config.get("BACKUP_DIR") or "")


def last_backup() -> tuple[datetime | None, str, str]:
    """(when the last good backup was made, its file, the error of the last failed try or "")."""
    raw = setup.get_setting(setup.LAST_BACKUP_AT)
    try:
        when = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        when = None
    return when, setup.get_setting(setup.LAST_BACKUP_FILE), setup.get_setting(setup.LAST_BACKUP_ERROR)


def backup_overview() -> dict:
    """What the backup box on the hub and admin pages shows, in one query: ``{when, file, error,
    folder}`` (as :func:`last_backup` and :func:`backup_folder`)."""
    v = setup.get_settings(setup.BACKUP_DIR, setup.LAST_BACKUP_AT, setup.LAST_BACKUP_FILE, setup.LAST_BACKUP_ERROR)
    raw = v[setup.LAST_BACKUP_AT]
    try:
        when = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        when = None
    return {"when": when, "file": v[setup.LAST_BACKUP_FILE], "error": v[setup.LAST_BACKUP_ERROR],
            "folder": v[setup.BACKUP_DIR] or (current_app.config.get("BACKUP_DIR") or "")}


def run_backup_now() -> str:
    """Back up into the hub's folder, keep the newest BACKUP_KEEP, record the result. Returns the path."""
    folder = backup_folder()
    if not folder:
        raise RuntimeError("no backup folder: run studio set-backup-dir")
    try:
        result = make_backup(folder)
        prune(folder, int(current_app.config.get("BACKUP_KEEP", 7)))
    except Exception as e:
        db.session.rollback()
        setup.put_setting(None, setup.LAST_BACKUP_ERROR, f"{type(e).__name__}: {e}"[:500])
        db.session.commit()
        raise
    setup.put_setting(None, setup.LAST_BACKUP_AT, datetime.now(timezone.utc).isoformat())
    setup.put_setting(None, setup.LAST_BACKUP_FILE, str(result.path))
    setup.put_setting(None, setup.LAST_BACKUP_ERROR, "")
    db.session.commit()
    return str(result.path)


@jobs.handler(KIND)
def _backup_job(job, progress):
    progress(0.1, "mencadangkan")
    return {"path": run_backup_now()}


@jobs.periodic
def schedule_daily_backup() -> bool:
    """Submit a backup job when a folder is set and the last good backup (or try) is older than a day."""
    if not backup_folder():
        return False
    every = timedelta(hours=float(current_app.config.get("BACKUP_EVERY_HOURS", 24)))
    when, _file, _err = last_backup()
    now = datetime.now(timezone.utc)
    if when is not None and now - when < every:
        return False
    recent = db.session.scalar(select(jobs.Job.id).where(
        jobs.Job.kind == KIND,
        (jobs.Job.status.in_([jobs.JobStatus.QUEUED, jobs.JobStatus.RUNNING]))
        | (jobs.Job.created_at > now - timedelta(hours=1))).limit(1))
    if recent:   # one at a time; a failed try is retried after an hour, not every tick
        return False
    jobs.submit(KIND, {}, max_attempts=1)
    return True
