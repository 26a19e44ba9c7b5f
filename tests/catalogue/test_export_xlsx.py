"""The marketplace export as XLSX (issue 16), read back with openpyxl: the BLONJO sheet and one sheet per
marketplace profile, headers as the seller centres' bulk-upload sheets ask, prices as numbers, barcodes
and codes as text, nothing read as a formula, every picture URL."""
from __future__ import annotations

import io

from openpyxl import load_workbook


def _workbook(client, login, create_user, products):
    for product in products:
        login(product.owner)
        assert client.post(f"/produk/{product.id}/terbit").status_code == 302
    login(create_user("admin"))
    r = client.get("/katalog/ekspor.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(r.data))


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_xlsx_has_the_marketplace_sheets_with_numbers_as_numbers_and_codes_as_text(client, login, ready_product,
                                                                                 create_user):
    snack = ready_product(gtin="8991234567891", sku="KSB-250", description="=HYPERLINK(\"http://x\")",
                          package_l_cm="20", package_w_cm="12", package_h_cm="4")
    other = ready_product(owner=create_user("producer", business_name="UD Darto"), name="Kopi Bubuk Robusta",
                          price_idr="Rp27.500", halal_status="", halal_cert_number="")
    wb = _workbook(client, login, create_user, [snack, other])
    assert wb.sheetnames[:3] == ["BLONJO", "Tokopedia", "Shopee"]

    toko = wb["Tokopedia"]
    header = [c.value for c in toko[1]]
    for col in ("Nama Produk", "Deskripsi Produk", "Kategori", "Berat (Gram)", "Minimum Pemesanan", "Kondisi",
                "Gambar 1", "Gambar 5", "SKU Name", "Status", "Jumlah Stok", "Harga (Rp)", "Izin Edar (P-IRT/BPOM)",
                "GTIN/EAN"):
        assert col in header, col
    rows = {r["SKU Name"].value if r["SKU Name"].value else r["Kode BLONJO"].value: r for r in _rows(toko)}
    row = rows["KSB-250"]
    assert row["Harga (Rp)"].value == 15000 and isinstance(row["Harga (Rp)"].value, int)
    assert row["Jumlah Stok"].value == 40 and row["Berat (Gram)"].value == 300
    assert row["Minimum Pemesanan"].value == 1 and row["Kondisi"].value == "Baru"
    assert row["Etalase"].value == "Keripik/kerupuk"                   # the category's name, not its key
    gtin = row["GTIN/EAN"]
    assert gtin.value == "8991234567891" and gtin.data_type == "s" and gtin.number_format == "@"
    assert row["Izin Edar (P-IRT/BPOM)"].value == "P-IRT No. 2153517010012-29"
    assert row["Nama Produk"].value == "Mbok Sri Keripik Singkong Balado Pedas Manis 250 g"
    desc = row["Deskripsi Produk"]
    assert desc.data_type == "s" and desc.value.startswith("=HYPERLINK")       # text, never a formula
    assert "Komposisi: " in desc.value and "Sertifikat halal: ID35110000123450923" in desc.value
    assert "120 hari setelah tanggal produksi" in desc.value
    assert row["Gambar 1"].value.endswith(".jpg") and row["Gambar 1"].value.startswith("http")

    shopee = wb["Shopee"]
    srows = _rows(shopee)
    assert [c.value for c in shopee[1]][:3] == ["Kategori", "Nama Produk", "Deskripsi Produk"]
    s = next(r for r in srows if r["SKU Induk"].value == "KSB-250")
    assert s["Harga"].value == 15000 and s["Stok"].value == 40
    assert (s["Panjang"].value, s["Lebar"].value, s["Tinggi"].value) == (20, 12, 4)
    assert s["Foto Sampul"].value == row["Gambar 1"].value
    assert s["Nama Variasi 1"].value == "Varian" and s["Varian untuk Variasi 1"].value == "Pedas Manis"
    kopi = next(r for r in srows if r["Nama Produk"].value.startswith("Mbok Sri Kopi") or "Kopi" in r["Nama Produk"].value)
    assert kopi["Harga"].value == 27500 and kopi["Sertifikat Halal"].value is None

    blonjo = _rows(wb["BLONJO"])
    assert len(blonjo) == 2
    b = next(r for r in blonjo if r["SKU"].value == "KSB-250")
    assert b["Harga (Rp)"].value == 15000 and b["GTIN/EAN"].data_type == "s" and b["Kode"].data_type == "s"
    assert b["Foto 1"].value == row["Gambar 1"].value
    assert "Catatan" in [c.value for c in wb["BLONJO"][1]]


def test_the_xlsx_export_is_for_the_trainer_and_hub_only(client, login, ready_product, create_user):
    product = ready_product()
    login(product.owner)
    assert client.get("/katalog/ekspor.xlsx").status_code == 403
    client.post("/keluar")
    assert client.get("/katalog/ekspor.xlsx").status_code in (302, 401, 403)


def test_a_trainer_exports_their_cohort_from_the_cohort_page(client, login, ready_product, cohort_with, create_user):
    cohort, trainer, (mine,) = cohort_with(1)
    ours = ready_product(owner=mine)
    theirs = ready_product(owner=create_user("producer", business_name="UD Lain"), name="Sambal Bawang")
    for product in (ours, theirs):
        login(product.owner)
        client.post(f"/produk/{product.id}/terbit")
    login(trainer)
    page = client.get(f"/pelatihan/{cohort.id}").get_data(as_text=True)
    link = f"/katalog/ekspor.xlsx?pelatihan={cohort.id}"
    assert link in page
    wb = load_workbook(io.BytesIO(client.get(link).data))
    names = [r["Nama Produk"].value for r in _rows(wb["Tokopedia"])]
    assert len(names) == 1 and "Keripik Singkong Balado" in names[0]
