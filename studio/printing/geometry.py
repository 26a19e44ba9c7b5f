"""Print arithmetic without the web app: quantities, and calibration from what was measured.

Pure (the label engine's geometry only): the services, the CLI and the tests share it.

How the calibration page is read (see pages.py): at the left edge of the first label a small
ruler is printed whose 0 mark is where the printer *should* put that edge; the operator reads
the number where the real die-cut edge crosses the ruler. Because the ruler moves with the print,
that reading is exactly the correction to enter (printed 0.8 mm too far left -> the edge sits
at "+0.8" -> move the print +0.8 mm right). The same holds for the top edge (positive = down).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..labels.imposition import Calibration, sets_per_page
from ..labels.layouts import SheetLayout

MAX_SHEETS = 200            # one job; a bigger run is several jobs (and several batch codes)
#: the job form's first quantity on a roll: one small production batch (packs: labels, or sets)
ROLL_DEFAULT_COPIES = 50
RULER_HALF_MM = 4.0         # calibration rulers read -4 … +4 mm


@dataclass(frozen=True)
class Quantity:
    """How many labels a job prints and on how many sheets (roll: one "sheet" per label)."""

    copies: int
    sheets: int


def plan_quantity(layout: SheetLayout, first_slot: int, *, copies: int | None = None,
                  sheets: int | None = None, panels: int = 1) -> Quantity:
    """Labels and sheets for a job given EITHER ``copies`` (labels) OR ``sheets`` (whole sheets;
    the first, partly used sheet counts as one, so its used slots are not printed).

    :param first_slot: 0-based slot of the first label on the first sheet.
    :param panels: stickers per copy (2 for a front + back label set): ``copies`` and ``first_slot``
        then count sets, and a sheet holds :func:`sets_per_page` of them.
    :raises ValueError: ``first_slot`` outside the sheet, both or neither quantity given, or a
        quantity below 1 or above :data:`MAX_SHEETS` sheets. The message names the field.
    """
    per_page = sets_per_page(layout, panels)
    if not 0 <= first_slot < per_page:
        raise ValueError("first_slot")
    if (copies is None) == (sheets is None):
        raise ValueError("copies")
    if sheets is not None:
        if not 1 <= sheets <= MAX_SHEETS:
            raise ValueError("sheets")
        copies = sheets * per_page - first_slot
    assert copies is not None
    if copies < 1:
        raise ValueError("copies")
    n_sheets = (first_slot + copies - 1) // per_page + 1
    if layout.slots_per_page < panels:      # a set on a roll: every sticker is a "sheet"
        n_sheets = copies * panels
    if n_sheets > MAX_SHEETS:
        raise ValueError("copies")
    return Quantity(copies, n_sheets)


def default_quantity(layout: SheetLayout, first_slot: int = 0, panels: int = 1) -> int:
    """The job form's first quantity (labels, or sets of ``panels`` stickers): on a sheet the rest of
    the first sheet from ``first_slot`` (a fresh sheet: one full sheet, every slot or every whole
    set), on a roll :data:`ROLL_DEFAULT_COPIES` packs (never more than one job prints)."""
    if layout.kind == "roll":
        return max(1, min(ROLL_DEFAULT_COPIES, MAX_SHEETS // max(1, panels)))
    per_page = sets_per_page(layout, panels)
    return max(1, per_page - min(max(0, first_slot), per_page - 1))


@dataclass(frozen=True)
class Measurement:
    """What the operator read on one calibration page (mm).

    ``x_mm``/``y_mm``: the ruler readings at the first label's left and top edges.
    ``span_x_mm``/``span_y_mm`` (optional): the measured distance between the crosses of the
    first and the last column (row); with them the scale is corrected too.
    """

    x_mm: float
    y_mm: float
    span_x_mm: float | None = None
    span_y_mm: float | None = None


def mark_positions_mm(layout: SheetLayout) -> tuple[float, float, float, float]:
    """(first x, last-column x, first y, last-row y): the intended page positions (mm) of the
    crosses at the top-left corners of the first label, the last column and the last row."""
    return (layout.left_mm, layout.left_mm + (layout.columns - 1) * layout.step_x_mm,
            layout.top_mm, layout.top_mm + (layout.rows - 1) * layout.step_y_mm)


def nominal_spans_mm(layout: SheetLayout) -> tuple[float, float]:
    """Distances between the first and last crosses as they should print (0 for one column/row)."""
    x1, x2, y1, y2 = mark_positions_mm(layout)
    return (x2 - x1, y2 - y1)


def _axis(first: float, last: float, reading: float, span: float | None,
          base_scale: float, base_offset: float) -> tuple[float, float]:
    """New (scale, offset) for one axis. The printer maps page position q to s*q + d."""
    printed_first = base_scale * first + base_offset          # where the page put the first cross
    if span is not None and last > first:
        s = span / (base_scale * (last - first))              # printer stretch
    else:
        s = 1.0 / base_scale                                  # keep the current scale correction
    d = first - s * (printed_first + reading)                 # the edge sits at reading on the ruler
    return (1.0 / s, -d / s)


def calibration_from_measurement(layout: SheetLayout, m: Measurement,
                                 printed_with: Calibration | None = None) -> Calibration:
    """The calibration that puts every label where the stock's geometry says it is.

    :param printed_with: the calibration the measured page was printed with (None = a page
        printed without correction). Measuring a corrected page refines that correction.
    :raises ValueError: readings outside the rulers, or a result the engine refuses (offset over
        20 mm, scale outside 0.9–1.1).
    """
    spans = [v for v in (m.span_x_mm, m.span_y_mm) if v is not None]
    if not all(math.isfinite(v) for v in (m.x_mm, m.y_mm, *spans)):
        raise ValueError("readings must be numbers")      # NaN passes every comparison below
    if abs(m.x_mm) > RULER_HALF_MM + 1e-9 or abs(m.y_mm) > RULER_HALF_MM + 1e-9:
        raise ValueError(f"readings must be between -{RULER_HALF_MM:g} and {RULER_HALF_MM:g} mm")
    base = printed_with or Calibration()
    x1, x2, y1, y2 = mark_positions_mm(layout)
    sx, ox = _axis(x1, x2, m.x_mm, m.span_x_mm, base.scale_x, base.offset_x_mm)
    sy, oy = _axis(y1, y2, m.y_mm, m.span_y_mm, base.scale_y, base.offset_y_mm)
    return Calibration(offset_x_mm=round(ox, 3), offset_y_mm=round(oy, 3),
                       scale_x=round(sx, 5), scale_y=round(sy, 5))


def calibration_to_dict(c: Calibration | None) -> dict:
    """JSON snapshot of a calibration (stored with each print job)."""
    c = c or Calibration()
    return {"offset_x_mm": c.offset_x_mm, "offset_y_mm": c.offset_y_mm,
            "scale_x": c.scale_x, "scale_y": c.scale_y}


def calibration_from_dict(d: dict | None) -> Calibration:
    """Inverse of :func:`calibration_to_dict` (an empty dict is no correction)."""
    d = d or {}
    return Calibration(float(d.get("offset_x_mm", 0.0)), float(d.get("offset_y_mm", 0.0)),
                       float(d.get("scale_x", 1.0)), float(d.get("scale_y", 1.0)))


@dataclass(frozen=True)
class SlotView:
    """One slot of the sheet picture: 1-based number, frame in page mm, and its state
    ("used" = already peeled off, "print" = gets a label, "free" = stays empty)."""

    number: int
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    state: str


def sheet_picture(layout: SheetLayout, first_slot: int, copies: int, panels: int = 1) -> list[SlotView]:
    """The first sheet of a job as the operator sees it (for the slot picker). For a label set
    (``panels`` stickers a copy) ``first_slot`` and ``copies`` count sets, and every sticker shows its
    set's number (a set's stickers sit in consecutive slots); a slot no whole set can use is number 0."""
    from ..labels.layouts import slot_origins_mm

    used = sets_per_page(layout, panels) * panels if panels > 1 else layout.slots_per_page
    out = []
    for i, (x, y) in enumerate(slot_origins_mm(layout)):
        n = i // panels
        state = "used" if n < first_slot else ("print" if n < first_slot + copies else "free")
        out.append(SlotView(n + 1 if i < used else 0, x, y, layout.label_w_mm, layout.label_h_mm,
                            state if i < used else "spare"))
    return out


def sheet_summary(layout: SheetLayout, first_slot: int, copies: int, panels: int = 1) -> list[tuple[int, int, int]]:
    """Per sheet: (sheet number, first label number, last label number), all 1-based; for a label set
    (``panels`` stickers a copy) the numbers count sets."""
    per = sets_per_page(layout, panels) if panels > 1 else layout.slots_per_page
    out = []
    pos, left, sheet = first_slot, copies, 1
    while left > 0:
        n = min(per - pos, left)
        out.append((sheet, pos + 1, pos + n))
        left -= n
        pos, sheet = 0, sheet + 1
    return out
