"""JSON API /api/v1 (contract: docs/openapi.yaml). Reads are public; writes need an API token."""
from __future__ import annotations

import hashlib
import json
from functools import wraps

from flask import Blueprint, Response, g, request
from flask_babel import get_locale
from flask_babel import gettext as _

from ..auth.access import public
from ..auth.models import User
from ..errors import Invalid, NotFound, StudioError
from ..extensions import csrf, db
from ..products.models import Product
from ..urlids import db_int, in_db_range
from . import services
from .publish import app_gates, publish, unpublish
from .serializers import listing_to_dict

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are used here: writes authenticate with a bearer token


def json_response(payload: dict, status: int = 200, *, cache: bool = True) -> Response:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    resp = Response(body, status=status, mimetype="application/json")
    if cache and status == 200:
        resp.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
        resp.headers["Cache-Control"] = "public, max-age=60"
    return resp


@bp.errorhandler(StudioError)
def _studio_error(e: StudioError):
    return json_response({"error": {"status": e.status, "message": e.message, "field": e.field}}, e.status, cache=False)


def token_required(view=None, *, scope: str = "publish"):
    """Calls from another system: ``Authorization: Bearer <token>`` made by an admin, alive (not
    revoked or expired, owner still an active admin) and with ``scope`` ("publish" for writes).
    ``@token_required`` or ``@token_required(scope="read")``."""
    def deco(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            token = header[7:].strip() if header.lower().startswith("bearer ") else None
            api_token = services.check_api_token(token, scope)
            if api_token is None:
                return json_response({"error": {"status": 401, "message": "API token missing, invalid, expired, "
                                                                   "revoked or without this scope"}}, 401, cache=False)
            g.api_token = api_token
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return view(*args, **kwargs)
            token_id = api_token.id
            try:   # a write: logged with the token (so the admin behind it) and how it ended
                resp = view(*args, **kwargs)
            except StudioError as e:
                services.log_token_write(token_id, request.method, request.path, e.status, e.message)
                raise
            except Exception:
                services.log_token_write(token_id, request.method, request.path, 500)
                raise
            status = resp[1] if isinstance(resp, tuple) and len(resp) > 1 else getattr(resp, "status_code", 200)
            services.log_token_write(token_id, request.method, request.path, int(status))
            return resp
        wrapped.required_roles = ("api-token",)
        return wrapped
    return deco(view) if view is not None else deco


@bp.get("/health")
@public
def health():
    return json_response({"status": "ok"}, cache=False)


@bp.get("/listings")
@public
def list_listings():
    for name in ("page", "per_page", "producer"):
        if not in_db_range(request.args.get(name)):
            raise Invalid(_("Angka %(name)s terlalu besar.", name=name), field=name)
    page = request.args.get("page", 1, type=db_int) or 1
    per_page = request.args.get("per_page", 20, type=db_int) or 20
    result = services.search(q=request.args.get("q", "")[:100], category=request.args.get("category", "")[:40],
                             producer_id=request.args.get("producer", type=db_int),
                             desa=request.args.get("desa", "")[:60], page=page, per_page=per_page)
    resp = json_response({"items": [listing_to_dict(x) for x in result.items], "page": result.page,
                  "per_page": result.per_page, "total": result.total, "pages": result.pages})
    last = services.last_modified()
    if last is not None:
        resp.last_modified = last
    return resp.make_conditional(request)


@bp.get("/listings/<code>")
@public
def get_listing(code: str):
    try:
        listing = services.get_current_by_code(code)
    except services.Gone:
        return json_response({"error": {"status": 410, "message": "unpublished"}}, 410, cache=False)
    except NotFound:
        return json_response({"error": {"status": 404, "message": "not found"}}, 404, cache=False)
    resp = json_response(listing_to_dict(listing))
    resp.last_modified = listing.published_at
    return resp.make_conditional(request)


# --- writes (another system publishing with a token) -----------------------------------------

def _api_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound("product not found")
    return product


@bp.post("/products/<int:product_id>/publish")
@token_required
def api_publish(product_id: int):
    """Publish as the admin who made the token; the same gates as the producer's button."""
    product = _api_product(product_id)
    actor = db.session.get(User, g.api_token.created_by_id)
    listing = publish(actor, product.id, app_gates(), locale=str(get_locale() or "id"))
    return json_response(listing_to_dict(listing), 201, cache=False)


@bp.post("/products/<int:product_id>/unpublish")
@token_required
def api_unpublish(product_id: int):
    product = _api_product(product_id)
    actor = db.session.get(User, g.api_token.created_by_id)
    unpublish(actor, product.id, app_gates())
    return json_response({"code": product.public_code, "published": False}, 200, cache=False)
