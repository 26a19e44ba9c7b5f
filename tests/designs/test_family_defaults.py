"""Issue 17: a new product's first design starts in the template family suited to its category (a
thermal stock: the thermal family), through the web start form with a direct POST; a stored design
in a classic style keeps its style and renders as before."""
from __future__ import annotations

import re

from studio.designs import services as designs
from studio.labels import STYLES


def _start(client, product, **data):
    return client.post(f"/produk/{product.id}/desain", data={"action": "start", **data})


def test_a_new_keripik_product_starts_in_the_photo_led_family(app, client, login, make_ready_product):
    product = make_ready_product()          # category keripik
    login(product.owner)
    html = client.get(f"/produk/{product.id}/desain").get_data(as_text=True)
    # the gallery's pre-chosen card is the photo-led family
    assert re.search(r'name="style_id" value="foto" checked', html)
    r = _start(client, product, layout_id="avery-l7165")     # the form posted without a style choice
    assert r.status_code == 302
    design = designs.find_design(product)
    assert design.style_id == "foto" and STYLES[design.style_id].family


def test_other_categories_start_in_their_family_and_a_thermal_stock_in_the_thermal_one(
        app, client, login, make_ready_product):
    sambal = make_ready_product(category="sambal")
    login(sambal.owner)
    assert _start(client, sambal, layout_id="avery-l7165").status_code == 302
    assert designs.find_design(sambal).style_id == "tipografi"
    kopi = make_ready_product(sambal.owner, category="kopi")
    assert _start(client, kopi, layout_id="thermal-50x30").status_code == 302
    assert designs.find_design(kopi).style_id == "termal"


def test_a_stored_classic_design_keeps_its_style(app, client, login, make_ready_product):
    product = make_ready_product()
    login(product.owner)
    assert _start(client, product, layout_id="avery-l7165", style_id="bersih").status_code == 302
    design = designs.find_design(product)
    before = client.get(f"/produk/{product.id}/desain/label.pdf").data
    # a stock change re-adapts the design in its own (classic) style, not the category's family
    r = client.post(f"/produk/{product.id}/desain", data={"action": "stock", "layout_id": "avery-l7160"})
    assert r.status_code in (200, 302)
    assert designs.find_design(product).style_id == "bersih" == design.style_id
    assert before.startswith(b"%PDF")
