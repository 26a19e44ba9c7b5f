"""Background work of the hub: rendering a print job's PDF (``print.render``), and the print gate's
check of the labels in the print queue run ahead (``print.warm_checks``, see ``review/tasks.py``)."""
from __future__ import annotations

from datetime import datetime

from ..db import as_utc
from ..designs.stock import get_layout
from ..extensions import db
from ..jobs import Job, handler, periodic
from ..media import media
from .models import PrintJob
from .render import printer_dpi_for, render_job_pdf, same_label_layout


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
    """The print gate's check of ``version`` on its own stock, for each printer dpi that stock can
    be printed with here (no printer / sheet printers: the stock's own; each active thermal
    printer that fits): what ``services.create_print_job`` re-checks, into the cache."""
    from ..designs.gates import recheck_version
    from .services import active_printers, printer_fits

    stock = get_layout(version.layout_id)
    dpis = {printer_dpi_for(None, stock)} | {printer_dpi_for(p, stock) for p in active_printers()
                                              if printer_fits(p, stock)}
    for dpi in sorted(dpis, key=lambda d: d or 0):
        recheck_version(version, same_label_layout(version, stock), printer_dpi=dpi)


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
