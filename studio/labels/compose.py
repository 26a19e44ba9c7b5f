"""document + values + fonts -> ComposedLabel: positioned primitives, problems and tagged regions.

Text is measured and wrapped once here; painters never measure. Images are fitted and downsampled
once here. Nothing that does not fit is dropped silently: it becomes a Problem.
"""
from __future__ import annotations

import math
from functools import lru_cache

from PIL import Image

from . import codes, decor
from .colors import luminance
from .document import (Box, EANItem, EllipseItem, ImageItem, LabelDocument, PatternItem, QRItem,
                       RectItem, TextItem)
from .fields import Span, plain_text, substitute
from .fonts import FontRegistry
from .layouts import SheetLayout
from .messages import problem
from .pictures import fit_image
from .primitives import (ComposedLabel, EANBars, Ellipse, Picture, Polygons, Problem, QRModules,
                         Rect, Region, TextLine)
from .textfit import layout_text
from .units import MM_PER_INCH, PT_TO_MM

MIN_QR_MM = 10.0            # smallest QR symbol (without quiet zone) we call scannable on inkjet @300 dpi
QUIET_MODULES = 4
EAN_NOMINAL_X_MM = 0.33
_FILL_KINDS = (Rect, Ellipse)


@lru_cache(maxsize=8192)
def _cached_layout(spans: tuple[Span, ...], regular: str, bold: str, fonts: FontRegistry, box_w_mm: float,
                   box_h_mm: float, size_pt: float, min_size_pt: float, line_height: float, align: str,
                   valign: str):
    """Same text in the same box lays out the same: variable-data jobs measure each text once."""
    return layout_text(list(spans), font=regular, bold_font=bold, fonts=fonts, box_w_mm=box_w_mm,
                       box_h_mm=box_h_mm, size_pt=size_pt, min_size_pt=min_size_pt, line_height=line_height,
                       align=align, valign=valign)


