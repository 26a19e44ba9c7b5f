"""Public catalogue pages (no login): home, search, producer pages, /p/<code>, photos; and the
hub's view of BLONJO deliveries and the marketplace export."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.access import public, role_required
from ..auth.models import Role
from ..errors import NotFound, StudioError
from ..media import media
from ..urlids import db_int
from . import services
from .export import export_rows, to_csv, to_xlsx
from .formatting import number_text, price_text
from .forms import ApiTokenForm, RevokeForm, RotateForm
from .serializers import listing_to_dict

bp = Blueprint("catalogue", __name__)

PHOTO_SIZES = {"catalogue", "600", "300", "150"}
TOKEN_STATES = {"active": _l("aktif"), "revoked": _l("dicabut"), "expired": _l("kedaluwarsa"),
                "owner_inactive": _l("pemiliknya nonaktif")}
OUTBOX_LABELS = {"pending": _l("menunggu"), "delivered": _l("terkirim"), "failed": _l("ditolak BLONJO")}
#: what each catalogue message to BLONJO says, in words (not its event key)
EVENT_LABELS = {"listing.published": _l("terbit di katalog"), "listing.updated": _l("katalog diperbarui"),
                "listing.unpublished": _l("ditarik dari katalog")}


# the nutrition table's rows, in the page's language (the label itself always prints Indonesian)
NUTRIENT_LABELS = {"energy_kcal": _l("Energi total"), "energy_fat_kcal": _l("Energi dari lemak"),
                   "fat": _l("Lemak total"), "sat_fat": _l("Lemak jenuh"), "protein": _l("Protein"),
                   "carb": _l("Karbohidrat total"), "sugar": _l("Gula"), "sodium_mg": _l("Garam (Natrium)")}
UNITS = {"kkal": _l("kkal"), "g": "g", "mg": "mg", "kg": "kg", "ml": "ml", "L": "L", "l": "L"}


def _locale() -> str:
    return str(get_locale() or "id")


@bp.app_context_processor
def catalogue_helpers():
    return {"outbox_label": lambda status: OUTBOX_LABELS.get(status, status),
            "event_label": lambda kind: EVENT_LABELS.get(kind, kind),
            "nutrient_label": lambda key: NUTRIENT_LABELS.get(key, key),
            "unit_label": lambda unit: UNITS.get(unit, unit), "category_label": category_label}


def category_label(key: str) -> str:
    """A category's name in the page's language ("kue_kering" -> "Kue kering"), never the stored key."""
    from ..products.sections import CHOICES

    label = dict(CHOICES["category"]).get(key)
    return str(label) if label and key else (key or "").replace("_", " ").capitalize()


@bp.app_template_filter("harga")
def harga(value) -> str:
    """A price in the page's language: "Rp 12.500" (id), "IDR 12,500" (en)."""
    return price_text(value, _locale())


@bp.app_template_filter("bilangan")
def bilangan(value, digits: int = 2) -> str:
    """A number in the page's language: "2,5" (id), "2.5" (en); thousands grouped."""
    return number_text(value, _locale(), digits)


@bp.route("/katalog")
@public
def home():
    q = request.args.get("q", "")[:100]
    category = request.args.get("kategori", "")[:40]
    page = request.args.get("hal", 1, type=db_int) or 1
    result = services.search(q=q, category=category, page=page, per_page=24)
    return render_template("catalogue/home.html", result=result, q=q, category=category,
                           categories=services.categories())


@bp.route("/katalog/produsen/<int:producer_id>")
@public
def producer(producer_id: int):
    try:
        user, items = services.producer_listings(producer_id)
    except NotFound:
        abort(404)
    first = items[0].snapshot["producer"]
    logo = services.shop_logo(user.id)
    logo_url = url_for("catalogue.producer_logo", producer_id=user.id, v=logo.id) if logo else None
    return render_template("catalogue/producer.html", user=user, items=items, producer=first, logo_url=logo_url)


