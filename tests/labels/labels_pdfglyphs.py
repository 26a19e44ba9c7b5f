"""Glyph boxes read back from a label PDF (pypdfium2 text page), and the two print-truth checks.

``glyphs(pdf)`` returns every printed (non-blank) character with its tight glyph box in mm from the
page's top-left, and the id of the text object (one drawn run) it belongs to. ``overlaps`` finds
glyphs of DIFFERENT runs whose boxes intersect by more than ``tol_mm`` in both directions (text
printed over text); ``outside_safe`` finds glyphs not inside the label's safe area (the stock's
safe margin, an inset ellipse on round labels). Nothing here uses the engine's own numbers.

``em_words(pdf)`` gives the boxes PDF readers such as pdfminer/pdfplumber (and the reviewers'
overlap checker) use: every character is one font size tall, from the font's descent (the PDF's
FontDescriptor) below its baseline, and as wide as its advance; ``em_overlaps`` finds words on
different lines (baselines more than 0.5 mm apart) whose boxes intersect, i.e. text that such a
reader calls "printed over text" even when the ink does not touch.

``hidden_glyphs(pdf)`` finds characters the PDF holds but does not show: their glyph box, rasterised,
has no ink (text under an opaque box; a PDF reader, a screen reader or a copy-paste still gets it).

``printer_dots(pdf, dpi)`` rasterises the page the way a 1-bit (thermal) printer does: no smoothing.
"""
from __future__ import annotations

import ctypes
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM_PER_PT = 25.4 / 72
OVERLAP_TOL_MM = 0.15
SAFE_TOL_MM = 0.05


