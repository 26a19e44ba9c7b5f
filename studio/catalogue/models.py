"""Published listings (immutable snapshots), the delivery outbox, and API tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User

from ..db import utcnow
from ..extensions import db


class Listing(db.Model):
    """What buyers see at /p/<code>: a snapshot made at publish time, never edited afterwards."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    public_code: Mapped[str] = mapped_column(String(12), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    snapshot: Mapped[dict] = mapped_column(JSON)
    product_revision_id: Mapped[int] = mapped_column(ForeignKey("product_revisions.id"))
    design_version_id: Mapped[int | None] = mapped_column(ForeignKey("design_versions.id"))
    # The photo it was published from; the listing owns copies of its files (snapshot["photo"]), so the
    # photo may be deleted later: the reference then becomes empty.
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(String(40), default="", index=True)
    desa: Mapped[str] = mapped_column(String(60), default="", index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    unpublished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxEvent(db.Model):
    """A publish/update/unpublish event to deliver to BLONJO; written in the publish transaction."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(20))  # listing.published / .updated / .unpublished
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending/delivered/failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))   # the owner: acts as them
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scope: Mapped[str] = mapped_column(String(12), default="read", server_default="read")  # read | publish
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    use_count: Mapped[int] = mapped_column(default=0, server_default="0")

    owner: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    SCOPES = ("read", "publish")
