"""Web-level defences: CSRF on every state-changing request, cookie flags, security headers, no
inline scripts, login rate limit and password hashing."""
from __future__ import annotations

import re

import pytest
from werkzeug.security import check_password_hash

from studio.config import DefaultConfig
from studio.extensions import db

from .conftest import PASSWORD, build_world, csrf_token_of, make_app
from .test_access_matrix import ENDPOINTS, ROLE_OF, _fingerprint, _url

TOKEN_ENDPOINTS = ("api.api_publish", "api.api_unpublish")   # machine writes: bearer token, no cookie, no CSRF


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    """The same world as the access matrix, but with CSRF protection on (as in production)."""
    app = make_app(tmp_path_factory.mktemp("csrf"), csrf=True)
    with app.app_context():
        world = build_world(app)
        db.session.remove()
    yield app, world
    with app.app_context():
        db.engine.dispose()


def _login_with_token(app, username):
    c = app.test_client()
    page = c.get("/masuk").get_data(as_text=True)
    r = c.post("/masuk", data={"login": username, "password": PASSWORD, "csrf_token": csrf_token_of(page)})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return c


def _allowed_user(world, allowed) -> str | None:
    """Someone the endpoint lets in (A's own side first), or None for public endpoints."""
    if "public" in allowed:
        return None
    for key in ("producer_a", "trainer_a", "hub_x", "admin_x"):
        if ROLE_OF[key] in allowed:
            return world.users[key]
    raise AssertionError(f"no test user for roles {allowed}")


def test_every_post_needs_a_csrf_token(csrf_app):
    """A POST without the token is refused with 400 and changes nothing, for every POST rule."""
    app, world = csrf_app
    clients: dict[str | None, object] = {}
    problems = []
    checked = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods or rule.endpoint in TOKEN_ENDPOINTS:
            continue
        assert rule.endpoint in ENDPOINTS, f"new endpoint {rule.endpoint}: add it to the access matrix"
        allowed = getattr(app.view_functions[rule.endpoint], "required_roles", ("public",))
        who = _allowed_user(world, allowed)
        if who not in clients:
            clients[who] = _login_with_token(app, who) if who else app.test_client()
        url = _url(app, world, rule)
        before = _fingerprint(app)
        resp = clients[who].post(url, data={"name": "Tanpa token", "body": "x", "decision": "approve"})
        checked += 1
        if resp.status_code != 400:
            problems.append(f"POST {url} [{rule.endpoint}] as {who}: {resp.status_code} (expected 400)")
        if _fingerprint(app) != before:
            problems.append(f"POST {url} [{rule.endpoint}] as {who}: data changed without a CSRF token")
        wrong = clients[who].post(url, data={"csrf_token": "not-a-token"})
        if wrong.status_code != 400:
            problems.append(f"POST {url} [{rule.endpoint}] with a forged token: {wrong.status_code}")
    assert checked >= 20
    assert not problems, "\n".join(problems)


def test_a_valid_csrf_token_is_accepted(csrf_app):
    """The check above is meaningful: with the page's token the same kind of POST goes through."""
    app, world = csrf_app
    c = _login_with_token(app, world.users["producer_b"])
    html = c.get("/produk").get_data(as_text=True)
    r = c.post("/produk/baru", data={"name": "Kopi Token", "product_class": "pangan_pirt",
                                     "csrf_token": csrf_token_of(html)})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]


def test_api_token_writes_do_not_use_cookies(csrf_app):
    """The bearer-token API is exempt from CSRF but refuses a logged-in browser without a token."""
    app, world = csrf_app
    c = _login_with_token(app, world.users["admin_x"])
    r = c.post(f"/api/v1/products/{world.ids['product_id']}/unpublish")
    assert r.status_code == 401 and r.is_json


