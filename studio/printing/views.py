"""Hub operator pages: the print queue."""
from __future__ import annotations

from flask import Blueprint, render_template

from ..auth.access import role_required
from ..auth.models import Role

bp = Blueprint("hub", __name__, url_prefix="/hub")


@bp.route("/")
@role_required(Role.HUB, Role.ADMIN)
def home():
    return render_template("hub/home.html", queue=[], jobs=[])
