"""Where each copy goes: pages, slots, printer calibration and crop marks (pure geometry, mm)."""
from __future__ import annotations

from dataclasses import dataclass

from .layouts import SheetLayout, slot_origins_mm


@dataclass(frozen=True)
class Slot:
    """One label position: page number (0-based), slot index on that page, top-left in page mm."""

    page: int
    index: int
    x_mm: float
    y_mm: float


@dataclass(frozen=True)
class Calibration:
    """Per-printer correction of slot positions, measured from a test print.

    Positive ``offset_x_mm`` moves labels right, positive ``offset_y_mm`` moves them down;
    ``scale_x``/``scale_y`` stretch positions about the paper's top-left corner.
    """

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0

    def __post_init__(self) -> None:
        if not (0.9 <= self.scale_x <= 1.1 and 0.9 <= self.scale_y <= 1.1):
            raise ValueError("calibration scale must be between 0.9 and 1.1")
        if abs(self.offset_x_mm) > 20 or abs(self.offset_y_mm) > 20:
            raise ValueError("calibration offsets must be within ±20 mm")

    def apply(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Corrected page position of a point given in page mm."""
        return (x_mm * self.scale_x + self.offset_x_mm, y_mm * self.scale_y + self.offset_y_mm)


def plan_slots(layout: SheetLayout, copies: int, first_slot: int = 0,
               calibration: Calibration | None = None) -> list[Slot]:
    """Positions for ``copies`` labels, filling pages row by row.

    ``first_slot`` skips that many already-used slots on the FIRST page only (gLabels "start on
    label N", 0-based). A calibration, if given, is applied to every position.

    :raises ValueError: copies < 0 or first_slot outside the page.
    """
    if copies < 0:
        raise ValueError("copies must not be negative")
    per_page = layout.slots_per_page
    if not 0 <= first_slot < per_page:
        raise ValueError(f"first_slot must be between 0 and {per_page - 1}")
    origins = slot_origins_mm(layout)
    out: list[Slot] = []
    for n in range(copies):
        pos = first_slot + n
        page, index = divmod(pos, per_page)
        x, y = origins[index]
        if calibration is not None:
            x, y = calibration.apply(x, y)
        out.append(Slot(page, index, x, y))
    return out


def _slots_used(layout: SheetLayout, panels: int) -> int:
    """Slots of a page that carry sets of ``panels`` stickers (a set never runs onto the next
    sheet: left-over slots at the end of a page stay empty; a roll has one sticker per "page")."""
    per_page = layout.slots_per_page
    return per_page - per_page % panels if per_page >= panels else per_page


def sets_per_page(layout: SheetLayout, panels: int = 1) -> int:
    """How many whole sets of ``panels`` stickers one sheet holds (a roll: 1, over several labels)."""
    if panels < 1:
        raise ValueError("a set has at least one panel")
    return max(1, _slots_used(layout, panels) // panels)


def plan_set_slots(layout: SheetLayout, sets: int, panels: int, first_set: int = 0,
                   calibration: Calibration | None = None) -> list[tuple[int, Slot]]:
    """Positions for ``sets`` label sets of ``panels`` stickers each: the panels of one set in
    consecutive slots (front, back, front, back… row by row, so on a sheet with an even number of
    columns each set sits side by side in one row). ``first_set`` skips that many sets on the
    FIRST page (counts are in sets: 5 sets of front + back are 10 stickers).

    :returns: (panel index, slot) per sticker, in print order.
    :raises ValueError: sets < 0, panels < 1 or first_set outside the page.
    """
    if sets < 0:
        raise ValueError("sets must not be negative")
    per_sheet = sets_per_page(layout, panels)
    if not 0 <= first_set < per_sheet:
        raise ValueError(f"first_{'slot' if panels == 1 else 'set'} must be between 0 and {per_sheet - 1}")
    used = _slots_used(layout, panels)
    origins = slot_origins_mm(layout)
    out: list[tuple[int, Slot]] = []
    for n in range(sets):
        for i in range(panels):
            page, index = divmod((first_set + n) * panels + i, used)
            x, y = origins[index]
            if calibration is not None:
                x, y = calibration.apply(x, y)
            out.append((i, Slot(page, index, x, y)))
    return out


def page_count(layout: SheetLayout, copies: int, first_slot: int = 0) -> int:
    """Number of sheets (or roll labels) a job needs."""
    return 0 if copies <= 0 else (first_slot + copies - 1) // layout.slots_per_page + 1


Segment = tuple[tuple[float, float], tuple[float, float]]


def crop_marks_mm(layout: SheetLayout, *, offset_mm: float | None = None, length_mm: float = 4.0) -> list[Segment]:
    """Crop-mark line segments in page mm for an N-up sheet, drawn in the outer margins only
    (gutters stay clean). Each cut line gets a mark at both ends; marks start ``offset_mm``
    (default bleed + 1 mm) outside the trim and stop 1 mm before the paper edge.
    """
    off = layout.bleed_mm + 1.0 if offset_mm is None else offset_mm
    xs = sorted({round(layout.left_mm + c * layout.step_x_mm + d, 4)
                 for c in range(layout.columns) for d in (0.0, layout.label_w_mm)})
    ys = sorted({round(layout.top_mm + r * layout.step_y_mm + d, 4)
                 for r in range(layout.rows) for d in (0.0, layout.label_h_mm)})
    top, bottom = ys[0], ys[-1]
    left, right = xs[0], xs[-1]
    segs: list[Segment] = []

    def vertical(x: float, y_from: float, y_to: float) -> None:
        if abs(y_to - y_from) >= 1.0:
            segs.append(((x, y_from), (x, y_to)))

    def horizontal(y: float, x_from: float, x_to: float) -> None:
        if abs(x_to - x_from) >= 1.0:
            segs.append(((x_from, y), (x_to, y)))

    for x in xs:
        vertical(x, top - off, max(1.0, top - off - length_mm))
        vertical(x, bottom + off, min(layout.paper_h_mm - 1.0, bottom + off + length_mm))
    for y in ys:
        horizontal(y, left - off, max(1.0, left - off - length_mm))
        horizontal(y, right + off, min(layout.paper_w_mm - 1.0, right + off + length_mm))
    return segs


def corner_marks_mm(w_mm: float, h_mm: float, origin: tuple[float, float], *, offset_mm: float,
                    length_mm: float = 5.0) -> list[Segment]:
    """Standard trim marks at the four corners of a single label placed at ``origin`` (page mm)."""
    ox, oy = origin
    segs: list[Segment] = []
    for cx, dx in ((ox, -1), (ox + w_mm, 1)):
        for cy, dy in ((oy, -1), (oy + h_mm, 1)):
            segs.append(((cx + dx * offset_mm, cy), (cx + dx * (offset_mm + length_mm), cy)))
            segs.append(((cx, cy + dy * offset_mm), (cx, cy + dy * (offset_mm + length_mm))))
    return segs
