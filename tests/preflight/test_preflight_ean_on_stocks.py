"""Issue 15: a product with a GTIN and the barcode switch on gets a scannable EAN-13 on every stock
where one fits (decoded with zxing-cpp from the rasterised PDF), and a finding in plain words where
it does not; on a landscape 150 x 100 mm label the halal number sits with the logo and the barcode
keeps clear of the QR caption (positions read back from the PDF)."""
import dataclasses
from datetime import date

import numpy as np
import pypdfium2 as pdfium
import zxingcpp

from preflight_helpers import FONTS, HALAL_LOGO, LAYOUTS, check, clean_record, rules_of, values_for
from studio.labels import DesignOptions, compose, make_document, render_label_pdf
from studio.preflight import run_preflight

GTIN = "8991234567891"
NUTRITION = {"per100": {"fat": "24", "sat_fat": "11", "protein": "2", "carb": "62", "sugar": "9",
                        "sodium_mg": "520"}, "serving_size_g": "30"}
#: stocks wide and tall enough for a barcode of >= 80 % nominal size next to the mandatory content
MUST_PRINT = {"avery-l7165", "avery-l7163", "a4-nup-2x2-94x134", "f4-nup-2x2-96x150", "thermal-100x150"}
THERMAL = LAYOUTS["thermal-100x150"]
LANDSCAPE = dataclasses.replace(THERMAL, id="roll-150x100", paper_w_mm=150, paper_h_mm=100, label_w_mm=150,
                                label_h_mm=100, step_x_mm=150, step_y_mm=100)


def printed(layout, clean):
    doc = make_document("bersih", layout, DesignOptions(show_ean=True, show_nutrition=bool(clean.get("nutrition")),
                                                        show_photo=False))
    label = compose(doc, layout, values_for(clean), FONTS, {"halal_logo": HALAL_LOGO})
    return label, render_label_pdf(label, layout, bleed_mm=0, crop_marks=False)


def decoded(pdf: bytes) -> list[str]:
    d = pdfium.PdfDocument(pdf)
    try:
        im = d[0].render(scale=300 / 72).to_pil().convert("L")
    finally:
        d.close()
    return [r.text for r in zxingcpp.read_barcodes(np.asarray(im), formats=zxingcpp.BarcodeFormat.EAN13)]


def test_every_stock_prints_a_scannable_barcode_or_says_it_does_not_fit():
    clean = clean_record(gtin=GTIN)
    printing, said = set(), set()
    for layout_id, layout in LAYOUTS.items():
        label, pdf = printed(layout, clean)
        if decoded(pdf) == [GTIN]:
            printing.add(layout_id)
            continue
        words = [p.message_en for p in label.problems if p.code == "ean_no_room"]
        assert words and "barcode is not printed" in words[0] and "larger label" in words[0], layout_id
        said.add(layout_id)
    assert MUST_PRINT <= printing, MUST_PRINT - printing
    assert printing | said == set(LAYOUTS)
    # the preflight reports it under the barcode rule, as a warning (no law asks for a barcode)
    small = LAYOUTS["avery-l7160"]
    label, _pdf = printed(small, clean)
    found = run_preflight(label, small, clean, today=date(2026, 11, 27))
    assert [f.severity for f in found if f.rule_id == "CODE-01"] == ["WARNING"]
    # no GTIN: no barcode and nothing to say
    label, _pdf = printed(small, clean_record(gtin=None))
    assert not [p for p in label.problems if p.code == "ean_no_room"]


def _words(pdf: bytes, *texts: str) -> dict[str, tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) in mm of the first occurrence of each text."""
    out = {}
    d = pdfium.PdfDocument(pdf)
    try:
        page = d[0]
        tp, h = page.get_textpage(), page.get_height()
        for t in texts:
            i, n = tp.search(t, match_case=True).get_next()
            boxes = [tp.get_charbox(k) for k in range(i, i + n)]
            k = 25.4 / 72
            out[t] = (min(b[0] for b in boxes) * k, (h - max(b[3] for b in boxes)) * k,
                      max(b[2] for b in boxes) * k, (h - min(b[1] for b in boxes)) * k)
    finally:
        d.close()
    return out


def test_landscape_150x100_keeps_the_halal_number_with_the_logo_and_the_barcode_off_the_qr_caption():
    clean = clean_record(gtin=GTIN, category="keripik", nutrition=NUTRITION)
    label, pdf = printed(LANDSCAPE, clean)
    assert decoded(pdf) == [GTIN]
    found = check(label, clean, layout=LANDSCAPE)
    assert not {"HALAL-02", "HALAL-03", "OVER-01", "OVER-02"} & rules_of(found)
    at = _words(pdf, "Halal ID35110000123450824", "Pindai untuk info")
    logo = label.regions["halal_logo"].box_mm
    halal = at["Halal ID35110000123450824"]
    assert halal[1] - (logo[1] + logo[3]) < 15.0, "the number sits within 15 mm under the logo"
    ean = label.regions["ean"].box_mm
    caption = at["Pindai untuk info"]
    assert caption[1] > ean[1] + ean[3], "the QR caption starts below the barcode and its digits"
