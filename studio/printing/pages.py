"""Documents the hub prints besides the approved label, built for the label engine (one painter).

* the batch overlay: production code, production date and best-before date placed in the
  design's stamping box (tag ``expiry_box``) or over its expiry line (tag ``pdp.expiry``);
* the calibration page: crosses at the slot corners and small rulers across the first label's
  edges, placed with the engine's own slot plan, so it moves exactly like a real job;
* the showroom shelf card (A6): photo, name, price and the QR to the listing;
* ZPL for Zebra-compatible thermal printers: the label rasterised from its PDF at the printer's
  dots, the batch text as printer-native ``^A0`` fields.

Pure: plain values in, engine documents or bytes out (no Flask, no database).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..labels.colors import readable
from ..labels.document import Box, EllipseItem, ImageItem, LabelDocument, QRItem, RectItem, TextItem
from ..labels.imposition import Calibration, plan_slots
from ..labels.layouts import SheetLayout
from ..labels.primitives import ComposedLabel, Rect, TextLine
from ..labels.units import MM_PER_INCH, PT_TO_MM
from ..preflight.pixels import ONE_BIT_THRESHOLD
from ..rules.dates import expiry_text
from ..rules.numbers import format_date_id
from .geometry import RULER_HALF_MM, mark_positions_mm, nominal_spans_mm

GUIDE = "#6B7280"
INK = "#000000"
HAIR_MM = 0.15


# --------------------------------------------------------------------------- batch overlay
def batch_text(batch_code: str, production_date: date | None, expiry_date: date | None,
               shelf_life_days: int | None = None) -> str:
    """"Kode produksi: 261127-01 · Tgl. produksi: 27-11-2026" + line break + "Baik digunakan
    sebelum 27-03-2027" (the full date: always allowed, whatever the shelf life)."""
    first = f"Kode produksi: {batch_code}" if batch_code else ""
    if production_date is not None:
        first += (" · " if first else "") + f"Tgl. produksi: {format_date_id(production_date)}"
    if expiry_date is None:
        return first
    second = expiry_text(expiry_date, max(1, shelf_life_days or 1), full_date=True)
    return f"{first}\n{second}" if first else second


#: ever shorter wordings of the stamp line for a small stamping box (each keeps the whole code and date)
STAMP_WORDINGS = 4


def stamp_wording(text: str, level: int) -> str:
    """The stamp line ``text`` ("Kode produksi: … · Tgl. produksi: …") at wording ``level``: 0 as
    given, 1 the code and the date on lines of their own, 2 also the short words "Kode prod." and
    "Tgl. prod."."""
    if level >= 1:
        text = text.replace(" · ", "\n")
    if level >= 2:
        text = text.replace("Kode produksi:", "Kode prod.:").replace("Tgl. produksi:", "Tgl. prod.:")
    if level >= 3:
        text = text.replace("Kode prod.:", "Kode:").replace("Tgl. prod.:", "Prod.:")
    return text


def replaces_expiry_line(label: ComposedLabel, text: str) -> bool:
    """True when the batch overlay of ``text`` prints the best-before line of ``label`` anew, in
    that line's place: a label with no stamping box (the whole batch text goes there), or the date
    of a label whose line points at its stamping box ("…: lihat kotak di bawah")."""
    if "pdp.expiry" not in label.regions:
        return False
    return "expiry_box" not in label.regions or "\n" in text


def label_under_overlay(label: ComposedLabel, text: str) -> ComposedLabel:
    """``label`` as printed under the batch overlay of ``text``: without the best-before line the
    overlay prints anew (:func:`replaces_expiry_line`). The line is left out, not covered: a PDF
    reader, a screen reader or a print shop's preflight would still read covered text, and a cover
    of one flat colour shows on a photo or a gradient."""
    if not replaces_expiry_line(label, text):
        return label
    return replace(label, primitives=tuple(p for p in label.primitives
                                           if not (isinstance(p, TextLine) and p.tag == "pdp.expiry")))


