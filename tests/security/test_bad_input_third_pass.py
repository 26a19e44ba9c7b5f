"""Issue 21, what the second pass left: P-IRT years, tiny and extreme photos, multi-image HEIC,
barcodes in the CSV export, honest figures in messages, server-level refusals. Each test drives the
real endpoint and checks the status, the words the user reads and that nothing changed."""
from __future__ import annotations

import html
import io
import json

import pytest

from studio.extensions import db
from studio.products.models import Product


def page(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def field_block(text: str, field: str) -> str:
    block = text[text.index(f'id="f-{field}"'):]
    return block[:block.index("</div>")]


# -- 9. a P-IRT number with a 3-digit year ----------------------------------------------------


@pytest.mark.parametrize("typed,offer", [("2153517010012-029", "2153517010012-29"),
                                         ("2153517010012 / 2029", "2153517010012-29"),
                                         ("2153517010012-129", None)])
def test_a_pirt_number_with_a_long_year_is_told_not_reread_as_16_digits(login, client, create_user, create_product,
                                                                       typed, offer):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    good = {"pirt_number": "2153517010012-29", "pirt_valid_until": "31-12-2029", "aksi": "draf"}
    assert client.post(f"/produk/{product.id}/data?bagian=izin", data=good).status_code == 302
    r = client.post(f"/produk/{product.id}/data?bagian=izin",
                    data={**good, "pirt_number": typed, "aksi": "lanjut"}, follow_redirects=True)
    assert r.status_code == 200 and "bagian=izin" in r.request.url, "the section stays open"
    block = field_block(page(r), "pirt_number")
    assert "Tahun di ujung nomor P-IRT ditulis 2 angka" in block, block
    assert f"Yang Anda tulis {len(typed.split()[-1].split('-')[-1])} angka" in block
    assert "16 angka" not in block
    assert f'value="{typed}"' in block, "typed text kept"
    if offer:
        assert f"Ganti jadi <strong>{offer}</strong>" in page(r)
    db.session.refresh(product)
    rev = product.current_revision
    assert rev.raw["pirt_number"] == typed
    assert "21535170100120-29" not in json.dumps(rev.data) and "21535170100121-29" not in json.dumps(rev.data)


def test_the_import_tells_a_long_pirt_year_too(login, client, cohort_with):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    rec = {"owner": sri.username, "product_class": "pangan_pirt", "name": "Keripik Singkong Balado",
           "pirt_number": "2153517010012-029", "price_idr": "15000"}
    r = client.post(f"/pelatihan/{cohort.id}/impor",
                    data={"file": (io.BytesIO(json.dumps([rec]).encode()), "p.json"), "dry_run": "y"},
                    content_type="multipart/form-data")
    assert r.status_code < 500
    assert "Tahun di ujung nomor P-IRT ditulis 2 angka" in page(r)
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0
