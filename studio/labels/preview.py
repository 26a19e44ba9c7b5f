"""On-screen previews: the print PDF rasterised with pypdfium2 (one painter, no second renderer)."""
from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL import Image

_LOCK = threading.Lock()    # pdfium is not thread-safe; serialise rasterising within a process


def render_preview_image(pdf_bytes: bytes, *, dpi: float = 150, page: int = 0,
                         grayscale: bool = False, transparent: bool = False) -> Image.Image:
    """Rasterise one page of a PDF to a PIL image at ``dpi`` (RGBA on a clear background when
    ``transparent``, e.g. a logo to place on any colour).

    :raises IndexError: the page does not exist.
    """
    with _LOCK:
        doc = pdfium.PdfDocument(pdf_bytes)
        try:
            if not 0 <= page < len(doc):
                raise IndexError(f"page {page} not in a {len(doc)}-page PDF")
            pg = doc[page]
            try:
                if transparent:
                    bitmap = pg.render(scale=dpi / 72.0, fill_color=(255, 255, 255, 0))
                else:
                    bitmap = pg.render(scale=dpi / 72.0, grayscale=grayscale)
                return bitmap.to_pil().copy()
            finally:
                pg.close()
        finally:
            doc.close()


def render_preview_png(pdf_bytes: bytes, *, dpi: float = 150, page: int = 0) -> bytes:
    """PNG bytes of one PDF page rasterised at ``dpi`` (for the designer and the hub preview).

    :raises IndexError: the page does not exist.
    """
    im = render_preview_image(pdf_bytes, dpi=dpi, page=page)
    out = io.BytesIO()
    im.save(out, format="PNG", compress_level=1)
    return out.getvalue()