def overlay_document(label: ComposedLabel, layout_id: str, text: str, fonts: dict[str, str],
                     safe_margin_mm: float = 1.5, *, wording: int = 0) -> tuple[LabelDocument, str]:
    """The overlay printed on top of every label of a job, and where it went. ``wording``: the
    stamp line's :func:`stamp_wording` level (the caller picks the first that fits). Print it over
    :func:`label_under_overlay` of ``label``, never over the label as composed: the best-before line
    it prints anew is left out there.

    :returns: (document at label size, "expiry_box" | "pdp.expiry" | "bottom").
    """
    region = label.regions.get("expiry_box")
    items: list = []
    if region is not None:
        where = "expiry_box"
        x, y, w, h = region.box_mm
        box = Box(x, y, w, h).inset(min(0.7, w / 8, h / 8))
    elif (region := label.regions.get("pdp.expiry")) is not None:
        where = "pdp.expiry"
        box = Box(*region.box_mm)
    else:                                   # no place reserved: a strip at the bottom, on a cover
        where = "bottom"                    # (nothing of the label is known to be there)
        m = safe_margin_mm
        box = Box(m, label.height_mm - m - 5.0, label.width_mm - 2 * m, 5.0)
        items.append(RectItem(box, fill=label.background, tag="overlay.cover"))
    # black, unless the label is dark there (a dark style): then the plain ink that reads on it
    ink = readable(INK, (region.background if region is not None and region.background else None)
                   or label.background or "#FFFFFF")
    expiry_line = label.regions.get("pdp.expiry")
    if where == "expiry_box" and expiry_line is not None and "\n" in text:
        # one best-before wording: the line that pointed to the box ("…: lihat kotak di bawah") is
        # left out of the printed label and this line says the date in its place; the box carries
        # the production code and date
        text, best_before = text.split("\n", 1)
        line_ink = readable(INK, expiry_line.background or label.background or "#FFFFFF")
        items.append(TextItem(Box(*expiry_line.box_mm), best_before, "body", size_pt=expiry_line.size_pt or 7.0,
                              min_size_pt=4.5, align="left", valign="middle", color=line_ink, line_height=1.15,
                              tag="batch.expiry"))
    first, nl, rest = text.partition("\n")
    items.append(TextItem(box, stamp_wording(first, wording) + nl + rest, "body", size_pt=7.0, min_size_pt=4.5,
                          align="left", valign="middle", color=ink, line_height=1.15, tag="batch"))
    return LabelDocument(layout_id, tuple(items), background="#FFFFFF", fonts=dict(fonts)), where


# ------------------------------------------------------------------------- page layouts
def page_layout(layout_id: str, name: str, paper_w_mm: float, paper_h_mm: float, *,
                margin_mm: float = 0.5) -> SheetLayout:
    """One "label" as big as the paper (for pages drawn in page millimetres)."""
    return SheetLayout(id=layout_id, name=name, kind="sheet", paper_w_mm=paper_w_mm,
                       paper_h_mm=paper_h_mm, label_w_mm=paper_w_mm, label_h_mm=paper_h_mm,
                       columns=1, rows=1, left_mm=0.0, top_mm=0.0, step_x_mm=paper_w_mm,
                       step_y_mm=paper_h_mm, safe_margin_mm=margin_mm)


# ---------------------------------------------------------------------- calibration page
def _line(items: list, x1: float, y1: float, x2: float, y2: float, w: float = HAIR_MM,
          color: str = INK) -> None:
    if abs(y2 - y1) < 1e-9:
        items.append(RectItem(Box(min(x1, x2), y1 - w / 2, abs(x2 - x1), w), fill=color, tag="decor"))
    else:
        items.append(RectItem(Box(x1 - w / 2, min(y1, y2), w, abs(y2 - y1)), fill=color, tag="decor"))


def _text(items: list, box: Box, text: str, size: float, *, align: str = "center",
          color: str = INK, bold: bool = False) -> None:
    items.append(TextItem(box, text, "body", size_pt=size, min_size_pt=min(size, 3.5), align=align,
                          valign="middle", color=color, bold=bold, tag="text"))


def _cross(items: list, x: float, y: float, arm: float, w: float = HAIR_MM) -> None:
    _line(items, x - arm, y, x + arm, y, w)
    _line(items, x, y - arm, x, y + arm, w)


