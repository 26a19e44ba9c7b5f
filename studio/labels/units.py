"""Length units. Every length in the engine is millimetres; names end in _mm, _pt or _px."""
from __future__ import annotations

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
MM_TO_PT = PT_PER_INCH / MM_PER_INCH   # 1 mm = 2.8346 pt
PT_TO_MM = MM_PER_INCH / PT_PER_INCH   # 1 pt = 0.3528 mm
