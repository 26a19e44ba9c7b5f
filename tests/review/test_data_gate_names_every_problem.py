"""Product data with a field filled in wrongly AND an empty one: every gate names both at once
(the wrong one with what is wrong, the empty one by name), on the wizard page and on a direct
POST that sends the label for review. Before, only the wrong field was named ("Perbaiki data
produk dulu. Nomor barcode …"), and the send said "Data produk belum lengkap" without naming any:
the producer fixed the barcode and was sent back a second time for the empty field."""
from __future__ import annotations

import re

from studio.designs.models import DesignVersion
from studio.extensions import db
from studio.products.data import check_product_data, store_check

from tests.review.conftest import GOOD_DATA

BAD_GTIN = "8991234567890"      # the check digit of 899123456789 is 1, not 0


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_wrong_and_an_empty_field_are_named_together(setup, login):
    _trainer, producer, product, _design = setup
    check = check_product_data(dict(GOOD_DATA, gtin=BAD_GTIN, ingredients=""))
    assert "gtin" in check.errors and "ingredients" in check.completeness.label_missing
    with db.session.no_autoflush:
        store_check(producer, product, check)
    client = login(producer)
    page = _text(client.get(f"/produk/{product.id}").get_data(as_text=True))     # the steps overview
    assert "Angka terakhir barcode salah" in page and "Masih kosong: Komposisi" in page, page[:3000]

    r = client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)   # skipping the page
    said = _text(r.get_data(as_text=True))
    assert "Angka terakhir barcode salah" in said and "Masih kosong: Komposisi" in said
    assert db.session.query(DesignVersion).count() == 0
