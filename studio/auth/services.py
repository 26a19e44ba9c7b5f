"""Use-cases for people: accounts, login with rate limit, passwords, business profiles."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, inspect, or_, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import as_utc, utcnow
from ..errors import Conflict, Forbidden, Invalid, NotFound, StudioError
from ..extensions import db
from .models import AuditEvent, LoginAttempt, LoginThrottle, ProducerProfile, Role, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD = 8


class LoginLocked(StudioError):
    status = 429

    def __init__(self, message: str, wait_s: int = 0):
        super().__init__(message)
        self.wait_s = wait_s


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: str
    password: str
    phone: str | None = None
    business_name: str = ""
    cohort_id: int | None = None   # producers: the cohort they join (cohorts.services checks it)


def users_with_profiles(ids) -> dict[int, User]:
    """The users with these ids (falsy ids skipped), each with its producer profile (pages name them
    with the business: ``User.display_name``): those the session already holds with their profile
    from memory, the others in one statement."""
    ids = {i for i in ids if i}
    out = {}
    for i in ids:
        u = db.session.identity_map.get(db.session.identity_key(User, i))
        if u is not None and "profile" not in inspect(u).unloaded:
            out[i] = u
    missing = ids - set(out)
    if missing:
        out.update({u.id: u for u in db.session.scalars(select(User).options(joinedload(User.profile))
                                                        .where(User.id.in_(missing)))})
    return out


def normalise_phone(raw: str | None) -> str | None:
    """Indonesian mobile numbers to +62…; ``None``/empty stays ``None``.

    :raises Invalid: when it is not a plausible Indonesian number.
    """
    if not raw or not raw.strip():
        return None
    digits = re.sub(r"[\s\-().]", "", raw.strip())
    if digits.startswith("+62"):
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if not re.fullmatch(r"8\d{7,12}", digits):
        raise Invalid(str(_l("Nomor HP/WhatsApp tidak benar. Contoh: 0812 3456 7890.")), field="phone")
    return "+62" + digits


def hash_password(password: str) -> str:
    # scrypt: a modern memory-hard scheme (tests lower its cost through the config).
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(str(_l("Kata sandi minimal %(n)d karakter.", n=MIN_PASSWORD)), field=field)


def can_manage(actor: User, role: str) -> bool:
    """Admins create anyone; trainers create producers (producers rarely have e-mail)."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.TRAINER and role == Role.PRODUCER


def create_user(actor: User | None, data: NewUser, *, commit: bool = True) -> User:
    """Create an account. ``actor`` None is allowed only for the CLI/demo seeding.

    :raises Forbidden: when ``actor`` may not create this role.
    :raises Conflict: on ``username`` or ``phone`` when taken.
    :raises Invalid: on a bad username, phone or password.
    """
    if actor is not None and not can_manage(actor, data.role):
        raise Forbidden(str(_l("Anda tidak boleh membuat akun dengan peran ini.")))
    if data.role not in list(Role):
        raise Invalid(str(_l("Peran tidak dikenal.")), field="role")
    username = data.username.strip().lower()
    if not USERNAME_RE.fullmatch(username):
        raise Invalid(str(_l("Nama pengguna 3-40 huruf kecil, angka, titik, strip. Contoh: bu.sri")),
                      field="username")
    if not data.full_name.strip():
        raise Invalid(str(_l("Isi nama lengkap.")), field="full_name")
    phone = normalise_phone(data.phone)
    _check_password_rules(data.password)
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise Conflict(str(_l("Nama pengguna \"%(u)s\" sudah dipakai. Pilih yang lain.", u=username)),
                       field="username")
    if phone and db.session.scalar(db.select(User.id).where(User.phone == phone)):
        raise Conflict(str(_l("Nomor HP ini sudah dipakai akun lain.")), field="phone")
    user = User(username=username, full_name=data.full_name.strip(), role=data.role, phone=phone,
                password_hash=hash_password(data.password), created_by_id=actor.id if actor else None)
    if data.role == Role.PRODUCER:
        user.profile = ProducerProfile(business_name=data.business_name.strip(),
                                       owner_name=data.full_name.strip(), whatsapp=phone or "")
    db.session.add(user)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return user


