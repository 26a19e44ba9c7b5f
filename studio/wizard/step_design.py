"""Step 3, label design: pick a stock and a style, colours, fonts, fields, logo; move elements;
live preview (the print PDF rasterised); print-shop and sheet PDF downloads.

Works without JavaScript (every change is a small form post); ``static/js/design.js`` posts the
same forms with fetch, asks for JSON and swaps the preview, the problems and the element frames.
"""
from __future__ import annotations

import hashlib
import json
import re

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..designs import advisor, assets, brand, gates
from ..designs import render as design_render
from ..designs import services as designs
from ..designs.forms import FIELD_SWITCHES, DesignActionForm, LogoForm, SheetForm
from ..designs.stock import paper_name, sorted_layouts
from ..errors import StudioError
from ..labels import BRAND_PRESETS, STYLES, LabelDocument, layout_from_dict, sets_per_page, slot_origins_mm
from .services import progress_for
from .steps import Step, blockers
from .step_product import first_open_section
from .views import STEP_ENDPOINTS, bp, load_own_product, load_product

# What producers call each element of a label (document tags): the gates' words, one table.
TAG_NAMES = gates.PART_NAMES
SEVERITY = {"blocker": ("err", _l("Harus diperbaiki")), "error": ("err", _l("Perbaiki")),
            "warning": ("warn", _l("Periksa")), "info": ("", _l("Info"))}
FONT_SAMPLES = {"modern": "Noto Sans", "klasik": "Noto Serif + Noto Sans", "ramah": "Lato",
                "tegas": "Open Sans Condensed + Open Sans", "elegan": "Noto Serif"}


def _locale() -> str:
    return str(get_locale() or "id")


def tag_name(tag: str) -> str:
    return str(TAG_NAMES.get(tag.split("#")[0], tag))


def _finding_view(f: dict) -> dict:
    text = f.get("message_en") if _locale() == "en" else f.get("message_id")
    tag = f.get("tag") or ""
    if tag:
        text = (text or "").replace(f"'{tag}'", f"“{tag_name(tag)}”")
    sev = str(f.get("severity") or "").lower()
    cls, label = SEVERITY.get(sev, ("", sev))
    return {"text": text, "cls": cls, "label": label, "tag": tag, "element": tag_name(tag) if tag else "",
            "rank": {"blocker": 0, "error": 1, "warning": 2}.get(sev, 3)}


def _elements(design) -> list[dict]:
    """Movable elements (first item of each tag; companions like ``price.bg`` move with their owner).
    A label set's stickers are not moved element by element (none)."""
    if designs.set_id_of(design.document):
        return []
    doc = LabelDocument.from_dict(design.document)
    tags: dict[str, object] = {}
    for it in doc.items:
        if it.tag and it.tag not in ("decor", "background") and it.tag not in tags:
            tags[it.tag] = it.box
    out = []
    for tag, box in tags.items():
        if any(tag.startswith(other + ".") for other in tags if other != tag):
            continue
        out.append({"tag": tag, "name": tag_name(tag), "x_mm": round(box.x_mm, 1), "y_mm": round(box.y_mm, 1),
                    "w_mm": round(box.w_mm, 1), "h_mm": round(box.h_mm, 1)})
    return out


def _preview_version(product, design) -> str:
    blob = json.dumps([design.document, design.layout_snapshot, design.product_revision_id,
                       sorted(assets.image_keys(product).values())], sort_keys=True)
    return hashlib.sha1(blob.encode()).hexdigest()[:12]


