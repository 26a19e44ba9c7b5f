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


def product_record(revision) -> dict:
    """The clean product record of a revision (normalised by the rules module; tolerant of the raw
    form and of the stored clean form, which ``normalise`` reads back unchanged)."""
    from datetime import date

    from flask import current_app

    from ..rules.product import normalise
    from ..rules.settings import RuleSettings

    data = dict(revision.data or {})
    source = data.get("clean") or data.get("raw") or data
    settings = RuleSettings.from_mapping(current_app.config.get("RULES") or {})
    clean, _errors, _warnings = normalise(source, today=date.today(), settings=settings)
    return clean


def publish_product(actor, product_id: int):
    """Publish the product as an immutable listing after re-checking every wizard gate.

    :raises InvalidStep: when a gate is not passed (the message says which).
    """
    from flask import current_app

    from ..catalogue import services as catalogue
    from ..errors import InvalidStep
    from ..products.services import get_own_product
    from ..rules.labeltext import label_texts
    from ..rules.product import to_jsonable
    from ..rules.settings import RuleSettings
    from .steps import Step, blockers

    product = get_own_product(actor, product_id)
    facts = gather_facts(product)
    problems = blockers(Step.PUBLISH, facts)
    if problems:
        from flask_babel import get_locale

        raise InvalidStep(problems[0].text(str(get_locale() or "id")))
    version = db.session.scalar(select(DesignVersion).where(DesignVersion.product_id == product.id,
                                                            DesignVersion.status == VersionStatus.APPROVED)
                                .order_by(DesignVersion.number.desc()))
    revision = product.current_revision
    record = product_record(revision)
    settings = RuleSettings.from_mapping(current_app.config.get("RULES") or {})
    profile = product.owner.profile
    texts = label_texts(record, profile.as_label_dict() if profile else {}, settings=settings)
    photo = db.session.get(Photo, product.primary_photo_id) if product.primary_photo_id else None
    snapshot = catalogue.build_snapshot(product, revision, photo, profile, texts, to_jsonable(record))
    listing = catalogue.create_listing(actor, product, revision, version.id if version else None, photo, snapshot)
    refresh_step(product)
    return listing


def unpublish_product(actor, product_id: int):
    from ..catalogue import services as catalogue
    from ..products.services import get_own_product

    product = get_own_product(actor, product_id)
    listing = catalogue.unpublish(actor, product)
    refresh_step(product)
    return listing
