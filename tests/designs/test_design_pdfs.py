"""The designed label read back from its PDFs: QR URL, EAN-13, positions on the sheet, fonts."""
from __future__ import annotations

import re

import pytest

from studio.designs import services as designs
from studio.designs import render as design_render
from studio.designs.stock import MeasuredStock, add_custom_layout
from studio.labels import slot_origins_mm
from studio.rules import gtin_check_digit

from designs_pdfread import crop_mm, decode, pdf_fonts, raster, top_left_mm

GTIN = "899123456789" + str(gtin_check_digit("899123456789"))


def test_print_shop_pdf_qr_decodes_to_the_product_url_and_fonts_are_embedded(app, make_ready_product):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, "avery-l7165", "bersih")
    pdf = design_render.render_design_pdf(design, "printshop")
    assert pdf.startswith(b"%PDF-")
    found = [r.text for r in decode(raster(pdf), "QRCode")]
    assert found == [f"{app.config['PUBLIC_BASE_URL']}/p/{product.public_code}"]
    names, descriptors, programs = pdf_fonts(pdf)
    assert names and all(re.match(r"^[A-Z]{6}\+", n) for n in names), names   # embedded subsets only
    assert descriptors == programs == len(names)
    assert b"Helvetica" not in pdf
    assert b"/TrimBox" in pdf and b"/BleedBox" in pdf


def test_ean13_on_the_label_decodes_to_the_gtin(app, make_ready_product, create_user):
    hub = create_user("hub")
    stock = add_custom_layout(hub, MeasuredStock(
        name="Stiker 100 x 90", paper_w_mm=210, paper_h_mm=297, label_w_mm=100, label_h_mm=90, columns=2,
        rows=3, left_mm=4, top_mm=10, step_x_mm=102, step_y_mm=92, corner_radius_mm=2))
    product = make_ready_product(gtin=True)
    design = designs.start_design(product.owner, product.id, stock.id, "bersih")
    assert design.options["show_ean"] is True
    pdf = design_render.render_design_pdf(design, "printshop")
    eans = [r.text for r in decode(raster(pdf), "EAN13")]
    assert eans == [GTIN]


@pytest.mark.parametrize("layout_id", ["avery-l7160", "round-40mm-a4"])
def test_sheet_pdf_places_every_label_where_the_stock_says(app, make_ready_product, layout_id):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, layout_id, "bersih")
    label = designs.compose_design(design)
    layout = designs.get_layouts()[layout_id]
    qr = label.regions["qr"]
    quiet_mm = 4 * qr.module_mm
    pdf = design_render.render_design_pdf(design, "sheet", copies=layout.slots_per_page)
    page = raster(pdf)
    url = f"{app.config['PUBLIC_BASE_URL']}/p/{product.public_code}"
    for i, (sx, sy) in enumerate(slot_origins_mm(layout)):
        cell = crop_mm(page, sx, sy, layout.label_w_mm, layout.label_h_mm)
        results = decode(cell, "QRCode")
        assert [r.text for r in results] == [url], f"slot {i}"
        x, y = top_left_mm(results[0])
        # crop offsets are whole pixels: measure against the crop's real origin
        ox, oy = round(sx / (25.4 / 300)) * 25.4 / 300, round(sy / (25.4 / 300)) * 25.4 / 300
        assert abs(ox + x - (sx + qr.box_mm[0] + quiet_mm)) <= 0.1, f"slot {i} x"
        assert abs(oy + y - (sy + qr.box_mm[1] + quiet_mm)) <= 0.1, f"slot {i} y"


def test_first_slot_leaves_the_used_slots_empty(app, make_ready_product):
    product = make_ready_product()
    design = designs.start_design(product.owner, product.id, "avery-l7160", "bersih")
    layout = designs.get_layouts()["avery-l7160"]
    pdf = design_render.render_design_pdf(design, "sheet", copies=4, first_slot=5)
    page = raster(pdf)
    for i, (sx, sy) in enumerate(slot_origins_mm(layout)):
        cell = crop_mm(page, sx, sy, layout.label_w_mm, layout.label_h_mm)
        if 5 <= i < 9:
            assert len(decode(cell, "QRCode")) == 1, f"slot {i} should hold a label"
        else:
            assert cell.getextrema() == (255, 255), f"slot {i} should stay empty"
