"""Domain errors raised by services, and the HTML error pages."""
from __future__ import annotations

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


def register_error_handlers(app: Flask) -> None:
    def page(code: int, title: str, text: str):
        if request.path.startswith("/api/"):
            return {"error": {"status": code, "message": text}}, code
        return render_template("errors/error.html", code=code, title=title, text=text), code

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
        return page(413, _("Berkas terlalu besar"), _("Berkas paling besar 25 MB. Kecilkan foto lalu coba lagi."))

    @app.errorhandler(429)
    def too_many(e):
        return page(429, _("Terlalu banyak percobaan"), _("Tunggu beberapa menit lalu coba lagi."))

    @app.errorhandler(500)
    def server_error(e):
        return page(500, _("Ada kesalahan di sistem"), _("Data Anda aman. Coba lagi, atau panggil petugas hub."))

    @app.errorhandler(StudioError)
    def studio_error(e: StudioError):
        return page(e.status, _("Tidak bisa dilanjutkan"), e.message)
