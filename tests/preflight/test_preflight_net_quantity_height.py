"""Issue 15: the net quantity is printed at the legal character height on the principal panel
(BDKT table, >1 kg included: the line is no longer capped too small), an ERROR when below it there,
and the producer can enlarge it; a non-food product on a tiny stock is told its producer line is
missing. Digit heights are read back from the PDF (tight glyph boxes)."""
import pypdfium2 as pdfium

from preflight_helpers import FONTS, HALAL_LOGO, LAYOUTS, check, clean_record, rules_of, values_for
from studio.labels import Box, DesignOptions, compose, make_document, render_label_pdf
from studio.rules.quantity import required_char_height_mm


def label_for(clean, layout_id, **opts):
    lay = LAYOUTS[layout_id]
    cap = required_char_height_mm(clean["net_quantity"]) if clean.get("net_quantity") else 0.0
    options = DesignOptions(**{"show_photo": False, "net_qty_cap_mm": cap, **opts})
    label = compose(make_document("bersih", lay, options), lay, values_for(clean), FONTS,
                    {"halal_logo": HALAL_LOGO})
    return label, render_label_pdf(label, lay, bleed_mm=0, crop_marks=False)


def digit_height_mm(pdf: bytes, number: str) -> float:
    """Height of the tallest digit of ``number`` where it is printed first (tight glyph boxes)."""
    d = pdfium.PdfDocument(pdf)
    try:
        tp = d[0].get_textpage()
        i, n = tp.search(number, match_case=True).get_next()
        return max((tp.get_charbox(k)[3] - tp.get_charbox(k)[1]) * 25.4 / 72
                   for k in range(i, i + n) if tp.get_text_range(k, 1).isdigit())
    finally:
        d.close()


def test_200_g_gets_3_mm_digits_on_a_63_5_x_38_1_sticker_and_too_small_digits_are_an_error():
    clean = clean_record(net_quantity="200 g")
    label, pdf = label_for(clean, "avery-l7160")
    assert digit_height_mm(pdf, "200") >= 2.95
    assert "NET-03" not in rules_of(check(label, clean, layout=LAYOUTS["avery-l7160"]))
    label, pdf = label_for(clean, "f4-nup-3x6-60x45")       # a narrow stacked sticker: it shrinks
    assert digit_height_mm(pdf, "200") < 3.0
    net = [f for f in check(label, clean, layout=LAYOUTS["f4-nup-3x6-60x45"]) if f.rule_id == "NET-03"]
    assert net and net[0].severity == "ERROR" and "Perbesar kotak berat bersih" in net[0].msg.id


def test_above_1_kg_the_line_reaches_6_mm_and_the_producer_can_enlarge_an_old_design():
    clean = clean_record(net_quantity="1,5 kg")
    for layout_id in ("a4-nup-2x2-94x134", "f4-nup-2x2-96x150", "thermal-100x150"):
        label, pdf = label_for(clean, layout_id)
        assert digit_height_mm(pdf, "1,5") >= 5.9, layout_id
        assert "NET-03" not in rules_of(check(label, clean, layout=LAYOUTS[layout_id]))
    # a design laid out for 3 mm digits (made before the product grew past 1 kg): an ERROR ...
    label, pdf = label_for(clean, "a4-nup-2x2-94x134", net_qty_cap_mm=0.0)
    assert digit_height_mm(pdf, "1,5") < 5.9
    assert "NET-03" in rules_of(check(label, clean, layout=LAYOUTS["a4-nup-2x2-94x134"]), "ERROR")
    # ... which the producer fixes by dragging the net-quantity box taller: the text grows to 6 mm
    box = label.regions["pdp.net_qty"].box_mm
    moved = {"pdp.net_qty": Box(2.5, box[1] - 4, 89.0, 12.0)}
    label, pdf = label_for(clean, "a4-nup-2x2-94x134", net_qty_cap_mm=0.0, overrides=moved)
    assert digit_height_mm(pdf, "1,5") >= 5.9
    assert "NET-03" not in rules_of(check(label, clean, layout=LAYOUTS["a4-nup-2x2-94x134"]))


CRAFT = dict(product_class="kerajinan", category="kerajinan", name="Tas Anyaman Pandan", pirt_number=None,
             pirt_food_code=None, halal_status=None, halal_cert_number=None, ingredients=None,
             allergens_confirmed=None, packaging_material=None, net_quantity="Isi 1 pcs", gtin=None)


def test_a_craft_on_a_tiny_sticker_is_told_the_producer_is_missing():
    clean = clean_record(**CRAFT)
    label, pdf = label_for(clean, "avery-l7651", show_halal=False, halal_logo=False, expiry_box=False)
    d = pdfium.PdfDocument(pdf)
    text = d[0].get_textpage().get_text_range()
    d.close()
    assert "Diproduksi oleh" not in text
    addr = [f for f in check(label, clean, layout=LAYOUTS["avery-l7651"]) if f.rule_id == "ADDR-01"]
    assert addr and addr[0].severity == "BLOCKER" and "produsen" in addr[0].msg.id
    label, pdf = label_for(clean, "avery-l7165", show_halal=False, halal_logo=False, expiry_box=False)
    assert "ADDR-01" not in rules_of(check(label, clean, layout=LAYOUTS["avery-l7165"]))
