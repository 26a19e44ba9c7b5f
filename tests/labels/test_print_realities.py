"""What the printer really makes of a label, read back from the PDF (rasterised), not the engine's numbers:
thermal stocks print a 1-bit-safe variant; QR codes keep a module size that survives a cheap printer;
colour runs into the gutter or stays inside a border where labels touch; no specks on the batch line."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageFilter

from studio.labels import (DesignOptions, LayoutError, SheetLayout, compose, make_document, render_label_pdf,
                           render_sheet_pdf)
from studio.labels.codes import decode_codes, qr_matrix
from studio.labels.layouts import bleed_that_fits_mm
from studio.labels.preview import render_preview_image
from studio.labels.templates import STYLES
from studio.printing.pages import batch_text, label_under_overlay, overlay_document
from tests.labels.labels_pdfglyphs import glyphs, hidden_glyphs, overlaps

PUBLIC_URL = "https://katalog.rumahpintar-jombang.example/blonjo/p/AB12CD34"   # 61 characters
THERMAL = ("thermal-40x30", "thermal-50x30", "thermal-100x150")


def _words(pdf: bytes, words: list[str]) -> dict[str, tuple[float, float, float, float]]:
    """PDF boxes (left, bottom, right, top in pt) of the first occurrence of each word."""
    doc = pdfium.PdfDocument(pdf)
    tp = doc[0].get_textpage()
    text = tp.get_text_range(0, tp.count_chars())
    out = {}
    for w in words:
        i = text.find(w)
        i = i if i >= 0 else text.lower().find(w.lower())     # a family may set the name in capitals
        assert i >= 0, f"{w!r} not printed: {text!r}"
        boxes = [tp.get_charbox(k) for k in range(i, i + len(w))]
        out[w] = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                  max(b[3] for b in boxes))
    return out


# ------------------------------------------------------------------------------------------- thermal
@pytest.mark.parametrize("layout_id", THERMAL)
def test_every_style_on_a_thermal_stock_survives_the_printers_mid_grey_threshold(layouts, fonts, values,
                                                                                   layout_id, photo):
    """The ZPL way: 203 dpi, threshold at mid-grey. Name, brand and net quantity stay text (black
    strokes on white inside their boxes, not a solid block), and nothing but greys is painted."""
    lay = layouts[layout_id]
    assert lay.thermal
    dpi = lay.printer_dpi
    honey = DesignOptions(preset="madu")      # gold on near-black / dark on dark: solid black in colour
    for style in STYLES:
        lab = compose(make_document(style, lay, honey), lay, values, fonts, {"photo": photo})
        pdf = render_sheet_pdf(lab, lay, 1)
        rgb = np.asarray(render_preview_image(pdf, dpi=dpi).convert("RGB"), dtype=np.int16)
        chroma = rgb.max(axis=2) - rgb.min(axis=2)
        assert chroma.max() <= 8, f"{style} on {layout_id} paints colour (max chroma {chroma.max()})"
        dots = rgb.mean(axis=2) < 128
        page_h_pt = lay.paper_h_mm / 25.4 * 72
        for word, (x0, y0, x1, y1) in _words(pdf, ["MBOK", "Keripik", "Bersih", "250"]).items():
            k = dpi / 72
            box = dots[int((page_h_pt - y1) * k):int(np.ceil((page_h_pt - y0) * k)) + 1,
                       int(x0 * k):int(np.ceil(x1 * k)) + 1]
            black = box.mean()
            assert 0.12 <= black <= 0.75, f"{word!r} in {style} on {layout_id}: {black:.0%} black dots"


def test_thermal_variant_keeps_the_layout_and_photos_are_dithered_on_purpose(layouts, fonts, values, photo):
    lay = layouts["thermal-100x150"]
    colour = replace(lay, print_method="colour")
    for style in ("berani", "premium"):
        mono, col = make_document(style, lay), make_document(style, colour)
        assert [(type(i).__name__, getattr(i, "tag", "")) for i in mono.items if type(i).__name__ == "TextItem"] == \
            [(type(i).__name__, getattr(i, "tag", "")) for i in col.items if type(i).__name__ == "TextItem"]
        assert [i.box for i in mono.items if type(i).__name__ == "TextItem"] == \
            [i.box for i in col.items if type(i).__name__ == "TextItem"]
        assert mono.background == "#FFFFFF" and {i.color for i in mono.items if hasattr(i, "color")} == {"#000000"}
    lab = compose(make_document("bersih", lay), lay, values, fonts, {"photo": photo})
    photo_region = lab.regions["photo"]
    x, y, w, h = photo_region.box_mm
    page = pdfium.PdfDocument(render_sheet_pdf(lab, lay, 1))[0]
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4))
    assert len(images) == 1
    px = np.asarray(images[0].get_bitmap(render=False).to_pil().convert("L"))
    # embedded at the head's dots as pure black/white: the printer's threshold changes nothing,
    # and the photo keeps its tones as dot density (both inks present)
    assert abs(px.shape[1] - w / 25.4 * lay.printer_dpi) <= 2
    assert set(np.unique(px).tolist()) <= {0, 255}
    assert 0.05 < np.mean(px == 0) < 0.95


# ------------------------------------------------------------------------------------------ QR codes
def _decode_clean_and_harsh(lab, lay) -> tuple[list[str], list[str]]:
    clean = render_preview_image(render_label_pdf(lab, lay, bleed_mm=0, crop_marks=False), dpi=300,
                                 grayscale=True).convert("L")
    harsh = clean.filter(ImageFilter.GaussianBlur(0.15 * 300 / 25.4))
    harsh = harsh.resize((clean.width // 2, clean.height // 2), Image.BOX)      # 150 dpi
    return ([d.text for d in decode_codes(clean, "QRCode")], [d.text for d in decode_codes(harsh, "QRCode")])


@pytest.mark.parametrize("layout_id,styles", [
    ("round-40mm-a4", ("bersih", "premium")), ("thermal-40x30", ("bersih", "alami")),
    ("avery-l7651", ("bersih", "alami")), ("tj-107", ("berani", "alami")),
])
def test_a_real_public_address_decodes_after_a_harsh_print_or_is_refused(layouts, fonts, values, layout_id, styles):
    """A 61-character address needs a version-4 symbol. Where the stock's module floor is met the
    code decodes from the PDF at 300 dpi and after a 0.15 mm blur read at 150 dpi; where the space
    cannot hold it, compose says qr_too_small (blocking) instead of printing a code that fails."""
    lay = layouts[layout_id]
    values["url"] = PUBLIC_URL
    modules = len(qr_matrix(PUBLIC_URL))
    decoded = 0
    for style in styles:
        lab = compose(make_document(style, lay), lay, values, fonts)
        region = lab.regions["qr"]
        too_small = [p for p in lab.problems if p.code == "qr_too_small"]
        floor = lay.qr_module_floor_mm()
        if too_small:
            assert region.module_mm < floor
            continue
        assert region.module_mm >= floor - 1e-6 and region.module_mm * modules >= 10
        clean, harsh = _decode_clean_and_harsh(lab, lay)
        assert clean == [PUBLIC_URL] and harsh == [PUBLIC_URL], (style, region.module_mm, clean, harsh)
        decoded += 1
    if layout_id in ("thermal-40x30", "avery-l7651"):
        assert decoded >= 1


def test_module_floor_is_a_stock_setting_and_thermal_heads_need_whole_dots(layouts, fonts, values):
    values["url"] = PUBLIC_URL
    lay = layouts["thermal-50x30"]
    assert lay.qr_module_floor_mm() == pytest.approx(3 * 25.4 / 203)
    assert layouts["avery-l7160"].qr_module_floor_mm() == pytest.approx(0.37)
    lab = compose(make_document("bersih", lay), lay, values, fonts)
    assert not [p for p in lab.problems if p.code == "qr_too_small"]
    strict = replace(lay, qr_module_min_mm=0.8)
    lab = compose(make_document("bersih", strict), strict, values, fonts)
    assert [p.code for p in lab.problems if p.code == "qr_too_small"] == ["qr_too_small"]


# ------------------------------------------------------------------------------- bleed and borders
def _band_colour_mask(img: Image.Image, colour: str) -> np.ndarray:
    rgb = np.asarray(img.convert("RGB"), dtype=np.int16)
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return np.abs(rgb - target).max(axis=2) < 40


@pytest.mark.parametrize("layout_id", ["a4-nup-3x5-60x50", "avery-l7160"])
def test_colour_bands_bleed_into_gutters_and_stay_inside_where_labels_touch(layouts, fonts, values, layout_id):
    lay = layouts[layout_id]
    band = "#27365F"                      # the tradisional style's top/bottom bands (batik preset)
    lab = compose(make_document("tradisional", lay), lay, values, fonts)
    dpi = 300
    px = dpi / 25.4
    pdf = render_sheet_pdf(lab, lay, 2 * lay.columns)
    img = render_preview_image(pdf, dpi=dpi)
    mask = _band_colour_mask(img, band)
    bx, by = lay.edge_bleed_mm
    # label 2 of row 2 (it has neighbours above and on the left)
    x0 = lay.left_mm + lay.step_x_mm
    y0 = lay.top_mm + lay.step_y_mm
    mid_x = round((x0 + lay.label_w_mm / 2) * px)
    band = max(1.2, min(lay.label_h_mm * 0.07, 5.0))          # the style's top band height
    accent_bottom = band * 0.42 + 0.3                           # a thin gold rule runs inside it
    band_y = y0 + (accent_bottom + band) / 2

    def at(x_mm: float, y_mm: float) -> bool:
        return bool(mask[round(y_mm * px), round(x_mm * px)])

    # horizontally both stocks have a gutter: the band runs bleed mm past the cut, not further
    assert bx > 0
    assert at(x0 - bx + 0.25, band_y) and not at(x0 - bx - 0.35, band_y)
    if by > 0:        # N-up sheet: gutter between rows too, the band runs up past the top cut
        assert bool(mask[round((y0 - by + 0.25) * px), mid_x])
        assert not bool(mask[round((y0 - by - 0.35) * px), mid_x])
    else:             # rows touch: band stops butt_border_mm inside the cut, above and below it
        border = -by
        assert not bool(mask[round((y0 + border - 0.3) * px), mid_x])
        assert bool(mask[round(band_y * px), mid_x])
        # the bottom band of the label above stops inside its own cut: nothing on this label
        assert not bool(mask[round((y0 - border + 0.3) * px), mid_x])
    # never into the neighbouring label: the middle of the gutter stays paper
    gutter_x = x0 - (lay.step_x_mm - lay.label_w_mm) / 2
    assert not at(gutter_x, band_y)


def test_layout_bleed_is_per_axis():
    butted = SheetLayout("b", "b", "sheet", 210, 297, 63.5, 38.1, 3, 7, 7.21, 15.15, 66.04, 38.1, bleed_mm=1)
    assert butted.edge_bleed_mm == (1, -butted.butt_border_mm)
    with pytest.raises(LayoutError, match="bleed_mm"):
        SheetLayout("c", "c", "sheet", 210, 297, 63.5, 38.1, 3, 7, 7.21, 15.15, 66.04, 38.1, bleed_mm=1.5)
    # a re-measured sheet with narrower gutters keeps as much of the old bleed as fits
    measured = {"columns": 2, "rows": 6, "label_w_mm": 64, "label_h_mm": 32, "step_x_mm": 65.5, "step_y_mm": 32}
    assert bleed_that_fits_mm(1.0, measured) == 0.75 and bleed_that_fits_mm(0.5, measured) == 0.5
    with pytest.raises(LayoutError, match="print_method"):
        SheetLayout("d", "d", "roll", 40, 30, 40, 30, 1, 1, 0, 0, 40, 30, print_method="laser")


# ------------------------------------------------------------------------------------ batch specks
@pytest.mark.parametrize("stock, style", [
    ("avery-l7160", "bersih"), ("avery-l7160", "alami"), ("avery-l7160", "premium"),   # no stamping box
    ("a4-nup-2x2-94x134", "bersih"), ("avery-l7165", "kraft"), ("thermal-100x150", "termal"),  # a stamping box
    ("a4-nup-2x2-94x134", "premium"),   # dark label: the batch text in light ink (was black on dark brown)
])
def test_the_batch_overlay_prints_over_no_text_and_leaves_none_hidden(layouts, fonts, values, stock, style):
    """The overlay prints the best-before date where the label said "…: lihat kemasan" (no stamping
    box) or "…: lihat kotak di bawah" (a box): that line is left out of the printed label, so no text
    lies under the overlay (hidden, or its tall letters peeking out as specks) and none over text."""
    lay = layouts[stock]
    one = replace(lay, columns=1, rows=1, left_mm=0, top_mm=0, paper_w_mm=lay.label_w_mm,
                  paper_h_mm=lay.label_h_mm, bleed_mm=0)
    design = make_document(style, lay)
    lab = compose(design, lay, dict(values, expiry="Baik digunakan sebelum: lihat kemasan"), fonts)
    text = batch_text("261127-01", date(2026, 11, 27), date(2027, 3, 27), 120)
    doc, where = overlay_document(lab, lay.id, text, dict(design.fonts), lay.safe_margin_mm)
    assert where == ("expiry_box" if "expiry_box" in lab.regions else "pdp.expiry")
    ov = compose(doc, lay, {}, fonts)
    ov = replace(ov, primitives=tuple(p for p in ov.primitives if getattr(p, "tag", "") != "background"))
    assert not ov.problems
    pdf = render_sheet_pdf(label_under_overlay(lab, text), one, 1, overlay=ov)
    printed = " ".join(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range().split())
    assert printed.count("Baik digunakan sebelum 27-03-2027") == 1 and "lihat" not in printed
    assert printed.count("261127-01") == 1
    gs = glyphs(pdf)
    assert not overlaps(gs) and not hidden_glyphs(pdf, dpi=300)
