"""One clock for the services: "today" and "now" at the hub.

The hub's time zone is the app setting ``BABEL_DEFAULT_TIMEZONE`` (Asia/Jakarta by default). A label's
production and expiry dates, permit validity, the print history's days and the product checks all use
:func:`today`, so a label saved at 23:30 and printed at 00:10 agree on which day it is. Timestamps are
stored in UTC (``studio.db.utcnow``); this module is for the hub's calendar. Pure engines never read
a clock: they take ``today`` as an argument.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Jakarta"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def hub_zone() -> ZoneInfo:
    """The hub's time zone (the app's ``BABEL_DEFAULT_TIMEZONE``; Asia/Jakarta outside an app)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return _zone(name or DEFAULT_ZONE)


def now() -> datetime:
    """The current time at the hub (time-zone aware)."""
    return datetime.now(hub_zone())


def today() -> date:
    """Today's date at the hub."""
    return now().date()
