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


def test_an_expired_permit_is_named_at_the_data_gate_in_both_languages(setup, login):
    """A P-IRT number whose year has passed is a rule finding, not a field error: the gate named
    nothing ("Data produk belum lengkap …") and the producer had to guess."""
    _trainer, producer, product, _design = setup
    check = check_product_data(dict(GOOD_DATA, pirt_number="2103517010012-20"))
    assert not check.errors and [f.rule_id for f in check.blockers] == ["PERMIT-02"]
    with db.session.no_autoflush:
        store_check(producer, product, check)
    client = login(producer)
    page = _text(client.get(f"/produk/{product.id}").get_data(as_text=True))
    assert "SPP-IRT ini sudah habis" in page, page[:3000]
    said = _text(client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True).get_data(as_text=True))
    assert "Nomor P-IRT: SPP-IRT ini sudah habis (berlaku sampai tahun 2020)" in said
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    said = _text(client.post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True).get_data(as_text=True))
    assert "This SPP-IRT has expired" in said and "SPP-IRT ini sudah habis" not in said, said[:3000]
    said = _text(client.post(f"/produk/{product.id}/terbit", follow_redirects=True).get_data(as_text=True))
    assert "P-IRT number: This SPP-IRT has expired (valid until 2020)" in said, said[:3000]
    assert db.session.query(DesignVersion).count() == 0
