"""Designer settings kept by staff: the official halal logo (admin) and measured label stock
(hub operator or admin). Registered on the wizard blueprint like every ``step_*`` module."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..auth.views import field_errors
from ..designs import assets
from ..designs.forms import HalalLogoForm, StockForm, StockOfferForm
from ..designs.models import AssetKind, StudioAsset
from ..designs.stock import (MeasuredStock, add_custom_layout, get_layouts, hub_printers, offer_is_hub_setting,
                             offer_list, paper_name, printable_at_hub, set_offer, sorted_layouts)
from ..errors import StudioError
from ..extensions import db
from ..media import media
from .views import bp

_MIME = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "heic": "image/heic"}


@bp.route("/admin/logo-halal", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def halal_logo():
    form = HalalLogoForm()
    if form.validate_on_submit():
        try:
            f = form.file.data
            assets.upload_halal_logo(current_user, f.read(), f.filename or "", locale=str(get_locale() or "id"))
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Logo halal resmi tersimpan. Label produk bersertifikat halal memakainya mulai sekarang."),
                  "success")
            return redirect(url_for("wizard.halal_logo"))
    return render_template("wizard/design_halal_logo.html", form=form,
                           current=assets.current_asset(AssetKind.HALAL_LOGO))


@bp.route("/aset/<int:asset_id>")
@login_required
def studio_asset(asset_id: int):
    """An uploaded label image: the studio-wide halal logo for everyone, a producer logo for those
    who may see that producer (owner, their trainer, admin; the hub prints from the rendered PDF)."""
    asset = db.session.get(StudioAsset, asset_id)
    if asset is None:
        abort(404)
    if asset.owner_id is not None:
        from ..cohorts.services import can_see_owner

        if not can_see_owner(current_user, asset.owner_id):
            abort(404)
    ext = asset.media_key.rsplit(".", 1)[-1]
    resp = current_app.response_class(media().read(asset.media_key), mimetype=_MIME.get(ext, "application/octet-stream"))
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


@bp.route("/stok-label", methods=["GET", "POST"])
@role_required(Role.HUB, Role.ADMIN)
def stocks():
    layouts = get_layouts()
    form = _stock_form(layouts)
    if form.validate_on_submit():
        values = MeasuredStock(
            name=form.name.data, shape=form.shape.data, kind=form.kind.data,
            correct_id=form.correct_id.data or "",
            **{f: float(form[f].data or 0) for f in ("paper_w_mm", "paper_h_mm", "label_w_mm", "label_h_mm",
                                                       "left_mm", "top_mm", "step_x_mm", "step_y_mm",
                                                       "corner_radius_mm", "safe_margin_mm")},
            columns=int(form.columns.data), rows=int(form.rows.data))
        try:
            layout = add_custom_layout(current_user, values)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Stok \"%(n)s\" tersimpan dan bisa dipilih di desain label.", n=layout.name), "success")
            return redirect(url_for("wizard.stocks"))
    return _stocks_page(form, StockOfferForm(formdata=None), layouts)


def _stock_form(layouts, **kw) -> StockForm:
    """The measuring form, its "correcting" choices the stock not measured yet."""
    form = StockForm(**kw)
    unverified = [l for l in sorted_layouts(layouts) if not l.verified]
    form.correct_id.choices = [("", _("— Stok baru —"))] + [(l.id, l.name) for l in unverified]
    return form


def _stocks_page(form: StockForm, offer_form: StockOfferForm, layouts, ticked: list[str] | None = None):
    """The stock page: the table with the hub's ticks (``ticked``: the operator's own after a refused
    save; else the stored list, or every measured stock when there is none) and the measuring form."""
    if ticked is None:
        listed = offer_list()
        ticked = listed if listed is not None else [l.id for l in layouts.values() if l.verified]
    printers = hub_printers()
    status = 400 if form.errors or offer_form.errors else 200
    return render_template("wizard/design_stocks.html", form=form, offer_form=offer_form,
                           layouts=sorted_layouts(layouts), paper_name=paper_name,
                           files=current_app.extensions["studio.layouts"], ticked=set(ticked),
                           offer_custom=offer_is_hub_setting(),
                           no_printer={l.id for l in layouts.values() if not printable_at_hub(l, printers)}), status


@bp.route("/stok-label/tersedia", methods=["POST"])
@role_required(Role.HUB, Role.ADMIN)
def stock_offer():
    """The hub operator ticks the stock the hub keeps or prints; the stock advisor proposes only those."""
    layouts = get_layouts()
    offer_form = StockOfferForm()
    form = _stock_form(layouts, formdata=None)
    ticked = list(offer_form.layout_ids.data or [])
    if offer_form.validate_on_submit():
        try:
            stored = set_offer(current_user, None if offer_form.reset.data else ticked)
        except StudioError as e:
            field_errors(offer_form, e)
        else:
            flash(_("Stok yang ada di hub tersimpan: saran kertas untuk produsen memakai %(n)d stok ini.",
                    n=len(stored)) if stored is not None else
                  _("Stok yang ada di hub kembali ke bawaan: semua stok yang terukur."), "success")
            return redirect(url_for("wizard.stocks") + "#tersedia")
    return _stocks_page(form, offer_form, layouts, ticked)
