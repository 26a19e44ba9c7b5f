"""The ReportLab adapter (studio/labels/rl_canvas.py): what it writes reaches the page, read back
from the rendered PDF; the font bytes are the registered file's."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from studio.labels.rl_canvas import font_bytes, use_forms, write_ops


def _pixels(pdf: bytes):
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].render(scale=1).to_pil().convert("L")
    finally:
        doc.close()


def test_raw_operators_and_forms_reach_the_page():
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(100, 100))
    c.beginForm("box")
    c.rect(0, 0, 20, 20, stroke=0, fill=1)
    c.endForm()
    write_ops(c, "0 0 0 rg 10 60 20 20 re f")                      # a black square, top left
    use_forms(c, ["box"])
    write_ops(c, "q 1 0 0 1 60 10 cm /FormXob.box Do Q")           # the form, bottom right
    c.showPage()
    c.save()
    page = _pixels(buf.getvalue())
    assert page.getpixel((20, 30)) < 50          # inside the square (y down in pixels)
    assert page.getpixel((70, 80)) < 50          # inside the placed form
    assert page.getpixel((50, 50)) > 200         # nothing between them


def test_font_bytes_are_the_registered_files(fonts):
    fonts.register_all()
    name = fonts.rl_name(fonts.default)
    data = font_bytes(pdfmetrics.getFont(name).face)
    assert data == fonts.path(fonts.default).read_bytes()


def test_only_the_adapter_touches_reportlab_internals():
    import re
    from pathlib import Path

    studio = Path(__file__).resolve().parents[2] / "studio"
    touching = sorted(str(p.relative_to(studio)) for p in studio.rglob("*.py")
                      if re.search(r"\._(code|formsinuse|ttf_data)\b", p.read_text(encoding="utf-8")))
    assert touching == ["labels/rl_canvas.py"]
