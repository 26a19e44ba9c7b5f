"""Background work of the hub: rendering a print job's PDF (``print.render``)."""
from __future__ import annotations

from ..extensions import db
from ..jobs import Job, handler
from ..media import media
from .models import PrintJob
from .render import render_job_pdf


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
