"""The stock advisor: on which stocks does this product's label hold every mandatory item (the
gates' preflight and blocking rule), best first; the design step shows it and starts there."""
from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
from PIL import Image
from test_design_web import NUTRITION

from studio.designs import advisor, assets
from studio.designs import services as designs
from studio.designs import render as design_render

CRAFT = {"product_class": "kerajinan", "category": "kerajinan", "name": "Tas Anyaman Pandan", "brand": "Mbok Sri",
         "variant": None, "ingredients": None, "storage_instructions": None, "shelf_life_days": None,
         "permit_type": None, "pirt_number": None, "pirt_food_code": None, "halal_status": None,
         "halal_cert_number": None, "packaging_material": None, "net_quantity": "1 buah"}


def _halal_logo(create_user):
    logo = io.BytesIO()
    Image.new("RGB", (300, 300), (30, 120, 60)).save(logo, "PNG")
    assets.upload_halal_logo(create_user("admin"), logo.getvalue(), "halal.png")


def _cards(html: str) -> list[tuple[str, str]]:
    """(stock id, the card's text) in page order, for the start form's stock picker."""
    form = html.split('name="action" value="start"', 1)[1].split("Pilih gaya", 1)[0]
    parts = re.split(r'<input type="radio" name="layout_id" value="', form)[1:]
    return [(p.split('"', 1)[0], re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p))) for p in parts]


def test_snack_page_puts_fitting_sheets_first_and_names_what_does_not_fit(app, client, login, create_user,
                                                                        make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)          # halal P-IRT snack, nutrition, one allergen
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    cards = _cards(html)
    order = [sid for sid, _t in cards]
    text = dict(cards)
    # a card fits as one label ("Muat semua isi wajib"), as a front + back pair (issue 15) or as a set
    # of three stickers (issue 17)
    fits = [sid for sid, t in cards if "Muat semua isi wajib" in t or "semua isi wajib muat" in t]
    assert "a4-nup-2x2-94x134" in fits and "f4-nup-2x2-96x150" in fits
    assert "Beli di: Toko alat tulis" in text["a4-nup-2x2-94x134"]       # where the sticker is sold
    assert all(order.index(f) < order.index(sid) for f in fits for sid in order if sid not in fits)
    assert "Tidak muat" in text["avery-l7160"] and "Komposisi" in text["avery-l7160"] \
        and "Informasi Nilai Gizi" in text["avery-l7160"]
    # a stationery-shop sheet that fits ranks above the thermal roll that fits
    assert order.index("a4-nup-2x2-94x134") < order.index("thermal-100x150")
    # (c) the start form preselects the best stock that fits; starting there gives a label that sends
    checked = re.search(r'name="layout_id" value="([^"]+)" checked', html).group(1)
    assert checked == order[0] and checked in fits
    label_set = re.search(r'name="label_set" value="([^"]+)" checked', html).group(1)
    r = client.post(f"/produk/{product.id}/desain", data={"action": "start", "layout_id": checked,
                                                          "label_set": label_set,
                                                          "style_id": designs.default_style(product)})
    assert r.status_code == 302
    design = designs.find_design(product)
    assert design.layout_id == checked and design.blocker_count == 0


def test_new_design_without_a_chosen_stock_starts_on_the_best_fit_and_prints_every_item(app, create_user,
                                                                                      make_ready_product):
    _halal_logo(create_user)
    product = make_ready_product(**NUTRITION)
    with app.test_request_context():
        advice = advisor.advise(product)
        best = next(a for a in advice if a.fits)
        design = designs.start_design(product.owner, product.id, "", "bersih")
        assert design.layout_id == advisor.best_fitting_stock(product, design) == best.layout_id
        assert design.blocker_count == 0
        small = next(a for a in advice if a.layout_id == "avery-l7160" and not a.is_set)   # as ONE label
        assert not small.fits and small.blocking_count > 0 and "Komposisi" in small.parts_cut
        pdf = design_render.render_design_pdf(design, "printshop")
    flat = " ".join(pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range().split()).lower()
    squeezed = re.sub(r"[\s\-\u00ad]", "", flat)
    for item in ("Keripik Singkong Balado", "250 g", "singkong", "minyak sawit", "kacang tanah", "UD Mbok Sri",
                 "Sumberagung", "2153517010012-29", "ID35110000123450923", "Baik digunakan sebelum",
                 "Simpan di tempat sejuk", "Informasi Nilai Gizi"):
        assert re.sub(r"[\s\-]", "", item.lower()) in squeezed, (item, flat[:800])


def test_a_craft_fits_small_stocks(app, make_ready_product):
    product = make_ready_product(**CRAFT)
    with app.test_request_context():
        advice = {a.layout_id: a for a in advisor.advise(product) if not a.is_set}
    # the 60 x 45 / 60 x 50 mm sheets that cannot hold the snack's label hold the craft's
    assert advice["f4-nup-3x6-60x45"].fits and advice["a4-nup-3x5-60x50"].fits and advice["avery-l7165"].fits
    assert not advice["thermal-40x30"].fits and "Produsen" in advice["thermal-40x30"].reason
