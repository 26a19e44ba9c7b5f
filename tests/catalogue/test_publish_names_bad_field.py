"""Publishing refused for a field filled in wrongly names that field and its problem, not
"complete the product data" (the producer filled everything in)."""
from __future__ import annotations

from studio.catalogue.models import Listing
from studio.extensions import db
from studio.products.data import check_product_data, store_check

from tests.conftest import READY_RECORD

COMPLETE = dict(READY_RECORD, **{
    "allergens_confirmed": "kacang tanah", "nutrition.serving_size_g": "30", "nutrition.urt": "1 genggam",
    "nutrition.fat": "24", "nutrition.sat_fat": "11", "nutrition.protein": "2", "nutrition.carb": "62",
    "nutrition.sugar": "9", "nutrition.sodium_mg": "520", "nutrition.source": "umk_default_table"})
BAD_GTIN = "8991234567890"      # the check digit of 899123456789 is 1, not 0


def test_publish_with_a_wrong_gtin_check_digit_names_the_barcode(client, login, ready_product):
    product = ready_product()
    assert check_product_data(dict(COMPLETE, gtin="8991234567891")).complete_label    # only the digit differs
    store_check(product.owner, product, check_product_data(dict(COMPLETE, gtin=BAD_GTIN)))
    login(product.owner)
    r = client.post(f"/produk/{product.id}/terbit", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert db.session.scalar(db.select(Listing.id)) is None
    assert "Lengkapi data produk dulu" not in html
    assert "Nomor barcode (EAN-13): Angka terakhir barcode salah: harus 1, bukan 0" in html
