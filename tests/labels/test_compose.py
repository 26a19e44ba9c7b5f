from __future__ import annotations

import pytest
from PIL import Image

from studio.labels import Box, EANItem, ImageItem, LabelDocument, QRItem, TextItem, compose, make_document
from studio.labels.primitives import Picture, QRModules, TextLine


def _doc(*items, layout_id="avery-l7160"):
    return LabelDocument(layout_id, tuple(items))


def test_text_shrinks_to_fit_and_reports_the_size_used(layouts, fonts, values):
    doc = _doc(TextItem(Box(2, 2, 30, 6), "${name}", size_pt=20, min_size_pt=6, tag="pdp.name"))
    lab = compose(doc, layouts["avery-l7160"], values, fonts)
    region = lab.regions["pdp.name"]
    assert 6 <= region.size_pt < 20 and not region.overflow
    assert region.x_height_mm == pytest.approx(region.size_pt * 0.3528 * fonts.metrics("sans").x_height, rel=0.01)
    assert not lab.problems


def test_text_that_cannot_fit_is_cut_to_whole_lines_and_reported(layouts, fonts, values):
    # behaviour changed on purpose: lines that do not fit are no longer drawn past the box (over
    # the next item); they are cut and the problem names what was not printed
    long = "Singkong pilihan dari kebun sendiri, digoreng dengan minyak bersih. " * 6
    doc = _doc(TextItem(Box(2, 2, 20, 5), long, size_pt=8, min_size_pt=6, tag="ingredients"))
    lab = compose(doc, layouts["avery-l7160"], values, fonts)
    (p,) = [p for p in lab.problems if p.code == "text_overflow"]
    assert p.severity == "error" and p.tag == "ingredients" and "tidak muat" in p.message_id
    lines = [t for t in lab.primitives if isinstance(t, TextLine)]
    printed = " ".join(t.text for t in lines).split()
    assert 0 < len(printed) < len(long.split()) and printed == long.split()[:len(printed)]
    assert "Tidak tercetak: «" in p.message_id and "Not printed: «" in p.message_en
    size_mm = lines[0].size_pt * 0.3528
    assert max(t.baseline_y_mm for t in lines) + 0.3 * size_mm <= 2 + 5 + 1e-6   # nothing below the box


def test_numbers_and_units_stay_together(layouts, fonts, values):
    doc = _doc(TextItem(Box(2, 2, 17, 12), "${net_qty}", size_pt=8, min_size_pt=8, tag="pdp.net_qty"))
    lab = compose(doc, layouts["avery-l7160"], values, fonts)
    lines = [t.text for t in lab.primitives if isinstance(t, TextLine)]
    assert any(line.endswith("250 g") for line in lines), lines


def test_unknown_field_is_a_problem(layouts, fonts, values):
    lab = compose(_doc(TextItem(Box(2, 2, 30, 6), "${nama_produk}", tag="pdp.name")), layouts["avery-l7160"],
                  values, fonts)
    assert [p.code for p in lab.problems] == ["unknown_field"]


def test_qr_below_the_scannable_minimum_is_reported(layouts, fonts, values):
    lab = compose(_doc(QRItem(Box(2, 2, 11, 11))), layouts["avery-l7160"], values, fonts)
    assert "qr_too_small" in [p.code for p in lab.problems]
    ok = compose(_doc(QRItem(Box(2, 2, 18, 18))), layouts["avery-l7160"], values, fonts)
    assert not ok.problems
    (qr,) = [p for p in ok.primitives if isinstance(p, QRModules)]
    assert qr.quiet_modules >= 4 and qr.size_mm == pytest.approx(18)


def test_thermal_qr_modules_snap_to_whole_printer_dots(layouts, fonts, values):
    lay = layouts["thermal-50x30"]
    lab = compose(_doc(QRItem(Box(30, 5, 18.3, 18.3)), layout_id=lay.id), lay, values, fonts)
    (qr,) = [p for p in lab.primitives if isinstance(p, QRModules)]
    dots = qr.module_mm * 203 / 25.4
    assert dots == pytest.approx(round(dots), abs=1e-6) and round(dots) >= 2
    assert (qr.x_mm * 203 / 25.4) == pytest.approx(round(qr.x_mm * 203 / 25.4), abs=1e-6)


def test_invalid_gtin_is_reported(layouts, fonts, values):
    values["gtin"] = "8991234567892"
    lab = compose(_doc(EANItem(Box(2, 2, 40, 25))), layouts["avery-l7160"], values, fonts)
    assert [p.code for p in lab.problems] == ["ean_invalid"]


def test_images_are_downsampled_once_and_low_resolution_is_flagged(layouts, fonts, values, photo):
    lay = layouts["avery-l7165"]
    lab = compose(_doc(ImageItem(Box(2, 2, 20, 20), "photo"), layout_id=lay.id), lay, values, fonts, {"photo": photo})
    (pic,) = [p for p in lab.primitives if isinstance(p, Picture)]
    assert pic.image.size[0] <= 20 / 25.4 * 300 + 1
    assert not lab.problems
    small = Image.new("RGB", (120, 120), "orange")
    lab = compose(_doc(ImageItem(Box(2, 2, 20, 20), "photo"), layout_id=lay.id), lay, values, fonts, {"photo": small})
    assert [(p.code, p.severity) for p in lab.problems] == [("image_low_ppi", "error")]


def test_missing_halal_logo_is_silently_omitted_but_a_missing_photo_is_not(layouts, fonts, values):
    lay = layouts["avery-l7165"]
    lab = compose(make_document("bersih", lay), lay, values, fonts, {})
    codes = [(p.code, p.tag) for p in lab.problems]
    assert ("image_missing", "photo") in codes and not any(t == "halal_logo" for _, t in codes)


@pytest.mark.parametrize("stock", ["avery-l7160", "avery-l7165", "round-60mm-a4", "thermal-100x150"])
def test_the_sample_product_fits_without_errors(layouts, fonts, values, photo, stock):
    lay = layouts[stock]
    for style in ("bersih", "tradisional", "berani", "alami"):
        lab = compose(make_document(style, lay), lay, values, fonts, {"photo": photo})
        assert not lab.errors, (style, [(p.code, p.tag) for p in lab.errors])
