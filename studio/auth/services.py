"""Use-cases for people: accounts, login with rate limit, passwords, business profiles."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..errors import Conflict, Forbidden, Invalid, NotFound, StudioError
from ..extensions import db
from .models import LoginAttempt, ProducerProfile, Role, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD = 8


class LoginLocked(StudioError):
    status = 429


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: str
    password: str
    phone: str | None = None
    business_name: str = ""


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


def create_user(actor: User | None, data: NewUser) -> User:
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
    db.session.commit()
    return user


def _recent_failures(column, value: str) -> int:
    window = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(db.select(func.count(LoginAttempt.id)).where(
        column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= window)) or 0


def authenticate(login: str, password: str, ip: str) -> User:
    """Check a username or phone number and a password; failures are counted and rate-limited.

    :raises LoginLocked: after too many failures for this login or address.
    :raises Invalid: on a wrong login or password (one message for both).
    """
    key = (login or "").strip().lower()[:40]
    cfg = current_app.config
    if (_recent_failures(LoginAttempt.username, key) >= cfg["LOGIN_MAX_FAILURES"]
            or _recent_failures(LoginAttempt.ip, ip) >= cfg["LOGIN_MAX_FAILURES_PER_IP"]):
        raise LoginLocked(str(_l("Terlalu banyak percobaan masuk. Tunggu %(m)d menit lalu coba lagi.",
                                 m=cfg["LOGIN_WINDOW_MINUTES"])))
    phone = None
    try:
        phone = normalise_phone(key) if re.fullmatch(r"[+\d\s-]{8,}", key) else None
    except Invalid:
        phone = None
    cond = [User.username == key] + ([User.phone == phone] if phone else [])
    user = db.session.scalar(db.select(User).where(or_(*cond)))
    ok = bool(user and user.active and check_password_hash(user.password_hash, password or ""))
    db.session.add(LoginAttempt(username=key, ip=ip[:45], success=ok))
    db.session.commit()
    if not ok:
        raise Invalid(str(_l("Nama pengguna/nomor HP atau kata sandi salah.")), field="password")
    return user


def get_user(actor: User, user_id: int) -> User:
    """A user whose role the actor may manage (cohort scope is checked by cohorts.services).

    :raises NotFound: otherwise (never leaks existence).
    """
    user = db.session.get(User, user_id)
    if user is None or not can_manage(actor, user.role):
        raise NotFound(str(_l("Akun tidak ditemukan.")))
    return user


def reset_password(actor: User, user: User, new_password: str) -> User:
    """A trainer or admin sets a new password for someone they manage (``user`` already checked)."""
    if not can_manage(actor, user.role):
        raise Forbidden()
    _check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    db.session.commit()
    return user


def change_password(user: User, old_password: str, new_password: str) -> None:
    """:raises Invalid: when the old password is wrong or the new one too short."""
    if not check_password_hash(user.password_hash, old_password or ""):
        raise Invalid(str(_l("Kata sandi lama salah.")), field="old_password")
    _check_password_rules(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    db.session.commit()


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

