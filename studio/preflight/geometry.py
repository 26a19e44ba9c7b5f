"""The painted geometry (OVER-02, SAFE-01): the boxes of what the painter actually draws.

Every text line, picture, QR symbol and barcode in ``ComposedLabel.primitives`` gets the box it
covers on paper; manual moves in the editor go through the same compose, so they are judged the
same way. Reported: text over text, over a code or over a logo; codes over anything; text outside
the stock's safe area. Text over the product photo is allowed here: its contrast against the photo
pixels is judged by :mod:`.pixels`.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase import pdfmetrics

from ..labels.primitives import EANBars, Picture, QRModules, TextLine
from ..labels.units import PT_TO_MM
from .context import Ctx, is_mandatory_tag
from .places import item_name, where_on_label

Box4 = tuple[float, float, float, float]
#: boxes must intersect by more than this (mm, both ways) to count as printed over each other
OVERLAP_TOL_MM = 0.15
_SAFE_TOL_MM = 0.1
_EAN_QUIET = (11, 7)       # EAN-13 quiet zone in modules, left and right
_DESCENT_EM = 0.22         # ink below the baseline (p, g, y) in em
_ASCENT_OF_CAP = 1.07      # lower-case ascenders (b, d, l) reach about 7 % above the cap height


@dataclass(frozen=True)
class Painted:
    """One painted thing: ``kind`` is text | photo | logo | code; ``box`` in mm (x, y, w, h)."""

    kind: str
    tag: str
    box: Box4
    prim: object = None


def _cap_em(font: str) -> float:
    try:
        return float(pdfmetrics.getFont(font).face.capHeight) / 1000.0 or 0.72
    except (KeyError, AttributeError):
        return 0.72


def text_box(p: TextLine) -> Box4:
    """The ink box of one text line (width from the embedded font, ascender to descender)."""
    size_mm = p.size_pt * PT_TO_MM
    try:
        width = pdfmetrics.stringWidth(p.text, p.font, p.size_pt) * PT_TO_MM
    except KeyError:                                  # font not registered in this process
        width = 0.55 * size_mm * len(p.text)
    lead = len(p.text) - len(p.text.lstrip())
    if lead:                                          # leading spaces paint nothing
        try:
            skip = pdfmetrics.stringWidth(p.text[:lead], p.font, p.size_pt) * PT_TO_MM
        except KeyError:
            skip = 0.55 * size_mm * lead
        width -= skip
    else:
        skip = 0.0
    top = p.baseline_y_mm - _cap_em(p.font) * _ASCENT_OF_CAP * size_mm
    return (p.x_mm + skip, top, max(0.0, width), p.baseline_y_mm + _DESCENT_EM * size_mm - top)


def painted(ctx: Ctx) -> list[Painted]:
    """Every painted text line, picture and code with its box (EAN digits belong to the barcode)."""
    out: list[Painted] = []
    ean_module = {r.tag: r.module_mm for r in ctx.label.regions.values() if r.kind == "ean"}
    for p in ctx.label.primitives:
        if isinstance(p, TextLine):
            if p.text.strip():
                out.append(Painted("code-text" if _is_code_tag(p.tag) else "text", p.tag, text_box(p), p))
        elif isinstance(p, Picture):
            out.append(Painted("photo" if p.tag.split("#")[0] == "photo" else "logo", p.tag,
                               (p.x_mm, p.y_mm, p.w_mm, p.h_mm), p))
        elif isinstance(p, QRModules):
            out.append(Painted("code", p.tag, (p.x_mm, p.y_mm, p.size_mm, p.size_mm), p))
        elif isinstance(p, EANBars) and p.bars:
            x0 = min(b[0] for b in p.bars)
            x1 = max(b[0] + b[1] for b in p.bars)
            module = ean_module.get(p.tag) or (x1 - x0) / 95
            h = max(b[2] for b in p.bars)
            out.append(Painted("code", p.tag, (p.x_mm + x0 - _EAN_QUIET[0] * module, p.y_mm,
                                               x1 - x0 + sum(_EAN_QUIET) * module, h), p))
    # the digits under a barcode are part of the code's box
    for i, it in enumerate(out):
        if it.kind == "code" and isinstance(it.prim, EANBars):
            digits = [d.box for d in out if d.kind == "code-text" and d.tag == it.tag]
            if digits:
                out[i] = Painted("code", it.tag, _union([it.box, *digits]), it.prim)
    return [it for it in out if it.kind != "code-text"]


def _is_code_tag(tag: str) -> bool:
    return tag.split("#", 1)[0] in ("ean", "qr")


def _union(boxes: list[Box4]) -> Box4:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def intersection(a: Box4, b: Box4) -> Box4 | None:
    """The overlap of two boxes when it exceeds the tolerance both ways, else None."""
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    if x1 - x0 > OVERLAP_TOL_MM and y1 - y0 > OVERLAP_TOL_MM:
        return (x0, y0, x1 - x0, y1 - y0)
    return None


def _base(tag: str) -> str:
    return tag.split("#", 1)[0]


def _important(it: Painted) -> bool:
    """Mandatory text, a code, or the halal logo: overlapping it blocks."""
    return it.kind == "code" or is_mandatory_tag(it.tag) or _base(it.tag) == "halal_logo"


def check_overlaps(ctx: Ctx, items: list[Painted] | None = None) -> None:
    """OVER-02: text over text, code or logo; a code over anything (one finding per pair of items)."""
    items = painted(ctx) if items is None else items
    pairs: dict[tuple[str, str], list] = {}        # (first tag, second tag) -> [box, blocks]
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if _base(a.tag) == _base(b.tag):
                continue
            kinds = {a.kind, b.kind}
            if "code" not in kinds and "text" not in kinds:
                continue                      # picture on picture: a design choice
            if "code" not in kinds and "photo" in kinds:
                continue                      # text over the photo: judged by its contrast
            hit = intersection(a.box, b.box)
            if hit is None:
                continue
            # name the text first (mandatory text first of all): "Daftar bahan tercetak menimpa kode QR"
            first, second = sorted((a, b), key=lambda it: (it.kind != "text", not is_mandatory_tag(it.tag)))
            key = (_base(first.tag), _base(second.tag))
            if key[::-1] in pairs:
                key = key[::-1]
            old = pairs.get(key)
            blocks = _important(a) or _important(b)
            pairs[key] = [_union([old[0], hit]), old[1] or blocks] if old else [hit, blocks]
    for (first, second), (box, blocks) in pairs.items():
        a_id, a_en = item_name(first)
        b_id, b_en = item_name(second)
        where_id, where_en = where_on_label(box, ctx.label.width_mm, ctx.label.height_mm)
        ctx.add("OVER-02", f"{a_id} tercetak menimpa {b_id[0].lower() + b_id[1:]} {where_id}. Geser salah satunya atau "
                "perkecil kotaknya di editor, atau pilih label yang lebih besar.",
                f"{a_en} is printed over {b_en[0].lower() + b_en[1:]} {where_en}. Move one of them or make "
                "its box smaller in the editor, or choose a larger label.",
                tag=first, box_mm=box, severity="BLOCKER" if blocks else None, region=ctx.region(first))


def _outside(box: Box4, ctx: Ctx, margin: float) -> bool:
    lab = ctx.label
    x, y, w, h = box
    tol = _SAFE_TOL_MM
    if lab.shape == "rect":
        return x < margin - tol or y < margin - tol or x + w > lab.width_mm - margin + tol or \
            y + h > lab.height_mm - margin + tol
    rx, ry = lab.width_mm / 2 - margin + tol, lab.height_mm / 2 - margin + tol
    cx, cy = lab.width_mm / 2, lab.height_mm / 2
    return any(((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 > 1 for px, py in
               ((x, y), (x + w, y), (x, y + h), (x + w, y + h)))


def check_safe_area(ctx: Ctx, items: list[Painted] | None = None) -> None:
    """SAFE-01 (painted): a text line outside the stock's safe area; past the label edge it is cut."""
    items = painted(ctx) if items is None else items
    margin = ctx.layout.safe_margin_mm
    # text that does not fit its box is already reported as cut off (OVER-01) at its item
    overflowing = {_base(p.tag) for p in ctx.label.problems if p.code == "text_overflow"}
    by_tag: dict[str, list[Box4]] = {}
    cut: set[str] = set()
    for it in items:
        if it.kind != "text" or _base(it.tag) in overflowing or not _outside(it.box, ctx, margin):
            continue
        by_tag.setdefault(_base(it.tag), []).append(it.box)
        if _outside(it.box, ctx, 0.0):
            cut.add(_base(it.tag))
    for tag, boxes in by_tag.items():
        box = _union(boxes)
        name_id, name_en = item_name(tag)
        where_id, where_en = where_on_label(box, ctx.label.width_mm, ctx.label.height_mm)
        if tag in cut:
            text_id = f"{name_id} keluar dari tepi label {where_id} dan akan terpotong."
            text_en = f"{name_en} runs past the edge of the label {where_en} and will be cut off."
        else:
            text_id = f"{name_id} terlalu dekat ke tepi label {where_id} (di luar garis aman {margin:g} mm)."
            text_en = f"{name_en} is too close to the edge of the label {where_en} (outside the {margin:g} mm " \
                      "safe line)."
        ctx.add("SAFE-01", f"{text_id} Geser ke dalam garis aman atau perkecil kotaknya, atau pilih label "
                "yang lebih besar.", f"{text_en} Move it inside the safe line or make its box smaller, or "
                "choose a larger label.", tag=tag, box_mm=box, region=ctx.region(tag),
                severity="BLOCKER" if is_mandatory_tag(tag) else None)


def check_painted_geometry(ctx: Ctx) -> None:
    """OVER-02 and SAFE-01 from the painted boxes."""
    items = painted(ctx)
    check_overlaps(ctx, items)
    check_safe_area(ctx, items)
