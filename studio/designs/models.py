"""Label designs: a working copy per product and immutable submitted versions with their review."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import TimestampMixin, utcnow
from ..extensions import db


class VersionStatus(StrEnum):
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


class Design(TimestampMixin, db.Model):
    """The producer's working design for one product and one pack kind (label, wrap, box…)."""

    __tablename__ = "designs"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="label")  # label | wrap | header | box
    layout_id: Mapped[str] = mapped_column(String(60))
    layout_snapshot: Mapped[dict] = mapped_column(JSON)  # a copy of the stock it was made with
    style_id: Mapped[str] = mapped_column(String(40))
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    document: Mapped[dict] = mapped_column(JSON)  # the declarative LabelDocument (to_dict)
    schema_version: Mapped[int] = mapped_column(Integer, default=1)
    product_revision_id: Mapped[int | None] = mapped_column(ForeignKey("product_revisions.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Cached preflight summary of the working copy (the preflight module is the truth).
    blocker_count: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    # Element moves made on OTHER stocks ({layout_id: {tag: box}}), restored when the producer
    # switches back; the current stock's moves live in ``options["overrides"]``.
    saved_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    # Pack designs (kind wrap | header | box | pouch): the pack size and a copy of its geometry.
    pack_id: Mapped[str | None] = mapped_column(String(60))
    pack_snapshot: Mapped[dict | None] = mapped_column(JSON)

    versions: Mapped[list["DesignVersion"]] = relationship(
        back_populates="design", order_by="DesignVersion.number", cascade="all, delete-orphan")


class DesignVersion(db.Model):
    """A submitted design: frozen document + stock + product revision. Review acts on versions."""

    __tablename__ = "design_versions"
    __table_args__ = (UniqueConstraint("design_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    design_id: Mapped[int] = mapped_column(ForeignKey("designs.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    layout_id: Mapped[str] = mapped_column(String(60))
    layout_snapshot: Mapped[dict] = mapped_column(JSON)
    style_id: Mapped[str] = mapped_column(String(40))
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    document: Mapped[dict] = mapped_column(JSON)
    product_revision_id: Mapped[int] = mapped_column(ForeignKey("product_revisions.id"))
    findings: Mapped[list] = mapped_column(JSON, default=list)  # preflight at submission time
    # the pictures the version was rendered with (slot -> media key; the photo copied under
    # versions/, so a later photo change or cleanup never reaches the print); None: older versions
    image_keys: Mapped[dict | None] = mapped_column(JSON)
    preview_key: Mapped[str | None] = mapped_column(String(200))
    pdf_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=VersionStatus.SUBMITTED, index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Optimistic lock: two trainers deciding at once cannot both win.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    design: Mapped[Design] = relationship(back_populates="versions")
    comments: Mapped[list["ReviewComment"]] = relationship(
        back_populates="version", order_by="ReviewComment.created_at", cascade="all, delete-orphan")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": lock_version}


class ReviewComment(db.Model):
    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("design_versions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    x_mm: Mapped[float | None] = mapped_column(Float)  # pinned to a point on the label, or None
    y_mm: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    version: Mapped[DesignVersion] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class AssetKind(StrEnum):
    HALAL_LOGO = "halal_logo"       # the official Label Halal Indonesia, uploaded once by an admin
    PRODUCER_LOGO = "producer_logo"  # a producer's own brand logo


class StudioAsset(TimestampMixin, db.Model):
    """An uploaded image placed on labels as it is (never redrawn): the halal logo, producer logos.

    The newest active row of a kind (and owner) is the one in use; older rows stay for designs
    and print jobs that already used them.
    """

    __tablename__ = "studio_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # None = studio-wide
    media_key: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    width_px: Mapped[int] = mapped_column(Integer, default=0)
    height_px: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A logo made in the studio's logo maker: the vector original (SVG) beside the PNG in
    # ``media_key``, and the choices it was drawn from (designs/brand.py).
    vector_key: Mapped[str | None] = mapped_column(String(200))
    spec: Mapped[dict | None] = mapped_column(JSON)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CustomLayout(TimestampMixin, db.Model):
    """A label stock measured at the hub: a new sheet, or a correction of an unverified file stock.

    ``values`` is the flat ``layout_to_dict`` shape, validated by the engine's SheetLayout.
    """

    __tablename__ = "custom_layouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    layout_id: Mapped[str] = mapped_column(String(60), unique=True)
    values: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CustomPack(TimestampMixin, db.Model):
    """A pack size added by an admin (beside the files in ``packs/``); ``values`` is the size
    table of its type (lengths in mm), validated by ``studio.packaging.pack_from_dict``."""

    __tablename__ = "custom_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(60), unique=True)
    pack_type: Mapped[str] = mapped_column(String(20))
    values: Mapped[dict] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
