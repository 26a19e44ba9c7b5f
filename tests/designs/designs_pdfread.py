"""Read label PDFs back: pypdfium2 raster at 300 dpi, zxing-cpp decoding, crops in mm."""
from __future__ import annotations

import re

import numpy as np
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

DPI = 300
MM_PER_PX = 25.4 / DPI


def raster(pdf: bytes, page: int = 0, dpi: int = DPI) -> Image.Image:
    """One PDF page rasterised with pypdfium2 (grey)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()


def decode(im: Image.Image, formats: str = "QRCode,EAN13") -> list:
    """zxing-cpp results on ``im``."""
    return zxingcpp.read_barcodes(np.asarray(im), formats=zxingcpp.barcode_formats_from_str(formats))


def crop_mm(im: Image.Image, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> Image.Image:
    """Crop a 300-dpi raster by a box in mm (from the page's top-left)."""
    px = lambda v: int(round(v / MM_PER_PX))  # noqa: E731
    return im.crop((px(x_mm), px(y_mm), px(x_mm + w_mm), px(y_mm + h_mm)))


def top_left_mm(result) -> tuple[float, float]:
    """Top-left corner of a decoded symbol in mm within the image it was decoded from."""
    pos = result.position
    xs = [pos.top_left.x, pos.bottom_left.x]
    ys = [pos.top_left.y, pos.top_right.y]
    return min(xs) * MM_PER_PX, min(ys) * MM_PER_PX


def pdf_fonts(pdf: bytes) -> tuple[list[str], int, int]:
    """(BaseFont names, font descriptors, embedded TrueType programs) found in the PDF objects
    (ReportLab writes font objects uncompressed)."""
    names = [m.decode() for m in re.findall(rb"/BaseFont /([^\s/>]+)", pdf)]
    return names, pdf.count(b"/Type /FontDescriptor"), pdf.count(b"/FontFile2 ")
