"""Read the pictures placed in a label PDF back: each embedded image's mean colour."""
from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def pdf_image_colours(pdf: bytes) -> list[tuple[int, int, int]]:
    """The most common RGB of every image object on the first page (the image's own pixels, as
    embedded: a cut-out's transparent part is stored black beside its soft mask, so the mode, not
    the mean, is the picture's colour)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        page = doc[0]
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5):
            px = np.asarray(obj.get_bitmap(render=False).to_pil().convert("RGB")).reshape(-1, 3) // 8
            values, counts = np.unique(px, axis=0, return_counts=True)
            out.append(tuple(int(v) * 8 + 4 for v in values[counts.argmax()]))
    finally:
        doc.close()
    return out


def near(c, target, tol: int = 25) -> bool:
    return all(abs(int(x) - int(y)) <= tol for x, y in zip(c, target))


def pdf_path_fills(pdf: bytes) -> list[tuple[int, int, int]]:
    """Fill colour of every vector path on the first page, inside forms too."""
    import ctypes

    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for obj in doc[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=8):
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            if pdfium_c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a):
                out.append((r.value, g.value, b.value))
    finally:
        doc.close()
    return out
