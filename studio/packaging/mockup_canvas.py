"""What every mockup shape paints on: the artwork rasterised from the print PDF, the backdrop,
the shadow and the alpha blend (shared by the jar/bottle shapes in ``mockup`` and the box, pouch
and bag shapes in ``mockup_shapes``)."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..labels.preview import render_preview_image
from .net import Net

ARTWORK_PX_PER_MM = 6.0        # raster resolution of the artwork (≈ 152 dpi)
BG_TOP, BG_BOTTOM = (246, 243, 238), (226, 221, 212)


# ----------------------------------------------------------------------------- artwork
class Artwork:
    """The net rasterised from its artwork PDF, with panel crops turned upright."""

    def __init__(self, net: Net, pdf_bytes: bytes, px_per_mm: float = ARTWORK_PX_PER_MM) -> None:
        self.net, self.k = net, px_per_mm
        im = render_preview_image(pdf_bytes, dpi=px_per_mm * 25.4).convert("RGB")
        page_w_mm = im.width / px_per_mm
        page_h_mm = im.height / px_per_mm
        self.off = ((page_w_mm - net.width_mm) / 2, (page_h_mm - net.height_mm) / 2)
        self.image = im

    def crop_mm(self, x: float, y: float, w: float, h: float) -> Image.Image:
        """A window of the net (mm) as pixels."""
        ox, oy = self.off
        k = self.k
        return self.image.crop((round((ox + x) * k), round((oy + y) * k), round((ox + x + w) * k),
                                round((oy + y + h) * k)))

    def panel(self, panel_id: str) -> Image.Image:
        """The panel's face as it reads on the folded pack (rotation undone)."""
        p = self.net.panel(panel_id)
        im = self.crop_mm(*p.net_rect)
        return im.rotate(p.rotation, expand=True) if p.rotation else im

    def piece(self, piece_id: str) -> Image.Image:
        """A whole piece's bounding box (e.g. a header card face with its hole and staple zone)."""
        pts = self.net.piece(piece_id).points
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return self.crop_mm(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def colour(self) -> tuple[int, int, int]:
        """The background colour of the design (most common colour of the first panel's edge)."""
        first = self.panel(self.net.panels[0].id)
        px = np.asarray(first)[2:6, :, :].reshape(-1, 3)
        vals, counts = np.unique(px, axis=0, return_counts=True)
        return tuple(int(v) for v in vals[counts.argmax()])


def canvas(size: int) -> np.ndarray:
    """An empty square backdrop: a soft vertical gradient."""
    t = np.linspace(0.0, 1.0, size)[:, None, None]
    top, bottom = np.array(BG_TOP, float), np.array(BG_BOTTOM, float)
    return np.repeat(top * (1 - t) + bottom * t, size, axis=1)


def shadow(canvas: np.ndarray, cx: float, cy: float, rx: float, ry: float, strength: float = 0.35) -> None:
    """Darken a soft ellipse of ``canvas`` (the pack's shadow on the table)."""
    size = canvas.shape[0]
    m = Image.new("L", (size, size), 0)
    ImageDraw.Draw(m).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
    m = m.filter(ImageFilter.GaussianBlur(max(4.0, ry * 0.6)))
    a = np.asarray(m, float)[:, :, None] / 255.0 * strength
    canvas *= 1 - a


def blend(canvas: np.ndarray, rgb: np.ndarray, alpha: np.ndarray) -> None:
    """Paint ``rgb`` over ``canvas`` in place with coverage ``alpha`` (0..1)."""
    a = np.clip(alpha, 0, 1)[:, :, None]
    canvas[:] = canvas * (1 - a) + rgb * a