@bp.route("/katalog/produsen/<int:producer_id>/logo.png")
@public
def producer_logo(producer_id: int):
    """The producer's logo for her shop page (only while she has something in the catalogue)."""
    try:
        services.producer_listings(producer_id)
    except NotFound:
        abort(404)
    logo = services.shop_logo(producer_id)
    if logo is None or not media().exists(logo.media_key):
        abort(404)
    mimetype = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}.get(logo.media_key.rsplit(".", 1)[-1])
    if mimetype is None:
        abort(404)
    return send_file(media().path(logo.media_key), mimetype=mimetype, conditional=True, max_age=3600)


@bp.route("/p/<code>")
@public
def product(code: str):
    try:
        listing = services.get_current_by_code(code)
    except services.Gone:
        return render_template("catalogue/gone.html", code=code.upper()), 410
    except NotFound:
        label = services.printed_label_by_code(code)
        if label is None:
            abort(404)
        # a printed label scanned before the product is published: say what it is and that its
        # page comes, rather than "not found" for the jar in the buyer's hand
        return render_template("catalogue/not_yet.html", label=label), 404
    data = listing_to_dict(listing)
    gallery = [(i, pic) for i, pic in enumerate(listing.snapshot.get("gallery") or [], start=1)
               if pic.get("catalogue_key")]
    resp = Response(render_template("catalogue/product.html", listing=listing, s=listing.snapshot, data=data,
                                    jsonld=_jsonld(data), gallery=gallery))
    resp.headers["Cache-Control"] = "public, max-age=60"
    resp.vary.add("Cookie")            # the page speaks the visitor's language (kept in the session)
    return resp


@bp.route("/katalog/foto/<int:listing_id>/<size>.jpg")
@public
def photo(listing_id: int, size: str):
    if size not in PHOTO_SIZES:
        abort(404)
    try:
        key = services.listing_photo_key(listing_id, size)
    except NotFound:
        abort(404)
    if not media().exists(key):
        abort(404)
    resp = send_file(media().path(key), mimetype="image/jpeg", conditional=True, max_age=86400)
    return resp


@bp.route("/katalog/foto/<int:listing_id>/<int:index>/<size>.jpg")
@public
def gallery_photo(listing_id: int, index: int, size: str):
    """The listing's other pictures (1: the pack mockup when there is one, then the other photos)."""
    if size not in PHOTO_SIZES or index < 1:
        abort(404)
    try:
        key = services.listing_photo_key(listing_id, size, index)
    except NotFound:
        abort(404)
    if not media().exists(key):
        abort(404)
    return send_file(media().path(key), mimetype="image/jpeg", conditional=True, max_age=86400)


@bp.route("/katalog/foto/<int:listing_id>/halal")
@public
def halal_logo(listing_id: int):
    """The official halal logo as the listing showed it (the listing's own copy)."""
    try:
        listing = services.get_current_listing(listing_id)
    except NotFound:
        abort(404)
    key = listing.snapshot.get("halal_logo_key")
    if not key or not media().exists(key):
        abort(404)
    mimetype = "image/png" if key.endswith(".png") else "image/jpeg"
    return send_file(media().path(key), mimetype=mimetype, conditional=True, max_age=86400)


@bp.route("/katalog/kiriman")
@role_required(Role.HUB, Role.ADMIN)
def outbox():
    return render_template("catalogue/outbox.html", events=services.outbox_status(),
                           endpoint=current_app.config.get("BLONJO_ENDPOINT"),
                           secret_set=bool(current_app.config.get("BLONJO_SECRET")))