def test_session_cookie_is_httponly_and_samesite(csrf_app):
    app, world = csrf_app
    c = app.test_client()
    page = c.get("/masuk").get_data(as_text=True)
    r = c.post("/masuk", data={"login": world.users["producer_a"], "password": PASSWORD,
                               "csrf_token": csrf_token_of(page)})
    cookies = [v for k, v in r.headers.items() if k.lower() == "set-cookie"]
    session = [v for v in cookies if v.startswith(app.config.get("SESSION_COOKIE_NAME", "session") + "=")]
    assert session, cookies
    for value in session:
        assert "HttpOnly" in value, value
        assert re.search(r"SameSite=(Lax|Strict)", value), value


@pytest.mark.parametrize("path,who", [
    ("/masuk", None), ("/katalog", None), ("/api/v1/listings", None), ("/tidak-ada", None),
    ("/produk", "producer_a"), ("/produk/{product_id}/desain/label.pdf", "producer_a"),
    ("/hub/", "hub_x"),
])
def test_security_headers(csrf_app, path, who):
    """CSP without inline scripts, no sniffing, no framing: on pages, JSON, PDFs and error pages."""
    app, world = csrf_app
    c = _login_with_token(app, world.users[who]) if who else app.test_client()
    r = c.get(path.format(**world.ids))
    csp = r.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    script_src = directives.get("script-src") or directives.get("default-src", "")
    assert script_src and "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, csp
    assert "frame-ancestors 'none'" in csp or r.headers.get("X-Frame-Options") == "DENY", csp
    assert "frame-ancestors" in csp, csp
    assert r.headers.get("X-Content-Type-Options") == "nosniff"


# JSON-LD / JSON data blocks are not executed, so the CSP allows them.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>\s*\S", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def test_no_page_has_inline_script_or_style(csrf_app):
    """The CSP forbids them, so any inline script, handler or style attribute would silently not work."""
    app, world = csrf_app
    clients: dict[str | None, object] = {}
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        allowed = getattr(app.view_functions[rule.endpoint], "required_roles", ("public",))
        if "api-token" in allowed:
            continue
        who = _allowed_user(world, allowed)
        if who not in clients:
            clients[who] = _login_with_token(app, who) if who else app.test_client()
        r = clients[who].get(_url(app, world, rule))
        if r.mimetype != "text/html":
            continue
        html = r.get_data(as_text=True)
        for name, pattern in (("inline <script>", INLINE_SCRIPT), ("on…= handler", INLINE_HANDLER),
                              ("style= attribute", INLINE_STYLE)):
            m = pattern.search(html)
            if m:
                problems.append(f"{rule.endpoint}: {name}: {m.group(0)[:120]}")
    assert not problems, "\n".join(problems)


def test_login_is_rate_limited(csrf_app):
    """After LOGIN_MAX_FAILURES wrong passwords even the right one is refused for a while (429)."""
    app, world = csrf_app
    c = app.test_client()
    token = csrf_token_of(c.get("/masuk").get_data(as_text=True))
    name = world.users["producer_b"]
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        r = c.post("/masuk", data={"login": name, "password": "salah-sekali", "csrf_token": token})
        assert r.status_code == 200 and "salah" in r.get_data(as_text=True)
    r = c.post("/masuk", data={"login": name, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    assert "Terlalu banyak percobaan" in r.get_data(as_text=True)
    assert "session" not in "".join(v for k, v in r.headers.items() if k.lower() == "set-cookie") or \
        c.get("/produk").status_code == 302   # not logged in


def test_passwords_are_hashed_with_scrypt(csrf_app):
    """scrypt (memory-hard) in production with at least werkzeug's default cost; never plain text."""
    app, world = csrf_app
    assert DefaultConfig.PASSWORD_HASH_METHOD.startswith("scrypt")
    parts = DefaultConfig.PASSWORD_HASH_METHOD.split(":")
    assert len(parts) == 1 or int(parts[1]) >= 2 ** 15
    from studio.auth.models import User

    with app.app_context():
        users = db.session.scalars(db.select(User)).all()
        for u in users:
            assert u.password_hash.startswith("scrypt:"), u.password_hash[:20]
            assert PASSWORD not in u.password_hash
            assert check_password_hash(u.password_hash, PASSWORD)
        assert len({u.password_hash for u in users}) == len(users)   # salted
        db.session.remove()
