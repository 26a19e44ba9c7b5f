"""Wizard step 5 (producer side): what the hub printed for this product, and the shelf card."""
from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import login_required
from ..designs.models import DesignVersion, VersionStatus
from ..extensions import db
from ..printing import services as printing
from ..printing.render import shelf_card_pdf
from .services import progress_for
from .views import STEP_ENDPOINTS, bp, load_product


@bp.route("/produk/<int:product_id>/cetak")
@login_required
def print_status(product_id: int):
    product = load_product(product_id)
    facts, states = progress_for(product)
    jobs = printing.list_jobs(current_user, product_id=product.id, owner_id=product.owner_id)
    approved = db.session.scalar(select(DesignVersion).where(
        DesignVersion.product_id == product.id, DesignVersion.status == VersionStatus.APPROVED)
        .order_by(DesignVersion.id.desc()))
    held = printing.print_problems(approved) if approved is not None else []
    labels = sum(j.copies for j in jobs if j.status in printing.PRINTED_STATUSES)   # marked printed only
    return render_template("wizard/print.html", product=product, states=states, endpoints=STEP_ENDPOINTS,
                           jobs=jobs, approved=approved, held=held, labels=labels)


@bp.route("/produk/<int:product_id>/kartu-rak.pdf")
@login_required
def shelf_card(product_id: int):
    product = load_product(product_id)
    data = shelf_card_pdf(product)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="kartu-rak-{product.public_code}.pdf"'})
