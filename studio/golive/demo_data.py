"""The demo set while a hub goes live: is a demo password still usable, and removing the demo data.

The demo accounts are the usernames seeded by ``studio.demo`` (README lists them with their password).
Removal deletes the demo cohort and every row that hangs off the demo accounts' products (revisions,
photos, designs, design versions, review comments, print jobs, listings, outbox events, their jobs)
and the media files only those rows used. Rows of real people are never deleted: a demo account that
real data still names (e.g. the demo operator printed a real producer's label) is kept, switched off
and given an unusable password, so the demo password is gone either way.
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, delete, event, select, update
from werkzeug.security import check_password_hash

from ..auth.models import AuditEvent, LoginAttempt, LoginThrottle, Role, User
from ..auth.services import audit, hash_password
from ..cohorts.models import Cohort
from ..demo import DEMO_PASSWORD, PEOPLE
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..media import media

DEMO_USERNAMES: tuple[str, ...] = tuple(p[0] for p in PEOPLE)
DEMO_COHORT_NAME = "Pelatihan Desa Pelabuhan"

# password hash -> "is it the demo password?"; a hash string never changes meaning, so the expensive
# check runs once per hash and process, not per request (another process changing a password makes a
# new hash, which is checked once here).
_verdicts: dict[str, bool] = {}
_verdict_lock = threading.Lock()


def _is_demo_hash(pw_hash: str) -> bool:
    with _verdict_lock:
        known = _verdicts.get(pw_hash)
    if known is None:
        known = bool(pw_hash) and check_password_hash(pw_hash, DEMO_PASSWORD)
        with _verdict_lock:
            if len(_verdicts) > 256:
                _verdicts.clear()
            _verdicts[pw_hash] = known
    return known


def live_demo_accounts() -> list[str]:
    """Usernames of active demo accounts that still open with the README's demo password."""
    rows = db.session.execute(select(User.username, User.password_hash).where(
        User.username.in_(DEMO_USERNAMES), User.active.is_(True))).all()
    return sorted(u for u, h in rows if _is_demo_hash(h))


#: seconds a process keeps the demo banner's answer (every hub and admin page shows the banner)
BANNER_TTL_S = 5.0
_BANNER = "studio.demo_banner"          # app.extensions: (time.monotonic() deadline, usernames)
_USERS_WRITTEN = "studio.demo_banner.users_written"


def banner_accounts() -> list[str]:
    """:func:`live_demo_accounts` for the banner, kept :data:`BANNER_TTL_S` seconds in this process:
    the hub's pages asked the database for it on every visit. A user row this process writes (a
    password changed, an account switched off, the demo removed) forgets it at once; a change made
    by another server process shows within the TTL."""
    cache = current_app.extensions
    hit = cache.get(_BANNER)
    now = time.monotonic()
    if hit is not None and hit[0] > now:
        return list(hit[1])
    accounts = live_demo_accounts()
    cache[_BANNER] = (now + BANNER_TTL_S, accounts)
    return list(accounts)


def forget_banner() -> None:
    if has_app_context():
        current_app.extensions.pop(_BANNER, None)


