"""Hub-wide settings kept in the database, so every app server and background worker reads the same value."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db

#: key of the catalogue's public address (the start of every QR code's web address)
PUBLIC_URL = "public_url"
#: the label stock the hub keeps or prints (a JSON list of stock ids; unset: the STOCKS_ON_OFFER setting)
STOCKS_ON_OFFER = "stocks_on_offer"


class HubSetting(db.Model):
    """One setting of this hub, by key. Who changed it last and when is kept next to the value."""

    __tablename__ = "hub_settings"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
