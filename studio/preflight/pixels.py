"""What is really under the text and what a thermal printer really prints, from the label PDF.

The label is painted by the one painter (``render_label_pdf``) and rasterised with pypdfium2
(``studio.labels.preview``), three ways: as printed, without its text lines (the background under
every line), and its text lines alone on white (where the text puts ink).

* LEG-02 (contrast): a mandatory text line that lies on the product photo, a decoration or a colour
  band is judged against the pixels under it (the ratio that 90 % of them reach), not against the
  label colour. Below ``contrast_block_min`` it blocks.
* PRINT-02 (thermal): the 1-bit image a thermal printer gets (the same threshold as the ZPL export):
  each text line must still change the dots it covers; dark text on a dark block becomes one solid
  black area and is lost.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from PIL import Image

from ..labels import ComposedLabel, render_label_pdf
from ..labels.colors import luminance
from ..labels.preview import render_preview_image
from ..labels.primitives import Ellipse, Picture, Polygons, Rect, TextLine
from .context import Ctx, is_mandatory_tag
from .geometry import intersection, text_box
from .places import item_name, where_on_label

_MM_PER_INCH = 25.4
#: Grey level (0–255) below which a thermal printer burns a dot. The ZPL export
#: (``studio.printing.pages``) thresholds with this same value.
ONE_BIT_THRESHOLD = 128
#: share of a text line's own dots that must still show in the 1-bit image
ONE_BIT_MIN_VISIBLE = 0.5
#: besides the mandatory items, text a buyer must be able to read on a thermal label
_THERMAL_KEY_TAGS = ("brand",)


def _raster(label: ComposedLabel, ctx: Ctx, dpi: int, *, grayscale: bool) -> Image.Image:
    pdf = render_label_pdf(label, ctx.layout, bleed_mm=0.0, crop_marks=False)
    return render_preview_image(pdf, dpi=dpi, grayscale=grayscale)


def _without_text(label: ComposedLabel) -> ComposedLabel:
    return replace(label, primitives=tuple(p for p in label.primitives if not isinstance(p, TextLine)))


def _glyphs(label: ComposedLabel) -> ComposedLabel:
    """The text lines alone, all in black on white: where the letters are, whatever their colour."""
    return replace(label, primitives=tuple(replace(p, color="#000000") for p in label.primitives
                                           if isinstance(p, TextLine)))


def _px(box: tuple[float, float, float, float], dpi: int, shape: tuple[int, ...]) -> tuple[slice, slice]:
    k = dpi / _MM_PER_INCH
    x0, y0 = max(0, int(box[0] * k)), max(0, int(box[1] * k))
    x1, y1 = min(shape[1], int(np.ceil((box[0] + box[2]) * k))), min(shape[0], int(np.ceil((box[1] + box[3]) * k)))
    return slice(y0, max(y0, y1)), slice(x0, max(x0, x1))


def _base(tag: str) -> str:
    return tag.split("#", 1)[0]


def _text_lines(ctx: Ctx) -> list[TextLine]:
    return [p for p in ctx.label.primitives if isinstance(p, TextLine) and p.text.strip()
            and _base(p.tag) not in ("ean", "qr")]


# ------------------------------------------------------------------ contrast under the text
def _covered(line_box, under: list) -> bool:
    return any(intersection(line_box, b) is not None for b in under)


def _under_boxes(ctx: Ctx) -> list[tuple[float, float, float, float]]:
    """Boxes of everything painted below text that is not the plain label colour: pictures,
    decoration motifs and filled shapes smaller than the label."""
    lab = ctx.label
    out = []
    for p in lab.primitives:
        if isinstance(p, Picture):
            out.append((p.x_mm, p.y_mm, p.w_mm, p.h_mm))
        elif isinstance(p, (Rect, Ellipse)) and p.fill and p.tag != "background":
            out.append((p.x_mm, p.y_mm, p.w_mm, p.h_mm))
        elif isinstance(p, Polygons) and p.polygons:
            xs = [x for poly in p.polygons for x, _ in poly]
            ys = [y for poly in p.polygons for _, y in poly]
            out.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    return out


def _linear(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


def check_contrast_under_text(ctx: Ctx) -> set[str]:
    """LEG-02 for mandatory text on a photo, decoration or band, against the pixels under it.

    :returns: the tags judged here (the colour-only check skips them).
    """
    s = ctx.settings
    if not s.check_pixels:
        return set()
    under = _under_boxes(ctx)
    lines = [(p, text_box(p)) for p in _text_lines(ctx) if is_mandatory_tag(p.tag)]
    lines = [(p, b) for p, b in lines if _covered(b, under)]
    if not lines:
        return set()
    bg = np.asarray(_raster(_without_text(ctx.label), ctx, s.pixel_dpi, grayscale=False).convert("RGB"),
                    dtype=np.float64)
    lum = _linear(bg)
    worst: dict[str, tuple[float, tuple]] = {}
    for p, box in lines:
        cut = lum[_px(box, s.pixel_dpi, lum.shape)]
        if cut.size == 0:
            continue
        t = luminance(p.color)
        hi, lo = np.maximum(cut, t), np.minimum(cut, t)
        ratio = float(np.percentile((hi + 0.05) / (lo + 0.05), s.contrast_percentile))
        tag = _base(p.tag)
        if tag not in worst or ratio < worst[tag][0]:
            worst[tag] = (ratio, box)
    for tag, (ratio, box) in worst.items():
        if ratio + 1e-9 >= s.contrast_min:
            continue
        name_id, name_en = item_name(tag)
        where_id, where_en = where_on_label(box, ctx.label.width_mm, ctx.label.height_mm)
        ctx.add("LEG-02", f"{name_id} {where_id} kurang kontras dengan gambar atau warna di bawahnya "
                f"({ratio:.1f}:1, perlu {s.contrast_min:g}:1). Geser tulisannya ke latar polos, atau pakai "
                "warna huruf yang lebih gelap/terang.",
                f"{name_en} {where_en} has too little contrast with the picture or colour under it "
                f"({ratio:.1f}:1, {s.contrast_min:g}:1 needed). Move the text onto a plain background, or "
                "use a darker/lighter text colour.", region=ctx.region(tag), tag=tag, box_mm=box,
                severity="BLOCKER" if ratio < s.contrast_block_min else None)
    return set(worst)


# ------------------------------------------------------------------ thermal 1-bit
def one_bit(image: Image.Image) -> np.ndarray:
    """Dots a thermal printer burns for a rasterised label (True = black dot)."""
    return np.asarray(image.convert("L")) < ONE_BIT_THRESHOLD


def check_one_bit(ctx: Ctx) -> None:
    """PRINT-02: every text line still shows in the 1-bit image at the printer's dpi."""
    dpi = ctx.one_bit_dpi
    if not dpi:
        return
    lines = _text_lines(ctx)
    if not lines:
        return
    full = one_bit(_raster(ctx.label, ctx, dpi, grayscale=True))
    bare = one_bit(_raster(_without_text(ctx.label), ctx, dpi, grayscale=True))
    glyphs = one_bit(_raster(_glyphs(ctx.label), ctx, dpi, grayscale=True))
    changed = full != bare
    own: dict[str, int] = {}
    seen: dict[str, int] = {}
    boxes: dict[str, list] = {}
    for p in lines:
        box = text_box(p)
        sl = _px(box, dpi, full.shape)
        tag = _base(p.tag)
        own[tag] = own.get(tag, 0) + int(glyphs[sl].sum())
        seen[tag] = seen.get(tag, 0) + int((changed[sl] & glyphs[sl]).sum())
        boxes.setdefault(tag, []).append(box)
    for tag, dots in own.items():
        if dots == 0 or seen[tag] >= ONE_BIT_MIN_VISIBLE * dots:
            continue
        box = _union(boxes[tag])
        name_id, name_en = item_name(tag)
        where_id, where_en = where_on_label(box, ctx.label.width_mm, ctx.label.height_mm)
        share = 100.0 * seen[tag] / dots
        key = is_mandatory_tag(tag) or tag in _THERMAL_KEY_TAGS
        ctx.add("PRINT-02", f"{name_id} {where_id} hilang bila dicetak di printer termal {dpi} dpi: hanya "
                f"{share:.0f}% hurufnya terlihat (warna huruf dan latarnya sama-sama jadi hitam atau putih). "
                "Pakai huruf hitam di latar putih, atau pilih gaya untuk printer termal.",
                f"{name_en} {where_en} is lost when printed on a {dpi} dpi thermal printer: only "
                f"{share:.0f}% of its letters show (text and background both turn black or both white). Use "
                "black text on white, or pick a style for thermal printers.", region=ctx.region(tag), tag=tag,
                box_mm=box, severity="BLOCKER" if key else None)


def _union(boxes):
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    return (x0, y0, max(b[0] + b[2] for b in boxes) - x0, max(b[1] + b[3] for b in boxes) - y0)