@event.listens_for(db.session, "after_flush")
def _after_flush(session, _ctx) -> None:
    if any(isinstance(o, User) for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[_USERS_WRITTEN] = True
        forget_banner()


@event.listens_for(db.session, "do_orm_execute")
def _bulk_write(state) -> None:      # a statement writing users outside the unit of work (or SQL text)
    table = getattr(state.statement, "table", None)
    if not state.is_select and getattr(table, "name", "users") == "users":
        state.session.info[_USERS_WRITTEN] = True
        forget_banner()


@event.listens_for(db.session, "after_commit")
def _after_commit(session) -> None:
    if session.info.pop(_USERS_WRITTEN, False):
        forget_banner()       # again: a page may have read the old rows between the flush and the commit


def demo_present() -> bool:
    """True while any demo account or the demo cohort exists (live password or not)."""
    return bool(db.session.scalar(select(User.id).where(User.username.in_(DEMO_USERNAMES)).limit(1))) \
        or bool(db.session.scalar(select(Cohort.id).where(Cohort.name == DEMO_COHORT_NAME).limit(1)))


@dataclass
class RemovalReport:
    deleted_rows: dict[str, int] = field(default_factory=dict)
    deleted_accounts: list[str] = field(default_factory=list)
    kept_accounts: list[str] = field(default_factory=list)   # still named by real data: off, no password
    deleted_files: int = 0


#: nullable columns that only say who made a row: cleared when that demo account goes (the row stays)
WHO_MADE_IT = {("users", "created_by_id"), ("hub_settings", "updated_by_id"), ("studio_assets", "uploaded_by_id"),
               ("custom_layouts", "created_by_id"), ("custom_packs", "created_by_id"),
               ("cohorts", "created_by_id"), ("calibrations", "measured_by_id")}


def _fk_columns(table: Table, target: str):
    """(column, nullable) of ``table`` that refer to table ``target``."""
    for fk in table.foreign_keys:
        if fk.column.table.name == target:
            yield fk.parent, fk.parent.nullable


def _pk(table: Table):
    cols = list(table.primary_key.columns)
    return cols[0] if len(cols) == 1 else None


def _media_keys(value, out: set[str]) -> None:
    """Every string inside ``value`` (JSON included) that names a stored media file."""
    if isinstance(value, dict):
        for v in value.values():
            _media_keys(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _media_keys(v, out)
    elif isinstance(value, str) and 3 < len(value) <= 300 and "/" in value and not value.startswith(("/", "http")) \
            and not any(ch.isspace() for ch in value):
        try:
            if media().exists(value):
                out.add(value)
        except ValueError:
            pass


def check_may_remove(actor: User | None) -> None:
    """Only a real admin removes the demo (the command line is the person at the hub PC).

    :raises Forbidden: when the actor is not an admin.
    :raises Invalid: when the actor is a demo account (the hub would lose its only way in).
    """
    if actor is None:
        return
    if actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya admin yang boleh menghapus data demo.")))
    if actor.username in DEMO_USERNAMES:
        raise Invalid(str(_l("Anda masuk dengan akun demo. Buat dulu akun admin Anda sendiri (Siap pakai → "
                             "Akun admin), masuk dengan akun itu, lalu hapus data demo.")))


def remove_demo(actor: User | None) -> RemovalReport:
    """Delete the demo cohort, the demo accounts with their products and everything made from them,
    and the media files nothing else uses. Returns what was done. One transaction.

    :raises Forbidden, Invalid: see :func:`check_may_remove`.
    """
    check_may_remove(actor)
    meta = db.metadata
    tables = {t.name: t for t in meta.sorted_tables}
    report = RemovalReport()
    demo_ids = set(db.session.scalars(select(User.id).where(User.username.in_(DEMO_USERNAMES))))
    cohort_ids = set(db.session.scalars(select(Cohort.id).where(
        Cohort.name == DEMO_COHORT_NAME,
        (Cohort.created_by_id.in_(demo_ids)) | (Cohort.created_by_id.is_(None)))))
    if not demo_ids and not cohort_ids:
        return report

    # 1. rows to delete: the demo accounts' own things, then everything that refers to a deleted row
    doomed: dict[str, set] = {name: set() for name in tables}
    doomed["cohorts"] |= cohort_ids
    own = {"products": "owner_id", "listings": "producer_id", "print_jobs": "owner_id",
           "studio_assets": "owner_id", "api_tokens": "created_by_id", "producer_profiles": "user_id"}
    for name, col in own.items():
        if name in tables and demo_ids:
            t = tables[name]
            doomed[name] |= set(db.session.scalars(select(_pk(t)).where(t.c[col].in_(demo_ids))))
    skip_parents = {"users", "jobs"}
    changed = True
    while changed:
        changed = False
        for t in meta.sorted_tables:
            pk = _pk(t)
            for fk in t.foreign_keys:
                parent = fk.column.table.name
                if parent in skip_parents or not doomed.get(parent):
                    continue
                if pk is None:
                    continue   # association tables: their ON DELETE CASCADE rows go with the parent
                if fk.ondelete and fk.ondelete.upper() == "SET NULL":
                    continue
                ids = set(db.session.scalars(select(pk).where(fk.parent.in_(doomed[parent])))) - doomed[t.name]
                if ids:
                    doomed[t.name] |= ids
                    changed = True
    # the background jobs of deleted rows
    for t in meta.sorted_tables:
        for col, _null in _fk_columns(t, "jobs"):
            pk = _pk(t)
            if pk is not None and doomed[t.name]:
                doomed["jobs"] |= {j for j in db.session.scalars(select(col).where(pk.in_(doomed[t.name])))
                                   if j is not None}

    # 2. media keys of the doomed rows
    candidates: set[str] = set()
    for name, ids in doomed.items():
        if ids:
            t = tables[name]
            for row in db.session.execute(select(t).where(_pk(t).in_(ids))).mappings():
                _media_keys(dict(row), candidates)

    # files named by convention rather than by a column: a photo's derived folder, a print job's page preview
    root = media().root
    for photo_id in doomed.get("photos", ()):
        folder = root / "derived" / str(photo_id)
        if folder.is_dir():
            candidates |= {p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file()}
    from types import SimpleNamespace

    from ..printing.services import pdf_key_for

    for job_id in doomed.get("print_jobs", ()):
        key = pdf_key_for(SimpleNamespace(id=job_id))
        candidates |= {k for k in (key, key[:-4] + "-p1.png") if media().exists(k)}

    # 3. which demo accounts real (surviving) rows still name; "who made this" columns are cleared
    kept: set[int] = set()
    for t in meta.sorted_tables:
        if t.name in ("producer_profiles", "audit_events", "login_attempts") or _pk(t) is None:
            continue
        for col, _null in _fk_columns(t, "users"):
            if (t.name, col.name) in WHO_MADE_IT:
                continue
            q = select(col).where(col.in_(demo_ids))
            if doomed[t.name]:
                q = q.where(~_pk(t).in_(doomed[t.name]))
            kept |= set(db.session.scalars(q))
    gone_users = demo_ids - kept
    users = tables["users"]

    # 4. delete: break nullable links first (circular products ↔ revisions/photos), then children first
    for t in meta.sorted_tables:
        ids = doomed[t.name]
        if not ids:
            continue
        nulls = {fk.parent.name: None for fk in t.foreign_keys if fk.parent.nullable
                 and fk.column.table.name not in skip_parents}
        if nulls:
            db.session.execute(update(t).where(_pk(t).in_(ids)).values(**nulls))
    # association rows (cohort memberships) of deleted cohorts and accounts
    for t in meta.sorted_tables:
        if _pk(t) is not None:
            continue
        for fk in t.foreign_keys:
            parent = fk.column.table.name
            ids = gone_users if parent == "users" else doomed.get(parent, set())
            if ids:
                db.session.execute(delete(t).where(fk.parent.in_(ids)))
    for t in reversed(meta.sorted_tables):
        ids = doomed[t.name]
        if t.name == "jobs" or not ids:
            continue
        report.deleted_rows[t.name] = db.session.execute(delete(t).where(_pk(t).in_(ids))).rowcount
    if doomed["jobs"]:
        report.deleted_rows["jobs"] = db.session.execute(delete(tables["jobs"]).where(
            tables["jobs"].c.id.in_(doomed["jobs"]))).rowcount
    if gone_users:
        names = list(db.session.scalars(select(User.username).where(User.id.in_(gone_users))))
        db.session.execute(update(AuditEvent).where(AuditEvent.actor_id.in_(gone_users)).values(actor_id=None))
        db.session.execute(delete(AuditEvent).where(AuditEvent.subject_user_id.in_(gone_users)))
        for name, col in WHO_MADE_IT:   # real rows made by a demo account keep existing, maker unknown
            if name in tables and col in tables[name].c:
                t = tables[name]
                db.session.execute(update(t).where(t.c[col].in_(gone_users)).values({col: None}))
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.username.in_(names)))
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_([f"u:{i}" for i in gone_users])))
        report.deleted_rows["users"] = db.session.execute(delete(users).where(users.c.id.in_(gone_users))).rowcount
        report.deleted_accounts = sorted(names)
    for user in db.session.scalars(select(User).where(User.id.in_(kept))):
        user.active = False
        user.password_hash = hash_password(secrets.token_urlsafe(24))
        user.session_version = (user.session_version or 1) + 1
        report.kept_accounts.append(user.username)
    audit(actor, "remove_demo", None, f"accounts deleted: {report.deleted_accounts}; kept (off): "
                                      f"{report.kept_accounts}; rows: {report.deleted_rows}")
    db.session.commit()
    with _verdict_lock:
        _verdicts.clear()

    # 5. files that no surviving row names any more (content-addressed files may be shared)
    if candidates:
        still_used: set[str] = set()
        for t in meta.sorted_tables:
            for row in db.session.execute(select(t)).mappings():
                _media_keys(dict(row), still_used)
        for key in sorted(candidates - still_used):
            media().delete(key)
            report.deleted_files += 1
    report.kept_accounts.sort()
    return report
