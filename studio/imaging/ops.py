"""Photo-cleanup operations, registered by name in ``OPS`` (see pipeline.py).

Every op is ``fn(frame, *, keyword params) -> Frame`` and returns a new ``Frame``; it never
changes its input. Ops before ``square`` work on the full-resolution photo and its mask;
``square`` composes the catalogue image; ``sharpen`` then works on that catalogue image.
Parameters are plain JSON values (numbers, strings, lists) so a cleanup can be stored and replayed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import cv2
import numpy as np
from PIL import Image, ImageFilter, ImageOps

from .compose import compose_square, make_cutout, parse_colour
from .segment import grabcut_refine, segment as _segment


@dataclass(frozen=True)
class Frame:
    """State passed between ops: the photo (RGB, display orientation) and what is known about it."""

    image: Image.Image
    mask: np.ndarray | None = None                 # uint8 (H, W), 255 = product
    crop_box: tuple[int, int, int, int] | None = None
    shadow: dict | None = None                     # soft-shadow settings used by ``square``
    catalogue: Image.Image | None = None           # RGB square, once ``square`` has run
    size_px: int = 1200
    extra: dict = field(default_factory=dict)


OPS: dict[str, Callable[..., Frame]] = {}


def op(fn: Callable[..., Frame]) -> Callable[..., Frame]:
    """Register ``fn`` in ``OPS`` under its function name."""
    OPS[fn.__name__] = fn
    return fn


def _border_colour(img: Image.Image) -> tuple[int, int, int]:
    a = np.asarray(img)
    edge = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    return tuple(int(v) for v in np.median(edge, axis=0))


@op
def orient(frame: Frame) -> Frame:
    """Apply any EXIF orientation still attached to the image (uploads are already oriented)."""
    if frame.image.getexif().get(0x0112, 1) == 1:
        return frame
    return replace(frame, image=ImageOps.exif_transpose(frame.image), mask=None, crop_box=None, catalogue=None)


@op
def rotate(frame: Frame, *, degrees: float) -> Frame:
    """Rotate counter-clockwise by ``degrees``; quarter turns are lossless, other angles expand
    the frame and fill the corners with the table colour (the mask with background)."""
    turns = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
    d = float(degrees) % 360
    mask_img = None if frame.mask is None else Image.fromarray(frame.mask, "L")
    if d == 0:
        return frame
    if d in turns:
        image = frame.image.transpose(turns[int(d)])
        mask_img = mask_img.transpose(turns[int(d)]) if mask_img is not None else None
    else:
        image = frame.image.rotate(d, Image.Resampling.BICUBIC, expand=True, fillcolor=_border_colour(frame.image))
        if mask_img is not None:
            mask_img = mask_img.rotate(d, Image.Resampling.BILINEAR, expand=True, fillcolor=0)
    return replace(frame, image=image, mask=None if mask_img is None else np.asarray(mask_img).copy(),
                   crop_box=None, catalogue=None)


@op
def segment(frame: Frame, *, work_px: int = 1024, remove_shadows: bool = True) -> Frame:
    """Find the product automatically (U²-Net-p + refinement; GrabCut without the model)."""
    return replace(frame, mask=_segment(frame.image, work_px=work_px, remove_shadows=remove_shadows))


@op
def correct_mask(frame: Frame, *, box: list[float] | None = None, fg_points: list = (),
                 bg_points: list = (), brush_radius_px: float | None = None) -> Frame:
    """Apply the user's corrections: a box around the product and taps/strokes marked
    "product" (``fg_points``) or "background" (``bg_points``), all in image pixels."""
    mask = grabcut_refine(frame.image, frame.mask, box=None if box is None else tuple(box),
                          fg_points=fg_points, bg_points=bg_points, brush_radius_px=brush_radius_px)
    return replace(frame, mask=mask)


def _background_pixels(frame: Frame, limit: int = 400_000) -> np.ndarray:
    """A sample of surface pixels (N, 3) uint8: well outside the mask, or the frame border."""
    a = np.asarray(frame.image)
    h, w = a.shape[:2]
    step = max(1, int(np.sqrt(h * w / limit)))
    small = a[::step, ::step]
    if frame.mask is not None and frame.mask.any():
        m = frame.mask[::step, ::step] < 16
        grow = max(3, int(0.02 * max(m.shape)) | 1)
        m = cv2.erode(m.astype(np.uint8), np.ones((grow, grow), np.uint8)).astype(bool)
        if m.sum() > 100:
            return small[m]
    b = max(1, small.shape[0] // 12)
    return np.concatenate([small[:b].reshape(-1, 3), small[-b:].reshape(-1, 3),
                           small[:, :b].reshape(-1, 3), small[:, -b:].reshape(-1, 3)])


def _apply_gains(img: Image.Image, gains: np.ndarray) -> Image.Image:
    """Multiply each channel in linear light by ``gains`` with a soft shoulder near white."""
    x = np.arange(256, dtype=np.float64) / 255
    lin = np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
    lut: list[int] = []
    for g in gains:
        y = lin * g
        knee = 0.8
        over = y > knee
        y[over] = knee + (1 - knee) * np.tanh((y[over] - knee) / (1 - knee))
        enc = np.where(y <= 0.0031308, y * 12.92, 1.055 * np.power(np.clip(y, 0, 1), 1 / 2.4) - 0.055)
        lut += np.clip(enc * 255 + 0.5, 0, 255).astype(int).tolist()
    # one pass over the photo with a table per band (not split, three passes and merge: ~4x faster)
    return (img if img.mode == "RGB" else img.convert("RGB")).point(lut)


def _linear(v: np.ndarray) -> np.ndarray:
    x = np.asarray(v, np.float64) / 255
    return np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


def _neutral_trust(bg_linear: np.ndarray) -> float:
    """0..1: how likely the surface is a neutral one (paper, white cloth) under tinted light.

    Light casts run warm-cool (red-blue); a green or magenta surface, or a strongly coloured
    one (wood, batik), is the surface's own colour and says nothing about the light.
    """
    r, g, b = bg_linear / max(float(bg_linear.sum()), 1e-6)
    warm_cool = abs(r - b)
    green_magenta = abs(g - (r + b) / 2)
    return float(np.clip((0.30 - warm_cool) / 0.08, 0, 1) * np.clip((0.06 - green_magenta) / 0.03, 0, 1))


@op
def white_balance(frame: Frame, *, strength: float = 1.0, max_gain: float = 1.5) -> Frame:
    """Neutralise the colour cast measured on the surface around the product.

    Only a near-neutral surface (paper, white cloth) is trusted; on wood or coloured cloth the
    correction fades out, because there the surface's own colour is not a cast.
    """
    bg = _linear(np.median(_background_pixels(frame), axis=0))
    trust = _neutral_trust(bg)
    gains = np.clip(bg.mean() / np.maximum(bg, 1e-6), 1 / max_gain, max_gain)
    gains = 1 + (gains - 1) * trust * float(strength)
    gains /= gains.max() if gains.max() > 1.0 else 1.0
    if np.allclose(gains, 1, atol=2e-3):
        return frame
    return replace(frame, image=_apply_gains(frame.image, gains), catalogue=None)


@op
def exposure(frame: Frame, *, target: float = 0.85, max_gain: float = 1.8, min_gain: float = 0.85) -> Frame:
    """Brighten (or darken) so a light, neutral surface reaches ``target`` (0..1, linear light).

    Dark or coloured surfaces (wood, batik cloth) say nothing about exposure, so they leave
    the photo alone.
    """
    bg_rgb = _linear(np.median(_background_pixels(frame), axis=0))
    bg = float(bg_rgb.mean())
    trust = _neutral_trust(bg_rgb)
    if bg < 0.2 or trust == 0:
        return frame
    gain = 1 + (float(np.clip(target / bg, min_gain, max_gain)) - 1) * trust
    if abs(gain - 1) < 0.01:
        return frame
    return replace(frame, image=_apply_gains(frame.image, np.array([gain] * 3)), catalogue=None)


@op
def crop(frame: Frame, *, box: list[int]) -> Frame:
    """Frame the product by ``box`` (x0, y0, x1, y1) px; anything outside it is background.

    :raises ValueError: when the box is empty or outside the photo.
    """
    w, h = frame.image.size
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0, x1, y1 = max(0, min(x0, x1)), max(0, min(y0, y1)), min(w, max(x0, x1)), min(h, max(y0, y1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError(f"crop box {box!r} is empty for a {w}x{h} photo")
    mask = frame.mask
    if mask is not None:
        mask = np.zeros_like(mask)
        mask[y0:y1, x0:x1] = frame.mask[y0:y1, x0:x1]
    return replace(frame, mask=mask, crop_box=(x0, y0, x1, y1), catalogue=None)


@op
def soft_shadow(frame: Frame, *, opacity: float = 0.22, blur_ratio: float = 0.025,
                offset_ratio: float = 0.015) -> Frame:
    """Ask ``square`` for a soft shadow under the product (ratios are of the square's side)."""
    return replace(frame, shadow={"opacity": float(opacity), "blur_ratio": float(blur_ratio),
                                  "offset_ratio": float(offset_ratio)}, catalogue=None)


def mask_or_full(frame: Frame) -> np.ndarray:
    """The frame's mask, or a fully opaque one when no segmentation ran."""
    if frame.mask is not None:
        return frame.mask
    return np.full((frame.image.height, frame.image.width), 255, np.uint8)


@op
def square(frame: Frame, *, fill_ratio: float = 0.82, background: str | list[int] = "#ffffff") -> Frame:
    """Compose the catalogue photo: the product centred on a square of ``background``, its
    longer side ``fill_ratio`` of the square's side (``size_px`` comes from ``run_cleanup``).

    :raises ValueError: when ``fill_ratio`` is not in (0, 1].
    """
    if not 0 < fill_ratio <= 1:
        raise ValueError(f"fill_ratio must be in (0, 1], got {fill_ratio!r}")
    key = (id(frame.image), id(frame.mask))    # the frame keeps both alive, so ids are stable
    cutout = frame.extra.get("cutout") if frame.extra.get("cutout_key") == key else None
    if cutout is None:
        cutout = make_cutout(frame.image, mask_or_full(frame))
    frame_box = None
    if frame.crop_box is not None and frame.mask is None:
        frame_box = frame.crop_box
    cat = compose_square(cutout, size_px=frame.size_px, fill_ratio=float(fill_ratio),
                         background=parse_colour(background), frame_box=frame_box, shadow=frame.shadow)
    return replace(frame, catalogue=cat, extra={**frame.extra, "cutout": cutout, "cutout_key": key})


@op
def sharpen(frame: Frame, *, amount: float = 0.5, radius_px: float = 1.0, threshold: int = 2) -> Frame:
    """Light unsharp masking of the catalogue photo (after resizing, where it belongs).

    :raises ValueError: when ``square`` has not run yet.
    """
    if frame.catalogue is None:
        raise ValueError("sharpen works on the catalogue photo: put it after 'square'")
    sharp = frame.catalogue.filter(ImageFilter.UnsharpMask(radius=float(radius_px), percent=int(amount * 100),
                                                           threshold=int(threshold)))
    return replace(frame, catalogue=sharp)
