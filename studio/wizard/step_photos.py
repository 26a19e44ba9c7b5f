"""Wizard step 2 "Foto": upload, progress, before/after, main photo, correction page, photo files.

Views only translate HTTP: the rules live in ``studio.products.photos`` and the cleanup runs in
the ``photo.clean`` job. Every file is served after the same permission check as the product.
"""
from __future__ import annotations

import json

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..errors import Forbidden, Invalid, NotFound, StudioError
from ..forms import StudioForm
from ..media import media
from ..products import photos as svc
from .services import progress_for
from .views import STEP_ENDPOINTS, bp, load_own_product, load_product

STAGES = {
    "queued": _l("Menunggu giliran…"),
    "start": _l("Membuka foto…"),
    "preview": _l("Menyiapkan foto asli…"),
    "orient": _l("Menegakkan foto…"),
    "segment": _l("Mencari produk di foto…"),
    "correct_mask": _l("Memakai tanda dari Anda…"),
    "white_balance": _l("Menyeimbangkan warna…"),
    "exposure": _l("Mengatur terang foto…"),
    "crop": _l("Memotong foto…"),
    "rotate": _l("Memutar foto…"),
    "soft_shadow": _l("Menaruh produk di tengah…"),
    "square": _l("Menaruh produk di tengah…"),
    "sharpen": _l("Menajamkan foto…"),
    "cutout": _l("Membuat potongan untuk label…"),
    "saving": _l("Menyimpan hasil…"),
    "done": _l("Menyimpan hasil…"),
    "ready": _l("Selesai."),
    "failed": _l("Foto ini gagal diproses."),
}
# The cleanup as the photos page lists it while it runs: (code, words). Each engine stage belongs
# to one of these phases; the page marks the phases done, the current one, and those to come.
PHASES = [
    ("received", _l("Foto diterima")),
    ("open", _l("Membuka foto")),
    ("find", _l("Mencari produk")),
    ("colour", _l("Merapikan warna dan terang")),
    ("compose", _l("Menata foto katalog")),
    ("save", _l("Menyimpan hasil")),
]
STAGE_PHASE = {
    "queued": "received", "start": "open", "preview": "open", "orient": "open", "rotate": "open", "crop": "open",
    "segment": "find", "correct_mask": "find", "white_balance": "colour", "exposure": "colour",
    "soft_shadow": "compose", "square": "compose", "sharpen": "compose", "cutout": "compose",
    "saving": "save", "done": "save",
}
# When the busy card asks for news (ms, the last repeats): soon after the upload, every half second
# while a usual cleanup runs (3-6 s), then less often for a photo that waits its turn.
POLL_SCHEDULE_MS = (300, *(500,) * 16, *(1000,) * 10, *(2000,) * 5, 3000)

BACKGROUNDS = [("#ffffff", _l("Putih")), ("#eeeeee", _l("Abu-abu muda")), ("#f5eee2", _l("Krem")),
               ("#e3f1ee", _l("Hijau muda"))]
FILLS = [("0.7", _l("Kecil")), ("0.82", _l("Sedang")), ("0.92", _l("Besar"))]
ROTATE_CHOICES = [("0", _l("Tegak")), ("90", _l("Putar ke kanan")), ("180", _l("Terbalik")),
                  ("270", _l("Putar ke kiri"))]


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class PhotoUploadForm(StudioForm):
    photo = FileField(_l("Foto produk"), validators=[FileRequired(_l("Pilih foto dulu."))])
    kind = HiddenField(default=svc.PhotoKind.PACK)   # "contents": the food itself, for labels


class PhotoFixForm(StudioForm):
    marks = HiddenField()
    rotate = RadioField(_l("Putar hasil"), choices=_choices(ROTATE_CHOICES), default="0")
    shadow = BooleanField(_l("Bayangan lembut di bawah produk"))
    background = RadioField(_l("Warna latar"), choices=_choices(BACKGROUNDS), default="#ffffff")
    fill_ratio = RadioField(_l("Ukuran produk dalam foto"), choices=_choices(FILLS), default="0.82")


