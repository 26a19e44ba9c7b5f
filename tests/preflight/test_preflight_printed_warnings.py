"""Issue 15: the templates print the required warnings (pork sign, alcohol, sweeteners) and the
check finds them on the PDF; read back from the printed PDF (text and pixels)."""
import numpy as np
import pypdfium2 as pdfium

from preflight_helpers import FONTS, LAYOUTS, check, clean_record, good_items, make_label, rules_of, values_for
from studio.labels import DesignOptions, compose, make_document, render_label_pdf

NOT_HALAL = dict(halal_status="not_certified", halal_cert_number=None)
PORK = dict(NOT_HALAL, name="Sosis Babi Asap", category="daging_olahan", contains_pork="1",
            ingredients="daging babi (80%), garam (10%), gula (10%)", allergens_confirmed=None,
            product_class="pangan_bpom", bpom_number="BPOM RI MD 123456789012", pirt_number=None,
            pirt_food_code=None)


def printed(clean, layout_id="avery-l7165", style="bersih"):
    """(label, PDF text with whitespace squashed, RGB raster at 150 dpi) of the style's label."""
    lay = LAYOUTS[layout_id]
    doc = make_document(style, lay, DesignOptions(show_halal=False, halal_logo=False, show_ean=False))
    label = compose(doc, lay, values_for(clean), FONTS, {})
    pdf = render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)
    d = pdfium.PdfDocument(pdf)
    try:
        text = " ".join(d[0].get_textpage().get_text_range().split())
        im = np.asarray(d[0].render(scale=150 / 72).to_pil().convert("RGB")).astype(int)
    finally:
        d.close()
    return label, text, im


def red_pixels(im) -> int:
    r, g, b = im[..., 0], im[..., 1], im[..., 2]
    return int(((r > 170) & (g < 25) & (b < 25)).sum())      # the sign's #C00000, not a style's red band


def test_a_pork_product_prints_mengandung_babi_in_a_red_box_with_a_pig_and_passes():
    clean = clean_record(**PORK)
    assert clean.get("contains_pork")
    label, text, im = printed(clean)
    assert "MENGANDUNG BABI" in text
    # the red sign: frame, pig and words, well over a square centimetre of red ink at 150 dpi
    assert red_pixels(im) > 1500
    found = check(label, clean, layout=LAYOUTS["avery-l7165"])
    assert not {"HALAL-05", "WARN-01"} & rules_of(found)


def test_a_product_without_pork_prints_no_sign_and_a_label_without_the_sign_is_flagged():
    clean = clean_record(**NOT_HALAL)
    _label, text, im = printed(clean)
    assert "BABI" not in text and red_pixels(im) < 50     # the reserved place stays empty
    pork = clean_record(**PORK)
    label = make_label(clean=pork)                       # a label with no warning sign at all
    assert "HALAL-05" in rules_of(check(label, pork), "BLOCKER")
    # words printed without the red box and pig (a stock too small for the sign): an ERROR
    label, text, _im = printed(pork, "avery-l7163")
    assert "MENGANDUNG BABI" in text
    assert "HALAL-05" in rules_of(check(label, pork, layout=LAYOUTS["avery-l7163"]), "ERROR")


def test_alcohol_and_sweetener_warnings_are_printed_and_their_absence_is_flagged():
    clean = clean_record(alcohol_pct="0,5", sweeteners="aspartam")
    label, text, _im = printed(clean)
    assert "MENGANDUNG ALKOHOL 0,5%." in text
    assert "Mengandung pemanis buatan: aspartam." in text
    assert "Mengandung fenilalanin, tidak cocok untuk penderita fenilketonurik." in text
    assert "WARN-01" not in rules_of(check(label, clean, layout=LAYOUTS["avery-l7165"]))
    assert "WARN-01" in rules_of(check(make_label(good_items(), clean), clean), "BLOCKER")
    _label, text, _im = printed(clean_record())
    assert "ALKOHOL" not in text and "pemanis" not in text
