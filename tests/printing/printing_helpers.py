"""Shared values and PDF readers for the printing tests (a uniquely named module: test files import it)."""
from __future__ import annotations

import ctypes
from datetime import date

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

PT_PER_MM = 72 / 25.4
PRODUCT = {
    "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
    "variant": "Pedas Manis", "category": "keripik", "physical_state": "padat", "net_quantity": "250 g",
    "ingredients": "Singkong (70%), minyak sawit, cabai merah, bawang putih, garam, gula",
    "storage_instructions": "Simpan di tempat sejuk dan kering.", "shelf_life_days": "120",
    "permit_type": "PIRT", "pirt_number": "2153517010012-29", "pirt_food_code": "15",
    "packaging_material": "plastik", "halal_status": "certified", "halal_cert_number": "ID35110000123450923",
    "price_idr": "Rp15.000",
    # a packaged snack must carry an Informasi Nilai Gizi panel (NUT-01 blocks without it)
    "nutrition.serving_size_g": "25", "nutrition.urt": "1 genggam", "nutrition.fat": "20",
    "nutrition.sat_fat": "9", "nutrition.protein": "3", "nutrition.carb": "70", "nutrition.sugar": "4",
    "nutrition.sodium_mg": "400", "nutrition.source": "lab",
}
# the complete food label fits on this sheet (4 stickers of 94 x 134 mm on A4); a 63.5 x 38.1 mm
# sticker cannot hold it, so tests about small-sheet geometry print a craft (fewer mandatory items)
SHEET = "a4-nup-2x2-94x134"
CRAFT = {"product_class": "kerajinan", "name": "Tas Anyaman Pandan", "brand": "Mbok Sri", "category": "kerajinan",
         "net_quantity": "200 g", "price_idr": "Rp45.000"}
TODAY = date(2026, 11, 28)
MADE = date(2026, 11, 27)


def job_pdf_bytes(job) -> bytes:
    from studio.media import media

    return media().read(job.pdf_key)


def text_runs(pdf: bytes, needle: str) -> list[list[tuple[float, float]]]:
    """Per page, the origin (x, y in mm from the page's TOP-left) of every occurrence of ``needle``'s
    first character, read from the PDF's text (pdfium's text page API)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    for page in doc:
        h_pt = page.get_height()
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range(0, n)
        hits = []
        start = 0
        while (i := text.find(needle, start)) >= 0:
            x, y = ctypes.c_double(), ctypes.c_double()
            assert pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
            hits.append((x.value / PT_PER_MM, (h_pt - y.value) / PT_PER_MM))
            start = i + 1
        out.append(hits)
    return out


def page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [p.get_textpage().get_text_range() for p in doc]
