"""Label stock geometry: one validated SheetLayout per TOML file in ``label_layouts/``.

Field semantics follow gLabels templates: ``columns/rows/left_mm/top_mm/step_x_mm/step_y_mm`` are
gLabels ``<Layout nx ny x0 y0 dx dy>``; ``label_w_mm/label_h_mm/corner_radius_mm`` are
``<Label-rectangle width height round>``; ``safe_margin_mm`` is ``<Markup-margin>``.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path

KINDS = ("sheet", "roll", "nup")
SHAPES = ("rect", "circle", "ellipse")
PRINT_METHODS = ("colour", "thermal")
_EPS_MM = 0.01          # rounding slack when checking that labels stay on the paper
# Smallest QR module that still decodes after a cheap inkjet's ink spread: measured with zxing-cpp on
# a version-4 symbol (a 61-character address), blurred by a 0.15 mm Gaussian and read at 150 dpi
# over 40 random grid phases: 0.355 mm failed 28 of 40, 0.36 mm and up decoded 40 of 40. 0.37 mm
# keeps a little margin. Thermal heads: whole dots, at least 3 per module (a worn head that loses
# one dot line still leaves 2; at 203 dpi that is 0.375 mm, above the inkjet floor too).
QR_MODULE_MIN_MM = 0.37
QR_MODULE_MIN_DOTS = 3
BUTT_BORDER_MM = 1.0    # colour stops this far inside a cut that touches the next label (±1 mm registration)


class LayoutError(ValueError):
    """A label stock definition is invalid; the message names the problem (and the file)."""


@dataclass(frozen=True)
class SheetLayout:
    """One label stock product. Lengths in mm, origin at the paper's top-left corner.

    :raises LayoutError: on construction when the geometry is impossible.
    """

    id: str
    name: str
    kind: str
    paper_w_mm: float
    paper_h_mm: float
    label_w_mm: float
    label_h_mm: float
    columns: int
    rows: int
    left_mm: float
    top_mm: float
    step_x_mm: float
    step_y_mm: float
    shape: str = "rect"
    corner_radius_mm: float = 0.0
    safe_margin_mm: float = 1.5
    bleed_mm: float = 0.0
    crop_marks: bool = False
    printer_dpi: int | None = None
    print_method: str = ""          # "colour" | "thermal"; empty = thermal for a roll with printer_dpi
    qr_module_min_mm: float = QR_MODULE_MIN_MM
    qr_module_min_dots: int = QR_MODULE_MIN_DOTS
    butt_border_mm: float = BUTT_BORDER_MM
    verified: bool = True
    notes: str = ""
    everyday_name: str = ""         # what producers ask for at the shop (optional, shown to them)
    where_to_buy: str = ""          # where producers buy it (optional, only where known)

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def slots_per_page(self) -> int:
        """Number of labels on one sheet (or 1 for a roll label)."""
        return self.columns * self.rows

    @property
    def gap_x_mm(self) -> float:
        """Horizontal gutter between neighbouring labels (0 for a single column)."""
        return self.step_x_mm - self.label_w_mm if self.columns > 1 else math.inf

    @property
    def gap_y_mm(self) -> float:
        """Vertical gutter between neighbouring labels (0 for a single row)."""
        return self.step_y_mm - self.label_h_mm if self.rows > 1 else math.inf

    @property
    def thermal(self) -> bool:
        """Printed by a direct-thermal head: 1-bit, black on white (``print_method``)."""
        if self.print_method:
            return self.print_method == "thermal"
        return self.kind == "roll" and self.printer_dpi is not None   # stock snapshots older than the flag

    @property
    def edge_bleed_mm(self) -> tuple[float, float]:
        """(horizontal, vertical) extension of colour that reaches the label's cut: ``bleed_mm``
        past the cut where labels have a gutter on that axis, ``-butt_border_mm`` (kept inside the
        cut) where they touch the next label, so misregistration shows neither white slivers nor
        colour on the neighbour."""
        return (self.bleed_mm if self.gap_x_mm > _EPS_MM else -self.butt_border_mm,
                self.bleed_mm if self.gap_y_mm > _EPS_MM else -self.butt_border_mm)

    def qr_module_floor_mm(self, printer_dpi: int | None = None) -> float:
        """Smallest QR module this stock may print: ``qr_module_min_mm``, and on a dot printer
        (``printer_dpi``, default the stock's) at least ``qr_module_min_dots`` whole dots."""
        dpi = printer_dpi or self.printer_dpi
        dots = self.qr_module_min_dots * 25.4 / dpi if dpi else 0.0
        return max(self.qr_module_min_mm, dots)


def _validate(lay: SheetLayout) -> None:
    def fail(msg: str) -> None:
        raise LayoutError(f"layout {lay.id!r}: {msg}")

    if not lay.id or not isinstance(lay.id, str):
        fail("id must be a non-empty string")
    if lay.kind not in KINDS:
        fail(f"kind must be one of {', '.join(KINDS)}, not {lay.kind!r}")
    if lay.shape not in SHAPES:
        fail(f"shape must be one of {', '.join(SHAPES)}, not {lay.shape!r}")
    for name in ("paper_w_mm", "paper_h_mm", "label_w_mm", "label_h_mm", "step_x_mm", "step_y_mm"):
        v = getattr(lay, name)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not v > 0:
            fail(f"{name} must be a positive number, got {v!r}")
    for name in ("left_mm", "top_mm", "corner_radius_mm", "safe_margin_mm", "bleed_mm", "butt_border_mm",
                 "qr_module_min_mm"):
        v = getattr(lay, name)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
            fail(f"{name} must be zero or positive, got {v!r}")
    for name in ("columns", "rows"):
        v = getattr(lay, name)
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            fail(f"{name} must be a whole number >= 1, got {v!r}")
    if lay.print_method not in ("",) + PRINT_METHODS:
        fail(f"print_method must be one of {', '.join(PRINT_METHODS)}, not {lay.print_method!r}")
    if not isinstance(lay.qr_module_min_dots, int) or isinstance(lay.qr_module_min_dots, bool) \
            or lay.qr_module_min_dots < 1:
        fail(f"qr_module_min_dots must be a whole number >= 1, got {lay.qr_module_min_dots!r}")
    butted = min(lay.gap_x_mm, lay.gap_y_mm) <= _EPS_MM    # the border clips everything: text too
    if butted and lay.butt_border_mm >= lay.safe_margin_mm:
        fail(f"butt_border_mm {lay.butt_border_mm} must stay inside safe_margin_mm {lay.safe_margin_mm}")
    if lay.printer_dpi is not None and (not isinstance(lay.printer_dpi, int) or lay.printer_dpi < 72):
        fail(f"printer_dpi must be a whole number >= 72 or absent, got {lay.printer_dpi!r}")
    if lay.shape == "circle" and abs(lay.label_w_mm - lay.label_h_mm) > _EPS_MM:
        fail(f"a circle must be square: label_w_mm {lay.label_w_mm} != label_h_mm {lay.label_h_mm}")
    if lay.corner_radius_mm > min(lay.label_w_mm, lay.label_h_mm) / 2 + _EPS_MM:
        fail(f"corner_radius_mm {lay.corner_radius_mm} is more than half the label's short side")
    if lay.safe_margin_mm * 2 >= min(lay.label_w_mm, lay.label_h_mm):
        fail(f"safe_margin_mm {lay.safe_margin_mm} leaves no printable area on the label")
    if lay.columns > 1 and lay.step_x_mm < lay.label_w_mm - _EPS_MM:
        fail(f"labels overlap: step_x_mm {lay.step_x_mm} < label_w_mm {lay.label_w_mm}")
    if lay.rows > 1 and lay.step_y_mm < lay.label_h_mm - _EPS_MM:
        fail(f"labels overlap: step_y_mm {lay.step_y_mm} < label_h_mm {lay.label_h_mm}")
    right = lay.left_mm + (lay.columns - 1) * lay.step_x_mm + lay.label_w_mm
    bottom = lay.top_mm + (lay.rows - 1) * lay.step_y_mm + lay.label_h_mm
    if right > lay.paper_w_mm + _EPS_MM:
        fail(f"labels run off the paper on the right: last label ends at {right:.2f} mm "
             f"> paper_w_mm {lay.paper_w_mm}")
    if bottom > lay.paper_h_mm + _EPS_MM:
        fail(f"labels run off the paper at the bottom: last label ends at {bottom:.2f} mm "
             f"> paper_h_mm {lay.paper_h_mm}")
    # bleed spills into the gutters; it must not reach the neighbouring label. Butted labels (no
    # gutter on an axis) take no bleed on that axis: colour stops butt_border_mm inside the cut.
    gutters = [g for g in (lay.gap_x_mm, lay.gap_y_mm) if g > _EPS_MM]
    if lay.bleed_mm > 0 and gutters and 2 * lay.bleed_mm > min(gutters) + _EPS_MM:
        fail(f"bleed_mm {lay.bleed_mm} would print onto the neighbouring label "
             f"(gutters {lay.gap_x_mm:.2f} x {lay.gap_y_mm:.2f} mm)")
    if lay.kind == "roll" and lay.slots_per_page != 1:
        fail("a roll layout has one label per page (columns = rows = 1)")


_FIELDS = {f.name for f in fields(SheetLayout)}
_SECTIONS = ("paper", "label", "grid")


def layout_from_dict(d: dict, *, id: str | None = None) -> SheetLayout:
    """Build a SheetLayout from a flat dict or the sectioned TOML shape ([paper], [label], [grid]).

    :raises LayoutError: on unknown or missing keys, wrong types or impossible geometry.
    """
    flat: dict = {}
    for key, value in d.items():
        if key in _SECTIONS and isinstance(value, dict):
            for k, v in value.items():
                if k in flat:
                    raise LayoutError(f"key {k!r} given twice")
                flat[k] = v
        else:
            if key in flat:
                raise LayoutError(f"key {key!r} given twice")
            flat[key] = value
    if id is not None:
        flat["id"] = id
    unknown = sorted(set(flat) - _FIELDS)
    if unknown:
        raise LayoutError(f"unknown key(s): {', '.join(unknown)}")
    required = [f.name for f in fields(SheetLayout)
                if f.default is MISSING and f.name not in flat]
    if required:
        raise LayoutError(f"missing key(s): {', '.join(required)}")
    try:
        return SheetLayout(**flat)
    except TypeError as e:  # pragma: no cover - guarded by the checks above
        raise LayoutError(str(e)) from e


def bleed_that_fits_mm(bleed_mm: float, d: dict) -> float:
    """``bleed_mm`` no wider than half the narrowest gutter of the flat stock dict ``d`` (axes where
    labels touch take no bleed anyway). Used when a hub re-measures a stock that had a bleed;
    values that are not numbers are left for the validation to report."""
    try:
        gaps = ([float(d["step_x_mm"]) - float(d["label_w_mm"])] if int(d["columns"]) > 1 else []) + \
            ([float(d["step_y_mm"]) - float(d["label_h_mm"])] if int(d["rows"]) > 1 else [])
        gutters = [g for g in gaps if g > _EPS_MM]
        return min([float(bleed_mm)] + [math.floor(g / 2 * 100) / 100 for g in gutters])
    except (KeyError, TypeError, ValueError):
        return bleed_mm


def layout_to_dict(layout: SheetLayout) -> dict:
    """Flat, JSON-serialisable copy of ``layout`` (stored as a snapshot in designs and print jobs)."""
    return asdict(layout)


def load_layouts(directory: Path) -> dict[str, SheetLayout]:
    """Load every ``*.toml`` in ``directory``; the file stem is the layout id.

    :raises LayoutError: naming the file and the problem, for the first bad file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise LayoutError(f"{directory}: not a directory")
    out: dict[str, SheetLayout] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            out[path.stem] = layout_from_dict(data, id=path.stem)
        except tomllib.TOMLDecodeError as e:
            raise LayoutError(f"{path.name}: not valid TOML: {e}") from e
        except LayoutError as e:
            raise LayoutError(f"{path.name}: {e}") from e
    return out


def slot_origins_mm(layout: SheetLayout) -> list[tuple[float, float]]:
    """Top-left corner of every slot on one page, row-major, in mm from the paper's top-left."""
    return [(layout.left_mm + c * layout.step_x_mm, layout.top_mm + r * layout.step_y_mm)
            for r in range(layout.rows) for c in range(layout.columns)]