def login_key(login: str) -> str:
    """One spelling per account: phone numbers in +62… form, usernames in lower case."""
    key = (login or "").strip().lower()[:40]
    if re.fullmatch(r"[+\d\s().-]{8,}", key):
        try:
            return normalise_phone(key) or key
        except Invalid:
            return key
    return key


_DUMMY_HASHES: dict[str, str] = {}
CHECK_HOLD_S = 10   # an account's row is held this long at most while one password is checked


def _dummy_hash() -> str:
    """A hash of nothing, checked for unknown logins so they cost the same work as known ones."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("dummy-" + method, method=method)
    return _DUMMY_HASHES[method]


def _backoff_s(failures: int, free: int) -> int:
    """No wait for the first ``free`` failures, then 2, 4, 8 … seconds, never more than the cap."""
    if failures < free:
        return 0
    return min(current_app.config["LOGIN_BACKOFF_MAX_S"], 2 ** (failures - free + 1))


def _insert_ignore(table, **values):
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=["key"])


def _claim(key: str, now, *, serialise: bool) -> bool:
    """Take the right to check one password under ``key``, atomically.

    One conditional UPDATE: it succeeds only when the key is not waiting out a delay. With
    ``serialise`` (the account) the row is held for the length of the check, so parallel tries on one
    account are checked one after the other and each sees the count of the ones before.
    """
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    table = LoginThrottle.__table__
    db.session.execute(_insert_ignore(table, key=key, failures=0, blocked_until=None, updated_at=now))
    # Failures older than the window are forgotten.
    db.session.execute(update(table).where(table.c.key == key, table.c.updated_at < now - window)
                       .values(failures=0, blocked_until=None))
    values = {"updated_at": now}
    if serialise:
        values["blocked_until"] = now + timedelta(seconds=CHECK_HOLD_S)
    res = db.session.execute(update(table).where(
        table.c.key == key, or_(table.c.blocked_until.is_(None), table.c.blocked_until <= now)).values(**values))
    db.session.commit()
    return res.rowcount == 1


def _claim_turn(key: str, now, free: int) -> bool:
    """:func:`_claim` for an account, waiting its turn: while another try on the same account is being
    checked (the row is held, fewer than ``free`` failures counted) this try waits for it, a short poll
    for at most ``LOGIN_TURN_WAIT_S``, and is then checked itself. A trainer who logs in on two PCs at
    once gets in on both. An account waiting out a delay for failed tries is refused at once."""
    deadline = time.monotonic() + float(current_app.config.get("LOGIN_TURN_WAIT_S", 0))
    table = LoginThrottle.__table__
    while not _claim(key, now, serialise=True):
        failures = db.session.scalar(db.select(table.c.failures).where(table.c.key == key)) or 0
        db.session.rollback()
        if failures >= free or time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
        now = utcnow()
    return True


def _settle(key: str, ok: bool, now, free: int, *, account: bool) -> None:
    """Count the outcome with SQL increments (never read-modify-write) and set the next delay."""
    table = LoginThrottle.__table__
    if ok:
        if account:
            db.session.execute(update(table).where(table.c.key == key)
                               .values(failures=0, blocked_until=None, updated_at=now))
        return
    db.session.execute(update(table).where(table.c.key == key)
                       .values(failures=table.c.failures + 1, updated_at=now))
    failures = db.session.scalar(db.select(table.c.failures).where(table.c.key == key)) or 0
    wait = _backoff_s(failures, free)
    if wait or account:
        db.session.execute(update(table).where(table.c.key == key).values(
            blocked_until=now + timedelta(seconds=wait) if wait else None))


def _wait_left(key: str, now) -> int:
    until = as_utc(db.session.scalar(db.select(LoginThrottle.blocked_until).where(LoginThrottle.key == key)))
    db.session.rollback()
    return max(1, int((until - now).total_seconds()) + 1) if until else 1


def _prune(now) -> None:
    """Old rows go when new ones are written: the tables never grow without limit."""
    cfg = current_app.config
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.updated_at < now - timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"]),
        or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now)))
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=cfg["LOGIN_LOG_DAYS"])))


def _locked(key: str, now) -> LoginLocked:
    wait = _wait_left(key, now)
    return LoginLocked(str(_l("Terlalu banyak percobaan masuk. Tunggu %(s)d detik lalu coba lagi.", s=wait)), wait)


def device_tag(user_id: int) -> str:
    """What a browser keeps (in a cookie) after this user logged in on it: a keyed hash, not the id."""
    import hashlib
    import hmac

    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"known-device:{user_id}".encode(), hashlib.sha256).hexdigest()[:20]


def authenticate(login: str, password: str, ip: str, device_tags: frozenset[str] | set[str] = frozenset()) -> User:
    """Check a username or phone number and a password.

    Failures count on the account (every spelling of a phone number is one account) and, much more
    loosely, on the address. After ``LOGIN_MAX_FAILURES`` failures each further try waits a short
    growing delay (2, 4 … ``LOGIN_BACKOFF_MAX_S`` seconds): it slows guessing without locking anyone
    out for long. A browser where this account logged in before (``device_tags``, from the view's
    cookie) counts apart, so a stranger's guessing cannot keep the owner out of her own PC or phone.
    Unknown logins do the same password work as known ones.

    :raises LoginLocked: while the account or the address must wait.
    :raises Invalid: on a wrong login or password (one message for both).
    """
    cfg = current_app.config
    key = login_key(login)
    cond = [User.username == key] + ([User.phone == key] if key.startswith("+62") else [])
    user = db.session.scalar(db.select(User).where(or_(*cond)))
    user_id, pw_hash, active = (user.id, user.password_hash, user.active) if user else (None, None, False)
    db.session.commit()   # end the read before the counting writes (SQLite upgrades locks badly)
    account_key = f"u:{user_id}" if user_id else f"l:{key}"
    if user_id and device_tag(user_id) in device_tags:
        account_key += ":known"
    ip_key = f"ip:{(ip or '?')[:45]}"
    now = utcnow()
    if not _claim(ip_key, now, serialise=False):
        raise _locked(ip_key, now)
    if not _claim_turn(account_key, now, cfg["LOGIN_MAX_FAILURES"]):
        raise _locked(account_key, utcnow())
    try:
        ok = bool(check_password_hash(pw_hash or _dummy_hash(), password or "") and user_id and active)
    except BaseException:
        _settle(account_key, False, utcnow(), cfg["LOGIN_MAX_FAILURES"], account=True)
        db.session.commit()
        raise
    now = utcnow()
    _settle(account_key, ok, now, cfg["LOGIN_MAX_FAILURES"], account=True)
    _settle(ip_key, ok, now, cfg["LOGIN_MAX_FAILURES_PER_IP"], account=False)
    db.session.add(LoginAttempt(username=key, ip=(ip or "?")[:45], success=ok, at=now))
    if ok:
        db.session.execute(db.update(User).where(User.id == user_id).values(last_login_at=now))
    _prune(now)
    db.session.commit()
    if not ok:
        raise Invalid(str(_l("Nama pengguna/nomor HP atau kata sandi salah.")), field="password")
    return db.session.get(User, user_id)


def get_user(actor: User, user_id: int) -> User:
    """A user whose role the actor may manage (cohort scope is checked by cohorts.services).

    :raises NotFound: otherwise (never leaks existence).
    """
    user = db.session.get(User, user_id)
    if user is None or not can_manage(actor, user.role):
        raise NotFound(str(_l("Akun tidak ditemukan.")))
    return user


def reset_password(actor: User, user: User, new_password: str, must_change: bool = False) -> User:
    """A trainer or admin sets a new password for someone they manage (``user`` already checked).
    Every session of ``user`` ends; the reset is logged; with ``must_change`` the owner picks a new
    password at the next login."""
    if not can_manage(actor, user.role):
        raise Forbidden()
    _check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.session_version = (user.session_version or 1) + 1
    user.must_change_password = bool(must_change)
    audit(actor, "reset_password", user, "must_change" if must_change else "")
    db.session.commit()
    return user


def change_password(user: User, old_password: str, new_password: str) -> int:
    """Change one's own password; every other session ends.

    :returns: the new session version (the view keeps the current session with it).
    :raises Invalid: when the old password is wrong or the new one too short.
    """
    if not check_password_hash(user.password_hash, old_password or ""):
        raise Invalid(str(_l("Kata sandi lama salah.")), field="old_password")
    _check_password_rules(new_password, "new_password")
    if check_password_hash(user.password_hash, new_password) and user.must_change_password:
        raise Invalid(str(_l("Pilih kata sandi baru yang berbeda dari yang lama.")), field="new_password")
    user.password_hash = hash_password(new_password)
    user.session_version = (user.session_version or 1) + 1
    user.must_change_password = False
    db.session.commit()
    return user.session_version


def require_password_change(actor: User, user_id: int) -> User:
    """An admin asks the owner to choose a new password at the next page they open (logged)."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    user = get_user(actor, user_id)
    user.must_change_password = True
    audit(actor, "require_password_change", user)
    db.session.commit()
    return user


