"""Packaging (Kemasan): choose a pack and size, see the net, wrap or card with the design's
panels and a mockup, download the print PDF. Admins add pack sizes on ``/admin/kemasan``."""
from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..auth.views import field_errors
from ..designs import packaging as packs
from ..errors import NotFound, StudioError
from ..labels import STYLES
from ..packaging import TYPES
from .services import progress_for
from .views import STEP_ENDPOINTS, bp, load_own_product, load_product

KIND_NAMES = {"wrap": _l("Label keliling (toples/botol)"), "header": _l("Kartu header"),
              "box": _l("Kotak"), "pouch": _l("Stiker pouch")}
PANEL_NAMES = {"front": _l("Depan (panel utama)"), "back": _l("Panel informasi"), "side": _l("Samping"),
               "left": _l("Samping kiri"), "right": _l("Samping kanan"), "top": _l("Tutup atas"),
               "bottom": _l("Alas"), "lid_near": _l("Dinding tutup depan"), "lid_far": _l("Dinding tutup belakang"),
               "lid_left": _l("Dinding tutup kiri"), "lid_right": _l("Dinding tutup kanan")}
SEVERITY = {"BLOCKER": ("err", _l("Harus diperbaiki")), "ERROR": ("err", _l("Harus diperbaiki")),
            "WARNING": ("warn", _l("Periksa")), "INFO": ("", _l("Info"))}
SWITCHES = (("show_photo", _l("Foto produk")), ("show_qr", _l("Kode QR")), ("show_halal", _l("Halal")),
            ("show_ean", _l("Barcode")), ("show_nutrition", _l("Informasi Nilai Gizi")))


class PackForm(FlaskForm):
    action = HiddenField(default="start")
    pack_id = StringField(validators=[Optional(), Length(max=60)])
    style_id = StringField(validators=[Optional(), Length(max=40)])
    kind = HiddenField()


class PackSizeForm(FlaskForm):
    name = StringField(_l("Nama ukuran"), validators=[DataRequired(), Length(max=100)])
    pack_type = SelectField(_l("Jenis kemasan"), choices=[(t, t) for t in TYPES])


def _locale() -> str:
    return str(get_locale() or "id")


def _groups(locale: str) -> list[dict]:
    """Pack sizes grouped by type, in catalogue order."""
    out: dict[str, dict] = {}
    for p in sorted(packs.get_packs().values(), key=lambda p: (list(TYPES).index(p.type), p.id)):
        g = out.setdefault(p.type, {"type": p.type, "name": (p.type_name_en if locale == "en" else p.type_name_id)
                                    or packs.TYPE_NAMES[p.type][locale == "en"], "packs": []})
        g["packs"].append({"id": p.id, "name": p.name(locale), "kind": p.kind})
    return list(out.values())


def _findings(design, locale: str) -> list[dict]:
    out = []
    for f in design.findings or []:
        cls, label = SEVERITY.get(str(f.get("severity")), ("", f.get("severity")))
        panel = f.get("panel") or ""
        out.append({"text": f.get("message_en") if locale == "en" else f.get("message_id"), "cls": cls,
                    "label": label, "panel": str(PANEL_NAMES.get(panel, panel))})
    out.sort(key=lambda f: {"err": 0, "warn": 1}.get(f["cls"], 2))
    return out


