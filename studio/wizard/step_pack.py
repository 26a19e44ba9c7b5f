"""The producer's packaging step (Kemasan): choose a pack and size, see the net, wrap or card with
the design's panels and a mockup. The pack designs, their pictures and PDF and the admin's pack
sizes are the ``packs`` feature (studio/packs)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from ..auth.access import login_required
from ..auth.models import Role
from ..errors import StudioError
from ..forms import StudioForm
from ..labels import STYLES
from ..packs import services as packs
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


class PackForm(StudioForm):
    action = HiddenField(default="start")
    pack_id = StringField(validators=[Optional(), Length(max=60)])
    style_id = StringField(validators=[Optional(), Length(max=40)])
    kind = HiddenField()


def _locale() -> str:
    return str(get_locale() or "id")


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
                           endpoints=STEP_ENDPOINTS, groups=packs.pack_groups(locale), designs=designs, view=view,
                           kind_names=KIND_NAMES, styles=list(STYLES.values()), switches=SWITCHES, locale=locale,
                           has_data=product.current_revision_id is not None, form=form)
