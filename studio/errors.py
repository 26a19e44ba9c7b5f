"""Domain errors raised by services, and the HTML error pages."""
from __future__ import annotations

import math

from flask import Flask, render_template, request
from flask_babel import gettext as _


class StudioError(Exception):
    """Base of every domain error. ``field`` names the form field it belongs to, if any."""

    status = 400

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFound(StudioError):
    status = 404


class Forbidden(StudioError):
    status = 403


class Conflict(StudioError):
    status = 409


class InvalidStep(StudioError):
    status = 409


class Invalid(StudioError):
    status = 400


#: The last resort when the normal error page cannot be drawn (the layout needs the session, the
#: signed-in user and sometimes the database — the very things that may have failed). Plain HTML, no
#: layout, no database; still the studio's own words, never the server's bare English page.
_BARE_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5">
<p style="font-size:3em;margin:0" aria-hidden="true">{code}</p><h1>{title}</h1><p>{text}</p>
<p><a href="/">{home}</a></p></body></html>"""


def _safe_text(fn, fallback: str) -> str:
    try:
        return str(fn())
    except Exception:   # translations unavailable: Indonesian, the source language
        return fallback


def bare_error_page(code: int, title: str, text: str) -> tuple[str, int, dict[str, str]]:
    """The minimal error page: needs nothing but the strings given (already translated or not)."""
    from markupsafe import escape

    home = _safe_text(lambda: _("Kembali ke beranda"), "Kembali ke beranda")
    lang = _safe_text(lambda: __import__("flask_babel").get_locale().language, "id")
    body = _BARE_PAGE.format(lang=escape(lang), code=int(code), title=escape(title), text=escape(text),
                             home=escape(home))
    return body, code, {"Content-Type": "text/html; charset=utf-8"}


def register_error_handlers(app: Flask) -> None:
    def page(code: int, title: str, text: str):
        try:
            api = request.path.startswith("/api/")
        except Exception:
            api = False
        if api:
            return {"error": {"status": code, "message": str(text)}}, code
        try:
            return render_template("errors/error.html", code=code, title=title, text=text), code
        except Exception:
            app.logger.exception("the error page itself failed; answering with the bare page")
            return bare_error_page(code, str(title), str(text))

    @app.errorhandler(400)
    def bad_request(e):
        return page(400, _("Permintaan tidak bisa diproses"), _("Periksa isian Anda lalu coba lagi."))

    @app.errorhandler(403)
    def forbidden(e):
        return page(403, _("Tidak boleh dibuka"), _("Halaman ini bukan untuk akun Anda."))

    @app.errorhandler(404)
    def not_found(e):
        return page(404, _("Halaman tidak ditemukan"), _("Alamat ini tidak ada atau sudah dipindah."))

    @app.errorhandler(405)
    def not_allowed(e):
        return page(405, _("Cara membuka halaman salah"), _("Kembali ke halaman sebelumnya lalu coba lagi."))

    @app.errorhandler(413)
    def too_large(e):
        # Two causes: the whole request is above MAX_CONTENT_LENGTH (a file), or a form's text is above
        # Werkzeug's MAX_FORM_MEMORY_SIZE / MAX_FORM_PARTS (no file at all: "Kecilkan foto" would be wrong).
        from flask_babel import format_decimal

        try:
            length = int(request.content_length or 0)
            files = request.mimetype == "multipart/form-data"   # only a multipart form carries a file
        except Exception:
            length, files = 0, False
        limit = int(app.config.get("MAX_CONTENT_LENGTH") or 0)
        if files and limit and length > limit:
            upload_mb = int(app.config.get("UPLOAD_MAX_BYTES") or limit) / 2**20
            size_mb = math.ceil(length / 2**20 * 10) / 10    # rounded up: never shown equal to the limit
            return page(413, _("Berkas terlalu besar"),
                        _("Kiriman Anda %(size)s MB; berkas paling besar %(limit)s MB. Kecilkan foto atau "
                          "berkasnya lalu coba lagi.", size=format_decimal(size_mb, format="#,##0.0"),
                          limit=format_decimal(upload_mb, format="#,##0.#")))
        return page(413, _("Isian terlalu panjang"),
                    _("Ada isian yang terlalu panjang untuk dikirim sekaligus. Persingkat teksnya (misalnya "
                      "deskripsi atau komposisi) lalu kirim lagi."))

    @app.errorhandler(414)
    def uri_too_long(e):
        return page(414, _("Alamat terlalu panjang"),
                    _("Alamat halaman ini terlalu panjang. Buka lagi dari menu atau dari tautan di halaman studio."))

    @app.errorhandler(431)
    def headers_too_large(e):
        return page(431, _("Permintaan tidak bisa diproses"),
                    _("Data yang dikirim peramban terlalu besar. Hapus cookie situs ini di peramban lalu coba lagi."))

    @app.errorhandler(429)
    def too_many(e):
        return page(429, _("Terlalu banyak percobaan"), _("Tunggu beberapa menit lalu coba lagi."))

    @app.errorhandler(500)
    def server_error(e):
        title = _safe_text(lambda: _("Ada kesalahan di sistem"), "Ada kesalahan di sistem")
        text = _safe_text(lambda: _("Data Anda aman. Coba lagi, atau panggil petugas hub."),
                          "Data Anda aman. Coba lagi, atau panggil petugas hub.")
        try:   # a failed request may leave the session's transaction broken: the page must not need it
            from .extensions import db

            db.session.rollback()
        except Exception:
            pass
        return page(500, title, text)

    @app.errorhandler(StudioError)
    def studio_error(e: StudioError):
        return page(e.status, _("Tidak bisa dilanjutkan"), e.message)
