"""The one painter: ComposedLabel primitives -> PDF (ReportLab canvas).

A sheet job draws the label ONCE into a Form XObject and places it on every slot with ``doForm``;
a job overlay (batch code, date) is a second form. Variable-data jobs put the parts that are the
same on every label into forms and paint only what differs. Each image is embedded once per
document, every font is an embedded TTF subset, and the canvas starts on a registered TTF so no
base-14 font is ever declared.
"""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .imposition import Calibration, corner_marks_mm, crop_marks_mm, plan_set_slots
from .layouts import SheetLayout
from .logo import VECTOR_INFO_KEY, paint_unit_square
from .primitives import (ComposedLabel, EANBars, Ellipse, Picture, Polygons, QRModules, Rect,
                         TextLine)
from .rl_canvas import use_forms, write_ops
from .units import MM_TO_PT

rl_config.useA85 = 0            # ASCII85 adds 25 % to every binary stream; PDFs are binary-safe
_EPS = 0.01
MARK_COLOR = "#000000"
Bleed = float | tuple[float, float]   # one bleed, or (horizontal, vertical); negative = inset


@lru_cache(maxsize=512)
def rgb(hex_color: str) -> tuple[float, float, float]:
    return tuple(int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _f(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") or "0"


@lru_cache(maxsize=512)
def _fill_op(hex_color: str) -> str:
    return " ".join(_f(v) for v in rgb(hex_color)) + " rg"


def _place(c: Canvas, x_pt: float, y_pt: float, forms: list[str]) -> None:
    """Draw named forms with the origin moved to (x, y) pt. Written straight into the content
    stream: ReportLab's translate/doForm format numbers in pure Python (~90 µs per label)."""
    write_ops(c, f"q 1 0 0 1 {_f(x_pt)} {_f(y_pt)} cm " + " ".join(f"/FormXob.{n} Do" for n in forms) + " Q")


class Painter:
    """Paints primitives in label coordinates: origin at the label's top-left, y down (mm)."""

    def __init__(self, c: Canvas) -> None:
        self.c = c
        self.image_forms: dict[str, str] = {}

    def prepare_images(self, prims, dither_dpi: int | None = None) -> None:
        """Embed each distinct picture once, as a unit-square form (must run outside any form).
        With ``dither_dpi`` (a thermal head) pictures are dithered on purpose to 1-bit at the
        head's dots (Floyd–Steinberg), so the printer's mid-grey threshold keeps their tones."""
        for p in prims:
            if isinstance(p, Picture) and p.key not in self.image_forms:
                name = f"img{len(self.image_forms)}_{p.key[:8]}"
                vector = None if dither_dpi else _vector_of(p)
                self.c.beginForm(name, 0, 0, 1, 1)
                if vector is not None:      # a logo made in the studio: its paths, not its pixels
                    paint_unit_square(self.c, vector)
                else:
                    image = dither_1bit(p.image, p.w_mm, p.h_mm, dither_dpi) if dither_dpi else p.image
                    self.c.drawImage(ImageReader(image), 0, 0, 1, 1,
                                     mask="auto" if image.mode == "RGBA" else None)
                self.c.endForm()
                self.image_forms[p.key] = name

    def paint(self, prims, *, w_mm: float, h_mm: float, bleed_mm: Bleed) -> None:
        self.font = None
        bleed_mm = _axes(bleed_mm)
        for p in prims:
            kind = type(p)
            if kind is TextLine:
                self.text(p)
            elif kind is Rect:
                self.rect(p, w_mm, h_mm, bleed_mm)
            elif kind is QRModules:
                self.qr(p)
            elif kind is Picture:
                self.picture(p)
            elif kind is Polygons:
                self.polygons(p)
            elif kind is Ellipse:
                self.ellipse(p)
            elif kind is EANBars:
                self.ean(p)
            else:  # pragma: no cover - every primitive type has a painter
                raise TypeError(f"no painter for {kind.__name__}")

    def text(self, p: TextLine) -> None:
        c = self.c
        if self.font != (p.font, p.size_pt):
            c.setFont(p.font, p.size_pt)
            self.font = (p.font, p.size_pt)
        c.setFillColorRGB(*rgb(p.color))
        c.drawString(p.x_mm * MM_TO_PT, -p.baseline_y_mm * MM_TO_PT, p.text)

    def rect(self, p: Rect, w_mm: float, h_mm: float, bleed_mm: tuple[float, float]) -> None:
        x, y, w, h = p.x_mm, p.y_mm, p.w_mm, p.h_mm
        bx, by = max(0.0, bleed_mm[0]), max(0.0, bleed_mm[1])
        if (p.bleed or p.fill) and (bx > 0 or by > 0):   # colour that reaches a cut runs past it
            x0, y0, x1, y1 = x, y, x + w, y + h
            x0 = x0 - bx if x0 <= _EPS else x0
            y0 = y0 - by if y0 <= _EPS else y0
            x1 = x1 + bx if x1 >= w_mm - _EPS else x1
            y1 = y1 + by if y1 >= h_mm - _EPS else y1
            x, y, w, h = x0, y0, x1 - x0, y1 - y0
        if not (p.fill or p.stroke) or w <= 0 or h <= 0:
            return
        self._style(p.fill, p.stroke, p.stroke_w_mm)
        args = (x * MM_TO_PT, -(y + h) * MM_TO_PT, w * MM_TO_PT, h * MM_TO_PT)
        if p.radius_mm > 0:
            self.c.roundRect(*args, min(p.radius_mm, w / 2, h / 2) * MM_TO_PT,
                             stroke=int(bool(p.stroke)), fill=int(bool(p.fill)))
        else:
            self.c.rect(*args, stroke=int(bool(p.stroke)), fill=int(bool(p.fill)))

    def ellipse(self, p: Ellipse) -> None:
        if not (p.fill or p.stroke):
            return
        self._style(p.fill, p.stroke, p.stroke_w_mm)
        self.c.ellipse(p.x_mm * MM_TO_PT, -(p.y_mm + p.h_mm) * MM_TO_PT, (p.x_mm + p.w_mm) * MM_TO_PT,
                       -p.y_mm * MM_TO_PT, stroke=int(bool(p.stroke)), fill=int(bool(p.fill)))

    def _style(self, fill: str | None, stroke: str | None, stroke_w_mm: float) -> None:
        if fill:
            self.c.setFillColorRGB(*rgb(fill))
        if stroke:
            self.c.setStrokeColorRGB(*rgb(stroke))
            self.c.setLineWidth(stroke_w_mm * MM_TO_PT)

    def polygons(self, p: Polygons) -> None:
        ops = [_fill_op(p.fill)]
        for poly in p.polygons:
            (x0, y0), rest = poly[0], poly[1:]
            ops.append(f"{_f(x0 * MM_TO_PT)} {_f(-y0 * MM_TO_PT)} m")
            ops.extend(f"{_f(x * MM_TO_PT)} {_f(-y * MM_TO_PT)} l" for x, y in rest)
            ops.append("h")
        ops.append("f")
        write_ops(self.c, "\n".join(ops))   # one path, one fill: no seams, tiny stream

    def qr(self, p: QRModules) -> None:
        """Vector modules: one rectangle per horizontal run of dark modules, all in one path."""
        cell = p.module_mm * MM_TO_PT
        x0 = (p.x_mm + p.quiet_modules * p.module_mm) * MM_TO_PT
        y0 = -(p.y_mm + p.quiet_modules * p.module_mm) * MM_TO_PT
        write_ops(self.c, _fill_op(p.color) + "\n" + _qr_path(p.matrix, round(cell, 4), round(x0, 4), round(y0, 4)))

    def ean(self, p: EANBars) -> None:
        top = -p.y_mm * MM_TO_PT
        ops = [_fill_op(p.color)] + [f"{_f((p.x_mm + dx) * MM_TO_PT)} {_f(top - h * MM_TO_PT)} {_f(w * MM_TO_PT)} {_f(h * MM_TO_PT)} re"
               for dx, w, h in p.bars]
        ops.append("f")
        write_ops(self.c, "\n".join(ops))

    def picture(self, p: Picture) -> None:
        c = self.c
        c.saveState()
        c.transform(p.w_mm * MM_TO_PT, 0, 0, p.h_mm * MM_TO_PT, p.x_mm * MM_TO_PT, -(p.y_mm + p.h_mm) * MM_TO_PT)
        c.doForm(self.image_forms[p.key])
        c.restoreState()


def _vector_of(p: Picture):
    """The vector drawing a picture's pixels were rendered from (``logo.VECTOR_INFO_KEY`` in the
    image's info), when the placed picture shows all of it (same proportions: not cropped)."""
    info = getattr(p.image, "info", None) or {}
    d = info.get(VECTOR_INFO_KEY)
    if d is None or not p.h_mm or not d.height:
        return None
    return d if abs((p.w_mm / p.h_mm) / (d.width / d.height) - 1) < 0.02 else None


@lru_cache(maxsize=2048)
def _qr_path(matrix: tuple[tuple[bool, ...], ...], cell: float, x0: float, y0: float) -> str:
    """One path of whole-module rectangles (one per horizontal run of dark modules), in module
    units under a scaling ``cm`` whose y axis points down the rows."""
    a = np.zeros((len(matrix), len(matrix[0]) + 2), dtype=np.int8)
    a[:, 1:-1] = matrix
    d = np.diff(a, axis=1)
    rows, starts = np.nonzero(d == 1)
    ends = np.nonzero(d == -1)[1]
    body = "\n".join(f"{c} {r} {w} 1 re" for r, c, w in zip(rows.tolist(), starts.tolist(), (ends - starts).tolist()))
    return f"q {_f(cell)} 0 0 {_f(-cell)} {_f(x0)} {_f(y0)} cm\n{body}\nf Q"


def _axes(bleed_mm) -> tuple[float, float]:
    """(horizontal, vertical) bleed from one number or a pair; negative = colour kept inside the cut."""
    return (float(bleed_mm), float(bleed_mm)) if isinstance(bleed_mm, (int, float)) else \
        (float(bleed_mm[0]), float(bleed_mm[1]))


def dither_1bit(image, w_mm: float, h_mm: float, dpi: int):
    """``image`` resampled to ``dpi`` at its placed size and dithered to 1-bit (Floyd–Steinberg,
    Pillow's default for ``convert("1")``); transparent parts become white paper."""
    from PIL import Image
    im = image
    if im.mode in ("RGBA", "LA"):
        paper = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(paper, im.convert("RGBA"))
    size = (max(1, round(w_mm / 25.4 * dpi)), max(1, round(h_mm / 25.4 * dpi)))
    return im.convert("L").resize(size, Image.LANCZOS).convert("1").convert("L")


def _shape_path(c: Canvas, label: ComposedLabel, grow_mm: Bleed):
    gx, gy = _axes(grow_mm)
    w, h = label.width_mm + 2 * gx, label.height_mm + 2 * gy
    x, y = -gx * MM_TO_PT, -(label.height_mm + gy) * MM_TO_PT
    path = c.beginPath()
    if label.shape in ("circle", "ellipse"):
        path.ellipse(x, y, w * MM_TO_PT, h * MM_TO_PT)
    elif label.corner_radius_mm > 0:
        r = max(0.0, label.corner_radius_mm + min(gx, gy))
        path.roundRect(x, y, w * MM_TO_PT, h * MM_TO_PT, min(r, w / 2, h / 2) * MM_TO_PT)
    else:
        path.rect(x, y, w * MM_TO_PT, h * MM_TO_PT)
    return path


def _needs_clip(label: ComposedLabel, bleed_mm: Bleed) -> bool:
    """Round labels clip to their shape; any label clips where colour must stay inside the cut."""
    return label.clip_to_shape or min(_axes(bleed_mm)) < 0


def paint_label(painter: Painter, label: ComposedLabel, prims, bleed_mm: Bleed, *,
                 clip: bool, outline: bool) -> None:
    c = painter.c
    clipped = clip and _needs_clip(label, bleed_mm)
    if clipped:
        c.saveState()
        c.clipPath(_shape_path(c, label, bleed_mm), stroke=0, fill=0)
    painter.paint(prims, w_mm=label.width_mm, h_mm=label.height_mm, bleed_mm=bleed_mm)
    if clipped:
        c.restoreState()
    if outline:
        c.setStrokeColorRGB(0.6, 0.6, 0.6)
        c.setLineWidth(0.3)
        c.drawPath(_shape_path(c, label, 0.0), stroke=1, fill=0)


def _new_canvas(buf: io.BytesIO, w_mm: float, h_mm: float, default_font: str, title: str) -> Canvas:
    c = Canvas(buf, pagesize=(w_mm * MM_TO_PT, h_mm * MM_TO_PT), pageCompression=1, invariant=1,
               initialFontName=default_font, initialFontSize=8)
    c.setTitle(title or "Studio Kemasan")
    c.setCreator("Studio Kemasan")
    c.setAuthor("Studio Kemasan")
    return c


def _make_form(c: Canvas, painter: Painter, name: str, label: ComposedLabel, prims, bleed_mm: Bleed,
               outline: bool) -> None:
    g = max(0.0, *_axes(bleed_mm)) + 1.0
    c.beginForm(name, -g * MM_TO_PT, -(label.height_mm + g) * MM_TO_PT,
                (label.width_mm + g) * MM_TO_PT, g * MM_TO_PT)
    paint_label(painter, label, prims, bleed_mm, clip=True, outline=outline)
    c.endForm()


def _draw_segments(c: Canvas, segs, page_h_mm: float, width_pt: float = 0.3) -> None:
    c.setStrokeColorRGB(*rgb(MARK_COLOR))
    c.setLineWidth(width_pt)
    for (x1, y1), (x2, y2) in segs:
        c.line(x1 * MM_TO_PT, (page_h_mm - y1) * MM_TO_PT, x2 * MM_TO_PT, (page_h_mm - y2) * MM_TO_PT)


def _dither_dpi(layout: SheetLayout) -> int | None:
    return (layout.printer_dpi or 203) if layout.thermal else None


def render_sheet_pdf(label: ComposedLabel, layout: SheetLayout, copies: int, *, first_slot: int = 0,
                     calibration: Calibration | None = None, overlay: ComposedLabel | None = None,
                     title: str = "", show_outline: bool = False) -> bytes:
    """``copies`` of one label on ``layout`` sheets, starting at slot ``first_slot`` of page 1.

    :raises ValueError: copies < 1 or first_slot outside the sheet.
    """
    return render_set_sheet_pdf([label], layout, copies, first_set=first_slot, calibration=calibration,
                                overlays=[overlay], title=title, show_outline=show_outline)


def render_set_sheet_pdf(panels: list[ComposedLabel], layout: SheetLayout, sets: int, *, first_set: int = 0,
                         calibration: Calibration | None = None,
                         overlays: list[ComposedLabel | None] | None = None,
                         title: str = "", show_outline: bool = False) -> bytes:
    """``sets`` label sets (``panels``: one composed label per sticker of the set, front first) on
    ``layout`` sheets, the stickers of one set in consecutive slots
    (:func:`imposition.plan_set_slots`), starting at set ``first_set`` of page 1. ``overlays[i]``
    (a job's batch code and dates) is printed on every copy of panel ``i``. Each panel and overlay is
    drawn once into a form and placed on its slots.

    :raises ValueError: sets < 1, no panels or first_set outside the sheet.
    """
    if sets < 1:
        raise ValueError("copies must be at least 1")
    if not panels:
        raise ValueError("no labels to print")
    overlays = list(overlays or []) + [None] * (len(panels) - len(overlays or []))
    slots = plan_set_slots(layout, sets, len(panels), first_set, calibration)
    buf = io.BytesIO()
    first = panels[0]
    c = _new_canvas(buf, layout.paper_w_mm, layout.paper_h_mm, first.default_font, title)
    painter = Painter(c)
    painter.prepare_images(tuple(p for lab in panels + [o for o in overlays if o is not None]
                                 for p in lab.primitives), _dither_dpi(layout))
    forms: list[list[str]] = []
    for i, (lab, ov) in enumerate(zip(panels, overlays)):
        name = "label" if i == 0 else f"label{i}"
        _make_form(c, painter, name, lab, lab.primitives, layout.edge_bleed_mm, show_outline)
        names = [name]
        if ov is not None:
            oname = "overlay" if i == 0 else f"overlay{i}"
            _make_form(c, painter, oname, ov, ov.primitives, 0.0, False)
            names.append(oname)
        forms.append(names)
    all_forms = [n for names in forms for n in names]
    marks = crop_marks_mm(layout) if layout.crop_marks else []
    page = -1
    page_h_pt = layout.paper_h_mm * MM_TO_PT
    for i, slot in slots:
        if slot.page != page:
            if page >= 0:
                c.showPage()
            page = slot.page
            use_forms(c, all_forms)
            if marks:
                _draw_segments(c, marks, layout.paper_h_mm)
        _place(c, slot.x_mm * MM_TO_PT, page_h_pt - slot.y_mm * MM_TO_PT, forms[i])
    c.showPage()
    c.save()
    return buf.getvalue()


def render_label_pdf(label: ComposedLabel, layout: SheetLayout, *, bleed_mm: float = 3.0,
                     crop_marks: bool = True, show_outline: bool = False, title: str = "",
                     subject: str = "") -> bytes:
    """One label at actual size with ``bleed_mm`` of bleed, corner crop marks, TrimBox and BleedBox
    (for a print shop). With ``crop_marks=False`` and ``bleed_mm=0`` the page is the label itself.
    ``subject``: the document's Subject (e.g. the address its QR code opens), empty for none.
    """
    mark_len = 5.0
    margin = bleed_mm + ((bleed_mm + 2.0 + mark_len + 1.0) - bleed_mm if crop_marks else 0.0)
    page_w, page_h = label.width_mm + 2 * margin, label.height_mm + 2 * margin
    buf = io.BytesIO()
    c = _new_canvas(buf, page_w, page_h, label.default_font, title)
    if subject:
        c.setSubject(subject)
    painter = Painter(c)
    painter.prepare_images(label.primitives, _dither_dpi(layout))
    m = margin * MM_TO_PT
    c.setTrimBox((m, m, m + label.width_mm * MM_TO_PT, m + label.height_mm * MM_TO_PT))
    b = (margin - bleed_mm) * MM_TO_PT
    c.setBleedBox((b, b, (page_w - margin + bleed_mm) * MM_TO_PT, (page_h - margin + bleed_mm) * MM_TO_PT))
    c.saveState()
    c.translate(m, (page_h - margin) * MM_TO_PT)
    paint_label(painter, label, label.primitives, bleed_mm, clip=True, outline=show_outline)
    c.restoreState()
    if crop_marks:
        _draw_segments(c, corner_marks_mm(label.width_mm, label.height_mm, (margin, margin),
                                          offset_mm=bleed_mm + 2.0, length_mm=mark_len), page_h, 0.25)
    c.showPage()
    c.save()
    return buf.getvalue()
