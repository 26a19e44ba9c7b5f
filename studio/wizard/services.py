"""Gather the facts a product's wizard gates need, and keep the cached step up to date."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..catalogue.models import Listing
from ..catalogue.publish import PublishGates, publish, unpublish
from ..designs.models import Design, DesignVersion, VersionStatus
from ..extensions import db
from ..printing.models import PrintJob
from ..products.models import Photo, Product, ProductRevision
from .steps import Facts, current_step, step_states


def gather_facts(product: Product) -> Facts:
    """Read everything the gates need for ``product``."""
    return gather_facts_many([product])[product.id]


def gather_facts_many(products: list[Product]) -> dict[int, Facts]:
    """The gate facts of many products in a fixed number of queries (dashboards list dozens)."""
    if not products:
        return {}
    ids = [p.id for p in products]
    rev_ids = [p.current_revision_id for p in products if p.current_revision_id]
    complete = set(db.session.scalars(select(ProductRevision.id).where(
        ProductRevision.id.in_(rev_ids), ProductRevision.complete_label.is_(True)))) if rev_ids else set()
    photo_ids = [p.primary_photo_id for p in products if p.primary_photo_id]
    ready_photos = set(db.session.scalars(select(Photo.id).where(
        Photo.id.in_(photo_ids), Photo.status == "ready"))) if photo_ids else set()
    # only the columns the gates read: a design's and a version's JSON (document, stock snapshot,
    # findings) are large and every wizard page, the producer home and the trainer board ask for facts
    designs: dict[int, tuple[int, int]] = {}      # product id -> (design id, blocker count)
    for design_id, product_id, blocker_count in db.session.execute(
            select(Design.id, Design.product_id, Design.blocker_count)
            .where(Design.product_id.in_(ids), Design.kind == "label").order_by(Design.id)):
        designs[product_id] = (design_id, blocker_count or 0)  # the newest label design wins
    latest: dict[int, str] = {}                    # design id -> status of its newest version
    if designs:
        for design_id, status in db.session.execute(
                select(DesignVersion.design_id, DesignVersion.status)
                .where(DesignVersion.design_id.in_([d for d, _b in designs.values()]))
                .order_by(DesignVersion.number)):
            latest[design_id] = status
    approved = select(DesignVersion.id).where(DesignVersion.product_id.in_(ids),
                                              DesignVersion.status == VersionStatus.APPROVED)
    printed = set(db.session.scalars(select(PrintJob.product_id).where(
        PrintJob.product_id.in_(ids), PrintJob.design_version_id.in_(approved),
        PrintJob.status == "printed")))   # a PDF never marked printed is not printed
    published = set(db.session.scalars(select(Listing.product_id).where(
        Listing.product_id.in_(ids), Listing.is_current.is_(True))))
    out = {}
    for p in products:
        design = designs.get(p.id)
        status = latest.get(design[0]) if design is not None else None
        out[p.id] = Facts(
            has_product_data=p.current_revision_id in complete,
            has_primary_photo=p.primary_photo_id in ready_photos,
            has_design=design is not None,
            design_blockers=design[1] if design else 0,
            submitted=status == VersionStatus.SUBMITTED,
            changes_requested=status == VersionStatus.CHANGES_REQUESTED,
            review_approved=status == VersionStatus.APPROVED,
            printed=p.id in printed,
            published=p.id in published,
        )
    return out


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
    """Facts and the progress bar of ``product``, computed, never stored: pages that only show
    them are GETs and change nothing (the cached ``wizard_step`` is refreshed by the changes)."""
    facts = gather_facts(product)
    return facts, step_states(facts)


def check_publish(product: Product, locale: str = "id") -> DesignVersion | None:
    """The wizard's publish gates: every step before Terbit passed and the label gates
    (:func:`publish_problems`). Returns the approved version.

    :raises InvalidStep: when a wizard gate is not passed (the message says which).
    :raises Conflict: the approved label blocks, the QR address cannot be opened by buyers, or a
        halal-certified product lacks the official halal logo (the message says what to fix).
    """
    from ..errors import Conflict, InvalidStep
    from .steps import Step, blockers

    problems = blockers(Step.PUBLISH, gather_facts(product))
    if problems:
        raise InvalidStep(problems[0].text(locale))
    version = approved_version(product)
    refusals = publish_problems(product, version)
    if refusals:
        raise Conflict(" ".join(refusals))
    return version


#: What publishing checks and refreshes; create_app also puts it on the app for the API.
PUBLISH_GATES = PublishGates(check=check_publish, after=refresh_step)


def publish_product(actor, product_id: int, *, locale: str = "id"):
    """Publish the product as an immutable listing after re-checking every wizard gate and the
    label gates (:func:`check_publish`; a refusal in ``locale``); the catalogue builds the snapshot
    (``catalogue.publish``)."""
    return publish(actor, product_id, PUBLISH_GATES, locale=locale)


def approved_version(product: Product) -> DesignVersion | None:
    """The newest approved label version of ``product``."""
    return db.session.scalar(select(DesignVersion).where(DesignVersion.product_id == product.id,
                                                         DesignVersion.status == VersionStatus.APPROVED)
                             .order_by(DesignVersion.number.desc()))


def publish_problems(product: Product, version: DesignVersion | None = None) -> list[str]:
    """What stops the listing from going out, beyond the wizard steps: an approved label without
    blocking findings (the one blocking rule), a public address a buyer's phone can open (the QR on
    the label and the listing's link), and the official halal logo of a halal-certified product.
    Empty list: it may be published."""
    from ..designs import gates

    version = version if version is not None else approved_version(product)
    out: list[str] = []
    if version is None:
        out.append(str(_l("Belum ada label yang disetujui pendamping. Kirim desain untuk ditinjau dulu.")))
    return out + gates.release_problems(product, version)


def unpublish_product(actor, product_id: int):
    return unpublish(actor, product_id, PUBLISH_GATES)