@contextmanager
def _text_page(pdf: bytes, page_index: int):
    """(pdfium text page, page height in points) of one page, closed afterwards."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[page_index]
        tp = page.get_textpage()
        try:
            yield tp, page.get_height()
        finally:
            tp.close()
            page.close()
    finally:
        doc.close()


@dataclass(frozen=True)
class Glyph:
    char: str
    run: int                # text object the glyph belongs to (one drawString)
    x0: float
    y0: float               # top, mm from the page top
    x1: float
    y1: float               # bottom


def glyphs(pdf: bytes, page_index: int = 0) -> list[Glyph]:
    with _text_page(pdf, page_index) as (tp, h_pt):
        out: list[Glyph] = []
        runs: dict[int, int] = {}
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch.strip():
                continue
            left, bottom, right, top = tp.get_charbox(i)
            if right - left <= 0 and top - bottom <= 0:
                continue
            obj = pdfium_c.FPDFText_GetTextObject(tp.raw, i)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            run = runs.setdefault(key, len(runs))
            out.append(Glyph(ch, run, left * MM_PER_PT, (h_pt - top) * MM_PER_PT,
                             right * MM_PER_PT, (h_pt - bottom) * MM_PER_PT))
        return out


@dataclass(frozen=True)
class EmWord:
    text: str
    baseline: float         # mm from the page top
    x0: float
    y0: float               # top of the em box, mm from the page top
    x1: float
    y1: float               # bottom


def em_words(pdf: bytes, page_index: int = 0) -> list[EmWord]:
    """Words (runs of non-blank characters on one baseline) with pdfminer-style em boxes, in mm."""
    with _text_page(pdf, page_index) as (tp, h_pt):
        words: list[EmWord] = []
        cur: list = []

        def flush() -> None:
            if cur:
                words.append(EmWord("".join(c[0] for c in cur), cur[0][1], min(c[2] for c in cur),
                                    min(c[3] for c in cur), max(c[4] for c in cur), max(c[5] for c in cur)))
                cur.clear()

        descent, ox, oy = ctypes.c_float(), ctypes.c_double(), ctypes.c_double()
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch.strip():
                flush()
                continue
            pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(ox), ctypes.byref(oy))
            x, y = ox.value, oy.value
            left, _b, right, _t = tp.get_charbox(i, loose=True)
            size = pdfium_c.FPDFText_GetFontSize(tp.raw, i)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(tp.raw, i))
            if not size or not font or not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(size),
                                                                         ctypes.byref(descent)):
                continue
            d = -abs(descent.value)                     # below the baseline, in points
            baseline = (h_pt - y) * MM_PER_PT
            box = (ch, baseline, min(x, left) * MM_PER_PT, (h_pt - (y + d + size)) * MM_PER_PT,
                   max(right, x) * MM_PER_PT, (h_pt - (y + d)) * MM_PER_PT)
            if cur and (abs(cur[-1][1] - baseline) > 0.05 or box[2] > cur[-1][4] + 0.3):
                flush()
            cur.append(box)
        flush()
        return words


def em_overlaps(words: list[EmWord], tol_mm: float = OVERLAP_TOL_MM,
                line_mm: float = 0.5) -> list[tuple[EmWord, EmWord, float, float]]:
    """Pairs of words on different lines whose em boxes intersect by more than ``tol_mm`` both ways."""
    found = []
    order = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            if b.y0 >= a.y1:
                break
            if abs(a.baseline - b.baseline) <= line_mm:
                continue
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > tol_mm and dy > tol_mm:
                found.append((a, b, round(dx, 2), round(dy, 2)))
    return found


def overlaps(gs: list[Glyph], tol_mm: float = OVERLAP_TOL_MM) -> list[tuple[Glyph, Glyph, float, float]]:
    """Pairs of glyphs from different runs overlapping by more than ``tol_mm`` in x and in y."""
    found = []
    order = sorted(gs, key=lambda g: g.y0)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            if b.y0 >= a.y1:
                break
            if a.run == b.run:
                continue
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > tol_mm and dy > tol_mm:
                found.append((a, b, round(dx, 2), round(dy, 2)))
    return found


def outside_safe(gs: list[Glyph], w_mm: float, h_mm: float, margin_mm: float, shape: str = "rect",
                 origin_mm: tuple[float, float] = (0.0, 0.0), tol_mm: float = SAFE_TOL_MM) -> list[Glyph]:
    """Glyphs not inside the safe area of a ``w_mm`` × ``h_mm`` label whose top-left is at ``origin_mm``."""
    ox, oy = origin_mm
    bad = []
    for g in gs:
        x0, y0, x1, y1 = g.x0 - ox, g.y0 - oy, g.x1 - ox, g.y1 - oy
        if shape == "rect":
            ok = (x0 >= margin_mm - tol_mm and y0 >= margin_mm - tol_mm and x1 <= w_mm - margin_mm + tol_mm
                  and y1 <= h_mm - margin_mm + tol_mm)
        else:
            rx, ry = w_mm / 2 - margin_mm + tol_mm, h_mm / 2 - margin_mm + tol_mm
            ok = all(((x - w_mm / 2) / rx) ** 2 + ((y - h_mm / 2) / ry) ** 2 <= 1.0
                     for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)))
        if not ok:
            bad.append(g)
    return bad


def printer_dots(pdf: bytes, dpi: int) -> np.ndarray:
    """The first page rasterised at the printer's resolution as a 1-bit device does (no anti-aliasing)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=dpi / 72, grayscale=True, no_smoothtext=True, no_smoothimage=True,
                               no_smoothpath=True)
        return np.asarray(bitmap.to_pil().convert("L"))
    finally:
        doc.close()


def hidden_glyphs(pdf: bytes, page_index: int = 0, dpi: int = 300, contrast: int = 40) -> list[Glyph]:
    """Glyphs whose tight box shows no ink on the rasterised page (grey levels within ``contrast``):
    text the PDF holds under something opaque."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = np.asarray(doc[page_index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"),
                          dtype=np.int16)
    finally:
        doc.close()
    k = dpi / 25.4
    hidden = []
    for g in glyphs(pdf, page_index):
        cell = page[int(g.y0 * k):int(np.ceil(g.y1 * k)) + 1, int(g.x0 * k):int(np.ceil(g.x1 * k)) + 1]
        if cell.size and int(cell.max()) - int(cell.min()) < contrast:
            hidden.append(g)
    return hidden
