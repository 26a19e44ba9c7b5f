"""The review pages in English: preflight messages come in the chosen language."""
from __future__ import annotations


def test_producer_sees_the_preflight_in_english(cohort_with, design_for, login):
    _c, _t, (producer,) = cohort_with(1)
    product, _design = design_for(producer, pirt_number=None)
    client = login(producer)
    client.post("/bahasa", data={"lang": "en", "next": "/"})
    html = client.get(f"/produk/{product.id}/tinjauan").get_data(as_text=True)
    assert "The permit number is not on the label" in html
    assert "Nomor izin edar tidak ada di label" not in html
