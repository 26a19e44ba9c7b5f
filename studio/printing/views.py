"""Hub operator pages: the print queue, the job form with the sheet picture, job progress and
download, printers and calibration."""
from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.access import role_required
from ..auth.models import Role, User
from ..auth.views import field_errors
from ..designs.models import DesignVersion
from ..designs.stock import get_layouts, paper_name, sorted_layouts
from ..errors import NotFound, StudioError
from ..extensions import db
from ..jobs import Job
from ..labels import layout_from_dict
from ..labels.imposition import sets_per_page
from ..labels.preview import render_preview_png
from ..media import media, media_response
from ..products.models import Product
from . import history, services
from .forms import CalibrationForm, ConfirmForm, JobForm, PrinterForm
from .geometry import Measurement, default_quantity, nominal_spans_mm, plan_quantity, sheet_picture, sheet_summary
from .models import PrintJob
from .printers import calibration_row, reset_calibration
from .render import panel_count

bp = Blueprint("hub", __name__, url_prefix="/hub")
HUB = (Role.HUB, Role.ADMIN)
SHEET_PICTURE_DPI = 100     # the job form's picture of the first sheet (an A4 page: ~830 x 1170 px)


def _pdf(data: bytes, name: str, inline: bool = False) -> Response:
    disp = "inline" if inline else "attachment"
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'{disp}; filename="{name}"', "Cache-Control": "no-store"})


@bp.route("/")
@role_required(*HUB)
def home():
    queue = services.list_queue(current_user)
    per_day, per_producer = history.hub_totals(current_user)
    return render_template("hub/home.html", queue=[q for q in queue if not q.problems],
                           held=[q for q in queue if q.problems], jobs=services.list_jobs(current_user, limit=20),
                           per_day=per_day, per_producer=per_producer)


def _job_form() -> JobForm:
    layouts = sorted_layouts(get_layouts())
    form = JobForm()
    form.layout_id.choices = [(lay.id, f"{lay.name} ({paper_name(lay)})") for lay in layouts]
    form.printer_id.choices = [(0, _("Tanpa profil printer (tanpa koreksi)"))] + [
        (p.id, f"{p.name} · {p.kind} · {p.dpi} dpi") for p in services.active_printers()]
    return form


