"""The wizard frame: producer home, a product's overview with its progress, the trainer board.

Each step's screens live in their own module (``step_*.py``) on this same blueprint.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..auth.views import field_errors
from ..cohorts.services import list_cohorts
from ..errors import NotFound, StudioError
from ..products import services as products
from .forms import NewProductForm
from .services import gather_facts_many, progress_for
from .steps import Status, Step, current_step, product_status, step_states

bp = Blueprint("wizard", __name__)

STEP_LABELS = {
    Step.PRODUCT: _l("Data produk"), Step.PHOTOS: _l("Foto"), Step.DESIGN: _l("Desain label"),
    Step.REVIEW: _l("Tinjauan"), Step.PRINT: _l("Cetak"), Step.PUBLISH: _l("Terbit"),
}


@bp.app_context_processor
def wizard_helpers():
    return {"step_label": lambda step: STEP_LABELS[Step(step)]}

STEP_ENDPOINTS = {
    Step.PRODUCT: "wizard.product_data",
    Step.PHOTOS: "wizard.photos",
    Step.DESIGN: "wizard.design",
    Step.REVIEW: "wizard.review",
    Step.PRINT: "wizard.print_status",
    Step.PUBLISH: "wizard.publish",
}


def load_product(product_id: int):
    """The product for the current user, or 404 (never another producer's data)."""
    try:
        return products.get_product(current_user, product_id)
    except NotFound:
        abort(404)


def load_own_product(product_id: int):
    try:
        return products.get_own_product(current_user, product_id)
    except NotFound:
        abort(404)
    except StudioError:
        abort(403)


STATUS_LABELS = {
    Status.DRAFT: _l("sedang dibuat"), Status.CHANGES: _l("perlu perbaikan"), Status.WAITING: _l("menunggu tinjauan"),
    Status.APPROVED: _l("disetujui"), Status.PRINTED: _l("sudah dicetak"), Status.LIVE: _l("tayang"),
}


@bp.app_context_processor
def status_helpers():
    return {"status_label": lambda status: STATUS_LABELS[Status(status)]}


def _home_items(user) -> list[dict]:
    """The producer's products with their progress, status badge and any change request."""
    from ..review.services import open_change_requests

    mine = products.list_products(user)
    facts = gather_facts_many(mine)
    asked = open_change_requests(mine)
    return [{"product": p, "states": step_states(facts[p.id]), "status": product_status(facts[p.id]),
             "changes": asked.get(p.id)} for p in mine]


@bp.route("/produk")
@role_required(Role.PRODUCER)
def home():
    return render_template("wizard/home.html", items=_home_items(current_user), form=NewProductForm())


@bp.route("/produk/baru", methods=["POST"])
@role_required(Role.PRODUCER)
def new_product():
    form = NewProductForm()
    if form.validate_on_submit():
        try:
            product = products.create_product(current_user, form.name.data, form.product_class.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Produk \"%(n)s\" dibuat. Sekarang foto produknya.", n=product.name), "success")
            return redirect(url_for("wizard.photos", product_id=product.id))
    return render_template("wizard/home.html", items=_home_items(current_user), form=form), 400


@bp.route("/produk/<int:product_id>")
@login_required
def overview(product_id: int):
    from ..review.services import open_change_requests

    product = load_product(product_id)
    facts, states = progress_for(product)
    return render_template("wizard/overview.html", product=product, facts=facts, states=states,
                           endpoints=STEP_ENDPOINTS, status=product_status(facts),
                           changes=open_change_requests([product]).get(product.id))


@bp.route("/pendamping")
@role_required(Role.TRAINER, Role.ADMIN)
def trainer_home():
    """Trainer home: every cohort as a producers × steps table."""
    visible = products.list_products(current_user)
    facts = gather_facts_many(visible)  # one batch of queries for the whole board; a GET stores nothing
    by_owner: dict[int, list] = {}
    for p in visible:
        by_owner.setdefault(p.owner_id, []).append((p, facts[p.id]))
    boards = [(cohort, [(producer, by_owner.get(producer.id, [])) for producer in cohort.producers])
              for cohort in list_cohorts(current_user, with_producers=True)]
    return render_template("wizard/trainer_home.html", boards=boards, steps=list(Step),
                           endpoints=STEP_ENDPOINTS, now={p.id: current_step(facts[p.id]).value for p in visible})