def _state(product, design, *, just_saved: bool = False) -> dict:
    """What the page (and the JSON answer for design.js) shows about the current design. Right
    after a save the stored findings are fresh; a page view recomputes them (photo, logo or
    data may have changed since)."""
    raw = (design.findings or []) if just_saved else designs.design_findings(design) if design else []
    findings = [_finding_view(f) for f in raw]
    findings.sort(key=lambda f: f["rank"])
    snap = design.layout_snapshot if design else {}
    return {
        "findings": findings,
        # what the send card reads: these findings, not the count stored with the design (checked
        # before, e.g. before the admin uploaded the official halal logo)
        "blockers": designs.count_blockers(raw),
        "preview_url": url_for("wizard.design_preview", product_id=product.id, v=_preview_version(product, design))
        if design else None,
        "elements": _elements(design) if design else [],
        "label_w_mm": designs.picture_size_mm(design)[0] if design else None,
        "label_h_mm": designs.picture_size_mm(design)[1] if design else None,
        "safe_margin_mm": snap.get("safe_margin_mm"),
    }


def _gallery_styles(design_row, product) -> list:
    """The styles the gallery shows: the template families (issue 17), plus the classic colour skin
    the design uses or the product's category suggests (each picture is a rendered label: eleven
    would make the page heavy; the classic ids still work for every stored design)."""
    keep = {design_row.style_id} if design_row is not None else set()
    if product.current_revision_id:
        keep.add(designs.default_style(product))
    return [s for s in STYLES.values() if s.family or s.id in keep]


def _stock_cards(layouts, advice=None) -> list[dict]:
    """The stock picker's cards: in the advisor's order (stocks that hold every mandatory item, as
    one label or as a front + back pair, first) when there is advice, else the catalogue order.
    Each card has the advice for one label (``advice``) and for the best label set (``pair``: a
    front + back pair, or front + two backs where only those hold everything)."""
    by_id = {a.layout_id: a for a in advice or [] if not a.is_set}
    pairs: dict = {}
    for a in advice or []:          # best first: the pair, or front + two backs where only those fit
        if a.is_set:
            pairs.setdefault(a.layout_id, a)
    seen: set[str] = set()
    ordered = []
    for a in advice or []:
        if a.layout_id in layouts and a.layout_id not in seen:
            seen.add(a.layout_id)
            ordered.append(layouts[a.layout_id])
    ordered += [lay for lay in sorted_layouts(layouts) if lay.id not in seen]
    cards = []
    for lay in ordered:
        if lay.kind == "roll":
            view_w, view_h, slots = lay.label_w_mm, lay.label_h_mm, [(0.0, 0.0)]
        else:
            view_w, view_h, slots = lay.paper_w_mm, lay.paper_h_mm, slot_origins_mm(lay)
        cards.append({"layout": lay, "paper": paper_name(lay), "slots": slots, "view_w": view_w,
                      "view_h": view_h, "per_sheet": lay.slots_per_page,
                      "size": f"{lay.label_w_mm:g} × {lay.label_h_mm:g} mm".replace(".", ","),
                      "advice": by_id.get(lay.id), "pair": pairs.get(lay.id)})
    return cards


def _changes_from(form: DesignActionForm, design, product=None) -> designs.DesignChanges:
    action = form.action.data
    if action == "colours" and form.preset.data == "foto" and product is not None:
        return brand.photo_palette_changes(product)
    if action == "stock":
        return designs.DesignChanges(layout_id=form.layout_id.data or None, label_set=form.label_set.data or None)
    if action == "label_set":
        return designs.DesignChanges(label_set=form.label_set.data or "single")
    if action == "style":
        return designs.DesignChanges(style_id=form.style_id.data or None)
    if action == "colours":
        if form.preset.data and form.preset.data != "custom":
            return designs.DesignChanges(options={"preset": form.preset.data, "primary": None, "accent": None,
                                                  "text": None})
        return designs.DesignChanges(options={"primary": form.primary.data or None,
                                              "accent": form.accent.data or None, "text": form.text.data or None})
    if action == "fonts":
        return designs.DesignChanges(options={"pairing": form.pairing.data or None})
    if action == "fields":
        return designs.DesignChanges(options={name: bool(form[name].data) for name, _label in FIELD_SWITCHES})
    if action == "move":
        tag = form.tag.data or ""
        current = next((e for e in _elements(design) if e["tag"] == tag), None)
        if current is None:
            raise StudioError(_("Pilih elemen yang akan dipindah."), field="tag")
        box = {k: float(form[k].data) if form[k].data is not None else current[k]
               for k in ("x_mm", "y_mm", "w_mm", "h_mm")}
        if form.nudge.data:
            dx, dy, dw, dh = (float(v) for v in form.nudge.data.split(","))
            box = {"x_mm": current["x_mm"] + dx, "y_mm": current["y_mm"] + dy,
                   "w_mm": max(2.0, current["w_mm"] + dw), "h_mm": max(2.0, current["h_mm"] + dh)}
        return designs.DesignChanges(move=(tag, box))
    if action == "reset_moves":
        return designs.DesignChanges(reset_moves=True)
    if action == "refresh":
        return designs.DesignChanges()
    raise StudioError(_("Perubahan tidak dikenal."))