def stage_text(p: dict) -> str:
    """Plain words for a progress dict from :func:`svc.photo_progress`."""
    text = str(STAGES.get(p["stage"], _l("Sedang diproses…")))
    if p["stage"] == "queued" and p["waiting"]:
        text = _("Menunggu giliran (%(n)d foto lagi)…", n=p["waiting"])
        if (p.get("ready_in_s") or 0) >= 60:       # a long queue (one cleanup at a time): say how long
            text = _("Menunggu giliran (%(n)d foto lagi; selesai sekitar %(m)d menit lagi)…", n=p["waiting"],
                     m=max(1, round(p["ready_in_s"] / 60)))
    return text


def phase_of(p: dict) -> str:
    """The phase code (``PHASES``) a progress dict from :func:`svc.photo_progress` is in; "done"
    once the cleanup has finished (ready or failed)."""
    if p["finished"]:
        return "done"
    return STAGE_PHASE.get(p["stage"], "received" if p["status"] == svc.PhotoStatus.QUEUED else "open")


def phase_list(p: dict) -> list[dict]:
    """``PHASES`` with their state for the busy card: "done", "current" or "todo"."""
    codes = [code for code, _ in PHASES]
    phase = phase_of(p)
    current = codes.index(phase) if phase in codes else len(codes)
    return [{"code": code, "label": str(label), "state": "done" if i < current else "current" if i == current
             else "todo"} for i, (code, label) in enumerate(PHASES)]


def _load_photo(product_id: int, photo_id: int, *, with_job: bool = False):
    product = load_product(product_id)
    try:
        photo = svc.get_photo(current_user, photo_id, with_job=with_job)
    except NotFound:
        abort(404)
    if photo.product_id != product.id:
        abort(404)
    return product, photo


def _abort_for(e: StudioError):
    abort(404 if isinstance(e, NotFound) else 403 if isinstance(e, Forbidden) else 400)


def _photo_view(product, photo, can_edit: bool, progress: dict | None = None) -> dict:
    """What a template needs about one photo (URLs are versioned so a new result is not cached)."""
    version = f"{photo.job_id or 0}{(photo.status or 'q')[0]}"

    def url(kind: str, **kw) -> str:
        return url_for("wizard.photo_file", product_id=product.id, photo_id=photo.id, kind=kind, v=version, **kw)

    p = progress if progress is not None else svc.photo_progress(current_user, photo.id)
    return {
        "photo": photo, "ready": photo.status == svc.PhotoStatus.READY,
        "failed": photo.status == svc.PhotoStatus.FAILED, "busy": not p["finished"],
        "unusable": svc.photo_unusable(photo, locale=str(get_locale() or "id")),
        "primary": product.primary_photo_id == photo.id, "can_edit": can_edit,
        "contents": photo.kind == svc.PhotoKind.CONTENTS,
        "progress": p, "percent": int(round(p["progress"] * 20)) * 5, "message": stage_text(p),
        "phases": phase_list(p), "poll_schedule": " ".join(str(ms) for ms in POLL_SCHEDULE_MS),
        "preview_url": url("preview") if media().exists(svc.preview_key(photo)) else None,
        "after_url": url("thumb-600"), "catalogue_url": url("catalogue"), "cutout_small_url": url("cutout-small"),
        "cutout_frame_url": url("cutout-frame"),
        "cutout_url": url("cutout", unduh=1), "original_url": url("original") if can_edit else None,
        "status_url": url_for("wizard.photo_status", product_id=product.id, photo_id=photo.id),
        "fix_url": url_for("wizard.photo_fix", product_id=product.id, photo_id=photo.id),
    }


def _stream_size(stream, head: bytes) -> int:
    """The uploaded file's whole size (Werkzeug has spooled it already), for an honest "too large"."""
    try:
        return max(len(head), stream.seek(0, 2))
    except (OSError, ValueError, AttributeError):
        return len(head)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _can_edit(product) -> bool:
    return current_user.role == Role.ADMIN or product.owner_id == current_user.id


