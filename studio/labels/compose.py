"""document + values + fonts -> ComposedLabel: positioned primitives, problems and tagged regions.

Text is measured and wrapped once here; painters never measure. Images are fitted and downsampled
once here. Nothing that does not fit is dropped silently: it becomes a Problem.

Print truth: every glyph of a drawn line lies inside its item's box (textfit measures the glyph
outlines), no text line is drawn over another text or into a QR code or barcode (the less important
text loses the colliding lines, optional before mandatory), and text that does not fit at its
smallest size is cut after the last whole line that fits and reported as ``text_overflow`` naming
what was not printed — never drawn past its box. Item boxes also hold the em box of every line
(the character box PDF readers such as pdfminer/pdfplumber use), so lines on different baselines
do not overlap for those readers either.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache

from PIL import Image

from . import codes, decor
from .colors import luminance
from .document import (Box, EANItem, EllipseItem, ImageItem, LabelDocument, PatternItem, QRItem,
                       RectItem, TextItem)
from .fields import Span, plain_text, substitute
from .fonts import FontRegistry, printable_text
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


# Which texts lose lines first when a flow group cannot hold everything (first = cut first).
# Optional texts go before any mandatory one; among mandatory texts the long panels (nutrition,
# storage, ingredients) give way before the short principal-panel statements.
_CUT_ORDER = ("qr.caption", "tagline", "price", "variant", "brand", "storage", "nutrition", "ingredients",
              "pdp.producer", "warning", "allergen_stmt", "pdp.halal", "pdp.permit", "pdp.expiry",
              "pdp.net_qty", "pdp.name")


def _cut_rank(tag: str) -> int:
    return _CUT_ORDER.index(tag) if tag in _CUT_ORDER else 0


def _stack_h(lays, gaps: list[float], keep: list[int], reserve: list[int], units: list[list[int]]) -> float:
    """Height of a flow stack: ``units`` are rows of member indices (side by side), member i keeps
    ``keep[i]`` lines and, when printed, takes at least ``reserve[i]`` lines of room; rows with
    nothing printed take no room and no gap."""
    total, prev = 0.0, None
    for unit in units:
        hs = [lays[i].block_mm(max(keep[i], reserve[i])) for i in unit if keep[i]]
        if hs:
            total += max(hs) + (0.0 if prev is None else _gap(lays, gaps, keep, prev, unit))
            prev = unit
    return total


def _gap(lays, gaps: list[float], keep: list[int], above: list[int], below: list[int]) -> float:
    """Space between two stacked rows of a flow: the rows' ink stays ``gaps`` apart, but the em
    boxes (PDF readers' character boxes) that the row boxes already hold around the ink count
    toward it, so a row is not pushed down twice; the em boxes themselves never overlap."""
    g = max(gaps[i] for i in below)
    pad_above = min(lays[i].em_pad_bottom * lays[i].size_pt for i in above if keep[i]) * PT_TO_MM
    pad_below = min(lays[i].em_pad_top * lays[i].size_pt for i in below if keep[i]) * PT_TO_MM
    return max(0.0, g - pad_above - pad_below)


def _cut_to_fit(members, lays, gaps, keep: list[int], room: float, reserve: list[int],
                units: list[list[int]]) -> list[int]:
    """Drop whole lines, least important member first (down to one line, then the member itself
    as a last resort), until the stack fits ``room``; a line is only dropped when that lowers the
    stack (a short text beside a taller one keeps its lines)."""
    keep = list(keep)
    order = sorted(range(len(members)), key=lambda i: (_cut_rank(members[i].tag), -i))

    def height(k: list[int]) -> float:
        return _stack_h(lays, gaps, k, reserve, units)

    for floor in (1, 0):
        for i in order:
            while keep[i] > floor and height(keep) > room + 1e-6:
                trial = keep[:i] + [keep[i] - 1] + keep[i + 1:]
                if height(trial) >= height(keep) - 1e-9 and floor == 1:
                    break
                keep = trial
            if height(keep) <= room + 1e-6:
                return keep
    return keep


def _rows(members: list[TextItem]) -> list[list[int]]:
    """Group flow members into rows: consecutive members on the same top edge whose boxes do not
    overlap horizontally are meant to sit side by side (e.g. permit | halal)."""
    units: list[list[int]] = []
    for i, it in enumerate(members):
        if units:
            prev = [members[j] for j in units[-1]]
            if all(abs(p.box.y_mm - it.box.y_mm) < 1e-6 and (p.box.right_mm <= it.box.x_mm + 1e-6
                                                              or it.box.right_mm <= p.box.x_mm + 1e-6)
                   for p in prev):
                units[-1].append(i)
                continue
        units.append([i])
    return units


def _hit(a: tuple[float, float, float, float], b: tuple[float, float, float, float], tol: float = 0.05) -> bool:
    """Two (x0, y0, x1, y1) rectangles intersect by more than ``tol`` mm in both directions."""
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


@dataclass
class _Placed:
    """A text item's drawn lines: (ink box in mm, primitives, text) per line."""

    item: TextItem
    box: Box
    lay: object
    spans: list
    regular: str
    lines: list
    background: str
    flowed: bool = False
    dropped_prims: list = field(default_factory=list)
    dropped_text: list = field(default_factory=list)

    _extent: tuple | None = None

    def extent(self) -> tuple[float, float, float, float]:
        if self._extent is None:
            inks = [i for i, _p, _t in self.lines]
            self._extent = (min(i[0] for i in inks), min(i[1] for i in inks), max(i[2] for i in inks),
                            max(i[3] for i in inks))
        return self._extent

    def drop_from(self, k: int) -> None:
        for _i, prims, text in self.lines[k:]:
            self.dropped_prims.extend(prims)
            self.dropped_text.append(text.strip())
        del self.lines[k:]
        self._extent = None


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
        self.texts: list[_Placed] = []

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
        spans = [Span(printable_text(sp.text), sp.bold) for sp in spans]
        if it.uppercase:
            spans = [Span(sp.text.upper(), sp.bold) for sp in spans]
        regular = self.font_name(it.font)
        if regular not in self.fonts.names:
            self.problems.append(problem("unknown_font", "error", it.tag, it.box, font=regular))
            regular = self.fonts.default
        bold = self.fonts.bold_of(regular)
        if it.bold:
            regular = bold
        missing = "".join(dict.fromkeys("".join(
            self.fonts.missing_chars(sp.text, bold if sp.bold else regular) for sp in spans)))
        if missing:   # the PDF would draw nothing for these: never silently
            self.problems.append(problem("glyph_missing", "error", it.tag, it.box,
                                         chars=" ".join(missing[:12]) + (" …" if len(missing) > 12 else "")))
        for name in unknown:
            self.problems.append(problem("unknown_field", "error", it.tag, it.box, field=name))
        mandatory = it.tag.startswith("pdp.") or it.tag == "ingredients"
        for name in empty:
            self.problems.append(problem("field_empty", "warning" if mandatory else "info", it.tag, it.box,
                                         field=name))
        return spans, regular, bold

    def min_cap_pt(self, it: TextItem, font: str) -> float:
        """The size (pt) whose capitals are as tall as ``values[it.min_cap_field]`` mm (0: no floor)."""
        if not it.min_cap_field:
            return 0.0
        try:
            need_mm = float(str(self.values.get(it.min_cap_field) or "0").replace(",", "."))
        except ValueError:
            return 0.0
        if need_mm <= 0:
            return 0.0
        return math.ceil(need_mm / (self.fonts.metrics(font).cap_height * PT_TO_MM) * 4) / 4

    def _lay(self, it: TextItem, spans: list[Span], regular: str, bold: str, size: float, min_size: float,
             box_h: float, box_w: float | None = None):
        return _cached_layout(tuple(spans), regular, bold, self.fonts, it.box.w_mm if box_w is None else box_w,
                              box_h, size, min_size, it.line_height,
                              it.align if box_w is None else "left", it.valign if box_h < 1e5 else "top")

    def plan_flows(self) -> None:
        """Stack the texts of each flow group top-down, shrinking them together until they fit.

        Members meant to sit side by side (same top edge, disjoint columns) share a row when each
        fits its column on as few lines as at full width, and are stacked at full width otherwise. What
        still does not fit at the smallest sizes is cut, whole lines at a time, from the members
        that matter least (optional texts first, then the mandatory ones in the order of
        ``_CUT_ORDER``), so no member is ever drawn past the group's frame or over another."""
        groups: dict[str, list[TextItem]] = {}
        for it in self.doc.items:
            if isinstance(it, TextItem) and it.flow:
                groups.setdefault(it.flow, []).append(it)
        self.flowed: dict[int, tuple] = {}
        # with no stamping box, the batch overlay (code, production and best-before dates: two
        # lines) is printed over the expiry line, so that line keeps room for two lines
        stamp_box = any(it.tag == "expiry_box" for it in self.doc.items)
        for members in groups.values():
            reserve = [2 if it.tag == "pdp.expiry" and not stamp_box else 0 for it in members]
            top = min(it.box.y_mm for it in members)
            bottom = max(it.box.bottom_mm for it in members)
            room = bottom - top
            resolved = [self._resolve(it) for it in members]
            rows = _rows(members)
            steps = max(int(math.ceil((it.size_pt - it.min_size_pt) / 0.25)) for it in members)
            for k in range(steps + 1):
                sizes = [max(it.min_size_pt, it.size_pt - 0.25 * k) for it in members]
                gaps = [0.45 * s * PT_TO_MM * it.line_height for it, s in zip(members, sizes)]
                units, frames, lays = [], {}, [None] * len(members)
                for row in rows:
                    x0 = min(members[i].box.x_mm for i in row)
                    x1 = max(members[i].box.right_mm for i in row)
                    side = [self._lay(members[i], *resolved[i], sizes[i], sizes[i], 1e6) for i in row]
                    if len(row) > 1:
                        full = [self._lay(members[i], *resolved[i], sizes[i], sizes[i], 1e6, x1 - x0)
                                for i in row]
                        if any(len(a.lines) > len(b.lines) for a, b in zip(side, full)):
                            for i, lay in zip(row, full):
                                units.append([i])
                                frames[i] = (x0, x1 - x0)
                                lays[i] = lay
                            continue
                    units.append(list(row))
                    for i, lay in zip(row, side):
                        frames[i] = (members[i].box.x_mm, members[i].box.w_mm)
                        lays[i] = lay
                total = _stack_h(lays, gaps, [len(lay.lines) for lay in lays], reserve, units)
                if total <= room + 1e-6:
                    break
            keep = [len(lay.lines) for lay in lays]
            if total > room + 1e-6:
                keep = _cut_to_fit(members, lays, gaps, keep, room, reserve, units)
                lays = [lay.keep(n) for lay, n in zip(lays, keep)]
                total = _stack_h(lays, gaps, keep, reserve, units)
            slack = max(0.0, room - total)
            y = top + slack * {"top": 0.0, "middle": 0.5, "bottom": 1.0}[members[0].valign]
            prev = None
            last = max((u for u, unit in enumerate(units) if any(keep[i] for i in unit)), default=-1)
            for u, unit in enumerate(units):
                printed = [i for i in unit if keep[i]]
                if printed and prev is not None:
                    y += _gap(lays, gaps, keep, prev, unit)
                h = max((lays[i].block_mm(max(keep[i], reserve[i])) for i in printed), default=0.0)
                if u == last and members[0].valign == "top":
                    h = max(h, bottom - y)          # the last text keeps the rest (room for a batch overlay)
                asc = {i: lays[i].ink_top * lays[i].size_pt * PT_TO_MM for i in printed}
                for i in unit:
                    x, w = frames[i]
                    dy = max(asc.values()) - asc[i] if len(printed) > 1 and i in asc else 0.0
                    box = Box(x, y + dy, w, h - dy if keep[i] else 0.0)     # one baseline per row
                    self.flowed[id(members[i])] = (box, lays[i], resolved[i], lays[i].overflow)
                if printed:
                    y += h
                    prev = unit

    def text(self, it: TextItem) -> None:
        """Place the lines of ``it``; problems and the region are written by :meth:`finish_texts`
        once collisions with other texts are resolved."""
        if id(it) in self.flowed:
            box, lay, (spans, regular, bold), _overflow = self.flowed[id(it)]
        else:
            spans, regular, bold = self._resolve(it)
            box = it.box
            size, min_size = it.size_pt, it.min_size_pt
            need = self.min_cap_pt(it, regular)
            if need > size:     # never capped below the legal character height; a box too small for it
                size = need     # shrinks the text (reported by the preflight), never cuts it
            lay = self._lay(it, spans, regular, bold, size, min_size, it.box.h_mm)
        rl = {False: self.fonts.rl_name(regular), True: self.fonts.rl_name(bold)}
        size_mm = lay.size_pt * PT_TO_MM
        lines = []
        for line in lay.lines:
            prims = [TextLine(box.x_mm + x_off, box.y_mm + line.baseline_mm, t, rl[is_bold], lay.size_pt,
                              it.color, it.tag, it.panel) for x_off, t, is_bold in line.runs if t.strip()]
            self.prims.extend(prims)
            x0 = box.x_mm + (line.runs[0][0] if line.runs else 0.0)
            y = box.y_mm + line.baseline_mm
            ink = (x0, y - lay.ink_top * size_mm, x0 + line.width_mm, y + lay.ink_bottom * size_mm)
            lines.append((ink, prims, "".join(t for _x, t, _b in line.runs)))
        self.texts.append(_Placed(it, box, lay, spans, regular, lines, self.background_at(box),
                                  flowed=id(it) in self.flowed))

    def resolve_collisions(self) -> None:
        """No text is drawn over another text: where the lines of two items collide (after manual
        moves or on a cramped stock), the less important item loses the colliding line and every
        line after it (optional texts give way to mandatory ones; reported as an overflow)."""
        placed = self.texts
        for i, a in enumerate(placed):
            for b in placed[i + 1:]:
                if not a.lines or not b.lines or a.item.panel != b.item.panel:
                    continue
                if not _hit(a.extent(), b.extent()):
                    continue
                ra, rb = _cut_rank(a.item.tag), _cut_rank(b.item.tag)
                victim, other = (a, b) if ra < rb else (b, a)
                for k, (ink, _p, _t) in enumerate(victim.lines):
                    if any(_hit(ink, o) for o, _q, _u in other.lines):
                        victim.drop_from(k)
                        break
        # codes must scan: a text line printed into a QR code (with its quiet zone) or a barcode
        # (with its digits) is cut there, whatever the text
        codes_ = [(r.box_mm[0], r.box_mm[1], r.box_mm[0] + r.box_mm[2], r.box_mm[1] + r.box_mm[3], r.panel)
                  for r in self.regions.values() if r.kind in ("qr", "ean")]
        for t in placed:
            if not t.lines or not codes_:
                continue
            boxes = [c[:4] for c in codes_ if c[4] == t.item.panel]
            if not any(_hit(t.extent(), c) for c in boxes):
                continue
            for k, (ink, _p, _t) in enumerate(t.lines):
                if any(_hit(ink, c) for c in boxes):
                    t.drop_from(k)
                    break
        dropped = {id(p) for t in placed for p in t.dropped_prims}
        if dropped:
            self.prims = [p for p in self.prims if id(p) not in dropped]
            emptied = {t.item.tag for t in placed if t.dropped_prims and not t.lines}
            if "price" in emptied:          # the price pill without its price is just a blob
                self.prims = [p for p in self.prims if getattr(p, "tag", "") != "price.bg"]
                self.regions = {k: r for k, r in self.regions.items() if r.tag != "price.bg"}

    def finish_texts(self) -> None:
        for t in self.texts:
            it, lay = t.item, t.lay
            cut = tuple(t.dropped_text) + lay.cut
            overflow = lay.overflow or bool(t.dropped_text)
            if overflow:
                p = problem("text_overflow", "error", it.tag, it.box, size=f"{lay.size_pt:g}")
                if cut:
                    text = " ".join(cut)
                    text = text if len(text) <= 80 else text[:77] + "…"
                    p = replace(p, message_id=p.message_id + f" Tidak tercetak: «{text}»",
                                message_en=p.message_en + f" Not printed: «{text}»")
                self.problems.append(p)
            if not t.lines and (t.flowed or t.dropped_text):
                continue                    # nothing of it is printed: the problem says so
            m = self.fonts.metrics(t.regular)
            size_mm = lay.size_pt * PT_TO_MM
            text = "\n".join(x for _i, _p, x in t.lines) if overflow else plain_text(t.spans)
            self.add_region(Region(it.tag, "text", t.box.as_tuple(), it.panel, text, lay.size_pt,
                                   it.min_size_pt, round(m.x_height * size_mm, 3), round(m.cap_height * size_mm, 3),
                                   it.color, t.background, len(t.lines), overflow))

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
        self.resolve_collisions()
        self.finish_texts()
        self.check_safe_area()
        for flag in self.doc.flags:
            if flag == "ean_no_room" and not str(self.values.get("gtin") or "").strip():
                continue            # no GTIN, no barcode missed
            self.problems.append(problem(flag, "warning", "ean" if flag == "ean_no_room" else "", None))
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
    Items with a ``when`` value key are left out while that value is blank (e.g. the pork warning
    sign of a product without pork).
    :returns: primitives in mm from the label's top-left, problems, and regions by tag.
    """
    active = tuple(it for it in doc.items
                   if not getattr(it, "when", "") or str(values.get(it.when) or "").strip())
    if len(active) != len(doc.items):       # conditional items (the pork sign) whose value is blank
        doc = doc.with_items(active)
    return _Composer(doc, layout, values, fonts, images or {}, printer_dpi or layout.printer_dpi,
                     min_qr_mm).run()
