"""Trainer review pages: the queue, one submitted version (comments, decision), a version's preview
and PDF, and two versions compared. The producer's own review step page lives in the wizard
(``wizard.review``) and links here."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from wtforms import FloatField, HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..auth.access import login_required, role_required
from ..auth.models import Role, User
from ..auth.services import users_with_profiles
from ..designs.gates import PART_NAMES, approval_address_problem, blocking_message, fix_by_producer
from ..designs.models import DesignVersion, VersionStatus
from ..designs.services import picture_size_mm
from ..forms import StudioForm
from ..products.record import product_record
from ..errors import Conflict, NotFound, StudioError
from ..extensions import db
from ..media import media, media_response
from ..preflight import LabelFinding, from_jsonable
from ..products.models import Product, ProductRevision
from ..products.sections import choice_text
from ..rules import FIELDS
from ..rules.diff import value_text
from . import services as reviews

bp = Blueprint("review", __name__)


def tag_name(tag: str) -> str:
    """What producers call a label part (document tag): the gates' words."""
    return str(PART_NAMES.get(tag.split("#")[0], tag))


STATUS_LABELS = {
    VersionStatus.SUBMITTED: (_l("Menunggu pendamping"), "now"),
    VersionStatus.CHANGES_REQUESTED: (_l("Perlu perbaikan"), "warn"),
    VersionStatus.APPROVED: (_l("Disetujui"), "ok"),
    VersionStatus.WITHDRAWN: (_l("Diganti versi baru"), ""),
}
SEVERITY_LABELS = {"BLOCKER": (_l("Harus diperbaiki"), "blocker"), "ERROR": (_l("Perlu diperbaiki"), "error"),
                   "WARNING": (_l("Periksa"), "warning"), "INFO": (_l("Info"), "info")}
OPTION_NAMES = {"layout_id": _l("Ukuran label"), "style_id": _l("Gaya desain"), "show_photo": _l("Foto"),
                "show_logo": _l("Logo usaha"), "show_price": _l("Harga"), "show_ingredients": _l("Komposisi"),
                "show_storage": _l("Penyimpanan"), "show_nutrition": _l("Informasi Nilai Gizi"),
                "show_qr": _l("Kode QR"), "show_ean": _l("Barcode"), "show_halal": _l("Halal"),
                "halal_logo": _l("Logo halal"), "expiry_box": _l("Kotak cap produksi"),
                "primary": _l("Warna utama"), "accent": _l("Warna aksen"), "text": _l("Warna huruf"),
                "preset": _l("Warna siap pakai"), "pairing": _l("Pasangan huruf")}
ATTR_NAMES = {"box": _l("letak dan ukuran"), "text": _l("teks"), "size_pt": _l("ukuran huruf"), "color": _l("warna"),
              "fill": _l("warna isi"), "bold": _l("tebal"), "panel": _l("panel"), "data_field": _l("isian"),
              "image_key": _l("gambar")}


class CommentForm(StudioForm):
    body = TextAreaField(_l("Komentar"), validators=[DataRequired(_l("Tulis komentarnya.")), Length(max=2000)])
    x_mm = FloatField(validators=[Optional(), NumberRange(min=0)])
    y_mm = FloatField(validators=[Optional(), NumberRange(min=0)])


class DecisionForm(StudioForm):
    lock_version = IntegerField(validators=[DataRequired()])
    decision = HiddenField(validators=[DataRequired()])
    body = TextAreaField(_l("Apa yang perlu diperbaiki?"), validators=[Length(max=2000)])


# ------------------------------------------------------------------------- view helpers
def _locale() -> str:
    return str(get_locale() or "id")


@dataclass(frozen=True)
class FindingView:
    """A finding as the pages show it: number on the preview, words in the user's language."""

    n: int | None
    severity: str
    css: str
    label: str
    title: str
    text: str
    element: str
    box_mm: tuple[float, float, float, float] | None


@bp.app_template_filter("preflight_items")
def preflight_items(findings) -> list[FindingView]:
    """LabelFindings or stored finding dicts (preflight or compose) -> numbered view items."""
    items = [f if isinstance(f, LabelFinding) else LabelFinding.from_dict(f) for f in (findings or [])]
    loc, out, numbers = _locale(), [], {}
    for f in items:
        label, css = SEVERITY_LABELS.get(str(f.severity), (str(f.severity), "info"))
        number = None
        if f.box_mm and str(f.severity) != "INFO":       # one marker per place on the label
            number = numbers.setdefault(tuple(f.box_mm), len(numbers) + 1)
        text = f.msg.text(loc)
        if f.tag:
            text = text.replace(f"'{f.tag}'", f"“{tag_name(f.tag)}”")
        out.append(FindingView(number, str(f.severity), css, str(label), f.title.text(loc), text,
                               tag_name(f.tag) if f.tag else "", f.box_mm))
    return out