@bp.route("/produk/<int:product_id>/kemasan", methods=["GET", "POST"])
@login_required
def pack(product_id: int):
    product = load_product(product_id)
    can_edit = current_user.id == product.owner_id or current_user.role == Role.ADMIN
    form = PackForm()
    if request.method == "POST":
        if not can_edit:
            abort(403)
        load_own_product(product_id)
        kind = form.kind.data or ""
        try:
            if not form.validate():
                raise StudioError(_("Periksa isian Anda."))
            if form.action.data == "start":
                design = packs.start_pack_design(current_user, product.id, form.pack_id.data or "",
                                                 form.style_id.data or None)
                kind = design.kind
                flash(_("Kemasan tersimpan. Lihat tampilannya di bawah."), "success")
            elif form.action.data == "options":
                opts = {name: bool(request.form.get(name)) for name, _label in SWITCHES}
                packs.update_pack_design(current_user, product.id, kind, style_id=form.style_id.data or None,
                                         options=opts)
            else:
                raise StudioError(_("Perubahan tidak dikenal."))
        except StudioError as e:
            flash(e.message, "error")
        return redirect(url_for("wizard.pack", product_id=product.id, jenis=kind or None))
    locale = _locale()
    facts, states = progress_for(product)
    designs = packs.list_pack_designs(product)
    kind = request.args.get("jenis")
    current = next((d for d in designs if d.kind == kind), designs[0] if designs else None)
    view = None
    if current is not None:
        snap = current.pack_snapshot or {}
        view = {"design": current, "kind": current.kind, "kind_name": KIND_NAMES.get(current.kind, current.kind),
                "pack_name": snap.get("name_en" if locale == "en" else "name_id", current.pack_id),
                "findings": _findings(current, locale), "options": current.options or {},
                "v": f"{current.id}-{current.updated_at.timestamp() if current.updated_at else 0:.0f}"}
    return render_template("wizard/pack.html", product=product, can_edit=can_edit, states=states,
                           endpoints=STEP_ENDPOINTS, groups=_groups(locale), designs=designs, view=view,
                           kind_names=KIND_NAMES, styles=list(STYLES.values()), switches=SWITCHES, locale=locale,
                           has_data=product.current_revision_id is not None, form=form)


def _pack_design(product_id: int, kind: str):
    product = load_product(product_id)
    try:
        return product, packs.get_pack_design(current_user, product.id, kind)
    except NotFound:
        abort(404)


def _filename(product, suffix: str, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", product.name).strip("-").lower() or "kemasan"
    return f"{stem}-{suffix}.{ext}"


@bp.route("/produk/<int:product_id>/kemasan/<kind>/jaring.png")
@login_required
def pack_net(product_id: int, kind: str):
    _product, design = _pack_design(product_id, kind)
    resp = current_app.response_class(packs.pack_net_png(design), mimetype="image/png")
    resp.headers["Cache-Control"] = "private, max-age=600"
    return resp


@bp.route("/produk/<int:product_id>/kemasan/<kind>/cetak.pdf")
@login_required
def pack_pdf(product_id: int, kind: str):
    product, design = _pack_design(product_id, kind)
    paper = request.args.get("kertas") or None
    if paper is not None and paper not in packs.PAPERS:
        abort(404)
    pdf = packs.render_pack_design_pdf(design, paper)
    resp = current_app.response_class(pdf, mimetype="application/pdf")
    name = _filename(product, f"{design.pack_id}-{(paper or 'ukuran-asli').lower()}", "pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@bp.route("/produk/<int:product_id>/kemasan/<kind>/mockup.<ext>")
@login_required
def pack_mockup(product_id: int, kind: str, ext: str):
    product, design = _pack_design(product_id, kind)
    if ext not in ("png", "jpg"):
        abort(404)
    data = packs.pack_mockup(design, fmt="JPEG" if ext == "jpg" else "PNG")
    resp = current_app.response_class(data, mimetype="image/jpeg" if ext == "jpg" else "image/png")
    resp.headers["Cache-Control"] = "private, max-age=600"
    if request.args.get("unduh"):
        resp.headers["Content-Disposition"] = f'attachment; filename="{_filename(product, "mockup", ext)}"'
    return resp


@bp.route("/admin/kemasan", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def pack_sizes():
    form = PackSizeForm()
    fields = sorted({k for _kind, req, opt in TYPES.values() for k in (*req, *opt)})
    if form.validate_on_submit():
        values = {}
        for k in fields:
            raw = (request.form.get(k) or "").strip().replace(",", ".")
            if raw:
                try:
                    values[k] = float(raw)
                except ValueError:
                    flash(_("%(f)s harus angka (mm).", f=k), "error")
                    break
        else:
            try:
                made = packs.add_custom_pack(current_user, form.pack_type.data, form.name.data, values)
            except StudioError as e:
                field_errors(form, e)
                if e.field not in ("name", "pack_type"):
                    flash(e.message, "error")
            else:
                flash(_("Ukuran kemasan \"%(n)s\" tersimpan.", n=made.name_id), "success")
                return redirect(url_for("wizard.pack_sizes"))
    type_fields = {t: {"required": req, "optional": opt} for t, (_k, req, opt) in TYPES.items()}
    return render_template("wizard/pack_sizes.html", form=form, groups=_groups(_locale()), fields=fields,
                           type_fields=type_fields, values=request.form)