@bp.route("/cetak/<int:version_id>", methods=["GET", "POST"])
@role_required(*HUB)
def new_job(version_id: int):
    try:
        version = services.get_printable_version(current_user, version_id)
    except NotFound:
        abort(404)      # not approved (the hub never sees drafts) or no such version
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("hub.home"))
    # the page, and the label texts the submit checks, name the producer (owner and business): read
    # with the version (services.get_printable_version), then from the identity map
    product = db.session.get(Product, version.product_id)
    form = _job_form()
    defaults = None
    if request.method == "GET":
        defaults = services.batch_defaults(version)
        form.request_key.data = uuid.uuid4().hex
        form.layout_id.data = request.args.get("stok") or version.layout_id
        form.start_slot.data = request.args.get("mulai", type=int) or 1
        form.batch_code.data = defaults.batch_code
        form.production_date.data = defaults.production_date
        form.expiry_date.data = defaults.expiry_date
        lay = get_layouts().get(form.layout_id.data)
        chosen = services.default_printer(current_user, lay) if lay is not None else None
        form.printer_id.data = chosen.id if chosen is not None else 0
    status = 200
    if form.validate_on_submit():
        qty = {"sheets": form.quantity.data} if form.qty_mode.data == "sheets" else {"copies": form.quantity.data}
        lay = get_layouts().get(form.layout_id.data)
        if lay is not None and form.printer_id.data:
            # a printer that does not print this kind of stock (a thermal printer remembered on a sheet
            # stock): a fitting one is used and the operator is told, rather than a refused form
            chosen, note = services.fitting_printer(current_user, lay, form.printer_id.data)
            if note:
                form.printer_id.data = chosen.id if chosen is not None else 0
                flash(note, "warning")
        try:
            pj = services.create_print_job(
                current_user, version.id, request_key=form.request_key.data, layout_id=form.layout_id.data,
                first_slot=form.start_slot.data - 1, batch_code=form.batch_code.data or "",
                production_date=form.production_date.data, expiry_date=form.expiry_date.data,
                printer_id=form.printer_id.data or None, locale=str(get_locale() or "id"), **qty)
        except StudioError as e:
            if e.field in ("first_slot",):
                e.field = "start_slot"
            elif e.field in ("copies", "sheets"):
                e.field = "quantity"
            field_errors(form, e)
            status = 400
        else:
            return redirect(url_for("hub.job", job_id=pj.id))
    elif request.method == "POST":
        status = 400
    defaults = defaults or services.batch_defaults(version)      # the page again (a POST refused)
    layouts = get_layouts()
    layout = layouts.get(form.layout_id.data) or layout_from_dict(version.layout_snapshot, id=version.layout_id)
    panels = panel_count(version)       # a label set: the start, the count and the sheet picture count sets
    per_page = sets_per_page(layout, panels)
    first = max(0, min((form.start_slot.data or 1) - 1, per_page - 1))
    if request.method == "GET":     # one full sheet (from the start slot), or a batch on a roll
        form.quantity.data = default_quantity(layout, first, panels)
    try:
        copies = plan_quantity(layout, first, panels=panels,
                               **({"sheets": form.quantity.data} if form.qty_mode.data == "sheets"
                                  else {"copies": form.quantity.data or 1})).copies
    except (ValueError, TypeError):
        copies = 1
    if panels > 1:
        form.start_slot.label.text = _("Mulai di set nomor")
        form.qty_mode.choices = [("labels", _("set")), ("sheets", _("lembar penuh"))]
    wrong_stock = services.stock_problem(version, layout)
    picture = None
    if not wrong_stock:
        picture = url_for("hub.first_sheet_png", version_id=version.id, stok=layout.id, mulai=first + 1,
                          jumlah=copies, kode=form.batch_code.data or "", printer=form.printer_id.data or 0,
                          produksi=_iso(form.production_date.data), kedaluwarsa=_iso(form.expiry_date.data))
    page = render_template("hub/job_form.html", form=form, version=version, product=product, layout=layout,
                           slots=sheet_picture(layout, first, copies, panels),
                           summary=sheet_summary(layout, first, copies, panels), panels=panels, per_page=per_page,
                           copies=copies, defaults=defaults, wrong_stock=wrong_stock, picture=picture)
    if request.method == "GET" and not wrong_stock:
        # the submit's checks of this label, stock and printer, made ready while the operator reads
        # the form (a light job, only when not in the cache yet); the submit still checks
        services.prepare_print_checks(version, layout, services.get_printer(form.printer_id.data)
                                      if form.printer_id.data else None)
    return page, status


def _iso(d) -> str:
    return d.isoformat() if d else ""


def _date_arg(name: str):
    from datetime import date

    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None


@bp.route("/cetak/<int:version_id>/lembar-1.png")
@role_required(*HUB)
def first_sheet_png(version_id: int):
    """The first sheet of the job the form describes: the PDF the job will print, rasterised."""
    try:
        pdf = services.first_sheet_pdf(
            current_user, version_id, layout_id=request.args.get("stok") or None,
            first_slot=max(0, (request.args.get("mulai", type=int) or 1) - 1),
            copies=request.args.get("jumlah", type=int) or 1, batch_code=request.args.get("kode") or "",
            production_date=_date_arg("produksi"), expiry_date=_date_arg("kedaluwarsa"),
            printer_id=request.args.get("printer", type=int) or None)
    except StudioError:
        abort(404)
    return Response(render_preview_png(pdf, dpi=SHEET_PICTURE_DPI), mimetype="image/png",
                    headers={"Cache-Control": "no-store"})


@bp.route("/versi/<int:version_id>/pratinjau.png")
@role_required(*HUB)
def version_preview(version_id: int):
    """The picture of an approved version (the print queue's thumbnail); 404 for any other."""
    try:
        version = services.get_approved_version(current_user, version_id)
    except StudioError:
        abort(404)
    if not media().exists(version.preview_key):
        abort(404)
    return media_response(version.preview_key, "image/png")   # content-addressed: ETag, 304, immutable


