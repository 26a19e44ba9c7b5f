"""The producer's review step: submit the design for review, its status, the trainer's feedback and
the version history. The trainer's pages (queue, one version, compare) are the review feature's."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..auth.services import users_with_profiles
from ..designs.models import VersionStatus
from ..designs.preflight import fresh_findings
from ..designs.services import find_design
from ..errors import NotFound, StudioError
from ..preflight import from_jsonable
from ..review import services as reviews
from ..review.views import status_text
from .services import progress_for
from .views import STEP_ENDPOINTS, bp, load_product


# ------------------------------------------------------------------------- producer
@bp.route("/produk/<int:product_id>/tinjauan")
@login_required
def review(product_id: int):
    """The producer's review page: submit, status, the trainer's feedback, history, compare."""
    product = load_product(product_id)
    design = find_design(product)
    findings, versions = [], []
    if design is not None:
        if current_user.id == product.owner_id:
            findings = fresh_findings(design)    # fresh (the submit button depends on it), never stored on a GET
        else:
            findings = from_jsonable(design.findings if design.findings else [])
        versions = reviews.list_versions(design)
    facts, states = progress_for(product)
    latest = versions[0] if versions else None
    feedback = next((v for v in versions if v.status in (VersionStatus.CHANGES_REQUESTED, VersionStatus.APPROVED)),
                    None)
    blockers = [f for f in findings if f.is_blocker]
    changed = design is not None and reviews.working_copy_changed(design, latest)
    return render_template(
        "wizard/review.html", product=product, design=design, states=states, endpoints=STEP_ENDPOINTS,
        findings=findings, blockers=blockers, versions=versions, latest=latest, feedback=feedback,
        changed=changed, status=status_text(latest), status_of=status_text,
        users=users_with_profiles([v.decided_by_id for v in versions]
                                  + [c.author_id for v in versions for c in v.comments]),
        can_submit=(current_user.id == product.owner_id and design is not None and not blockers and changed))


@bp.route("/produk/<int:product_id>/tinjauan/kirim", methods=["POST"])
@role_required(Role.PRODUCER)
def review_submit(product_id: int):
    product = load_product(product_id)
    design = find_design(product)
    if design is None:
        flash(_("Buat desain label dulu."), "error")
        return redirect(url_for("wizard.review", product_id=product.id))
    try:
        version = reviews.submit_for_review(current_user, design.id)
    except NotFound:
        abort(404)
    except StudioError as e:
        flash(e.message, "error")
    else:
        flash(_("Versi %(n)d terkirim. Pendamping akan meninjaunya.", n=version.number), "success")
    return redirect(url_for("wizard.review", product_id=product.id))
