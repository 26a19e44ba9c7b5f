"""The hub's plain log: the last page errors and background-job failures, explained in words.

Page errors are written by :func:`record_error` on their own connection (the request's session may be
the very thing that broke); only the newest ``KEEP`` rows are kept.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select

from ..db import utcnow
from ..extensions import db
from ..jobs import Job, JobStatus
from .models import ErrorEvent

log = logging.getLogger(__name__)
KEEP = 500

JOB_NAMES = {
    "photo.clean": _l("Merapikan foto produk"),
    "print.render": _l("Membuat PDF cetak label"),
    "catalogue.deliver": _l("Mengirim produk ke BLONJO"),
    "golive.backup": _l("Cadangan harian"),
}

# (text found in the technical message, what it means for the hub), checked in order
CAUSES = [
    ("No space left", _l("Diska penuh. Hapus berkas lama atau pasang diska yang lebih besar.")),
    ("database is locked", _l("Database sedang sibuk. Biasanya hilang sendiri; coba lagi sebentar lagi.")),
    ("PermissionError", _l("Studio tidak boleh menulis ke folder itu. Periksa izin folder atau diska USB.")),
    ("Permission denied", _l("Studio tidak boleh menulis ke folder itu. Periksa izin folder atau diska USB.")),
    ("no backup folder", _l("Folder cadangan belum diatur (studio set-backup-dir).")),
    ("FileNotFoundError", _l("Berkas atau folder tidak ditemukan. Apakah diska USB tercabut?")),
    ("Read-only file system", _l("Diska hanya bisa dibaca. Pasang ulang diska USB.")),
    ("pg_dump", _l("Alat cadangan PostgreSQL (pg_dump) tidak ada atau gagal.")),
    ("Timeout", _l("Tidak ada jawaban tepat waktu dari server tujuan. Periksa sambungan internet.")),
    ("ConnectionError", _l("Tidak tersambung ke server tujuan. Periksa sambungan internet.")),
    ("Connection refused", _l("Server tujuan menolak sambungan. Periksa alamatnya atau coba lagi nanti.")),
    ("MemoryError", _l("Memori komputer hub habis. Tutup program lain atau kecilkan foto.")),
    ("DecompressionBomb", _l("Foto terlalu besar untuk diolah.")),
    ("UnidentifiedImageError", _l("Berkas bukan foto yang bisa dibaca.")),
]


def explain(technical: str | None) -> str:
    """What a technical error message means, in the hub's words."""
    text = technical or ""
    for needle, words in CAUSES:
        if needle.lower() in text.lower():
            return str(words)
    return str(_l("Kesalahan yang tidak terduga. Catat waktunya dan kirim detail teknis ke pengelola studio."))


def record_error(where: str, exc: BaseException) -> None:
    """Store one page error (own connection and transaction), keeping the newest KEEP rows."""
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(ErrorEvent).values(
                at=utcnow(), place=where[:200], kind=type(exc).__name__[:80], message=str(exc)[:500],
                detail="".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=8))[:4000]))
            cutoff = conn.execute(select(ErrorEvent.id).order_by(ErrorEvent.id.desc()).offset(KEEP).limit(1)).scalar()
            if cutoff is not None:
                conn.execute(delete(ErrorEvent).where(ErrorEvent.id <= cutoff))
    except Exception:   # the log must never make a failing page fail worse
        log.exception("could not record the error of %s", where)


@dataclass(frozen=True)
class Entry:
    at: datetime | None
    what: str
    why: str
    detail: str
    retrying: bool = False


def recent_errors(limit: int = 50) -> list[Entry]:
    rows = db.session.scalars(select(ErrorEvent).order_by(ErrorEvent.id.desc()).limit(limit))
    return [Entry(at=r.at, what=str(_l("Halaman %(p)s gagal dibuka", p=r.place)),
                  why=explain(f"{r.kind}: {r.message}\n{r.detail}"), detail=f"{r.kind}: {r.message}\n\n{r.detail}")
            for r in rows]


def job_failures(limit: int = 50) -> list[Entry]:
    """Failed jobs, and jobs waiting to retry after an error, newest first."""
    rows = db.session.scalars(select(Job).where(
        (Job.status == JobStatus.FAILED) | ((Job.status == JobStatus.QUEUED) & Job.error.is_not(None)))
        .order_by(Job.id.desc()).limit(limit))
    return [Entry(at=j.finished_at or j.started_at or j.created_at,
                  what=str(JOB_NAMES.get(j.kind, j.kind)), why=explain(j.error), detail=j.error or "",
                  retrying=j.status == JobStatus.QUEUED)
            for j in rows]