def account_history(actor: User, user_id: int, limit: int = 20) -> list[AuditEvent]:
    """What was done to this account, newest first (admin only)."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    user = get_user(actor, user_id)
    return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.subject_user_id == user.id)
                                   .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


# --- sessions ----------------------------------------------------------------------------------------

def session_user(user_id: str | int, version) -> User | None:
    """The user a session cookie names, or None when that session was ended (or the account is off)."""
    try:
        # with the producer profile: her pages show her business name, in the same statement
        user = db.session.get(User, int(user_id), options=[joinedload(User.profile)])
    except (TypeError, ValueError):
        return None
    if user is None or not user.active or version != (user.session_version or 1):
        return None
    return user


def log_out(user: User) -> None:
    """Logging out ends every session of this account (shared PCs, phones passed on)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.commit()


def end_sessions(actor: User, user_id: int) -> User:
    """An admin ends every session of a user (logged)."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    user = get_user(actor, user_id)
    user.session_version = (user.session_version or 1) + 1
    audit(actor, "end_sessions", user)
    db.session.commit()
    return user


def set_active(actor: User, user_id: int, active: bool) -> User:
    """An admin turns an account off (every session ends, its API tokens stop) or on again (logged)."""
    if actor.role != Role.ADMIN:
        raise Forbidden()
    user = get_user(actor, user_id)
    if user.id == actor.id:
        raise Invalid(str(_l("Anda tidak bisa menonaktifkan akun sendiri.")))
    user.active = active
    user.session_version = (user.session_version or 1) + 1
    audit(actor, "activate" if active else "deactivate", user)
    db.session.commit()
    return user


def audit(actor: User | None, action: str, subject: User | None = None, detail: str = "") -> None:
    """Record an account action in the caller's transaction (the caller commits)."""
    db.session.add(AuditEvent(actor_id=actor.id if actor else None, action=action, detail=detail[:2000],
                              subject_user_id=subject.id if subject else None))


