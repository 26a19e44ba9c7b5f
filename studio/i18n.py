"""Language choice and Indonesian formatting (dd-mm-yyyy dates, Rp12.500 money)."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user
from jinja2 import pass_context

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


# The translations of the page being rendered, looked up once per render_template (the context
# processor below) instead of once per ``_()``: Flask-Babel's own template callables ask
# get_translations() for every string (~20-50 µs each through the request-context proxies; a page
# has 50-300 strings). Templates and macros rendered without the page's context (a macro imported
# without "with context") fall back to Flask-Babel's lookup: same translations, only slower.
_TRANSLATIONS_VAR = "_studio_translations"


def _translations_of(ctx):
    from flask_babel import get_translations

    tr = ctx.get(_TRANSLATIONS_VAR)
    return tr if tr is not None else get_translations()


@pass_context
def _gettext(ctx, string):
    return _translations_of(ctx).ugettext(string)


@pass_context
def _ngettext(ctx, singular, plural, n):
    return _translations_of(ctx).ungettext(singular, plural, n)


@pass_context
def _pgettext(ctx, context, string):
    return _translations_of(ctx).upgettext(context, string)


@pass_context
def _npgettext(ctx, context, singular, plural, n):
    return _translations_of(ctx).unpgettext(context, singular, plural, n)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(rupiah=rupiah, tanggal=tanggal, angka=angka)
    app.jinja_env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True,
                                            pgettext=_pgettext, npgettext=_npgettext)

    @app.before_request
    def _fresh_locale():
        # Flask-Babel caches the locale on the app context; when one app context spans several
        # requests (tests, CLI-driven rendering) a language switch must not be ignored.
        from flask_babel import refresh

        refresh()

    @app.context_processor
    def inject_locale():
        from flask_babel import get_locale, get_translations

        return {"current_locale": str(get_locale() or "id"), "request_path": request.full_path.rstrip("?"),
                _TRANSLATIONS_VAR: get_translations()}
