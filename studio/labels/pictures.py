"""Fit and downsample raster images once, at compose time, to <= 300 ppi at their placed size."""
from __future__ import annotations

import hashlib
import math
import threading
import weakref
from dataclasses import dataclass

from PIL import Image

TARGET_PPI = 300.0
COVER_MIN_PPI = 200.0   # a picture filling its box is drawn smaller rather than below this (compose: error)
_CACHE: dict[tuple, tuple[Image.Image, str]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Fitted:
    """Where the picture lands (mm, label coordinates), the pixels to embed and their resolution."""

    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    image: Image.Image
    key: str
    ppi: float          # effective resolution of the source at the placed size


def _normalise(im: Image.Image) -> Image.Image:
    if im.mode in ("RGB", "RGBA", "L"):
        return im
    if im.mode in ("LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        return im.convert("RGBA")
    return im.convert("RGB")


_SUBJECT: dict[tuple, tuple[int, int, int, int]] = {}


def _subject_box(im: Image.Image) -> tuple[int, int, int, int]:
    """The bounding box of the picture's opaque part (alpha > 16; the whole picture without alpha)."""
    key = (id(im), im.size, im.mode)
    with _LOCK:
        hit = _SUBJECT.get(key)
    if hit is not None:
        return hit
    box = None
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        alpha = (im if im.mode in ("RGBA", "LA") else im.convert("RGBA")).getchannel("A")
        box = alpha.point(lambda v: 255 if v > 16 else 0).getbbox()
    box = box or (0, 0, im.size[0], im.size[1])
    with _LOCK:
        if len(_SUBJECT) > 256:
            _SUBJECT.clear()
        _SUBJECT[key] = box
    try:
        weakref.finalize(im, _SUBJECT.pop, key, None)
    except TypeError:
        pass
    return box


def fit_image(im: Image.Image, box: tuple[float, float, float, float], fit: str = "contain") -> Fitted:
    """Place ``im`` in ``box`` (x, y, w, h mm) by ``fit`` ("contain" keeps it whole and centred,
    "cover" fills the box with the picture's subject: a cut-out's opaque part, centred and cropped) and downsample it to at most 300 ppi. Cached per
    source image and placed size, so 1,000 labels with the same photo resample it once.
    """
    bx, by, bw, bh = box
    src_w, src_h = im.size
    if fit == "cover":      # a cut-out: fill the box with the subject (its opaque part), not its empty frame
        w_mm, h_mm = bw, bh
        sx0, sy0, sx1, sy1 = _subject_box(im)
        scale = max(bw / (sx1 - sx0), bh / (sy1 - sy0))     # mm per source pixel
        # not enlarged past TARGET_PPI while the frame has more pixels: a wider window around the subject
        scale = min(scale, max(25.4 / (TARGET_PPI * 1.001), bw / src_w, bh / src_h))
        crop_w, crop_h = min(src_w, bw / scale), min(src_h, bh / scale)
        scale = max(bw / crop_w, bh / crop_h)
        if scale > 25.4 / COVER_MIN_PPI:    # too few pixels even so: drawn smaller (centred), never blurry
            scale = 25.4 / COVER_MIN_PPI
            w_mm, h_mm = crop_w * scale, crop_h * scale
        cx, cy = (sx0 + sx1) / 2, (sy0 + sy1) / 2
        left = min(max(0.0, cx - crop_w / 2), src_w - crop_w)
        top = min(max(0.0, cy - crop_h / 2), src_h - crop_h)
        crop = (round(left), round(top), round(left + crop_w), round(top + crop_h))
    else:
        scale = min(bw / src_w, bh / src_h)
        w_mm, h_mm = src_w * scale, src_h * scale
        crop = (0, 0, src_w, src_h)
    x_mm, y_mm = bx + (bw - w_mm) / 2, by + (bh - h_mm) / 2
    ppi = 25.4 / scale if scale > 0 else 0.0
    tw = max(1, math.ceil(w_mm / 25.4 * TARGET_PPI))
    th = max(1, math.ceil(h_mm / 25.4 * TARGET_PPI))
    cache_key = (id(im), im.size, im.mode, crop, tw, th)
    with _LOCK:
        hit = _CACHE.get(cache_key)
    if hit is None:
        out = _normalise(im)
        if crop != (0, 0, src_w, src_h):
            out = out.crop(crop)
        if out.size[0] > tw or out.size[1] > th:
            out = out.resize((min(tw, out.size[0]), min(th, out.size[1])), Image.LANCZOS, reducing_gap=3.0)
        else:
            out = out.copy()
        digest = hashlib.blake2b(out.tobytes(), digest_size=10)
        digest.update(f"{out.mode}{out.size}".encode())
        hit = (out, digest.hexdigest())
        with _LOCK:
            if len(_CACHE) > 256:
                _CACHE.clear()
            _CACHE[cache_key] = hit
        try:  # forget the entry when the source image is garbage-collected (its id may be reused)
            weakref.finalize(im, _CACHE.pop, cache_key, None)
        except TypeError:
            pass
    return Fitted(x_mm, y_mm, w_mm, h_mm, hit[0], hit[1], ppi)
