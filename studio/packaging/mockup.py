"""Mockups: the finished design on a simple 3D-looking pack, for the producer and as an extra
catalogue photo (square PNG/JPEG).

The artwork is the pack's print PDF (without cut/fold lines) rasterised with the label engine's
preview (pypdfium2): nothing is painted twice. This module only bends and shades pixels:
a cylindrical warp for jars and bottles, a perspective box with two or three visible faces,
a pouch or a bag with its header card under a soft highlight.
"""
from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import mockup_shapes
from .catalogue import Pack
from .mockup_canvas import Artwork, blend, canvas as new_canvas, shadow as cast_shadow
from .net import Net

# ----------------------------------------------------------------------------- cylinders
def _cylinder(canvas: np.ndarray, cx: float, y0: float, y1: float, r: float, e: float, colour, *,
              texture: np.ndarray | None = None, tex_u0: float = 0.0, tex_per_rad: float = 0.0,
              tex_rows: tuple[float, float] | None = None, ridges: int = 0, gloss: float = 0.35) -> None:
    """A vertical cylinder between screen rows y0 (top) and y1 (bottom), radius r px, seen
    slightly from above (ellipse ratio e). With ``texture`` the rows ``tex_rows`` (screen y of
    the texture's top and bottom at the front) are wrapped round it: column u of the texture
    at angle φ is ``tex_u0 + φ·tex_per_rad``. Only the cylinder's bounding window is computed."""
    size = canvas.shape[0]
    ya, yb = max(0, int(y0 - 2)), min(size, int(y1 + e * r + 3))
    xa, xb = max(0, int(cx - r - 2)), min(size, int(cx + r + 3))
    if ya >= yb or xa >= xb:
        return
    yy, xx = np.mgrid[ya:yb, xa:xb].astype(np.float32)
    X = (xx - cx) / r
    phi = np.arcsin(np.clip(X, -1, 1))
    lift = e * r * np.cos(phi)
    inside = (np.abs(X) < 1.0) & (yy >= y0 + lift) & (yy <= y1 + lift)
    rgb = np.empty(yy.shape + (3,), np.float32)
    rgb[:] = np.array(colour, np.float32)
    if texture is not None and tex_rows is not None:
        th = texture.shape[0]
        t0, t1 = tex_rows
        v = (yy - lift - t0) / (t1 - t0) * th
        u = tex_u0 + phi * tex_per_rad
        on = inside & (v >= 0) & (v < th)
        mapped = cv2.remap(texture, u.astype(np.float32), v.astype(np.float32), cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_WRAP)
        rgb[on] = mapped[on]
    if ridges:
        rgb *= (0.93 + 0.07 * np.cos(phi * ridges))[:, :, None]
    shade = (0.45 + 0.55 * np.cos(phi)) ** 0.7
    rgb *= shade[:, :, None]
    spec = np.exp(-((phi + 0.55) / 0.16) ** 2) * gloss + np.exp(-((phi - 0.9) / 0.08) ** 2) * gloss * 0.35
    rgb += (255.0 - rgb) * spec[:, :, None]
    blend(canvas[ya:yb, xa:xb], rgb, inside.astype(np.float32))


def _ellipse_cap(canvas: np.ndarray, cx: float, cy: float, r: float, e: float, colour, light: float = 1.1) -> None:
    size = canvas.shape[0]
    m = Image.new("L", (size, size), 0)
    ImageDraw.Draw(m).ellipse((cx - r, cy - e * r, cx + r, cy + e * r), fill=255)
    rgb = np.broadcast_to(np.clip(np.array(colour, np.float32) * light, 0, 255), canvas.shape)
    blend(canvas, rgb, np.asarray(m, np.float32) / 255.0)


def _jar(art: Artwork, pack: Pack, size: int) -> np.ndarray:
    d = pack.dims
    canvas = new_canvas(size)
    lid_h = max(10.0, d["height_mm"] * 0.14)
    total_h = d["height_mm"] + lid_h
    s = min(size * 0.72 / total_h, size * 0.62 / d["diameter_mm"])
    r, e = d["diameter_mm"] / 2 * s, 0.16
    cx = size / 2
    base = size * 0.5 + total_h * s / 2
    top = base - d["height_mm"] * s
    cast_shadow(canvas, cx + r * 0.15, base + e * r * 0.9, r * 1.25, e * r * 1.3)
    wrap = art.crop_mm(0.0, 0.0, art.net.width_mm, art.net.height_mm)
    tex = np.ascontiguousarray(np.asarray(wrap, np.float32))
    px_per_mm = tex.shape[1] / art.net.width_mm
    circ = math.pi * d["diameter_mm"]
    front_u = (d["overlap_mm"] + circ / 2) * px_per_mm
    lab_bottom = base - d["label_bottom_mm"] * s
    lab_top = lab_bottom - d["label_height_mm"] * s
    contents = (214, 176, 120) if pack.type == "jar" else (222, 196, 150)
    _cylinder(canvas, cx, top, base, r, e, contents, texture=tex, tex_u0=front_u,
              tex_per_rad=d["diameter_mm"] / 2 * px_per_mm, tex_rows=(lab_top, lab_bottom), gloss=0.3)
    lid_r = r * 1.04
    _cylinder(canvas, cx, top - lid_h * s, top + 2, lid_r, e, (176, 138, 52), ridges=90, gloss=0.5)
    _ellipse_cap(canvas, cx, top - lid_h * s, lid_r, e, (176, 138, 52), 1.15)
    return canvas


