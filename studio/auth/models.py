"""People and their roles."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import TimestampMixin, utcnow
from ..extensions import db


class Role(StrEnum):
    PRODUCER = "producer"
    TRAINER = "trainer"
    HUB = "hub"
    ADMIN = "admin"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(12), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Copied into the signed session cookie at login and compared on every request: raising it
    # (logout, password change or reset, deactivation, "end sessions") ends every copy of the cookie.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set by an admin ("change it at the next login") or with a password a trainer/admin chose: until the
    # owner picks a new password, every page leads to the password form.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    profile: Mapped["ProducerProfile | None"] = relationship(back_populates="user", uselist=False)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def display_name(self) -> str:
        if self.profile and self.profile.business_name:
            return f"{self.full_name} ({self.profile.business_name})"
        return self.full_name


class ProducerProfile(TimestampMixin, db.Model):
    """A producer's business: what the label prints as "Diproduksi oleh"."""

    __tablename__ = "producer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    business_name: Mapped[str] = mapped_column(String(100), default="")
    owner_name: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    desa: Mapped[str] = mapped_column(String(60), default="")
    kecamatan: Mapped[str] = mapped_column(String(60), default="")
    regency: Mapped[str] = mapped_column(String(60), default="Kab. Jombang")
    regency_code: Mapped[str] = mapped_column(String(4), default="3517")
    postal_code: Mapped[str] = mapped_column(String(5), default="")
    whatsapp: Mapped[str] = mapped_column(String(20), default="")
    nib: Mapped[str] = mapped_column(String(13), default="")

    user: Mapped[User] = relationship(back_populates="profile")

    def as_label_dict(self) -> dict:
        """The producer as ``studio.rules.labeltext.label_texts`` expects it ("Diproduksi oleh …")."""
        parts = [self.address.strip()]
        if self.desa.strip():
            parts.append("Ds. " + self.desa.strip())
        if self.kecamatan.strip():
            parts.append("Kec. " + self.kecamatan.strip())
        city = self.regency.replace("Kab.", "").replace("Kabupaten", "").strip() or "Jombang"
        return {
            "legal_name": self.business_name.strip() or self.owner_name.strip(),
            "address_line": ", ".join(p for p in parts if p),
            "city": city, "regency": self.regency_code, "postal_code": self.postal_code,
            "country": "Indonesia", "whatsapp": self.whatsapp, "nib": self.nib,
        }


class LoginAttempt(db.Model):
    """One login try, kept as a log (pruned when written); the limits live in ``LoginThrottle``."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), index=True)
    ip: Mapped[str] = mapped_column(String(45), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class LoginThrottle(db.Model):
    """Failures per account ("u:<id>", or "l:<normalised login>" when no such account) and per address
    ("ip:<addr>"). Counting is one conditional UPDATE, so parallel tries cannot pass together; a row
    refuses tries until ``blocked_until`` (a short, growing delay), never for long."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditEvent(db.Model):
    """Who did what to whose account (cohort moves, ended sessions, API tokens)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