class _Composer:
    def __init__(self, doc: LabelDocument, layout: SheetLayout, values: dict[str, str],
                 fonts: FontRegistry, images: dict[str, Image.Image], printer_dpi: int | None,
                 min_qr_mm: float) -> None:
        self.doc, self.layout, self.values, self.fonts = doc, layout, values, fonts
        self.images, self.printer_dpi, self.min_qr_mm = images, printer_dpi, min_qr_mm
        self.prims: list = []
        self.problems: list[Problem] = []
        self.regions: dict[str, Region] = {}
        self.fills: list[tuple[tuple[float, float, float, float], str]] = []

    # ---------------------------------------------------------------- helpers
    def font_name(self, role: str) -> str:
        return self.doc.fonts.get(role, role)

    def background_at(self, box: Box) -> str:
        """Colour of the topmost filled shape under the centre of ``box``."""
        cx, cy = box.x_mm + box.w_mm / 2, box.y_mm + box.h_mm / 2
        for (x, y, w, h), fill in reversed(self.fills):
            if x <= cx <= x + w and y <= cy <= y + h:
                return fill
        return self.doc.background or "#FFFFFF"

    def add_region(self, region: Region) -> None:
        if region.tag in ("", "decor"):
            return
        key, n = region.tag, 2
        while key in self.regions:
            key, n = f"{region.tag}#{n}", n + 1
        self.regions[key] = region

    # ------------------------------------------------------------------ items
    def rect(self, it: RectItem) -> None:
        b = it.box
        self.prims.append(Rect(b.x_mm, b.y_mm, b.w_mm, b.h_mm, it.fill, it.stroke, it.stroke_w_mm,
                               it.radius_mm, it.bleed, it.tag, it.panel))
        if it.fill:
            self.fills.append((b.as_tuple(), it.fill))
        self.add_region(Region(it.tag, "shape", b.as_tuple(), it.panel, color=it.stroke or it.fill))

    def ellipse(self, it: EllipseItem) -> None:
        b = it.box
        self.prims.append(Ellipse(b.x_mm, b.y_mm, b.w_mm, b.h_mm, it.fill, it.stroke, it.stroke_w_mm,
                                  it.tag, it.panel))
        if it.fill:   # approximate by the inscribed rectangle for background look-ups
            k = (1 - 1 / math.sqrt(2)) / 2
            self.fills.append(((b.x_mm + k * b.w_mm, b.y_mm + k * b.h_mm, b.w_mm / math.sqrt(2),
                                b.h_mm / math.sqrt(2)), it.fill))
        self.add_region(Region(it.tag, "shape", b.as_tuple(), it.panel, color=it.stroke or it.fill))

    def pattern(self, it: PatternItem) -> None:
        polys = decor.expand(it.motif, it.box, it.scale_mm, self.layout.label_w_mm, self.layout.label_h_mm)
        if polys:
            self.prims.append(Polygons(tuple(polys), it.color, it.tag, it.panel))

    def _resolve(self, it: TextItem) -> tuple[list[Span], str, str]:
        """Substitute fields (reporting unknown/empty ones) and pick the regular and bold fonts."""
        spans, unknown, empty = substitute(it.text, self.values)
        if it.uppercase:
            spans = [Span(sp.text.upper(), sp.bold) for sp in spans]
        regular = self.font_name(it.font)
        if regular not in self.fonts.names:
            self.problems.append(problem("unknown_font", "error", it.tag, it.box, font=regular))
            regular = self.fonts.default
        bold = self.fonts.bold_of(regular)
        if it.bold:
            regular = bold
        for name in unknown:
            self.problems.append(problem("unknown_field", "error", it.tag, it.box, field=name))
        mandatory = it.tag.startswith("pdp.") or it.tag == "ingredients"
        for name in empty:
            self.problems.append(problem("field_empty", "warning" if mandatory else "info", it.tag, it.box,
                                         field=name))
        return spans, regular, bold

    def _lay(self, it: TextItem, spans: list[Span], regular: str, bold: str, size: float, min_size: float,
             box_h: float):
        return _cached_layout(tuple(spans), regular, bold, self.fonts, it.box.w_mm, box_h, size, min_size,
                              it.line_height, it.align, it.valign if box_h < 1e5 else "top")

    def plan_flows(self) -> None:
        """Stack the texts of each flow group top-down, shrinking them together until they fit."""
        groups: dict[str, list[TextItem]] = {}
        for it in self.doc.items:
            if isinstance(it, TextItem) and it.flow:
                groups.setdefault(it.flow, []).append(it)
        self.flowed: dict[int, tuple] = {}
        for members in groups.values():
            top = min(it.box.y_mm for it in members)
            bottom = max(it.box.bottom_mm for it in members)
            resolved = [self._resolve(it) for it in members]
            steps = max(int(math.ceil((it.size_pt - it.min_size_pt) / 0.25)) for it in members)
            for k in range(steps + 1):
                sizes = [max(it.min_size_pt, it.size_pt - 0.25 * k) for it in members]
                lays = [self._lay(it, sp, r, b, s, s, 1e6) for it, (sp, r, b), s in zip(members, resolved, sizes)]
                gaps = [0.45 * s * PT_TO_MM * it.line_height for it, s in zip(members, sizes)]
                total = sum(lay.height_mm for lay in lays) + sum(gaps[1:])
                if total <= bottom - top + 1e-6:
                    break
            slack = max(0.0, (bottom - top) - total)
            y = top + slack * {"top": 0.0, "middle": 0.5, "bottom": 1.0}[members[0].valign]
            for i, (it, lay, res) in enumerate(zip(members, lays, resolved)):
                y += gaps[i] if i else 0.0
                box = Box(it.box.x_mm, y, it.box.w_mm, lay.height_mm)
                self.flowed[id(it)] = (box, lay, res, box.bottom_mm > bottom + 1e-6)
                y += lay.height_mm

    def text(self, it: TextItem) -> None:
        if id(it) in self.flowed:
            box, lay, (spans, regular, bold), overflow = self.flowed[id(it)]
        else:
            spans, regular, bold = self._resolve(it)
            box = it.box
            lay = self._lay(it, spans, regular, bold, it.size_pt, it.min_size_pt, it.box.h_mm)
            overflow = lay.overflow
        rl = {False: self.fonts.rl_name(regular), True: self.fonts.rl_name(bold)}
        for line in lay.lines:
            for x_off, t, is_bold in line.runs:
                if t.strip():
                    self.prims.append(TextLine(box.x_mm + x_off, box.y_mm + line.baseline_mm, t,
                                               rl[is_bold], lay.size_pt, it.color, it.tag, it.panel))
        if overflow:
            self.problems.append(problem("text_overflow", "error", it.tag, box, size=f"{lay.size_pt:g}"))
        m = self.fonts.metrics(regular)
        size_mm = lay.size_pt * PT_TO_MM
        self.add_region(Region(it.tag, "text", box.as_tuple(), it.panel, plain_text(spans), lay.size_pt,
                               it.min_size_pt, round(m.x_height * size_mm, 3), round(m.cap_height * size_mm, 3),
                               it.color, self.background_at(box), len(lay.lines), overflow))

    def image(self, it: ImageItem) -> None:
        im = self.images.get(it.image_key)
        if im is None:
            if it.required:
                self.problems.append(problem("image_missing", "warning", it.tag, it.box, key=it.image_key))
            return
        f = fit_image(im, it.box.as_tuple(), it.fit)
        self.prims.append(Picture(f.x_mm, f.y_mm, f.w_mm, f.h_mm, f.image, f.key, it.tag, it.panel))
        if f.ppi < 200:
            self.problems.append(problem("image_low_ppi", "error", it.tag, it.box, ppi=f"{f.ppi:.0f}"))
        elif f.ppi < 300:
            self.problems.append(problem("image_low_ppi", "warning", it.tag, it.box, ppi=f"{f.ppi:.0f}"))
        self.add_region(Region(it.tag, "image", (f.x_mm, f.y_mm, f.w_mm, f.h_mm), it.panel,
                               ppi=round(f.ppi, 1), background=self.background_at(it.box)))

    def qr(self, it: QRItem) -> None:
        data = str(self.values.get(it.data_field) or "")
        if not data:
            self.problems.append(problem("qr_no_data", "error", it.tag, it.box, field=it.data_field))
            return
        try:
            matrix = codes.qr_matrix(data, it.ec)
        except codes.CodeError:
            self.problems.append(problem("qr_too_long", "error", it.tag, it.box, field=it.data_field))
            return
        total = len(matrix) + 2 * QUIET_MODULES
        side = min(it.box.w_mm, it.box.h_mm)
        module = side / total
        x = it.box.x_mm + (it.box.w_mm - side) / 2
        y = it.box.y_mm + (it.box.h_mm - side) / 2
        if self.printer_dpi:        # whole printer dots per module, symbol on the dot grid
            dot = MM_PER_INCH / self.printer_dpi
            module = max(1, math.floor(module / dot + 1e-6)) * dot
            size = module * total
            x = round((it.box.x_mm + (it.box.w_mm - size) / 2) / dot) * dot
            y = round((it.box.y_mm + (it.box.h_mm - size) / 2) / dot) * dot
        else:
            size = side
        bg = self.background_at(it.box)
        if luminance(bg) < 0.75:    # the quiet zone must be light: put a white card behind the code
            self.prims.append(Rect(x, y, size, size, "#FFFFFF", None, 0.0, module * 1.5, False, it.tag, it.panel))
            bg = "#FFFFFF"
        self.prims.append(QRModules(x, y, size, matrix, QUIET_MODULES, it.color, it.tag, it.panel))
        symbol = module * len(matrix)
        # modules below the stock's floor (inkjet spread, thermal dots) do not scan: never shrink past it
        need = max(self.min_qr_mm, self.layout.qr_module_floor_mm(self.printer_dpi) * len(matrix))
        if symbol < need - 1e-6:
            self.problems.append(problem("qr_too_small", "error", it.tag, it.box,
                                         size=f"{symbol:.1f}", min=f"{round(need, 1):g}"))
        self.add_region(Region(it.tag, "qr", (x, y, size, size), it.panel, data, color=it.color,
                               background=bg, module_mm=round(module, 4)))

    def ean(self, it: EANItem) -> None:
        gtin = str(self.values.get(it.data_field) or "").strip()
        try:
            modules = codes.ean13_modules(gtin)
        except codes.CodeError:
            self.problems.append(problem("ean_invalid", "error", it.tag, it.box, gtin=gtin or "-"))
            return
        if len(gtin) == 12:
            gtin = "0" + gtin
        b = it.box
        x_mm = b.w_mm / (95 + 11 + 7)
        font = self.font_name("body")
        m = self.fonts.metrics(font)
        digit_size_pt = 8.0 * x_mm / m.cap_height / PT_TO_MM
        digit_h = m.cap_height * digit_size_pt * PT_TO_MM
        bar_h = b.h_mm - digit_h - 1.0 * x_mm
        if bar_h < 10 * x_mm:
            self.problems.append(problem("ean_too_small", "error", it.tag, it.box, x=f"{x_mm:.3f}"))
            return
        if x_mm < EAN_NOMINAL_X_MM * 0.8 - 1e-6:
            self.problems.append(problem("ean_too_small", "warning", it.tag, it.box, x=f"{x_mm:.3f}"))
        bars, i = [], 0
        x0 = b.x_mm + 11 * x_mm
        while i < 95:
            if modules[i] == "1":
                j = i
                while j < 95 and modules[j] == "1":
                    j += 1
                guard = i in codes.EAN_GUARD_MODULES
                bars.append((round(i * x_mm, 4), round((j - i) * x_mm, 4),
                             round(bar_h + (5 * x_mm if guard else 0), 4)))
                i = j
            else:
                i += 1
        bg = self.background_at(b)
        if luminance(bg) < 0.75:
            self.prims.append(Rect(b.x_mm, b.y_mm, b.w_mm, b.h_mm, "#FFFFFF", None, 0, 0, False, it.tag, it.panel))
            bg = "#FFFFFF"
        self.prims.append(EANBars(x0, b.y_mm, tuple(bars), it.color, it.tag, it.panel))
        rl = self.fonts.rl_name(font)
        base = b.y_mm + bar_h + 1.0 * x_mm + digit_h
        self.prims.append(TextLine(b.x_mm + 11 * x_mm - 1.5 * x_mm - self.fonts.string_width_pt(
            gtin[0], font, digit_size_pt) * PT_TO_MM, base, gtin[0], rl, digit_size_pt, it.color, it.tag, it.panel))
        for half, start in ((gtin[1:7], 3), (gtin[7:], 50)):
            for k, d in enumerate(half):
                cx = x0 + (start + 7 * k + 3.5) * x_mm
                w = self.fonts.string_width_pt(d, font, digit_size_pt) * PT_TO_MM
                self.prims.append(TextLine(cx - w / 2, base, d, rl, digit_size_pt, it.color, it.tag, it.panel))
        self.add_region(Region(it.tag, "ean", b.as_tuple(), it.panel, gtin, color=it.color, background=bg,
                               module_mm=round(x_mm, 4)))

    # ---------------------------------------------------------------- checks
    def check_safe_area(self) -> None:
        lay, m = self.layout, self.layout.safe_margin_mm
        w, h = lay.label_w_mm, lay.label_h_mm
        for it in self.doc.items:
            if it.tag in ("decor", "background") or getattr(it, "bleed", False):
                continue
            if isinstance(it, (RectItem, EllipseItem, PatternItem)):
                continue
            b = it.box
            corners = [(b.x_mm, b.y_mm), (b.right_mm, b.y_mm), (b.x_mm, b.bottom_mm), (b.right_mm, b.bottom_mm)]
            if lay.shape == "rect":
                inside = b.x_mm >= m - 1e-6 and b.y_mm >= m - 1e-6 and b.right_mm <= w - m + 1e-6 \
                    and b.bottom_mm <= h - m + 1e-6
            else:
                rx, ry = w / 2 - m, h / 2 - m
                inside = all(((x - w / 2) / rx) ** 2 + ((y - h / 2) / ry) ** 2 <= 1 + 1e-6 for x, y in corners)
            if not inside:
                self.problems.append(problem("outside_safe_area", "warning", it.tag, b))

    def run(self) -> ComposedLabel:
        lay = self.layout
        if self.doc.background:
            self.prims.append(Rect(0.0, 0.0, lay.label_w_mm, lay.label_h_mm, self.doc.background, None, 0.0,
                                   0.0, True, "background"))
        self.plan_flows()
        handlers = {TextItem: self.text, ImageItem: self.image, QRItem: self.qr, EANItem: self.ean,
                    RectItem: self.rect, EllipseItem: self.ellipse, PatternItem: self.pattern}
        for it in self.doc.items:
            handlers[type(it)](it)
        self.check_safe_area()
        for flag in self.doc.flags:
            self.problems.append(problem(flag, "warning", "", None))
        if self.doc.layout_id and self.doc.layout_id != lay.id:
            self.problems.append(problem("layout_mismatch", "warning", "", None,
                                         doc=self.doc.layout_id, layout=lay.id))
        return ComposedLabel(lay.label_w_mm, lay.label_h_mm, lay.shape, lay.corner_radius_mm,
                             tuple(self.prims), tuple(self.problems), self.regions,
                             self.fonts.rl_name(self.font_name("body") if self.font_name("body") in
                                                self.fonts.names else self.fonts.default),
                             self.doc.background or "#FFFFFF", self.doc.clip_to_shape)


def compose(doc: LabelDocument, layout: SheetLayout, values: dict[str, str], fonts: FontRegistry,
            images: dict[str, Image.Image] | None = None, *, printer_dpi: int | None = None,
            min_qr_mm: float = MIN_QR_MM) -> ComposedLabel:
    """Lay out ``doc`` on one label of ``layout`` with ``values`` substituted.

    :param printer_dpi: snap QR modules to whole printer dots (defaults to ``layout.printer_dpi``).
    :param min_qr_mm: smallest QR symbol side (without quiet zone) not reported as too small.
    :returns: primitives in mm from the label's top-left, problems, and regions by tag.
    """
    return _Composer(doc, layout, values, fonts, images or {}, printer_dpi or layout.printer_dpi,
                     min_qr_mm).run()