@bp.app_template_filter("severity_counts")
def severity_counts(findings) -> dict[str, int]:
    out = {"BLOCKER": 0, "ERROR": 0, "WARNING": 0, "INFO": 0}
    for f in preflight_items(findings):
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def status_text(version: DesignVersion | None) -> tuple[str, str]:
    if version is None:
        return str(_("Belum dikirim")), ""
    label, css = STATUS_LABELS.get(VersionStatus(version.status), (version.status, ""))
    return str(label), css


def _product_facts(product: Product, revision: ProductRevision | None) -> list[tuple[str, str]]:
    """(field label, display text) of the filled fields of a revision, in form order."""
    clean = product_record(revision)
    loc = _locale()
    def shown(name: str) -> str:
        value = clean[name]
        text = value_text(value, name)
        return choice_text(name, str(value)) if isinstance(value, str) and text == str(value) else text

    out = []
    for name, spec in FIELDS.items():
        if name not in clean or not value_text(clean[name], name):
            continue
        label = spec.label_en if loc == "en" else spec.label_id
        out.append((label, _nutrition_text(clean[name], loc) if name == "nutrition" else shown(name)))
    return out


def _nutrition_text(value, loc: str) -> str:
    """The nutrition record in words ("Takaran saji (g): 25; Lemak total per 100 g (g): 28; …"),
    not its storage keys."""
    from ..products.data import record_text
    from ..products.sections import NUTRITION_KEYS, field_label

    text = record_text({"nutrition": value})
    parts = []
    for key in NUTRITION_KEYS:
        if text.get(key):
            shown = choice_text(key, text[key]) if key == "nutrition.source" else text[key]
            parts.append(f"{field_label(key, loc)}: {shown}")
    return "; ".join(parts)


def _version_or_404(version_id: int, with_comments: bool = False) -> DesignVersion:
    try:
        return reviews.get_version(current_user, version_id, with_comments=with_comments)
    except NotFound:
        abort(404)


# ------------------------------------------------------------------------- trainer
@bp.route("/tinjauan")
@role_required(Role.TRAINER, Role.ADMIN)
def queue():
    """Submissions from the trainer's cohorts, oldest first."""
    items = reviews.review_queue(current_user)
    return render_template("review/queue.html", items=items)


def _version_page(version: DesignVersion, comment_form=None, decision_form=None, status: int = 200):
    product = db.session.get(Product, version.product_id)
    design_versions = reviews.list_versions(version.design_id)     # no need to load the design row
    revision = db.session.get(ProductRevision, version.product_revision_id)
    nxt = reviews.next_in_queue(current_user, after=version) if current_user.role != Role.PRODUCER else None
    pinned = [c for c in version.comments if c.x_mm is not None]
    return render_template(
        "review/version.html", version=version, product=product, versions=design_versions,
        findings=from_jsonable(version.findings), facts=_product_facts(product, revision), revision=revision,
        comment_form=comment_form or CommentForm(formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None, lock_version=version.lock_version),
        status=status_text(version), status_of=status_text, next_version=nxt, pinned=pinned,
        users=users_with_profiles([c.author_id for c in version.comments]
                                  + [version.decided_by_id, version.submitted_by_id, product.owner_id]),
        label_w_mm=picture_size_mm(version)[0], label_h_mm=picture_size_mm(version)[1],   # a set: both stickers
        can_decide=current_user.role in (Role.TRAINER, Role.ADMIN) and version.status == VersionStatus.SUBMITTED,
        blocked=blocking_message(version.findings, fix_by_producer()),
        address_blocked=approval_address_problem(version) if version.status == VersionStatus.SUBMITTED else None,
        whatsapp=_whatsapp(version, product),
    ), status


def _whatsapp(version: DesignVersion, product: Product) -> str | None:
    """The trainer's WhatsApp link to the producer after a decision (None before one)."""
    if current_user.role == Role.PRODUCER or version.status not in (VersionStatus.CHANGES_REQUESTED,
                                                                    VersionStatus.APPROVED):
        return None
    from .notify import whatsapp_link

    producer = db.session.get(User, product.owner_id, options=[joinedload(User.profile)])   # her WhatsApp number
    notes = [c.body for c in version.comments if c.author_id != product.owner_id and c.x_mm is None]
    return whatsapp_link(version, product, producer, notes)


