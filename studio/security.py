"""Security headers: a CSP with no inline scripts, no framing, no sniffing."""
from __future__ import annotations

from flask import Flask, abort, request, session

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    @app.before_request
    def bounded_request():
        """Refuse an over-long address or oversized headers in the studio's own words (JSON under /api/).

        The WSGI server refuses the most extreme ones before the app sees them (gunicorn.conf.py sets
        its limits above these, so the app's page is what people get for everything in between).
        """
        max_url = int(app.config.get("MAX_URL_CHARS") or 0)
        if max_url and len(request.environ.get("RAW_URI") or request.full_path) > max_url:
            abort(414)
        max_headers = int(app.config.get("MAX_HEADER_BYTES") or 0)
        if max_headers and sum(len(k) + len(v) + 4 for k, v in request.headers.items()) > max_headers:
            abort(431)

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        hsts = app.config.get("HSTS_SECONDS") or 0
        if hsts and request.is_secure:
            resp.headers.setdefault("Strict-Transport-Security", f"max-age={int(hsts)}; includeSubDomains")
        _private_when_session(resp)
        return resp


def _private_when_session(resp) -> None:
    """A response that reads or sets the session cookie is never stored by a shared cache (a hub's
    proxy must not hand one person's cookie, or page, to the next)."""
    if not (session.modified or (session.accessed and len(session))):
        return   # no cookie came in and none goes out: the page is the same for everyone
    cc = resp.headers.get("Cache-Control", "")
    if "public" in cc:
        resp.headers["Cache-Control"] = cc.replace("public", "private")
    elif not cc:
        resp.headers["Cache-Control"] = "private"
    resp.vary.add("Cookie")