def _load_job(job_id: int):
    try:
        return services.get_job(current_user, job_id)
    except StudioError:
        abort(404)


@bp.route("/pekerjaan/<int:job_id>")
@role_required(*HUB)
def job(job_id: int):
    # the job, its product and version, the producer with her profile (the page names her), its
    # background job (the progress) and its printer in one statement; the access check and the
    # lines below then find them in the session, not the database
    db.session.execute(
        select(PrintJob, Product, DesignVersion, User, Job).where(PrintJob.id == job_id)
        .outerjoin(Product, Product.id == PrintJob.product_id)
        .outerjoin(DesignVersion, DesignVersion.id == PrintJob.design_version_id)
        .outerjoin(User, User.id == Product.owner_id).outerjoin(Job, Job.id == PrintJob.job_id)
        .options(joinedload(User.profile), joinedload(PrintJob.printer))).unique().all()
    pj = _load_job(job_id)
    product = db.session.get(Product, pj.product_id)
    layout = layout_from_dict(pj.layout_snapshot, id=pj.layout_id)
    version = db.session.get(DesignVersion, pj.design_version_id)
    stickers = panel_count(version) if version is not None else 1
    return render_template("hub/job.html", job=pj, product=product, layout=layout, version=version,
                           stickers=stickers, summary=sheet_summary(layout, pj.first_slot, pj.copies, stickers),
                           progress=services.job_progress(pj), form=ConfirmForm(),
                           reprint_form=ConfirmForm(prefix="ulang"))


@bp.route("/pekerjaan/<int:job_id>/status.json")
@role_required(*HUB)
def job_status(job_id: int):
    return jsonify(services.job_progress(_load_job(job_id)))


@bp.route("/pekerjaan/<int:job_id>/label.pdf")
@role_required(*HUB)
def job_pdf(job_id: int):
    """The job's PDF. Only serves the file: a reprint is recorded by :func:`reprint` (POST)."""
    try:
        data, name = services.job_pdf(current_user, job_id)
    except NotFound:
        abort(404)      # as the job's own page: nothing to go back to
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("hub.job", job_id=job_id))
    return _pdf(data, name, inline=bool(request.args.get("lihat")))


@bp.route("/pekerjaan/<int:job_id>/cetak-ulang", methods=["POST"])
@role_required(*HUB)
def reprint(job_id: int):
    """Count a reprint, then hand over the same PDF (a redirect to its plain download)."""
    _load_job(job_id)
    form = ConfirmForm(prefix="ulang")
    if not form.validate_on_submit():
        return redirect(url_for("hub.job", job_id=job_id))
    try:
        services.reprint(current_user, job_id)
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("hub.job", job_id=job_id))
    return redirect(url_for("hub.job_pdf", job_id=job_id), code=303)


@bp.route("/pekerjaan/<int:job_id>/halaman-1.png")
@role_required(*HUB)
def job_preview(job_id: int):
    pj = _load_job(job_id)
    if pj.status not in services.DONE_STATUSES:
        abort(404)
    key = services.pdf_key_for(pj)[:-4] + "-p1.png"
    store = media()
    if not store.exists(key):
        data, _name = services.job_pdf(current_user, job_id)
        store.put(key, render_preview_png(data, dpi=60))
    return Response(store.read(key), mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})


