"""Training cohorts: who trains whom, where and when."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..db import TimestampMixin
from ..extensions import db

cohort_trainers = Table(
    "cohort_trainers", db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)
cohort_producers = Table(
    "cohort_producers", db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(TimestampMixin, db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    desa: Mapped[str] = mapped_column(String(60), default="")
    kecamatan: Mapped[str] = mapped_column(String(60), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    agencies: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    trainers: Mapped[list[User]] = relationship(secondary=cohort_trainers, order_by=User.full_name)
    producers: Mapped[list[User]] = relationship(secondary=cohort_producers, order_by=User.full_name)
