"""Use-cases of the hub's printing: the queue, print jobs (one per request), history and totals.

Only approved design versions are printed, each job keeps a copy of its stock and of the
printer's calibration, and the PDF is rendered through the jobs seam (``print.render``).
Printer profiles and calibration live in :mod:`.printers` (re-exported here).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, defer, joinedload

from .. import cache, clock, jobs
from ..auth.models import Role, User
from ..cohorts.services import can_see_owner
from ..designs import gates
from ..designs.models import AssetKind, DesignVersion, StudioAsset, VersionStatus
from ..designs.stock import get_layout
from ..db import utcnow
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity import commit_keeping_loaded, request_memo
from ..labels import layout_to_dict
from ..preflight import blocking
from ..media import media
from ..products.models import Product, ProductRevision
from ..products.record import product_record, rule_settings
from ..rules import RuleError, best_before, check_production_date, format_date_id, validate_production_code
from ..rules.dates import suggest_production_code
from ..rules.kinds import HalalStatus
from .geometry import calibration_to_dict, plan_quantity
from .models import PrintJob, PrinterProfile
from .printers import (calibration_page, current_calibration, get_printer, list_printers,  # noqa: F401
                       save_calibration, save_printer)
from ..labels.imposition import sets_per_page
from .pages import batch_text
from .render import (fits_as_designed, panel_count, prepared_for_printer, print_checks_known, printer_dpi_for,
                     recheck_at_printer, render_job_pdf, shelf_life_of, stamp_problem, version_layout)

HUB_ROLES = (Role.HUB, Role.ADMIN)
DONE_STATUSES = ("ready", "printed")      # the PDF exists (it may be downloaded)
PRINTED_STATUSES = ("printed",)           # the operator marked it printed: only these count as printed


def require_hub(actor: User) -> None:
    if actor.role not in HUB_ROLES:
        raise Forbidden(str(_l("Hanya operator hub atau admin yang boleh mencetak.")))


# ------------------------------------------------------------------------------ the queue
def permit_problems(clean: dict, today: date) -> list[str]:
    """Why a product may not be printed under ``PRINT_REQUIRE_PERMITS`` (a permit number and a
    halal certificate where the law requires them); empty when it may."""
    cls = str(clean.get("product_class") or "")
    out: list[str] = []
    need = {"pangan_pirt": "pirt_number", "pangan_bpom": "bpom_number", "obat_tradisional": "pom_tr_number"}
    if cls in need and not clean.get(need[cls]):
        out.append(str(_l("Nomor izin edar (P-IRT/BPOM) belum diisi.")))
    settings = rule_settings()
    if cls in settings.halal_required_classes and today >= settings.halal_deadline:
        status = str(clean.get("halal_status") or "")
        if status != HalalStatus.NOT_HALAL and not (status == HalalStatus.CERTIFIED and clean.get("halal_cert_number")):
            out.append(str(_l("Sertifikat halal belum ada.")))
    return out


def print_problems(version: DesignVersion, today: date | None = None, *,
                   halal_logo_uploaded: bool | None = None) -> list[str]:
    """Everything that stops ``version`` from being printed (empty list: it may be printed), each
    saying what to fix and who fixes it: not approved, a blocking finding (the one blocking rule on
    the findings stored at approval), a QR address buyers cannot open, a halal-certified product
    without the official halal logo, and (by setting) missing permits. ``halal_logo_uploaded``:
    already known (the queue asks once for all its rows), else looked up."""
    out: list[str] = []
    if version.status != VersionStatus.APPROVED:
        out.append(str(_l("Label ini belum disetujui pendamping. Hanya label yang disetujui boleh dicetak.")))
    product = db.session.get(Product, version.product_id)
    out += gates.release_problems(product, version, halal_logo_uploaded=halal_logo_uploaded)
    if current_app.config.get("PRINT_REQUIRE_PERMITS"):
        revision = db.session.get(ProductRevision, version.product_revision_id) if version.product_revision_id else None
        out += permit_problems(product_record(revision), today or clock.today())
    return out


def _printable_on(actor: User, version_id: int, layout_id: str | None):
    """(version, stock) for a print: the version may be printed and the stock has its label size.
    :raises Forbidden/NotFound/Conflict: as :func:`get_printable_version`; :raises Invalid: another
    label size (field ``layout_id``)."""
    version = get_printable_version(actor, version_id)
    layout = get_layout(layout_id or version.layout_id)
    wrong_stock = stock_problem(version, layout)
    if wrong_stock:
        raise Invalid(wrong_stock, field="layout_id")
    return version, layout


def stock_problem(version: DesignVersion, layout) -> str | None:
    """Why ``version`` may not be printed on ``layout``: an approved label is printed on a label of
    the size and shape it was approved on (another sheet of that label is fine), never re-laid out."""
    if fits_as_designed(version, layout):
        return None
    own = version_layout(version)
    return str(_l("Label ini disetujui untuk ukuran %(w)s × %(h)s mm. Stok “%(stock)s” berukuran "
                  "%(ow)s × %(oh)s mm, jadi label yang disetujui tidak bisa dicetak di situ. Produsen perlu "
                  "membuat versi desain baru di stok itu dan mengirimnya untuk ditinjau; atau pilih stok "
                  "dengan ukuran label yang sama.",
                  w=_mm(own.label_w_mm), h=_mm(own.label_h_mm), stock=layout.name,
                  ow=_mm(layout.label_w_mm), oh=_mm(layout.label_h_mm)))


def _mm(v: float) -> str:
    return f"{v:g}".replace(".", ",")


@dataclass(frozen=True)
class QueueItem:
    version: DesignVersion
    product: Product
    owner: User
    problems: tuple[str, ...]
    last_job: PrintJob | None


def list_queue(actor: User) -> list[QueueItem]:
    """The newest approved version of every label, newest decision first; items with
    ``problems`` are shown as held, not printable. A fixed number of queries however long the
    queue is (the hub home lists it on every visit)."""
    require_hub(actor)
    # every approved version with its product, the producer and her profile, the data revision it
    # shows, its newest print job and whether the studio's halal logo is uploaded: ONE statement
    # (each further one was a round trip of 2-4 ms on PostgreSQL); the problems below then find
    # these rows in the session's identity map
    last_job = aliased(PrintJob)
    newest_job = select(func.max(PrintJob.id)).where(PrintJob.design_version_id == DesignVersion.id) \
        .correlate(DesignVersion).scalar_subquery()
    halal = select(StudioAsset.id).where(StudioAsset.kind == AssetKind.HALAL_LOGO, StudioAsset.owner_id.is_(None),
                                         StudioAsset.active.is_(True)).exists()
    rows = db.session.execute(
        select(DesignVersion, Product, ProductRevision, last_job, halal.label("halal_logo"))
        .join(Product, Product.id == DesignVersion.product_id)
        .outerjoin(ProductRevision, ProductRevision.id == DesignVersion.product_revision_id)
        .outerjoin(last_job, last_job.id == newest_job)
        .where(DesignVersion.status == VersionStatus.APPROVED)
        .options(defer(DesignVersion.document), joinedload(Product.owner).joinedload(User.profile))
        .order_by(DesignVersion.decided_at.desc(), DesignVersion.id.desc())).unique().all()
    out: list[QueueItem] = []
    seen: set[int] = set()
    today = clock.today()
    for v, product, _revision, job, halal_logo in rows:     # the revision: held while the loop runs
        if v.design_id in seen:
            continue
        seen.add(v.design_id)
        if product.archived:
            continue
        out.append(QueueItem(v, product, product.owner,
                             tuple(print_problems(v, today, halal_logo_uploaded=bool(halal_logo))), job))
    return out


def get_approved_version(actor: User, version_id: int) -> DesignVersion:
    """An approved version of a product still in use, for the hub's pages (job form, picture).

    :raises Forbidden: not a hub operator/admin. :raises NotFound: no such version, or not approved
        (never reveals a draft or a version under review).
    """
    require_hub(actor)
    version = _version_with_product(version_id)
    product = db.session.get(Product, version.product_id) if version is not None else None
    if version is None or version.status != VersionStatus.APPROVED or product is None or product.archived:
        raise NotFound(str(_l("Versi label tidak ditemukan.")))
    return version


def _version_with_product(version_id: int) -> DesignVersion | None:
    """The version with what the hub's pages and checks read beside it (its product, the data
    revision it shows, the producer and her profile) in one statement; then from the identity map."""
    version = db.session.identity_map.get(db.session.identity_key(DesignVersion, version_id))
    if version is not None:
        return version
    row = db.session.execute(
        select(DesignVersion, Product, ProductRevision, User).where(DesignVersion.id == version_id)
        .outerjoin(Product, Product.id == DesignVersion.product_id)
        .outerjoin(ProductRevision, ProductRevision.id == DesignVersion.product_revision_id)
        .outerjoin(User, User.id == Product.owner_id).options(joinedload(User.profile))).unique().first()
    return row[0] if row is not None else None


def get_printable_version(actor: User, version_id: int) -> DesignVersion:
    """An approved version the hub may print.

    :raises Forbidden: not a hub operator/admin.
    :raises NotFound: no such version, or (for the hub operator) one that is not approved: the hub
        sees only what printing needs, never a producer's drafts.
    :raises Conflict: not approved (an admin is told why), a BLOCKER finding, or (by setting)
        permits missing.
    """
    version = get_approved_version(actor, version_id) if actor.role == Role.HUB else None
    if version is None:
        require_hub(actor)
        version = _version_with_product(version_id)
        if version is None:
            raise NotFound(str(_l("Versi label tidak ditemukan.")))
    # the job form's POST asks twice (the view for its page, create_print_job for the job): the
    # answer is kept until the session writes (studio.identity.request_memo)
    problems = request_memo(f"printing.print_problems.{version.id}", lambda: print_problems(version))
    if problems:
        raise Conflict(" ".join(problems))
    return version


# ------------------------------------------------------------------------------ print jobs
@dataclass(frozen=True)
class BatchDefaults:
    """What the job form starts with for a product: today, a batch code and the latest expiry."""

    production_date: date
    batch_code: str
    expiry_date: date | None
    shelf_life_days: int | None


def shelf_life_days(version: DesignVersion) -> int | None:
    """Shelf life (days) of the product revision the version shows, or None (crafts)."""
    return shelf_life_of(version)


def batch_defaults(version: DesignVersion, production_date: date | None = None) -> BatchDefaults:
    """Today's batch: code YYMMDD-nn (nn = this product's batches that day + 1), expiry from shelf life."""
    made = production_date or clock.today()
    shelf = shelf_life_days(version)
    same_day = db.session.scalar(select(db.func.count(db.distinct(PrintJob.batch_code))).where(
        PrintJob.product_id == version.product_id, PrintJob.production_date == made)) or 0
    return BatchDefaults(made, suggest_production_code(made, same_day + 1),
                         best_before(made, shelf) if shelf else None, shelf)


def _check_batch(version: DesignVersion, batch_code: str, production_date: date | None,
                 expiry_date: date | None, today: date, locale: str) -> tuple[str, date | None, date | None]:
    shelf = shelf_life_days(version)
    try:
        code = validate_production_code(batch_code, field="batch_code")
    except RuleError as e:
        if shelf or str(batch_code or "").strip():
            raise Invalid(e.msg.text(locale), field="batch_code") from e
        code = ""
    if production_date is None:
        if shelf:
            raise Invalid(str(_l("Isi tanggal produksi.")), field="production_date")
        return code, None, expiry_date
    try:
        check_production_date(production_date, today)
    except RuleError as e:
        raise Invalid(e.msg.text(locale), field="production_date") from e
    given = expiry_date is not None
    if shelf:
        latest = best_before(production_date, shelf)
        if expiry_date is None:
            expiry_date = latest
        elif expiry_date > latest:
            raise Invalid(str(_l(
                "Tanggal kedaluwarsa %(exp)s terlalu jauh: umur simpan produk ini %(days)d hari, jadi "
                "paling lambat %(latest)s (tanggal produksi %(made)s + %(days)d hari).",
                exp=format_date_id(expiry_date), days=shelf, latest=format_date_id(latest),
                made=format_date_id(production_date))), field="expiry_date")
    if expiry_date is not None and expiry_date <= production_date:
        raise Invalid(str(_l("Tanggal kedaluwarsa harus sesudah tanggal produksi.")), field="expiry_date")
    if expiry_date is not None and expiry_date <= today:
        # a label whose best-before date has passed may not go on goods for sale (a typo in the year)
        raise Invalid(str(_l("Tanggal kedaluwarsa %(exp)s sudah lewat, jadi label ini tidak boleh dicetak. Periksa "
                             "tanggal produksi (tahunnya).", exp=format_date_id(expiry_date))),
                      field="expiry_date" if given else "production_date")
    return code, production_date, expiry_date


_QTY_MESSAGES = {
    "first_slot": _l("Label pertama harus di antara nomor 1 dan %(n)d."),
    "copies": _l("Jumlah label paling sedikit 1 dan paling banyak 200 lembar."),
    "sheets": _l("Jumlah lembar antara 1 dan 200."),
}


def create_print_job(actor: User, version_id: int, *, request_key: str, layout_id: str | None = None,
                     copies: int | None = None, sheets: int | None = None, first_slot: int = 0,
                     batch_code: str = "", production_date: date | None = None,
                     expiry_date: date | None = None, printer_id: int | None = None,
                     today: date | None = None, locale: str = "id") -> PrintJob:
    """Queue a print job and render its PDF through the jobs seam. The same ``request_key``
    (one per job form) always gives the same job, so a double click never prints twice.

    :param first_slot: 0-based slot of the first label on the first sheet (slot 5 -> 4).
    :param copies: number of labels, or ``sheets``: whole sheets (give exactly one).
    :param expiry_date: best-before date; default production date + shelf life; an earlier date
        is fine, a later one is refused.
    :param locale: the language of the rules' messages about the batch code and dates ("id", "en").
    :raises Forbidden: not a hub operator/admin. :raises NotFound: version, stock or printer.
    :raises Conflict: version not printable (not approved, a blocking finding now, QR address,
        halal logo, permits). :raises Invalid: a bad value, on its field; a stock with another label
        size or shape than the approved one (field ``layout_id``: a new version is needed).
    """
    require_hub(actor)
    request_key = (request_key or "").strip()
    if not request_key or len(request_key) > 64:
        raise Invalid(str(_l("Formulir cetak sudah kedaluwarsa. Muat ulang halaman.")), field="request_key")
    existing = db.session.scalar(select(PrintJob).where(PrintJob.request_key == request_key))
    if existing is not None:
        return existing
    version, layout = _printable_on(actor, version_id, layout_id)
    printer = get_printer(printer_id) if printer_id else None
    if printer is not None and printer.kind == "thermal" and layout.kind != "roll":
        raise Invalid(str(_l("Printer termal mencetak label rol. Pilih stok rol.")), field="layout_id")
    if printer is not None and printer.kind != "thermal" and layout.kind == "roll":
        raise Invalid(str(_l("Stok rol dicetak dengan printer termal.")), field="printer_id")
    panels = panel_count(version)       # a front + back set: copies and first slot count sets
    try:
        qty = plan_quantity(layout, first_slot, copies=copies, sheets=sheets, panels=panels)
    except ValueError as e:
        field = str(e)
        raise Invalid(str(_QTY_MESSAGES.get(field, _QTY_MESSAGES["copies"]) % {"n": sets_per_page(layout, panels)}),
                      field=field) from e
    code, made, expiry = _check_batch(version, batch_code, production_date, expiry_date, today or clock.today(), locale)
    # the label prepared once for both checks below (its inputs gathered, its digest taken)
    prepared = prepared_for_printer(version, layout, printer)
    cut = stamp_problem(version, layout, printer, batch_text(code, made, expiry, shelf_life_of(version)),
                        prepared=prepared)
    if cut:      # never print a production code or date cut off
        raise Invalid(str(_l("Kode produksi dan tanggal tidak muat utuh di kotak cap label ini (tidak tercetak: %(cut)s). "
                             "Persingkat kode produksi.", cut=cut)), field="batch_code")
    # the label as it will print now (this sheet, this printer's dots, today's QR address): the
    # same preflight as at approval, codes decoded (0.5-1 s; from the content-hash cache when this
    # label was checked on this stock and printer today: at approval, by the check ahead of the
    # print queue or of the job form (print.prepare_checks), or for an earlier batch)
    findings = recheck_at_printer(version, layout, printer, prepared=prepared)
    refusal = gates.blocking_message(findings, gates.fix_by_producer())
    if refusal:
        raise Conflict(refusal)
    calibration = current_calibration(printer.id, layout.id) if printer else None
    pj = PrintJob(request_key=request_key, product_id=version.product_id, design_version_id=version.id,
                  product_revision_id=version.product_revision_id, layout_id=layout.id,
                  layout_snapshot=layout_to_dict(layout), copies=qty.copies, sheets=qty.sheets,
                  first_slot=first_slot, batch_code=code, production_date=made, expiry_date=expiry,
                  printer_id=printer.id if printer else None, calibration=calibration_to_dict(calibration),
                  status="queued", created_by_id=actor.id, owner_id=db.session.get(Product, version.product_id).owner_id,
                  adapted=False)
    db.session.add(pj)
    try:
        db.session.flush()
        job = jobs.submit("print.render", {"print_job_id": pj.id}, commit=False)
        db.session.flush()
        pj.job_id = job_id = job.id
        commit_keeping_loaded()
    except IntegrityError:
        db.session.rollback()   # the same form was sent twice at once: the first one won
        existing = db.session.scalar(select(PrintJob).where(PrintJob.request_key == request_key))
        if existing is None:
            raise
        return existing
    jobs.dispatch(job_id)
    if current_app.config["JOBS_MODE"] == "eager":
        db.session.refresh(pj)      # the render ran here and then wrote the row; elsewhere it is as committed
    return pj


def prepare_print_checks(version: DesignVersion, layout, printer: PrinterProfile | None) -> bool:
    """When the job form is shown: if the checks its submit makes of ``version`` on ``layout``
    through ``printer`` (the label at the printer's dots, the stamping box) are not in the cache yet,
    queue them (``print.prepare_checks``, a light job) so they are ready while the operator reads
    the form, and the submit looks them up instead of composing. The submit checks the same either
    way. Returns True when a job was queued. The caller has checked the version may be printed
    and that ``layout`` has its label size."""
    if not printer_fits(printer, layout):
        return False            # the submit corrects the printer (fitting_printer): nothing to guess here
    # a hint only (the submit checks either way): what this process found ready or queued today is
    # not looked up again, so opening the form again costs nothing
    seen = (str(cache.root()), version.id, layout.id, printer.id if printer is not None else None,
            printer.dpi if printer is not None else None, clock.today())
    if seen in _READY:
        return False
    if len(_READY) >= READY_KEPT:
        _READY.clear()
    if print_checks_known(version, layout, printer):
        _READY[seen] = True
        return False
    jobs.submit("print.prepare_checks", {"version_id": version.id, "layout_id": layout.id,
                                         "printer_id": printer.id if printer is not None else None})
    _READY[seen] = True
    return True


#: (version, stock, printer, dpi, day) whose submit checks this process found ready or queued
_READY: dict[tuple, bool] = {}
READY_KEPT = 512


def printer_fits(printer: PrinterProfile | None, layout) -> bool:
    """A thermal printer prints roll stock only; inkjet and laser printers print sheets only."""
    return printer is None or (printer.kind == "thermal") == (layout.kind == "roll")


def fitting_printer(actor: User, layout, printer_id: int | None) -> tuple[PrinterProfile | None, str | None]:
    """The printer a job on ``layout`` uses, and a sentence for the operator when it is not the one asked.

    ``printer_id`` (chosen or remembered) is kept when it prints this stock. Otherwise (a thermal
    printer remembered from a roll job, now on a sheet stock, or the reverse) the printer the
    operator last used on this kind of stock, else the only active printer that fits, else no
    profile (no correction) is used, and the sentence says so in words. ``printer_id`` 0/None:
    no profile, kept as it is."""
    printer = db.session.get(PrinterProfile, printer_id) if printer_id else None
    if printer is None or printer_fits(printer, layout):
        return printer, None
    choice = default_printer(actor, layout)
    if layout.kind == "roll":
        why = _l("Stok “%(stock)s” adalah label rol: dicetak dengan printer termal, bukan “%(printer)s”.",
                 stock=layout.name, printer=printer.name)
    else:
        why = _l("Printer termal “%(printer)s” hanya mencetak label rol, sedangkan “%(stock)s” adalah lembar.",
                 stock=layout.name, printer=printer.name)
    then = (_l("Dipakai printer “%(name)s”.", name=choice.name) if choice is not None
            else _l("Dicetak tanpa profil printer (tanpa koreksi)."))
    return choice, f"{why} {then}"


def default_printer(actor: User, layout) -> PrinterProfile | None:
    """The job form's printer for ``layout``: the fitting active printer this operator used last,
    else the only fitting active printer, else None (no profile)."""
    fitting = [p for p in active_printers() if printer_fits(p, layout)]
    if not fitting:
        return None
    ids = {p.id for p in fitting}
    for pid in db.session.scalars(select(PrintJob.printer_id).where(PrintJob.created_by_id == actor.id,
                                                                    PrintJob.printer_id.is_not(None))
                                  .order_by(PrintJob.id.desc()).limit(20)):
        if pid in ids:
            return db.session.get(PrinterProfile, pid)
    return fitting[0] if len(fitting) == 1 else None


def first_sheet_pdf(actor: User, version_id: int, *, layout_id: str | None = None, first_slot: int = 0,
                    copies: int = 1, batch_code: str = "", production_date: date | None = None,
                    expiry_date: date | None = None, printer_id: int | None = None) -> bytes:
    """The first sheet of the job the form describes, rendered exactly as the job will render it
    (same function, same frozen version, stock, batch overlay and printer calibration), for the
    job form's picture. A batch value the job would refuse is left off the picture.

    :raises Forbidden/NotFound/Conflict: as :func:`get_printable_version`;
    :raises Invalid: another label size (field ``layout_id``).
    """
    version, layout = _printable_on(actor, version_id, layout_id)
    printer = get_printer(printer_id) if printer_id else None
    per_sheet = sets_per_page(layout, panel_count(version))     # sets (a label of its own: labels)
    first = max(0, min(int(first_slot or 0), per_sheet - 1))
    on_first_sheet = max(1, min(int(copies or 1), per_sheet - first))
    try:
        code, made, expiry = _check_batch(version, batch_code, production_date, expiry_date, clock.today(), "id")
    except Invalid:
        code, made, expiry = "", None, None
    from .render import render_sheet_with_batch

    product = db.session.get(Product, version.product_id)
    return render_sheet_with_batch(version, layout, on_first_sheet, first_slot=first, batch_code=code,
                                   production_date=made, expiry_date=expiry, printer=printer,
                                   calibration=current_calibration(printer.id, layout.id) if printer else None,
                                   title=f"{product.name} – {code or layout.id}")


def get_job(actor: User, job_id: int) -> PrintJob:
    """A print job the actor may see: the hub and admins all, a producer their own, a trainer
    their producers'. :raises NotFound: otherwise."""
    pj = db.session.get(PrintJob, job_id)
    if pj is None or not (actor.role in HUB_ROLES or can_see_owner(actor, pj.owner_id)):
        raise NotFound(str(_l("Pekerjaan cetak tidak ditemukan.")))
    return pj


def job_progress(pj: PrintJob) -> dict:
    """JSON for the job page's progress poll: progress 0–1, message, finished, status."""
    job = jobs.get_job(pj.job_id) if pj.job_id else None
    finished = pj.status in ("ready", "printed", "failed")
    return {"status": pj.status, "progress": 1.0 if finished else (job.progress if job else 0.0),
            "message": (job.message if job else "") or "", "finished": finished}


def job_pdf(actor: User, job_id: int) -> tuple[bytes, str]:
    """The stored PDF of a job (re-rendered from its snapshots if the file was lost), and a file name.

    :raises Conflict: the PDF is not ready yet, or it must be re-rendered while the public address
        is one a buyer's phone cannot open (its QR codes would not work).
    """
    pj = get_job(actor, job_id)
    if pj.status not in DONE_STATUSES:
        raise Conflict(str(_l("PDF belum siap. Tunggu sebentar.")))
    store = media()
    if store.exists(pj.pdf_key):
        data = store.read(pj.pdf_key)
    else:
        problem = gates.public_address_problem()    # a re-render puts today's address in the QR codes
        if problem:
            raise Conflict(problem)
        data = render_job_pdf(pj)
        pj.pdf_key = store.put(pdf_key_for(pj), data)
        db.session.commit()
    product = db.session.get(Product, pj.product_id)
    return data, f"label-{product.public_code}-{pj.batch_code or pj.id}.pdf"


def pdf_key_for(pj: PrintJob) -> str:
    return f"print/{pj.id // 1000:03d}/job-{pj.id}.pdf"


def reprint(actor: User, job_id: int) -> PrintJob:
    """Record that a finished job is printed again (counted). The PDF stays the same: same labels,
    same batch, same positions; the operator downloads it as before.

    :raises Forbidden: not the hub. :raises NotFound: no such job. :raises Conflict: not ready.
    """
    require_hub(actor)
    pj = get_job(actor, job_id)
    if pj.status not in DONE_STATUSES:
        raise Conflict(str(_l("PDF belum siap. Tunggu sebentar.")))
    pj.reprints = (pj.reprints or 0) + 1
    db.session.commit()
    return pj


def mark_printed(actor: User, job_id: int) -> PrintJob:
    """Record that the sheets came out of the printer (who and when). Idempotent.

    :raises Forbidden: not the hub. :raises Conflict: the PDF is not ready.
    """
    require_hub(actor)
    pj = get_job(actor, job_id)
    if pj.status == "printed":
        return pj
    if pj.status != "ready":
        raise Conflict(str(_l("PDF belum siap, jadi belum bisa ditandai tercetak.")))
    pj.status = "printed"
    pj.printed_at = utcnow()
    pj.printed_by_id = actor.id
    db.session.commit()
    return pj


# ------------------------------------------------------------------------ history and totals
def list_jobs(actor: User, *, product_id: int | None = None, owner_id: int | None = None,
              limit: int = 50) -> list[PrintJob]:
    """Print jobs the actor may see, newest first (a producer: only their own)."""
    # the operator who made each job comes in the same query (a join: one round trip, not two)
    q = select(PrintJob).order_by(PrintJob.id.desc()).limit(limit).options(joinedload(PrintJob.created_by))
    if actor.role == Role.PRODUCER:
        q = q.where(PrintJob.owner_id == actor.id)
    elif actor.role not in HUB_ROLES:
        if owner_id is None or not can_see_owner(actor, owner_id):
            return []
    if owner_id is not None:
        q = q.where(PrintJob.owner_id == owner_id)
    if product_id is not None:
        q = q.where(PrintJob.product_id == product_id)
    return list(db.session.scalars(q))


def active_printers() -> list[PrinterProfile]:
    """The active printer profiles, read once per request (the job form asks for its choices and
    for its default printer) until the session writes."""
    return list(request_memo("printing.active_printers", lambda: [p for p in list_printers() if p.active]))


# ------------------------------------------------------------------------------------ CLI
def render_sheet_for_cli_with_batch(product_id: int, layout_id: str | None, copies: int, first_slot: int = 0, *,
                                    batch_code: str = "", production_date: date | None = None,
                                    expiry_date: date | None = None, printer_name: str | None = None,
                                    today: date | None = None) -> bytes:
    """``render-sheet`` with print options: the product's current label design on ``layout_id``
    (default its own stock) with the batch overlay (validated like a hub job: code format,
    production date not in the future, expiry not after production date + shelf life) and the
    calibration of printer profile ``printer_name`` for that stock. The design composed on that
    stock is preflighted there first.

    :raises NotFound: product, design, stock or printer. :raises Invalid: a bad value.
    :raises gates.LabelBlocked: a blocking finding on that stock.
    """
    from ..designs.render import product_design_for_cli

    product, design = product_design_for_cli(product_id)
    layout = get_layout(layout_id or design.layout_id)
    printer = None
    if printer_name:
        printer = db.session.scalar(select(PrinterProfile).where(PrinterProfile.name == printer_name))
        if printer is None:
            raise NotFound(f"printer profile {printer_name!r} not found", field="printer")
    per_sheet = sets_per_page(layout, panel_count(design))
    if not 0 <= first_slot < per_sheet:
        raise Invalid(f"first slot must be between 0 and {per_sheet - 1}", field="first_slot")
    if batch_code or expiry_date:
        made = production_date or clock.today()
        batch_code, made, expiry_date = _check_batch(design, batch_code, made, expiry_date, today or clock.today(),
                                                     "id")
        production_date = made
    # the label as composed on THIS stock is checked like any label; nothing blocking is printed
    gates.check_design_on_stock(design, layout, printer_dpi=printer_dpi_for(printer, layout))
    calibration = current_calibration(printer.id, layout.id) if printer else None
    from .render import render_sheet_with_batch

    return render_sheet_with_batch(design, layout, copies, first_slot=first_slot, batch_code=batch_code,
                                   production_date=production_date, expiry_date=expiry_date,
                                   calibration=calibration, printer=printer,
                                   title=f"{product.name} – {layout.name}")
