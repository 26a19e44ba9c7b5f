"""Studio Kemasan label engine (pure: no Flask, no database, no other studio module).

Allowed studio imports: none. (No framework or database: enforced by tests/test_boundaries.py.)

Stages: layouts (stock geometry) -> document (declarative design) -> compose (measure, wrap, place
once) -> imposition (slots) -> render_pdf (the one painter) -> preview (the PDF rasterised).
"""
from __future__ import annotations

from .codes import decode_codes, ean13_modules, is_valid_gtin, qr_matrix
from .compose import compose
from .document import (Box, DocumentError, EANItem, EllipseItem, ImageItem, LabelDocument,
                       PatternItem, QRItem, RectItem, TextItem)
from .fonts import FontRegistry
from .imposition import Calibration, Slot, plan_set_slots, plan_slots, sets_per_page
from .layouts import LayoutError, SheetLayout, layout_from_dict, layout_to_dict, load_layouts, slot_origins_mm
from .primitives import ComposedLabel, Problem, Region
from .render_pdf import render_label_pdf, render_set_sheet_pdf, render_sheet_pdf
from .preview import render_preview_png
from .templates import BRAND_PRESETS, DERIVED_TAGS, STYLES, DesignOptions, make_document, make_overlay

__all__ = [
    "BRAND_PRESETS", "DERIVED_TAGS", "STYLES", "Box", "Calibration", "ComposedLabel", "DesignOptions", "DocumentError",
    "EANItem", "EllipseItem", "FontRegistry", "ImageItem", "LabelDocument", "LayoutError", "PatternItem",
    "Problem", "QRItem", "RectItem", "Region", "SheetLayout", "Slot", "TextItem", "compose", "decode_codes",
    "ean13_modules", "is_valid_gtin", "layout_from_dict", "layout_to_dict", "load_layouts", "make_document",
    "make_overlay", "plan_set_slots", "plan_slots", "qr_matrix", "render_label_pdf",
    "render_preview_png", "render_set_sheet_pdf", "render_sheet_pdf", "sets_per_page", "slot_origins_mm",
]
