"""JSON API /api/v1."""
from __future__ import annotations

from flask import Blueprint

from ..auth.access import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/health")
@public
def health():
    return {"status": "ok"}
