"""Every endpoint × every role: who gets in, who is refused, and that producer A's data never
leaks to producer B or to the trainer of another cohort.

The matrix iterates ``app.url_map``. Each endpoint must be listed in ENDPOINTS (how to call it and
whether it touches A's objects); a new endpoint that is not listed fails ``test_every_endpoint_is_known``
so it gets covered. URL parameters are filled with the ids of objects producer A owns, all made
through the real services (see conftest.build_world).
"""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from studio.extensions import db

from .conftest import SECRET_BUSINESS, SECRET_PRODUCT, login_client

ROLES = ("anonymous", "producer_a", "producer_b", "trainer_o", "trainer_a", "hub_x", "admin_x")
ROLE_OF = {"anonymous": None, "producer_a": "producer", "producer_b": "producer", "trainer_o": "trainer",
           "trainer_a": "trainer", "hub_x": "hub", "admin_x": "admin"}
OUTSIDERS = ("producer_b", "trainer_o")      # may never see anything of A's

# scope: "owned" = the URL names one of A's objects; "global" = a list/home/admin page; "public" = anyone.
# hub: the hub operator may use it on A's object (printing needs it: the approved version, its job,
# PDF and pictures); on every other "owned" endpoint the hub gets 404 like an outsider and sees
# none of A's drafts, history, photos or working designs.
# params: values for URL parameters that are not plain ids; query: extra query string.
ENDPOINTS: dict[str, dict] = {
    "auth.index": {"scope": "public"},
    "auth.login": {"scope": "public"},
    "auth.logout": {"scope": "global"},
    "auth.set_language": {"scope": "public"},
    "auth.account": {"scope": "global"},
    "auth.profile": {"scope": "global"},
    "auth.admin_home": {"scope": "global"},
    "auth.new_user": {"scope": "global"},
    "auth.reset_password": {"scope": "owned"},
    "auth.end_sessions": {"scope": "owned"},
    "auth.deactivate": {"scope": "owned", "destructive": True},
    "auth.activate": {"scope": "owned"},
    "auth.require_password_change": {"scope": "owned", "destructive": True},
    "golive.remove_demo": {"scope": "global", "destructive": True},
    "golive.checklist": {"scope": "global"},
    "golive.logs": {"scope": "global"},
    "cohorts.move_producer": {"scope": "owned"},
    "hubsetup.settings": {"scope": "global"},
    "cohorts.home": {"scope": "global"},
    "cohorts.new": {"scope": "global"},
    "cohorts.detail": {"scope": "owned"},
    "wizard.home": {"scope": "global"},
    "wizard.new_product": {"scope": "global"},
    "wizard.trainer_home": {"scope": "global"},
    "wizard.overview": {"scope": "owned"},
    "wizard.product_data": {"scope": "owned"},
    "wizard.product_history": {"scope": "owned"},
    "wizard.product_import": {"scope": "owned"},
    "wizard.product_import_template": {"scope": "owned"},
    "wizard.product_export": {"scope": "owned"},
    "wizard.nutrition_templates": {"scope": "owned"},
    "wizard.photos": {"scope": "owned"},
    "wizard.photo_status": {"scope": "owned"},
    "wizard.photo_file": {"scope": "owned", "params": {"kind": "catalogue"}},
    "wizard.photo_fix": {"scope": "owned"},
    "wizard.photo_primary": {"scope": "owned"},
    "wizard.photo_delete": {"scope": "owned", "destructive": True},
    "wizard.design": {"scope": "owned"},
    "wizard.design_preview": {"scope": "owned"},
    "wizard.design_style_thumb": {"scope": "owned"},
    "wizard.design_stock_advice": {"scope": "owned"},
    "wizard.design_pdf": {"scope": "owned"},
    "wizard.design_sheet_pdf": {"scope": "owned", "query": {"copies": "2", "first": "1"}},
    "wizard.design_logo": {"scope": "owned"},
    "wizard.design_sample_thumb": {"scope": "owned"},
    "wizard.logo_maker": {"scope": "owned"},
    "wizard.logo_download": {"scope": "owned", "params": {"fmt": "png"}},
    "wizard.studio_asset": {"scope": "owned"},
    "wizard.halal_logo": {"scope": "global"},
    "wizard.stocks": {"scope": "global"},
    "wizard.stock_offer": {"scope": "global"},
    "packs.sizes": {"scope": "global"},
    "wizard.pack": {"scope": "owned"},
    "packs.pdf": {"scope": "owned", "params": {"kind": "@pack_kind"}},
    "packs.net": {"scope": "owned", "params": {"kind": "@pack_kind"}},
    "packs.mockup": {"scope": "owned", "params": {"kind": "@pack_kind", "ext": "jpg"}},
    "wizard.review": {"scope": "owned"},
    "wizard.review_submit": {"scope": "owned"},
    "review.queue": {"scope": "global"},
    "review.version": {"scope": "owned"},
    "review.comment": {"scope": "owned"},
    "review.decide": {"scope": "owned"},
    "review.compare": {"scope": "owned", "query": {"a": "@version_id", "b": "@version_id"}},
    "review.version_pdf": {"scope": "owned"},
    "review.version_preview": {"scope": "owned"},
    "wizard.print_status": {"scope": "owned"},
    "wizard.shelf_card": {"scope": "owned"},
    "wizard.publish": {"scope": "owned"},
    "wizard.publish_post": {"scope": "owned"},
    "wizard.unpublish_post": {"scope": "owned", "destructive": True},
    "hub.home": {"scope": "global"},
    "hub.new_job": {"scope": "owned", "hub": True},
    "hub.first_sheet_png": {"scope": "owned", "hub": True},
    "hub.job": {"scope": "owned", "hub": True},
    "hub.job_preview": {"scope": "owned", "hub": True},
    "hub.job_pdf": {"scope": "owned", "hub": True},
    "hub.reprint": {"scope": "owned", "hub": True},
    "hub.job_zpl": {"scope": "owned", "hub": True, "absent_ok": True},   # ZPL exists only for thermal jobs; A's is inkjet
    "hub.job_status": {"scope": "owned", "hub": True},
    "hub.mark_printed": {"scope": "owned", "hub": True},
    "hub.printers": {"scope": "global"},
    "hub.printer": {"scope": "global"},
    "hub.calibrate": {"scope": "global"},
    "hub.calibration_pdf": {"scope": "global"},
    "hub.reset_calibration_view": {"scope": "global", "destructive": True},
    "hub.version_preview": {"scope": "owned", "hub": True},
    "catalogue.home": {"scope": "public"},
    "catalogue.producer": {"scope": "public"},
    "catalogue.product": {"scope": "public"},
    "catalogue.photo": {"scope": "public", "params": {"size": "catalogue"}},
    "catalogue.gallery_photo": {"scope": "public", "params": {"size": "catalogue", "index": 1}, "absent_ok": True},
    "catalogue.halal_logo": {"scope": "public", "absent_ok": True},
    "catalogue.producer_logo": {"scope": "public", "absent_ok": True},
    "catalogue.export_xlsx": {"scope": "global", "published": True},
    "catalogue.outbox": {"scope": "global", "published": True},
    "catalogue.export_csv": {"scope": "global", "published": True},
    "catalogue.api_tokens": {"scope": "global"},
    "catalogue.revoke_api_token": {"scope": "global", "params": {"token_id": 999}, "absent_ok": True},
    "catalogue.rotate_api_token": {"scope": "global", "params": {"token_id": 999}, "absent_ok": True},
    "api.health": {"scope": "public"},
    "api.list_listings": {"scope": "public"},
    "api.get_listing": {"scope": "public"},
    "api.api_publish": {"scope": "token"},
    "api.api_unpublish": {"scope": "token", "destructive": True},
    "static": {"scope": "public", "params": {"filename": "css/app.css"}},
}
# Endpoints that show A's *published* listing: its name is public there, so no leak check.
PUBLIC_BLUEPRINTS = ("catalogue.", "api.")
SAFE_METHODS = ("GET",)


