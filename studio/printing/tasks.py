"""Background work of the hub: rendering a print job's PDF (``print.render``), and the print gate's
checks run ahead so the job form's submit only looks them up: of the labels in the print queue
(``print.warm_checks``, see ``review/tasks.py``) and of the label, stock and printer a job form was
opened for (``print.prepare_checks``)."""
from __future__ import annotations

from datetime import datetime

from ..db import as_utc
from ..designs.stock import get_layout
from ..extensions import db
from ..jobs import Job, handler, periodic
from ..media import media
from .models import PrintJob
from .render import NeedsNewVersion, measure_stamp_boxes, prepared_for_printer, recheck_at_printer, render_job_pdf


@handler("print.render")
def render_print_job(job: Job, progress) -> dict:
    """Compose the frozen version with the job's batch overlay and calibration, store the PDF
    atomically and mark the print job ready. Idempotent: a finished job is left as it is."""
    from .services import pdf_key_for

    pj = db.session.get(PrintJob, int(job.payload["print_job_id"]))
    if pj is None:
        return {"skipped": "print job gone"}
    store = media()
    if pj.status in ("ready", "printed") and store.exists(pj.pdf_key):
        return {"pdf_key": pj.pdf_key}
    pj.status = "rendering"
    db.session.commit()
    progress(0.1, "Menyusun label dan kode produksi")
    try:
        pdf = render_job_pdf(pj)
        progress(0.8, "Menyimpan PDF")
        key = store.put(pdf_key_for(pj), pdf)
    except Exception:
        db.session.rollback()
        pj = db.session.get(PrintJob, int(job.payload["print_job_id"]))
        pj.status = "failed"
        db.session.commit()
        raise
    pj.pdf_key = key
    pj.status = "ready"
    db.session.commit()
    return {"pdf_key": key, "bytes": len(pdf), "copies": pj.copies, "sheets": pj.sheets}


# ------------------------------------------------------------------------------ print checks ahead
PRINT_WARM_KIND = "print.warm_checks"


def _print_check(version) -> None:
    """The print gate's checks of ``version`` on its own stock, for each printer that stock can be
    printed with here (no printer / sheet printers: the stock's own dpi; each active thermal printer
    that fits): what ``services.create_print_job`` re-checks (the label at the printer's dots, the
    stamping box the batch code goes in), into the cache."""
    from .services import active_printers, printer_fits

    stock = get_layout(version.layout_id)
    thermal = {p.dpi: p for p in active_printers() if p.kind == "thermal" and printer_fits(p, stock)}
    for printer in [None, *(thermal[d] for d in sorted(thermal))]:
        prepare_checks(version, stock, printer)


def prepare_checks(version, layout, printer) -> None:
    """The print gate's checks of ``version`` on ``layout`` through ``printer`` (None: no profile)
    into the content-hash cache: the label re-checked at the printer's dots (codes decoded) and its
    stamping box geometry. Composes once at most; nothing is decided here, the submit still checks
    (from the cache when these inputs are still the same)."""
    prepared = prepared_for_printer(version, layout, printer)
    recheck_at_printer(version, layout, printer, prepared=prepared)
    measure_stamp_boxes(version, layout, printer, prepared=prepared)


PREPARE_KIND = "print.prepare_checks"


@handler(PREPARE_KIND)      # light lane: the operator is on the job form now, it must be ready before the submit
def prepare_print_checks(job: Job, progress) -> dict:
    """:func:`prepare_checks` for the label, stock and printer a job form was opened with
    (``services.prepare_print_checks``). A version no longer approved, a stock or printer gone, or
    another label size: nothing to prepare (the submit refuses those itself)."""
    from ..designs.models import DesignVersion, VersionStatus
    from ..errors import NotFound
    from .models import PrinterProfile

    version = db.session.get(DesignVersion, int(job.payload["version_id"]))
    if version is None or version.status != VersionStatus.APPROVED:
        return {"skipped": "not approved"}
    try:
        layout = get_layout(job.payload["layout_id"])
    except NotFound:
        return {"skipped": "no such stock"}
    printer_id = job.payload.get("printer_id")
    printer = db.session.get(PrinterProfile, int(printer_id)) if printer_id else None
    if printer_id and printer is None:
        return {"skipped": "no such printer"}
    try:
        prepare_checks(version, layout, printer)
    except NeedsNewVersion:
        return {"skipped": "another label size"}
    return {"prepared": True}


def printable_versions(since: datetime | None = None) -> list:
    """The newest approved version of every label of a product still in use (the print queue);
    ``since``: only those approved after it."""
    from sqlalchemy import select

    from ..designs.models import DesignVersion, VersionStatus
    from ..products.models import Product

    newest, seen = [], set()
    for v in db.session.scalars(select(DesignVersion).join(Product, Product.id == DesignVersion.product_id)
                                .where(DesignVersion.status == VersionStatus.APPROVED, Product.archived.is_(False))
                                .order_by(DesignVersion.decided_at.desc(), DesignVersion.id.desc())):
        if v.design_id not in seen:
            seen.add(v.design_id)
            if since is None or (v.decided_at is not None and as_utc(v.decided_at) > since):
                newest.append(v)
    return newest


@handler(PRINT_WARM_KIND, lane="heavy")   # as review.warm_checks: low priority, off the page process
def warm_print_checks(job: Job, progress) -> dict:
    """The print check of every label in the print queue (``since`` in the payload: only those
    approved after it), into the cache (idempotent)."""
    from ..review.tasks import check_ahead

    since = job.payload.get("since")
    return check_ahead(printable_versions(datetime.fromisoformat(since) if since else None), _print_check, progress)


@periodic
def warm_print_checks_when_due() -> None:
    """Once per day and code version the whole print queue, and after an approval the labels
    approved since the last pass."""
    from sqlalchemy import func, select

    from ..designs.models import DesignVersion, VersionStatus
    from ..review import tasks as review_tasks

    newest = db.session.scalar(select(func.max(DesignVersion.decided_at))
                               .where(DesignVersion.status == VersionStatus.APPROVED))
    newest = as_utc(newest).isoformat() if newest is not None else ""
    last = review_tasks.last_key(PRINT_WARM_KIND)
    same_day = last is not None and last[:2] == review_tasks.day_and_code()
    review_tasks.warm_once(PRINT_WARM_KIND, newest, payload={"since": last[2] if same_day and last[2] else None})
