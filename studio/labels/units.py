"""Length units. Every length in the engine is millimetres; names end in _mm, _pt or _px."""
from __future__ import annotations

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
MM_TO_PT = PT_PER_INCH / MM_PER_INCH   # 1 mm = 2.8346 pt
PT_TO_MM = MM_PER_INCH / PT_PER_INCH   # 1 pt = 0.3528 mm


def mm_to_pt(length_mm: float) -> float:
    """Convert millimetres to PDF points (1/72 inch)."""
    return length_mm * MM_TO_PT


def pt_to_mm(length_pt: float) -> float:
    """Convert PDF points (1/72 inch) to millimetres."""
    return length_pt * PT_TO_MM


def px_at(length_mm: float, dpi: float) -> float:
    """Length in pixels (or printer dots) of ``length_mm`` at ``dpi`` dots per inch (not rounded)."""
    return length_mm * dpi / MM_PER_INCH