def _preview_with_change() -> bool:
    """Whether a change answered in JSON draws its new preview itself. The editor GETs that preview
    next; with several server processes (the scaled stack: several gunicorn workers, jobs on Celery)
    the GET often lands on another process, which would compose the label again, so the change
    draws it now with the label it just composed (kept in this process) into the shared content
    cache, and the GET is a cache hit. With one process (embedded) the GET finds the composed label
    anyway, and drawing in the change would only read the cache twice. Setting
    ``EDITOR_PREVIEW_WITH_CHANGE`` (default: on when jobs run on Celery)."""
    value = current_app.config.get("EDITOR_PREVIEW_WITH_CHANGE")
    return current_app.config.get("JOBS_MODE") == "celery" if value is None else bool(value)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/produk/<int:product_id>/desain", methods=["GET", "POST"])
@login_required
def design(product_id: int):
    product = load_product(product_id)
    can_edit = current_user.id == product.owner_id or current_user.role == Role.ADMIN
    design_row = designs.find_design(product)
    form = DesignActionForm()
    if request.method == "POST":
        if not can_edit:
            abort(403)
        load_own_product(product_id)
        error = None
        if not form.validate():
            error = next(iter(e for errs in form.errors.values() for e in errs), _("Periksa isian Anda."))
        else:
            try:
                if design_row is None or form.action.data == "start":
                    design_row = designs.start_design(current_user, product.id, form.layout_id.data or "",
                                                      form.style_id.data or "", label_set=form.label_set.data or None)
                else:
                    design_row = designs.update_design(current_user, design_row.id,
                                                        _changes_from(form, design_row, product))
            except StudioError as e:
                error = e.message
        if _wants_json():
            if error is None and design_row is not None and _preview_with_change():
                design_render.render_preview_png(design_row)
            body = _state(product, design_row, just_saved=error is None) if design_row else {}
            body.update(ok=error is None, error=error)
            if design_row is not None:
                body["findings_html"] = render_template("wizard/_design_findings.html",
                                                        findings=body["findings"])
            return jsonify(body), (200 if error is None else 400)
        if error:
            flash(error, "error")
        return redirect(url_for("wizard.design", product_id=product.id) + "#" + (form.action.data or "atas"))
    facts, states = progress_for(product)
    gate = blockers(Step.DESIGN, facts)
    layouts = designs.get_layouts()
    advice: list | None = []
    if product.current_revision_id and not gate:
        # the stock advice composes the label on every stock (seconds under load): the page does not
        # wait for it unless asked (?saran=1, the no-JavaScript link); the start page starts the job
        # at once, the editor when its stock panel asks (advice.js polls design_stock_advice)
        advice = advisor.advise(product, design_row) if request.args.get("saran") == "1" else \
            advisor.request_advice(product, design_row, submit=design_row is None)
    advice_pending = advice is None
    advice = advice or []
    opts = designs.design_options(design_row) if design_row else designs.default_options(product) \
        if product.current_revision_id else None
    return render_template(
        "wizard/design.html", product=product, design=design_row, can_edit=can_edit, gate=gate,
        states=states, endpoints=STEP_ENDPOINTS, form=form, state=_state(product, design_row),
        stocks=_stock_cards(layouts, advice), styles=_gallery_styles(design_row, product), presets=BRAND_PRESETS, opts=opts,
        pairings=current_app.extensions["studio.fonts"].pairings, font_samples=FONT_SAMPLES,
        switches=FIELD_SWITCHES, locale=_locale(), sheet_form=SheetForm(formdata=None),
        logo_form=LogoForm(), has_logo="logo" in assets.image_keys(product),
        photo_palette=brand.photo_palette(product) if design_row is not None and can_edit else None,
        has_halal_logo="halal_logo" in assets.image_keys(product),
        advice_pending=advice_pending, default_layout=_default_layout(advice, advice_pending),
        gallery_layout=_default_layout(advice, advice_pending) or advisor.fallback_stock(),
        default_set="" if advice_pending else next((a.label_set for a in advice if a.fits), "single"),
        label_set=designs.set_id_of(design_row.document) if design_row else None,
        sheet_sets=_sheet_sets(design_row),
        default_style=designs.default_style(product, layouts.get(_default_layout(advice, advice_pending) or ""))
        if product.current_revision_id else designs.DEFAULT_STYLE,
        outdated=bool(design_row and design_row.product_revision_id != product.current_revision_id),
        current_layout=layouts.get(design_row.layout_id) if design_row else None, facts=facts,
        data_url=(url_for("wizard.product_data", product_id=product.id, bagian=first_open_section(product))
                  if can_edit and not facts.has_product_data else None))


