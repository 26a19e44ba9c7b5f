"""Product photos: upload checked by content, the untouched original, corrections, the main photo.

The heavy cleanup never runs here: these services validate, store the original and queue the
``photo.clean`` job (``products/tasks.py``) through the jobs seam. A photo's ``steps`` is the
replayable list of engine operations (STYLE.md E13); corrections made by the producer are
recorded in it in the original photo's pixel coordinates (display orientation).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..auth.models import Role, User
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..imaging import DEFAULT_CLEANUP, UploadRejected
from ..imaging.io import check_upload, photo_shape_problem
from ..imaging.pipeline import normalise_steps
from ..jobs import Job, JobStatus, dispatch, heavy_workers, submit, typical_run_s
from ..media import media
from .models import Photo, Product
from .photo_corrections import clean_corrections, corrections_from_steps, steps_from_corrections
from .services import get_own_product, get_product

__all__ = ["PhotoKind", "add_photo", "clean_corrections", "contents_photo", "correct_photo", "corrections_from_steps",
           "delete_photo", "get_photo", "list_photos", "photo_file", "photo_progress", "photo_unusable",
           "photos_progress", "set_primary_photo", "small_photo_warning", "steps_from_corrections"]

MAX_PHOTOS_PER_PRODUCT = 12
PREVIEW_PX = 1600           # longer side of the browser-viewable copy of the original
CUTOUT_PREVIEW_PX = 600     # longer side of the small cut-out shown on pages
THUMB_SIZES = (600, 300, 150)
FORMAT_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}
FORMAT_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}


_slots_lock = threading.Lock()
_decode_slots: threading.BoundedSemaphore | None = None


def _decode_slot() -> threading.BoundedSemaphore:
    """At most as many uploads as photo cleanups run at once (``jobs.heavy_workers``), and at least
    2, are decoded at once in this process (a 12 MP JPEG check holds ~2 MB for 0.1 s, a 12 MP PNG or
    HEIC ~100 MB for half a second): several producers uploading together wait a moment, memory
    stays bounded."""
    global _decode_slots
    with _slots_lock:
        if _decode_slots is None:
            _decode_slots = threading.BoundedSemaphore(max(2, heavy_workers(current_app.config)))
        return _decode_slots


class PhotoKind(StrEnum):
    PACK = "pack"            # the product in its pack: main photo, catalogue and listing
    CONTENTS = "contents"    # the food itself (keripik on a plate): used on labels when there is one


class PhotoStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


# ------------------------------------------------------------------ queries
def get_photo(actor: User, photo_id: int, *, with_job: bool = False) -> Photo:
    """A photo the actor may see (the product's viewers: owner, their trainer, hub, admin).
    ``with_job``: its cleanup job is read in the same query (the progress poll shows it next: one
    round trip fewer on every poll).

    :raises NotFound: otherwise — never reveals that another producer's photo exists.
    """
    if with_job:
        row = db.session.execute(select(Photo, Job).outerjoin(Job, Job.id == Photo.job_id)
                                 .where(Photo.id == photo_id)).first()
        photo = row[0] if row is not None else None
    else:
        photo = db.session.get(Photo, photo_id)
    if photo is None:
        raise NotFound(str(_l("Foto tidak ditemukan.")))
    get_product(actor, photo.product_id)
    return photo


def _own_photo(actor: User, photo_id: int) -> tuple[Photo, Product]:
    photo = get_photo(actor, photo_id)
    return photo, get_own_product(actor, photo.product_id)


def list_photos(actor: User, product_id: int) -> list[Photo]:
    """The product's photos, oldest first. :raises NotFound: when the actor may not see it."""
    product = get_product(actor, product_id)
    return list(db.session.scalars(select(Photo).where(Photo.product_id == product.id).order_by(Photo.id)))


def contents_photo(product: Product) -> Photo | None:
    """The newest cleaned "contents" photo of a product (the food itself), or None."""
    return db.session.scalar(select(Photo).where(Photo.product_id == product.id, Photo.kind == PhotoKind.CONTENTS,
                                                 Photo.status == PhotoStatus.READY).order_by(Photo.id.desc()))


def photo_progress(actor: User, photo_id: int, *, active_job_ids: list[int] | None = None) -> dict:
    """Where the cleanup of a photo stands: ``{status, progress 0..1, stage, finished, waiting, ready_in_s}``.

    ``stage`` is a short code (an engine step name, "queued", "saving" …) for the view to word;
    ``waiting`` counts cleanup jobs queued before this one (``active_job_ids``: the queued or
    running cleanup jobs, when the caller has read them already); ``ready_in_s`` estimates, for a
    photo waiting its turn, when it will be ready: the photos ahead shared among the cleanups that
    run at once (``jobs.heavy_workers``), then its own, each taking the recent median cleanup time
    (None before any cleanup finished). :raises NotFound: as :func:`get_photo`.
    """
    photo = get_photo(actor, photo_id)
    finished = photo.status in (PhotoStatus.READY, PhotoStatus.FAILED)
    job = db.session.get(Job, photo.job_id) if photo.job_id else None
    progress, stage, waiting = (1.0 if finished else 0.0), photo.status, 0
    if job is not None and not finished:
        progress, stage = float(job.progress or 0.0), (job.message or job.status)
        if job.status == JobStatus.QUEUED:
            stage = "queued"
            if active_job_ids is not None:
                waiting = sum(1 for i in active_job_ids if i < job.id)
            else:
                waiting = db.session.scalar(select(func.count(Job.id)).where(
                    Job.kind == "photo.clean", Job.id < job.id,
                    Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))) or 0
    ready_in_s = None
    if stage == "queued" and waiting:
        typical = typical_run_s("photo.clean")
        if typical:
            ready_in_s = round((-(-int(waiting) // heavy_workers(current_app.config)) + 1) * typical)
    return {"status": photo.status, "progress": round(progress, 3), "stage": stage,
            "finished": finished, "waiting": int(waiting), "ready_in_s": ready_in_s}


def photos_progress(actor: User, photos: list[Photo]) -> dict[int, dict]:
    """:func:`photo_progress` of a page of photos in a fixed number of queries: their jobs in
    one, the cleanup jobs still queued or running (for "waiting") in another."""
    job_ids = [p.job_id for p in photos if p.job_id]
    jobs_by_id = {j.id: j for j in db.session.scalars(select(Job).where(Job.id.in_(job_ids)))} if job_ids else {}
    active = None
    if any(j.status == JobStatus.QUEUED for j in jobs_by_id.values()):
        newest = max(j.id for j in jobs_by_id.values() if j.status == JobStatus.QUEUED)
        active = list(db.session.scalars(select(Job.id).where(
            Job.kind == "photo.clean", Job.id < newest, Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))))
    out = {p.id: photo_progress(actor, p.id, active_job_ids=active) for p in photos}
    del jobs_by_id     # held until here: db.session.get found them in the identity map
    return out


# ------------------------------------------------------------------ keys of stored files
def derived_folder(photo_id: int, original_key: str, steps: list, size_px: int) -> str:
    """Media folder of one cleanup result: the same inputs always give the same folder, so a
    re-run after a crash rewrites the same files (atomically) instead of adding new ones."""
    digest = hashlib.sha256(json.dumps([original_key, steps, size_px, THUMB_SIZES],
                                       sort_keys=True).encode()).hexdigest()[:16]
    return f"derived/{photo_id}/{digest}"


def preview_key(photo: Photo) -> str:
    """Key of the metadata-free, display-oriented JPEG copy of the original (for browsers)."""
    return f"derived/{photo.id}/original-{PREVIEW_PX}.jpg"


def cutout_preview_key(photo: Photo, *, framed: bool = False) -> str | None:
    """Key of a small cut-out PNG written beside the full-size one: cropped to the product for
    pages, or ``framed`` (the whole photo frame) to lay over the original in the correction editor."""
    if not photo.cutout_key:
        return None
    return f"{photo.cutout_key.rsplit('/', 1)[0]}/{small_cutout_name(framed=framed)}"


def small_cutout_name(*, framed: bool = False) -> str:
    return f"cutout-{'frame' if framed else 'crop'}-{CUTOUT_PREVIEW_PX}.png"


FILE_KINDS = ("original", "preview", "catalogue", "cutout", "cutout-small", "cutout-frame", "mask",
              *(f"thumb-{s}" for s in THUMB_SIZES))


def photo_file(actor: User, photo_id: int, kind: str) -> tuple[str, str]:
    """``(media key, mimetype)`` of one stored file of a photo, after the permission check.

    The untouched original (which may carry the phone's GPS position) goes only to the owner
    and admins; every other kind is a derived image with no metadata.

    :raises NotFound: for an unknown kind, a file not made yet, or a photo the actor may not see.
    """
    photo = get_photo(actor, photo_id)
    if kind == "original":
        product = db.session.get(Product, photo.product_id)
        if not (actor.role == Role.ADMIN or product.owner_id == actor.id):
            raise NotFound(str(_l("Foto tidak ditemukan.")))
        return photo.original_key, FORMAT_MIME.get(photo.original_format, "application/octet-stream")
    keys = {
        "preview": (preview_key(photo), "image/jpeg"),
        "catalogue": (photo.catalogue_key, "image/jpeg"),
        "cutout": (photo.cutout_key, "image/png"),
        "cutout-small": (cutout_preview_key(photo), "image/png"),
        "cutout-frame": (cutout_preview_key(photo, framed=True), "image/png"),
        "mask": (photo.mask_key, "image/png"),
        **{f"thumb-{s}": ((photo.thumb_keys or {}).get(str(s)), "image/jpeg") for s in THUMB_SIZES},
    }
    key, mime = keys.get(kind, (None, ""))
    if not key or not media().exists(key):
        raise NotFound(str(_l("Berkas foto belum ada.")))
    return key, mime


# ------------------------------------------------------------------ use-cases
def _safe_name(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _queue_cleanup(photo: Photo) -> Job:
    """Attach a new cleanup job to ``photo`` in the caller's transaction (caller commits, then dispatches)."""
    job = submit("photo.clean", {"photo_id": photo.id}, commit=False)
    db.session.flush()
    photo.job_id = job.id
    photo.status = PhotoStatus.QUEUED
    return job


def add_photo(actor: User, product_id: int, data: bytes, filename: str, *, locale: str = "id",
              size_bytes: int | None = None, kind: str = PhotoKind.PACK) -> Photo:
    """Check an upload by its content, keep the original untouched and queue its cleanup.

    The first pack photo of a product becomes its main photo. ``kind`` "contents" is a photo of
    the food itself: labels show the newest one, the catalogue keeps the pack photo. A refused
    file leaves nothing behind: no row, no stored file.

    :raises Invalid: on ``photo`` with the engine's reason (empty, too large, not a photo,
        unsupported, animated, damaged, too many pixels) in ``locale`` ("id" or "en", the view passes
        the request's language). ``size_bytes`` is the whole file's size when ``data`` was read only
        up to the limit (so the refusal names the real size).
    :raises Conflict: on ``photo`` when the product already has the maximum number of photos.
    :raises NotFound, Forbidden: when the actor may not change the product.
    """
    product = get_own_product(actor, product_id)
    if kind not in tuple(PhotoKind):
        raise Invalid(str(_l("Jenis foto tidak dikenal.")), field="kind")
    count = db.session.scalar(select(func.count(Photo.id)).where(Photo.product_id == product.id)) or 0
    if count >= MAX_PHOTOS_PER_PRODUCT:
        raise Conflict(str(_l("Sudah ada %(n)d foto. Hapus foto yang tidak dipakai dulu.",
                              n=MAX_PHOTOS_PER_PRODUCT)), field="photo")
    cfg = current_app.config
    try:  # header check, then a bounded decode of the whole file: a damaged file is refused now, not
        # in a worker. A JPEG is decoded at 1/8 scale (every byte still read); the job decodes it in full.
        with _decode_slot():
            checked = check_upload(data, max_bytes=cfg["UPLOAD_MAX_BYTES"], max_pixels=cfg["UPLOAD_MAX_PIXELS"],
                                   size_bytes=size_bytes)
        fmt, (width, height) = checked.format, checked.size
        shape = _shape_problem(width, height)
        if shape is not None:
            raise shape
    except UploadRejected as e:
        raise Invalid(e.message_en if locale == "en" else e.message_id, field="photo") from None
    key = media().put_content("originals", data, FORMAT_EXT[fmt])
    try:
        photo = Photo(product_id=product.id, original_key=key, original_name=_safe_name(filename),
                      original_format=fmt, width_px=width, height_px=height,
                      steps=normalise_steps(DEFAULT_CLEANUP), status=PhotoStatus.QUEUED,
                      uploaded_by_id=actor.id, kind=str(kind))
        db.session.add(photo)
        db.session.flush()
        job = _queue_cleanup(photo)
        if product.primary_photo_id is None and kind == PhotoKind.PACK:
            product.primary_photo_id = photo.id
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _forget_original(key)
        raise
    dispatch(job.id)
    return photo


def _shape_problem(width: int, height: int) -> UploadRejected | None:
    cfg = current_app.config
    return photo_shape_problem(width, height, min_side_px=int(cfg.get("PHOTO_MIN_SIDE_PX", 200)),
                               max_aspect=float(cfg.get("PHOTO_MAX_ASPECT", 6.0)))


def photo_unusable(photo: Photo, *, locale: str = "id") -> str | None:
    """Why this photo can only fail the cleanup (too small, too long and narrow), or None.

    Photos stored before the upload check (or under looser settings) are told here, so "Coba lagi"
    is not offered, and not accepted, for a photo no re-run can clean.
    """
    e = _shape_problem(photo.width_px or 0, photo.height_px or 0)
    if e is None:
        return None
    return e.message_en if locale == "en" else e.message_id


def small_photo_warning(photo: Photo) -> str | None:
    """A warning for a photo that is accepted but small for the catalogue image (blurry when enlarged)."""
    warn_px = int(current_app.config.get("PHOTO_WARN_SIDE_PX", 600))
    w, h = photo.width_px or 0, photo.height_px or 0
    if min(w, h) >= warn_px:
        return None
    return str(_l("Foto ini kecil (%(w)d × %(h)d piksel): di katalog bisa tampak buram. Bila ada, kirim foto "
                  "yang lebih besar (sisi terpendek %(n)d piksel atau lebih).", w=w, h=h, n=warn_px))


def _forget_original(key: str) -> None:
    """Delete a stored original unless another photo row still uses it (content-addressed)."""
    if not db.session.scalar(select(func.count(Photo.id)).where(Photo.original_key == key)):
        media().delete(key)


def correct_photo(actor: User, photo_id: int, corrections: dict, *, locale: str = "id") -> Photo:
    """Make a new steps list from the producer's corrections and re-run the cleanup from the original.

    ``corrections`` (all optional; coordinates in pixels of the original in display orientation):
    ``box`` [x0, y0, x1, y1] around the product; ``fg_points``/``bg_points`` taps [x, y] or brush
    strokes [[x, y], …] marked "product"/"background"; ``crop`` [x0, y0, x1, y1]; ``rotate``
    0/90/180/270 degrees clockwise; ``shadow`` bool (soft shadow under the product);
    ``background`` "#rrggbb"; ``fill_ratio`` 0.5–0.95. An empty dict means the automatic cleanup.

    :raises Invalid: with ``field`` set when a correction is malformed or out of range, or on
        ``photo`` when the photo can only fail (:func:`photo_unusable`, told in ``locale``).
    :raises NotFound, Forbidden: when the actor may not change the product.
    """
    photo, _product = _own_photo(actor, photo_id)
    unusable = photo_unusable(photo, locale=locale)
    if unusable:
        raise Invalid(unusable, field="photo")
    steps = steps_from_corrections(corrections, (photo.width_px, photo.height_px))
    photo.steps = steps
    job = _queue_cleanup(photo)
    db.session.commit()
    dispatch(job.id)
    return photo


def set_primary_photo(actor: User, photo_id: int) -> Photo:
    """Make ``photo_id`` the product's main photo (the one used on the label and in the catalogue).

    :raises Invalid: when the photo could not be cleaned.
    :raises NotFound, Forbidden: when the actor may not change the product.
    """
    photo, product = _own_photo(actor, photo_id)
    if photo.kind == PhotoKind.CONTENTS:
        raise Invalid(str(_l("Foto isi dipakai di label saja. Foto utama (untuk katalog) harus foto kemasan.")),
                      field="photo")
    if photo.status == PhotoStatus.FAILED:
        raise Invalid(str(_l("Foto ini gagal diproses. Perbaiki dulu atau pilih foto lain.")), field="photo")
    product.primary_photo_id = photo.id
    db.session.commit()
    return photo


def delete_photo(actor: User, photo_id: int) -> None:
    """Delete a photo, its derived files, and its original when no other photo shares it.

    When it was the main photo, the newest other usable photo becomes the main one.

    :raises NotFound, Forbidden: when the actor may not change the product.
    """
    photo, product = _own_photo(actor, photo_id)
    original_key = photo.original_key
    if product.primary_photo_id == photo.id:
        product.primary_photo_id = db.session.scalar(
            select(Photo.id).where(Photo.product_id == product.id, Photo.id != photo.id,
                                   Photo.kind != PhotoKind.CONTENTS,
                                   Photo.status != PhotoStatus.FAILED).order_by(Photo.id.desc()))
        db.session.flush()
    db.session.delete(photo)
    db.session.commit()
    remove_derived(photo_id)
    _forget_original(original_key)


def remove_derived(photo_id: int) -> None:
    """Remove every derived file of a photo (all cleanup runs and the preview)."""
    folder = media().path(f"derived/{int(photo_id)}")
    shutil.rmtree(folder, ignore_errors=True)
