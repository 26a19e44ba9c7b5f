"""Pack pictures and print PDF of a product's pack design, and the admin's pack sizes.

Same URLs as when they were wizard routes; the step page itself is ``wizard.pack``."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..auth.views import field_errors
from ..errors import NotFound, StudioError
from ..forms import StudioForm
from ..packaging import TYPES
from ..products.services import get_product
from . import services as packs

bp = Blueprint("packs", __name__)


class PackSizeForm(StudioForm):
    name = StringField(_l("Nama ukuran"), validators=[DataRequired(), Length(max=100)])
    pack_type = SelectField(_l("Jenis kemasan"), choices=[(t, t) for t in TYPES])


def _locale() -> str:
    return str(get_locale() or "id")


def _pack_design(product_id: int, kind: str):
    try:
        product = get_product(current_user, product_id)
        return product, packs.get_pack_design(current_user, product.id, kind)
    except NotFound:
        abort(404)


def _filename(product, suffix: str, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", product.name).strip("-").lower() or "kemasan"
    return f"{stem}-{suffix}.{ext}"


@bp.route("/produk/<int:product_id>/kemasan/<kind>/jaring.png")
@login_required
def net(product_id: int, kind: str):
    _product, design = _pack_design(product_id, kind)
    resp = current_app.response_class(packs.pack_net_png(design), mimetype="image/png")
    resp.headers["Cache-Control"] = "private, max-age=600"
    return resp


@bp.route("/produk/<int:product_id>/kemasan/<kind>/cetak.pdf")
@login_required
def pdf(product_id: int, kind: str):
    product, design = _pack_design(product_id, kind)
    paper = request.args.get("kertas") or None
    if paper is not None and paper not in packs.PAPERS:
        abort(404)
    data = packs.render_pack_design_pdf(design, paper)
    resp = current_app.response_class(data, mimetype="application/pdf")
    name = _filename(product, f"{design.pack_id}-{(paper or 'ukuran-asli').lower()}", "pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@bp.route("/produk/<int:product_id>/kemasan/<kind>/mockup.<ext>")
@login_required
def mockup(product_id: int, kind: str, ext: str):
    product, design = _pack_design(product_id, kind)
    if ext not in ("png", "jpg"):
        abort(404)
    data = packs.pack_mockup(design, fmt="JPEG" if ext == "jpg" else "PNG")
    resp = current_app.response_class(data, mimetype="image/jpeg" if ext == "jpg" else "image/png")
    resp.headers["Cache-Control"] = "private, max-age=600"
    if request.args.get("unduh"):
        resp.headers["Content-Disposition"] = f'attachment; filename="{_filename(product, "mockup", ext)}"'
    return resp


@bp.route("/admin/kemasan", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sizes():
    form = PackSizeForm()
    fields = sorted({k for _kind, req, opt in TYPES.values() for k in (*req, *opt)})
    if form.validate_on_submit():
        values = {}
        for k in fields:
            raw = (request.form.get(k) or "").strip().replace(",", ".")
            if raw:
                try:
                    values[k] = float(raw)
                except ValueError:
                    flash(_("%(f)s harus angka (mm).", f=k), "error")
                    break
        else:
            try:
                made = packs.add_custom_pack(current_user, form.pack_type.data, form.name.data, values)
            except StudioError as e:
                field_errors(form, e)
                if e.field not in ("name", "pack_type"):
                    flash(e.message, "error")
            else:
                flash(_("Ukuran kemasan \"%(n)s\" tersimpan.", n=made.name_id), "success")
                return redirect(url_for("packs.sizes"))
    type_fields = {t: {"required": req, "optional": opt} for t, (_k, req, opt) in TYPES.items()}
    return render_template("packs/sizes.html", form=form, groups=packs.pack_groups(_locale()), fields=fields,
                           type_fields=type_fields, values=request.form)