def _sheet_sets(design_row) -> int:
    """What one sheet of the design's stock holds: whole label sets (a set of 3 stickers on 14 slots:
    4), or labels. The sheet form's default count and its last start."""
    if design_row is None or not design_row.layout_snapshot:
        return 0
    set_id = designs.set_id_of(design_row.document)
    lay = layout_from_dict(design_row.layout_snapshot, id=design_row.layout_id)
    return sets_per_page(lay, len(designs.LABEL_SETS[set_id]) if set_id else 1)


def _default_layout(advice: list, pending: bool) -> str:
    """The stock the start form checks: the best that holds everything; none while the advice is
    still computed (starting then takes the advisor's best, see ``designs.start_design``)."""
    if pending:
        return ""
    return next((a.layout_id for a in advice if a.fits), None) or advisor.fallback_stock()


@bp.route("/produk/<int:product_id>/desain/kertas")
@login_required
def design_stock_advice(product_id: int):
    """The stock cards with the advice (JSON ``{ready, html, default_layout, default_set}``), or
    ``{ready: false}`` (202) while the job computes it; the first ask starts the job."""
    product = load_product(product_id)
    design_row = designs.find_design(product)
    advice = advisor.request_advice(product, design_row) if product.current_revision_id else []
    if advice is None:
        return jsonify(ready=False), 202
    checked = design_row.layout_id if design_row else _default_layout(advice, False)
    html = render_template("wizard/_design_stock_grid.html", stocks=_stock_cards(designs.get_layouts(), advice),
                           checked_layout=checked, product=product)
    return jsonify(ready=True, html=html, default_layout=checked,
                   default_set=next((a.label_set for a in advice if a.fits), "single"))


def _design_or_404(product_id: int):
    product = load_product(product_id)
    design_row = designs.find_design(product)
    if design_row is None:
        abort(404)
    return product, design_row


@bp.route("/produk/<int:product_id>/desain/pratinjau.png")
@login_required
def design_preview(product_id: int):
    _product, design_row = _design_or_404(product_id)
    resp = current_app.response_class(design_render.render_preview_png(design_row), mimetype="image/png")
    resp.headers["Cache-Control"] = "private, max-age=86400"
    return resp