def _ruler(items: list, x: float, y: float, horizontal: bool, letter: str) -> None:
    """Ticks every 0.5 mm from -4 to +4 mm across the edge at (x, y); 0 sits on the edge."""
    n = int(RULER_HALF_MM * 2)
    for k in range(-n, n + 1):
        t = k / 2
        length = 2.2 if k == 0 else (1.5 if k % 2 == 0 else 0.9)
        if horizontal:      # reads along x, ticks hang down from the ruler line
            _line(items, x + t, y, x + t, y + length, 0.12)
        else:
            _line(items, x, y + t, x + length, y + t, 0.12)
        if k % 4 == 0:
            label = "0" if k == 0 else f"{t:+g}"
            if horizontal:
                _text(items, Box(x + t - 1.6, y + 2.3, 3.2, 1.8), label, 4.0, bold=k == 0)
            else:
                _text(items, Box(x + 2.4, y + t - 0.9, 3.6, 1.8), label, 4.0, align="left", bold=k == 0)
    if horizontal:
        _line(items, x - RULER_HALF_MM, y, x + RULER_HALF_MM, y, 0.12)
        _text(items, Box(x + RULER_HALF_MM + 0.6, y - 0.6, 4.0, 3.0), letter, 7.0, align="left", bold=True)
    else:
        _line(items, x, y - RULER_HALF_MM, x, y + RULER_HALF_MM, 0.12)
        _text(items, Box(x - 1.5, y + RULER_HALF_MM + 0.5, 3.0, 3.0), letter, 7.0, bold=True)


def _mm(v: float) -> str:
    return f"{v:+.2f}".replace(".", ",")


def calibration_page_document(layout: SheetLayout, calibration: Calibration | None, *,
                              printer_name: str = "") -> tuple[LabelDocument, SheetLayout]:
    """The calibration page of ``layout`` drawn in page mm, placed with ``calibration`` (None =
    raw, for measuring). Every slot gets its outline, number and a cross at its top-left corner;
    rulers A (x) and B (y) cross the first label's left and top edges; crosses C and D mark the
    last column and the last row for the optional scale measurement.
    """
    page = page_layout(f"calibration:{layout.id}", layout.name, layout.paper_w_mm, layout.paper_h_mm)
    items: list = []
    slots = plan_slots(layout, layout.slots_per_page, 0, calibration)
    w, h = layout.label_w_mm, layout.label_h_mm
    for s in slots:
        box = Box(s.x_mm, s.y_mm, w, h)
        if layout.shape == "rect":
            items.append(RectItem(box, stroke=GUIDE, stroke_w_mm=0.1, radius_mm=layout.corner_radius_mm,
                                  tag="decor"))
        else:
            items.append(EllipseItem(box, stroke=GUIDE, stroke_w_mm=0.1, tag="decor"))
        size = max(6.0, min(14.0, h * 0.35 / PT_TO_MM))
        _text(items, Box(s.x_mm + w * 0.3, s.y_mm + h * 0.62, w * 0.4, h * 0.3), str(s.index + 1), size,
              color=GUIDE)
        _cross(items, s.x_mm, s.y_mm, min(2.5, w / 6, h / 6))
    first = slots[0]
    _ruler(items, first.x_mm, first.y_mm + h * 0.42, True, "A")
    _ruler(items, first.x_mm + w * 0.42, first.y_mm, False, "B")
    span_x, span_y = nominal_spans_mm(layout)
    x1, x2, y1, y2 = mark_positions_mm(layout)
    if layout.columns > 1:
        c = calibration or Calibration()
        cx, cy = c.apply(x2, y1)
        _cross(items, cx, cy, 4.0, 0.2)
        _text(items, Box(cx + 1.0, cy + 1.0, 5.0, 3.0), "C", 7.0, align="left", bold=True)
    if layout.rows > 1:
        c = calibration or Calibration()
        dx, dy = c.apply(x1, y2)
        _cross(items, dx, dy, 4.0, 0.2)
        _text(items, Box(dx + 1.0, dy + 1.0, 5.0, 3.0), "D", 7.0, align="left", bold=True)
    if calibration is None:
        state = "TANPA koreksi (untuk mengukur)"
    else:
        state = (f"DENGAN koreksi x {_mm(calibration.offset_x_mm)} mm, y {_mm(calibration.offset_y_mm)} mm, "
                 f"skala {calibration.scale_x:.4f} × {calibration.scale_y:.4f}".replace(".", ","))
    title = f"Kalibrasi · {layout.name}" + (f" · {printer_name}" if printer_name else "") + f"\n{state}"
    spans = []
    if layout.columns > 1:
        spans.append(f"C: jarak silang 1 ke C seharusnya {span_x:.2f} mm".replace(".", ","))
    if layout.rows > 1:
        spans.append(f"D: jarak silang 1 ke D seharusnya {span_y:.2f} mm".replace(".", ","))
    help_text = ("A dan B: baca angka tepat di garis potong label, isi angka itu. " + "; ".join(spans)).strip()
    top = layout.top_mm
    bottom = layout.paper_h_mm - (layout.top_mm + (layout.rows - 1) * layout.step_y_mm + h)
    if top >= 8:
        _text(items, Box(8, 1.5, layout.paper_w_mm - 16, min(top - 2.5, 9)), title, 8.0, align="left")
    if bottom >= 8:
        _text(items, Box(8, layout.paper_h_mm - bottom + 1, layout.paper_w_mm - 16, min(bottom - 2.5, 9)),
              help_text, 7.0, align="left")
    if top < 8 and bottom < 8:          # a roll label: the title goes inside, under ruler A
        _text(items, Box(first.x_mm + 2, first.y_mm + h * 0.62, w - 4, h * 0.3), title, 5.0, align="left")
    doc = LabelDocument(page.id, tuple(items), background="#FFFFFF",
                        fonts={"heading": "sans-bold", "body": "sans"})
    return doc, page