PROFILE_FIELDS = ("business_name", "owner_name", "address", "desa", "kecamatan", "postal_code",
                  "whatsapp", "nib")


def update_profile(actor: User, user_id: int, values: dict) -> ProducerProfile:
    """Update a producer's business profile (the producer themself, or an admin).

    :raises Invalid: on a bad WhatsApp number, NIB or postal code.
    """
    if actor.id != user_id and actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya pemilik usaha atau admin yang mengubah profil ini.")))
    user = actor if actor.id == user_id else get_user(actor, user_id)
    if user.role != Role.PRODUCER:
        raise NotFound(str(_l("Akun tidak ditemukan.")))
    profile = user.profile or ProducerProfile(user=user)
    clean = {k: (values.get(k) or "").strip() for k in PROFILE_FIELDS}
    if clean["whatsapp"]:
        clean["whatsapp"] = normalise_phone(clean["whatsapp"]) or ""
    if clean["nib"] and not re.fullmatch(r"\d{13}", clean["nib"]):
        raise Invalid(str(_l("NIB harus 13 angka (lihat di OSS).")), field="nib")
    if clean["postal_code"] and not re.fullmatch(r"\d{5}", clean["postal_code"]):
        raise Invalid(str(_l("Kode pos harus 5 angka, contoh 61456.")), field="postal_code")
    for k, v in clean.items():
        setattr(profile, k, v)
    db.session.add(profile)
    db.session.commit()
    return profile


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        db.session.commit()


def list_users(actor: User) -> list[User]:
    if actor.role != Role.ADMIN:
        raise Forbidden()
    return list(db.session.scalars(db.select(User).order_by(User.role, User.username)))


def get_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)

