"""Public catalogue pages (no login)."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.access import public

bp = Blueprint("catalogue", __name__, url_prefix="/katalog")


@bp.route("/")
@public
def home():
    return render_template("catalogue/home.html", listings=[])
