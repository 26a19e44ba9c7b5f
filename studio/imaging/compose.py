"""Build the outputs from a photo and its mask: halo-free cut-out, square catalogue, thumbnails."""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageColor, ImageFilter

from .refine import sample_bilinear


def parse_colour(colour: str | tuple[int, int, int] | list[int]) -> tuple[int, int, int]:
    """'#rrggbb', a CSS colour name or an (r, g, b) sequence -> (r, g, b) 0..255.

    :raises ValueError: when the colour cannot be read.
    """
    if isinstance(colour, str):
        return ImageColor.getrgb(colour)[:3]
    r, g, b = (int(v) for v in colour)
    if not all(0 <= v <= 255 for v in (r, g, b)):
        raise ValueError(f"colour out of range: {colour!r}")
    return r, g, b


def mask_bbox(mask: np.ndarray, *, level: int = 8) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) px of mask values >= ``level``; None when the mask is empty."""
    rows = np.flatnonzero((mask >= level).any(1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero((mask[rows[0]:rows[-1] + 1] >= level).any(0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def decontaminate(rgb: np.ndarray, alpha: np.ndarray, *, radius_px: float | None = None) -> np.ndarray:
    """Replace the colour of partly transparent edge pixels by the nearby solid product colour.

    Edge pixels are a mix of product and background; left as they are, they draw a line of
    table colour (a halo) around the product on any new background. The nearby colour is
    estimated at a reduced size and read back only at the edge pixels, so memory stays small.
    Returns a new uint8 array; fully transparent pixels are set to black.
    """
    h, w = alpha.shape
    if radius_px is None:
        radius_px = max(1.5, max(h, w) / 1000)
    # no colour where nothing shows (and the PNG compresses well)
    out = cv2.bitwise_and(rgb, rgb, mask=(alpha > 0).view(np.uint8))
    box = mask_bbox(alpha, level=1)
    if box is None:
        return out
    m = int(8 * radius_px) + 4
    x0, y0, x1, y1 = max(0, box[0] - m), max(0, box[1] - m), min(w, box[2] + m), min(h, box[3] + m)
    a = alpha[y0:y1, x0:x1]
    # pixels next to the transition are mixed too, even when the sharpened alpha calls them opaque
    interior = cv2.erode(a, np.ones((5, 5), np.uint8)) >= 250
    ey, ex = np.nonzero((a > 0) & ~interior)
    if ey.size == 0:
        return out
    f = max(1, int(radius_px // 1.5))          # 12 MP: estimate at 1/2 size
    sw, sh = max(1, (x1 - x0) // f), max(1, (y1 - y0) // f)
    solid = cv2.resize(interior.astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    solid = (solid > 0.99).astype(np.float32)  # only small pixels made entirely of product
    src = cv2.resize(rgb[y0:y1, x0:x1], (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32)
    fill = src * solid[..., None]
    fx = (ex.astype(np.float32) + 0.5) / f - 0.5
    fy = (ey.astype(np.float32) + 0.5) / f - 0.5
    est = np.zeros((ey.size, 3), np.float32)
    todo = np.ones(ey.size, bool)
    sigma = max(1.0, radius_px / f)
    for _ in range(5):   # widen the window until every edge pixel has solid neighbours
        num = sample_bilinear(cv2.GaussianBlur(fill, (0, 0), sigma), fx, fy)
        den = sample_bilinear(cv2.GaussianBlur(solid, (0, 0), sigma), fx, fy)
        ok = todo & (den > 1e-3)
        est[ok] = num[ok] / den[ok, None]
        todo &= ~ok
        if not todo.any():
            break
        sigma *= 3
    done = ~todo
    out[y0 + ey[done], x0 + ex[done]] = np.clip(est[done] + 0.5, 0, 255).astype(np.uint8)
    return out


def make_cutout(image: Image.Image, mask: np.ndarray) -> Image.Image:
    """RGBA cut-out at full resolution: decontaminated edge colours, alpha from ``mask``."""
    rgb = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
    alpha = np.asarray(mask, np.uint8)
    clean = decontaminate(rgb, alpha)
    return Image.fromarray(cv2.merge([clean, alpha]), "RGBA")


def compose_square(cutout: Image.Image, *, size_px: int, fill_ratio: float, background: tuple[int, int, int],
                   frame_box: tuple[int, int, int, int] | None = None, shadow: dict | None = None) -> Image.Image:
    """Centre the product on a ``size_px`` square of ``background``; its longer side fills ``fill_ratio``.

    ``frame_box`` (x0, y0, x1, y1) px overrides the product's own bounding box. ``shadow`` is
    ``{"opacity", "blur_ratio", "offset_ratio"}`` for a soft drop shadow under the product.
    """
    alpha = np.asarray(cutout.getchannel("A"))
    box = frame_box or mask_bbox(alpha) or (0, 0, cutout.width, cutout.height)
    bw, bh = box[2] - box[0], box[3] - box[1]
    scale = fill_ratio * size_px / max(bw, bh)
    tw, th = max(1, round(bw * scale)), max(1, round(bh * scale))
    layer = cutout.crop(box).resize((tw, th), Image.Resampling.LANCZOS, reducing_gap=3.0)
    ox, oy = (size_px - tw) // 2, (size_px - th) // 2
    canvas = np.empty((size_px, size_px, 3), np.float32)
    canvas[:] = background
    if shadow and shadow.get("opacity", 0) > 0:
        a = np.zeros((size_px, size_px), np.float32)
        dy = round(shadow.get("offset_ratio", 0.02) * size_px)
        la = np.asarray(layer.getchannel("A"), np.float32) / 255
        y0, y1 = oy + dy, min(size_px, oy + dy + th)
        a[y0:y1, ox:ox + tw] = la[: y1 - y0]
        sigma = max(1.0, shadow.get("blur_ratio", 0.03) * size_px)
        a = cv2.GaussianBlur(a, (0, 0), sigma) * float(shadow["opacity"])
        canvas *= (1 - a)[..., None]
    rgba = np.asarray(layer, np.float32)
    la = rgba[..., 3:] / 255
    region = canvas[oy:oy + th, ox:ox + tw]
    region[:] = region * (1 - la) + rgba[..., :3] * la
    return Image.fromarray(np.clip(canvas + 0.5, 0, 255).astype(np.uint8), "RGB")


def thumbnail(img: Image.Image, size_px: int) -> Image.Image:
    """Square thumbnail of a square image, with the light sharpening that downscaling needs."""
    small = img.resize((size_px, size_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return small.filter(ImageFilter.UnsharpMask(radius=0.8, percent=40, threshold=2))




def contain(img: Image.Image, side_px: int) -> Image.Image:
    """``img`` scaled to fit a ``side_px`` square, the size ``ImageOps.contain`` gives (aspect kept).

    LANCZOS after a box reduction to 3x the target (``reducing_gap``), which Pillow skips by itself
    for RGBA: here RGBA is premultiplied first (as Pillow does) so the reduction applies too. An
    ``RGBa`` (premultiplied) image is resized as it is and returned as RGBa.
    """
    w, h = img.size
    size = (side_px, side_px)
    if w != h:   # the rounding of ImageOps.contain, so sizes stay what they were
        size = (side_px, round(h / w * side_px)) if w > h else (round(w / h * side_px), side_px)
    if img.mode == "RGBA":
        return img.convert("RGBa").resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0).convert("RGBA")
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def small_cutouts(cutout: Image.Image, side_px: int) -> tuple[Image.Image, Image.Image]:
    """Two small RGBA copies of a full-size cut-out for pages: cropped to the product (so it is not
    lost in an empty frame) and the whole frame. Premultiplied once for both (~0.2 s less at 12 MP)."""
    premultiplied = cutout.convert("RGBa")
    box = cutout.getchannel("A").getbbox() or (0, 0, *cutout.size)
    return (contain(premultiplied.crop(box), side_px).convert("RGBA"),
            contain(premultiplied, side_px).convert("RGBA"))