@bp.route("/katalog/ekspor.csv")
@role_required(Role.TRAINER, Role.ADMIN, Role.HUB)
def export_csv():
    rows = export_rows(current_user, cohort_id=request.args.get("pelatihan", type=db_int))
    return Response(to_csv(rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=katalog-blonjo.csv"})


@bp.route("/katalog/ekspor.xlsx")
@role_required(Role.TRAINER, Role.ADMIN, Role.HUB)
def export_xlsx():
    """The same listings as the CSV, as a workbook: one sheet for BLONJO and one per marketplace
    profile (Tokopedia, Shopee), so a producer who sells there too re-types nothing."""
    rows = export_rows(current_user, cohort_id=request.args.get("pelatihan", type=db_int), records=True)
    return Response(to_xlsx(rows), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=katalog-marketplace.xlsx"})


def _jsonld(d: dict) -> dict:
    """schema.org Product for search engines and link previews."""
    out = {
        "@context": "https://schema.org", "@type": "Product", "name": d["name"], "url": d["url"],
        "description": d["description"] or d["name"],
        "brand": {"@type": "Brand", "name": d["brand"]} if d["brand"] else None,
        "image": ([d["photos"]["catalogue"]] if d["photos"] else []) + [g["catalogue"] for g in d["gallery"]] or None,
        "sku": d["sku"] or d["code"],
        "gtin13": d["gtin"] or None,
        "category": d["category"] or None,
        "offers": {"@type": "Offer", "price": d["price"]["amount"], "priceCurrency": "IDR",
                   "availability": "https://schema.org/InStock" if (d["stock"] or 0) > 0 else "https://schema.org/OutOfStock",
                   "itemCondition": "https://schema.org/NewCondition", "url": d["url"]},
        "weight": {"@type": "QuantitativeValue", "value": d["shipping_weight_g"], "unitCode": "GRM"}
        if d["shipping_weight_g"] else None,
        "additionalProperty": [
            {"@type": "PropertyValue", "name": name, "value": value}
            for name, value in (("Izin edar", d["permit"]), ("Sertifikat halal", d["halal_certificate"]),
                                ("Isi bersih", d["net_quantity"])) if value],
    }
    return {k: v for k, v in out.items() if v not in (None, [], "")}


@bp.route("/admin/token-api", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def api_tokens():
    """Tokens for other systems (BLONJO): made here, shown once, listed with their state, revoked."""
    form = ApiTokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            new_token = services.create_api_token(current_user, form.name.data, form.scope.data, form.days.data)
        except StudioError as e:
            if e.field and e.field in form:
                form[e.field].errors = list(form[e.field].errors) + [e.message]
            else:
                flash(e.message, "error")
        else:
            flash(_("Token dibuat. Salin sekarang: token ini hanya ditampilkan sekali."), "success")
    return _api_tokens_page(form, new_token)


def _api_tokens_page(form, new_token, status: int = 200, rotate_form=None):
    tokens = services.list_api_tokens(current_user)
    return render_template("catalogue/api_tokens.html", form=form, new_token=new_token, revoke_form=RevokeForm(),
                           rotate_form=rotate_form or RotateForm(formdata=None),
                           tokens=[(t, services.api_token_state(t)) for t in tokens],
                           token_states=TOKEN_STATES), status


@bp.route("/admin/token-api/<int:token_id>/ganti", methods=["POST"])
@role_required(Role.ADMIN)
def rotate_api_token(token_id: int):
    """A new secret for the same name and scope; the old one keeps working for the grace hours."""
    rotate_form = RotateForm()
    if not rotate_form.validate_on_submit():
        for errors in rotate_form.errors.values():
            for message in errors:
                flash(message, "error")
        return _api_tokens_page(ApiTokenForm(formdata=None), None, 400, rotate_form)
    try:
        _row, token = services.rotate_api_token(current_user, token_id, grace_hours=rotate_form.grace_hours.data)
    except NotFound:
        abort(404)
    except StudioError as e:
        flash(e.message, "error")
        return _api_tokens_page(ApiTokenForm(formdata=None), None, 400, rotate_form)
    hours = rotate_form.grace_hours.data
    flash(_("Token baru dibuat. Salin sekarang: token ini hanya ditampilkan sekali.") + " "
          + (_("Token lama masih berlaku %(n)d jam lagi.", n=hours) if hours else _("Token lama sudah dicabut.")),
          "success")
    return _api_tokens_page(ApiTokenForm(formdata=None), token)


@bp.route("/admin/token-api/<int:token_id>/cabut", methods=["POST"])
@role_required(Role.ADMIN)
def revoke_api_token(token_id: int):
    try:
        services.revoke_api_token(current_user, token_id)
    except NotFound:
        abort(404)
    flash(_("Token sudah dicabut."), "success")
    return redirect(url_for("catalogue.api_tokens"))
