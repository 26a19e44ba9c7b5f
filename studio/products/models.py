"""Products, their immutable data revisions, and photos."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import TimestampMixin, utcnow
from ..extensions import db

# Short public codes for /p/<code>: no 0/O/1/I/L, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_public_code(length: int = 6) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    public_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_public_code)
    name: Mapped[str] = mapped_column(String(120))
    product_class: Mapped[str] = mapped_column(String(30), default="pangan_pirt")
    # Cached wizard step for lists and dashboards; the gates in wizard.steps are the truth.
    wizard_step: Mapped[str] = mapped_column(String(12), default="product")
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_revisions.id", use_alter=True, name="fk_products_current_revision"))
    primary_photo_id: Mapped[int | None] = mapped_column(
        ForeignKey("photos.id", use_alter=True, name="fk_products_primary_photo"))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    current_revision: Mapped["ProductRevision | None"] = relationship(
        foreign_keys=[current_revision_id], post_update=True)
    primary_photo: Mapped["Photo | None"] = relationship(foreign_keys=[primary_photo_id], post_update=True)


class ProductRevision(db.Model):
    """An immutable snapshot of the product data. Designs, print jobs and listings point here."""

    __tablename__ = "product_revisions"
    __table_args__ = (UniqueConstraint("product_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)   # the clean record (rules.to_jsonable): what labels read
    # What the producer typed, as flat text by record key ("nutrition.fat"), so a draft with an
    # invalid value keeps the text; and the problems found at save time {field: {"id", "en"}}.
    raw: Mapped[dict] = mapped_column(JSON, default=dict)
    errors: Mapped[dict] = mapped_column(JSON, default=dict)
    complete_label: Mapped[bool] = mapped_column(Boolean, default=False)
    complete_listing: Mapped[bool] = mapped_column(Boolean, default=False)
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    created_by: Mapped[User | None] = relationship()


class Photo(TimestampMixin, db.Model):
    """An uploaded photo: the untouched original plus derived images and the steps that made them."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    original_key: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    original_format: Mapped[str] = mapped_column(String(10), default="")
    width_px: Mapped[int] = mapped_column(Integer, default=0)
    height_px: Mapped[int] = mapped_column(Integer, default=0)
    steps: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued/processing/ready/failed
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    catalogue_key: Mapped[str | None] = mapped_column(String(200))
    cutout_key: Mapped[str | None] = mapped_column(String(200))
    mask_key: Mapped[str | None] = mapped_column(String(200))
    thumb_keys: Mapped[dict] = mapped_column(JSON, default=dict)  # {"600": key, "300": key, ...}
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "pack": the product in its pack (main photo, catalogue); "contents": the food itself, used on
    # labels when there is one (PhotoKind in products/photos.py).
    kind: Mapped[str] = mapped_column(String(12), default="pack", server_default="pack")
