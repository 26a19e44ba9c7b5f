"""Step 6, Terbit: publish the finished listing into the BLONJO catalogue (the API write side is
``catalogue/api.py``, with the same gates)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..catalogue import services as catalogue
from ..errors import NotFound, StudioError
from .services import progress_for, publish_problems, publish_product, unpublish_product
from .views import STEP_ENDPOINTS, bp, load_product


@bp.route("/produk/<int:product_id>/terbit")
@login_required
def publish(product_id: int):
    product = load_product(product_id)
    facts, states = progress_for(product)
    listing = catalogue.get_listing_for_owner(current_user, product)
    blockers = [b for s in states if s.step.value == "publish" for b in s.blockers]
    problems = publish_problems(product) if not blockers else []
    return render_template("wizard/publish.html", product=product, states=states, endpoints=STEP_ENDPOINTS,
                           listing=listing, blockers=blockers, problems=problems,
                           events=catalogue.outbox_status(product_id=product.id, limit=10))


@bp.route("/produk/<int:product_id>/terbit", methods=["POST"])
@role_required(Role.PRODUCER, Role.ADMIN)
def publish_post(product_id: int):
    load_product(product_id)
    try:
        listing = publish_product(current_user, product_id, locale=str(get_locale() or "id"))
    except NotFound:
        abort(404)
    except StudioError as e:
        flash(e.message, "error")
    else:
        flash(_("Produk sudah terbit di katalog: %(url)s", url=listing.snapshot["url"]), "success")
    return redirect(url_for("wizard.publish", product_id=product_id))


@bp.route("/produk/<int:product_id>/tarik", methods=["POST"])
@role_required(Role.PRODUCER, Role.ADMIN)
def unpublish_post(product_id: int):
    load_product(product_id)
    try:
        unpublish_product(current_user, product_id)
    except NotFound:
        abort(404)
    except StudioError as e:
        flash(e.message, "error")
    else:
        flash(_("Produk sudah ditarik dari katalog. Kode QR di label menampilkan \"tidak tersedia\"."), "info")
    return redirect(url_for("wizard.publish", product_id=product_id))