# --------------------------------------------------------------------------- shelf card
A6_W_MM, A6_H_MM = 105.0, 148.0


def shelf_card_layout() -> SheetLayout:
    """A6 portrait, one card per page (cut A4 in four, or feed A6 card stock)."""
    return SheetLayout(id="shelf-card-a6", name="Kartu rak A6", kind="sheet", paper_w_mm=A6_W_MM,
                       paper_h_mm=A6_H_MM, label_w_mm=A6_W_MM, label_h_mm=A6_H_MM, columns=1, rows=1,
                       left_mm=0.0, top_mm=0.0, step_x_mm=A6_W_MM, step_y_mm=A6_H_MM, safe_margin_mm=6.0)


def shelf_card_document(*, has_photo: bool, accent: str = "#1F6F5C",
                        fonts: dict[str, str] | None = None) -> LabelDocument:
    """The showroom card: photo on top, brand, name, variant and net quantity, the price in a
    band, and the QR to the listing with its address. Fields: ``brand``, ``name``, ``subtitle``
    (variant · net quantity), ``price``, ``producer_short``, ``url``, ``url_text``; image key ``photo``."""
    W, H, m = A6_W_MM, A6_H_MM, 6.0
    items: list = [RectItem(Box(0, 0, W, 4.0), fill=accent, bleed=True, tag="decor")]
    y = 9.0
    name_h, name_pt = 16.0, 22.0
    if has_photo:
        items.append(ImageItem(Box(m, y, W - 2 * m, 52.0), "photo", "contain", True, "photo"))
        y += 55.0
    else:                       # no photo yet: the name takes the room
        y += 8.0
        name_h, name_pt = 44.0, 34.0
    items += [
        TextItem(Box(m, y, W - 2 * m, 5.0), "${brand}", "heading", 10, 6, "left", "bottom", accent,
                 False, 1.1, True, "brand"),
        TextItem(Box(m, y + 5.5, W - 2 * m, name_h), "${name}", "heading", name_pt, 11, "left", "middle", INK,
                 False, 1.05, False, "name"),
        TextItem(Box(m, y + 6.0 + name_h, W - 2 * m, 7.0), "${subtitle}", "body", 11, 7, "left", "top",
                 "#374151", False, 1.1, False, "variant"),
    ]
    py = H - m - 34.0 - 14.0
    items += [
        RectItem(Box(m, py, W - 2 * m, 11.0), fill=accent, radius_mm=2.0, tag="price.bg"),
        TextItem(Box(m + 3, py + 1.0, W - 2 * m - 6, 9.0), "${price}", "heading", 22, 12, "center",
                 "middle", "#FFFFFF", False, 1.0, False, "price"),
        QRItem(Box(m, H - m - 32.0, 32.0, 32.0), "url", "M", INK, "qr"),
        TextItem(Box(m + 34.0, H - m - 30.0, W - 2 * m - 34.0, 12.0),
                 "Pindai untuk melihat dan memesan di BLONJO", "body", 9, 6, "left", "top", INK, True,
                 1.15, False, "qr.caption"),
        TextItem(Box(m + 34.0, H - m - 17.0, W - 2 * m - 34.0, 6.0), "${url_text}", "body", 8, 5, "left",
                 "top", "#374151", False, 1.1, False, "url"),
        TextItem(Box(m + 34.0, H - m - 10.0, W - 2 * m - 34.0, 10.0), "${producer_short}", "body", 8, 5,
                 "left", "bottom", "#374151", False, 1.1, False, "producer"),
    ]
    return LabelDocument("shelf-card-a6", tuple(items), background="#FFFFFF",
                         fonts=fonts or {"heading": "sans-bold", "body": "sans"})