def _bottle(art: Artwork, pack: Pack, size: int) -> np.ndarray:
    d = pack.dims
    canvas = new_canvas(size)
    s = min(size * 0.82 / d["height_mm"], size * 0.6 / d["diameter_mm"])
    r, e = d["diameter_mm"] / 2 * s, 0.14
    cx = size / 2
    base = size * 0.5 + d["height_mm"] * s / 2
    body_top = base - (d["height_mm"] - d["shoulder_mm"]) * s
    top = base - d["height_mm"] * s
    cast_shadow(canvas, cx + r * 0.15, base + e * r, r * 1.3, e * r * 1.3)
    liquid = (120, 70, 30)
    nr = d["neck_diameter_mm"] / 2 * s
    cap_h = max(12.0, d["shoulder_mm"] * 0.35) * s
    steps = 24
    for i in range(steps):           # shoulder: stacked short cylinders narrowing to the neck
        f0 = i / steps
        rr = nr + (r - nr) * math.cos(f0 * math.pi / 2) ** 0.6
        y_a = body_top - (i + 1) / steps * (body_top - top - cap_h * 1.6)
        y_b = body_top - i / steps * (body_top - top - cap_h * 1.6)
        _cylinder(canvas, cx, y_a, y_b + 2, rr, e * rr / r, liquid, gloss=0.5)
    _cylinder(canvas, cx, top + cap_h, top + cap_h * 1.7, nr, e * 0.5, liquid, gloss=0.5)
    _cylinder(canvas, cx, top, top + cap_h, nr * 1.15, e * 0.5, (40, 40, 40), ridges=60, gloss=0.4)
    _ellipse_cap(canvas, cx, top, nr * 1.15, e * 0.5, (40, 40, 40), 1.4)
    wrap = np.ascontiguousarray(np.asarray(art.crop_mm(0.0, 0.0, art.net.width_mm, art.net.height_mm), np.float32))
    k = wrap.shape[1] / art.net.width_mm
    lab_bottom = base - d["label_bottom_mm"] * s
    lab_top = lab_bottom - d["label_height_mm"] * s
    _cylinder(canvas, cx, body_top, base, r, e, liquid, texture=wrap,
              tex_u0=(d["overlap_mm"] + math.pi * d["diameter_mm"] / 2) * k, tex_per_rad=d["diameter_mm"] / 2 * k,
              tex_rows=(lab_top, lab_bottom), gloss=0.35)
    return canvas


# ----------------------------------------------------------------------------- dispatch
def render_mockup(net: Net, pack: Pack, artwork_pdf: bytes, *, size_px: int = 1200) -> Image.Image:
    """A square RGB picture of the finished pack.

    :param artwork_pdf: ``render_pack_pdf(net, composed, lines=False, bleed_mm=0)`` of the SAME
        design (the one painter's output, rasterised here).
    """
    art = Artwork(net, artwork_pdf)
    if pack.type == "jar":
        arr = _jar(art, pack, size_px)
    elif pack.type == "bottle":
        arr = _bottle(art, pack, size_px)
    elif pack.type == "box_tuck":
        arr = mockup_shapes.tuck_box(art, pack, size_px)
    elif pack.type == "box_tray":
        arr = mockup_shapes.tray_box(art, pack, size_px)
    elif pack.type == "pouch":
        arr = mockup_shapes.pouch(art, pack, size_px)
    else:
        arr = mockup_shapes.header_bag(art, pack, size_px)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def mockup_bytes(image: Image.Image, fmt: str = "PNG") -> bytes:
    """Encode a mockup as PNG or JPEG (quality 90) bytes."""
    buf = io.BytesIO()
    if fmt.upper() in ("JPG", "JPEG"):
        image.convert("RGB").save(buf, "JPEG", quality=90, optimize=True)
    else:
        image.save(buf, "PNG", optimize=False, compress_level=6)
    return buf.getvalue()
