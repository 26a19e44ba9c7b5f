"""Trainer import (all rows or none, with a row-by-row report), the CSV template, the formula-safe
export, and ``flask studio import-products``."""
from __future__ import annotations

import csv
import html
import io
import json

from studio.extensions import db
from studio.products.data import save_product_data
from studio.products.models import Product


def page(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def csv_bytes(rows: list[dict]) -> bytes:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def products_of(user) -> list[Product]:
    return list(db.session.scalars(db.select(Product).where(Product.owner_id == user.id)))


def upload(client, cohort, data: bytes, name="produk.csv", **fields):
    return client.post(f"/pelatihan/{cohort.id}/impor", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def test_one_bad_row_means_nothing_is_imported_and_the_report_says_why(login, client, cohort_with, keripik):
    cohort, trainer, (sri, darto) = cohort_with(2)
    rows = [{"owner": sri.username, **keripik},
            {"owner": darto.username, **keripik, "name": "Kopi Bubuk Robusta", "net_quantity": "200 gr"},
            {"owner": "tidak.ada", **keripik, "name": "Sambal"}]
    login(trainer)
    r = upload(client, cohort, csv_bytes(rows))
    assert r.status_code == 422
    text = page(r)
    assert "Tidak ada yang diimpor: 2 baris ditolak" in text
    assert 'Satuan "gr" tidak boleh di label. Tulis: 200 g' in text
    assert 'Produsen "tidak.ada" tidak ada.' in text
    assert "Lolos" in text, "the good row is reported as passing the check"
    assert "Baris 3</span>" in r.get_data(as_text=True), "row numbers as a spreadsheet shows them"
    assert products_of(sri) == [] and products_of(darto) == []


def test_a_clean_file_imports_every_row_and_reimport_changes_nothing(login, client, cohort_with, keripik):
    cohort, trainer, (sri, darto) = cohort_with(2)
    rows = [{"owner": sri.username, **keripik},
            {"owner": darto.username, "product_class": "pangan_pirt", "name": "Kopi Bubuk Robusta",
             "net_quantity": "200 g"}]
    login(trainer)
    r = upload(client, cohort, csv_bytes(rows))
    assert r.status_code == 200
    text = page(r)
    assert "Selesai: 2 produk diimpor." in text and "lengkap 100%" in text
    (p,) = products_of(sri)
    assert p.current_revision.complete_label and p.current_revision.raw["net_quantity"] == "250 g"
    assert products_of(darto)[0].current_revision.complete_label is False   # an incomplete draft is fine
    text = page(upload(client, cohort, csv_bytes(rows)))
    assert "Tidak berubah" in text and len(products_of(sri)) == 1


def test_dry_run_and_semicolon_csv_from_indonesian_excel(login, client, cohort_with, keripik):
    cohort, trainer, (sri, _d) = cohort_with(2)
    data = csv_bytes([{"owner": sri.username, **keripik}]).decode().replace(",", ";")
    data = data.replace('"Singkong (70%)', '"Singkong (70%)')
    login(trainer)
    text = page(upload(client, cohort, ("\ufeff" + data).encode("utf-8"), dry_run="y"))
    assert "Semua 1 baris lolos pemeriksaan" in text and products_of(sri) == []


def test_other_cohorts_producers_are_refused(login, client, cohort_with, keripik):
    cohort, trainer, _producers = cohort_with(1)
    _other_cohort, _t, (stranger,) = cohort_with(1)
    login(trainer)
    text = page(upload(client, cohort, csv_bytes([{"owner": stranger.username, **keripik}])))
    assert "bukan peserta pelatihan ini" in text and products_of(stranger) == []
    assert client.get(f"/pelatihan/{_other_cohort.id}/impor").status_code == 404


def test_template_download_has_every_column(login, client, cohort_with):
    cohort, trainer, _p = cohort_with(1)
    login(trainer)
    r = client.get(f"/pelatihan/{cohort.id}/impor/templat.csv")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    header, hints = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))[:2]
    assert header[:3] == ["owner", "product_class", "name"]
    assert {"net_quantity", "ingredients", "pirt_number", "price_idr", "nutrition.fat"} <= set(header)
    assert hints[0].startswith("#"), "the hint row is skipped on import"


def test_export_neutralises_formulas_and_can_be_imported_again(login, client, cohort_with, create_product, keripik):
    cohort, trainer, (sri,) = cohort_with(1)
    product = create_product(sri, "Keripik")
    save_product_data(sri, product.id, {**keripik, "name": "=HYPERLINK(\"http://x\",\"klik\")",
                                        "description": "+62 812 jual murah", "variant": "@pedas"})
    login(trainer)
    r = client.get(f"/pelatihan/{cohort.id}/ekspor.csv")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["name"] == "'=HYPERLINK(\"http://x\",\"klik\")"
    assert rows[0]["description"].startswith("'+62") and rows[0]["variant"] == "'@pedas"
    assert rows[0]["net_quantity"] == "250 g" and rows[0]["owner"] == sri.username
    text = page(upload(client, cohort, r.get_data()))
    assert "Tidak berubah" in text, "an export imports back as the same data"


def test_cli_imports_json_and_exits_non_zero_on_refused_rows(app, cohort_with, create_user, keripik, tmp_path):
    cohort, trainer, (sri,) = cohort_with(1)
    create_user("admin")
    good = tmp_path / "baik.json"
    good.write_text(json.dumps([{**keripik, "nutrition": {"per100": {"fat": 25, "sat_fat": 12, "protein": 2,
                                                                    "carb": 60, "sugar": 8, "sodium_mg": 600},
                                                         "serving_size_g": 30}}]), encoding="utf-8")
    runner = app.test_cli_runner()
    r = runner.invoke(args=["studio", "import-products", str(good), "--owner", sri.username])
    assert r.exit_code == 0, r.output
    assert "BARU – Keripik Singkong Balado" in r.output and "1 produk diimpor" in r.output
    bad = tmp_path / "salah.csv"
    bad.write_bytes(csv_bytes([{"owner": sri.username, **keripik, "name": "Kue", "pirt_number": "21535170100122"}]))
    r = runner.invoke(args=["studio", "import-products", str(bad)])
    assert r.exit_code == 1
    assert "DITOLAK" in r.output and "Nomor P-IRT harus 15 angka" in r.output
    assert [p.name for p in products_of(sri)] == ["Keripik Singkong Balado"]


def test_a_p_irt_on_a_craft_and_a_too_long_description_are_reported_per_row(login, client, cohort_with, keripik):
    cohort, trainer, (sri,) = cohort_with(1)
    long_text = "Keripik pisang renyah dari Jombang. " * 60          # 2159 characters once trimmed
    rows = [{"owner": sri.username, "product_class": "kerajinan", "name": "Tas Anyaman Pandan",
             "pirt_number": "2143517010012-29", "description": "Tas anyaman pandan buatan tangan."},
            {"owner": sri.username, **keripik, "description": long_text}]
    login(trainer)
    text = page(upload(client, cohort, csv_bytes(rows), dry_run="1"))
    assert "P-IRT hanya untuk makanan/minuman rumahan" in text
    assert text.count("P-IRT hanya untuk") == 1, "the food row's P-IRT is used"
    assert "Deskripsi 2.159 huruf; marketplace hanya menerima 2.000 huruf" in text
    assert text.count("marketplace hanya menerima") == 1, "the short description passes"
