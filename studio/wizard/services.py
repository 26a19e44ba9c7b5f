"""Gather the facts a product's wizard gates need, and keep the cached step up to date."""
from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

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
    """The gate facts of many products in ONE query (dashboards list dozens; every wizard page,
    the producer home and the trainer board ask): a row per product with a correlated subquery per
    fact. Only small columns are read (a design's and a version's JSON are large); the statement is
    built once per process (:func:`_facts_statement`)."""
    if not products:
        return {}
    rows = {row.id: row for row in db.session.execute(_facts_statement(), {"ids": [p.id for p in products]})}
    out = {}
    for p in products:
        row = rows.get(p.id)
        if row is None:
            out[p.id] = Facts()
            continue
        status = row.latest_status
        out[p.id] = Facts(
            has_product_data=bool(row.complete),
            has_primary_photo=bool(row.photo_ready),
            has_design=row.design_id is not None,
            design_blockers=(row.blocker_count or 0) if row.design_id is not None else 0,
            submitted=status == VersionStatus.SUBMITTED,
            changes_requested=status == VersionStatus.CHANGES_REQUESTED,
            review_approved=status == VersionStatus.APPROVED,
            printed=bool(row.printed),
            published=bool(row.published),
            data_gate=None if row.complete else _data_gate(row),
        )
    return out


def _data_gate(row) -> tuple[str, str] | None:
    """The product-data gate's words for an incomplete current revision: every label field filled
    in wrongly ("Field: problem") and every empty one, in both languages (None: no revision)."""
    from ..products.data import incomplete_words, label_data_problems

    if row.data_errors is None and row.data_raw is None and row.data is None:
        return None
    words = incomplete_words(*label_data_problems(row.data_errors, row.data_raw, row.data))
    return (words.id, words.en) if words is not None else None


@lru_cache(maxsize=1)
def _facts_statement():
    """SELECT per product (``:ids``, expanding): current revision complete, primary photo ready,
    the newest label design (id, blocker count) and the status of its newest version, a printed job
    of an approved version, a current listing."""
    from sqlalchemy import and_, bindparam, exists, literal

    P = Product
    design_id = (select(Design.id).where(Design.product_id == P.id, Design.kind == "label")
                 .order_by(Design.id.desc()).limit(1).correlate(P).scalar_subquery())
    newest = aliased(Design)
    blocker_count = (select(newest.blocker_count).where(newest.id == design_id)
                     .correlate(P).scalar_subquery())
    latest_status = (select(DesignVersion.status).where(DesignVersion.design_id == design_id)
                     .order_by(DesignVersion.number.desc()).limit(1).correlate(P).scalar_subquery())
    complete = exists(select(literal(1)).where(ProductRevision.id == P.current_revision_id,
                                               ProductRevision.complete_label.is_(True)).correlate(P))
    # the errors, typed text and record of an INCOMPLETE current revision only (NULL for a complete
    # one: a dashboard of finished products reads no record): the gate names what is missing
    incomplete = and_(ProductRevision.id == P.current_revision_id, ProductRevision.complete_label.is_(False))
    data_errors, data_raw, data = (select(col).where(incomplete).correlate(P).scalar_subquery()
                                   for col in (ProductRevision.errors, ProductRevision.raw, ProductRevision.data))
    photo_ready = exists(select(literal(1)).where(Photo.id == P.primary_photo_id, Photo.status == "ready")
                         .correlate(P))
    # a PDF never marked printed is not printed; only a job of an approved version counts
    printed = exists(select(literal(1)).select_from(PrintJob).join(
        DesignVersion, and_(DesignVersion.id == PrintJob.design_version_id,
                            DesignVersion.status == VersionStatus.APPROVED))
        .where(PrintJob.product_id == P.id, PrintJob.status == "printed").correlate(P))
    published = exists(select(literal(1)).where(Listing.product_id == P.id, Listing.is_current.is_(True))
                       .correlate(P))
    return select(P.id, complete.label("complete"), photo_ready.label("photo_ready"),
                  design_id.label("design_id"), blocker_count.label("blocker_count"),
                  latest_status.label("latest_status"), printed.label("printed"),
                  published.label("published"), data_errors.label("data_errors"),
                  data_raw.label("data_raw"), data.label("data")).where(P.id.in_(bindparam("ids", expanding=True)))


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
    changed = label_data_changes(product, version)
    if changed:
        from ..products.sections import field_label

        out.append(str(_l("Data label berubah sejak label disetujui (%(fields)s): katalog yang dibuka kode QR "
                          "akan berbeda dari label yang dicetak. Kirim desain lagi untuk ditinjau dan cetak, "
                          "atau kembalikan datanya.", fields=", ".join(field_label(k) for k in changed))))
    return out + gates.release_problems(product, version)


def label_data_changes(product: Product, version: DesignVersion | None) -> list[str]:
    """Record keys shown on the label (not the catalogue-only ones: price, stock, description, …)
    whose value in the product's current data differs from the data ``version`` froze."""
    from ..products.data import LISTING_ONLY

    if version is None or not version.product_revision_id or version.product_revision_id == product.current_revision_id:
        return []
    frozen = db.session.get(ProductRevision, version.product_revision_id)
    current = product.current_revision
    a, b = (frozen.data if frozen else None) or {}, (current.data if current else None) or {}
    return sorted(k for k in set(a) | set(b) if k not in LISTING_ONLY and a.get(k) != b.get(k))


def unpublish_product(actor, product_id: int):
    return unpublish(actor, product_id, PUBLISH_GATES)