@bp.route("/produk/<int:product_id>/foto", methods=["GET", "POST"])
@login_required
def photos(product_id: int):
    product = load_product(product_id)
    form = PhotoUploadForm()
    status = 200
    if request.method == "POST":
        product = load_own_product(product_id)
        if form.validate_on_submit():
            upload = form.photo.data
            kind = form.kind.data or svc.PhotoKind.PACK
            data = upload.stream.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)   # bounded read
            try:
                photo = svc.add_photo(current_user, product.id, data, upload.filename or "",
                                      locale=str(get_locale() or "id"), size_bytes=_stream_size(upload.stream, data),
                                      kind=kind)
            except (NotFound, Forbidden) as e:
                _abort_for(e)
            except StudioError as e:
                form.photo.errors = list(form.photo.errors) + [e.message]
            else:
                if photo.kind == svc.PhotoKind.CONTENTS:
                    flash(_("Foto isi diterima. Label memakai foto ini; katalog tetap memakai foto kemasan."), "success")
                else:
                    flash(_("Foto diterima. Studio sedang merapikannya, tunggu sebentar."), "success")
                small = svc.small_photo_warning(photo)
                if small:
                    flash(small, "warning")
                target = url_for("wizard.photos", product_id=product.id, _anchor=f"foto-{photo.id}")
                return jsonify(url=target) if _wants_json() else redirect(target)
        if _wants_json():   # photos.js uploads with progress and shows the reason itself
            return jsonify(errors=[str(e) for e in form.photo.errors] or [_("Pilih foto dulu.")]), 400
        status = 400
    facts, states = progress_for(product)
    can_edit = _can_edit(product)
    listed = svc.list_photos(current_user, product.id)
    progress = svc.photos_progress(current_user, listed)     # a fixed number of queries for the page
    items = [_photo_view(product, ph, can_edit, progress[ph.id]) | {"number": n}
             for n, ph in enumerate(listed, start=1)]
    next_url = None
    if can_edit and facts.has_primary_photo and not facts.has_product_data:
        from .step_product import first_open_section   # the photo comes early: then the data

        next_url = url_for("wizard.product_data", product_id=product.id, bagian=first_open_section(product))
    elif can_edit and facts.has_primary_photo and "wizard.design" in current_app.view_functions:
        next_url = url_for("wizard.design", product_id=product.id)
    contents_errors: list = []
    if form.kind.data == svc.PhotoKind.CONTENTS:   # a refused contents photo: its errors show on its card
        contents_errors, form.photo.errors = list(form.photo.errors), []
    form.kind.data = svc.PhotoKind.PACK
    return render_template("wizard/photos.html", product=product, form=form, items=items, states=states,
                           contents_errors=contents_errors, contents_kind=svc.PhotoKind.CONTENTS,
                           endpoints=STEP_ENDPOINTS, facts=facts, can_edit=can_edit, next_url=next_url,
                           max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                           max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
                           max_photos=svc.MAX_PHOTOS_PER_PRODUCT), status


@bp.route("/produk/<int:product_id>/foto/<int:photo_id>/status")
@login_required
def photo_status(product_id: int, photo_id: int):
    """JSON for app.js's ``data-poll-url``: {progress, message, finished, status, phase, next_ms}.

    ``next_ms``: the least wait before asking again. A photo waiting its turn behind others is asked
    about less often (1 s per photo ahead, at most 5 s), so thirty producers uploading at once do not
    flood the server; a running one follows the page's schedule (0).
    """
    # keep the loaded rows referenced: the session's identity map holds them weakly, and
    # photo_progress asks for the same photo (and its product, for the permission) again
    _product, photo = _load_photo(product_id, photo_id, with_job=True)
    p = svc.photo_progress(current_user, photo.id)
    queued = not p["finished"] and p["stage"] == "queued"
    resp = jsonify(progress=p["progress"], message=stage_text(p), finished=p["finished"], status=p["status"],
                   phase=phase_of(p), next_ms=min(5000, 1000 * (p["waiting"] + 1)) if queued else 0)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/produk/<int:product_id>/foto/<int:photo_id>/berkas/<kind>")
@login_required
def photo_file(product_id: int, photo_id: int, kind: str):
    """One stored image of a photo, after the permission check (never another producer's)."""
    _product, photo = _load_photo(product_id, photo_id)
    try:
        key, mime = svc.photo_file(current_user, photo.id, kind)
    except NotFound:
        abort(404)
    download = kind == "original" or bool(request.args.get("unduh"))
    ext = key.rsplit(".", 1)[-1]
    names = {"original": "asli", "cutout": "potongan", "catalogue": "katalog", "mask": "masker"}
    resp = send_file(media().path(key), mimetype=mime, as_attachment=download,
                     download_name=f"foto-{photo.id}-{names.get(kind, kind)}.{ext}", conditional=True)
    # Private: these need a login. A versioned URL (?v=) may be cached; the bare one is revalidated.
    resp.headers["Cache-Control"] = "private, max-age=86400" if request.args.get("v") else "private, no-cache"
    return resp