# --------------------------------------------------------------------------------- ZPL
def _gf_field(image, x_dots: int = 0, y_dots: int = 0) -> str:
    """A 1-bit ``^GFA`` graphic field of a PIL image (dark = printed dot)."""
    bw = image.convert("L").point(lambda v: 255 if v < ONE_BIT_THRESHOLD else 0, mode="1")  # = preflight PRINT-02
    w, h = bw.size
    row_bytes = (w + 7) // 8
    data = bw.tobytes()         # mode "1" packs rows to whole bytes; bit 1 = dark pixel = a dot
    total = row_bytes * h
    return f"^FO{x_dots},{y_dots}^GFA,{total},{total},{row_bytes},{data.hex().upper()}^FS"


def render_zpl(label_image, overlay: ComposedLabel | None, *, dpi: int, copies: int,
               width_mm: float, height_mm: float) -> str:
    """ZPL II for one roll label printed ``copies`` times.

    :param label_image: the label's PDF rasterised at ``dpi`` (PIL image, label size).
    :param overlay: the composed batch overlay; its text lines become ``^A0`` fields at their
        baselines (``^FT``), its cover rectangles white ``^GB`` boxes.
    """
    def dots(v_mm: float) -> int:
        return round(v_mm * dpi / MM_PER_INCH)

    out = ["^XA", "^CI28", f"^PW{dots(width_mm)}", f"^LL{dots(height_mm)}", "^LH0,0",
           _gf_field(label_image)]
    out += _overlay_fields(overlay, dpi)
    out += [f"^PQ{max(1, int(copies))}", "^XZ"]
    return "\n".join(out) + "\n"


def _overlay_fields(overlay: ComposedLabel | None, dpi: int) -> list[str]:
    """The batch overlay as ZPL fields: text lines as ``^A0`` fields at their baselines, cover
    rectangles as white ``^GB`` boxes."""
    def dots(v_mm: float) -> int:
        return round(v_mm * dpi / MM_PER_INCH)

    out = []
    for p in (overlay.primitives if overlay else ()):
        if isinstance(p, Rect) and p.fill and p.tag == "overlay.cover":
            out.append(f"^FO{dots(p.x_mm)},{dots(p.y_mm)}^GB{max(1, dots(p.w_mm))},{max(1, dots(p.h_mm))},"
                       f"{max(1, min(dots(p.w_mm), dots(p.h_mm)))},W^FS")
        elif isinstance(p, TextLine):
            size = max(10, round(p.size_pt * PT_TO_MM * dpi / MM_PER_INCH))
            text = p.text.replace("^", " ").replace("~", " ")
            out.append(f"^FT{dots(p.x_mm)},{dots(p.baseline_y_mm)}^A0N,{size},{size}^FD{text}^FS")
    return out


def render_zpl_set(label_images: list, overlays: list[ComposedLabel | None], *, dpi: int, copies: int,
                   width_mm: float, height_mm: float) -> str:
    """ZPL II for a label set on a roll (front + back: consecutive labels), ``copies`` sets in
    print order front, back, front, back… Each sticker's picture is sent once to the printer's
    memory (``~DG`` to R:, the same 1-bit bits as ``^GFA``) and recalled per label (``^XG``), so a
    long job stays small; the stored pictures are deleted at the end (``^ID``)."""
    def dots(v_mm: float) -> int:
        return round(v_mm * dpi / MM_PER_INCH)

    names = [f"R:SKSET{i}.GRF" for i in range(len(label_images))]
    out = []
    for name, image in zip(names, label_images):
        gf = _gf_field(image)       # ^FO0,0^GFA,total,total,row_bytes,HEX^FS
        total, _t, row_bytes, data = gf.split("^GFA,", 1)[1].removesuffix("^FS").split(",", 3)
        out.append(f"~DG{name},{total},{row_bytes},{data}")
    head = f"^XA^CI28^PW{dots(width_mm)}^LL{dots(height_mm)}^LH0,0"
    labels = ["".join([head, f"^FO0,0^XG{name},1,1^FS", *_overlay_fields(ov, dpi), "^PQ1^XZ"])
              for name, ov in zip(names, overlays)]
    for _ in range(max(1, int(copies))):
        out += labels
    out.append("^XA" + "".join(f"^ID{name}^FS" for name in names) + "^XZ")
    return "\n".join(out) + "\n"