def _rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint + r.rule)


def _value(world, spec, name):
    raw = spec.get("params", {}).get(name, "@" + name)
    if isinstance(raw, str) and raw.startswith("@"):
        key = raw[1:]
        assert key in world.ids, f"no value for URL parameter <{name}>: add it to conftest.build_world"
        return world.ids[key]
    return raw


def _url(app, world, rule) -> str:
    spec = ENDPOINTS[rule.endpoint]
    values = {name: _value(world, spec, name) for name in rule.arguments}
    query = {k: (world.ids[v[1:]] if str(v).startswith("@") else v) for k, v in spec.get("query", {}).items()}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values, **query)


def _methods(rule) -> list[str]:
    return sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))


def _fingerprint(app) -> str:
    """A hash of every row of every table except the login log (what a refused request must not change)."""
    h = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in ("login_attempts", "login_throttle"):
                continue
            for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')).all():
                h.update(repr(tuple(row)).encode())
        db.session.remove()
    return h.hexdigest()


@pytest.fixture(scope="module")
def clients(world_app):
    app, world = world_app
    return {role: login_client(app, world.users.get(role)) for role in ROLES}


def _call(client, method, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.open(url, method=method, data={}, headers=headers)


def _hub_refused(role, spec) -> bool:
    """The hub operator on one of A's objects that printing does not need."""
    return role == "hub_x" and spec["scope"] == "owned" and not spec.get("hub")


def _expect(app, world, rule, method, role, resp) -> str | None:
    """The reason this response is wrong, or None."""
    spec = ENDPOINTS[rule.endpoint]
    allowed = getattr(app.view_functions[rule.endpoint], "required_roles", ("public",))
    status = resp.status_code
    body = resp.get_data(as_text=True) if resp.mimetype.startswith(("text/", "application/json")) else ""
    if status >= 500:
        return f"{status} server error"
    if spec["scope"] == "token":
        return None if status == 401 else f"{status} without an API token (expected 401)"
    if role == "anonymous" and "public" not in allowed:
        if rule.rule.startswith("/api/"):
            return None if status == 401 else f"anonymous got {status} (expected 401)"
        if status != 302 or "/masuk" not in resp.headers.get("Location", ""):
            return f"anonymous got {status} {resp.headers.get('Location', '')} (expected redirect to /masuk)"
        return None
    if role != "anonymous" and "public" not in allowed and ROLE_OF[role] not in allowed:
        return None if status == 403 else f"role {ROLE_OF[role]} not in {allowed} but got {status} (expected 403)"
    if _hub_refused(role, spec) and not rule.endpoint.startswith(PUBLIC_BLUEPRINTS):
        if status != 404:
            return f"hub operator got {status} on A's non-printing object (expected 404)"
        if SECRET_PRODUCT in body or SECRET_BUSINESS in body:
            return "A's product or business name leaked to the hub operator"
    if role in OUTSIDERS and not rule.endpoint.startswith(PUBLIC_BLUEPRINTS):
        if spec["scope"] == "owned" and status not in (403, 404):
            return f"outsider got {status} on A's object (expected 403/404)"
        if SECRET_PRODUCT in body or SECRET_BUSINESS in body:
            return "A's product or business name leaked to an outsider"
    may_see = ("producer_a", "trainer_a", "admin_x") + (("hub_x",) if spec.get("hub") else ())
    if role in may_see and spec["scope"] == "owned" and method == "GET" \
            and status in (401, 403, 404) and not (status == 404 and spec.get("absent_ok")):
        return f"{status}: an allowed person is refused A's object"
    return None


def test_every_endpoint_is_known(world_app):
    """A new endpoint must be added to ENDPOINTS (and so to the matrix) before it ships."""
    app, world = world_app
    unknown = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ENDPOINTS))
    assert not unknown, f"endpoints the access matrix does not know how to call: {unknown}"
    stale = sorted(set(ENDPOINTS) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"ENDPOINTS lists endpoints that no longer exist: {stale}"
    for rule in app.url_map.iter_rules():
        _url(app, world, rule)   # every URL parameter has a value


def test_api_token_endpoints(world_app):
    """Writes from another system need ``Authorization: Bearer``; a good token works, a bad one is 401."""
    app, world = world_app
    c = app.test_client()
    pid = world.ids["product_id"]
    assert c.post(f"/api/v1/products/{pid}/publish", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = c.post(f"/api/v1/products/{pid}/publish", headers={"Authorization": f"Bearer {world.api_token}"})
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    assert r.is_json


def test_access_matrix(world_app, clients):
    """Every rule × method × role, first the refused (nothing may change), then the allowed ones."""
    app, world = world_app
    problems: list[str] = []
    deferred = []
    for rule in _rules(app):
        if rule.endpoint not in ENDPOINTS:
            continue   # reported by test_every_endpoint_is_known
        spec = ENDPOINTS[rule.endpoint]
        url = _url(app, world, rule)
        allowed = getattr(app.view_functions[rule.endpoint], "required_roles", ("public",))
        for method in _methods(rule):
            for role in ROLES:
                refused = (role == "anonymous" and "public" not in allowed) or \
                          (ROLE_OF[role] not in allowed and "public" not in allowed) or \
                          (role in OUTSIDERS and spec["scope"] == "owned") or _hub_refused(role, spec) or \
                          spec["scope"] == "token"
                if method not in SAFE_METHODS and not refused:
                    deferred.append((rule, method, role, url))
                    continue
                before = _fingerprint(app) if method not in SAFE_METHODS else None
                resp = _call(clients[role], method, url)
                why = _expect(app, world, rule, method, role, resp)
                if why:
                    problems.append(f"{method} {url} [{rule.endpoint}] as {role}: {why}")
                if before is not None and _fingerprint(app) != before and "public" not in allowed:
                    problems.append(f"{method} {url} [{rule.endpoint}] as {role}: refused but the data changed")
    # allowed state-changing requests (an empty form): never a server error; destructive ones last
    deferred.sort(key=lambda d: (bool(ENDPOINTS[d[0].endpoint].get("destructive")), d[0].endpoint == "auth.logout"))
    for rule, method, role, url in deferred:
        resp = _call(clients[role], method, url)
        why = _expect(app, world, rule, method, role, resp)
        if why:
            problems.append(f"{method} {url} [{rule.endpoint}] as {role}: {why}")
    assert not problems, f"{len(problems)} access problems:\n" + "\n".join(problems)
