"""Background job ``photo.clean``: run the imaging pipeline on a photo's untouched original.

Idempotent: the output keys depend only on (photo, original, steps, size), every file is written
atomically (temp + rename), and the Photo row is switched to the new files in one conditional
UPDATE at the end. A re-run after a crash therefore rewrites the same files and never leaves a
half-written one; a job that a newer correction has superseded writes nothing to the row.
"""
from __future__ import annotations

import logging

from flask import current_app
from PIL import Image, ImageOps
from sqlalchemy import update

from ..extensions import db
from ..imaging import encode_jpeg, encode_png, open_upload, run_cleanup
from ..jobs import Job, handler
from ..media import media
from .models import Photo
from .photos import (CUTOUT_PREVIEW_PX, PREVIEW_PX, THUMB_SIZES, PhotoStatus, derived_folder, preview_key,
                     remove_derived, small_cutout_name)

log = logging.getLogger(__name__)


def _is_current(photo_id: int, job_id: int) -> Photo | None:
    photo = db.session.get(Photo, photo_id)
    if photo is not None:
        db.session.refresh(photo)
    return photo if photo is not None and photo.job_id == job_id else None


@handler("photo.clean", lane="heavy")
def clean_photo(job: Job, progress) -> dict:
    """Clean one photo: preview of the original, catalogue JPEG, cut-out PNG, mask PNG, thumbnails."""
    photo_id, job_id = int(job.payload["photo_id"]), job.id
    photo = _is_current(photo_id, job_id)
    if photo is None:
        return {"skipped": "deleted or superseded"}
    photo.status = PhotoStatus.PROCESSING
    db.session.commit()
    original_key, steps = photo.original_key, list(photo.steps or [])
    old_keys = _keys_of(photo)
    cfg = current_app.config
    size_px = int(cfg.get("PHOTO_SIZE_PX", 1200))
    folder = derived_folder(photo_id, original_key, steps, size_px)
    try:
        progress(0.02, "start")
        loaded = open_upload(media().read(original_key), max_bytes=cfg["UPLOAD_MAX_BYTES"],
                             max_pixels=cfg["UPLOAD_MAX_PIXELS"])
        store = media()
        pkey = preview_key(photo)
        if not store.exists(pkey):
            store.put(pkey, encode_jpeg(ImageOps.contain(loaded.image, (PREVIEW_PX, PREVIEW_PX),
                                                         Image.Resampling.LANCZOS), quality=85))
        progress(0.06, "preview")
        result = run_cleanup(loaded.image, steps, size_px=size_px, thumb_sizes=THUMB_SIZES,
                             progress=lambda f, stage: progress(0.06 + 0.8 * f, stage))
        del loaded
        progress(0.88, "saving")
        new = {
            "catalogue_key": store.put(f"{folder}/catalogue.jpg", encode_jpeg(result.catalogue)),
            "cutout_key": store.put(f"{folder}/cutout.png", encode_png(result.cutout)),
            "mask_key": store.put(f"{folder}/mask.png", encode_png(result.mask)),
            "thumb_keys": {str(s): store.put(f"{folder}/thumb-{s}.jpg", encode_jpeg(im))
                           for s, im in result.thumbnails.items()},
        }
        # Small cut-outs for pages: cropped to the product (so it is not lost in an empty frame), and
        # the whole frame (laid over the original in the correction editor).
        side = (CUTOUT_PREVIEW_PX, CUTOUT_PREVIEW_PX)
        bbox = result.cutout.getchannel("A").getbbox() or (0, 0, *result.cutout.size)
        for framed, im in ((False, result.cutout.crop(bbox)), (True, result.cutout)):
            store.put(f"{folder}/{small_cutout_name(framed=framed)}",
                      encode_png(ImageOps.contain(im, side, Image.Resampling.LANCZOS)))
        steps_used = result.steps_used
        del result
    except Exception:
        db.session.rollback()
        db.session.execute(update(Photo).where(Photo.id == photo_id, Photo.job_id == job_id)
                           .values(status=PhotoStatus.FAILED))
        db.session.commit()
        raise
    done = db.session.execute(
        update(Photo).where(Photo.id == photo_id, Photo.job_id == job_id)
        .values(status=PhotoStatus.READY, steps=steps_used, **new))
    db.session.commit()
    if done.rowcount != 1:
        if db.session.get(Photo, photo_id) is None:   # deleted while we worked: leave nothing
            remove_derived(photo_id)
        return {"skipped": "deleted or superseded"}
    for key in old_keys - _flat(new):
        try:
            media().delete(key)
        except (OSError, ValueError):   # an old file that is already gone is fine
            log.info("could not remove old photo file %s", key)
    return {"photo_id": photo_id, "folder": folder, **new}


def _flat(keys: dict) -> set[str]:
    out = {keys["catalogue_key"], keys["cutout_key"], keys["mask_key"], *keys["thumb_keys"].values()}
    folder = keys["cutout_key"].rsplit("/", 1)[0]
    out.update(f"{folder}/{small_cutout_name(framed=f)}" for f in (False, True))
    return out


def _keys_of(photo: Photo) -> set[str]:
    if not photo.cutout_key:
        return set()
    return _flat({"catalogue_key": photo.catalogue_key, "cutout_key": photo.cutout_key,
                  "mask_key": photo.mask_key, "thumb_keys": dict(photo.thumb_keys or {})})
