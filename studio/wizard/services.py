"""Gather the facts a product's wizard gates need, and keep the cached step up to date."""
from __future__ import annotations

from sqlalchemy import exists, select

from ..catalogue.models import Listing
from ..designs.models import Design, DesignVersion, VersionStatus
from ..extensions import db
from ..printing.models import PrintJob
from ..products.models import Photo, Product
from .steps import Facts, current_step, step_states


def gather_facts(product: Product) -> Facts:
    """Read everything the gates need for ``product`` (a handful of small queries)."""
    rev = product.current_revision
    photo = db.session.get(Photo, product.primary_photo_id) if product.primary_photo_id else None
    design = db.session.scalar(select(Design).where(Design.product_id == product.id, Design.kind == "label")
                               .order_by(Design.id.desc()))
    latest = None
    if design is not None:
        latest = db.session.scalar(select(DesignVersion).where(DesignVersion.design_id == design.id)
                                   .order_by(DesignVersion.number.desc()))
    approved_ids = select(DesignVersion.id).where(DesignVersion.product_id == product.id,
                                                  DesignVersion.status == VersionStatus.APPROVED)
    printed = db.session.scalar(select(exists().where(
        PrintJob.product_id == product.id, PrintJob.design_version_id.in_(approved_ids),
        PrintJob.status.in_(("ready", "printed")))))
    published = db.session.scalar(select(exists().where(Listing.product_id == product.id,
                                                        Listing.is_current.is_(True))))
    return Facts(
        has_product_data=bool(rev and rev.complete_label),
        has_primary_photo=bool(photo and photo.status == "ready"),
        has_design=design is not None,
        design_blockers=design.blocker_count if design else 0,
        submitted=bool(latest and latest.status == VersionStatus.SUBMITTED),
        changes_requested=bool(latest and latest.status == VersionStatus.CHANGES_REQUESTED),
        review_approved=bool(latest and latest.status == VersionStatus.APPROVED),
        printed=bool(printed),
        published=bool(published),
    )


def refresh_step(product: Product, *, commit: bool = True) -> Facts:
    """Recompute the cached ``wizard_step`` of ``product``; returns the facts used."""
    facts = gather_facts(product)
    step = current_step(facts).value
    if product.wizard_step != step:
        product.wizard_step = step
        if commit:
            db.session.commit()
    return facts


def progress_for(product: Product):
    """Facts and the progress bar of ``product``."""
    facts = refresh_step(product)
    return facts, step_states(facts)
