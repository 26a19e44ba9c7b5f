"""The logo maker (from the design step): one screen of real logo pictures drawn from the brand
name in her colours; tap one, then "Pakai logo ini". Also the logo downloads (SVG, PNG).

Views only translate HTTP; drawing, checks and storing are in ``studio.designs.brand``.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import Length, Optional

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..designs import brand
from ..errors import Forbidden, NotFound, StudioError
from ..forms import StudioForm
from ..labels.logo import MAX_NAME_CHARS, MAX_TAGLINE_CHARS, LogoSpec
from ..media import media
from .services import progress_for
from .views import STEP_ENDPOINTS, bp, load_own_product


class LogoMakerForm(StudioForm):
    name = StringField(_l("Nama merek"), validators=[Length(max=MAX_NAME_CHARS, message=_l(
        "Nama merek terlalu panjang untuk logo: paling banyak %(max)d huruf."))])
    tagline = StringField(_l("Baris kecil (boleh kosong)"), validators=[Optional(), Length(
        max=MAX_TAGLINE_CHARS, message=_l("Baris kecil paling banyak %(max)d huruf."))])
    colour = RadioField(_l("Warna"), choices=[], validate_choice=False)
    choice = RadioField(_l("Logo"), choices=[], validate_choice=False)
    action = HiddenField(default="save")


@bp.route("/produk/<int:product_id>/logo", methods=["GET", "POST"])
@role_required(Role.PRODUCER, Role.ADMIN)
def logo_maker(product_id: int):
    product = load_own_product(product_id)
    colours = brand.logo_colours(product)
    form = LogoMakerForm()
    if request.method == "GET":
        form.name.data = brand.brand_name(product)
        form.colour.data = colours[0][0]
    status = 200
    name = (form.name.data or "").strip()
    colour = (form.colour.data or colours[0][0]).upper()
    if colour not in {c for c, _n in colours}:
        colour = colours[0][0]
    if request.method == "POST" and form.validate_on_submit() and form.action.data == "save":
        try:
            kind, fonts, shape = brand.parse_choice(request.form.get("choice", ""))
            brand.make_logo(current_user, product.id, LogoSpec(name=name, kind=kind, fonts=fonts, shape=shape,
                                                               colour=(form.colour.data or "").upper(),
                                                               tagline=(form.tagline.data or "").strip()))
        except (NotFound, Forbidden):
            abort(404)
        except StudioError as e:
            target = form.name if e.field == "name" else form.choice
            target.errors = list(target.errors) + [e.message]
            status = 400
        else:
            flash(_("Logo tersimpan dan dipasang di label. Logo ini dipakai di semua label dan halaman toko Anda."),
                  "success")
            return redirect(url_for("wizard.design", product_id=product.id) + "#logo")
    elif request.method == "POST" and form.errors:
        status = 400
    previews: list[dict] = []
    try:
        previews = brand.logo_previews(name, colour, (form.tagline.data or "").strip())
    except StudioError as e:       # e.g. a brand name the logo fonts cannot draw: say so, keep the input
        form.name.errors = list(form.name.errors) + [e.message]
        if request.method == "POST":
            status = 400
    for p in previews:
        p["svg"] = Markup(p["svg"])   # drawn here from outlines: paths only, title escaped
    facts, states = progress_for(product)
    current = brand.current_logo(product.owner_id)
    return render_template(
        "wizard/logo.html", product=product, form=form, colours=colours, colour=colour, previews=previews,
        chosen=request.form.get("choice", ""), states=states, endpoints=STEP_ENDPOINTS, current=current,
        kind_names=brand.LOGO_KIND_NAMES, font_names=brand.LOGO_FONT_NAMES, shape_names=brand.LOGO_SHAPE_NAMES,
    ), status


@bp.route("/merek/logo/<int:asset_id>.<fmt>")
@login_required
def logo_download(asset_id: int, fmt: str):
    """The producer's logo as SVG or PNG (herself, her trainer, an admin); ``?unduh=1`` downloads it."""
    try:
        key, mime = brand.logo_file(current_user, asset_id, fmt)
    except NotFound:
        abort(404)
    resp = send_file(media().path(key), mimetype=mime, as_attachment=bool(request.args.get("unduh")),
                     download_name=f"logo.{fmt}", conditional=True)
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp
