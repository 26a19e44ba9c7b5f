"""Fit and downsample raster images once, at compose time, to <= 300 ppi at their placed size."""
from __future__ import annotations

import hashlib
import math
import threading
import weakref
from dataclasses import dataclass

from PIL import Image

TARGET_PPI = 300.0
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


def fit_image(im: Image.Image, box: tuple[float, float, float, float], fit: str = "contain") -> Fitted:
    """Place ``im`` in ``box`` (x, y, w, h mm) by ``fit`` ("contain" keeps it whole and centred,
    "cover" crops the centre to fill the box) and downsample it to at most 300 ppi. Cached per
    source image and placed size, so 1,000 labels with the same photo resample it once.
    """
    bx, by, bw, bh = box
    src_w, src_h = im.size
    if fit == "cover":
        w_mm, h_mm = bw, bh
        scale = max(bw / src_w, bh / src_h)         # mm per source pixel
        crop_w, crop_h = bw / scale, bh / scale
        left, top = (src_w - crop_w) / 2, (src_h - crop_h) / 2
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
