"""The print PDF: cut and fold lines as separate spot colours that artwork never uses, panels
on their faces the right way up, tiling, mockups; and the preflight judged per panel."""
from __future__ import annotations

import re
import zlib
from datetime import date

import numpy as np
import pypdfium2 as pdfium
import zxingcpp
from PIL import Image

from studio.packaging import pack_preflight, render_mockup, render_pack_pdf
from studio.packaging.render import SLUG_MM
from studio.preflight import PreflightSettings

DPI = 300


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for m in re.finditer(rb"stream\r?\n", pdf):
        raw = pdf[m.end():pdf.find(b"endstream", m.end())]
        try:
            out.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _raster(pdf: bytes, page: int = 0, dpi: int = DPI) -> Image.Image:
    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[page].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        doc.close()


def _pages(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _inside(px, py, rect, slack=1.0):
    x, y, w, h = rect
    return x - slack <= px <= x + w + slack and y - slack <= py <= y + h + slack


def test_cut_and_fold_lines_are_separate_spot_colours_never_used_by_artwork(composed_pack):
    _pack, net, composed = composed_pack("box-tuck-100x50x140")
    pdf = render_pack_pdf(net, composed)
    assert re.search(rb"/Separation\s*/CutContour", pdf)
    assert re.search(rb"/Separation\s*/FoldLines", pdf)
    # the page resources name each separation; strokes select it with CS, nothing fills with it
    assert re.search(rb"/ColorSpace\s*<<\s*/CutContour \d+ 0 R /FoldLines \d+ 0 R", pdf)
    content = b"\n".join(_streams(pdf))
    assert b"/CutContour CS" in content and b"/FoldLines CS" in content
    assert b"/CutContour cs" not in content and b"/FoldLines cs" not in content
    # everything painted after a spot colour is selected is a line (no text, image or fill)
    tail = content[content.index(b"/CutContour CS"):]
    assert not re.search(rb"\b(Tj|TJ|Do|f|f\*|B)\n", tail)
    # the lines overprint: an ExtGState with /OP true is set before them
    assert re.search(rb"/OP\s+true", pdf) and content.index(b" gs") < content.index(b"/CutContour CS")
    # and the artwork-only PDF has no trace of them
    art = render_pack_pdf(net, composed, lines=False)
    assert b"CutContour" not in art and b"FoldLines" not in art


def test_each_panel_sits_on_its_face_the_right_way_up(composed_pack):
    """QR codes on the back (upright) and on the lid (turned 180°: it reads from the front once
    folded) decode inside their faces from a 300 dpi raster; the product name is on the front."""
    _pack, net, composed = composed_pack("box-tuck-100x50x140")
    pdf = render_pack_pdf(net, composed)
    im = _raster(pdf)
    off = 3.0 + SLUG_MM
    mm = 25.4 / DPI
    found = zxingcpp.read_barcodes(np.asarray(im), formats=zxingcpp.BarcodeFormat.QRCode)
    by_panel = {}
    for b in found:
        p = b.position
        cx = (p.top_left.x + p.bottom_right.x) / 2 * mm - off
        cy = (p.top_left.y + p.bottom_right.y) / 2 * mm - off
        panel = next(pn for pn in net.panels if _inside(cx, cy, pn.net_rect, 0))
        by_panel[panel.id] = b
        assert b.text == "http://127.0.0.1:5000/p/K7M2Q9"
    assert set(by_panel) == {"back", "top"}
    assert by_panel["back"].orientation % 360 == 0
    assert by_panel["top"].orientation % 360 == 180
    # the product name's characters are inside the front face
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        text = page.get_textpage()
        page_h_mm = page.get_height() * 25.4 / 72
        front = net.panel("front").net_rect
        hits = []
        searcher = text.search("Kue Nastar Nanas")
        while (occ := searcher.get_next()) is not None:
            i, n = occ
            boxes = [text.get_charbox(k) for k in range(i, i + n)]
            x0 = min(b[0] for b in boxes) * 25.4 / 72 - off
            x1 = max(b[2] for b in boxes) * 25.4 / 72 - off
            y0 = page_h_mm - max(b[3] for b in boxes) * 25.4 / 72 - off
            y1 = page_h_mm - min(b[1] for b in boxes) * 25.4 / 72 - off
            hits.append((x0, y0, x1, y1))
    finally:
        doc.close()
    fx, fy, fw, fh = front
    assert any(fx <= x0 and x1 <= fx + fw and fy <= y0 and y1 <= fy + fh for x0, y0, x1, y1 in hits)


def test_header_card_text_stays_out_of_the_staple_zones(composed_pack):
    _pack, net, composed = composed_pack("header-12x20")
    for pid, label in composed.items():
        panel = net.panel(pid)
        for r in label.regions.values():
            if r.kind != "text" or not r.text.strip():
                continue
            x, y, w, h = r.box_mm
            corners = [panel.to_net(x, y), panel.to_net(x + w, y + h)]
            for kx, ky, kw, kh in net.keep_free:
                for cx, cy in corners:
                    assert not (ky + 1e-6 < cy < ky + kh - 1e-6), f"{r.tag} on {pid} reaches a staple zone"


def test_a_net_larger_than_a4_is_tiled_with_overlap_marks(composed_pack):
    _pack, net, composed = composed_pack("box-tray-200x200x60")
    pdf = render_pack_pdf(net, composed, paper="A4")
    assert _pages(pdf) == 6
    content = b"\n".join(_streams(pdf))
    assert b"A1" in content and b"B3" in content, "each page says where it goes in the grid"
    # the cut and fold lines are drawn on every page (with the separations in the page resources)
    assert content.count(b"/CutContour CS") == 6 and content.count(b"/FoldLines CS") == 6
    assert len(re.findall(rb"/ColorSpace\s*<<\s*/CutContour", pdf)) >= 1
    small_net = composed_pack("header-12x20")
    assert _pages(render_pack_pdf(small_net[1], small_net[2], paper="A4")) == 1


def test_wrap_mockup_is_a_square_picture_made_from_the_pdf(composed_pack):
    pack, net, composed = composed_pack("jar-75x90")
    art = render_pack_pdf(net, composed, bleed_mm=0.0, lines=False)
    im = render_mockup(net, pack, art, size_px=500)
    assert im.size == (500, 500) and im.mode == "RGB"
    a = np.asarray(im.convert("L"), float)
    assert a[250, 250] != a[10, 10], "the jar is drawn over the backdrop"
    assert a[150:420, 120:380].std() > 15, "the label's artwork shows on the jar"


def test_preflight_judges_the_pack_per_panel(composed_pack):
    _pack, net, composed = composed_pack("jar-100x110")
    clean = {"product_class": "pangan_pirt"}
    settings = PreflightSettings(check_data=False, check_codes=False)   # label placement only
    findings = pack_preflight(net, composed, clean, today=date(2026, 11, 27), settings=settings)
    ids = {f.rule_id for f in findings}
    assert not ids & {"NAME-01", "NET-01", "PERMIT-01"}, [f.msg.en for f in findings]
    assert {f.panel for f in findings if f.panel} <= {p.id for p in net.panels}
    without_front = {k: v for k, v in composed.items() if k != "front"}
    findings = pack_preflight(net, without_front, clean, today=date(2026, 11, 27), settings=settings)
    name = [f for f in findings if f.rule_id == "NAME-01"]
    assert name and name[0].panel in ("back", "side"), "the name is only on a non-principal panel"
