"""Trainer review of label designs: submit a frozen version, queue, comments, decisions.

A submitted :class:`DesignVersion` is frozen: document, stock snapshot, options, the product data
revision, the preflight findings, a preview PNG and the print PDF. Approval applies to exactly
that version; a later edit of the design or of the product data needs a new version and a new
review. Two trainers deciding at once cannot both win: decisions carry the ``lock_version`` they
saw and the database refuses a stale one (SQLAlchemy ``version_id_col``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import defer, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..auth.models import Role, User
from ..cohorts.services import can_see_owner, trainer_producer_ids
from ..db import utcnow
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity import commit_keeping_loaded
from ..labels import render_label_pdf
from ..media import media
from ..site import public_base_url
from ..preflight import blocker_count, to_jsonable
from ..products.models import Product, ProductRevision
from ..products.data import incomplete_words, label_data_problems
from ..products.services import get_own_product
from ..designs import assets, gates, services
from ..designs.render import render_preview_png
from ..designs.models import Design, DesignVersion, ReviewComment, VersionStatus
from ..designs.preflight import checked_findings, follow_current_revision
from ..designs.source import source_of_design, source_of_version
from .compare import Comparison, compare

__all__ = ["Comparison", "QueueItem", "add_comment", "approve", "compare_versions", "get_version",
           "list_versions", "next_in_queue", "request_changes", "review_queue", "submit_for_review",
           "working_copy_changed"]

MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True)
class QueueItem:
    """One submission waiting for a trainer."""

    version: DesignVersion
    product: Product
    producer: User


# ----------------------------------------------------------------------------- reading
def get_version(actor: User, version_id: int, *, with_comments: bool = False) -> DesignVersion:
    """A version the actor may see (owner, the owner's trainers, admin). Read in one statement with
    what the review page and a decision use beside it (then found in memory): its product, the data
    revision it shows, the producer with her profile, and ``with_comments`` its comments.

    :raises NotFound: otherwise (never reveals another producer's version).
    """
    version = db.session.identity_map.get(db.session.identity_key(DesignVersion, version_id))
    if version is None:
        q = (select(DesignVersion, Product, ProductRevision, User).where(DesignVersion.id == version_id)
             .outerjoin(Product, Product.id == DesignVersion.product_id)
             .outerjoin(ProductRevision, ProductRevision.id == DesignVersion.product_revision_id)
             .outerjoin(User, User.id == Product.owner_id).options(joinedload(User.profile)))
        if with_comments:
            q = q.options(joinedload(DesignVersion.comments))
        row = db.session.execute(q).unique().first()
        version, product = row[:2] if row is not None else (None, None)
    else:
        product = db.session.get(Product, version.product_id)
    if version is None:
        raise NotFound(str(_l("Versi desain tidak ditemukan.")))
    if product is None or not can_see_owner(actor, product.owner_id):
        raise NotFound(str(_l("Versi desain tidak ditemukan.")))
    return version


def list_versions(design: Design | int) -> list[DesignVersion]:
    """Every version of ``design`` (or of the design with this id), newest first (the caller has
    checked access)."""
    design_id = design if isinstance(design, int) else design.id
    return list(db.session.scalars(select(DesignVersion).where(DesignVersion.design_id == design_id)
                                   .order_by(DesignVersion.number.desc())))


def _frozen_state(obj: Design | DesignVersion) -> tuple:
    return (obj.layout_id, obj.document, obj.options, obj.product_revision_id, obj.style_id)


def working_copy_changed(design: Design, version: DesignVersion | None) -> bool:
    """Whether the design (or the product data or pictures it follows) differs from ``version``."""
    if version is None:
        return True
    product = db.session.get(Product, design.product_id)
    current_rev = product.current_revision_id if product is not None else design.product_revision_id
    state = (design.layout_id, design.document, design.options, current_rev or design.product_revision_id,
             design.style_id)
    if state != _frozen_state(version):
        return True
    # another photo or logo since: the print keeps the version's pictures, so the new ones go through review
    return product is not None and not assets.same_pictures(version.image_keys, assets.image_keys(product))


def review_queue(trainer: User) -> list[QueueItem]:
    """Submissions waiting in the trainer's cohorts (all, for an admin), oldest first.

    :raises Forbidden: for producers and hub operators.
    """
    q = (_waiting(trainer, select(DesignVersion, Product, User))
         .join(User, User.id == Product.owner_id)
         .options(selectinload(User.profile),         # display names: one query for the whole queue
                  defer(DesignVersion.document)))      # the queue never reads the label document
    return [QueueItem(v, p, u) for v, p, u in db.session.execute(q)]


def _waiting(trainer: User, q):
    """``q`` limited to the submissions waiting for ``trainer``, oldest first.

    :raises Forbidden: for producers and hub operators.
    """
    if trainer.role not in (Role.TRAINER, Role.ADMIN):
        raise Forbidden(str(_l("Antrean tinjauan hanya untuk pendamping.")))
    q = (q.join(Product, Product.id == DesignVersion.product_id)
         .where(DesignVersion.status == VersionStatus.SUBMITTED, Product.archived.is_(False))
         .order_by(DesignVersion.submitted_at, DesignVersion.id))
    if trainer.role == Role.TRAINER:
        q = q.where(Product.owner_id.in_(trainer_producer_ids(trainer) or {-1}))
    return q


def next_in_queue(trainer: User, after: DesignVersion | None = None) -> DesignVersion | None:
    """The oldest waiting submission other than ``after`` (for "next" after a decision): one row
    read, not the whole queue with its producers."""
    q = _waiting(trainer, select(DesignVersion).options(defer(DesignVersion.document)))
    if after is not None:
        q = q.where(DesignVersion.id != after.id)
    return db.session.scalar(q.limit(1))


# ----------------------------------------------------------------------------- producer
def submit_for_review(actor: User, design_id: int) -> DesignVersion:
    """Freeze the producer's design (with the product's current data) as a new version to review.

    Runs the full preflight first, on the design's own stock with the product's current data (the
    version freezes exactly that); a pending older submission is withdrawn in favour of this one.

    :raises NotFound: unknown design; :raises Forbidden: not the product's producer;
    :raises Invalid: a blocking finding (:func:`preflight.is_blocking`; field ``submit``, the message
        names what to fix), or no product data yet;
    :raises Conflict: nothing changed since the version already waiting or approved.
    """
    design = services.get_design(actor, design_id)
    product = get_own_product(actor, design.product_id)
    if actor.role != Role.PRODUCER or product.owner_id != actor.id:
        raise Forbidden(str(_l("Hanya produsen pemilik produk yang mengirim desain untuk ditinjau.")))
    if product.current_revision_id is None:
        raise Invalid(str(_l("Isi data produk dulu.")), field="submit")
    if not product.current_revision.complete_label:
        # the photo and the design come early (placeholders show what is missing); the label is
        # sent only with every item the law asks for
        raise Invalid(_incomplete_data_message(product.current_revision), field="submit")
    # nothing is written before the commit (the reads do not autoflush): on SQLite the first write
    # takes the one write lock until the commit, and every other save would wait for the compose
    # and the two proofs (issue #20)
    with db.session.no_autoflush:
        follow_current_revision(design)
        # checked (and frozen) with the version's own copy of the pictures: same pixels as the working
        # design's, and approving this version finds these findings by content hash
        pictures = assets.freeze_image_keys(assets.image_keys(product))
        render = services.prepare_design(replace(source_of_design(design), image_keys=pictures))
        findings = checked_findings(render)
        design.findings = to_jsonable(findings)
        design.blocker_count = blocker_count(findings)
        refusal = gates.blocking_message(findings, gates.fix_in_design())
        if refusal:
            db.session.commit()     # keep the fresh findings for the design page
            raise Invalid(refusal, field="submit")
        latest = db.session.scalar(select(DesignVersion).where(DesignVersion.design_id == design.id)
                                   .order_by(DesignVersion.number.desc()))
        if latest is not None and latest.status in (VersionStatus.SUBMITTED, VersionStatus.APPROVED) \
                and not working_copy_changed(design, latest):
            db.session.commit()
            if latest.status == VersionStatus.APPROVED:
                raise Conflict(str(_l("Versi ini sudah disetujui; tidak ada yang berubah.")), field="submit")
            raise Conflict(str(_l("Versi ini sudah dikirim dan menunggu pendamping.")), field="submit")
        for pending in db.session.scalars(select(DesignVersion).where(
                DesignVersion.design_id == design.id, DesignVersion.status == VersionStatus.SUBMITTED)):
            pending.status = VersionStatus.WITHDRAWN          # bumps lock_version: a trainer mid-review gets a Conflict
        title = f"{product.name} – {render.layout.name}"
        pdf = render_label_pdf(render.label, render.layout, bleed_mm=3.0, crop_marks=True, title=title,
                               subject=_qr_subject())
        png = render_preview_png(design)
        number = (db.session.scalar(select(func.max(DesignVersion.number))
                                    .where(DesignVersion.design_id == design.id)) or 0) + 1
        version = DesignVersion(
            design_id=design.id, product_id=product.id, number=number, layout_id=design.layout_id,
            layout_snapshot=dict(design.layout_snapshot), style_id=design.style_id, options=dict(design.options or {}),
            document=dict(design.document), product_revision_id=design.product_revision_id,
            findings=to_jsonable(findings), image_keys=pictures, preview_key=media().put_content("versions", png, "png"),
            pdf_key=media().put_content("versions", pdf, "pdf"), status=VersionStatus.SUBMITTED,
            submitted_by_id=actor.id, submitted_at=utcnow())
        db.session.add(version)
    db.session.commit()
    return version


def _incomplete_data_message(revision) -> str:
    """Why the product data keeps the label from being sent, every problem named at once."""
    rev = revision
    words = incomplete_words(*label_data_problems(rev.errors, rev.raw, rev.data), lead=False)
    if words is None:           # incomplete when saved, nothing found today (e.g. a rule setting changed)
        return str(_l("Data produk belum lengkap untuk label. Lengkapi di langkah Data produk "
                      "(yang masih kosong tampil di label sebagai [… belum diisi]), lalu kirim lagi."))
    return str(_l("Data produk belum lengkap untuk label.")) + " " + words.text(gates.locale()) + " " + \
        str(_l("Buka langkah Data produk, lalu kirim lagi."))


# ----------------------------------------------------------------------------- trainer
def add_comment(actor: User, version_id: int, body: str, x_mm: float | None = None,
                y_mm: float | None = None) -> ReviewComment:
    """A comment on a version, general or pinned to a point on the label (mm from its top-left).

    :raises NotFound: version not visible; :raises Forbidden: hub operators;
    :raises Invalid: empty or too long text (field ``body``), a pin off the label (field ``pin``).
    """
    version = get_version(actor, version_id)
    if actor.role not in (Role.TRAINER, Role.ADMIN, Role.PRODUCER):
        raise Forbidden(str(_l("Anda tidak boleh memberi komentar di sini.")))
    text = (body or "").strip()
    if not text:
        raise Invalid(str(_l("Tulis komentarnya.")), field="body")
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid(str(_l("Komentar paling panjang %(n)d huruf.", n=MAX_COMMENT_CHARS)), field="body")
    if (x_mm is None) != (y_mm is None):
        raise Invalid(str(_l("Titik komentar perlu posisi mendatar dan tegak.")), field="pin")
    if x_mm is not None:
        w, h = services.picture_size_mm(version)       # a label set: both stickers side by side
        if not (0 <= x_mm <= w and 0 <= y_mm <= h):
            raise Invalid(str(_l("Titik komentar harus di dalam label.")), field="pin")
        x_mm, y_mm = round(float(x_mm), 2), round(float(y_mm), 2)
    comment = ReviewComment(version_id=version.id, author_id=actor.id, body=text, x_mm=x_mm, y_mm=y_mm)
    db.session.add(comment)
    db.session.commit()
    return comment


def _decidable(actor: User, version_id: int, expected_lock_version: int) -> DesignVersion:
    version = get_version(actor, version_id)
    product = db.session.get(Product, version.product_id)
    if actor.role not in (Role.TRAINER, Role.ADMIN) or product.owner_id == actor.id:
        raise Forbidden(str(_l("Hanya pendamping yang boleh menyetujui atau meminta perbaikan.")))
    if version.lock_version != expected_lock_version or version.status != VersionStatus.SUBMITTED:
        raise Conflict(_conflict_message(version), field="decision")
    return version


def _conflict_message(version: DesignVersion) -> str:
    if version.status == VersionStatus.WITHDRAWN:
        return str(_l("Produsen sudah mengirim versi yang lebih baru. Buka versi terbaru."))
    if version.status in (VersionStatus.APPROVED, VersionStatus.CHANGES_REQUESTED):
        who = version.decided_by.display_name if version.decided_by is not None else "?"
        what = _l("menyetujui") if version.status == VersionStatus.APPROVED else _l("meminta perbaikan")
        return str(_l("Versi ini sudah diputuskan: %(who)s %(what)s lebih dulu. Keputusan Anda tidak disimpan.",
                      who=who, what=what))
    return str(_l("Versi ini baru saja diubah orang lain. Muat ulang halaman lalu putuskan lagi."))


def _decide(actor: User, version_id: int, expected_lock_version: int, status: VersionStatus,
            comment: str | None = None, findings: list[dict] | None = None) -> DesignVersion:
    version = _decidable(actor, version_id, expected_lock_version)
    if findings is not None:
        version.findings = findings
    version.status = status
    version.decided_by_id = actor.id
    version.decided_at = utcnow()
    if comment:
        db.session.add(ReviewComment(version_id=version.id, author_id=actor.id, body=comment))
    try:
        # UPDATE … WHERE lock_version = <seen>: a concurrent decision matches 0 rows. The decision
        # page shows the version, its product and producer next: kept as written, not reloaded
        commit_keeping_loaded()
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(DesignVersion, version_id)
        db.session.refresh(fresh)
        raise Conflict(_conflict_message(fresh), field="decision") from None
    return version


def request_changes(actor: User, version_id: int, expected_lock_version: int, comment: str) -> DesignVersion:
    """The trainer sends the version back with a comment saying what to change.

    :raises NotFound: not in the trainer's cohorts; :raises Forbidden: producers (own design too);
    :raises Invalid: empty comment (field ``body``); :raises Conflict: already decided or a newer
        version was sent (stale ``expected_lock_version``).
    """
    text = (comment or "").strip()
    if not text:
        raise Invalid(str(_l("Tulis apa yang perlu diperbaiki.")), field="body")
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid(str(_l("Komentar paling panjang %(n)d huruf.", n=MAX_COMMENT_CHARS)), field="body")
    return _decide(actor, version_id, expected_lock_version, VersionStatus.CHANGES_REQUESTED, text)


def approve(actor: User, version_id: int, expected_lock_version: int) -> DesignVersion:
    """Approve exactly this version (its document, stock and product data revision are frozen).

    The preflight runs again now on the frozen version (its document, stock snapshot and product
    revision; the rules and settings of today) and the fresh findings are stored on the version.
    A label with a blocking finding cannot be approved: there is no override.

    :raises NotFound: not in the trainer's cohorts; :raises Forbidden: producers (own design too);
    :raises Conflict: already decided or a newer version was sent (stale ``expected_lock_version``);
    :raises Invalid: the label blocks (field ``decision``; the message names what to fix). The
        version stays waiting; only its stored findings are refreshed.
    """
    version = _decidable(actor, version_id, expected_lock_version)
    address = gates.approval_address_problem(version)
    findings = gates.recheck_version(version)
    fresh = to_jsonable(findings)
    refusal = gates.blocking_message(findings, gates.fix_by_producer())
    if refusal and address:
        refusal = f"{refusal} {address}"        # every reason at once: the producer's and the hub's
    if refusal:
        # keep the fresh findings for the review page without bumping ``lock_version``: the
        # trainer's "request changes" form stays valid
        db.session.execute(update(DesignVersion).where(DesignVersion.id == version.id)
                           .values(findings=fresh).execution_options(synchronize_session=False))
        db.session.commit()
        db.session.refresh(version)
        raise Invalid(refusal, field="decision")
    if address:
        raise Invalid(address, field="decision")
    version.pdf_key = _approved_pdf_key(version)
    return _decide(actor, version_id, expected_lock_version, VersionStatus.APPROVED, findings=fresh)


def _qr_subject() -> str:
    """The Subject of a version's PDF: the public address its QR code opens (read back at approval)."""
    return "QR " + public_base_url()


def _approved_pdf_key(version: DesignVersion) -> str:
    """The version's PDF as the hub prints it today: its frozen inputs with the public address in
    use now. A version sent while the address was another one (127.0.0.1 before the hub was set
    up) carried that QR code: approving it (allowed only once the address works) stores the PDF
    with the address in use. The PDF names its address in its Subject, so an unchanged one is kept
    without composing the label again (a version from before that is rendered once)."""
    if not gates.shows_qr(version.document) or _pdf_subject(version.pdf_key) == _qr_subject():
        return version.pdf_key
    render = services.prepare_design(source_of_version(version))
    pdf = render_label_pdf(render.label, render.layout, bleed_mm=3.0, crop_marks=True,
                           title=f"{render.product.name} – {render.layout.name}", subject=_qr_subject())
    return media().put_content("versions", pdf, "pdf")


def _pdf_subject(key: str | None) -> str | None:
    """The Subject of a stored PDF (None: no file, or not readable)."""
    import pypdfium2 as pdfium

    if not key or not media().exists(key):
        return None
    try:
        doc = pdfium.PdfDocument(media().read(key))
    except pdfium.PdfiumError:
        return None
    try:
        return doc.get_metadata_dict().get("Subject")
    finally:
        doc.close()


def compare_versions(actor: User, a_id: int, b_id: int) -> Comparison:
    """Changes between two versions of the same design, older first.

    :raises NotFound: a version the actor may not see; :raises Invalid: versions of different designs.
    """
    return compare(get_version(actor, a_id), get_version(actor, b_id))


@dataclass(frozen=True)
class ChangeRequest:
    """What the trainer asked to change on a product's latest label version."""

    product_id: int
    version_number: int
    trainer_name: str
    notes: tuple[str, ...]


def open_change_requests(products: list[Product]) -> dict[int, ChangeRequest]:
    """The trainer's notes for each product whose latest label version was sent back
    (``{product_id: ChangeRequest}``), in a fixed number of queries for a product list. The caller
    has checked that the products are visible."""
    ids = [p.id for p in products]
    if not ids:
        return {}
    latest: dict[int, DesignVersion] = {}
    for v in db.session.scalars(select(DesignVersion).where(DesignVersion.product_id.in_(ids))
                                .order_by(DesignVersion.product_id, DesignVersion.number)):
        latest[v.product_id] = v
    asked = {pid: v for pid, v in latest.items() if v.status == VersionStatus.CHANGES_REQUESTED}
    if not asked:
        return {}
    owners = {p.id: p.owner_id for p in products}
    notes: dict[int, list[str]] = {}
    for c in db.session.scalars(select(ReviewComment).where(
            ReviewComment.version_id.in_([v.id for v in asked.values()])).order_by(ReviewComment.id)):
        pid = next(p for p, v in asked.items() if v.id == c.version_id)
        if c.author_id != owners.get(pid):
            notes.setdefault(pid, []).append(c.body)
    out = {}
    for pid, v in asked.items():
        trainer = db.session.get(User, v.decided_by_id) if v.decided_by_id else None
        out[pid] = ChangeRequest(pid, v.number, trainer.full_name if trainer else "",
                                 tuple(notes.get(pid, ())))
    return out