GALLERY_LONG_SIDE_PX = 600   # the gallery's pictures: sharp at a phone's width (about 300 CSS px at 2x)


def _gallery_png(design, style_id: str):
    """A gallery picture: ``design`` (saved, or a sample never saved) in ``style_id``, its long side
    GALLERY_LONG_SIDE_PX (sharp on a phone)."""
    w_mm, h_mm = designs.picture_size_mm(design)
    dpi = max(72.0, min(300.0, GALLERY_LONG_SIDE_PX / ((max(w_mm, h_mm) or 50.0) / 25.4)))
    resp = current_app.response_class(design_render.style_preview_png(design, style_id, dpi=dpi),
                                      mimetype="image/png")
    resp.headers["Cache-Control"] = "private, max-age=600"
    return resp


@bp.route("/produk/<int:product_id>/desain/gaya/<style_id>.png")
@login_required
def design_style_thumb(product_id: int, style_id: str):
    _product, design_row = _design_or_404(product_id)
    if style_id not in STYLES:
        abort(404)
    return _gallery_png(design_row, style_id)


@bp.route("/produk/<int:product_id>/desain/contoh/<layout_id>/<style_id>.png")
@login_required
def design_sample_thumb(product_id: int, layout_id: str, style_id: str):
    """The gallery before a design exists: this product on stock ``layout_id`` in ``style_id``; with
    ``?set=front_back`` the label set's front and back side by side (the producer's choice of
    "Jenis label")."""
    product = load_product(product_id)
    if style_id not in STYLES:
        abort(404)
    try:
        sample = brand.sample_design(product, layout_id, style_id, request.args.get("set") or "single")
    except StudioError:
        abort(404)
    return _gallery_png(sample, style_id)


def _filename(product, suffix: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", product.name).strip("-").lower() or "label"
    return f"{stem}-{suffix}.pdf"


@bp.route("/produk/<int:product_id>/desain/label.pdf")
@login_required
def design_pdf(product_id: int):
    product, design_row = _design_or_404(product_id)
    try:
        pdf = design_render.render_design_pdf(design_row, "printshop")
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("wizard.design", product_id=product.id) + "#unduh")
    resp = current_app.response_class(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{_filename(product, "percetakan")}"'
    return resp


@bp.route("/produk/<int:product_id>/desain/lembar.pdf")
@login_required
def design_sheet_pdf(product_id: int):
    product, design_row = _design_or_404(product_id)
    form = SheetForm(request.args)
    if not form.validate():
        flash(_("Jumlah label antara 1 dan 5000; label pertama mulai dari 1."), "error")
        return redirect(url_for("wizard.design", product_id=product.id) + "#unduh")
    try:
        pdf = design_render.render_design_pdf(design_row, "sheet", copies=form.copies.data,
                                        first_slot=(form.first.data or 1) - 1)
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("wizard.design", product_id=product.id) + "#unduh")
    resp = current_app.response_class(pdf, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{_filename(product, "lembar")}"'
    return resp


@bp.route("/produk/<int:product_id>/desain/logo", methods=["POST"])
@role_required(Role.PRODUCER, Role.ADMIN)
def design_logo(product_id: int):
    product = load_own_product(product_id)
    form = LogoForm()
    if form.validate_on_submit():
        try:
            f = form.file.data
            assets.upload_producer_logo(current_user, product.owner_id, f.read(), f.filename or "",
                                        locale=str(get_locale() or "id"))
            design_row = designs.find_design(product)
            if design_row is not None:
                designs.update_design(current_user, design_row.id, designs.DesignChanges(options={"show_logo": True}))
            flash(_("Logo tersimpan dan dipasang di label."), "success")
        except StudioError as e:
            flash(e.message, "error")
    else:
        for errs in form.errors.values():
            for e in errs:
                flash(str(e), "error")
    return redirect(url_for("wizard.design", product_id=product.id) + "#logo")