@bp.route("/produk/<int:product_id>/foto/<int:photo_id>/utama", methods=["POST"])
@role_required(Role.PRODUCER, Role.ADMIN)
def photo_primary(product_id: int, photo_id: int):
    _load_photo(product_id, photo_id)
    try:
        svc.set_primary_photo(current_user, photo_id)
    except (NotFound, Forbidden) as e:
        _abort_for(e)
    except StudioError as e:
        flash(e.message, "error")
    else:
        flash(_("Foto utama sudah dipilih."), "success")
    return redirect(url_for("wizard.photos", product_id=product_id, _anchor=f"foto-{photo_id}"))


@bp.route("/produk/<int:product_id>/foto/<int:photo_id>/hapus", methods=["POST"])
@role_required(Role.PRODUCER, Role.ADMIN)
def photo_delete(product_id: int, photo_id: int):
    _load_photo(product_id, photo_id)
    try:
        svc.delete_photo(current_user, photo_id)
    except StudioError as e:
        _abort_for(e)
    flash(_("Foto sudah dihapus."), "success")
    return redirect(url_for("wizard.photos", product_id=product_id))


def _fix_form(corrections: dict) -> PhotoFixForm:
    form = PhotoFixForm()
    if request.method == "GET":
        form.rotate.data = str(corrections["rotate"])
        form.shadow.data = corrections["shadow"]
        form.background.data = corrections["background"]
        form.fill_ratio.data = _fill_choice(corrections["fill_ratio"])
    # Values made elsewhere (CLI, an older version) stay selectable instead of failing validation.
    if corrections["background"] not in dict(BACKGROUNDS):
        form.background.choices = _choices([*BACKGROUNDS, (corrections["background"], _l("Warna sekarang"))])
    fill = _fill_choice(corrections["fill_ratio"])
    if fill not in dict(FILLS):
        form.fill_ratio.choices = _choices([*FILLS, (fill, _l("Ukuran sekarang"))])
    return form


def _fill_choice(value) -> str:
    return f"{float(value):g}"


def _corrections_from_form(form: PhotoFixForm) -> dict:
    try:
        marks = json.loads(form.marks.data or "{}")
    except (ValueError, RecursionError):   # broken, or nested deeper than any editor sends (issue 21)
        marks = None
    if not isinstance(marks, dict):
        raise Invalid(_("Tanda pada foto tidak terbaca. Coba tandai lagi."), field="marks")
    return {"box": marks.get("box"), "fg_points": marks.get("fg_points"), "bg_points": marks.get("bg_points"),
            "crop": marks.get("crop"), "rotate": form.rotate.data, "shadow": form.shadow.data,
            "background": form.background.data, "fill_ratio": form.fill_ratio.data}


@bp.route("/produk/<int:product_id>/foto/<int:photo_id>/perbaiki", methods=["GET", "POST"])
@login_required
def photo_fix(product_id: int, photo_id: int):
    """Correction page: box, product/background marks, crop, rotation, shadow, background colour."""
    product, photo = _load_photo(product_id, photo_id)
    can_edit = _can_edit(product)
    corrections = svc.corrections_from_steps(photo.steps)
    form = _fix_form(corrections)
    status = 200
    if request.method == "POST":
        if not can_edit:
            abort(403)
        action = request.form.get("action", "apply")
        try:
            if action == "auto":
                new = {}
            elif action == "retry":
                new = corrections
            elif form.validate_on_submit():
                new = _corrections_from_form(form)
            else:
                raise Invalid(_("Periksa pilihan Anda lalu coba lagi."))
            svc.correct_photo(current_user, photo.id, new, locale=str(get_locale() or "id"))
        except (NotFound, Forbidden) as e:
            _abort_for(e)
        except StudioError as e:
            flash(e.message, "error")
            status = 400
        else:
            flash(_("Perbaikan diterima. Foto sedang dibersihkan ulang."), "success")
            return redirect(url_for("wizard.photo_fix", product_id=product.id, photo_id=photo.id, _anchor="hasil"))
    facts, states = progress_for(product)
    item = _photo_view(product, photo, can_edit)
    return render_template("wizard/photos_fix.html", product=product, item=item, photo=photo, form=form,
                           corrections=corrections, states=states, endpoints=STEP_ENDPOINTS,
                           can_edit=can_edit), status
