"""Printers with calibration, and print jobs."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import TimestampMixin, utcnow
from ..extensions import db


class PrinterProfile(TimestampMixin, db.Model):
    __tablename__ = "printer_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="inkjet")  # inkjet | laser | thermal
    dpi: Mapped[int] = mapped_column(Integer, default=300)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    calibrations: Mapped[list["Calibration"]] = relationship(back_populates="printer",
                                                             cascade="all, delete-orphan")


class Calibration(db.Model):
    """Measured correction for one printer and one stock (offsets in mm, scale factors)."""

    __tablename__ = "calibrations"
    __table_args__ = (UniqueConstraint("printer_id", "layout_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printer_profiles.id", ondelete="CASCADE"))
    layout_id: Mapped[str] = mapped_column(String(60))
    offset_x_mm: Mapped[float] = mapped_column(Float, default=0.0)
    offset_y_mm: Mapped[float] = mapped_column(Float, default=0.0)
    scale_x: Mapped[float] = mapped_column(Float, default=1.0)
    scale_y: Mapped[float] = mapped_column(Float, default=1.0)
    readings: Mapped[dict] = mapped_column(JSON, default=dict)  # what the operator read on the rulers
    measured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    measured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    printer: Mapped[PrinterProfile] = relationship(back_populates="calibrations")


class PrintJob(TimestampMixin, db.Model):
    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_key: Mapped[str] = mapped_column(String(64), unique=True)  # one job per form submission
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    design_version_id: Mapped[int] = mapped_column(ForeignKey("design_versions.id"), index=True)
    product_revision_id: Mapped[int] = mapped_column(ForeignKey("product_revisions.id"))
    layout_id: Mapped[str] = mapped_column(String(60))
    layout_snapshot: Mapped[dict] = mapped_column(JSON)
    copies: Mapped[int] = mapped_column(Integer)
    sheets: Mapped[int] = mapped_column(Integer, default=0)
    first_slot: Mapped[int] = mapped_column(Integer, default=0)
    batch_code: Mapped[str] = mapped_column(String(20), default="")
    production_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printer_profiles.id"))
    calibration: Mapped[dict] = mapped_column(JSON, default=dict)  # snapshot used for this job
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued/rendering/ready/printed/failed
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    pdf_key: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    printed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # the producer
    adapted: Mapped[bool] = mapped_column(Boolean, default=False)  # design re-laid out for this stock
    reprints: Mapped[int] = mapped_column(Integer, default=0)       # downloads after the first

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    printed_by: Mapped[User | None] = relationship(foreign_keys=[printed_by_id])
    printer: Mapped[PrinterProfile | None] = relationship()

    @property
    def on_roll(self) -> bool:
        """A roll stock (thermal): counted in labels only, a roll has no sheets."""
        return (self.layout_snapshot or {}).get("kind") == "roll"

    @property
    def sheets_used(self) -> int:
        """Sheets of label paper the job uses (0 on a roll: thermal jobs are counted in labels)."""
        return 0 if self.on_roll else int(self.sheets or 0)

    @property
    def labels_per_sheet(self) -> int:
        snap = self.layout_snapshot or {}
        return int(snap.get("columns", 1)) * int(snap.get("rows", 1))
