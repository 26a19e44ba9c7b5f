"""Background job ``photo.clean``: run the imaging pipeline on a photo's untouched original.

Idempotent: the output keys depend only on (photo, original, steps, size), every file is written
atomically (temp + rename), and the Photo row is switched to the new files in one conditional
UPDATE at the end. A re-run after a crash therefore rewrites the same files and never leaves a
half-written one; a job that a newer correction has superseded writes nothing to the row.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor

from flask import current_app
from sqlalchemy import update

from ..extensions import db
from ..imaging import encode_jpeg, encode_png, open_upload, run_cleanup
from ..imaging.compose import contain, small_cutouts
from ..jobs import Job, handler, warmup
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


@warmup
def _load_segmentation_model() -> None:
    """The model session (~0.3-0.5 s, onnxruntime import included) before the first photo arrives."""
    from ..imaging import segment

    segment.model_available()


def _photo_job_lost(job_id: int) -> None:
    """The cleanup job was failed outside its handler (its process kept dying): the photo says so."""
    db.session.execute(update(Photo).where(Photo.job_id == job_id, Photo.status != PhotoStatus.READY)
                       .values(status=PhotoStatus.FAILED))


@handler("photo.clean", lane="heavy", on_lost=_photo_job_lost)
def clean_photo(job: Job, progress) -> dict:
    """Clean one photo: preview of the original, catalogue JPEG, cut-out PNG, mask PNG, thumbnails.

    The original is decoded once in full. The browser preview (from its own reduced decode) is made
    on a second thread beside the cleanup, and the full-size cut-out PNG is encoded there beside the
    other files: decoding and resizing run outside the GIL, so an idle 2-core machine uses its second
    core (Pillow's PNG encoder holds the GIL between chunks, so that overlap is partial). Under load
    it costs no extra work. ``seconds`` in the result: the time of each stage.
    """
    photo_id, job_id = int(job.payload["photo_id"]), job.id
    photo = _is_current(photo_id, job_id)
    if photo is None:
        return {"skipped": "deleted or superseded"}
    photo.status = PhotoStatus.PROCESSING
    db.session.commit()
    original_key, steps = photo.original_key, list(photo.steps or [])
    old_keys = _keys_of(photo)
    pkey = preview_key(photo)
    cfg = current_app.config
    size_px = int(cfg.get("PHOTO_SIZE_PX", 1200))
    folder = derived_folder(photo_id, original_key, steps, size_px)
    clock = _StageClock(progress)
    store = media()
    try:
        clock(0.02, "start")
        data = store.read(original_key)
        limits = {"max_bytes": cfg["UPLOAD_MAX_BYTES"], "max_pixels": cfg["UPLOAD_MAX_PIXELS"]}
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"photo-{photo_id}") as pool:
            # the preview from its own decode at the scale it needs (a JPEG: half size, DCT-scaled)
            preview = None if store.exists(pkey) else pool.submit(
                lambda: store.put(pkey, encode_jpeg(contain(open_upload(data, reduce_to_px=PREVIEW_PX, **limits).image,
                                                            PREVIEW_PX), quality=85)))
            loaded = open_upload(data, **limits)
            del data
            clock(0.06, "preview")
            result = run_cleanup(loaded.image, steps, size_px=size_px, thumb_sizes=THUMB_SIZES,
                                 progress=lambda f, stage: clock(0.06 + 0.8 * f, stage))
            del loaded
            clock(0.88, "saving")
            new, small = _save_outputs(pool, store, folder, result)
            for future in (preview, *small):
                if future is not None:
                    future.result()
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
    return {"photo_id": photo_id, "folder": folder, **new, "seconds": clock.done()}


def _save_outputs(pool: ThreadPoolExecutor, store, folder: str, result) -> tuple[dict, list[Future]]:
    """Encode and store every output; the big full-resolution cut-out PNG first, on the other thread.

    Returns the keys for the Photo row and the futures still to wait for. The cut-out and mask PNGs
    use zlib level 1: as fast as PNG gets, and only ~3 % larger than level 3 on a 12 MP cut-out.
    """
    cutout = pool.submit(lambda: store.put(f"{folder}/cutout.png", encode_png(result.cutout, compress_level=1)))
    new = {
        "catalogue_key": store.put(f"{folder}/catalogue.jpg", encode_jpeg(result.catalogue)),
        "mask_key": store.put(f"{folder}/mask.png", encode_png(result.mask, compress_level=1)),
        "thumb_keys": {str(s): store.put(f"{folder}/thumb-{s}.jpg", encode_jpeg(im))
                       for s, im in result.thumbnails.items()},
    }
    # Small cut-outs for pages: cropped to the product (so it is not lost in an empty frame), and
    # the whole frame (laid over the original in the correction editor).
    for framed, im in zip((False, True), small_cutouts(result.cutout, CUTOUT_PREVIEW_PX)):
        store.put(f"{folder}/{small_cutout_name(framed=framed)}", encode_png(im))
    new["cutout_key"] = f"{folder}/cutout.png"
    return new, [cutout]


class _StageClock:
    """The job's progress callback that also times each stage (seconds from its start to the next)."""

    def __init__(self, progress):
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self.stage: str | None = None
        self.t = time.perf_counter()

    def __call__(self, fraction: float, stage: str) -> None:
        self._close()
        self.stage = stage
        self.progress(fraction, stage)

    def _close(self) -> None:
        now = time.perf_counter()
        if self.stage is not None:
            self.seconds[self.stage] = round(self.seconds.get(self.stage, 0.0) + now - self.t, 3)
        self.t = now

    def done(self) -> dict[str, float]:
        self._close()
        self.stage = None
        return self.seconds


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