@bp.route("/pekerjaan/<int:job_id>/label.zpl")
@role_required(*HUB)
def job_zpl(job_id: int):
    from .render import render_job_zpl

    pj = _load_job(job_id)
    if pj.printer is None or pj.printer.kind != "thermal" or pj.status not in services.DONE_STATUSES:
        abort(404)
    return Response(render_job_zpl(pj), mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="label-{pj.id}.zpl"'})


@bp.route("/pekerjaan/<int:job_id>/tercetak", methods=["POST"])
@role_required(*HUB)
def mark_printed(job_id: int):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.mark_printed(current_user, job_id)
            flash(_("Tercatat: label sudah dicetak."), "success")
        except StudioError as e:
            flash(e.message, "error")
    return redirect(url_for("hub.job", job_id=job_id))


# ---------------------------------------------------------------------------- printers
@bp.route("/printer", methods=["GET", "POST"])
@role_required(*HUB)
def printers():
    form = PrinterForm()
    if form.validate_on_submit():
        try:
            p = services.save_printer(current_user, form.name.data, form.kind.data, form.dpi.data,
                                      active=form.active.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Printer %(n)s disimpan. Sekarang kalibrasi untuk stok yang dipakai.", n=p.name), "success")
            return redirect(url_for("hub.printer", printer_id=p.id))
    return render_template("hub/printers.html", printers=services.list_printers(), form=form), \
        400 if form.errors else 200


@bp.route("/printer/<int:printer_id>", methods=["GET", "POST"])
@role_required(*HUB)
def printer(printer_id: int):
    try:
        p = services.get_printer(printer_id)
    except StudioError:
        abort(404)
    form = PrinterForm(obj=p) if request.method == "GET" else PrinterForm()
    if form.validate_on_submit():
        try:
            services.save_printer(current_user, form.name.data, form.kind.data, form.dpi.data, printer_id=p.id,
                                  active=form.active.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Printer disimpan."), "success")
            return redirect(url_for("hub.printer", printer_id=p.id))
    layouts = [lay for lay in sorted_layouts(get_layouts()) if (lay.kind == "roll") == (p.kind == "thermal")]
    rows = [(lay, calibration_row(p.id, lay.id)) for lay in layouts]
    return render_template("hub/printer.html", printer=p, form=form, rows=rows), 400 if form.errors else 200


@bp.route("/printer/<int:printer_id>/kalibrasi/<layout_id>", methods=["GET", "POST"])
@role_required(*HUB)
def calibrate(printer_id: int, layout_id: str):
    try:
        p = services.get_printer(printer_id)
    except StudioError:
        abort(404)
    layout = get_layouts().get(layout_id) or abort(404)
    form = CalibrationForm()
    if form.validate_on_submit():
        m = Measurement(form.x_mm.data, form.y_mm.data, form.span_x_mm.data, form.span_y_mm.data)
        try:
            services.save_calibration(current_user, p.id, layout.id, m,
                                      printed_with_correction=form.printed_with.data == "corrected")
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Koreksi disimpan. Semua pekerjaan cetak baru di printer ini memakainya. "
                    "Cetak halaman uji DENGAN koreksi untuk memeriksa."), "success")
            return redirect(url_for("hub.calibrate", printer_id=p.id, layout_id=layout.id))
    span_x, span_y = nominal_spans_mm(layout)
    return render_template("hub/calibrate.html", printer=p, layout=layout, form=form,
                           row=calibration_row(p.id, layout.id), span_x=span_x, span_y=span_y,
                           reset_form=ConfirmForm(prefix="reset")), 400 if form.errors else 200


@bp.route("/printer/<int:printer_id>/kalibrasi/<layout_id>/halaman.pdf")
@role_required(*HUB)
def calibration_pdf(printer_id: int, layout_id: str):
    corrected = bool(request.args.get("koreksi"))
    try:
        data = services.calibration_page(current_user, printer_id, layout_id, corrected=corrected)
    except StudioError:
        abort(404)
    suffix = "koreksi" if corrected else "tanpa-koreksi"
    return _pdf(data, f"kalibrasi-{layout_id}-{suffix}.pdf")


@bp.route("/printer/<int:printer_id>/kalibrasi/<layout_id>/hapus", methods=["POST"])
@role_required(*HUB)
def reset_calibration_view(printer_id: int, layout_id: str):
    form = ConfirmForm(prefix="reset")
    if form.validate_on_submit():
        reset_calibration(current_user, printer_id, layout_id)
        flash(_("Koreksi dihapus. Printer ini mencetak tanpa koreksi untuk stok ini."), "info")
    return redirect(url_for("hub.calibrate", printer_id=printer_id, layout_id=layout_id))
