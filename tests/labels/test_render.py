"""Checks made on the PDF itself: rasterised with pypdfium2, cropped per label from the stock geometry."""
from __future__ import annotations

import re
import zlib

import numpy as np
import pypdfium2 as pdfium
import pytest

from studio.labels import (STYLES, Box, DesignOptions, EANItem, LabelDocument, TextItem, compose,
                           decode_codes, make_document, make_overlay, render_label_pdf, render_preview_png,
                           render_sheet_pdf, slot_origins_mm)
from studio.labels.codes import degrade_like_inkjet
from studio.labels.preview import render_preview_image

DPI = 300
PX_PER_MM = DPI / 25.4


def crop_mm(img, x_mm, y_mm, w_mm, h_mm):
    return img.crop((round(x_mm * PX_PER_MM), round(y_mm * PX_PER_MM),
                     round((x_mm + w_mm) * PX_PER_MM), round((y_mm + h_mm) * PX_PER_MM)))


def page_streams(pdf: bytes) -> list[bytes]:
    """Every Flate stream of the PDF, decompressed (page contents and forms)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return out


def dark_bbox_mm(img):
    """Bounding box (x, y, w, h) in mm of the dark pixels of a greyscale crop."""
    a = np.asarray(img.convert("L")) < 128
    ys, xs = np.nonzero(a)
    return (xs.min() / PX_PER_MM, ys.min() / PX_PER_MM, (xs.max() + 1 - xs.min()) / PX_PER_MM,
            (ys.max() + 1 - ys.min()) / PX_PER_MM)


@pytest.fixture(scope="session")
def l7160_sheet(layouts, fonts, photo, sample_values):
    lay = layouts["avery-l7160"]
    doc = make_document("bersih", lay, DesignOptions(show_photo=True))
    lab = compose(doc, lay, sample_values, fonts, {"photo": photo})
    pdf = render_sheet_pdf(lab, lay, 21)
    return lay, lab, pdf, render_preview_image(pdf, dpi=DPI, grayscale=True)


def test_every_label_on_the_sheet_scans_and_sits_where_the_stock_says(l7160_sheet, values):
    lay, lab, pdf, page = l7160_sheet
    qr = lab.regions["qr"]
    n = qr.module_mm
    for sx, sy in slot_origins_mm(lay):
        label = crop_mm(page, sx, sy, lay.label_w_mm, lay.label_h_mm)
        assert [d.text for d in decode_codes(label, "QRCode")] == [values["url"]]
        qx, qy, qsize, _ = qr.box_mm
        zone = crop_mm(page, sx + qx, sy + qy, qsize, qsize)
        bx, by, bw, bh = dark_bbox_mm(zone)
        assert bx == pytest.approx(4 * n, abs=0.1) and by == pytest.approx(4 * n, abs=0.1)
        assert bw == pytest.approx(qsize - 8 * n, abs=0.1)


def test_sheet_pdf_embeds_every_font_and_declares_no_base14_font(l7160_sheet):
    _, _, pdf, _ = l7160_sheet
    assert pdf.startswith(b"%PDF-")
    base_fonts = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)", pdf)
    assert base_fonts, "expected embedded TrueType fonts"
    assert all(re.match(rb"^[A-Z]{6}\+", f) for f in base_fonts), base_fonts   # subset prefix = embedded
    assert pdf.count(b"/FontFile2") >= len(set(base_fonts))
    for name in (b"Helvetica", b"Times-Roman", b"Courier", b"Symbol", b"ZapfDingbats"):
        assert name not in pdf
    assert b"/Type1" not in pdf


def test_the_label_is_drawn_once_and_the_photo_embedded_once(layouts, fonts, values, photo):
    lay = layouts["avery-l7163"]
    lab = compose(make_document("bersih", lay), lay, values, fonts, {"photo": photo})
    assert "photo" in lab.regions
    pdf = render_sheet_pdf(lab, lay, 100)
    images = len(re.findall(rb"/Subtype\s*/Image", pdf))
    soft_masks = len(re.findall(rb"/SMask\s+\d+", pdf))      # the cut-out's alpha channel
    assert images - soft_masks == 1
    assert sum(s.count(b"/FormXob.label Do") for s in page_streams(pdf)) == 100
    assert len(pdf) < 200_000


def test_first_slot_leaves_the_used_slots_blank(layouts, fonts, values):
    lay = layouts["avery-l7160"]
    lab = compose(make_document("berani", lay), lay, values, fonts)
    page = render_preview_image(render_sheet_pdf(lab, lay, 3, first_slot=4), dpi=100, grayscale=True)
    origins = slot_origins_mm(lay)
    for i, (x, y) in enumerate(origins[:8]):
        px = np.asarray(page.crop((round(x / 25.4 * 100), round(y / 25.4 * 100),
                                   round((x + lay.label_w_mm) / 25.4 * 100),
                                   round((y + lay.label_h_mm) / 25.4 * 100))))
        if i < 4 or i >= 7:
            assert px.min() == 255, f"slot {i} should be untouched"
        else:
            assert px.min() < 100, f"slot {i} should be printed"


def test_ean13_decodes_to_the_gtin(layouts, fonts, values):
    lay = layouts["avery-l7165"]
    doc = LabelDocument(lay.id, (EANItem(Box(5, 5, 40, 26)),))
    lab = compose(doc, lay, values, fonts)
    assert not lab.problems
    img = render_preview_image(render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False), dpi=DPI)
    assert [(d.text, d.format) for d in decode_codes(img, "EAN13")] == [(values["gtin"], "EAN13")]


def test_hostile_text_is_printed_literally(layouts, fonts, values):
    lay = layouts["avery-l7160"]
    values["name"] = "<script>alert(1)</script>"
    doc = LabelDocument(lay.id, (TextItem(Box(2, 2, 59, 8), "${name}", size_pt=9, tag="pdp.name"),))
    pdf = render_label_pdf(compose(doc, lay, values, fonts), lay)
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "<script>alert(1)</script>" in text


def test_single_label_pdf_has_trim_and_bleed_boxes(layouts, fonts, values):
    lay = layouts["avery-l7165"]
    pdf = render_label_pdf(compose(make_document("berani", lay), lay, values, fonts), lay, bleed_mm=3)
    assert b"/TrimBox" in pdf and b"/BleedBox" in pdf
    page = pdfium.PdfDocument(pdf)[0]
    x0, y0, x1, y1 = page.get_trimbox()
    assert (x1 - x0) / 72 * 25.4 == pytest.approx(lay.label_w_mm, abs=0.01)
    bx0, _, bx1, _ = page.get_bleedbox()
    assert (bx1 - bx0) / 72 * 25.4 == pytest.approx(lay.label_w_mm + 6, abs=0.01)


def test_overlay_is_printed_in_the_stamp_box_of_every_label_without_hiding_it(layouts, fonts, values):
    lay = layouts["avery-l7165"]
    doc = make_document("bersih", lay)
    lab = compose(doc, lay, values, fonts)
    over = compose(make_overlay(doc, "LOT-2611A"), lay, {}, fonts)
    assert not over.problems
    pdf = render_sheet_pdf(lab, lay, 2, overlay=over)
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert text.count("LOT-2611A") == 2 and text.count("Keripik Singkong") == 2   # the label still shows


@pytest.mark.parametrize("stock", ["avery-l7160", "avery-l7165", "avery-l7651", "round-60mm-a4", "thermal-50x30"])
def test_each_style_renders_and_its_qr_scans(layouts, fonts, values, photo, stock):
    lay = layouts[stock]
    for style in STYLES:
        lab = compose(make_document(style, lay), lay, values, fonts, {"photo": photo})
        png = render_preview_png(render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False), dpi=200)
        assert png.startswith(b"\x89PNG")
        codes = [d.text for d in decode_codes(png, "QRCode")]
        if STYLES[style].family and stock in ("avery-l7651", "round-60mm-a4", "avery-l7160"):
            # a template family gives the room to the legal items first: a QR it keeps must scan
            assert codes in ([], [values["url"]]), (style, stock)
        else:
            assert codes == [values["url"]], (style, stock)


def test_thermal_qr_survives_a_simulated_203_dpi_print(layouts, fonts, values):
    lay = layouts["thermal-50x30"]
    lab = compose(make_document("bersih", lay), lay, values, fonts)
    img = render_preview_image(render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False), dpi=600, grayscale=True)
    printed = degrade_like_inkjet(img, printer_dpi=203, capture_dpi=300)
    assert [d.text for d in decode_codes(printed, "QRCode")] == [values["url"]]
