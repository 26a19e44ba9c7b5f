"""Language choice and Indonesian formatting (dd-mm-yyyy dates, Rp12.500 money)."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from . import clock


def select_locale() -> str:
    langs = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and job threads speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = session.get("lang")
    if lang in langs:
        return lang
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def rupiah(value) -> str:
    """12500 -> "Rp12.500" (thousands with a dot, no decimals)."""
    if value is None or value == "":
        return ""
    try:
        n = int(round(float(value)))
    except (TypeError, ValueError):
        return str(value)
    return "Rp" + f"{n:,}".replace(",", ".")


def tanggal(value) -> str:
    """A date or datetime as dd-mm-yyyy (datetimes in Asia/Jakarta, with hh:mm)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            from datetime import timezone

            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(clock.hub_zone()).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def angka(value, digits: int = 1) -> str:
    """1.5 -> "1,5" (decimal comma)."""
    if value is None or value == "":
        return ""
    s = f"{float(value):,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return s.rstrip("0").rstrip(",") if "," in s else s


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(rupiah=rupiah, tanggal=tanggal, angka=angka)

    @app.before_request
    def _fresh_locale():
        # Flask-Babel caches the locale on the app context; when one app context spans several
        # requests (tests, CLI-driven rendering) a language switch must not be ignored.
        from flask_babel import refresh

        refresh()

    @app.context_processor
    def inject_locale():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or "id"), "request_path": request.full_path.rstrip("?")}
