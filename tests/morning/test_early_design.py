"""Issue 16: the photo and a first design come early; missing legal items show as placeholders on
the label; only sending for review needs the data complete (a server rule, tried with a direct POST)."""
from __future__ import annotations

import re

import pypdfium2 as pdfium

from studio.designs.models import DesignVersion
from studio.extensions import db

EARLY = {"product_class": "pangan_pirt", "name": "Keripik Tempe Mbok Sri", "category": "keripik",
         "net_quantity": "200 g", "price_idr": "Rp12.500"}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _early_product(app, cohort_with, create_product):
    from studio.designs.services import start_design
    from studio.products.data import save_product_data

    _cohort, _trainer, (producer,) = cohort_with(1)
    with app.test_request_context():
        product = create_product(producer, EARLY["name"], "pangan_pirt")
        save_product_data(producer, product.id, EARLY)
        design = start_design(producer, product.id, "a4-nup-2x2-94x134", "bersih")
    return producer, product, design


def test_design_opens_before_the_data_is_complete_with_placeholders(app, cohort_with, create_product, login):
    producer, product, design = _early_product(app, cohort_with, create_product)
    client = login(producer)
    page = client.get(f"/produk/{product.id}/desain")
    assert page.status_code == 200
    pdf = client.get(f"/produk/{product.id}/desain/label.pdf")
    assert pdf.status_code == 200
    text = " ".join(pdfium.PdfDocument(pdf.data)[0].get_textpage().get_text_range().split())
    print(text)
    assert "Keripik Tempe Mbok Sri" in text
    assert "[Nomor izin edar belum diisi]" in text and "[Komposisi belum diisi]" in text


def test_send_for_review_needs_complete_data_even_by_a_direct_post(app, cohort_with, create_product, login):
    producer, product, _design = _early_product(app, cohort_with, create_product)
    r = login(producer).post(f"/produk/{product.id}/tinjauan/kirim", follow_redirects=True)
    assert "Data produk belum lengkap untuk label" in _text(r.get_data(as_text=True))
    assert db.session.query(DesignVersion).count() == 0


def test_a_fraction_gets_a_plain_message_and_a_suggestion():
    import pytest

    from studio.rules.errors import RuleError
    from studio.rules.quantity import parse_net_quantity

    with pytest.raises(RuleError) as e:
        parse_net_quantity("1/4 kg")
    assert e.value.msg.id == "Tulis berat atau isi bersih sebagai angka, bukan pecahan: 1/4 kg = 250 g."
    assert e.value.suggestion == "250 g" and parse_net_quantity(e.value.suggestion).text == "250 g"
    with pytest.raises(RuleError) as e:
        parse_net_quantity("1 1/2 L")
    assert "1 1/2 L = 1,5 L" in e.value.msg.id and "1,5 L" == e.value.suggestion
