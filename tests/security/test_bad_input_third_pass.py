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


# -- 13. barcodes in the catalogue export ----------------------------------------------------


def test_the_spreadsheet_export_keeps_a_barcode_as_text_and_the_csv_keeps_its_digits(client, login, ready_product,
                                                                                   create_user):
    import csv

    from openpyxl import load_workbook

    product = ready_product(gtin="8991234567891", name='=HYPERLINK("http://x")')
    login(product.owner)
    client.post(f"/produk/{product.id}/terbit")
    login(create_user("admin"))
    r = client.get("/katalog/ekspor.xlsx")
    assert r.status_code == 200 and ".xlsx" in r.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.get_data())).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row]
    gtin = [c for c in cells if c.value == "8991234567891"]
    assert gtin and all(c.data_type == "s" and c.number_format == "@" for c in gtin)
    names = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert names and all(c.data_type == "s" for c in names), "text, never a formula"
    assert any(c.value == 15000 and c.data_type == "n" for c in cells)
    # the CSV for the marketplace importer: the digits exactly, no apostrophe or formula around them
    rows = list(csv.reader(io.StringIO(client.get("/katalog/ekspor.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][rows[0].index("GTIN/EAN")] == "8991234567891"


# -- 6. text no label font can print is refused on the field, named ---------------------------


@pytest.mark.parametrize("typed,chars,writing", [
    ("Keripik ꦏꦼꦫꦶꦥꦶꦏ꧀", "ꦏ ꦼ ꦫ ꦶ ꦥ", "aksara Jawa"),
    ("Keripik كريبيك", "ك ر ي ب", "huruf Arab/Pegon"),
    ("Keripik 木薯片", "木 薯 片", "huruf Tionghoa/Jepang/Korea"),
    ("Keripik Pedas 🌶🔥", "🌶 🔥", "emoji atau simbol"),
])
def test_label_text_no_font_can_print_is_refused_on_the_form(login, client, create_user, create_product,
                                                            typed, chars, writing):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    client.post(f"/produk/{product.id}/data?bagian=nama",
                data={"product_class": "pangan_pirt", "name": "Kerupuk Udang Mbok Sri", "aksi": "draf"})
    r = client.post(f"/produk/{product.id}/data?bagian=nama",
                    data={"product_class": "pangan_pirt", "name": typed, "aksi": "lanjut"}, follow_redirects=True)
    assert r.status_code == 200 and "bagian=nama" in r.request.url
    block = field_block(page(r), "name")
    assert "Huruf ini tidak bisa dicetak di label: " + chars in block, block
    assert f"({writing})" in block and f'value="{typed}"' in block
    db.session.refresh(product)
    rev = product.current_revision
    assert rev.raw["name"] == typed and "name" not in (rev.data or {}), "the unprintable name is not in the record"


def test_catalogue_only_text_may_hold_emoji_and_math_bold_prints_plain(login, client, create_user, create_product):
    producer = create_user("producer")
    product = create_product(producer, "Kerupuk Udang Mbok Sri")
    login(producer)
    client.post(f"/produk/{product.id}/data?bagian=jual",
                data={"price_idr": "15000", "description": "Renyah sekali 🔥", "aksi": "draf"})
    client.post(f"/produk/{product.id}/data?bagian=nama",
                data={"product_class": "pangan_pirt", "name": "𝐊𝐞𝐫𝐢𝐩𝐢𝐤 Balado", "aksi": "draf"})
    db.session.refresh(product)
    rev = product.current_revision
    assert rev.data.get("description") == "Renyah sekali 🔥"
    assert not (rev.errors or {}).get("name") and not (rev.errors or {}).get("description")


def test_the_import_refuses_unprintable_label_text_by_name(login, client, cohort_with):
    cohort, trainer, (sri,) = cohort_with(1)
    login(trainer)
    rec = {"owner": sri.username, "product_class": "pangan_pirt", "name": "Keripik Balado",
           "ingredients": "Singkong\nꦒꦸꦭ", "price_idr": "15000"}
    r = client.post(f"/pelatihan/{cohort.id}/impor",
                    data={"file": (io.BytesIO(json.dumps([rec]).encode()), "p.json"), "dry_run": "y"},
                    content_type="multipart/form-data")
    assert r.status_code < 500
    assert "Huruf ini tidak bisa dicetak di label: ꦒ ꦸ ꦭ (aksara Jawa)" in page(r)
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0