@bp.route("/tinjauan/<int:version_id>")
@role_required(Role.TRAINER, Role.ADMIN)
def version(version_id: int):
    """One submission: preview with markers, preflight, product data, comments and the decision."""
    return _version_page(_version_or_404(version_id, with_comments=True))


@bp.route("/tinjauan/<int:version_id>/komentar", methods=["POST"])
@role_required(Role.TRAINER, Role.ADMIN, Role.PRODUCER)
def comment(version_id: int):
    version = _version_or_404(version_id)
    form = CommentForm()
    back = url_for("review.version", version_id=version.id) if current_user.role != Role.PRODUCER \
        else url_for("wizard.review", product_id=version.product_id)
    if form.validate_on_submit():
        try:
            reviews.add_comment(current_user, version.id, form.body.data, form.x_mm.data, form.y_mm.data)
        except StudioError as e:
            flash(e.message, "error")
        else:
            flash(_("Komentar disimpan."), "success")
            return redirect(back + "#komentar")
    else:
        flash(_("Tulis komentarnya."), "error")
    return redirect(back)


@bp.route("/tinjauan/<int:version_id>/putuskan", methods=["POST"])
@role_required(Role.TRAINER, Role.ADMIN)
def decide(version_id: int):
    """Approve or request changes; then open the next submission in the queue."""
    version = _version_or_404(version_id, with_comments=True)     # the WhatsApp note quotes them
    form = DecisionForm()
    if not form.validate_on_submit() or form.decision.data not in ("approve", "changes"):
        flash(_("Pilih setujui atau minta perbaikan."), "error")
        return _version_page(version, decision_form=form, status=400)
    # the submission to open next, read before the decision while the trainer's cohorts are still
    # known from the access check (a commit forgets them): the decision changes only this version
    nxt = reviews.next_in_queue(current_user, after=version)
    try:
        if form.decision.data == "approve":
            reviews.approve(current_user, version.id, form.lock_version.data)
            flash(_("Versi %(n)d disetujui untuk %(p)s.", n=version.number, p=_product_name(version)), "success")
        else:
            reviews.request_changes(current_user, version.id, form.lock_version.data, form.body.data or "")
            flash(_("Permintaan perbaikan dikirim ke produsen."), "success")
    except Conflict as e:
        db.session.rollback()
        flash(e.message, "error")
        return _version_page(db.session.get(DesignVersion, version.id), status=409)
    except StudioError as e:
        if e.field == "body":
            form.body.errors.append(e.message)
        flash(e.message, "error")
        return _version_page(version, decision_form=form, status=e.status)
    link = _whatsapp(version, db.session.get(Product, version.product_id))
    if link:
        flash(link, "whatsapp")     # base.html shows it as the "tell the producer" button
    if nxt is not None:
        return redirect(url_for("review.version", version_id=nxt.id))
    flash(_("Antrean tinjauan sudah habis."), "info")
    return redirect(url_for("review.queue"))


def _product_name(version: DesignVersion) -> str:
    product = db.session.get(Product, version.product_id)
    return product.name if product is not None else ""


# ------------------------------------------------------------------------- shared
@bp.route("/tinjauan/versi/<int:version_id>/pratinjau.png")
@login_required
def version_preview(version_id: int):
    version = _version_or_404(version_id)
    if not version.preview_key or not media().exists(version.preview_key):
        abort(404)
    return media_response(version.preview_key, "image/png")   # content-addressed: a version never changes


@bp.route("/tinjauan/versi/<int:version_id>/label.pdf")
@login_required
def version_pdf(version_id: int):
    version = _version_or_404(version_id)
    if not version.pdf_key or not media().exists(version.pdf_key):
        abort(404)
    resp = current_app.response_class(media().read(version.pdf_key), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="label-v{version.number}.pdf"'
    return resp


@bp.route("/tinjauan/banding")
@login_required
def compare():
    """Two versions side by side with what changed (product data, choices, elements)."""
    try:
        a, b = int(request.args.get("a", "")), int(request.args.get("b", ""))
    except ValueError:
        abort(400)
    try:
        c = reviews.compare_versions(current_user, a, b)
    except NotFound:
        abort(404)
    except StudioError as e:
        flash(e.message, "error")
        return redirect(request.referrer or url_for("auth.index"))
    product = db.session.get(Product, c.a.product_id)
    labels = {name: (spec.label_en if _locale() == "en" else spec.label_id) for name, spec in FIELDS.items()}
    return render_template("review/compare.html", c=c, product=product, field_labels=labels,
                           option_names={k: str(v) for k, v in OPTION_NAMES.items()}, tag_name=tag_name,
                           attr_names={k: str(v) for k, v in ATTR_NAMES.items()},
                           status_of=status_text)
